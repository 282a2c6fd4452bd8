"""Coding suggestions: sentences whose lemmas match a code's keywords.

A suggestion is only a proposal: nothing is coded until the coder accepts one. Its id,
``transcript:start-end:code``, names the sentence and the code, so the CLI and the TUI
can accept or reject it later; a rejection is remembered per coder for that text.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import asdict, dataclass
from typing import Any

from qualcode import codings
from qualcode.analysis import ensure_analysis, lemmas, sentences
from qualcode.i18n import ui
from qualcode.model import INFORMANT, Code, Coding, QualcodeError, Transcript
from qualcode.study import Study

_ID = re.compile(r"^(?P<t>.+):(?P<s>\d+)-(?P<e>\d+):(?P<c>[^:]+)$")


@dataclass(frozen=True)
class Suggestion:
    id: str
    transcript: str
    case: str | None
    start: int
    end: int
    code: str
    code_name: str
    score: int  # summed weight of the distinct keywords matched (words per keyword)
    keywords: tuple[str, ...]  # the code's keywords that matched
    matched: tuple[str, ...]  # the words in the sentence that matched them
    text: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def suggestion_id(transcript: str, start: int, end: int, code: str) -> str:
    return f"{transcript}:{start}-{end}:{code}"


def parse_id(sid: str) -> tuple[str, int, int, str]:
    m = _ID.match(sid.strip())
    if not m:
        raise QualcodeError(
            ui('"{id}" is not a suggestion id (transcript:start-end:code)').format(id=sid)
        )
    return m["t"], int(m["s"]), int(m["e"]), m["c"]


def _matcher(codes: list[Code], lang: str) -> tuple[Any, dict[str, tuple[str, str, int]]]:
    """A PhraseMatcher over lemma docs; match key -> (code, keyword, weight)."""
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc

    from qualcode.nlp import get_nlp, lemma_tokens

    vocab = get_nlp(lang).vocab
    matcher = PhraseMatcher(vocab, attr="LOWER")
    keys: dict[str, tuple[str, str, int]] = {}
    for code in codes:
        seen: set[tuple[str, ...]] = set()
        for keyword in code.keywords:
            words = [lemma for _, _, lemma in lemma_tokens(keyword, lang)]
            if not words or tuple(words) in seen:
                continue  # "palliative senger" and "palliativ seng" are one keyword here
            seen.add(tuple(words))
            key = f"{code.id}\t{keyword}"
            keys[key] = (code.id, keyword, len(words))
            matcher.add(key, [Doc(vocab, words=words)])
    return matcher, keys


def _for_transcript(
    project: Study,
    t: Transcript,
    matcher: Any,
    keys: dict[str, tuple[str, str, int]],
    codes: dict[str, Code],
    coder: str | None,
    roles: tuple[str, ...],
) -> list[Suggestion]:
    from spacy.tokens import Doc

    store = project.store
    tokens = lemmas(project, t)
    sents = sentences(project, t)
    if not tokens or not sents:
        return []
    doc = Doc(matcher.vocab, words=[lemma for _, _, lemma in tokens])
    starts = [s for s, _ in sents]
    found: dict[tuple[int, str], dict[str, set[str]]] = {}  # (sentence, code) -> keyword -> words
    for match_id, i, j in matcher(doc):
        code, keyword, _ = keys[matcher.vocab.strings[match_id]]
        k = bisect.bisect_right(starts, tokens[i][0]) - 1
        if k < 0 or tokens[j - 1][1] > sents[k][1]:
            continue  # a match across a sentence boundary is no match
        words = found.setdefault((k, code), {}).setdefault(keyword, set())
        words.add(t.text[tokens[i][0] : tokens[j - 1][1]])
    turn_starts = [u.start for u in t.turns]
    own = [c for c in store.codings.all(transcript=t.id, coder=coder)] if coder else []
    rejected = store.codings.rejected_suggestions(coder) if coder else set()
    out = []
    for (k, code), by_keyword in found.items():
        s, e = sents[k]
        u = bisect.bisect_right(turn_starts, s) - 1
        if u < 0 or t.turns[u].role not in roles:
            continue
        if any(c.code == code and c.start < e and s < c.end for c in own):
            continue  # the coder has already coded this sentence with this code
        if (t.id, s, e, code, t.hash) in rejected:
            continue
        weights = {kw: keys[f"{code}\t{kw}"][2] for kw in by_keyword}
        out.append(
            Suggestion(
                id=suggestion_id(t.id, s, e, code),
                transcript=t.id,
                case=t.case,
                start=s,
                end=e,
                code=code,
                code_name=codes[code].name,
                score=sum(weights.values()),
                keywords=tuple(sorted(by_keyword)),
                matched=tuple(sorted({w for ws in by_keyword.values() for w in ws})),
                text=t.text[s:e],
            )
        )
    out.sort(key=lambda x: (x.start, -x.score, x.code))
    return out


def suggest(
    project: Study,
    transcript: str | None = None,
    coder: str | None = None,
    roles: tuple[str, ...] = (INFORMANT,),
    progress: Any = None,
) -> list[Suggestion]:
    """Suggestions for one transcript or all, in text order; informants' turns by default
    (the interviewer's questions name the topics by design)."""
    store = project.store
    lang = project.language
    transcripts = [store.transcripts.get(transcript)] if transcript else store.transcripts.all()
    codes = {c.id: c for c in store.codes.all()}
    matcher, keys = _matcher([c for c in codes.values() if c.keywords], lang)
    ensure_analysis(project, transcripts, progress)
    out: list[Suggestion] = []
    for t in transcripts:
        out += _for_transcript(project, t, matcher, keys, codes, coder, roles)
    return out


def _current(project: Study, sid: str, coder: str) -> tuple[Suggestion, Transcript]:
    tid, _, _, _ = parse_id(sid)
    found = {s.id: s for s in suggest(project, tid, coder)}
    if sid.strip() not in found:
        raise QualcodeError(
            ui(
                '"{id}" is not a current suggestion for {coder} '
                "(already coded, rejected, or the text has changed)"
            ).format(id=sid, coder=coder)
        )
    return found[sid.strip()], project.store.transcripts.get(tid)


def accept(project: Study, sid: str, coder: str, memo: str = "") -> Coding:
    """Turn a suggestion into a coding by ``coder``."""
    s, t = _current(project, sid, coder)
    return codings.add(project.store, t, s.start, s.end, s.code, coder, memo)


def reject(project: Study, sid: str, coder: str) -> Suggestion:
    """Remember that ``coder`` does not want this suggestion again."""
    s, t = _current(project, sid, coder)
    project.store.codings.reject_suggestion(t.id, s.start, s.end, s.code, coder, t.hash)
    return s

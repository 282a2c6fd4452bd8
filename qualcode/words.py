"""Word frequencies of coded segments per theme, case or case attribute group.

Counts lemmas (so "fastlegen" and "fastleger" count as one word), leaving out stop
words, numbers and very short tokens, so groups can be compared by what they talk about.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from qualcode import scope as sc
from qualcode.analysis import ensure_analysis, lemmas
from qualcode.i18n import ui
from qualcode.model import Coding, QualcodeError
from qualcode.scope import Scope
from qualcode.study import Study

MIN_LENGTH = 3  # shorter lemmas ("jo", "eh", "nå") say little about a topic

# Interview speech that spaCy's stop words miss: fillers and discourse markers, question
# words, hedges and frequency adverbs. Every group says them a lot, so they would crowd the
# top of each list without telling the groups apart.
SPOKEN_STOP_WORDS: dict[str, frozenset[str]] = {
    "nb": frozenset(
        """
        altså liksom egentlig faktisk kanskje ganske gjerne heller likevel uansett særlig
        sånn sånt sånne slikt slike nei jo vel takk ok okei eh ehm øh hm hmm mm mhm
        hva hvis hvem hvor hvordan hvorfor hvilken hvilket hvilke hver hvert
        ofte alltid aldri lenger ennå enda hos dit
    """.split()
    ),
    "en": frozenset(
        """
        um uh erm er hmm mm mhm yeah yes okay ok well like actually really basically
        maybe probably kind sort thing things lot
    """.split()
    ),
}
_LANGUAGE_ALIASES = {"no": "nb", "nob": "nb", "nor": "nb", "eng": "en"}


def interview_stop_words(lang: str) -> set[str]:
    """spaCy's stop words for ``lang`` plus the interview speech above."""
    from qualcode.nlp import stop_words

    base = lang.strip().lower().replace("_", "-").split("-")[0]
    return stop_words(lang) | SPOKEN_STOP_WORDS.get(_LANGUAGE_ALIASES.get(base, base), set())


def keep_lemma(lemma: str, word: str, stops: set[str]) -> bool:
    """Whether a token counts: not a stop word, number, abbreviation, or too short."""
    if len(lemma) < MIN_LENGTH or any(ch.isdigit() for ch in lemma) or "." in lemma:
        return False
    if not any(ch.isalpha() for ch in lemma):
        return False
    return lemma not in stops and word.lower() not in stops


def _groups(project: Study, by: str, scope: Scope) -> dict[str, list[Coding]]:
    """Codings in scope per group: per theme (with its sub-codes), case, or attribute value."""
    store = project.store
    codings = sc.codings_in(store, scope)
    groups: dict[str, list[Coding]] = {}
    if by == "theme":
        codes = {c.id: c for c in store.codes.all()}

        def theme_of(code_id: str) -> str:
            seen = set()
            while codes.get(code_id) and codes[code_id].parent and code_id not in seen:
                seen.add(code_id)
                code_id = codes[code_id].parent or code_id
            return code_id

        for c in codings:
            groups.setdefault(theme_of(c.code), []).append(c)
        return groups
    cases = {t: (case, attrs) for t, case, attrs in _transcript_cases(project)}
    if by != "case" and not any(by in attrs for _, attrs in cases.values()):
        raise QualcodeError(
            ui('cannot group by "{by}": use theme, case or a case attribute').format(by=by)
        )
    for c in codings:
        case, attrs = cases.get(c.transcript, (None, {}))
        key = case if by == "case" else attrs.get(by)
        groups.setdefault(key or "(none)", []).append(c)
    return groups


def _transcript_cases(project: Study) -> list[tuple[str, str | None, dict[str, str]]]:
    return [(t.id, t.case, t.attributes) for t in project.store.transcripts.all()]


def word_frequencies(
    project: Study, by: str = "theme", top: int | None = 20, scope: Scope | None = None
) -> dict[str, list[tuple[str, int]]]:
    """The ``top`` lemmas of each group's coded passages in ``scope`` (default: the
    complete consensus, else all coders), most frequent first.

    A token inside several codings of one group (two coders', or a theme's and its code's)
    counts once for that group: the group's passages are counted, not its rows.
    """
    store = project.store
    lang = project.language
    stops = interview_stop_words(lang)
    scope = scope or sc.default_scope(project)
    groups = _groups(project, by, scope)
    needed = sorted({c.transcript for cs in groups.values() for c in cs})
    transcripts = {tid: store.transcripts.get(tid) for tid in needed}
    ensure_analysis(project, list(transcripts.values()))
    tokens = {tid: lemmas(project, t) for tid, t in transcripts.items()}
    out: dict[str, list[tuple[str, int]]] = {}
    for group in sorted(groups):
        seen: set[tuple[str, int]] = set()
        counts: Counter[str] = Counter()
        for c in groups[group]:
            text = transcripts[c.transcript].text
            for s, e, lemma in tokens[c.transcript]:
                if c.start <= s and e <= c.end and (c.transcript, s) not in seen:
                    seen.add((c.transcript, s))
                    if keep_lemma(lemma, text[s:e], stops):
                        counts[lemma] += 1
        out[group] = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    return out


def to_rows(freqs: dict[str, list[tuple[str, int]]]) -> list[dict[str, Any]]:
    """Flat rows (group, rank, lemma, count) for JSON and CSV."""
    return [
        {"group": g, "rank": i + 1, "lemma": w, "count": n}
        for g, words in freqs.items()
        for i, (w, n) in enumerate(words)
    ]


def bar(count: int, most: int, width: int = 30) -> str:
    """A text bar of ``count`` scaled so ``most`` fills ``width``."""
    return "█" * max(1, round(width * count / most)) if most else ""

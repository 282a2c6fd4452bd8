"""The coding scope: passages merged and counted as a brute-force reading of the text
says, the default scope (the consensus only when complete), and the words that name it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode import scope as sc
from qualcode.coding import make_coding
from qualcode.consensus import walk as cons
from qualcode.model import INFORMANT, INTERVIEWER, Coding, QualcodeError, Transcript, Turn
from qualcode.project import Project
from qualcode.study import StudyParts
from tests.test_consensus_set import CODE, CODINGS, TEXT, TID, add

REPO = Path(__file__).resolve().parent.parent

# --- brute force: which characters are coded, read one by one ------------------------------


def _covered(codings: list[Coding], transcript: str) -> set[int]:
    return {i for c in codings if c.transcript == transcript for i in range(c.start, c.end)}


def _runs(chars: set[int]) -> int:
    """Maximal runs of consecutive coded characters."""
    return sum(1 for i in chars if i - 1 not in chars)


def _words(text: str, chars: set[int]) -> int:
    return sum(1 for m in re.finditer(r"\S+", text) if any(i in chars for i in range(*m.span())))


def _informants(t: Transcript, chars: set[int]) -> int:
    return len(
        {
            u.speaker
            for u in t.turns
            if u.role == INFORMANT and any(i in chars for i in range(u.start, u.end))
        }
    )


def _transcript(tid: str, words: list[str], speakers: list[int]) -> Transcript:
    """A text of ``words`` split into turns; turn k's speaker is ``speakers[k]`` (0 the
    interviewer)."""
    text = " ".join(words)
    turns, pos, per = [], 0, max(1, len(words) // max(1, len(speakers)))
    for k, who in enumerate(speakers):
        chunk = words[k * per : (k + 1) * per] if k < len(speakers) - 1 else words[k * per :]
        if not chunk:
            break
        end = pos + len(" ".join(chunk))
        role = INTERVIEWER if who == 0 else INFORMANT
        turns.append(Turn("I" if who == 0 else f"Informant {who}", pos, end, role=role))
        pos = end + 1
    return Transcript(tid, text, turns)


_word = st.text(alphabet="abæø", min_size=1, max_size=5)
_span = st.tuples(st.integers(0, 40), st.integers(0, 8), st.sampled_from(["t", "c1", "c2"]))


@settings(max_examples=150, deadline=None)
@given(
    st.lists(_word, min_size=1, max_size=25),
    st.lists(_word, min_size=1, max_size=25),
    st.lists(st.integers(0, 3), min_size=1, max_size=5),
    st.lists(st.tuples(st.sampled_from(["a", "b"]), _span), max_size=20),
)
def test_counts_match_a_character_by_character_reading(w1, w2, speakers, raw) -> None:
    texts = {"t1": _transcript("t1", w1, speakers), "t2": _transcript("t2", w2, speakers[::-1])}
    codings = []
    for n, (coder, (start, length, code)) in enumerate(raw):
        tid = "t1" if n % 2 else "t2"
        size = len(texts[tid].text)
        s = min(start, size)
        codings.append(Coding(tid, s, min(size, s + length), code, coder, id=n + 1))
    for codes in ({"t", "c1", "c2"}, {"c1"}):
        chosen = [c for c in codings if c.code in codes]
        passages = sc.merge_passages(codings, codes)
        cover = {t: _covered(chosen, t) for t in texts}
        assert sc.count(passages, "passages") == sum(_runs(ch) for ch in cover.values())
        assert sc.count(passages, "transcripts") == sum(1 for ch in cover.values() if ch)
        assert sc.count(passages, "words", texts) == sum(
            _words(texts[t].text, ch) for t, ch in cover.items()
        )
        assert sc.count(passages, "informants", texts) == sum(
            _informants(texts[t], ch) for t, ch in cover.items()
        )
        # every coding of the codes is in exactly one passage, which holds its span
        held = [c for p in passages for c in p.codings]
        assert sorted(c.id or 0 for c in held) == sorted(
            c.id or 0 for c in chosen if c.end > c.start
        )
        for p in passages:
            assert all(p.start <= c.start and c.end <= p.end for c in p.codings)


def test_touching_codings_are_one_passage_a_gap_makes_two() -> None:
    def coding(s: int, e: int, coder: str = "a") -> Coding:
        return Coding("t", s, e, "x", coder)

    assert len(sc.merge_passages([coding(0, 5), coding(5, 9, "b")])) == 1
    assert len(sc.merge_passages([coding(0, 5), coding(6, 9)])) == 2
    merged = sc.merge_passages([coding(0, 5), coding(2, 9, "b"), coding(3, 4)])
    assert [(p.start, p.end, p.coders) for p in merged] == [(0, 9, ("a", "b"))]


# --- resolving and naming a scope ----------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path):  # type: ignore[no-untyped-def]
    shutil.copy(REPO / "interview_guide.yaml", tmp_path / "interview_guide.yaml")
    (tmp_path / "transcripts").mkdir()
    (tmp_path / "transcripts" / f"{TID}.md").write_text(TEXT, encoding="utf-8")
    p = Project.open(tmp_path)
    for coder, phrase, code in CODINGS:
        add(p, coder, phrase, code)
    yield p
    p.close()


def _walk(p: Project, code: str = CODE) -> list[cons.Item]:
    return cons.walk(StudyParts(p.store), "ann", "bo", code, unit="turn")


def _decide(p: Project, item: cons.Item, choice: str = "a") -> None:
    cons.decide(StudyParts(p.store), p.store.transcripts.get(TID), item, choice, None)


def test_default_is_all_coders_until_the_consensus_is_complete(project: Project) -> None:
    store = project.store
    first = sc.resolve(StudyParts(store))
    assert (first.kind, first.coders, first.default) == (sc.ALL, ("ann", "bo"), True)
    assert first.label("nb") == "ann, bo — kodede passasjer, sammenslått"
    assert first.label("en") == "ann, bo — coded passages, merged"
    with pytest.raises(QualcodeError, match="no consensus yet"):
        sc.resolve(StudyParts(store), "consensus")

    _decide(project, _walk(project)[0])
    after_one = sc.resolve(StudyParts(store))
    assert after_one == first  # one decision changes nothing by default
    partial = sc.resolve(StudyParts(store), "consensus")
    total = partial.disagreements
    assert partial.kind == sc.CONSENSUS and not partial.complete and total
    assert partial.who("nb") == f"konsensus ({total - 1} av {total} uenigheter uavgjort)"
    assert partial.who("en") == f"consensus ({total - 1} of {total} disagreements undecided)"
    assert sc.resolve(StudyParts(store), "konsensus") == partial

    for code in (CODE, "fastlege-legevakt"):
        for item in cons.remaining(_walk(project, code)):
            _decide(project, item, "a")
    done = sc.resolve(StudyParts(store))
    assert done.kind == sc.CONSENSUS and done.default and done.complete
    assert done.who("nb") == f"konsensus (ann og bo, alle {done.disagreements} uenigheter avgjort)"
    assert done.to_json("en")["consensus"]["complete"] is True
    # all coders means the two coders, never the consensus coder beside them
    assert sc.resolve(StudyParts(store), "all").coders == ("ann", "bo")
    assert sc.codings_in(store, done) == store.codings.all(coder="consensus")


def test_a_coder_the_count_and_mistakes(project: Project) -> None:
    store = project.store
    ann = sc.resolve(StudyParts(store, language="en"), "ann", "words")
    assert ann.label("en") == "ann — coded words"
    assert ann.to_json("en") == {
        "kind": "coder",
        "coders": ["ann"],
        "count": "words",
        "default": False,
        "blind": False,
        "label": "ann — coded words",
    }
    assert sc.one_coder("bo", blind=True).label("nb").startswith("bo (blind")
    with pytest.raises(QualcodeError, match="ann"):
        sc.resolve(StudyParts(store), "Ann")  # a near miss is named
    with pytest.raises(QualcodeError, match="passages, words, transcripts, informants"):
        sc.resolve(StudyParts(store), None, "rows")
    assert all(c.coder == "ann" for c in sc.codings_in(store, ann))


def test_a_theme_and_its_code_on_the_same_words_is_one_passage(project: Project) -> None:
    store = project.store
    t = store.transcripts.get(TID)
    start = t.text.index("Teamet reiser")
    store.codings.add(make_coding(t, start, start + 13, "organisering", "ann"))
    codes = {"organisering", CODE}
    merged = sc.merge_passages(store.codings.all(), codes)
    rows = [c for c in store.codings.all() if c.code in codes]
    assert len(merged) < len(rows)
    assert len(merged) == _runs(_covered(rows, TID))


def test_a_complete_consensus_of_some_transcripts_is_not_the_default(project: Project) -> None:
    """Two coders who settled one transcript must not hide everyone's codings of the
    others: the default stays all coders, and says why."""
    store = project.store
    for code in (CODE, "fastlege-legevakt"):
        for item in cons.remaining(_walk(project, code)):
            _decide(project, item, "a")
    assert sc.resolve(StudyParts(store)).kind == sc.CONSENSUS  # covers every coded transcript
    other = project.root / "transcripts" / "stor-9.md"
    other.write_text(TEXT.replace("Liten kommune 5", "Stor kommune 9"), encoding="utf-8")
    project.import_paths([other])
    t = store.transcripts.get("stor-9")
    start = t.text.index("Vi ringer teamet")
    store.codings.add(make_coding(t, start, start + 16, CODE, "cy"))

    default = sc.resolve(StudyParts(store))
    assert (default.kind, default.coders, default.default) == (sc.ALL, ("ann", "bo", "cy"), True)
    assert default.consensus_covers == (1, 2)
    assert default.who("nb") == "ann, bo, cy (konsensus dekker bare 1 av 2 kodede transkripsjoner)"
    assert default.to_json("en")["consensus_covers"] == {"transcripts": 1, "of": 2}
    assert "only 1 of 2 coded transcripts" in default.label("en")
    asked = sc.resolve(StudyParts(store), "consensus")  # still there when asked for
    assert asked.kind == sc.CONSENSUS and asked.complete and not asked.default

    # once the pair has coded the other transcript too, it is covered again ...
    for coder in ("ann", "bo"):
        store.codings.add(make_coding(t, start, start + 16, CODE, coder))
    # ... though the consensus must first take in their new codings (sync) to be current
    assert sc.resolve(StudyParts(store)).kind == sc.ALL

"""The consensus coder as a complete final coding set: agreed units seeded at the first
decision, kept in step with the coders, one pair and unit per consensus, honest reports;
and the edit, scope and unresolved rules of the walk."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from qualcode import report
from qualcode import scope as sc
from qualcode.agreement.inputs import agreement_report
from qualcode.codebook import tree_order
from qualcode.coding import make_coding
from qualcode.consensus import coding_set as cset
from qualcode.consensus import walk as cons
from qualcode.model import Coding, QualcodeError
from qualcode.project import Project
from qualcode.study import StudyParts

REPO = Path(__file__).resolve().parent.parent
TID = "liten-5"
TEXT = """---
case: Liten kommune 5
size: liten
region: Nord
---
[00:00:01] Intervjuer: Har dere et palliativt team?

[00:00:05] Leder: Ja, teamet har to sykepleiere.

[00:00:20] Leder: Teamet møtes hver uke på kontoret.

[00:00:40] Leder: Vi ringer teamet når det trengs.

[00:00:50] Leder: Legen er med i teamet av og til.

[00:01:00] Leder: Teamet reiser hjem til pasientene.
"""
CODE = "palliativt-team"
# Turns 0, 1, 2, 3 and 5 disagree on CODE; both coded turn 4. Both coded "fastlege-legevakt"
# in turn 4 too, and ann alone in turn 3.
CODINGS = [
    ("bo", "Har dere et palliativt team?", CODE),
    ("ann", "teamet har to sykepleiere", CODE),
    ("ann", "Teamet møtes hver uke", CODE),
    ("bo", "Vi ringer teamet", CODE),
    ("ann", "Legen er med i teamet", CODE),
    ("bo", "Legen er med i teamet av og til.", CODE),
    ("ann", "reiser hjem til pasientene", CODE),
    ("ann", "Legen er med", "fastlege-legevakt"),
    ("bo", "Legen", "fastlege-legevakt"),
    ("ann", "Vi ringer", "fastlege-legevakt"),
]


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


def add(p: Project, coder: str, phrase: str, code: str = CODE) -> Coding:
    t = p.store.transcripts.get(TID)
    start = t.text.index(phrase)
    return p.store.codings.add(make_coding(t, start, start + len(phrase), code, coder))


def walk(
    p: Project, code: str = CODE, unit: str = "turn", a: str = "ann", b: str = "bo"
) -> list[cons.Item]:
    return cons.walk(StudyParts(p.store), a, b, code, unit=unit, all_turns=True)


def decide(
    p: Project, item: cons.Item, choice: str, span: tuple[int, int] | None = None
) -> list[Coding]:
    return cons.decide(StudyParts(p.store), p.store.transcripts.get(TID), item, choice, span)


def consensus(p: Project) -> set[tuple[str, str]]:
    return {(c.code, c.quote) for c in p.store.codings.all(coder="consensus")}


def test_first_decision_seeds_every_agreed_unit(project: Project) -> None:
    assert cset.progress(StudyParts(project.store)) is None
    decide(project, walk(project)[0], "b")
    # bo's coding of turn 0, and turn 4 for both codes as ann (A) coded it.
    assert consensus(project) == {
        (CODE, "Har dere et palliativt team?"),
        (CODE, "Legen er med i teamet"),
        ("fastlege-legevakt", "Legen er med"),
    }
    agreed = [c for c in project.store.codings.all(coder="consensus") if "agreed" in c.memo]
    for c in agreed:
        s, e = _turn_of(project, c.start)
        assert c.memo == f"consensus: agreed by A (ann) and B (bo), unit {s}-{e}"
    p = cset.progress(StudyParts(project.store))
    assert p is not None and (p.decided, p.total, p.up_to_date) == (1, 6, True)


def _turn_of(project: Project, offset: int) -> tuple[int, int]:
    t = project.store.transcripts.get(TID)
    turn = next(u for u in t.turns if u.start <= offset < u.end)
    return turn.start, turn.end


def test_reports_use_the_consensus_once_complete_and_say_how_complete_it_is(
    project: Project,
) -> None:
    store = project.store
    assert sc.resolve(StudyParts(store)).kind == sc.ALL
    decide(project, walk(project)[0], "b")
    # one decision: the default stays all coders; asked for, the consensus says it is partial
    assert sc.resolve(StudyParts(store)).kind == sc.ALL
    partial = sc.resolve(StudyParts(store), "consensus")
    assert partial.who("en") == "consensus (5 of 6 disagreements undecided)"
    assert "1 of 6 disagreements decided (turn units); the 5 undecided are left out." in (
        cset.progress_note(StudyParts(store))
    )
    matrix = report.build_matrix(project, partial)
    assert matrix.cell("Liten kommune 5", "organisering").count == 2  # turn 0 and turn 4
    for item in walk(project)[1:]:
        decide(project, item, "a")
    decide(project, walk(project, "fastlege-legevakt")[0], "drop")
    done = sc.resolve(StudyParts(store))
    assert done.kind == sc.CONSENSUS and done.default
    assert done.who("en") == "consensus (ann and bo, all 6 disagreements decided)"
    assert "6 of 6 disagreements decided" in cset.progress_note(StudyParts(store))


def test_sync_follows_the_coders_changes(project: Project) -> None:
    store = project.store
    decide(project, walk(project)[1], "a")  # turn 1: ann alone, accepted
    # bo now codes turn 1 too (it is agreed) and takes back his coding of turn 4.
    add(project, "bo", "to sykepleiere")
    for c in store.codings.all(coder="bo", code=CODE):
        if c.quote.startswith("Legen"):
            store.codings.remove(c.id or 0, "bo")
    p = cset.progress(StudyParts(store))
    assert p is not None and not p.up_to_date
    assert "consensus sync" in cset.progress_note(StudyParts(store))
    result = cset.sync(StudyParts(store))
    assert (result.added, result.removed, result.superseded) == (1, 1, 1)
    # Turn 1 once (now agreed, not a decision); turn 4 left the agreed units for CODE.
    assert consensus(project) == {
        (CODE, "teamet har to sykepleiere"),
        ("fastlege-legevakt", "Legen er med"),
    }
    assert "agreed by" in store.codings.all(coder="consensus", code=CODE)[0].memo
    assert walk(project)[1].decision is None  # turn 4 is now a disagreement, undecided
    assert cset.sync(StudyParts(store)).added == 0  # nothing left to do
    assert cset.progress(StudyParts(store)).up_to_date  # type: ignore[union-attr]


def test_character_units_seed_the_runs_both_coded(project: Project) -> None:
    items = walk(project, unit="character")
    decide(project, items[0], "a")
    agreed = {
        (c.code, c.quote)
        for c in project.store.codings.all(coder="consensus")
        if "agreed" in c.memo
    }
    assert agreed == {(CODE, "Legen er med i teamet"), ("fastlege-legevakt", "Legen")}


def test_one_pair_and_unit_per_consensus_until_reset(project: Project) -> None:
    store = project.store
    decide(project, walk(project)[0], "a")
    with pytest.raises(QualcodeError, match="A = ann and B = bo on turn units"):
        decide(project, walk(project, unit="character")[0], "a")
    with pytest.raises(QualcodeError, match="consensus reset"):
        decide(project, walk(project, a="bo", b="ann")[0], "a")
    mine = len(store.codings.all(coder="ann")), len(store.codings.all(coder="bo"))
    assert cset.reset(store) == 2  # the two agreed units; "accept A" on turn 0 wrote none
    assert store.codings.all(coder="consensus") == []
    assert walk(project)[0].decision is None
    assert (len(store.codings.all(coder="ann")), len(store.codings.all(coder="bo"))) == mine
    decide(project, walk(project, unit="character")[0], "a")  # a new consensus may start
    assert cset.read_basis(store).unit == "character"  # type: ignore[union-attr]


def test_renaming_moves_only_what_the_consensus_wrote(project: Project) -> None:
    store = project.store
    decide(project, walk(project)[1], "a")
    store.settings.set("consensus_coder", "consensus")
    add(project, "consensus", "Vi ringer teamet")  # someone coded by hand as "consensus"
    moved = cset.set_consensus_coder(store, "fasit")
    assert moved == 3  # the decision and the two agreed units
    assert [c.quote for c in store.codings.all(coder="consensus")] == ["Vi ringer teamet"]
    assert walk(project)[1].decision["coder"] == "fasit"  # type: ignore[index]
    assert cset.sync(StudyParts(store)).added == 0  # the moved seeds are still known


def test_edit_must_stay_inside_the_disputed_unit(project: Project) -> None:
    item = walk(project)[2]  # turn 2: "Teamet møtes hver uke på kontoret."
    d = item.disagreement
    text = project.store.transcripts.get(TID).text
    with pytest.raises(QualcodeError, match="not inside the disputed unit"):
        decide(project, item, "edit", (0, 10))
    with pytest.raises(QualcodeError, match="empty or reversed"):
        decide(project, item, "edit", (d.end, d.start))
    with pytest.raises(QualcodeError, match="empty or reversed"):
        decide(project, item, "edit", (d.start, d.start))
    with pytest.raises(QualcodeError, match="outside the text"):
        decide(project, item, "edit", (d.start, len(text) + 5))
    assert item.decision is None and project.store.codings.all(coder="consensus") == []
    # Whitespace at the edges is trimmed, and the memo names the stored span.
    start = text.index("hver uke")
    saved = decide(project, item, "edit", (start - 1, start + len("hver uke") + 1))
    assert [(c.start, c.end, c.quote) for c in saved] == [(start, start + 8, "hver uke")]
    assert f"edited to {start}-{start + 8}" in saved[0].memo
    assert cons.span_for_quote(project.store.transcripts.get(TID), item, "på  kontoret") == (
        text.index("på kontoret"),
        text.index("på kontoret") + len("på kontoret"),
    )
    with pytest.raises(QualcodeError, match="not in the disputed passage"):
        cons.span_for_quote(project.store.transcripts.get(TID), item, "Vi ringer teamet")


def test_a_code_given_twice_counts_once(project: Project) -> None:
    once = agreement_report(StudyParts(project.store), "ann", "bo", codes=[CODE], all_turns=True)
    twice = agreement_report(
        StudyParts(project.store),
        "ann",
        "bo",
        codes=[CODE, "Palliativt team", CODE.upper()],
        all_turns=True,
    )
    assert list(twice.per_code) == [CODE]
    assert twice.overall.n_decisions == once.overall.n_decisions == 6
    assert twice.overall.cohen_kappa == once.overall.cohen_kappa


def test_unresolved_codings_are_left_out_and_said(project: Project) -> None:
    store = project.store
    before = agreement_report(StudyParts(store), "ann", "bo")
    assert before.notes == [] and "notes" not in before.to_json()
    stale = next(c for c in store.codings.all(coder="ann") if c.quote == "Teamet møtes hver uke")
    store.codings.update(stale.id or 0, "test", status="unresolved")
    after = agreement_report(StudyParts(store), "ann", "bo")
    assert after.per_code[CODE].only_a == before.per_code[CODE].only_a - 1
    assert after.notes == [
        "1 unresolved coding of ann and bo left out (its transcript "
        "changed; see `qualcode codings unresolved`)"
    ]
    assert after.to_json()["notes"] == after.notes
    assert len(walk(project)) == 4  # the walk no longer shows that unit


def test_per_code_rows_follow_the_codebook(project: Project) -> None:
    got = list(agreement_report(StudyParts(project.store), "ann", "bo").per_code)
    order = tree_order(project.store.codes.all())
    assert got == ["palliativt-team", "fastlege-legevakt"]  # not by id
    assert order.index("palliativt-team") < order.index("fastlege-legevakt")

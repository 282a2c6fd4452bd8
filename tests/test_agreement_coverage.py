"""What agreement covers: by default the transcripts both coders coded and, for turn and
sentence units, the informants' turns; --transcript, --case and --all-turns say otherwise,
and every output says which it is (CLI, JSON, exports, the agreement screen)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import Label

from qualcode.agreement.coverage import coverage
from qualcode.agreement.inputs import agreement_report
from qualcode.coding import make_coding
from qualcode.consensus import walk as cons
from qualcode.model import QualcodeError
from qualcode.project import Project
from qualcode.study import StudyParts
from qualcode.tui.dialogs.prompts import ChoicePrompt
from qualcode.tui.screens.agreement import AgreementScreen

THIRD = """---
case: Mellomstor kommune 9
size: mellomstor
---
Intervjuer: Har dere frivillige?

Leder: Ja, vi har en frivillig våketjeneste.
"""


@pytest.fixture
def project(project_dir: Path):
    (project_dir / "transcripts" / "mellomstor-9.md").write_text(THIRD, encoding="utf-8")
    p = Project.open(project_dir)
    # both coded liten-9 and stor-9 (bo also the interviewer's question there); only ann
    # coded mellomstor-9
    for tid, needle, code, coder in (
        ("liten-9", "Vi har tett kontakt med pårørende.", "parorende", "ann"),
        ("liten-9", "Vi har tett kontakt med pårørende.", "parorende", "bo"),
        ("liten-9", "Hvordan samarbeider dere med pårørende?", "parorende", "bo"),
        ("stor-9", "palliativt team", "palliativt-team", "ann"),
        ("stor-9", "kreftkoordinatorer", "kreftkoordinator", "bo"),
        ("mellomstor-9", "frivillig våketjeneste", "vaketjeneste", "ann"),
    ):
        t = p.store.transcripts.get(tid)
        start = t.text.index(needle)
        p.store.codings.add(make_coding(t, start, start + len(needle), code, coder))
    yield p
    p.close()


def test_the_default_is_the_transcripts_both_coded_and_informant_turns(project: Project):
    store = project.store
    c = coverage(store, "ann", "bo", "turn")
    assert c.transcripts == ("liten-9", "stor-9") and c.left_out == ("mellomstor-9",)
    assert c.informant_only
    assert c.words("nb") == (
        "2 transkripsjoner kodet av begge (1 kodet av bare én utelatt); "
        "bare informantenes replikker (intervjuerens utelatt)"
    )
    assert not coverage(store, "ann", "bo", "character").informant_only
    assert not coverage(store, "ann", "bo", "sentence", all_turns=True).informant_only
    chosen = coverage(store, "ann", "bo", "turn", cases=["mellomstor kommune 9"])
    assert chosen.transcripts == ("mellomstor-9",) and chosen.how == "chosen"
    with pytest.raises(QualcodeError, match="Liten kommune 9"):
        coverage(store, "ann", "bo", "turn", cases=["Nowhere"])
    report = agreement_report(StudyParts(store), "ann", "bo")
    assert list(report.per_transcript) == ["liten-9", "stor-9"]
    # the interviewer's question bo coded is left out, so pårørende is agreed throughout
    assert report.per_code["parorende"].only_b == 0
    every = agreement_report(StudyParts(store), "ann", "bo", all_turns=True)
    assert every.per_code["parorende"].only_b == 1


def test_the_walk_visits_only_transcripts_in_scope(project: Project):
    items = cons.walk(StudyParts(project.store), "ann", "bo", "vaketjeneste")
    assert items == []  # only ann coded mellomstor-9: nothing to settle there
    asked = cons.walk(
        StudyParts(project.store), "ann", "bo", "vaketjeneste", cases=["Mellomstor kommune 9"]
    )
    assert [i.disagreement.transcript for i in asked] == ["mellomstor-9"]


async def test_the_agreement_screen_covers_double_coded_transcripts_and_filters(project):
    class Host(App[None]):
        def on_mount(self) -> None:
            self.push_screen(AgreementScreen(project, "ann", "bo"))

    app = Host()
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        title = str(screen.query_one("#agreement-title", Label).render())
        assert "2 transcripts coded by both (1 coded by only one left out)" in title
        assert "informant turns only" in title
        table = screen.query_one("#agreement-transcripts")
        assert [str(k.value) for k in table.rows] == ["liten-9", "stor-9"]
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, ChoicePrompt)
        await pilot.press("down", "enter")  # the first transcript: liten-9
        await pilot.pause()
        assert [str(k.value) for k in table.rows] == ["liten-9"]
        assert "1 transcript chosen" in str(screen.query_one("#agreement-title", Label).render())
        await pilot.press("i")  # all turns now: bo's coding of the question counts
        await pilot.pause()
        assert "all turns (the interviewer's too)" in str(
            screen.query_one("#agreement-title", Label).render()
        )


def test_the_command_line_says_what_it_covers(project: Project, cli):
    result = cli("agreement", "--coders", "ann", "bo")
    assert result.exit_code == 0, result.output
    assert "Scope: 2 transcripts coded by both (1 coded by only one left out); informant" in (
        result.output
    )
    got = json.loads(
        cli(
            "agreement",
            "--coders",
            "ann",
            "bo",
            "--case",
            "Stor kommune 9",
            "--all-turns",
            "--json",
        ).output
    )
    assert list(got["per_transcript"]) == ["stor-9"]
    assert got["scope"]["transcripts_chosen"] == "chosen" and not got["scope"]["informant_only"]
    both = cli("agreement", "--coders", "ann", "bo", "--all-turns", "--informant-only")
    assert both.exit_code == 1 and "one of --all-turns and --informant-only" in both.output


@pytest.mark.parametrize("size", [(80, 24), (180, 50)])
async def test_both_tables_show_rows_at_any_size(project, norwegian, size):
    """The notes scroll within a fifth of the screen: at 80×24 they once took every line
    the per-transcript table had, and the title (with the colour legend) was cut."""

    class Host(App[None]):
        def on_mount(self) -> None:
            self.push_screen(AgreementScreen(project, "ann", "bo"))

    app = Host()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = app.screen
        per_code = screen.query_one("#agreement-codes")
        per_transcript = screen.query_one("#agreement-transcripts")
        notes = screen.query_one("#agreement-notes-box")
        assert per_code.region.height >= 4 and per_transcript.region.height >= 3
        assert notes.region.height <= size[1] // 5
        assert per_transcript.region.bottom <= notes.region.y  # nothing overlaps
        title = screen.query_one("#agreement-title", Label)
        assert title.region.width == screen.region.width  # wraps rather than being cut
        assert "transkripsjoner kodet av begge" in str(title.render())

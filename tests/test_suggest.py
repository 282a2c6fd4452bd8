"""Coding suggestions from keywords at lemma level (qualcode.suggest)."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.model import Code, QualcodeError
from qualcode.project import Project
from qualcode.suggest import accept, parse_id, reject, suggest


@pytest.fixture
def project(project_dir: Path):
    with Project.open(project_dir) as p:
        # Only our own keywords, so what is suggested is known: inflected differently
        # from the text ("fastlege" vs "Fastlegene", "ringe" vs "ringer").
        for c in p.store.codes.all():
            p.store.codes.upsert(Code(**{**c.__dict__, "keywords": ()}))
        p.store.codes.upsert(
            Code(
                "legekontakt",
                "Legekontakt",
                parent="fastlege-legevakt",
                keywords=("fastlege", "engasjert lege"),
                origin="inductive",
            )
        )
        p.store.codes.upsert(
            Code(
                "kontakt",
                "Kontakt",
                parent="parorende",
                keywords=("ringe", "tett kontakt", "pårørende"),
                origin="inductive",
            )
        )
        yield p


def _by_code(found) -> dict[str, list]:
    out: dict[str, list] = {}
    for s in found:
        out.setdefault(s.code, []).append(s)
    return out


def test_keywords_match_at_lemma_level(project):
    found = _by_code(suggest(project, "liten-9"))
    t = project.store.transcripts.get("liten-9")
    (lege,) = found["legekontakt"]
    assert lege.text == "Fastlegene er viktige."
    assert lege.matched == ("Fastlegene",) and lege.keywords == ("fastlege",)
    assert t.text[lege.start : lege.end] == lege.text
    (kontakt, ringer) = found["kontakt"]
    assert kontakt.text == "Vi har tett kontakt med pårørende."
    assert kontakt.keywords == ("pårørende", "tett kontakt") and kontakt.score == 3
    assert ringer.matched == ("ringer",) and ringer.score == 1
    # the interviewer's question names pårørende and fastlegen, yet is not suggested
    assert all(s.start >= t.turns[1].start for s in suggest(project, "liten-9"))
    assert suggest(project, "stor-9") == []


def test_accept_codes_and_hides_it_for_that_coder(project):
    s = _by_code(suggest(project, "liten-9", coder="ann"))["legekontakt"][0]
    coding = accept(project, s.id, "ann")
    assert (coding.start, coding.end, coding.code, coding.coder) == (s.start, s.end, s.code, "ann")
    assert project.store.codings.all(coder="ann") == [coding]
    assert s.id not in {x.id for x in suggest(project, "liten-9", coder="ann")}
    assert s.id in {x.id for x in suggest(project, "liten-9", coder="bob")}
    with pytest.raises(QualcodeError, match="not a current suggestion"):
        accept(project, s.id, "ann")


def test_reject_is_remembered_and_codes_nothing(project):
    s = _by_code(suggest(project, "liten-9", coder="ann"))["kontakt"][0]
    reject(project, s.id, "ann")
    assert s.id not in {x.id for x in suggest(project, "liten-9", coder="ann")}
    assert project.store.codings.all() == []
    assert parse_id(s.id) == ("liten-9", s.start, s.end, "kontakt")
    with pytest.raises(QualcodeError, match="not a suggestion id"):
        parse_id("garbage")


def test_nothing_is_coded_by_suggesting(project):
    suggest(project)
    assert project.store.codings.all() == []


async def test_suggestions_screen_accept_and_reject(project):
    from textual.app import App

    from qualcode.tui.screens.suggestions import SuggestionsScreen

    screen = SuggestionsScreen(project, "ann", "liten-9")

    class Host(App[None]):
        def on_mount(self) -> None:
            self.push_screen(screen)

    app = Host()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        before = list(screen.items)
        assert len(before) == 3 and project.store.codings.all() == []
        await pilot.press("a")
        await pilot.pause()
        (coding,) = project.store.codings.all(coder="ann")
        assert (coding.start, coding.end, coding.code) == (
            before[0].start,
            before[0].end,
            before[0].code,
        )
        await pilot.press("r")
        await pilot.pause()
        assert screen.items == before[2:]
    left = {s.id for s in suggest(project, "liten-9", coder="ann")}
    assert left == {before[2].id}
    assert len(project.store.codings.all()) == 1  # rejecting codes nothing

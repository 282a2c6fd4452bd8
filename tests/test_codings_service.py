"""The codings service: one owner rule, kept by the service, the CLI and the workspace alike."""

from __future__ import annotations

import json

import pytest

from qualcode import codings
from qualcode.model import QualcodeError
from qualcode.project import Project
from qualcode.tui.app import QualcodeApp
from qualcode.tui.screens.transcript import TranscriptScreen

QUOTE = "De ringer oss når som helst."


def _ann_coding(project: Project):  # type: ignore[no-untyped-def]
    t = project.store.transcripts.get("liten-9")
    start = t.text.index(QUOTE)
    return t, codings.add(project.store, t, start, start + len(QUOTE), "parorende", "ann")


def test_the_owner_changes_a_coding_every_way(project_dir) -> None:
    with Project.open(project_dir) as p:
        t, c = _ann_coding(p)
        c = codings.recode(p.store, c, "ann", "bemanning")
        assert c.code == "bemanning" and c.quote == QUOTE
        c = codings.resize(p.store, c, "ann", t, c.start - 1, c.end - len(" helst."))
        assert c.quote == "De ringer oss når som"  # inside its turn, trimmed
        c = codings.set_memo(p.store, c, "ann", "viktig")
        assert p.store.codings.get(c.id).memo == "viktig"  # type: ignore[union-attr]
        codings.remove(p.store, c, "ann")
        assert p.store.codings.get(c.id) is None  # type: ignore[arg-type]


def test_another_coder_changes_nothing(project_dir) -> None:
    with Project.open(project_dir) as p:
        t, c = _ann_coding(p)
        attempts = [
            lambda: codings.remove(p.store, c, "bo"),
            lambda: codings.recode(p.store, c, "bo", "bemanning"),
            lambda: codings.resize(p.store, c, "bo", t, 0, 5),
            lambda: codings.place(p.store, c, "bo", t, 0, 5),
            lambda: codings.set_memo(p.store, c, "bo", "mitt"),
        ]
        for attempt in attempts:
            with pytest.raises(QualcodeError, match="belongs to ann"):
                attempt()
        assert p.store.codings.get(c.id) == c  # type: ignore[arg-type]


def test_the_cli_refuses_another_coders_coding(cli, project_dir) -> None:
    with Project.open(project_dir) as p:
        _, c = _ann_coding(p)
    commands = [
        ["remove", str(c.id)],
        ["memo", str(c.id), "mitt"],
        ["recode", str(c.id), "bemanning"],
        ["resize", str(c.id), "--start", str(c.start + 3)],
        ["place", str(c.id), "--span", "0", "5"],
    ]
    for args in commands:
        refused = cli("codings", *args, "--coder", "bo")
        assert refused.exit_code == 1 and "belongs to ann" in refused.output, args
    with Project.open(project_dir) as p:
        assert p.store.codings.get(c.id) == c  # type: ignore[arg-type]


def test_the_cli_recodes_and_resizes_for_the_owner(cli, project_dir) -> None:
    with Project.open(project_dir) as p:
        _, c = _ann_coding(p)
    recoded = cli("codings", "recode", str(c.id), "bemanning", "--coder", "ann", "--json")
    assert recoded.exit_code == 0, recoded.output
    assert json.loads(recoded.output)["code"] == "bemanning"
    resized = cli("codings", "resize", str(c.id), "--start", str(c.start + 3), "--coder", "ann")
    assert resized.exit_code == 0, resized.output
    with Project.open(project_dir) as p:
        saved = p.store.codings.get(c.id)  # type: ignore[arg-type]
        assert saved is not None and saved.quote == QUOTE[3:]
        assert saved.code == "bemanning"


async def test_the_workspace_refuses_another_coders_coding(project_dir) -> None:
    with Project.open(project_dir) as p:
        _, c = _ann_coding(p)
        app = QualcodeApp(p, "bo", "liten-9")
        async with app.run_test(size=(140, 45)) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, TranscriptScreen)
            await pilot.press("b")  # see the other coders' codings too
            await pilot.pause()
            assert c.id in {v.id for v in screen.session.visible()}
            screen.view.cursor = c.start
            await pilot.press("x")  # remove: there is no coding of bo's here
            await pilot.pause()
            for change in (
                lambda: screen.session.remove(c),
                lambda: screen.session.set_memo(c, "mitt"),
                lambda: screen.session.place(c, c.start, c.end),
            ):
                with pytest.raises(QualcodeError, match="belongs to ann"):
                    change()
        assert p.store.codings.get(c.id) == c  # type: ignore[arg-type]

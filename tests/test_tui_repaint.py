"""The workspace repaints what a coding changed, and no more (counted, never timed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.project import Project
from qualcode.tui.app import QualcodeApp
from qualcode.tui.widgets.codebook_tree import CodebookTree
from tests.test_tui import SIZE, TID, make_project, screen


@pytest.fixture
def project(tmp_path: Path):
    p = make_project(tmp_path)
    yield p
    p.close()


def _label(tree: CodebookTree, code_id: str) -> str:
    node = tree._shown[code_id][0]
    return str(node.label)


async def test_applying_a_code_updates_its_count_in_place(project: Project, monkeypatch) -> None:
    counted: list[str | None] = []
    original = type(project.store.codings).counts

    def counting(self, coder=None):  # type: ignore[no-untyped-def]
        counted.append(coder)
        return original(self, coder)

    monkeypatch.setattr(type(project.store.codings), "counts", counting)
    theme = project.guide.themes[0].id
    app = QualcodeApp(project, "tester", TID)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        s = screen(app)
        tree = s.query_one(CodebookTree)
        fills, queries = tree.fills, len(counted)
        assert _label(tree, theme).split()[1] == "0"
        await pilot.press("n", "1")
        await pilot.pause()
        assert [c.code for c in project.store.codings.all(coder="tester")] == [theme]
        assert tree.fills == fills and len(counted) == queries  # no rebuild, no recount
        assert _label(tree, theme).split()[1] == "1"
        assert project.store.codings.counts("tester")[theme] == 1  # what the label says
        await pilot.press("x")  # removing it takes the count back, in place too
        await pilot.pause()
        assert tree.fills == fills and _label(tree, theme).split()[1] == "0"
        await pilot.press("u")  # undo recounts from the store (rare, and always right)
        await pilot.pause()
        assert _label(tree, theme).split()[1] == "1"


async def test_the_confirmation_is_in_the_title_line_not_a_toast(project: Project) -> None:
    app = QualcodeApp(project, "tester", TID)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n", "1")
        await pilot.pause()
        s = screen(app)
        # the move to the turn (n) is said in the title line too, then the coding
        assert [m[:7] for m in s.confirmations] == ["Kreftko", "Coded: "]
        assert not [n for n in app._notifications if n.message.startswith("Coded")]
        assert "✓ Coded: " in str(s.query_one("#title").render())


def test_word_count_is_computed_once_per_text(project: Project, monkeypatch) -> None:
    t = project.store.transcripts.get(TID)
    splits = [0]
    text_type = type(t.text)
    assert t.words == len(t.text.split())

    class CountingText(text_type):  # type: ignore[misc,valid-type]
        def split(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            splits[0] += 1
            return super().split(*args, **kwargs)

    t.text = CountingText(t.text)
    assert t.words == t.words == t.words and splits[0] == 1
    t.text = CountingText(t.text + " ett ord til")  # a new text is counted afresh
    assert t.words == len(str(t.text).split()) and splits[0] == 2

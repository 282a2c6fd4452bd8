"""Rows that need a process of their own: the command line (cold and warm), first searches
in a fresh process, the workspace under Pilot, and peak memory."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.corpus import CODERS
from benchmarks.measure import Pairs, Row, from_samples, timed
from qualcode.project import Project

REPO = Path(__file__).resolve().parent.parent
BIG_ID = "lang-intervju"
FLOOR_CLI = "python -c 'import click, sqlite3, yaml'"


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(REPO)
    return env


def _clear_bytecode() -> None:
    for cache in (REPO / "qualcode").rglob("__pycache__"):
        shutil.rmtree(cache, ignore_errors=True)


def _run(args: list[str]) -> None:
    subprocess.run(args, env=_env(), capture_output=True, check=True, cwd="/")


def cli_rows(root: Path, n: int) -> list[Row]:
    """``qualcode --help``, ``status`` and ``agreement`` in a fresh process, beside a Python
    that imports click, sqlite3 and yaml. Cold: qualcode's bytecode cache was just removed
    (the first start after an install or upgrade); warm: every start after that."""
    exe = [sys.executable, "-m", "qualcode", "--project", str(root)]
    floor = [sys.executable, "-c", "import click, sqlite3, yaml"]
    commands = {
        "--help": ["--help"],
        "status": ["status"],
        "agreement (analysed project)": ["agreement", "--coders", *CODERS],
    }
    rows = []
    for label, args in commands.items():
        _run(exe + args)  # the analyses and the guide check are done once, before timing
        for cold in (True, False):
            pairs = Pairs()
            for _ in range(n):
                if cold:
                    _clear_bytecode()
                pairs.values.append(timed(lambda a=args: _run(exe + a)))
                pairs.floors.append(timed(lambda: _run(floor)))
            rows.append(
                pairs.row(
                    f"qualcode {label}, {'cold' if cold else 'warm'} start",
                    None,
                    FLOOR_CLI,
                )
            )
    _run(exe + ["status"])  # leave the bytecode in place
    return rows


FIRST_SEARCH = """
import sys, time
sys.path.insert(0, sys.argv[1])
from qualcode.project import Project
root, mode, query, floor = sys.argv[2:6]
with Project.open(root) as project:
    t0 = time.perf_counter()
    if floor == "floor":
        column = "lemmas" if mode == "lemma" else "content"
        project.store.conn.execute(
            "SELECT transcript_id, idx, content FROM turns_fts WHERE turns_fts MATCH ?",
            [f'{column} : ("{query}")']).fetchall()
    else:
        from qualcode.search import search
        search(project, query, mode)
    print(time.perf_counter() - t0)
"""


def first_search_rows(root: Path, queries: dict[str, str], n: int) -> list[Row]:
    """The first search of a process (lemma tables, vocabulary and dictionaries load then),
    beside the first raw FTS5 query of a process for the same word."""
    rows = []
    for mode, query in queries.items():

        def child(which: str, m: str = mode, q: str = query) -> float:
            out = subprocess.run(
                [sys.executable, "-c", FIRST_SEARCH, str(REPO), str(root), m, q, which],
                env=_env(),
                capture_output=True,
                text=True,
                check=True,
            )
            return float(out.stdout.strip().splitlines()[-1])

        values, floors = [], []
        for _ in range(n):
            values.append(child("search"))
            floors.append(child("floor"))
        rows.append(
            from_samples(values, floors).row(
                f"search {mode} '{query}', first in a fresh process",
                None,
                "first raw FTS5 query of a process",
            )
        )
    return rows


def tui_apply_row(root: Path, n: int) -> Row:
    """Key action to committed and repainted, for a coder with their own codings in view,
    interleaved with a clean cursor move (a move timed after the screen has settled)."""
    from qualcode.tui.app import QualcodeApp
    from qualcode.tui.screens.transcript import TranscriptScreen

    coder = CODERS[0]

    async def repainted(screen: TranscriptScreen) -> None:
        done = asyncio.Event()
        screen.call_after_refresh(done.set)
        await done.wait()

    async def go() -> tuple[list[float], list[float], int]:
        with Project.open(root) as project:
            before = {c.id for c in project.store.codings.all(coder=coder)}
            app = QualcodeApp(project, coder, BIG_ID)
            applied, moved, in_view = [], [], 0
            async with app.run_test(size=(160, 50)) as pilot:
                while not isinstance(app.screen, TranscriptScreen):
                    await pilot.pause()
                await pilot.pause()
                screen = app.screen
                assert isinstance(screen, TranscriptScreen)
                in_view = len(screen.session.visible())
                for _ in range(n):
                    screen.action_next_uncoded(True)
                    await pilot.pause(0.2)  # settle: no repaint of the move is left over
                    t0 = time.perf_counter()
                    screen.action_theme(0)
                    await repainted(screen)
                    applied.append(time.perf_counter() - t0)
                    await pilot.pause(0.2)
                    t0 = time.perf_counter()
                    screen.view.action_move("char", 1)
                    await repainted(screen)
                    moved.append(time.perf_counter() - t0)
            for c in project.store.codings.all(coder=coder):
                if c.id not in before and c.id is not None:
                    project.store.codings.remove(c.id, coder)
            return applied, moved, in_view

    applied, moved, in_view = asyncio.run(go())
    return from_samples(applied, moved).row(
        f"apply a code in the TUI, key to repainted ({in_view} own codings shown)",
        0.050,
        "clean cursor move, key to repainted",
    )


def tui_open_row(root: Path, n: int) -> Row:
    from textual.app import App, ComposeResult
    from textual.widgets import TextArea

    from qualcode.tui.app import QualcodeApp
    from qualcode.tui.screens.transcript import TranscriptScreen

    with Project.open(root) as project:
        text = project.store.transcripts.get(BIG_ID).text

    async def open_tui() -> float:
        with Project.open(root) as project:
            t0 = time.perf_counter()
            app = QualcodeApp(project, CODERS[0], BIG_ID)
            async with app.run_test(size=(160, 50)) as pilot:
                while not isinstance(app.screen, TranscriptScreen):
                    await pilot.pause()
                await pilot.pause()
                return time.perf_counter() - t0

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield TextArea(text, read_only=True)

    async def open_bare() -> float:
        t0 = time.perf_counter()
        async with Bare().run_test(size=(160, 50)) as pilot:
            await pilot.pause()
            return time.perf_counter() - t0

    values, floors = [], []
    for _ in range(n):
        values.append(asyncio.run(open_tui()))
        floors.append(asyncio.run(open_bare()))
    return from_samples(values, floors).row(
        "open 15,000-word transcript, 500 codings (Pilot)",
        0.300,
        "bare Textual TextArea, same text",
    )


MEMORY_CHILD = """
import asyncio, sys
sys.path.insert(0, sys.argv[3])
root, which = sys.argv[1], sys.argv[2]
from textual.app import App
from textual.widgets import TextArea
from qualcode.project import Project
async def main():
    project = Project.open(root)
    if which == "tui":
        from qualcode.tui.app import QualcodeApp
        from qualcode.tui.screens.transcript import TranscriptScreen
        app = QualcodeApp(project, "koder-a", "lang-intervju")
        async with app.run_test(size=(160, 50)) as pilot:
            while not isinstance(app.screen, TranscriptScreen):
                await pilot.pause()
            for key in ("n", "1", "pagedown", "pagedown", "q", "s", *"pårørende", "enter",
                        "escape"):
                await pilot.press(key)
                await pilot.pause()
    else:
        text = project.store.transcripts.get("lang-intervju").text
        class Bare(App):
            def compose(self):
                yield TextArea(text, read_only=True)
        async with Bare().run_test(size=(160, 50)) as pilot:
            await pilot.pause()
asyncio.run(main())
with open("/proc/self/status") as status:
    peak_kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
print(peak_kb / 1024)
"""


def memory_row(root: Path) -> Row:
    """Peak resident memory (VmHWM): the TUI on the corpus (coding, paging, a lemma search)
    vs a bare Textual app showing the same transcript."""

    def peak(which: str) -> float:
        out = subprocess.run(
            [sys.executable, "-c", MEMORY_CHILD, str(root), which, str(REPO)],
            capture_output=True,
            text=True,
            check=True,
            env=_env(),
        )
        return float(out.stdout.strip().splitlines()[-1])

    tui, bare = peak("tui"), peak("bare")
    return Row(
        "peak memory of the TUI on this corpus",
        400,
        tui,
        "bare Textual app (TextArea)",
        bare,
        tui / bare,
        unit="MB",
        pairs=1,
    )

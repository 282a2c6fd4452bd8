"""The benchmark: ``python -m benchmarks.run [--small] [--transcripts N --words W ...]``.

Builds the synthetic corpus (benchmarks/corpus.py) in a temporary folder, then times each
operation of the issue's budget table, each beside a floor measured in the same run on the
same data: the cost of the underlying library doing the bare minimum. Prints medians, the
ratio to the floor and whether the budget is met. An operation whose module has not landed
yet prints "n/a — not built yet".
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.corpus import CODERS, Corpus, build, demo_sentences, transcript_text
from qualcode.model import INFORMANT, Coding
from qualcode.project import Project

LANG = "nb"
BIG_ID = "lang-intervju"


@dataclass
class Row:
    name: str
    budget: float | None  # seconds (or MB for memory)
    value: float | None
    floor_name: str = ""
    floor: float | None = None
    unit: str = "s"
    note: str = ""


def have(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def median_time(
    fn: Callable[[], object], repeat: int, setup: Callable[[], object] | None = None
) -> float:
    times = []
    for _ in range(repeat):
        if setup:
            setup()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


# -- the operations ------------------------------------------------------------------------


def bench_import(corpus: Corpus, work: Path, repeat: int) -> tuple[Row, Path]:
    """Import every transcript with sentences and lemmas, into a fresh project each time."""
    from qualcode.analysis import ensure_analysis
    from qualcode.nlp import get_nlp

    project_root = work / "project"

    def fresh() -> None:
        shutil.rmtree(project_root, ignore_errors=True)
        shutil.copytree(corpus.root, project_root, ignore=shutil.ignore_patterns("codings.csv"))

    def run() -> None:
        with Project.open(project_root) as project:
            ensure_analysis(project, project.store.transcripts(), LANG)

    value = median_time(run, repeat, fresh)
    with Project.open(project_root) as project:
        texts = [t.text[u.start : u.end] for t in project.store.transcripts() for u in t.turns]
    nlp = get_nlp(LANG)
    floor = median_time(lambda: sum(1 for _ in nlp.pipe(texts, batch_size=256)), repeat)
    return Row(
        f"import {len(corpus.files)} transcripts, sentences + lemmas",
        60,
        value,
        "spaCy nlp.pipe, same texts",
        floor,
    ), project_root


def load_codings(corpus: Corpus, root: Path) -> Row:
    from qualcode.codings_io import apply_codings_import, plan_codings_import, read_rows

    with Project.open(root) as project:
        t0 = time.perf_counter()
        plan = plan_codings_import(
            project.store, read_rows(corpus.codings_csv), str(corpus.codings_csv)
        )
        assert not plan.problems, plan.problems[:3]
        apply_codings_import(project.store, plan, actor="benchmark")
        value = time.perf_counter() - t0
    return Row(f"import {len(corpus.codings):,} codings (CSV), one transaction", None, value)


def bench_apply(root: Path, repeat: int) -> Row:
    """store.add_coding (one BEGIN IMMEDIATE ... COMMIT, synchronous=FULL) per keystroke."""
    n = max(20, repeat * 10)
    with Project.open(root) as project:
        store = project.store
        t = store.transcript(store.transcript_ids()[0])
        code = store.codes()[0].id
        spans = [(u.start, min(u.end, u.start + 40)) for u in t.turns if u.role == INFORMANT]
        made: list[int] = []

        def apply() -> None:
            s, e = spans[len(made) % len(spans)]
            c = store.add_coding(Coding(t.id, s, e, code, "bench", quote=t.text[s:e]))
            assert c.id is not None
            made.append(c.id)

        value = median_time(apply, n)
        for cid in made:
            store.remove_coding(cid, "bench")
    conn = sqlite3.connect(root / "qualcode.db", isolation_level=None)
    conn.execute("PRAGMA synchronous=FULL")

    def raw() -> None:
        conn.execute("BEGIN")
        conn.execute(
            'INSERT INTO codings (transcript_id, start, "end", code_id, coder, quote, '
            "text_hash, memo, status, created, updated) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (t.id, 0, 5, code, "bench", t.text[:5], "", "", "ok", "x", "x"),
        )
        conn.execute("COMMIT")

    floor = median_time(raw, n)
    conn.execute("DELETE FROM codings WHERE coder = 'bench'")
    conn.close()
    return Row(
        "apply a code (store.add_coding, committed)",
        0.050,
        value,
        "one raw SQLite insert + commit",
        floor,
    )


def bench_apply_tui(root: Path, repeat: int) -> Row:
    """Keystroke to committed and repainted, without Pilot's own key-simulation waits.

    The theme key's action (apply theme 1 to the sentence at the cursor: SQLite commit,
    styles, side panel, codebook counts) runs, then we wait until the screen has been
    repainted. The floor is the same path for a cursor move (one repaint, no data).
    """
    from qualcode.tui.app import QualcodeApp
    from qualcode.tui.screens.transcript import TranscriptScreen

    async def repainted(screen: TranscriptScreen) -> None:
        done = asyncio.Event()
        screen.call_after_refresh(done.set)
        await done.wait()

    async def go() -> tuple[list[float], list[float]]:
        with Project.open(root) as project:
            app = QualcodeApp(project, "bench-tui", BIG_ID)
            applied, moved = [], []
            async with app.run_test(size=(160, 50)) as pilot:
                while not isinstance(app.screen, TranscriptScreen):
                    await pilot.pause()
                await pilot.pause()
                screen = app.screen
                assert isinstance(screen, TranscriptScreen)
                for _ in range(max(9, repeat * 2)):
                    screen.action_next_uncoded(True)
                    await pilot.pause()
                    before = len(project.store.codings(coder="bench-tui"))
                    t0 = time.perf_counter()
                    screen.action_theme(0)
                    await repainted(screen)
                    applied.append(time.perf_counter() - t0)
                    if len(project.store.codings(coder="bench-tui")) != before + 1:
                        raise RuntimeError("theme 1 applied no code")
                    t0 = time.perf_counter()
                    screen.view.action_move("char", 1)
                    await repainted(screen)
                    moved.append(time.perf_counter() - t0)
            for c in project.store.codings(coder="bench-tui"):
                assert c.id is not None
                project.store.remove_coding(c.id, "bench")
            return applied, moved

    applied, moved = asyncio.run(go())
    return Row(
        "apply a code in the TUI: action to committed and repainted",
        0.050,
        statistics.median(applied),
        "cursor move, action to repainted",
        statistics.median(moved),
    )


def bench_agreement(root: Path, repeat: int) -> Row:
    from qualcode.agreement.inputs import agreement_report

    with Project.open(root) as project:
        store = project.store
        agreement_report(store, LANG, *CODERS, unit="sentence")  # warm the sentence cache once
        value = median_time(lambda: agreement_report(store, LANG, *CODERS, unit="sentence"), repeat)
        floor = median_time(lambda: store.conn.execute("SELECT * FROM codings").fetchall(), repeat)
    return Row(
        "agreement, two coders, sentence units, whole corpus",
        2.0,
        value,
        "reading the codings from SQLite",
        floor,
    )


def bench_search(root: Path, repeat: int) -> list[Row]:
    """A common word (every transcript says it, many times) and a typical one; every hit (the
    CLI) and, for the common word, the first 500 (what the TUI's search screen asks for)."""
    from qualcode.search import search
    from qualcode.tui.screens.search import SHOWN

    rows = []
    with Project.open(root) as project:
        for warm in ("pårørende", "legevakten"):  # lemma tables and dictionaries load once
            search(project, warm, "lemma")
        conn = project.store.conn
        floor = median_time(
            lambda: conn.execute(
                "SELECT transcript_id, idx FROM turns_fts WHERE turns_fts MATCH ?", ['"pårørende"']
            ).fetchall(),
            repeat,
        )
        cases = (
            ("exact", "pårørende", "legevakt", 0.050),
            ("lemma", "pårørende", "legevakt", 0.200),
            ("fuzzy", "pårørnde", "legevkat", 1.0),
        )
        for mode, common, typical, budget in cases:
            for query, limit in ((common, None), (common, SHOWN), (typical, None)):
                hits: list[int] = []
                value = median_time(
                    lambda m=mode, q=query, h=hits, n=limit: h.append(
                        len(search(project, q, m, limit=n))
                    ),
                    repeat,
                )
                what = f"{hits[-1]:,} hits" if limit is None else f"first {SHOWN}, TUI"
                rows.append(
                    Row(
                        f"search {mode} '{query}' ({what})",
                        budget,
                        value,
                        "raw FTS5 query, common word",
                        floor,
                    )
                )
    return rows


def bench_exports(root: Path, repeat: int) -> list[Row]:
    from qualcode import report
    from qualcode.exporters import docx, tables

    with Project.open(root) as project:
        store, guide = project.store, project.guide
        assert guide is not None
        coder = report.select_coders(store, CODERS[0])
        summaries = median_time(
            lambda: docx.summaries_docx(report.build_summaries(store, guide, coder)), repeat
        )
        matrix = median_time(
            lambda: tables.matrix_xlsx(report.build_matrix(store, guide, coder), guide.case_label),
            repeat,
        )
    return [Row("export summaries (docx)", 10, summaries), Row("export matrix (xlsx)", 10, matrix)]


def add_big_transcript(root: Path, words: int = 15_000, codings: int = 500) -> None:
    """The 15,000-word transcript with 500 codings the TUI budget speaks of."""
    from benchmarks.corpus import informant_sentences

    rng = random.Random(15)
    path = root / f"{BIG_ID}.md"
    path.write_text(transcript_text(rng, demo_sentences(), 9999, words), encoding="utf-8")
    with Project.open(root) as project:
        project.import_paths([path])
        t = project.store.transcript(BIG_ID)
        spans = [
            s
            for u in t.turns
            if u.role == INFORMANT
            for s in informant_sentences(t.text, u.start, u.end)
        ]
        codes = [c.id for c in project.store.codes()]
        picks = [(rng.choice(spans), rng.choice(codes), CODERS[i % 2]) for i in range(codings)]
        project.store.add_codings(
            Coding(t.id, s, e, code, coder, quote=t.text[s:e]) for (s, e), code, coder in picks
        )


def bench_tui_open(root: Path, repeat: int) -> Row:
    from textual.app import App, ComposeResult
    from textual.widgets import TextArea

    from qualcode.tui.app import QualcodeApp
    from qualcode.tui.screens.transcript import TranscriptScreen

    with Project.open(root) as project:
        text = project.store.transcript(BIG_ID).text

    async def open_tui() -> float:
        with Project.open(root) as project:
            t0 = time.perf_counter()
            app = QualcodeApp(project, CODERS[0], BIG_ID)
            async with app.run_test(size=(160, 50)) as pilot:
                while not isinstance(app.screen, TranscriptScreen):
                    await pilot.pause()
                await pilot.pause()  # mounted, laid out and painted once
                return time.perf_counter() - t0

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield TextArea(text, read_only=True)

    async def open_bare() -> float:
        t0 = time.perf_counter()
        async with Bare().run_test(size=(160, 50)) as pilot:
            await pilot.pause()
            return time.perf_counter() - t0

    value = statistics.median(asyncio.run(open_tui()) for _ in range(repeat))
    floor = statistics.median(asyncio.run(open_bare()) for _ in range(repeat))
    return Row(
        "open 15,000-word transcript, 500 codings (Pilot)",
        0.300,
        value,
        "bare Textual TextArea, same text",
        floor,
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
            # Code, scroll, go home, run a lemma search over the corpus (the lemma tables
            # load), come back: what a coding session touches.
            for key in ("n", "1", "pagedown", "pagedown", "q", "s", *"pårørende", "enter",
                        "escape"):
                await pilot.press(key)
                await pilot.pause()
    else:
        text = project.store.transcript("lang-intervju").text
        class Bare(App):
            def compose(self):
                yield TextArea(text, read_only=True)
        async with Bare().run_test(size=(160, 50)) as pilot:
            await pilot.pause()
asyncio.run(main())
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the forking parent across exec,
# so a child started by this (large) benchmark process would report the parent's peak.
with open("/proc/self/status") as status:
    peak_kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
print(peak_kb / 1024)
"""


def bench_memory(root: Path) -> Row:
    """Peak resident memory (VmHWM) of a process: the TUI on the corpus vs a bare app."""
    repo = str(Path(__file__).resolve().parent.parent)

    def peak(which: str) -> float:
        out = subprocess.run(
            [sys.executable, "-c", MEMORY_CHILD, str(root), which, repo],
            capture_output=True,
            text=True,
            check=True,
        )
        return float(out.stdout.strip().splitlines()[-1])

    return Row(
        "peak memory of the TUI on this corpus",
        400,
        peak("tui"),
        "bare Textual app (TextArea)",
        peak("bare"),
        unit="MB",
    )


# -- the runner ----------------------------------------------------------------------------


def print_table(rows: list[Row]) -> None:
    head = ("operation", "budget", "median", "floor (same run)", "floor", "ratio", "verdict")
    lines = [head]
    for r in rows:
        if r.value is None:
            lines.append(
                (r.name, _fmt(r.budget, r.unit), r.note or "n/a — not built yet", "", "", "", "")
            )
            continue
        ratio = f"{r.value / r.floor:.1f}×" if r.floor else "—"
        verdict = "—" if r.budget is None else ("ok" if r.value <= r.budget else "MISS")
        lines.append(
            (
                r.name,
                _fmt(r.budget, r.unit),
                _fmt(r.value, r.unit),
                r.floor_name,
                _fmt(r.floor, r.unit),
                ratio,
                verdict,
            )
        )
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(head))]
    for i, line in enumerate(lines):
        print("  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)).rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n")[0])
    p.add_argument("--transcripts", type=int, default=300)
    p.add_argument("--words", type=int, default=8000)
    p.add_argument("--codings", type=int, default=30_000)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument(
        "--import-repeat",
        type=int,
        default=1,
        help="runs of the (slow) import; the others use --repeat",
    )
    p.add_argument(
        "--small", action="store_true", help="20 transcripts × 2,000 words, 2,000 codings"
    )
    p.add_argument("--keep", type=Path, help="build the corpus here and keep it")
    args = p.parse_args(argv)
    if args.small:
        args.transcripts, args.words, args.codings = 20, 2000, 2000
    work = args.keep or Path(tempfile.mkdtemp(prefix="qualcode-bench-"))
    rows: list[Row] = []
    try:
        t0 = time.perf_counter()
        corpus = build(work / "corpus", args.transcripts, args.words, args.codings)
        print(
            f"corpus: {len(corpus.files)} transcripts, {corpus.words:,} words, "
            f"{len(corpus.codings):,} codings by 2 coders ({time.perf_counter() - t0:.1f} s "
            f"to generate) in {work}",
            flush=True,
        )
        steps: list[tuple[str, str, Callable[[], list[Row] | Row]]] = []
        row, root = bench_import(corpus, work, args.import_repeat)
        rows.append(row)
        rows.append(load_codings(corpus, root))
        add_big_transcript(root)
        steps = [
            ("apply", "qualcode.store", lambda: bench_apply(root, args.repeat)),
            ("apply-tui", "qualcode.tui.app", lambda: bench_apply_tui(root, args.repeat)),
            ("agreement", "qualcode.consensus.walk", lambda: bench_agreement(root, args.repeat)),
            ("search", "qualcode.search", lambda: bench_search(root, args.repeat)),
            ("exports", "qualcode.exporters.docx", lambda: bench_exports(root, args.repeat)),
            ("tui-open", "qualcode.tui.app", lambda: bench_tui_open(root, args.repeat)),
            ("memory", "qualcode.tui.app", lambda: bench_memory(root)),
        ]
        for name, module, fn in steps:
            print(f"… {name}", file=sys.stderr, flush=True)
            if not have(module):
                rows.append(Row(name, None, None))
                continue
            try:
                got = fn()
            except Exception as err:  # one broken operation must not hide the others' figures
                rows.append(Row(name, None, None, note=f"failed: {type(err).__name__}: {err}"[:90]))
                continue
            rows.extend(got if isinstance(got, list) else [got])
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print_table(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

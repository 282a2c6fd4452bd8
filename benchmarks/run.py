"""The benchmark: ``python -m benchmarks.run [--small] [--transcripts N --words W ...]``.

Builds a synthetic corpus (benchmarks/corpus.py: the demo study's sentences mixed with
Zipf-distributed sentences over ~50,000 inflected Norwegian word forms) at three sizes,
and times each operation of the issue's budget table interleaved with its own floor (see
benchmarks/measure.py). Prints the table at the largest size, then the growth of every
operation that depends on the corpus, as a slope across the three sizes.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import shutil
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from benchmarks import process_rows as proc
from benchmarks.corpus import CODERS, Corpus, build, demo_sentences, transcript_text
from benchmarks.measure import Pairs, Row, interleaved, print_growth, print_table, timed
from qualcode.model import INFORMANT, Coding
from qualcode.project import Project
from qualcode.study import StudyParts

LANG = "nb"
BIG_ID = proc.BIG_ID


# -- import and sentences --------------------------------------------------------------------
def bench_import(corpus: Corpus, work: Path, n: int) -> tuple[Row, Path]:
    """Every transcript imported with sentences and lemmas into a fresh project, vs the
    same turn texts through spaCy's nlp.pipe (tokenizer and its own sentencizer)."""
    import spacy

    root = work / "project"

    def fresh() -> None:
        shutil.rmtree(root, ignore_errors=True)
        shutil.copytree(corpus.root, root, ignore=shutil.ignore_patterns("codings.csv"))

    def run() -> None:
        Project.open(root).close()  # a first open imports and analyses transcripts/

    nlp = spacy.blank(LANG)
    nlp.add_pipe("sentencizer")
    texts: list[str] = []

    def floor() -> None:
        sum(1 for _ in nlp.pipe(texts, batch_size=256))

    pairs = Pairs()
    for _ in range(n):
        fresh()
        pairs.values.append(timed(run))
        if not texts:  # the turns as the import cut them
            with Project.open(root) as project:
                texts.extend(
                    t.text[u.start : u.end]
                    for t in project.store.transcripts.all()
                    for u in t.turns
                )
        pairs.floors.append(timed(floor))
    row = pairs.row(
        f"import {len(corpus.files)} transcripts, sentences + lemmas",
        60,
        "spaCy nlp.pipe + sentencizer, same texts",
        key="import the corpus",
    )
    return row, root


def bench_long_turn(words: int, n: int) -> Row:
    """One turn without speaker labels: qualcode's sentencizer vs spaCy's own, same text."""
    import spacy

    from qualcode.nlp import sentence_spans

    rng = random.Random(words)
    sentences = demo_sentences()
    text = " ".join(rng.choice(sentences) for _ in range(words // 12))
    nlp = spacy.blank(LANG)
    nlp.add_pipe("sentencizer")
    pairs = interleaved(lambda: sentence_spans(text, LANG), lambda: list(nlp(text).sents), n)
    return pairs.row(
        f"sentences of one {len(text.split()):,}-word turn",
        None,
        "spaCy blank + sentencizer, same text",
        key="sentences of one long turn",
    )


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
    return Row(
        f"import {len(corpus.codings):,} codings (CSV), one transaction",
        None,
        value,
        pairs=1,
        key="import the codings",
    )


# -- in-process operations ------------------------------------------------------------------
def bench_apply(root: Path, n: int) -> Row:
    """store.codings.add (BEGIN IMMEDIATE … COMMIT, synchronous=FULL) vs one raw insert."""
    with Project.open(root) as project:
        store = project.store
        t = store.transcripts.get(BIG_ID)
        code = store.codes.all()[0].id
        spans = [(u.start, min(u.end, u.start + 40)) for u in t.turns if u.role == INFORMANT]
        made: list[int] = []
        conn = sqlite3.connect(root / "qualcode.db", isolation_level=None)
        conn.execute("PRAGMA synchronous=FULL")

        def apply() -> None:
            s, e = spans[len(made) % len(spans)]
            c = store.codings.add(Coding(t.id, s, e, code, "bench", quote=t.text[s:e]))
            assert c.id is not None
            made.append(c.id)

        raws: list[int] = []

        def raw() -> None:
            # A span of its own each time: the store keeps one coding per coder, code and
            # span (a unique index), so the same row twice would be refused.
            at = len(raws)
            conn.execute("BEGIN")
            conn.execute(
                'INSERT INTO codings (transcript_id, start, "end", code_id, coder, quote, '
                "text_hash, memo, status, created, updated) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (t.id, at, at + 5, code, "bench", t.text[at : at + 5], "", "", "ok", "x", "x"),
            )
            conn.execute("COMMIT")
            raws.append(at)

        pairs = interleaved(apply, raw, max(20, n * 4))
        for cid in made:
            store.codings.remove(cid, "bench")
        conn.execute("DELETE FROM codings WHERE coder = 'bench'")
        conn.close()
    return pairs.row(
        "apply a code (store.add_coding, committed)", 0.050, "one raw SQLite insert + commit"
    )


def bench_agreement(root: Path, n: int) -> Row:
    from qualcode.agreement.inputs import agreement_report

    with Project.open(root) as project:
        store = project.store
        study = StudyParts(store, language=LANG)
        agreement_report(study, *CODERS, unit="sentence")  # sentences cached once
        pairs = interleaved(
            lambda: agreement_report(study, *CODERS, unit="sentence"),
            lambda: store.conn.execute("SELECT * FROM codings").fetchall(),
            n,
        )
    return pairs.row(
        "agreement, two coders, sentence units, whole corpus",
        2.0,
        "reading the codings from SQLite",
        key="agreement",
    )


def common_words(root: Path) -> tuple[str, str]:
    """The corpus's most frequent content word (not a stop word) and a word about a tenth
    as frequent: the two a researcher is likeliest to search for."""
    from qualcode.nlp import stop_words

    stops = stop_words(LANG)
    counts: Counter[str] = Counter()
    with Project.open(root) as project:
        for tid in project.store.transcripts.ids()[:30]:
            t = project.store.transcripts.get(tid)
            for turn in t.turns:  # what is said: speaker labels are not searched
                text = t.text[turn.start : turn.end].lower()
                counts.update(w for w in re.findall(r"\w+", text) if w not in stops and len(w) > 3)
    ranked = [w for w, _ in counts.most_common()]
    top = counts[ranked[0]]
    typical = next((w for w in ranked if counts[w] <= top / 10), ranked[-1])
    return ranked[0], typical


def _typo(word: str) -> str:
    i = len(word) // 2
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def bench_search(root: Path, n: int, common: str, typical: str) -> list[Row]:
    """Exact, lemma and fuzzy search, each beside the raw index doing the same query."""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    from qualcode.folding import fold
    from qualcode.lemmas import lemmatize_word
    from qualcode.search import _vocabulary, max_typos, search
    from qualcode.tui.screens.search import SHOWN

    rows = []
    with Project.open(root) as project:
        store, conn = project.store, project.store.conn
        for warm in (common, typical):
            search(project, warm, "lemma")
            search(project, _typo(warm), "fuzzy")

        def raw(column: str, match: str) -> Callable[[], object]:
            sql = (
                "SELECT transcript_id, idx, speaker, role, start, content"
                + (", lemmas, spans" if column == "lemmas" else "")
                + " FROM turns_fts WHERE turns_fts MATCH ?"
            )
            return lambda: conn.execute(sql, [f"{column} : ({match})"]).fetchall()

        keys = list(_vocabulary(store))
        for word in (common, typical):
            lemma = lemmatize_word(word, LANG)
            typo = fold(_typo(word))

            def fuzzy_floor(t: str = typo, w: str = word) -> None:
                process.extract(t, keys, scorer=OSA.distance, score_cutoff=max_typos(t), limit=None)
                raw("content", f'"{w}"')()

            cases = [
                ("exact", word, 0.150, raw("content", f'"{word}"')),
                ("lemma", word, 0.200, raw("lemmas", f'("{lemma}" OR "{word}")')),
                ("fuzzy", _typo(word), 1.0, fuzzy_floor),
            ]
            for mode, query, budget, floor in cases:
                limits = (None, SHOWN) if word == common else (None,)
                for limit in limits:
                    hits: list[int] = []
                    pairs = interleaved(
                        lambda m=mode, q=query, h=hits, k=limit: h.append(
                            len(search(project, q, m, limit=k))
                        ),
                        floor,
                        n,
                    )
                    what = f"{hits[-1]:,} hits" if limit is None else f"first {SHOWN}, TUI"
                    first = limit is not None and mode == "exact"
                    rows.append(
                        pairs.row(
                            f"search {mode} '{query}' ({what})",
                            0.050 if first else budget,
                            f"raw FTS5{' + rapidfuzz' if mode == 'fuzzy' else ''}, same query",
                            key=f"search {mode} {'common' if word == common else 'typical'}"
                            + (" first screen" if limit else ""),
                        )
                    )
    return rows


def bench_exports(root: Path, n: int) -> list[Row]:
    """Every export kind in every format, as `qualcode export` builds its bytes."""
    from qualcode.exporters import KINDS, ExportRequest

    rows = []
    with Project.open(root) as project:
        for kind in KINDS.values():
            request = (
                ExportRequest(coders=CODERS, unit="sentence")
                if kind.name == "agreement"
                else ExportRequest(coder=CODERS[0] if kind.name not in ("qdpx", "qdc") else None)
            )
            for fmt, write in kind.formats.items():
                name = f"export {kind.name} ({fmt})"
                try:
                    pairs = interleaved(lambda w=write, r=request: w(project, r), None, n)
                except Exception as err:  # one failing export must not hide the others
                    rows.append(Row(name, 10, None, note=f"failed: {err}"[:80]))
                    continue
                rows.append(pairs.row(name, 10, key=f"export {kind.name} {fmt}"))
    return rows


def add_big_transcript(root: Path, words: int = 15_000, codings: int = 500) -> None:
    """The 15,000-word transcript with 500 codings (half by each coder) of the TUI budget."""
    from benchmarks.corpus import informant_sentences

    rng = random.Random(15)
    path = root / f"{BIG_ID}.md"
    path.write_text(transcript_text(rng, demo_sentences(), 9999, words), encoding="utf-8")
    with Project.open(root) as project:
        project.import_paths([path])
        t = project.store.transcripts.get(BIG_ID)
        spans = [
            s
            for u in t.turns
            if u.role == INFORMANT
            for s in informant_sentences(t.text, u.start, u.end)
        ]
        codes = [c.id for c in project.store.codes.all()]
        # Distinct picks: the store keeps one coding per coder, code and span (a repeated
        # pick was refused and stopped the whole benchmark).
        chosen: dict[tuple[tuple[int, int], str, str], None] = {}
        while len(chosen) < codings:
            chosen[(rng.choice(spans), rng.choice(codes), CODERS[len(chosen) % 2])] = None
        picks = list(chosen)
        project.store.codings.add_many(
            Coding(t.id, s, e, code, coder, quote=t.text[s:e]) for (s, e), code, coder in picks
        )


# -- the runner ----------------------------------------------------------------------------
def run_size(args: argparse.Namespace, work: Path, transcripts: int, full: bool) -> list[Row]:
    codings = args.codings * transcripts // args.transcripts
    t0 = time.perf_counter()
    corpus = build(work / "corpus", transcripts, args.words, codings, zipf=True)
    forms = len({w for p in corpus.files for w in re.findall(r"\w+", p.read_text("utf-8").lower())})
    print(
        f"\n== {len(corpus.files)} transcripts, {corpus.words:,} words, {forms:,} distinct "
        f"word forms, {len(corpus.codings):,} codings by 2 coders "
        f"({time.perf_counter() - t0:.0f} s to generate)",
        flush=True,
    )
    steps: list[tuple[str, Callable[[], list[Row] | Row]]] = []
    row, root = bench_import(corpus, work, args.import_pairs)
    rows = [row, load_codings(corpus, root)]
    add_big_transcript(root)
    common, typical = common_words(root)
    steps = [
        ("agreement", lambda: bench_agreement(root, args.pairs)),
        ("search", lambda: bench_search(root, args.pairs, common, typical)),
        ("exports", lambda: bench_exports(root, args.export_repeat)),
    ]
    if full:
        steps += [
            ("apply", lambda: bench_apply(root, args.pairs)),
            ("apply-tui", lambda: proc.tui_apply_row(root, max(args.pairs, 9))),
            (
                "first-search",
                lambda: proc.first_search_rows(
                    root, {"lemma": common, "fuzzy": _typo(common)}, args.pairs
                ),
            ),  # fmt: skip
            ("cli", lambda: proc.cli_rows(root, args.pairs)),
            ("tui-open", lambda: proc.tui_open_row(root, args.pairs)),
            ("memory", lambda: proc.memory_row(root)),
        ]
    for name, fn in steps:
        print(f"… {name}", file=sys.stderr, flush=True)
        try:
            got = fn()
        except Exception as err:  # one broken operation must not hide the others' figures
            rows.append(Row(name, None, None, note=f"failed: {type(err).__name__}: {err}"[:90]))
            continue
        rows.extend(got if isinstance(got, list) else [got])
    shutil.rmtree(work / "corpus", ignore_errors=True)
    shutil.rmtree(root, ignore_errors=True)
    return rows


def machine() -> str:
    """Which machine ran the benchmark: CPU model, cores, Python (for the README's table)."""
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            model = next(
                (line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")),
                model,
            )
    except OSError:  # not Linux: platform's name for it
        pass
    cores = os.cpu_count() or 0
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    return (
        f"machine: {model} ({platform.machine()}), {cores} cores ({usable} usable), "
        f"Python {platform.python_version()} ({platform.python_implementation()}), "
        f"{platform.system()} {platform.release()}"
    )


def load_average() -> str:
    """The 1, 5 and 15 minute load averages (the machine's other work, as the kernel sees it)."""
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "unknown"
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f} (1, 5, 15 min; {time.strftime('%H:%M:%S %Z')})"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n")[0])
    p.add_argument("--transcripts", type=int, default=300)
    p.add_argument("--words", type=int, default=8000)
    p.add_argument("--codings", type=int, default=30_000)
    p.add_argument("--pairs", type=int, default=5, help="interleaved pairs per operation")
    p.add_argument("--import-pairs", type=int, default=5, help="pairs of the (slow) import")
    p.add_argument("--export-repeat", type=int, default=5)
    p.add_argument("--small", action="store_true", help="20 transcripts × 2,000 words")
    args = p.parse_args(argv)
    if args.small:
        args.transcripts, args.words, args.codings = 20, 2000, 2000
    sizes = sorted(
        {max(2, args.transcripts // 10), max(3, args.transcripts // 3), args.transcripts}
    )
    print(machine())
    print(f"load average at start: {load_average()}", flush=True)
    work = Path(tempfile.mkdtemp(prefix="qualcode-bench-"))
    by_size: list[list[Row]] = []
    try:
        turns = [
            bench_long_turn(w, args.pairs) for w in (args.words // 2, args.words, args.words * 2)
        ]
        for size in sizes:
            by_size.append(run_size(args, work / str(size), size, size == sizes[-1]))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\nload average at end: {load_average()}")
    print(f"\n== at {sizes[-1]} transcripts (ratio: median of the pairwise ratios)")
    print_table(turns + by_size[-1])
    print("\n== growth with the corpus (slope of log time on log size; 1 is linear)")
    print_growth(sizes, by_size, "transcripts")
    print("\n== growth with the length of one turn")
    print_growth(
        [len_ for len_ in (args.words // 2, args.words, args.words * 2)],
        [[r] for r in turns],
        "words",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

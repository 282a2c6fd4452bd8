"""What the import repeats per word form and per file, guarded by counting it (no timing).

A corpus of 300 interviews has some 56,000 distinct word forms; each unknown one goes
through the compound search, which asks about every tail of the word. Asking simplemma
(``is_known``, ~12 µs a call) about each tail made lemmatising the corpus's vocabulary
the largest part of an import; it now looks each tail up in simplemma's own dictionary
first. And each imported file was checked for identifying details twice (once for the
import's warnings, once for the workspace's flags).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import simplemma

from qualcode import anon, lemmas
from qualcode.project import Project

COMPOUNDS = [
    "hjemmesykepleiekoordinatorene",
    "xqzpalliasjonsteamets",
    "kreftkoordinatorsamarbeidet",
    "fastlegeordningsevalueringen",
]


@pytest.fixture
def is_known_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    original = simplemma.is_known

    def counting(token: str, lang: str, **kw: object) -> bool:
        calls.append(token)
        return bool(original(token, lang=lang, **kw))  # type: ignore[arg-type]

    monkeypatch.setattr(simplemma, "is_known", counting)
    lemmas.lemmatize_word.cache_clear()
    yield calls
    lemmas.lemmatize_word.cache_clear()


@pytest.mark.parametrize("word", COMPOUNDS)
def test_compound_search_asks_simplemma_only_about_tails_in_its_dictionary(
    word: str, is_known_calls: list[str]
) -> None:
    lemma = lemmas.lemmatize_word(word, "nb")
    tails = [word[i:] for i in range(2, len(word) - 3)]
    asked = [t for t in is_known_calls if t in tails]
    assert lemma != word  # the compound's head was found and lemmatised
    # every tail was asked about before; now only those simplemma's dictionary holds
    assert len(asked) < len(tails) // 2
    assert all(lemmas._may_be_known(t, "nb") for t in asked)


def test_the_dictionary_lookup_never_says_no_where_simplemma_says_yes() -> None:
    words = {w.lower() for w in lemmas.word_parts(_demo_text()) if len(w) > 4}
    tails = {w[i:] for w in words for i in range(len(w) - 3)}
    assert len(tails) > 1000
    refused = [t for t in tails if not lemmas._may_be_known(t, "nb")]
    assert refused  # the lookup does rule tails out ...
    assert not [t for t in refused if simplemma.is_known(t, lang="nb")]  # ... never wrongly


def _demo_text() -> str:
    folder = Path(__file__).resolve().parent.parent / "transcripts"
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.md")))


def test_import_checks_each_file_for_identifying_details_once(
    project_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked: list[int] = []
    original = anon.check_text

    def counting(text: str) -> list[anon.Finding]:
        checked.append(len(text))
        return original(text)

    monkeypatch.setattr(anon, "check_text", counting)
    anon._recent.clear()
    import qualcode.importers

    parsed_again: list[object] = []  # by the count's "does the file still hold the text?"
    parse = qualcode.importers.load_transcript
    monkeypatch.setattr(
        qualcode.importers,
        "load_transcript",
        lambda *a, **kw: parsed_again.append(a) or parse(*a, **kw),
    )
    with Project.open(project_dir) as project:
        ids = project.store.transcripts.ids()
        counts = project.store.analysis.anon_findings()
    assert len(ids) == 2
    assert len(checked) == 2  # the import's warnings and the workspace's counts share one
    assert parsed_again == []  # the import had parsed these very bytes
    assert set(counts) == set(ids)


def test_folding_letter_by_letter_gives_what_the_full_way_gives() -> None:
    # fold() takes a table for Latin letters (fuzzy search folds the whole index vocabulary
    # in a first search); it must equal NFKD with the combining marks dropped.
    import random
    import unicodedata

    from qualcode.folding import _FOLD_EXTRA, fold

    def full(text: str) -> str:
        low = "".join(_FOLD_EXTRA.get(ch, ch) for ch in text.lower())
        return "".join(
            ch for ch in unicodedata.normalize("NFKD", low) if not unicodedata.combining(ch)
        )

    rng = random.Random(3)
    codes = [*range(32, 127), *range(0x80, 0x300), 0x130, 0x3A3, 0x1E9E, 0x212B, 0xFB01, 0x2460]
    for _ in range(20_000):
        text = "".join(chr(rng.choice(codes)) for _ in range(rng.randint(0, 12)))
        assert fold(text) == full(text), repr(text)
    assert fold("Pårørende ÆØÅ") == "parorende aeoa"


def test_an_import_commits_once_per_file_and_its_analysis_in_batches(
    project_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each commit waits for the disk (synchronous=FULL): the analysis and the anonymity
    # counts of an import were committed once per transcript each, a fifth of the import.
    import qualcode.analysis

    monkeypatch.setattr(qualcode.analysis, "FLUSH_SECONDS", 3600.0)  # one batch, whatever the load
    folder = project_dir / "more"
    folder.mkdir()
    text = (project_dir / "transcripts" / "liten-9.md").read_text(encoding="utf-8")
    for i in range(10):
        (folder / f"ekstra-{i}.md").write_text(text.replace("Liten kommune 9", f"K {i}"), "utf-8")
    with Project.open(project_dir) as project:
        commits: list[str] = []
        project.store.conn.set_trace_callback(
            lambda sql: commits.append(sql) if sql.strip().upper() == "COMMIT" else None
        )
        results = project.import_paths([folder])
        project.store.conn.set_trace_callback(None)
        assert [r.status for r in results] == ["imported"] * 10
        assert not project.store.analysis.unanalysed_ids(project.language)
    # one per file (a refused file changes nothing), one for the counts, one for the analyses
    assert len(commits) <= 10 + 2, len(commits)

"""Each turn's search row is written once at import, guarded by counting the writes (no timing).

The import stored each turn's text in the FTS5 index (turns_fts) and, after the analysis,
set its lemmas with an UPDATE, which FTS5 does as a delete and a re-insert of the whole row:
every turn's text was split into index tokens three times. Now a turn stored by an import
gets its row once, text and lemmas together, and the index is the same as the two-step one.
"""

from __future__ import annotations

import random
import re
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import qualcode.nlp
from qualcode.analysis import index_token
from qualcode.project import Project
from qualcode.search import search
from qualcode.store.search_index import SearchIndex, pack_spans, word_span

DEMO = Path(__file__).resolve().parent.parent / "transcripts"
INSERTED = re.compile(r"^INSERT INTO turns_fts \(rowid\b.*?VALUES \((\d+),", re.DOTALL)
# FTS5 traces its own statements, "--"-prefixed: one write to its content table per row.
CONTENT_WRITE = re.compile(r"^-- (INSERT INTO|DELETE FROM) 'main'\.'turns_fts_content'")


def _empty_project(tmp_path: Path) -> Path:
    """The demo study's guide in a new project; its transcripts stay outside it."""
    root = tmp_path / "demo"
    root.mkdir(parents=True)
    shutil.copy(DEMO.parent / "interview_guide.yaml", root / "interview_guide.yaml")
    return root


def _demo_files() -> list[Path]:
    return sorted(DEMO.glob("*.md"))


@pytest.fixture
def traced(tmp_path: Path) -> Iterator[tuple[Project, list[str]]]:
    with Project.open(_empty_project(tmp_path)) as project:
        sql: list[str] = []
        project.store.conn.set_trace_callback(sql.append)  # executemany: one line per row
        yield project, sql
        project.store.conn.set_trace_callback(None)


def _rows(project: Project) -> list[tuple[Any, ...]]:
    return project.store.conn.execute(
        "SELECT rowid, transcript_id, idx, speaker, role, start, content, lemmas, spans "
        "FROM turns_fts ORDER BY rowid"
    ).fetchall()


def _turn_rowids(project: Project) -> list[int]:
    return [r[0] for r in project.store.conn.execute("SELECT rowid FROM turns ORDER BY rowid")]


def test_an_import_writes_each_turns_search_row_once(traced) -> None:
    project, sql = traced
    results = project.import_paths(_demo_files())
    assert {r.status for r in results} == {"imported"} and len(results) == 10
    turns = _turn_rowids(project)
    assert len(turns) > 400
    assert not [
        line for line in sql if line.startswith("UPDATE turns_fts")
    ]  # FTS5: delete + insert
    writes = Counter(int(m[1]) for line in sql if (m := INSERTED.match(line)))
    assert sorted(writes) == turns and set(writes.values()) == {1}
    content = Counter(m[1] for line in sql if (m := CONTENT_WRITE.match(line)))
    assert content == {"INSERT INTO": len(turns)}  # FTS5 itself: one row written per turn
    rows = _rows(project)
    assert [r[0] for r in rows] == turns
    assert sum(bool(r[7]) for r in rows) > 0.9 * len(rows)  # lemmas came with the text


def _old_way(project: Project) -> None:
    """The index as the import built it before: the text first, the lemmas by UPDATE."""
    store = project.store
    for t in store.transcripts.all():
        store.search.index_turns(t)
        lemmas = store.analysis.get(t.id, t.hash)
        assert lemmas is not None
        store.search.index_lemmas(
            t, [(s, e, index_token(lemma)) for s, e, lemma in lemmas["lemmas"]]
        )


def _hits(project: Project) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Exact and lemma hits of a spread of the corpus's words, common ones included."""
    terms = sorted(project.store.search.terms())
    common = Counter(
        word
        for (content,) in project.store.conn.execute("SELECT content FROM turns_fts")
        for word in content.lower().split()
        if word.isalpha()
    ).most_common(5)
    words = [w for w, _ in common] + terms[:: max(1, len(terms) // 40)]
    words += ["pårørende", "palliative senger", "kreftkoordinator"]
    return {
        (mode, word): [h.to_json() for h in search(project, word, mode=mode)]
        for word in words
        for mode in ("exact", "lemma")
    }


def test_the_one_write_index_is_the_two_step_index(tmp_path: Path) -> None:
    with Project.open(_empty_project(tmp_path)) as project:
        project.import_paths(_demo_files())
        rows, hits = _rows(project), _hits(project)
        _old_way(project)
        assert _rows(project) == rows
        assert _hits(project) == hits
    assert sum(bool(h) for h in hits.values()) > len(hits) // 2  # the words are there to find
    assert any(len(h) > 100 for h in hits.values())


def _analysis_stops(monkeypatch: pytest.MonkeyPatch) -> None:
    def stop(*args: object, **kwargs: object) -> Iterator[object]:
        raise KeyboardInterrupt
        yield  # a generator, like analyse_texts

    monkeypatch.setattr(qualcode.nlp, "analyse_texts", stop)


def _by_turn(project: Project) -> list[tuple[Any, ...]]:
    return [r[1:] for r in _rows(project)]


def test_a_stopped_analysis_leaves_exact_search_working(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Project.open(_empty_project(tmp_path / "clean")) as clean:
        clean.import_paths(_demo_files())
        expected = _by_turn(clean)
    root = _empty_project(tmp_path)
    with Project.open(root) as project:
        _analysis_stops(monkeypatch)
        with pytest.raises(KeyboardInterrupt):
            project.import_paths(_demo_files())
        monkeypatch.undo()
        rows = _rows(project)
        assert [r[0] for r in rows] == _turn_rowids(project)  # every turn, for exact search
        assert not any(r[7] for r in rows)  # its lemmas still to come
        assert [h.match for h in search(project, "palliative senger")]
    with Project.open(root) as project:  # the next open analyses what was left
        assert _by_turn(project) == expected


def test_rows_lost_with_the_process_are_written_by_the_next_analysis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Project.open(_empty_project(tmp_path / "clean")) as clean:
        clean.import_paths(_demo_files())
        expected = _by_turn(clean)
    root = _empty_project(tmp_path)
    with Project.open(root) as project:
        _analysis_stops(monkeypatch)
        # as if the process had died before it could index what was waiting
        monkeypatch.setattr(SearchIndex, "index_unindexed", lambda self, ids: None)
        with pytest.raises(KeyboardInterrupt):
            project.import_paths(_demo_files())
        monkeypatch.undo()
        assert _rows(project) == []
    with Project.open(root) as project:
        assert _by_turn(project) == expected


def test_a_replaced_transcript_gets_one_row_per_turn_of_its_new_text(tmp_path: Path) -> None:
    root = _empty_project(tmp_path)
    source = root / "liten-kommune-1.md"
    text = (DEMO / "liten-kommune-1.md").read_text(encoding="utf-8")
    source.write_text(text, encoding="utf-8")
    with Project.open(root) as project:
        project.import_paths([source])
        assert search(project, "pårørende")
        source.write_text(re.sub("pårørende", "naboer", text, flags=re.I), encoding="utf-8")
        sql: list[str] = []
        project.store.conn.set_trace_callback(sql.append)
        (result,) = project.import_paths([source], replace=True)
        project.store.conn.set_trace_callback(None)
        assert result.status == "replaced"
        content = Counter(m[1] for line in sql if (m := CONTENT_WRITE.match(line)))
        turns = _turn_rowids(project)
        # the old rows out, the new ones in once each
        assert content["INSERT INTO"] == len(turns) and content["DELETE FROM"] > 0
        rows = _rows(project)
        t = project.store.transcripts.get("liten-kommune-1")
        assert [r[6] for r in rows] == [t.text[u.start : u.end] for u in t.turns]
        assert all(r[7] for r in rows if r[6].strip())
        assert search(project, "pårørende") == []
        assert search(project, "nabo", mode="lemma")


def test_packed_spans_keep_their_stored_form() -> None:
    # Indexes already on disk hold spans in this form: 7 hex digits of start, 3 of length.
    rng = random.Random(5)
    words = [(0, 1, "a"), (0xFFFFFFF - 5000, 0xFFFFFFF, "langt")]  # longest start and length
    words += [(s, s + rng.randint(1, 40), "x") for s in sorted(rng.sample(range(20_000_000), 500))]
    packed = pack_spans(words)
    assert packed == "".join(f"{s:07x}{min(e - s, 0xFFF):03x}" for s, e, _ in words)
    assert [word_span(packed, i) for i in range(len(words))] == [
        (s, s + min(e - s, 0xFFF)) for s, e, _ in words
    ]

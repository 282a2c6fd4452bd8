"""Bounds on every input (issue 14, item 3): each hostile file is refused quickly with a
clear message, and the project's database is exactly as it was."""

from __future__ import annotations

import io
import os
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from safety_support import dump

from qualcode import bounds
from qualcode.cli import main
from qualcode.guide import parse_guide
from qualcode.model import QualcodeError
from qualcode.nlp_chunks import nlp_pieces

REPO = Path(__file__).resolve().parent.parent


def run(root: Path, *args: str):
    return CliRunner().invoke(main, ["--project", str(root), *args])


@pytest.fixture
def opened(project_dir: Path) -> Path:
    assert run(project_dir, "status").exit_code == 0
    return project_dir


def refused(root: Path, path: Path, words: str, seconds: float = 5.0) -> str:
    before = dump(root)
    start = time.monotonic()
    result = run(root, "import", str(path), "--case", "Liten kommune 9")
    took = time.monotonic() - start
    assert result.exit_code != 0, result.output
    assert words in result.output, result.output
    assert "unexpected problem" not in result.output and "Traceback" not in result.output
    assert took < seconds, f"took {took:.1f} s"
    assert dump(root) == before
    return result.output


def alias_bomb(levels: int = 9) -> str:
    names = "abcdefghijklmnop"
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip(names, names[1:levels], strict=False):
        lines.append(f"{name}: &{name} [{','.join(['*' + prev] * 9)}]")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_in_front_matter_is_refused_in_under_a_second(
    opened: Path, tmp_path: Path
) -> None:
    bomb = tmp_path / "bomb.md"
    bomb.write_text(f"---\n{alias_bomb()}---\nI: Hei.\n\nK: Hei.\n", encoding="utf-8")
    out = refused(opened, bomb, "alias", seconds=1.0 + 3.0)  # + the CLI's own start
    assert "line" in out


def test_an_alias_bomb_in_the_guide_is_refused_in_under_a_second() -> None:
    guide = (REPO / "interview_guide.yaml").read_text(encoding="utf-8")
    start = time.monotonic()
    with pytest.raises(QualcodeError, match="alias") as err:
        parse_guide(alias_bomb(8) + guide, "interview_guide.yaml")
    assert time.monotonic() - start < 1.0
    assert err.value.line is not None


@pytest.mark.parametrize(
    "yaml_text,words",
    [
        ("x: " + "[" * 200 + "]" * 200 + "\n", "nested more than"),
        ("x: &a [*a]\n", "refers to itself"),
        ("x:\n" + "".join("  " * i + "y:\n" for i in range(1, 120)), "nested more than"),
    ],
)
def test_deep_nesting_and_alias_cycles_get_a_message_with_a_line(
    opened: Path, tmp_path: Path, yaml_text: str, words: str
) -> None:
    f = tmp_path / "deep.md"
    f.write_text(f"---\n{yaml_text}---\nI: Hei.\n\nK: Hei.\n", encoding="utf-8")
    assert "line" in refused(opened, f, words)
    with pytest.raises(QualcodeError, match=words) as err:
        parse_guide(yaml_text, "guide.yaml")
    assert err.value.line is not None


def test_dev_zero_behind_a_txt_name_is_refused(opened: Path, tmp_path: Path) -> None:
    link = tmp_path / "x.txt"
    link.symlink_to("/dev/zero")
    refused(opened, link, "not a regular file")


def test_a_fifo_is_refused_without_blocking(opened: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    refused(opened, fifo, "not a regular file")
    guide_fifo = tmp_path / "g" / "interview_guide.yaml"
    guide_fifo.parent.mkdir()
    os.mkfifo(guide_fifo)
    result = run(guide_fifo.parent, "status")
    assert result.exit_code == 1 and "not a regular file" in result.output


def test_bytes_are_counted_while_reading_not_taken_from_stat(tmp_path: Path) -> None:
    f = tmp_path / "big.txt"
    f.write_bytes(b"I: hei\n" * 1000)
    assert bounds.read_bounded(f, 7000) == b"I: hei\n" * 1000
    with pytest.raises(QualcodeError, match="larger than 6,999 bytes"):
        bounds.read_bounded(f, 6999)


def _docx_with(document_xml: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", document_xml)
    return buf.getvalue()


def test_a_docx_zip_bomb_is_refused_before_unpacking(opened: Path, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(_docx_with(b"<w:document>" + b" " * 5_000_000 + b"</w:document>"))
    assert bomb.stat().st_size < 50_000
    refused(opened, bomb, "zip bomb")


def test_members_too_large_unpacked_are_refused(
    opened: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bounds, "MAX_MEMBER_BYTES", 10_000)
    big = tmp_path / "big.docx"
    big.write_bytes(_docx_with(os.urandom(20_000)))
    refused(opened, big, "would unpack to")


def test_a_qdpx_zip_bomb_is_refused(opened: Path, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.qdpx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("project.qde", b"<Project>" + b" " * 5_000_000 + b"</Project>")
    refused(opened, bomb, "zip bomb")


# long turns ----------------------------------------------------------------------------------


def test_pieces_are_cut_at_boundaries_and_join_back() -> None:
    text = ("Første setning her. Andre setning der! " * 40 + "\n\n") * 30
    pieces = list(nlp_pieces(text, 7, limit=2000))
    assert "".join(p for _, p in pieces) == text
    assert all(len(p) <= 2000 for _, p in pieces)
    for at, piece in pieces:
        assert text[at - 7 : at - 7 + len(piece)] == piece
        assert piece.endswith(("\n\n", "! ", ". ")) or at - 7 + len(piece) == len(text)
    no_space = "x" * 5000
    assert [len(p) for _, p in nlp_pieces(no_space, 0, limit=2000)] == [2000, 2000, 1000]


def test_a_label_free_transcript_past_spacys_limit_imports_and_commands_work(
    opened: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """spaCy's limit scaled down (the real one is 1,000,000 characters), as is the text."""
    from qualcode import nlp, nlp_chunks

    monkeypatch.setattr(nlp_chunks, "MAX_NLP_CHARS", 3_000)
    spacy_nlp = nlp.get_nlp("nb")
    monkeypatch.setattr(spacy_nlp, "max_length", 5_000)
    body = " ".join(f"Dette er setning nummer {i} om pårørende." for i in range(1200))
    f = tmp_path / "uten-etiketter.txt"
    f.write_text(body, encoding="utf-8")
    assert len(body) > 5 * 5_000
    result = run(opened, "import", str(f), "--case", "Liten kommune 9")
    assert result.exit_code == 0, result.output
    for args in (["status"], ["backup"], ["search", "pårørende"], ["words"]):
        done = run(opened, *args)
        assert done.exit_code == 0, (args, done.output)


def test_turn_index_is_cut_from_each_turns_own_text(opened: Path) -> None:
    import sqlite3

    conn = sqlite3.connect(opened / "qualcode.db")
    try:
        rows = conn.execute(
            'SELECT f.content, t.text, u.start, u."end" FROM turns_fts f '
            "JOIN turns u ON u.rowid = f.rowid JOIN transcripts t ON t.id = u.transcript_id"
        ).fetchall()
    finally:
        conn.close()
    assert rows and all(content == text[s:e] for content, text, s, e in rows)


def test_storing_a_transcript_is_linear_in_its_size(tmp_path: Path) -> None:
    """Storing (with the turn index) 4× the text takes nowhere near 16× the time."""
    from qualcode.model import Transcript, Turn
    from qualcode.store import Store

    def build(n: int, tid: str) -> Transcript:
        turn = "Vi har tett kontakt med pårørende, og fastlegen kommer når det trengs. " * 3
        text, turns = "", []
        for _ in range(n):
            start = len(text)
            text += turn
            turns.append(Turn(speaker="K", role="informant", start=start, end=len(text)))
            text += "\n\n"
        return Transcript(id=tid, text=text, turns=turns, source=f"{tid}.txt")

    def timed(n: int, tid: str) -> float:
        t = build(n, tid)
        with Store(tmp_path / f"{tid}.db") as store:
            start = time.perf_counter()
            store.transcripts.add(t, actor="test")
            return time.perf_counter() - start

    small = min(timed(2_000, f"s{i}") for i in range(2))
    large = min(timed(8_000, f"l{i}") for i in range(2))
    assert large < 10 * small, (small, large)

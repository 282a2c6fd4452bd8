"""Encodings honestly (issue 14, item 5): UTF-8 stays UTF-8 with a stray byte, and the
import says which encoding it used."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.cli import main
from qualcode.importers.encoding import decode

BODY = "I: Hvordan samarbeider dere med pårørende?\n\nK: Vi har tett kontakt med pårørende.\n"


def run(root: Path, *args: str):
    return CliRunner().invoke(main, ["--project", str(root), *args])


def test_one_stray_byte_keeps_parorende(project_dir: Path, tmp_path: Path) -> None:
    data = BODY.encode("utf-8")
    at = data.index(b"Vi har")
    f = tmp_path / "stray.txt"
    f.write_bytes(data[:at] + b"\x92" + data[at:])
    result = run(project_dir, "import", str(f), "--case", "Liten kommune 9", "--json")
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.stdout)
    assert any(f"byte offset {at}" in w for w in row["warnings"]), row
    shown = run(project_dir, "show", "stray", "--json")
    text = json.loads(shown.stdout)["text"]
    assert "pårørende" in text and "Ã" not in text and "\ufffd" in text


def test_a_cp1252_file_is_read_as_cp1252_and_says_so(project_dir: Path, tmp_path: Path) -> None:
    f = tmp_path / "gammel.txt"
    f.write_bytes(BODY.encode("cp1252"))
    result = run(project_dir, "import", str(f), "--case", "Liten kommune 9", "--json")
    [row] = json.loads(result.stdout)
    assert any("Windows-1252" in w for w in row["warnings"]), row
    text = json.loads(run(project_dir, "show", "gammel", "--json").stdout)["text"]
    assert "pårørende" in text


def test_plain_utf8_says_nothing() -> None:
    notes: list[str] = []
    assert "pårørende" in decode(BODY.encode("utf-8"), "x.txt", notes)
    assert notes == []


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="abcæøåÆØÅ .,\n", min_size=20, max_size=200), st.data())
def test_a_few_stray_bytes_never_turn_utf8_into_mojibake(text: str, data: st.DataObject) -> None:
    raw = bytearray(("Pårørende: " + text).encode("utf-8"))
    for _ in range(data.draw(st.integers(1, 3))):
        pos = data.draw(st.integers(len("Pårørende: ".encode()), len(raw)))
        while 0 < pos < len(raw) and 0x80 <= raw[pos] < 0xC0:  # between whole characters
            pos -= 1
        raw[pos:pos] = b"\xff"
    notes: list[str] = []
    out = decode(bytes(raw), "x.txt", notes)
    assert "Pårørende" in out and "Ã" not in out
    assert notes and "not valid UTF-8" in notes[0]

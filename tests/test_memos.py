"""Memos on the project, cases, transcripts, codes and codings: written, listed, exported."""

from __future__ import annotations

import json

import openpyxl
import pytest

from qualcode import memos
from qualcode.model import QualcodeError
from qualcode.project import Project


def test_memos_on_every_kind_are_listed_in_kind_order(cli, project_dir) -> None:
    note = "Første linje om kommunen.\n\nAndre avsnitt: pårørende."
    assert cli("memos", "set", "case", "Liten kommune 9", "--text", note, "--coder", "ann")
    assert cli("memos", "set", "project", "--text", "Prosjektnotat", "--coder", "ann")
    assert cli("memos", "set", "transcript", "stor-9", "--text", "Lydfil dårlig", "--coder", "bo")
    # A code by its name as well as by its id.
    assert cli("memos", "set", "code", "Kreftkoordinator", "--text", "Sjekk", "--coder", "bo")
    added = cli(
        "codings", "add", "liten-9", "--code", "parorende",
        "--quote", "De ringer oss når som helst.", "--coder", "ann", "--json",
    )  # fmt: skip
    cid = json.loads(added.output)["id"]
    assert cli("codings", "memo", str(cid), "viktig sitat", "--coder", "ann").exit_code == 0

    out = cli("memos", "list", "--json")
    assert out.exit_code == 0, out.output
    found = json.loads(out.output)
    assert [m["kind"] for m in found] == ["project", "case", "transcript", "code", "coding"]
    case = found[1]
    assert case["target"] == "Liten kommune 9" and case["text"] == note  # lines kept
    assert found[3]["target"] == "kreftkoordinator" and found[3]["label"] == "Kreftkoordinator"
    coding = found[4]
    assert coding["target"] == str(cid) and coding["transcript"] == "liten-9"
    with Project.open(project_dir) as p:
        text = p.store.transcripts.get("liten-9").text
        assert text[coding["start"] : coding["end"]] == "De ringer oss når som helst."

    only_bo = json.loads(cli("memos", "list", "--json", "--coder", "bo").output)
    assert {m["kind"] for m in only_bo} == {"transcript", "code"}
    words = json.loads(cli("memos", "list", "--json", "--contains", "AVSNITT").output)
    assert [m["kind"] for m in words] == ["case"]


def test_an_empty_text_removes_a_memo_and_the_audit_keeps_the_old_text(cli, project_dir) -> None:
    cli("memos", "set", "case", "Stor kommune 9", "--text", "gammel tekst", "--coder", "ann")
    assert cli("memos", "set", "case", "Stor kommune 9", "--text", "", "--coder", "ann")
    assert json.loads(cli("memos", "list", "--json").output) == []
    with Project.open(project_dir) as p:
        last = p.store.audit_log(1)[0]
        assert last["action"] == "memo" and json.loads(last["detail"])["old"] == "gammel tekst"


def test_unknown_targets_are_refused_and_nothing_is_stored(cli, project_dir) -> None:
    for args in (
        ("case", "Ingen slik kommune"),
        ("transcript", "finnes-ikke"),
        ("code", "ingen kode"),
    ):
        result = cli("memos", "set", *args, "--text", "x")
        assert result.exit_code == 1 and "there is no" in result.output
    with Project.open(project_dir) as p:
        assert p.store.memos.all() == []
        with pytest.raises(QualcodeError):
            memos.set_memo(p.store, "coding", "1", "x", "ann")  # codings have their own rule
        with pytest.raises(QualcodeError):
            memos.set_memo(p.store, "theme", "x", "x", "ann")


def test_memos_export_as_markdown_csv_and_xlsx(cli, project_dir, tmp_path) -> None:
    cli("memos", "set", "case", "Liten kommune 9", "--text", "Om kommunen\nto linjer")
    md = cli("memos", "export", "--out", "-")
    assert "# Memoer" in md.output and "### Liten kommune 9" in md.output
    assert "Om kommunen\nto linjer" in md.output
    book = tmp_path / "memoer.xlsx"
    assert cli("memos", "export", "--out", str(book)).exit_code == 0
    ws = openpyxl.load_workbook(book).active
    rows = list(ws.values)
    assert rows[0][0] == "kind" and rows[1][2] == "Liten kommune 9"
    assert rows[1][-1] == "Om kommunen\nto linjer"
    csv_out = cli("memos", "export", "--format", "csv", "--out", "-").output
    assert "Liten kommune 9" in csv_out


def test_memo_from_a_file_keeps_norwegian_text(cli, project_dir, tmp_path) -> None:
    note = tmp_path / "notat.txt"
    note.write_text("Blåbær og rømme — æøå\nlinje to\n", encoding="utf-8")
    assert cli("memos", "set", "project", "--file", str(note)).exit_code == 0
    assert cli("memos", "show", "project").output == "Blåbær og rømme — æøå\nlinje to\n"
    bad = tmp_path / "latin.txt"
    bad.write_bytes("blåbær".encode("latin-1"))
    refused = cli("memos", "set", "project", "--file", str(bad))
    assert refused.exit_code == 1 and "not UTF-8" in refused.output

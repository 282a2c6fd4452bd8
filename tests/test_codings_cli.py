"""One coding at a time from the command line: what `c`, `x` and `m` do in the workspace."""

from __future__ import annotations

import json

from qualcode.project import Project


def test_add_memo_remove_a_coding(cli, project_dir) -> None:
    added = cli(
        "codings",
        "add",
        "liten-9",
        "--code",
        "Samarbeid med pårørende og nettverk",
        "--quote",
        "De ringer oss når som helst.",
        "--coder",
        "ann",
        "--json",
    )
    assert added.exit_code == 0, added.output
    row = json.loads(added.output)
    with Project.open(project_dir) as p:
        t = p.store.transcripts.get("liten-9")
        assert t.text[row["start"] : row["end"]] == "De ringer oss når som helst."
        assert row["code"] == "parorende" and row["coder"] == "ann"
    assert cli("codings", "memo", str(row["id"]), "viktig", "--coder", "ann").exit_code == 0
    refused = cli("codings", "remove", str(row["id"]), "--coder", "bo")
    assert refused.exit_code == 1 and "belongs to ann" in refused.output
    with Project.open(project_dir) as p:
        assert p.store.codings.get(row["id"]).memo == "viktig"
    assert cli("codings", "remove", str(row["id"]), "--coder", "ann").exit_code == 0
    with Project.open(project_dir) as p:
        assert p.store.codings.get(row["id"]) is None
        assert [a["action"] for a in p.store.audit_log(3)][:2] == ["remove", "update"]


def test_add_needs_a_coder_and_a_place(cli, monkeypatch) -> None:
    monkeypatch.delenv("QUALCODE_CODER", raising=False)
    no_coder = cli("codings", "add", "liten-9", "--code", "parorende", "--span", "0", "5")
    assert no_coder.exit_code == 1 and "--coder" in no_coder.output
    missing = cli(
        "codings",
        "add",
        "liten-9",
        "--code",
        "parorende",
        "--coder",
        "ann",
        "--quote",
        "står ikke der",
    )
    assert missing.exit_code == 1 and "is not in liten-9" in missing.output
    unknown = cli(
        "codings", "add", "liten-9", "--code", "finnes-ikke", "--coder", "ann", "--span", "0", "5"
    )
    assert unknown.exit_code == 1 and "no code" in unknown.output

"""Transcripts are sensitive: the whole CLI works with every socket blocked."""

from __future__ import annotations

import json
import socket

import pytest
from click.testing import CliRunner


class NetworkUsed(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise NetworkUsed(f"network use attempted: {args!r}")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_every_command_runs_offline(project_dir, tmp_path, no_network):
    from qualcode.cli import main

    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(main, ["--project", str(project_dir), *args], catch_exceptions=False)
        assert result.exit_code == 0, (args, result.output)
        return result.stdout

    run("status")
    rows = [
        {
            "transcript": "liten-9",
            "coder": c,
            "code": "parorende",
            "quote": "Vi har tett kontakt med pårørende.",
        }
        for c in ("ann", "bo")
    ]
    (tmp_path / "c.json").write_text(json.dumps(rows), encoding="utf-8")
    run("codings", "import", str(tmp_path / "c.json"))
    run("agreement", "--coders", "ann", "bo", "--unit", "sentence", "--json")
    for kind, fmt in (
        ("summaries", "docx"),
        ("matrix", "xlsx"),
        ("matrix", "png"),
        ("comparison", "md"),
        ("qdpx", "qdpx"),
        ("agreement", "md"),
    ):
        extra = ["--coders", "ann", "bo"] if kind == "agreement" else []
        run("export", kind, "--format", fmt, "--out", str(tmp_path / f"{kind}.{fmt}"), *extra)
    for name, args in (
        ("search", ["search", "pårørendes", "--mode", "lemma"]),
        ("search", ["search", "fastlgene", "--mode", "fuzzy"]),
        ("suggest", ["suggest", "--json"]),
        ("words", ["words", "--by", "size", "--json"]),
    ):
        if name in main.commands:
            run(*args)

"""``qualcode codings import``: importing twice, creating codes, files that hold no codings."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import TRANSCRIPT_A


def _json(result) -> dict:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _rows(path: Path, rows: list[dict]) -> Path:
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    return path


QUOTE = "Vi har tett kontakt med pårørende."


def test_importing_the_same_file_twice_adds_nothing_the_second_time(cli, project_dir):
    text = TRANSCRIPT_A.split("---\n", 2)[2]
    start = text.index(QUOTE)
    path = _rows(project_dir / "c.json", [
        {"transcript": "liten-9", "coder": "ann", "code": "parorende", "quote": QUOTE},
        {"transcript": "liten-9", "coder": "bo", "code": "parorende", "quote": QUOTE},
        # the same coding as the first row, given by span: a repeat within the file
        {"transcript": "liten-9", "coder": "ann", "code": "parorende", "start": start,
         "end": start + len(QUOTE)},
    ])
    first = _json(cli("codings", "import", str(path), "--json"))
    assert first["imported"] == 2 and first["already_present"] == 1
    second = _json(cli("codings", "import", str(path), "--json"))
    assert second["imported"] == 0 and second["already_present"] == 3
    assert _json(cli("status", "--json"))["codings"] == 2
    text_out = cli("codings", "import", str(path))
    assert "3 rows were already present" in text_out.stdout
    # a different code on the same span is a new coding, not a repeat
    other = _rows(project_dir / "d.json", [
        {"transcript": "liten-9", "coder": "ann", "code": "fastlege-legevakt", "quote": QUOTE}])
    assert _json(cli("codings", "import", str(other), "--json"))["imported"] == 1


def test_create_codes_needs_a_theme_to_put_the_code_under(cli, project_dir):
    rootless = _rows(project_dir / "r.json", [
        {"transcript": "liten-9", "coder": "ann", "code": "Debrief-kultur", "quote": QUOTE}])
    result = cli("codings", "import", str(rootless), "--create-codes")
    assert result.exit_code == 1
    assert 'new code "Debrief-kultur" needs a theme' in result.stderr
    unknown = _rows(project_dir / "u.json", [
        {"transcript": "liten-9", "coder": "ann", "code": "Debrief-kultur", "theme": "ingen-slik",
         "quote": QUOTE}])
    result = cli("codings", "import", str(unknown), "--create-codes")
    assert result.exit_code == 1 and '"ingen-slik"' in result.stderr
    themed = _rows(project_dir / "t.json", [
        {"transcript": "liten-9", "coder": "ann", "code": "Debrief-kultur", "theme": "Evaluering",
         "quote": QUOTE}])
    report = _json(cli("codings", "import", str(themed), "--create-codes", "--json"))
    assert report["new_codes"] == ["debrief-kultur"]
    tree = _json(cli("codebook", "--json"))
    assert "debrief-kultur" not in [t["id"] for t in tree["themes"]]
    evaluering = next(t for t in tree["themes"] if t["id"] == "evaluering")
    assert "debrief-kultur" in [c["id"] for c in evaluering["codes"]]
    assert _json(cli("status", "--json"))["themes"] == 10


def test_a_file_without_codings_or_columns_is_refused(cli, project_dir):
    header_only = project_dir / "h.csv"
    header_only.write_text("tekst,person,kategori\n", encoding="utf-8")
    result = cli("codings", "import", str(header_only))
    assert result.exit_code == 1 and "holds no codings" in result.stderr
    wrong = project_dir / "w.csv"
    wrong.write_text("tekst,person,kategori\nliten-9,ann,parorende\n", encoding="utf-8")
    result = cli("codings", "import", str(wrong))
    assert result.exit_code == 1
    assert "no transcript, coder, code, start and end, or quote column" in result.stderr
    assert "kategori, person, tekst" in result.stderr
    assert result.stderr.count("\n") <= 2  # one message, not one per row


def test_a_backwards_span_is_called_backwards(cli, project_dir):
    path = _rows(project_dir / "b.json", [
        {"transcript": "liten-9", "coder": "ann", "code": "parorende", "start": 50, "end": 10}])
    result = cli("codings", "import", str(path))
    assert result.exit_code == 1
    assert "50-10 is empty or backwards" in result.stderr and "outside" not in result.stderr

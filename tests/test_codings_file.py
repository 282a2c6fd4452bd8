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
    path = _rows(
        project_dir / "c.json",
        [
            {"transcript": "liten-9", "coder": "ann", "code": "parorende", "quote": QUOTE},
            {"transcript": "liten-9", "coder": "bo", "code": "parorende", "quote": QUOTE},
            # the same coding as the first row, given by span: a repeat within the file
            {
                "transcript": "liten-9",
                "coder": "ann",
                "code": "parorende",
                "start": start,
                "end": start + len(QUOTE),
            },
        ],
    )
    first = _json(cli("codings", "import", str(path), "--json"))
    assert first["imported"] == 2 and first["already_present"] == 1
    second = _json(cli("codings", "import", str(path), "--json"))
    assert second["imported"] == 0 and second["already_present"] == 3
    assert _json(cli("status", "--json"))["codings"] == 2
    text_out = cli("codings", "import", str(path))
    assert "3 rows were already present" in text_out.stdout
    # a different code on the same span is a new coding, not a repeat
    other = _rows(
        project_dir / "d.json",
        [{"transcript": "liten-9", "coder": "ann", "code": "fastlege-legevakt", "quote": QUOTE}],
    )
    assert _json(cli("codings", "import", str(other), "--json"))["imported"] == 1


def test_create_codes_needs_a_theme_to_put_the_code_under(cli, project_dir):
    rootless = _rows(
        project_dir / "r.json",
        [{"transcript": "liten-9", "coder": "ann", "code": "Debrief-kultur", "quote": QUOTE}],
    )
    result = cli("codings", "import", str(rootless), "--create-codes")
    assert result.exit_code == 1
    assert 'new code "Debrief-kultur" needs a theme' in result.stderr
    unknown = _rows(
        project_dir / "u.json",
        [
            {
                "transcript": "liten-9",
                "coder": "ann",
                "code": "Debrief-kultur",
                "theme": "ingen-slik",
                "quote": QUOTE,
            }
        ],
    )
    result = cli("codings", "import", str(unknown), "--create-codes")
    assert result.exit_code == 1 and '"ingen-slik"' in result.stderr
    themed = _rows(
        project_dir / "t.json",
        [
            {
                "transcript": "liten-9",
                "coder": "ann",
                "code": "Debrief-kultur",
                "theme": "Evaluering",
                "quote": QUOTE,
            }
        ],
    )
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
    path = _rows(
        project_dir / "b.json",
        [{"transcript": "liten-9", "coder": "ann", "code": "parorende", "start": 50, "end": 10}],
    )
    result = cli("codings", "import", str(path))
    assert result.exit_code == 1
    assert "50-10 is empty or backwards" in result.stderr and "outside" not in result.stderr


def test_a_coder_spelt_with_other_letter_case_is_refused(cli, project_dir):
    first = _rows(
        project_dir / "eva.json",
        [{"transcript": "liten-9", "coder": "Eva", "code": "parorende", "quote": QUOTE}],
    )
    report = _json(cli("codings", "import", str(first), "--json"))
    assert report["imported"] == 1 and report["new_coders"] == ["Eva"]
    assert (
        "new coder: ann"
        in cli(
            "codings",
            "import",
            str(
                _rows(
                    project_dir / "ann.json",
                    [
                        {
                            "transcript": "liten-9",
                            "coder": "ann",
                            "code": "parorende",
                            "quote": QUOTE,
                        }
                    ],
                )
            ),
        ).stdout
    )
    lower = _rows(
        project_dir / "eva2.json",
        [{"transcript": "liten-9", "coder": "eva", "code": "fastlege-legevakt", "quote": QUOTE}],
    )
    result = cli("codings", "import", str(lower))
    assert result.exit_code == 1
    assert (
        'coder "eva" differs only in letter case from "Eva", a coder already here' in result.stderr
    )
    assert "Error: 1 bad row in" in result.stderr  # one row, one "row"
    # two spellings of a new coder within one file
    mixed = _rows(
        project_dir / "mixed.json",
        [
            {"transcript": "liten-9", "coder": "Per", "code": "parorende", "quote": QUOTE},
            {"transcript": "liten-9", "coder": "PER", "code": "fastlege-legevakt", "quote": QUOTE},
        ],
    )
    result = cli("codings", "import", str(mixed))
    assert (
        result.exit_code == 1
        and '"PER" differs only in letter case from "Per", a coder on an earlier row'
        in result.stderr
    )
    assert _json(cli("status", "--json"))["coders"] == ["Eva", "ann"]


def test_codings_export_of_a_coder_without_codings_is_refused(cli, project_dir):
    path = _rows(
        project_dir / "eva.json",
        [{"transcript": "liten-9", "coder": "Eva", "code": "parorende", "quote": QUOTE}],
    )
    _json(cli("codings", "import", str(path), "--json"))
    assert "Eva" in cli("codings", "export", "--coder", "Eva").stdout
    for name in ("nobody", "eva"):
        result = cli("codings", "export", "--format", "json", "--coder", name)
        assert result.exit_code == 1 and result.stdout == ""
        assert (
            f'coder "{name}" has no codings in this project (coders with codings: Eva)'
            in result.stderr
        )
    assert 'did you mean "Eva"?' in cli("codings", "export", "--coder", "eva").stderr
    result = cli("codings", "export", "--coder", "nobody", "--out", str(project_dir / "out.csv"))
    assert result.exit_code == 1 and not (project_dir / "out.csv").exists()


def test_counts_of_one_are_singular(cli, project_dir):
    path = _rows(
        project_dir / "one.json",
        [
            {
                "transcript": "liten-9",
                "coder": "ann",
                "code": "Debrief",
                "theme": "evaluering",
                "quote": QUOTE,
            }
        ],
    )
    out = cli("codings", "import", str(path), "--create-codes").stdout
    assert "Imported 1 coding and 1 new code" in out
    out = cli("codings", "import", str(path), "--create-codes").stdout
    assert "Imported 0 codings; 1 row was already present and skipped" in out
    empty = project_dir / "empty.csv"
    empty.write_text("transcript,coder,code,quote\n", encoding="utf-8")
    result = cli("codings", "import", str(empty))
    assert result.exit_code == 1 and "holds no codings" in result.stderr
    assert "bad row" not in result.stderr and "Error: nothing was imported." in result.stderr

"""Clear messages, with file and line, for the inputs of issue 14's item 13: nothing
answered with "unexpected problem", nothing stored wrong without a word."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from safety_support import dump

from qualcode.cli import main
from qualcode.guide import parse_guide
from qualcode.model import QualcodeError

REPO = Path(__file__).resolve().parent.parent
GUIDE = (REPO / "interview_guide.yaml").read_text(encoding="utf-8")


def run(root: Path, *args: str):
    return CliRunner().invoke(main, ["--project", str(root), *args])


@pytest.fixture
def opened(project_dir: Path) -> Path:
    assert run(project_dir, "status").exit_code == 0
    return project_dir


def refused(root: Path, args: list[str], words: str) -> str:
    before = dump(root)
    result = run(root, *args)
    assert result.exit_code != 0, result.output
    assert words in result.output, result.output
    assert "unexpected problem" not in result.output and "Traceback" not in result.output
    assert dump(root) == before
    return result.output


def md(tmp_path: Path, front: str, name: str = "x.md") -> Path:
    f = tmp_path / name
    f.write_text(f"---\n{front}---\nI: Hei.\n\nK: Hei på deg.\n", encoding="utf-8")
    return f


@pytest.mark.parametrize(
    "front,words",
    [
        ("duration_min: .nan\n", "not a number qualcode accepts"),
        ("duration_min: .inf\n", "not a number qualcode accepts"),
        ("duration_min: " + "9" * 5000 + "\n", "number qualcode cannot read"),
    ],
)
def test_front_matter_numbers_are_refused_with_their_line(opened, tmp_path, front, words):
    out = refused(opened, ["import", str(md(tmp_path, front))], words)
    assert "line 2" in out


def test_json_bounds(opened, tmp_path):
    cases = {
        "deep.json": ("[" * 5000 + "]" * 5000, "nested more than"),
        "nan.json": ('[{"transcript": "liten-9", "start": NaN}]', "NaN"),
        "huge.json": ('[{"transcript": "liten-9", "start": 1e400}]', "too large"),
        "digits.json": ('[{"transcript": "liten-9", "start": ' + "1" * 5000 + "}]", "digits"),
    }
    for name, (text, words) in cases.items():
        f = tmp_path / name
        f.write_text(text, encoding="utf-8")
        out = refused(opened, ["codings", "import", str(f)], words)
        assert "line 1" in out
        refused(opened, ["summaries", "import", str(f)], words)


def test_a_csv_cell_past_the_field_limit(opened, tmp_path):
    f = tmp_path / "wide.csv"
    f.write_text("transcript,coder,code,quote\nliten-9,ann,parorende," + "x" * 200_000 + "\n")
    refused(opened, ["codings", "import", str(f)], "far too long")


@pytest.mark.parametrize("start,end", [("1.7", "9"), ("true", "9"), ("3", "9.0")])
def test_spans_that_are_not_whole_numbers_are_refused(opened, tmp_path, start, end):
    f = tmp_path / "c.json"
    row = {"transcript": "liten-9", "coder": "ann", "code": "parorende"}
    row |= {"start": json.loads(start), "end": json.loads(end)}
    f.write_text(json.dumps([row]), encoding="utf-8")
    refused(opened, ["codings", "import", str(f)], "whole numbers")


def test_a_quote_found_many_times_is_coded_with_a_note(opened, tmp_path):
    f = tmp_path / "c.csv"
    f.write_text("transcript,coder,code,quote\nliten-9,ann,parorende,pårørende\n", "utf-8")
    result = run(opened, "codings", "import", str(f))
    assert result.exit_code == 0, result.output
    assert "occurs 2 times" in result.output


@pytest.mark.parametrize("name", ["ann\nbo", "ann\x1b[31m", "ann\u202e"])
def test_control_characters_in_names_are_refused(opened, tmp_path, name):
    refused(
        opened,
        ["codings", "add", "liten-9", "--code", "parorende", "--span", "0", "5", "--coder", name],
        "control character",
    )
    refused(opened, ["codes", "add", f"Kode {name}", "--parent", "evaluering"], "control character")
    f = tmp_path / "c.json"
    f.write_text(
        json.dumps(
            [{"transcript": "liten-9", "coder": name, "code": "parorende", "start": 0, "end": 5}]
        ),
        encoding="utf-8",
    )
    out = refused(opened, ["codings", "import", str(f)], "control character")
    assert "\x1b" not in out and "\u202e" not in out


def test_backwards_timestamps_are_warned(opened, tmp_path):
    f = tmp_path / "bak.vtt"
    f.write_text(
        "WEBVTT\n\n00:00:10.000 --> 00:00:05.000\n<v Intervjuer>Hei.\n\n"
        "00:00:02.000 --> 00:00:04.000\n<v Informant>Hei på deg.\n",
        encoding="utf-8",
    )
    result = run(opened, "import", str(f), "--case", "Liten kommune 9", "--json")
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.stdout)
    warnings = " ".join(row["warnings"])
    assert "1 cue ends before it starts" in warnings
    assert "1 cue starts before the cue before it" in warnings


def test_two_guide_codes_with_one_name_are_refused():
    doubled = GUIDE.replace("name: Palliativt team", "name: Lindrende/palliative senger", 1)
    assert doubled != GUIDE
    with pytest.raises(QualcodeError, match="duplicate theme or code name") as err:
        parse_guide(doubled, "interview_guide.yaml")
    assert err.value.line is not None


def test_a_huge_integer_in_the_guide_gets_a_line():
    with pytest.raises(QualcodeError, match="number qualcode cannot read") as err:
        parse_guide("x: " + "9" * 5000 + "\n" + GUIDE, "interview_guide.yaml")
    assert err.value.line == 1


def _docx(document_xml: bytes) -> bytes:
    from docx import Document

    buf = io.BytesIO()
    Document().save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = document_xml if info.filename == "word/document.xml" else src.read(info)
            z.writestr(info.filename, data)
    return out.getvalue()


def test_xml_entities_in_docx_and_qdpx_are_refused(opened, tmp_path):
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    doc = (
        f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY e "hemmelig">]>'
        f"<w:document {w}><w:body><w:p><w:r><w:t>I: Hei &e; og mer tekst.</w:t></w:r></w:p>"
        "</w:body></w:document>"
    ).encode()
    f = tmp_path / "ent.docx"
    f.write_bytes(_docx(doc))
    refused(opened, ["import", str(f), "--case", "Liten kommune 9"], "XML entities")
    q = tmp_path / "ent.qdpx"
    with zipfile.ZipFile(q, "w") as z:
        z.writestr(
            "project.qde",
            '<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY e "x">]>'
            '<Project xmlns="urn:QDA-XML:project:1.0" name="p"/>',
        )
    refused(opened, ["import", str(q)], "XML entities")

"""Every Word export is A4 with a report's margins, in the guide's language (nb-NO), and the
matrix is landscape; the command line never prints -0.000."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from qualcode import i18n


@pytest.mark.parametrize("kind", ["summaries", "matrix", "comparison"])
def test_every_document_is_a4_in_norwegian_with_a_reports_margins(cli, tmp_path: Path, kind):
    out = tmp_path / f"{kind}.docx"
    result = cli("export", kind, "--format", "docx", "--out", str(out))
    assert result.exit_code == 0, result.output
    document = docx.Document(str(out))
    section = document.sections[0]
    short, long = sorted((section.page_width, section.page_height))
    assert (round(short.mm), round(long.mm)) == (210, 297)
    assert round(section.left_margin.mm) == round(section.right_margin.mm) == 25
    assert (section.page_width > section.page_height) == (kind == "matrix")
    assert document.core_properties.language == "nb-NO"
    langs = {el.get(qn("w:val")) for el in document.styles.element.iter(qn("w:lang"))}
    assert langs == {"nb-NO"}  # no style keeps Word's en-US


@pytest.mark.parametrize(
    ("value", "digits", "lang", "expected"),
    [
        (0.7434, 3, "nb", "0,743"),
        (0.7434, 3, "en", "0.743"),
        (-0.0001, 3, "nb", "0,000"),
        (-0.0001, 3, "en", "0.000"),
        (-0.25, 3, "nb", "-0,250"),
        (1234.5, 1, "nb", "1\u00a0234,5"),
    ],
)
def test_numbers_in_the_languages_form(value, digits, lang, expected):
    assert i18n.decimal(value, digits, lang) == expected


def test_the_command_line_never_prints_minus_zero():
    from qualcode.agreement.verdicts import num

    assert num(-0.0004) == "0.000" and num(-0.2) == "-0.200" and num(0.9921, True) == "99.2%"
    assert i18n.doc_tag("nn") == "nn-NO" and i18n.doc_tag("en") == "en-GB"

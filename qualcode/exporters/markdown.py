"""The report's shapes as Markdown (and the summaries as HTML): text out, byte for byte stable."""

from __future__ import annotations

import html

from qualcode.i18n import translator
from qualcode.report import (
    NO_SUMMARY,
    NOTHING_YET,
    CaseChapter,
    ComparisonRow,
    Matrix,
    Segment,
    ThemeBlock,
    summary_start,
)
from qualcode.titles import ComparisonLabels


def _paragraphs(text: str) -> list[str]:
    """A summary's paragraphs (blank-line separated), each on its own stripped lines."""
    text = text.replace("\r\n", "\n").strip()
    return [p.strip() for p in text.split("\n\n") if p.strip()]


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


def _quote_md(seg: Segment, mark_key: bool = False) -> str:
    star = "★ " if mark_key and seg.key else ""
    return f"> {star}«{seg.quote}» ({seg.source})"


def _theme_md(block: ThemeBlock) -> list[str]:
    out = [f"### {block.theme.name}", ""]
    if block.summary:
        for p in _paragraphs(block.summary):
            out += [p, ""]
        for seg in block.key_quotes:
            out += [_quote_md(seg), ""]
    else:
        out += [f"*{NO_SUMMARY}*", ""]
        for seg in block.coded:
            out += [_quote_md(seg, mark_key=True), ""]
    return out


def summaries_md(chapters: list[CaseChapter], title: str = "", scope_line: str = "") -> str:
    """A chapter per case, a section per report question, then its themes; ``scope_line``
    (whose codings the quotes are) under the title."""
    out: list[str] = []
    if title:
        out += [f"<!-- {title} -->", ""]
    if scope_line:
        out += [f"*{scope_line}*", ""]
    for chapter in chapters:
        out += [f"# {chapter.case}", ""]
        for section in chapter.sections:
            out += [f"## {section.title}", ""]
            if section.empty:
                out += [f"*{NOTHING_YET}*", ""]
                continue
            for p in _paragraphs(section.summary):
                out += [p, ""]
            for block in section.themes:
                out += _theme_md(block)
    return "\n".join(out).rstrip("\n") + "\n"


def summaries_html(
    chapters: list[CaseChapter], title: str = "", scope_line: str = "", lang: str = "nb"
) -> str:
    """The same document as HTML, for a browser or a word processor's paste."""
    e = html.escape
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{e(lang)}">',  # the guide's language, as Word's documents
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{e(title or 'Oppsummering')}</title>",
        "</head>",
        "<body>",
    ]
    if scope_line:
        out.append(f'<p class="scope"><em>{e(scope_line)}</em></p>')

    def quote(seg: Segment, mark_key: bool = False) -> str:
        star = "★ " if mark_key and seg.key else ""
        return f"<blockquote>{star}«{e(seg.quote)}» <cite>({e(seg.source)})</cite></blockquote>"

    for chapter in chapters:
        out.append(f"<h1>{e(chapter.case)}</h1>")
        for section in chapter.sections:
            out.append(f"<h2>{e(section.title)}</h2>")
            if section.empty:
                out.append(f"<p><em>{e(NOTHING_YET)}</em></p>")
                continue
            out += [f"<p>{e(p)}</p>" for p in _paragraphs(section.summary)]
            for block in section.themes:
                out.append(f"<h3>{e(block.theme.name)}</h3>")
                if block.summary:
                    out += [f"<p>{e(p)}</p>" for p in _paragraphs(block.summary)]
                    out += [quote(s) for s in block.key_quotes]
                else:
                    out.append(f"<p><em>{e(NO_SUMMARY)}</em></p>")
                    out += [quote(s, mark_key=True) for s in block.coded]
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


def matrix_md(matrix: Matrix, case_label: str = "Kommune", summaries: bool = False) -> str:
    """Case × theme counts as a Markdown table, a size column keeping the groups visible."""
    header = [case_label, matrix.attribute_label, *(t.name for t in matrix.themes)]
    out = [f"*{matrix.scope_line}*", ""] if matrix.scope_line else []
    out += ["| " + " | ".join(_cell(h) for h in header) + " |", "|" + "---|" * len(header)]
    for size, cases in matrix.groups:
        for case in cases:
            cells = []
            for t in matrix.themes:
                cell = matrix.cell(case, t.id)
                text = str(cell.count)
                if summaries and cell.summary:
                    text += f" — {summary_start(cell.summary)}"
                cells.append(_cell(text))
            out.append("| " + " | ".join([_cell(case), _cell(size), *cells]) + " |")
    return "\n".join(out) + "\n"


def comparison_md(
    rows: list[ComparisonRow], labels: ComparisonLabels, lang: str, scope_line: str = ""
) -> str:
    """Tabell 1 under its caption and ``scope_line`` (whose codings): Kategori | Likheter |
    Forskjeller | the evidence, and the evidence column's definition under the table."""
    _ = translator(lang)
    header = [_("Category"), _("Similarities"), _("Differences"), labels.evidence]
    out = [f"**{_cell(labels.caption)}**", ""]
    out += [f"*{scope_line}*", ""] if scope_line else []
    out += ["| " + " | ".join(header) + " |", "|---|---|---|---|"]
    for row in rows:
        out.append(
            f"| {_cell(row.name)} | {_cell(row.likheter)} | {_cell(row.forskjeller)} | "
            f"{_cell('; '.join([row.evidence_text, *labels.support_lines(row.support)]))} |"
        )
    out += ["", f"*{labels.definition}*"]
    return "\n".join(out) + "\n"

"""The report's shapes as Word documents a Norwegian report can take as they are: A4 in the
guide's language, built-in styles (Heading n, Quote, Caption) the user can restyle, tables
with set column widths, and the title block saying what the document stands on."""

from __future__ import annotations

from qualcode.exporters.options import DocOptions
from qualcode.exporters.word import Writer, fit_widths, new_document, text_width_mm
from qualcode.i18n import Translate, translator
from qualcode.report import (
    CaseChapter,
    ComparisonRow,
    Matrix,
    SectionBlock,
    Segment,
    unique_spans,
)
from qualcode.titles import ComparisonLabels, matrix_note


def source(seg: Segment, _: Translate) -> str:
    """``transcript, speaker, [hh:mm:ss]``, or the turn number in the document's language."""
    where = seg.timestamp or _("turn {n}").format(n=seg.turn)
    return ", ".join(p for p in (seg.transcript, seg.speaker, where) if p)


# the summaries (the seed report's 3.1) ------------------------------------------------
def _section(out: Writer, section: SectionBlock, level: int, detail: str, _: Translate) -> None:
    out.heading(section.title, level)
    if section.empty:
        out.note(_("No summary or coded quotes yet."))
        return
    if section.summary and detail == "questions":
        out.paragraphs(section.summary)
        keys = unique_spans([s for block in section.themes for s in block.key_quotes])
        for seg in keys:
            out.quote(seg.quote, source(seg, _))
        return
    # the theme level: asked for, or all there is where the question has no summary yet
    if section.summary:
        out.paragraphs(section.summary)
    for block in section.themes:
        out.heading(block.theme.name, level + 1)
        if block.summary:
            out.paragraphs(block.summary)
            for seg in block.key_quotes:
                out.quote(seg.quote, source(seg, _))
        else:
            out.note(_("No summary yet – coded quotes:"))
            for seg in block.coded:
                out.quote(seg.quote, source(seg, _))


def summaries_docx(chapters: list[CaseChapter], options: DocOptions | None = None) -> bytes:
    """A case heading per case, a question heading and its summary per report question,
    the key quotes of its themes after it (``detail="themes"``: each theme's too)."""
    o = options or DocOptions()
    _ = translator(o.lang)
    doc = new_document(o.lang, o.template, title=o.title.title)
    out = Writer(doc)
    out.title_block(o.title)
    for chapter in chapters:
        out.heading(chapter.case, o.heading_level)
        for section in chapter.sections:
            _section(out, section, o.heading_level + 1, o.detail, _)
    return out.finish()


# the framework matrix -----------------------------------------------------------------
def matrix_docx(matrix: Matrix, case_label: str, options: DocOptions | None = None) -> bytes:
    """The counts on a landscape page (a bold row per size group), then the summaries in a
    section of their own: a table per case, theme by theme, count and summary apart."""
    o = options or DocOptions()
    _ = translator(o.lang)
    doc = new_document(o.lang, o.template, landscape=True, title=o.title.title)
    out = Writer(doc)
    out.title_block(o.title)
    assert out.sect is not None
    header = [case_label, *(t.name for t in matrix.themes)]
    rows: list[list[str | tuple[str, ...]]] = []
    groups: list[int] = []
    for size, cases in matrix.groups:
        groups.append(len(rows))
        rows.append([size, *[""] * len(matrix.themes)])
        for case in cases:
            rows.append([case, *(str(matrix.cell(case, t.id).count) for t in matrix.themes)])
    columns = [
        [h, *(str(r[i]) for j, r in enumerate(rows) if j not in groups)]
        for i, h in enumerate(header)
    ]
    weights = [2.0, *[1.0] * len(matrix.themes)]
    widths, font = fit_widths(columns, text_width_mm(out.sect), 9, weights)
    case_word = case_label.lower()
    counting = matrix.scope.counting(o.lang) if matrix.scope else _("coded passages")
    # what the numbers are, in the scope's words: passages unless another counting was asked
    out.caption(_("Per {case} and theme: {counting}").format(case=case_word, counting=counting))
    out.table(widths, header, rows, font_pt=font, group_rows=groups)
    out.note(matrix_note(matrix.scope, case_word, o.lang))
    out.section_break(landscape=True)  # the summaries follow on portrait pages
    out.sect = _portrait(out.sect)
    out.heading(_("Summaries"), o.heading_level)
    width = text_width_mm(out.sect)
    theme_label, count_label, summary_label = _("Theme"), _("Coded"), _("Summary")
    for _size, cases in matrix.groups:
        for case in cases:
            out.heading(case, o.heading_level + 1)
            body: list[list[str | tuple[str, ...]]] = []
            for t in matrix.themes:
                cell = matrix.cell(case, t.id)
                texts = tuple(" ".join(p.split()) for p in cell.summary.split("\n\n") if p.strip())
                body.append([t.name, str(cell.count), texts or ("–",)])
            cols = [
                [theme_label, *(t.name for t in matrix.themes)],
                [count_label, "000"],
                [summary_label, *(matrix.cell(case, t.id).summary for t in matrix.themes)],
            ]
            widths, font = fit_widths(cols, width, 10, [1.0, 0.0, 3.0])
            out.table(widths, [theme_label, count_label, summary_label], body, font_pt=font)
    return out.finish()


def _portrait(sect_pr: object) -> object:
    size = sect_pr.find(  # type: ignore[attr-defined]
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}pgSz"
    )
    if size is not None:
        ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
        w, h = int(size.get(ns + "w")), int(size.get(ns + "h"))
        if w > h:
            size.set(ns + "w", str(h))
            size.set(ns + "h", str(w))
        size.set(ns + "orient", "portrait")
    return sect_pr


# Tabell 1 -----------------------------------------------------------------------------
def comparison_docx(
    rows: list[ComparisonRow], labels: ComparisonLabels, options: DocOptions | None = None
) -> bytes:
    """Tabell 1 under its caption: Kategori | Likheter | Forskjeller, and (optional) the
    evidence in a column of its own, defined in a note under the table."""
    o = options or DocOptions()
    _ = translator(o.lang)
    doc = new_document(o.lang, o.template, title=o.title.title)
    out = Writer(doc)
    out.title_block(o.title)
    assert out.sect is not None
    header = [_("Category"), _("Similarities"), _("Differences")]
    body: list[list[str | tuple[str, ...]]] = [[r.name, r.likheter, r.forskjeller] for r in rows]
    if o.evidence:
        header.append(labels.evidence)
        for line, r in zip(body, rows, strict=True):
            coverage = [f"{g} {n}/{t}" for g, n, t in r.evidence]
            line.append(tuple(coverage + labels.support_lines(r.support)))
    columns = [[h, *(_flat(line[i]) for line in body)] for i, h in enumerate(header)]
    weights = [1.0, 2.0, 2.0, 0.6][: len(header)]
    widths, size = fit_widths(columns, text_width_mm(out.sect), 10, weights)
    out.caption(labels.caption)
    out.table(widths, header, body, font_pt=size)
    if o.evidence:
        out.note(labels.definition)
    return out.finish()


def _flat(value: str | tuple[str, ...]) -> str:
    return " ".join(value) if isinstance(value, tuple) else value

"""The agreement report as a Word document: the methods section's tables with set column
widths (a code's name is never broken inside a word), in the document's language."""

from __future__ import annotations

from qualcode.agreement.units import AgreementReport
from qualcode.exporters import agreement_sections as more
from qualcode.exporters.agreement import header, intro, rows, sections_of, table
from qualcode.exporters.agreement_sections import Extras
from qualcode.exporters.options import DocOptions
from qualcode.exporters.word import Writer, fit_widths, new_document, text_width_mm
from qualcode.i18n import translator


def to_docx(
    report: AgreementReport,
    names: dict[str, str],
    options: DocOptions,
    extras: Extras | None = None,
) -> bytes:
    lang = options.lang
    _ = translator(lang)
    level = options.heading_level
    # fourteen columns: a landscape page, as the matrix
    doc = new_document(lang, options.template, landscape=True, title=options.title.title)
    out = Writer(doc)
    out.title_block(options.title)
    assert out.sect is not None
    width = text_width_mm(out.sect)
    if not options.title.subtitle:  # the title block names it already
        out.heading(_("Intercoder agreement"), level)
    out.add(intro(report, names, lang))
    all_rows = rows(report, names, lang)
    head = header(lang)
    bodies = {
        scope: table([r for r in all_rows if r["scope"] == scope], lang)
        for _t, scope in sections_of(lang)
    }
    # one set of widths for the three tables, so their columns line up down the page
    columns = [
        [h, *(line[i] for body in bodies.values() for line in body)] for i, h in enumerate(head)
    ]
    weights = [3.0, *[1.0] * 12, 2.0]
    widths, size = fit_widths(columns, width, 9, weights)
    for title, scope in sections_of(lang):
        out.heading(title, level)
        out.table(widths, head, bodies[scope], font_pt=size)
    if extras is not None:
        for t in more.tables(report, names, extras):
            out.heading(t.heading, level)
            if t.note:
                out.add(t.note)
            cols = [[h, *(r[i] for r in t.rows)] for i, h in enumerate(t.header)]
            w, s = fit_widths(cols, width, 9)
            out.table(w, t.header, t.rows, font_pt=s)
        m = more.methods_section(report, extras)
        out.heading(m.heading, level)
        out.add(m.note)
        out.heading(m.header[0], level + 1)
        for (ref,) in m.rows:
            out.add(ref)
    return out.finish()

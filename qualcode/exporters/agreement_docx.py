"""The agreement report as a Word document: the methods section's tables with set column
widths (a code's name is never broken inside a word), in the document's language."""

from __future__ import annotations

from qualcode.agreement.units import AgreementReport
from qualcode.exporters.agreement import header, intro, rows, sections, table
from qualcode.exporters.options import DocOptions
from qualcode.exporters.word import Writer, fit_widths, new_document, text_width_mm
from qualcode.i18n import translator


def to_docx(report: AgreementReport, names: dict[str, str], options: DocOptions) -> bytes:
    lang = options.lang
    _ = translator(lang)
    doc = new_document(lang, options.template, title=options.title.title)
    out = Writer(doc)
    out.title_block(options.title)
    assert out.sect is not None
    if not options.title.subtitle:  # the title block names it already
        out.heading(_("Intercoder agreement"), options.heading_level)
    out.add(intro(report, names, lang))
    all_rows = rows(report, names, lang)
    head = header(lang)
    bodies = {
        scope: table([r for r in all_rows if r["scope"] == scope], lang)
        for _t, scope in sections(lang)
    }
    # one set of widths for the three tables, so their columns line up down the page
    columns = [
        [h, *(line[i] for body in bodies.values() for line in body)] for i, h in enumerate(head)
    ]
    weights = [3.0, 1.0, 1.0, 1.0, 0.6, 0.6, 0.6, 0.6, 2.0]
    widths, size = fit_widths(columns, text_width_mm(out.sect), 9, weights)
    for title, scope in sections(lang):
        out.heading(title, options.heading_level)
        out.table(widths, head, bodies[scope], font_pt=size)
    return out.finish()

"""Retrieval, co-occurrence and crosstab results as Markdown, Word and a heat map.

Each document starts with its title and the line saying whose codings it counts and how
(the scope), as every export does. CSV and Excel go through :mod:`qualcode.exporters.tables`.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from qualcode.cooccurrence import Cooccurrence
from qualcode.cooccurrence import table_rows as cooccurrence_rows
from qualcode.crosstab import Crosstab
from qualcode.crosstab import table_rows as crosstab_rows
from qualcode.i18n import ui
from qualcode.model import QualcodeError
from qualcode.retrieve import Retrieved, by_case


def _md_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return " ".join(text.split()).replace("|", "\\|")


def md_table(header: list[str], rows: list[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(_md_cell(h) for h in header) + " |"]
    lines.append("|" + "|".join("---" for _ in header) + "|")
    lines += ["| " + " | ".join(_md_cell(v) for v in row) + " |" for row in rows]
    return lines


def _source(r: Retrieved) -> str:
    where = f"[{r.timestamp}]" if r.timestamp else ""
    return ", ".join(p for p in (r.transcript, r.speaker, where) if p)


def retrieval_md(passages: list[Retrieved], title: str, scope_line: str) -> str:
    lines = [f"# {title}", "", f"*{scope_line}*", ""]
    for case, items in by_case(passages):
        lines += [f"## {case or '(uten case)'}", ""]
        for r in items:
            quote = r.quote.strip().replace("\n", "\n> ")
            lines += [f"> {quote}", ">", f"> — {_source(r)} ({r.coder})", ""]
    if not passages:
        lines += ["Ingen passasjer.", ""]
    return "\n".join(lines).rstrip() + "\n"


def retrieval_docx(
    passages: list[Retrieved], title: str, scope_line: str, lang: str = "nb"
) -> bytes:
    from qualcode.exporters.word import Writer, new_document

    doc = Writer(new_document(lang, title=title))
    doc.heading(title, 1)
    doc.note(scope_line)
    for case, items in by_case(passages):
        doc.heading(case or "(uten case)", 2)
        for r in items:
            doc.quote(" ".join(r.quote.split()), _source(r))
    if not passages:
        doc.add("Ingen passasjer.")
    return doc.finish()


def cooccurrence_md(result: Cooccurrence, title: str, scope_line: str) -> str:
    header, rows = cooccurrence_rows(result)
    en = title == cooccurrence_title("en")
    unit = {
        ("passage", True): "stretches coded with both codes",
        ("turn", True): "turns coded with both codes",
        ("passage", False): "tekststykker kodet med begge kodene",
        ("turn", False): "replikker kodet med begge kodene",
    }[(result.within, en)]
    return (
        "\n".join([f"# {title}", "", f"*{scope_line}; {unit}*", "", *md_table(header, rows)]) + "\n"
    )


def crosstab_md(table: Crosstab, title: str, scope_line: str, lang: str = "nb") -> str:
    header, rows = crosstab_rows(table, lang)
    note = (
        "%: share of the column's cases coded"
        if lang.startswith("en")
        else "%: andel av kolonnens kasus som er kodet"
    )
    return (
        "\n".join([f"# {title}", "", f"*{scope_line}; {note}*", "", *md_table(header, rows)]) + "\n"
    )


def crosstab_docx(table: Crosstab, title: str, scope_line: str, lang: str = "nb") -> bytes:
    from qualcode.exporters.word import Writer, fit_widths, new_document, text_width_mm

    header, rows = crosstab_rows(table, lang)
    # many columns: a landscape page
    doc = Writer(new_document(lang, landscape=len(table.columns) > 2, title=title))
    assert doc.sect is not None
    doc.heading(title, 1)
    doc.note(scope_line)
    body = [["" if v is None else str(v) for v in row] for row in rows]
    columns = [[h, *(line[i] for line in body)] for i, h in enumerate(header)]
    widths, font = fit_widths(columns, text_width_mm(doc.sect), 10)
    doc.table(widths, [str(h) for h in header], body, font_pt=font)
    return doc.finish()


def cooccurrence_png(result: Cooccurrence, title: str, scope_line: str) -> bytes:
    """A heat map of the table, sized for a page; counts written where they fit."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = [c.name for c in result.codes]
    data = [[result.count(a.id, b.id) for b in result.codes] for a in result.codes]
    n = len(names)
    side = min(11.0, max(4.0, 0.28 * n + 3.0))
    fig, ax = plt.subplots(figsize=(side, side), dpi=110)
    try:
        if n:
            image = ax.imshow(data, cmap="YlOrRd", vmin=0)
            unit = "Passasjer kodet med begge" if result.within == "passage" else "Turer"
            fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02, label=unit)
            top = max(max(r) for r in data) or 1
            if n <= 40:  # beyond that the numbers no longer fit their squares
                for i, row in enumerate(data):
                    for j, v in enumerate(row):
                        if v:
                            ax.text(j, i, str(v), ha="center", va="center", fontsize=6,
                                    color="white" if v > top * 0.6 else "black")  # fmt: skip
        size = 7 if n <= 30 else 5
        ax.set_xticks(range(n))
        ax.set_xticklabels(names, rotation=60, ha="right", fontsize=size)
        ax.set_yticks(range(n))
        ax.set_yticklabels(names, fontsize=size)
        ax.set_title(f"{title}\n{scope_line}", fontsize=9)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", metadata={"Software": None})
        return buf.getvalue()
    finally:
        plt.close(fig)


RETRIEVAL_FORMATS = ("docx", "md", "csv", "xlsx")


def retrieval_bytes(fmt: str, passages: list[Retrieved], title: str, scope_line: str) -> bytes:
    from qualcode.exporters import tables
    from qualcode.retrieve import COLUMNS, rows

    if fmt == "md":
        return retrieval_md(passages, title, scope_line).encode("utf-8")
    if fmt == "docx":
        return retrieval_docx(passages, title, scope_line)
    if fmt == "csv":
        return tables.plain_csv(COLUMNS, rows(passages))
    return tables.plain_xlsx("Passasjer", COLUMNS, rows(passages))


def write_retrieval(
    root: Path, name: str, passages: list[Retrieved], title: str, scope_line: str
) -> Path:
    """Write the passages to ``name`` (relative to the project folder), format by suffix;
    never over an existing file (the workspace asks for another name instead)."""
    path = Path(name).expanduser()
    path = path if path.is_absolute() else root / path
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in RETRIEVAL_FORMATS:
        raise QualcodeError(
            ui(
                "passages can be written as {formats}; end the file name with one of them "
                "(not «{name}»)"
            ).format(formats=", ".join(RETRIEVAL_FORMATS), name=path.name)
        )
    from qualcode.csv_safe import escape_csv_bytes
    from qualcode.output_file import write_output  # the one rule for files qualcode writes

    data = retrieval_bytes(fmt, passages, title, scope_line)
    if fmt == "csv":  # safe to open in a spreadsheet, as every CSV qualcode writes
        data = escape_csv_bytes(data)
    write_output(path, data, force=False, root=root)
    return path


def cooccurrence_title(lang: str) -> str:
    return "Code co-occurrence" if lang.startswith("en") else "Samforekomst av koder"


def crosstab_title(by_name: str, lang: str) -> str:
    return f"Codes by {by_name}" if lang.startswith("en") else f"Koder etter {by_name}"


def cooccurrence_file(result: Cooccurrence, fmt: str, title: str, label: str) -> bytes:
    if fmt == "md":
        return cooccurrence_md(result, title, label).encode("utf-8")
    if fmt == "png":
        return cooccurrence_png(result, title, label)
    from qualcode.exporters import tables

    header, rows = cooccurrence_rows(result)
    meta = [[f"{title} — {label}"]]
    if fmt == "csv":
        return tables.plain_csv(header, rows + [[]] + meta)
    return tables.plain_xlsx("Samforekomst", header, rows + [[]] + meta)


def crosstab_file(table: Crosstab, fmt: str, title: str, label: str, lang: str) -> bytes:
    if fmt == "md":
        return crosstab_md(table, title, label, lang).encode("utf-8")
    if fmt == "docx":
        return crosstab_docx(table, title, label, lang)
    from qualcode.exporters import tables

    header, rows = crosstab_rows(table, lang)
    meta = [[f"{title} — {label}"]]
    if fmt == "csv":
        return tables.plain_csv(header, rows + [[]] + meta)
    return tables.plain_xlsx("Krysstabell", header, rows + [[]] + meta)

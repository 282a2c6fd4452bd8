"""Word (.docx) transcripts: paragraphs, bold speaker labels, headings to the preamble."""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.table import Table
from docx.text.paragraph import Paragraph

from qualcode.bounds import check_zip, read_member, refuse_entities
from qualcode.i18n import ui
from qualcode.importers.text import (
    LabelHit,
    assemble,
    match_label,
    scan_labels,
    seconds,
)
from qualcode.model import QualcodeError, Transcript, normalise_text

_HEADING_STYLES = ("heading", "overskrift", "title", "tittel")
_MAX_BOLD_LABEL = 60


@dataclass(frozen=True)
class _Block:
    text: str
    heading: bool = False
    bold_label: bool = False  # the paragraph opens with a bold "Label:"


def _is_bold(run: object) -> bool:
    if getattr(run, "bold", None):
        return True
    style = getattr(run, "style", None)
    return bool(style is not None and style.font is not None and style.font.bold)


def _paragraph_block(par: Paragraph) -> _Block:
    text = normalise_text(par.text)
    style = (par.style.name or "").lower() if par.style is not None else ""
    if style.startswith(_HEADING_STYLES):
        return _Block(text, heading=True)
    prefix = ""
    for run in par.runs:
        if not run.text:
            continue
        if not _is_bold(run):
            break
        prefix += run.text
    prefix = normalise_text(prefix)
    stripped = prefix.rstrip()
    rest = text[len(prefix) :] if text.startswith(prefix) else ""
    colon = stripped.endswith(":") or (bool(stripped) and rest.lstrip().startswith(":"))
    bold = bool(stripped) and colon and len(stripped) <= _MAX_BOLD_LABEL and text.startswith(prefix)
    return _Block(text, bold_label=bold)


def _table_blocks(table: Table) -> list[_Block]:
    """A two-column table reads as speaker | speech; any other table as its cells' text."""
    blocks: list[_Block] = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            value = normalise_text(cell.text).strip()
            if not cells or value != cells[-1]:  # merged cells repeat their text
                cells.append(value)
        if len(cells) == 2 and 0 < len(cells[0]) <= _MAX_BOLD_LABEL and "\n" not in cells[0]:
            label = cells[0].rstrip(":").strip()
            blocks.append(_Block(f"{label}: {cells[1]}", bold_label=True))
        else:
            blocks.extend(_Block(c) for c in cells)
    return blocks


def _blocks(document: DocxDocument) -> list[_Block]:
    blocks: list[_Block] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            blocks.append(_paragraph_block(item))
        elif isinstance(item, Table):
            blocks.extend(_table_blocks(item))
    return [b for b in blocks if b.text.strip()]


def _forced_hit(offset: int, text: str) -> LabelHit:
    """The hit for a paragraph whose bold lead-in ends in ':' (bold is trusted as a label)."""
    m = match_label(text)
    if m is not None:
        stamp = m.group("ts") or m.group("ts2")
        return LabelHit(
            offset,
            offset + m.end(),
            m.group("label").strip(),
            seconds(stamp) if stamp is not None else None,
        )
    colon = text.index(":")
    label = text[:colon].strip().strip("*_").strip()
    return LabelHit(offset, offset + colon + 1, label or text[:colon])


def parse(data: bytes, name: str) -> Transcript:
    """A ``.docx`` transcript; the stored text is its paragraphs joined by blank lines."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_zip(archive, name)  # a zip bomb is refused before python-docx unpacks it
            if "word/document.xml" in archive.namelist():
                refuse_entities(read_member(archive, "word/document.xml", name), name)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError):
        raise QualcodeError(ui("is not a readable Word file"), source=name) from None
    try:
        document = docx.Document(io.BytesIO(data))
        blocks = _blocks(document)
    except Exception:  # python-docx raises many kinds for a damaged or foreign file
        raise QualcodeError(ui("is not a readable Word file"), source=name) from None
    if not blocks:
        raise QualcodeError(ui("is empty"), source=name)
    offsets: list[int] = []
    pos = 0
    for block in blocks:
        offsets.append(pos)
        pos += len(block.text) + 2
    text = "\n\n".join(b.text for b in blocks)
    barriers = [(o, o + len(b.text)) for o, b in zip(offsets, blocks, strict=True) if b.heading]
    forced = {
        o: _forced_hit(o, b.text) for o, b in zip(offsets, blocks, strict=True) if b.bold_label
    }
    hits = [h for h in scan_labels(text, skip=barriers) if h.line_start not in forced]
    turns, preamble = assemble(text, hits + list(forced.values()), barriers)
    return Transcript(
        id=Path(name).stem,
        text=text,
        turns=turns,
        preamble=preamble,
        source=name,
    )

"""The text side of a written ``.qdpx``: sources with their selections, codings and memos;
notes with their text files; positions counted the way the chosen reader counts them.

Each reader looks in its own place (see docs/refi-qda.md): QualCoder takes a coding memo only
from ``PlainTextSelection/Description`` and a note only with a ``plainTextPath`` file and a
date, others follow NoteRefs. So a memo is written both ways, and every note has a date and a
file.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from qualcode.model import Coding
from qualcode.refi.model import PROJECT_NS, ExchangeProject, coding_key, guid_for

# A note needs a date (QualCoder's import stops without one); when the project has none at
# all, the date the archive's members carry.
EPOCH = "1980-01-01T00:00:00Z"
# Attributes of a selection and of a coding an imported file may have brought, given back.
SELECTION_KEPT = ("name", "creatingUser", "creationDateTime", "modifyingUser", "modifiedDateTime")
CODING_KEPT = ("creatingUser", "creationDateTime")
USER_ATTRIBUTES = ("creatingUser", "modifyingUser")


def el(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{PROJECT_NS}}}{tag}", attrs)


@functools.lru_cache(maxsize=4096)  # a project's codings share few distinct dates
def xsd_datetime(value: str) -> str | None:
    """``value`` as an xsd:dateTime, or None when it does not parse."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    text = parsed.isoformat(timespec="seconds")
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def newest_date(project: ExchangeProject) -> str:
    """The latest date the project knows (a coding's, a summary's), for notes without one."""
    dates = [xsd_datetime(c.created) for c in project.codings]
    dates += [xsd_datetime(s.updated) for s in project.summaries]
    dates += [xsd_datetime(d) for d in project.note_dates.values()]
    known = [d for d in dates if d]
    return (
        max(known, key=lambda d: datetime.fromisoformat(d.replace("Z", "+00:00")))
        if known
        else EPOCH
    )


@dataclass(frozen=True)
class Note:
    guid: str
    name: str
    text: str
    created: str  # xsd:dateTime, always set
    user: str = ""  # GUID of the creating user, if known


def note_path(note: Note) -> str:
    return f"sources/{note.guid}.txt"


def add_notes(root: etree._Element, notes: list[Note]) -> None:
    """``<Notes>``: each note's text is its file in ``sources/`` (the standard wants the text
    either there or inline, not both; NVivo and QualCoder read the file)."""
    holder = el(root, "Notes")
    for note in notes:
        attrs = {
            "guid": note.guid,
            "name": note.name,
            "plainTextPath": f"internal://{note.guid}.txt",
        }
        if note.user:
            attrs["creatingUser"] = note.user
        attrs["creationDateTime"] = note.created
        el(holder, "Note", **attrs)


def position_counter(text: str, scheme: str) -> tuple[str, Callable[[int], int]]:
    """The text as written to its file, and a map from an offset into ``text`` to the offset
    the file's reader expects: characters (the standard), or NVivo's UTF-16 units over CRLF."""
    if scheme != "nvivo":
        return text, lambda pos: pos
    units = [0]
    for ch in text:
        units.append(units[-1] + (2 if ch == "\n" or ord(ch) > 0xFFFF else 1))
    return text.replace("\n", "\r\n"), units.__getitem__


def selections(project: ExchangeProject, codings: list[Coding]) -> list[tuple[str, list[Coding]]]:
    """One transcript's codings as selections, in text order.

    Each coding is a selection of its own, unless an imported file had several codes on one
    selection: those share its GUID again, as long as span and coder are still the same.
    """
    groups: dict[str, list[Coding]] = {}
    for coding in sorted(codings, key=lambda c: (c.start, c.end, c.code, c.coder)):
        key = coding_key(coding)
        guid = project.guid("selection", key)
        first = groups.get(guid)
        if first and (first[0].start, first[0].end, first[0].coder) != (
            coding.start,
            coding.end,
            coding.coder,
        ):
            guid = guid_for("selection", key)
        groups.setdefault(guid, []).append(coding)
    return list(groups.items())


def _kept(
    project: ExchangeProject, coding: Coding, part: str, names: tuple[str, ...]
) -> dict[str, str]:
    """What the imported file said of this coding's selection or coding, while its coder is
    still the one it had then (a coding given to another coder is that coder's now)."""
    meta = project.coding_meta.get(coding_key(coding), {})
    if meta.get("coder", {}).get("name", coding.coder) != coding.coder:
        return {}
    kept = meta.get(part, {})
    out = {}
    for attr in names:
        if attr in kept:
            value = kept[attr]
            out[attr] = project.guid("user", value) if attr in USER_ATTRIBUTES else value
    return out


@dataclass
class SelectionWriter:
    """Writes the selections of one source; collects the memo notes they point to."""

    project: ExchangeProject
    at: Callable[[int], int]
    code_names: dict[str, str]
    memos: list[Note]

    def add(self, source: etree._Element, guid: str, codings: list[Coding]) -> None:
        project, first = self.project, codings[0]
        user = project.guid("user", first.coder)
        attrs = {
            "guid": guid,
            "startPosition": str(self.at(first.start)),
            "endPosition": str(self.at(first.end)),
            "creatingUser": user,
        }
        created = xsd_datetime(first.created)
        if created:
            attrs["creationDateTime"] = created
        attrs.update(_kept(project, first, "selection", SELECTION_KEPT))
        sel = el(source, "PlainTextSelection", **attrs)
        memos = {c.memo for c in codings}
        if len(memos) == 1 and first.memo:  # QualCoder reads a coding memo only here
            el(sel, "Description").text = first.memo
        refs: list[tuple[etree._Element, str]] = []
        for coding in codings:
            coding_guid = project.guid("coding", coding_key(coding))
            coding_attrs = {"guid": coding_guid, "creatingUser": user}
            stamp = xsd_datetime(coding.created)
            if stamp:
                coding_attrs["creationDateTime"] = stamp
            coding_attrs.update(_kept(project, coding, "coding", CODING_KEPT))
            coding_el = el(sel, "Coding", **coding_attrs)
            el(coding_el, "CodeRef", targetGUID=project.guid("code", coding.code))
            if coding.memo:
                note = self._memo_note(coding, coding_guid, coding_attrs)
                # One coding: the memo belongs to the selection, where tools look for it.
                refs.append((sel if len(codings) == 1 else coding_el, note.guid))
        for holder, note_guid in refs:
            el(holder, "NoteRef", targetGUID=note_guid)

    def _memo_note(self, coding: Coding, coding_guid: str, attrs: dict[str, str]) -> Note:
        project = self.project
        note_guid = project.guid("memo", coding_guid)  # another tool's, if it was kept
        if note_guid != guid_for("memo", coding_guid) and any(
            n.guid == note_guid for n in self.memos
        ):
            note_guid = guid_for("memo", coding_guid)  # one GUID names one note
        note = Note(
            note_guid,
            f"{coding.transcript}: {self.code_names.get(coding.code, coding.code)}",
            coding.memo,
            attrs.get("creationDateTime") or newest_date(project),
            attrs["creatingUser"],
        )
        self.memos.append(note)
        return note


def add_case_link(
    source: etree._Element, project: ExchangeProject, tid: str, case: str, end: int
) -> None:
    """A selection of the whole source coded with its case's code: how QualCoder (and NVivo,
    whose cases are codes) see which case a source belongs to."""
    sel = el(
        source,
        "PlainTextSelection",
        guid=guid_for("case-selection", tid),
        name=case,
        startPosition="0",
        endPosition=str(end),
    )
    coding = el(sel, "Coding", guid=guid_for("case-coding", tid))
    el(coding, "CodeRef", targetGUID=project.guid("case", case))

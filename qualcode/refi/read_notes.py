"""Reading notes (memos, summaries, Tabell-1 notes) and naming what a file holds that qualcode
did not keep: every element the reader did not mark as read, and every attribute it has no
place for, one line each (``not_imported``), so nothing is dropped without a word.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Literal

from lxml import etree

from qualcode.i18n import ui_n
from qualcode.model import Coding
from qualcode.refi.model import Summary, coding_key, guid_for
from qualcode.refi.read_xml import RefiReader, kid, kids, local, norm_guid

_SUMMARY_KINDS = ("theme", "section")
_COMPARISON_FIELDS = ("likheter", "forskjeller")

# Attributes each element keeps (in the project, or to be written back); any other attribute
# found on a read element is named as not kept.
_KEPT = {
    "Project": {"name", "origin"},
    "User": {"guid", "name"},
    "Code": {"guid", "name", "isCodable", "color"},
    "Variable": {"guid", "name", "typeOfVariable"},
    "Case": {"guid", "name"},
    "TextSource": {"guid", "name", "plainTextPath"},
    "PlainTextSelection": {
        "guid",
        "name",
        "startPosition",
        "endPosition",
        "creatingUser",
        "creationDateTime",
        "modifyingUser",
        "modifiedDateTime",
    },
    "Coding": {"guid", "creatingUser", "creationDateTime"},
    # A note's user and date: a memo's are its coding's, a summary keeps its date.
    "Note": {"guid", "name", "plainTextPath", "creatingUser", "creationDateTime"}
    | {"modifyingUser", "modifiedDateTime"},
    "Set": {"guid", "name"},
}
_REFS = {"CodeRef", "SourceRef", "NoteRef", "VariableRef", "MemberSource", "SelectionRef"}
# What an element is, in a researcher's words, for the lines of not_imported.
_WHAT = {
    "Link": "a link between two items",
    "Graph": "a graph (network view)",
    "Coding": "a coding of a whole source",
    "MemberCode": "a code in a set",
    "MemberNote": "a note in a set",
    "Set": "a set with no sources",
    "SelectionRef": "a case's link to a selection",
    "PDFSource": "a PDF source",
}


# Lists directly under <Project>: what they hold is named one by one, not the list.
_LISTS = {"Users", "CodeBook", "Codes", "Variables", "Cases", "Sources", "Notes", "Links", "Sets"}
_LISTS |= {"Graphs"}


def where(holder: etree._Element | None) -> str:
    if holder is None or local(holder) in _LISTS or local(holder) == "Project":
        return "the project"
    name = holder.get("name")
    return f"{local(holder)} '{name}'" if name else f"a {local(holder)}"


class NoteReading(RefiReader):
    """The note half of the project reader (``read._ProjectReader`` supplies the rest)."""

    note_texts: dict[str, tuple[str, str]]  # guid -> (name, text)
    note_dates: dict[str, str]  # guid -> its date
    note_kinds: dict[str, Any]  # from the sidecar: guid -> what the note is
    used_notes: set[str]
    memo_guids: set[str]
    memo_notes: list[str]

    def read_notes(self, root: etree._Element) -> None:
        self.note_texts, self.note_dates = {}, {}
        self.use(kid(root, "Notes"))
        for n in kids(kid(root, "Notes"), "Note"):
            guid = norm_guid(self.attr(n, "guid"))
            text = self.note_text(n)
            short = " ".join(text.split())
            short = short if len(short) <= 40 else short[:39] + "…"
            # An annotation (a note on a span, as QualCoder and ATLAS.ti write them) or an
            # unnamed note is named by its text.
            kind = "annotation" if kid(n, "PlainTextSelection") is not None else "note"
            label = f"'{n.get('name')}'" if n.get("name") else f"«{short}»"
            self.note_texts[guid] = (f"{kind} {label}", text)
            self.note_dates[guid] = n.get("modifiedDateTime") or n.get("creationDateTime") or ""
            # Read: a note is a memo or a summary, or it is named in unattached().
            self.used.update(n.iter())
        refs = [(ref, norm_guid(self.attr(ref, "targetGUID"))) for ref in root.iter("{*}NoteRef")]
        self.used.update(ref for ref, _ in refs)  # their notes are read or named
        missing = [(ref, guid) for ref, guid in refs if guid not in self.note_texts]
        if missing:
            ref, guid = missing[0]
            self.notes.append(
                ui_n(
                    "{n} <NoteRef> points to a note that is not in the file (on line {line}, "
                    "to {guid}); it was left out.",
                    "{n} <NoteRef>s point to a note that is not in the file (the first on line "
                    "{line}, to {guid}); they were left out.",
                    len(missing),
                ).format(n=len(missing), line=ref.sourceline, guid=guid)
            )
        self.used_notes, self.memo_guids = set(), set()

    def memo(self, *holders: etree._Element) -> str:
        """Descriptions and linked notes of a selection and its coding, joined once each.

        ``memo_notes`` is left holding the GUIDs of the notes that gave text, in order.
        """
        parts: list[str] = []
        self.memo_notes = []
        for el in holders:
            desc = kid(el, "Description")
            self.use(desc)
            if desc is not None and (desc.text or "").strip():
                parts.append(desc.text or "")
            for ref in kids(el, "NoteRef"):
                guid = norm_guid(self.attr(ref, "targetGUID"))
                text = self.note_texts.get(guid, ("", ""))[1].strip()
                if guid in self.note_texts:
                    self.used_notes.add(guid)
                if text:
                    parts.append(text)
                    self.memo_notes.append(guid)
        return "\n\n".join(dict.fromkeys(p.strip() for p in parts))

    def keep_memo_guid(self, coding: Coding, cod: etree._Element) -> None:
        """The first note of a coding's memo keeps its GUID through qualcode, keyed by the
        coding's GUID (as the export derives a memo's); a note shared by several codings
        stays with the first, since one GUID cannot name two notes of an export."""
        note = next((g for g in self.memo_notes if g not in self.memo_guids), None)
        if note is None:
            return
        key = coding_key(coding)
        coding_guid = norm_guid(cod.get("guid", "")) or guid_for("coding", key)
        self.memo_guids.add(note)
        self.keep_guid("memo", coding_guid, note)

    def analyst_notes(self) -> tuple[list[Summary], dict[str, tuple[str, str]], dict[str, str]]:
        """Case summaries and Tabell-1 notes qualcode wrote, known by its sidecar; returns
        them and the Tabell-1 notes' dates."""
        summaries: list[Summary] = []
        comparison: dict[str, list[str]] = {}
        dates: dict[str, str] = {}
        for guid, what in self.note_kinds.items():
            if guid not in self.note_texts or not isinstance(what, list):
                continue
            text = self.note_texts[guid][1]
            if len(what) == 4 and what[0] == "summary" and what[2] in _SUMMARY_KINDS:
                # A theme's target is a code id as the sidecar gave it, so as read here.
                _, case, kind, target = map(str, what)
                shape: Literal["theme", "section"] = "theme" if kind == "theme" else "section"
                summaries.append(Summary(case, shape, target, text, self.note_dates[guid]))
            elif len(what) == 3 and what[0] == "comparison" and what[2] in _COMPARISON_FIELDS:
                pair = comparison.setdefault(str(what[1]), ["", ""])
                pair[_COMPARISON_FIELDS.index(what[2])] = text
                dates[f"comparison:{what[1]}"] = self.note_dates[guid]
            else:
                continue
            self.used_notes.add(guid)
        return summaries, {k: (v[0], v[1]) for k, v in comparison.items()}, dates

    def unattached(self, root: etree._Element) -> list[str]:
        """Notes that became neither a memo nor a summary, with what the file hangs them on."""
        holders: dict[str, list[str]] = {}
        for ref in root.iter("{*}NoteRef"):
            holders.setdefault(norm_guid(ref.get("targetGUID", "")), []).append(
                where(ref.getparent())
            )
        out = []
        for guid, (name, text) in self.note_texts.items():
            if guid in self.used_notes or not text.strip():
                continue
            place = ", ".join(dict.fromkeys(holders.get(guid, ["the project"])))
            out.append(f"{name} (on {place})")
        return out

    def leftovers(self, root: etree._Element) -> list[str]:
        """Every element not read (the outermost of each unread branch) and every attribute
        of a read element that qualcode has no place for, described."""
        out: list[str] = []
        self.use(*(el for el in root if isinstance(el.tag, str) and local(el) in _LISTS))
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            if el in self.used:
                continue
            parent = el.getparent()
            if parent is not None and parent not in self.used:
                continue  # inside a branch already named
            tag = local(el)
            if tag == "Description" and not (el.text or "").strip() and not len(el):
                continue  # an empty description holds nothing to lose
            name = el.get("name")
            what = _WHAT.get(tag, f"<{tag}>")
            label = f"{what} '{name}'" if name else what
            out.append(
                f"{label} in {where(parent)} (line {el.sourceline}): qualcode has no place for it"
            )
        out.extend(self._attributes(root))
        return out

    def _attributes(self, root: etree._Element) -> list[str]:
        lost: Counter[tuple[str, str]] = Counter()
        for el in root.iter():
            if not isinstance(el.tag, str) or el not in self.used:
                continue
            if any(up in self.reported for up in (el, *el.iterancestors())):
                continue  # left out whole, and said so
            tag = local(el)
            kept = _KEPT.get(tag, {"targetGUID"} if tag in _REFS else set())
            for attr, value in el.attrib.items():
                if "}" in attr or not value.strip():  # xsi:schemaLocation; an empty value
                    continue
                if attr not in kept:
                    lost[(tag, attr)] += 1
        by_tag: dict[str, list[str]] = {}
        count: dict[str, int] = {}
        for (tag, attr), n in lost.items():
            by_tag.setdefault(tag, []).append(attr)
            count[tag] = max(count.get(tag, 0), n)
        return [
            f"the {', '.join(sorted(attrs))} of {_count(count[tag], tag)}: qualcode keeps no such detail"
            for tag, attrs in by_tag.items()
        ]


def _count(n: int, tag: str) -> str:
    if tag == "Project":
        return "the project"
    return f"{n} <{tag}>" if n != 1 else f"the <{tag}>"

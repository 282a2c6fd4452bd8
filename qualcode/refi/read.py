"""REFI-QDA import: ``.qdpx`` projects into an ``ExchangeProject`` (``.qdc`` codebooks: see
``refi_xml.read_qdc``, re-exported here).

Real exports bend the standard (ATLAS.ti's ``Trial.qde``, namespace variants, NVivo's
UTF-16 offsets with CRLF counted twice): those are accepted with a note in
``ExchangeProject.notes``; only a file that cannot be read at all (a damaged archive, bad
XML, a missing required attribute) or whose GUIDs would send codings astray (two codes or
two users with one GUID) raises. Sources go through
the same rules as transcript files (size, encoding, empty, binary): one that fails them is
skipped with a note, the rest of the file still imports.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from lxml import etree

from qualcode.bounds import check_regular, check_zip
from qualcode.importers import MAX_FILE_BYTES
from qualcode.model import INFORMANT, Code, Coding, QualcodeError, Transcript, Turn
from qualcode.refi.model import (
    PROJECT_NS,
    VALUE_FORMS,
    ExchangeProject,
    OffsetMap,
    Summary,
    best_scheme,
    coding_key,
    guid_for,
    ordered_union,
    unique,
)
from qualcode.refi.read_xml import (
    RefiReader,
    Unusable,
    kid,
    kids,
    local,
    norm_guid,
    read_member,
    read_qdc,
    read_sidecar,
)

__all__ = ["read_qdc", "read_qdpx"]

UNKNOWN_CODER = "unknown"
# A project.qde holds every selection of a project; far bigger than a transcript may be.
MAX_QDE_BYTES = 10 * MAX_FILE_BYTES
_OTHER_SOURCES = ("PDFSource", "PictureSource", "AudioSource", "VideoSource")
_VALUE_TAGS = tuple(
    f"{t}Value" for t in ("Text", "Boolean", "Integer", "Float", "Date", "DateTime")
)
_SUMMARY_KINDS = ("theme", "section")
_COMPARISON_FIELDS = ("likheter", "forskjeller")


def _turns(text: str) -> tuple[list[Turn], str]:
    """Turns and preamble as the text importer finds them; else one turn per paragraph."""
    try:
        from qualcode.importers import text as text_importer

        scan = getattr(text_importer, "scan_labels", None)
        assemble = getattr(text_importer, "assemble", None)
        if callable(scan) and callable(assemble):
            turns, preamble = assemble(text, scan(text))
            if all(isinstance(t, Turn) for t in turns):
                return list(turns), str(preamble)
    except (ImportError, TypeError, ValueError, QualcodeError):
        pass  # an incompatible text importer: the paragraph fallback still works
    out: list[Turn] = []
    for match in re.finditer(r"[^\n]*\S[^\n]*", text):
        line = match.group(0)
        start = match.start() + (len(line) - len(line.lstrip()))
        end = match.start() + len(line.rstrip())
        out.append(Turn(speaker="Ukjent", start=start, end=end, role=INFORMANT))
    return out, ""


def _value_text(vv: etree._Element) -> str:
    for tag in _VALUE_TAGS:
        el = kid(vv, tag)
        if el is not None:
            return (el.text or "").strip()
    return ""


def _where(holder: etree._Element | None) -> str:
    if holder is None or local(holder) == "Project":
        return "the project"
    name = holder.get("name")
    return f"{local(holder)} '{name}'" if name else f"a {local(holder)}"


class _ProjectReader(RefiReader):
    """Reads a ``<Project>``: the lookups first, then one text source at a time."""

    def __init__(
        self,
        source: str,
        zf: zipfile.ZipFile | None,
        known_codes: Iterable[Code],
        sidecar: dict[str, dict[str, object]] | None = None,
    ):
        sidecar = sidecar or {}
        code_ids = {k: v for k, v in sidecar.get("codes", {}).items() if isinstance(v, str) and v}
        super().__init__(source, zf, known_codes, code_ids)
        self.note_kinds = sidecar.get("notes", {})

    def read(self, root: etree._Element) -> ExchangeProject:
        if local(root) != "Project":
            raise self.fail(f"The root element is <{local(root)}>, not <Project>.", root)
        self.check_namespace(root, PROJECT_NS, "project")
        self.ours = root.get("origin", "").startswith("qualcode")
        self.read_users(root)
        codes = self.codes(kid(kid(root, "CodeBook"), "Codes"))
        types = self.read_variables(root)
        self.note_texts: dict[str, tuple[str, str]] = {}  # guid -> (name, text)
        for n in kids(kid(root, "Notes"), "Note"):
            guid = norm_guid(self.attr(n, "guid"))
            self.note_texts[guid] = (n.get("name") or guid, self.note_text(n))
        self.check_note_refs(root)
        self.used_notes: set[str] = set()
        self.memo_guids: set[str] = set()  # notes whose GUID a memo keeps
        source_refs = self.read_cases(root)
        self.transcripts: list[Transcript] = []
        self.codings: list[Coding] = []
        self.seen: set[tuple[str, int, int, str, str]] = set()
        self.ids: set[str] = set()
        holder = kid(root, "Sources")
        sources = [s for s in holder if isinstance(s.tag, str)] if holder is not None else []
        for src in sources:
            self.read_source(src)
        in_file = {norm_guid(s.get("guid", "")) for s in sources}
        for case, target, ref in source_refs:
            if target not in in_file:
                self.notes.append(
                    f"Case '{case}' (line {ref.sourceline}) names the source {target}, which "
                    "is not in the file; that reference was ignored."
                )
        summaries, comparison = self.analyst_notes()
        return ExchangeProject(
            name=root.get("name", ""),
            coders=ordered_union(self.users.values(), (c.coder for c in self.codings)),
            codes=codes,
            transcripts=self.transcripts,
            codings=self.codings,
            cases=self.cases,
            notes=self.notes,
            skipped_sources=self.skipped,
            guids=self.guids,
            summaries=summaries,
            comparison=comparison,
            unattached_notes=self.unattached(root),
            variable_types=types,
        )

    def read_users(self, root: etree._Element) -> None:
        self.users: dict[str, str] = {}  # guid -> coder name
        line: dict[str, int | None] = {}
        for u in kids(kid(root, "Users"), "User"):
            guid = norm_guid(self.attr(u, "guid"))
            name = u.get("name") or u.get("id") or guid
            if guid in line:  # codings would go to the wrong coder: refuse, as for codes
                raise self.fail(
                    f"<User name='{name}'> has the GUID {guid}, already used by the user "
                    f"'{self.users[guid]}' on line {line[guid]}; every user needs its own GUID.",
                    u,
                )
            line[guid] = u.sourceline
            self.users[guid] = name
            self.keep_guid("user", name, guid)

    def read_variables(self, root: etree._Element) -> dict[str, str]:
        """Variable names by GUID; returns each one's type, where it is not Text."""
        self.variables: dict[str, str] = {}
        types: dict[str, str] = {}
        for v in kids(kid(root, "Variables"), "Variable"):
            guid = norm_guid(self.attr(v, "guid"))
            self.variables[guid] = self.attr(v, "name")
            self.keep_guid("variable", self.variables[guid], guid)
            kind = (v.get("typeOfVariable") or "Text").strip()
            if kind in VALUE_FORMS:
                types[self.variables[guid]] = kind
        return types

    def read_cases(self, root: etree._Element) -> list[tuple[str, str, etree._Element]]:
        """Cases and their values; returns each (case, source GUID, SourceRef) to check."""
        self.cases: dict[str, dict[str, str]] = {}
        self.case_of: dict[str, str] = {}  # source guid -> case name
        refs: list[tuple[str, str, etree._Element]] = []
        for case in kids(kid(root, "Cases"), "Case"):
            guid = norm_guid(self.attr(case, "guid"))
            name = case.get("name") or guid
            self.cases[name] = self.values(case)
            self.keep_guid("case", name, guid)
            for ref in kids(case, "SourceRef"):
                target = norm_guid(self.attr(ref, "targetGUID"))
                self.case_of.setdefault(target, name)
                refs.append((name, target, ref))
        return refs

    def check_note_refs(self, root: etree._Element) -> None:
        """A note the file points to but does not hold is left out, with a message."""
        refs = [(ref, norm_guid(self.attr(ref, "targetGUID"))) for ref in root.iter("{*}NoteRef")]
        missing = [(ref, guid) for ref, guid in refs if guid not in self.note_texts]
        if missing:
            ref, guid = missing[0]
            self.notes.append(
                f"{len(missing)} <NoteRef>(s) point to a note that is not in the file (the "
                f"first on line {ref.sourceline}, to {guid}); they were left out."
            )

    def values(self, el: etree._Element) -> dict[str, str]:
        out: dict[str, str] = {}
        for vv in kids(el, "VariableValue"):
            ref = kid(vv, "VariableRef")
            if ref is not None:
                target = norm_guid(self.attr(ref, "targetGUID"))
                out[self.variables.get(target, target)] = _value_text(vv)
        return out

    def memo(self, *holders: etree._Element) -> str:
        """Descriptions and linked notes of a selection and its coding, joined once each.

        ``memo_notes`` is left holding the GUIDs of the notes that gave text, in order.
        """
        parts: list[str] = []
        self.memo_notes: list[str] = []
        for el in holders:
            desc = kid(el, "Description")
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
        return "\n\n".join(dict.fromkeys(parts))

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

    def analyst_notes(self) -> tuple[list[Summary], dict[str, tuple[str, str]]]:
        """Case summaries and Tabell-1 notes qualcode wrote, known by its sidecar."""
        summaries: list[Summary] = []
        comparison: dict[str, list[str]] = {}
        for guid, what in self.note_kinds.items():
            if guid not in self.note_texts or not isinstance(what, list):
                continue
            text = self.note_texts[guid][1]
            if len(what) == 4 and what[0] == "summary" and what[2] in _SUMMARY_KINDS:
                # A theme's target is a code id as the sidecar gave it, so as read here.
                _, case, kind, target = map(str, what)
                summaries.append(Summary(case, kind, target, text))
            elif len(what) == 3 and what[0] == "comparison" and what[2] in _COMPARISON_FIELDS:
                pair = comparison.setdefault(str(what[1]), ["", ""])
                pair[_COMPARISON_FIELDS.index(what[2])] = text
            else:
                continue
            self.used_notes.add(guid)
        return summaries, {k: (v[0], v[1]) for k, v in comparison.items()}

    def unattached(self, root: etree._Element) -> list[str]:
        """Notes that became neither a memo nor a summary, with what the file hangs them on."""
        holders: dict[str, list[str]] = {}
        for ref in root.iter("{*}NoteRef"):
            holders.setdefault(norm_guid(ref.get("targetGUID", "")), []).append(
                _where(ref.getparent())
            )
        out = []
        for guid, (name, text) in self.note_texts.items():
            if guid in self.used_notes or not text.strip():
                continue
            where = ", ".join(dict.fromkeys(holders.get(guid, ["the project"])))
            out.append(f"'{name}' (on {where})")
        return out

    def read_source(self, src: etree._Element) -> None:
        kind = local(src)
        if kind not in ("TextSource", *_OTHER_SOURCES):
            return
        guid = norm_guid(self.attr(src, "guid"))
        path_name = PurePosixPath(src.get("plainTextPath") or src.get("path") or "").stem
        name = src.get("name") or path_name or guid
        try:
            if kind != "TextSource":
                raise Unusable("not text; qualcode holds text sources only")
            raw = self.source_text(src, name)
        except Unusable as why:
            self.skipped.append(name)
            self.notes.append(f"Skipped {kind} '{name}': {why}.")
            return
        omap = OffsetMap(raw)
        tid = unique(name, self.ids)
        self.keep_guid("transcript", tid, guid)
        if kids(src, "Coding"):
            self.notes.append(f"Source '{name}': codings of the whole source skipped.")
        self.selections(src, name, tid, omap)
        case = self.case_of.get(guid)
        turns, preamble = _turns(omap.text)
        self.transcripts.append(
            Transcript(
                id=tid,
                text=omap.text,
                turns=turns,
                case=case,
                attributes={**self.cases.get(case or "", {}), **self.values(src)},
                preamble=preamble,
                source=f"{self.source_name}#{name}",
            )
        )

    def coder(self, sel: etree._Element, cod: etree._Element) -> str:
        user = sel.get("creatingUser") or cod.get("creatingUser") or ""
        return self.users.get(norm_guid(user), UNKNOWN_CODER) if user else UNKNOWN_CODER

    def selections(self, src: etree._Element, name: str, tid: str, omap: OffsetMap) -> None:
        selections = kids(src, "PlainTextSelection")
        spans = [
            (self.int_attr(s, "startPosition"), self.int_attr(s, "endPosition")) for s in selections
        ]
        # Our own exports follow the standard; others get their counting guessed.
        scheme = best_scheme(omap, spans) if spans and not self.ours else ("chars", "lf")
        if scheme != ("chars", "lf"):
            unit = "UTF-16 units" if scheme[0] == "utf16" else "characters"
            crlf = " with CRLF counted as two" if scheme[1] == "raw" else ""
            self.notes.append(f"Source '{name}': selection offsets read as {unit}{crlf}.")
        dropped = merged = anonymous = 0
        for sel, (start, end) in zip(selections, spans, strict=True):
            s = omap.to_final(start, scheme)
            e = omap.to_final(end, scheme, end=True)
            for cod in kids(sel, "Coding"):
                ref = kid(cod, "CodeRef")
                if ref is None:
                    raise self.fail("<Coding> lacks its <CodeRef>.", cod)
                code = self.code_ids.get(norm_guid(self.attr(ref, "targetGUID")))
                if s is None or e is None or e < s or code is None:
                    dropped += 1
                    self.memo(sel, cod)  # its notes go with it: reported as dropped, not loose
                    continue
                coder = self.coder(sel, cod)
                key = (tid, s, e, code, coder)
                if key in self.seen:
                    merged += 1
                    self.memo(sel, cod)
                    continue
                self.seen.add(key)
                anonymous += coder == UNKNOWN_CODER
                created = cod.get("creationDateTime") or sel.get("creationDateTime") or ""
                coding = Coding(
                    tid,
                    s,
                    e,
                    code,
                    coder,
                    quote=omap.text[s:e],
                    memo=self.memo(sel, cod),
                    created=created,
                )
                self.codings.append(coding)
                self.keep_memo_guid(coding, cod)
                self.keep_guid("selection", coding_key(coding), norm_guid(sel.get("guid", "")))
                self.keep_guid("coding", coding_key(coding), norm_guid(cod.get("guid", "")))
        if merged:
            self.notes.append(f"Source '{name}': {merged} duplicate coding(s) merged.")
        if dropped:
            self.notes.append(
                f"Source '{name}': {dropped} coding(s) outside the text or "
                "without a known code skipped."
            )
        if anonymous:
            self.notes.append(
                f"Source '{name}': {anonymous} coding(s) name no user of the file as their "
                f"creator; they were given the coder '{UNKNOWN_CODER}'."
            )


def read_qdpx(path: str | Path, known_codes: Iterable[Code] = ()) -> ExchangeProject:
    """Read a REFI-QDA project archive.

    ``known_codes`` (optional): codes already in the qualcode project; an imported code
    with the GUID qualcode gives that code keeps its id.
    """
    source = str(path)
    if not Path(path).exists():
        raise QualcodeError("File not found.", source)
    check_regular(path, "REFI-QDA project")
    try:
        zf = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise QualcodeError("File not found.", source) from None
    except (zipfile.BadZipFile, OSError):
        raise QualcodeError("Not a REFI-QDA project (.qdpx): not a zip archive.", source) from None
    with zf:
        check_zip(zf, source)  # sizes and ratios from the directory, before unpacking
        qde = [i for i in zf.infolist() if i.filename.lower().endswith(".qde")]
        if not qde:
            raise QualcodeError("Not a REFI-QDA project: no .qde file inside.", source)
        member = next((i for i in qde if i.filename.lower() == "project.qde"), qde[0])
        if member.file_size > MAX_QDE_BYTES:
            raise QualcodeError(
                f"{member.filename} is {member.file_size / 1e6:.0f} MB; qualcode reads project "
                f"files up to {MAX_QDE_BYTES // 1_000_000} MB.",
                source,
            )
        messages: list[str] = []
        sidecar = read_sidecar(zf, messages)
        r = _ProjectReader(f"{source}:{member.filename}", zf, known_codes, sidecar)
        r.notes.extend(messages)
        if member.filename != "project.qde":
            r.notes.append(
                f"Project read from '{member.filename}' (the standard name is project.qde)."
            )
        return r.read(r.parse(read_member(zf, member)))

"""Reading the text side of a ``<Project>``: each text source with its selections, codings,
memos, the users and dates each carried, and its own variables.

Selections keep their exact positions (no whitespace is trimmed: another tool's span is the
span); a code that stands for a case (QualCoder's and NVivo's way of linking sources to cases)
links its source to that case instead of becoming a coding.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Any

from lxml import etree

from qualcode.i18n import ui, ui_n
from qualcode.model import INFORMANT, Coding, QualcodeError, Transcript, Turn
from qualcode.refi.model import OffsetMap, best_scheme, coding_key, guid_for, unique
from qualcode.refi.read_xml import RefiReader, Unusable, kid, kids, local, norm_guid

UNKNOWN_CODER = "unknown"
OTHER_SOURCES = ("PDFSource", "PictureSource", "AudioSource", "VideoSource")
_VALUE_TAGS = tuple(
    f"{t}Value" for t in ("Text", "Boolean", "Integer", "Float", "Date", "DateTime")
)
# Attributes of a selection and a coding kept when they differ from what qualcode would write.
_SELECTION_ATTRS = ("name", "creatingUser", "creationDateTime", "modifyingUser", "modifiedDateTime")
_CODING_ATTRS = ("creatingUser", "creationDateTime")
_USERS = ("creatingUser", "modifyingUser")
# (scheme of OffsetMap) for each way qualcode's own export counts (its sidecar says which)
OWN_SCHEMES = {"chars": ("chars", "lf"), "nvivo": ("utf16", "raw")}


def turns_of(text: str) -> tuple[list[Turn], str]:
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


def value_of(vv: etree._Element) -> tuple[str, Any]:
    """The value element of a ``<VariableValue>`` and its value, typed as the tag says."""
    for tag in _VALUE_TAGS:
        el = kid(vv, tag)
        if el is not None:
            text = (el.text or "").strip()
            try:
                if tag == "IntegerValue":
                    return tag, int(text)
                if tag == "FloatValue":
                    number = float(text)
                    return tag, int(number) if number.is_integer() and "." not in text else number
            except ValueError:
                pass
            return tag, text
    return "", ""


class SourceReading(RefiReader):
    """The source half of the project reader (``read._ProjectReader`` supplies the rest)."""

    ours: bool
    own_scheme: tuple[str, str]
    users: dict[str, str]
    cases: dict[str, dict[str, str]]
    case_of: dict[str, str]
    file_values: dict[str, dict[str, Any]]
    given_meta: dict[str, dict[str, Any]]
    transcripts: list[Transcript]
    codings: list[Coding]
    seen: set[tuple[str, int, int, str, str]]
    ids: set[str]
    descriptions: dict[str, str]
    coding_meta: dict[str, dict[str, dict[str, str]]]
    coding_by_guid: dict[str, str]
    source_tids: dict[str, str]

    def memo(self, *holders: etree._Element) -> str:
        raise NotImplementedError  # read_notes.NoteReading

    def keep_memo_guid(self, coding: Coding, cod: etree._Element) -> None:
        raise NotImplementedError  # read_notes.NoteReading

    def typed_values(self, el: etree._Element) -> dict[str, Any]:
        raise NotImplementedError  # read._ProjectReader

    def read_source(self, src: etree._Element) -> None:
        kind = local(src)
        if kind not in ("TextSource", *OTHER_SOURCES):
            return
        self.use(src)
        guid = norm_guid(self.attr(src, "guid"))
        path_name = PurePosixPath(src.get("plainTextPath") or src.get("path") or "").stem
        name = src.get("name") or path_name or guid
        try:
            if kind != "TextSource":
                raise Unusable(ui("not text; qualcode holds text sources only"))
            raw = self.source_text(src, name)
        except Unusable as why:
            self.skipped.append(name)
            self.notes.append(
                ui("Skipped {kind} '{name}': {why}.").format(kind=kind, name=name, why=why)
            )
            self.used.update(src.iter())  # reported as skipped, not again as an element
            self.reported.add(src)
            return
        self.use(kid(src, "PlainTextContent"))
        omap = OffsetMap(raw)
        tid = unique(name, self.ids)
        self.source_tids[guid] = tid
        self.keep_guid("transcript", tid, guid)
        desc = kid(src, "Description")
        if desc is not None and (desc.text or "").strip():
            self.descriptions[f"transcript:{tid}"] = desc.text or ""
        self.use(desc)
        self.selections(src, name, tid, omap, guid)
        case = self.case_of.get(guid)
        turns, preamble = turns_of(omap.text)
        meta = {**self.file_values.get(guid, {}), **self.typed_values(src)}
        if guid in self.given_meta:  # qualcode's own export: the metadata exactly as it was
            meta = dict(self.given_meta[guid])
        self.transcripts.append(
            Transcript(
                id=tid,
                text=omap.text,
                turns=turns,
                case=case,
                attributes=dict(self.cases.get(case or "", {})),
                meta=meta,
                preamble=preamble,
                source=f"{self.source_name}#{name}",
            )
        )

    def coder(self, sel: etree._Element, cod: etree._Element) -> str:
        user = sel.get("creatingUser") or cod.get("creatingUser") or ""
        return self.users.get(norm_guid(user), UNKNOWN_CODER) if user else UNKNOWN_CODER

    def _scheme(self, omap: OffsetMap, spans: list[tuple[int, int]], name: str) -> tuple[str, str]:
        # Our own exports say how they count; others get their counting guessed.
        scheme = self.own_scheme if self.ours else best_scheme(omap, spans) if spans else None
        scheme = scheme or ("chars", "lf")
        if scheme != ("chars", "lf") and not self.ours:
            said = {
                ("utf16", True): ui(
                    "Source '{name}': selection offsets read as UTF-16 units "
                    "with CRLF counted as two."
                ),
                ("utf16", False): ui("Source '{name}': selection offsets read as UTF-16 units."),
                ("chars", True): ui(
                    "Source '{name}': selection offsets read as characters "
                    "with CRLF counted as two."
                ),
                ("chars", False): ui("Source '{name}': selection offsets read as characters."),
            }[("utf16" if scheme[0] == "utf16" else "chars", scheme[1] == "raw")]
            self.notes.append(said.format(name=name))
        return scheme

    def selections(
        self, src: etree._Element, name: str, tid: str, omap: OffsetMap, source_guid: str
    ) -> None:
        selections = kids(src, "PlainTextSelection")
        spans = [
            (self.int_attr(s, "startPosition"), self.int_attr(s, "endPosition")) for s in selections
        ]
        scheme = self._scheme(omap, spans, name)
        dropped = merged = anonymous = 0
        for sel, (start, end) in zip(selections, spans, strict=True):
            s = omap.to_final(start, scheme)
            e = omap.to_final(end, scheme, end=True)
            for cod in kids(sel, "Coding"):
                ref = kid(cod, "CodeRef")
                if ref is None:
                    raise self.fail(ui("<Coding> lacks its <CodeRef>."), cod)
                target = norm_guid(self.attr(ref, "targetGUID"))
                if target in self.case_codes:  # the source belongs to that case
                    self.case_of.setdefault(source_guid, self.case_codes[target])
                    self.use(sel, cod, ref, kid(sel, "Description"))
                    continue
                code = self.code_ids.get(target)
                self.use(sel, cod, ref)
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
                self.keep_attributes(coding, sel, cod)
                self.keep_guid("selection", coding_key(coding), norm_guid(sel.get("guid", "")))
                cod_guid = norm_guid(cod.get("guid", ""))
                self.keep_guid("coding", coding_key(coding), cod_guid)
                self.coding_by_guid[cod_guid or guid_for("coding", coding_key(coding))] = (
                    coding_key(coding)
                )
        if merged:
            self.notes.append(
                ui_n(
                    "Source '{name}': {n} duplicate coding merged.",
                    "Source '{name}': {n} duplicate codings merged.",
                    merged,
                ).format(name=name, n=merged)
            )
        if dropped:
            self.notes.append(
                ui_n(
                    "Source '{name}': {n} coding outside the text or without a known code skipped.",
                    "Source '{name}': {n} codings outside the text or without a known code "
                    "skipped.",
                    dropped,
                ).format(name=name, n=dropped)
            )
        if anonymous:
            self.notes.append(
                ui_n(
                    "Source '{name}': {n} coding names no user of the file as its creator; "
                    "it was given the coder '{coder}'.",
                    "Source '{name}': {n} codings name no user of the file as their creator; "
                    "they were given the coder '{coder}'.",
                    anonymous,
                ).format(name=name, n=anonymous, coder=UNKNOWN_CODER)
            )

    def keep_attributes(self, coding: Coding, sel: etree._Element, cod: etree._Element) -> None:
        """The users and dates of the selection and of the coding, where they differ from what
        qualcode would write for this coding (its coder, its date): kept to be written back."""
        derived = {"creatingUser": coding.coder, "creationDateTime": coding.created}
        meta: dict[str, dict[str, str]] = {}
        for part, el, names in (
            ("selection", sel, _SELECTION_ATTRS),
            ("coding", cod, _CODING_ATTRS),
        ):
            kept = {}
            for attr in names:
                value = el.get(attr)
                if value is None or (attr == "name" and not value):
                    continue
                if attr in _USERS:
                    user = self.users.get(norm_guid(value))
                    if user is None:
                        continue  # an unknown user: the coder is 'unknown', said in a note
                    value = user
                if derived.get(attr) != value:
                    kept[attr] = value
            if kept:
                meta[part] = kept
        if meta:
            meta["coder"] = {"name": coding.coder}
            self.coding_meta[coding_key(coding)] = meta

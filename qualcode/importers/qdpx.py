"""REFI-QDA import: ``.qdpx`` projects and ``.qdc`` codebooks into an ``ExchangeProject``.

Real exports bend the standard (ATLAS.ti's ``Trial.qde``, namespace variants, NVivo's
UTF-16 offsets with CRLF counted twice): those are accepted with a note in
``ExchangeProject.notes``; only a file that cannot be read at all raises.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from lxml import etree

from qualcode.model import INFORMANT, Code, Coding, QualcodeError, Transcript, Turn
from qualcode.refi import (
    CODEBOOK_NS,
    PROJECT_NS,
    ExchangeProject,
    OffsetMap,
    best_scheme,
    guid_for,
    ordered_union,
    slugify,
    unique,
)

UNKNOWN_CODER = "unknown"
_OTHER_SOURCES = ("PDFSource", "PictureSource", "AudioSource", "VideoSource")
_VALUE_TAGS = tuple(
    f"{t}Value" for t in ("Text", "Boolean", "Integer", "Float", "Date", "DateTime")
)


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _kids(el: etree._Element | None, name: str) -> list[etree._Element]:
    if el is None:
        return []
    return [c for c in el if _local(c) == name]


def _kid(el: etree._Element | None, name: str) -> etree._Element | None:
    found = _kids(el, name)
    return found[0] if found else None


def _guid(value: str) -> str:
    return value.strip().strip("{}").lower()


class _Reader:
    """State for reading one file: its name (for errors), zip, notes."""

    def __init__(
        self, source: str, zf: zipfile.ZipFile | None = None, known_codes: Iterable[Code] = ()
    ):
        self.source_name = source
        self.zf = zf
        self.notes: list[str] = []
        self.skipped: list[str] = []
        self.known = list(known_codes)
        self.code_ids: dict[str, str] = {}  # guid -> code id

    def fail(self, message: str, el: etree._Element | None = None) -> QualcodeError:
        return QualcodeError(
            message, source=self.source_name, line=el.sourceline if el is not None else None
        )

    def attr(self, el: etree._Element, name: str) -> str:
        value = el.get(name)
        if value is None:
            raise self.fail(f"<{_local(el)}> lacks the required attribute '{name}'.", el)
        return value

    def int_attr(self, el: etree._Element, name: str) -> int:
        value = self.attr(el, name)
        try:
            return int(value.strip())
        except ValueError:
            raise self.fail(
                f"<{_local(el)}> has {name}='{value}', not a whole number.", el
            ) from None

    def parse(self, data: bytes) -> etree._Element:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
        try:
            return etree.fromstring(data, parser)
        except etree.XMLSyntaxError as exc:
            raise QualcodeError(
                f"XML syntax error: {exc.msg}", self.source_name, exc.lineno
            ) from None

    def check_namespace(self, root: etree._Element, expected: str, kind: str) -> None:
        ns = etree.QName(root).namespace
        if ns == expected:
            return
        if ns and ns.lower().startswith(f"urn:qda-xml:{kind}:"):
            self.notes.append(f"Namespace variant '{ns}' read as '{expected}'.")
        elif ns:
            self.notes.append(f"Unexpected namespace '{ns}'; read as REFI-QDA {kind} anyway.")
        else:
            self.notes.append(f"No XML namespace; read as REFI-QDA {kind} anyway.")

    # --- codes ---------------------------------------------------------------
    def codes(self, codes_parent: etree._Element | None) -> list[Code]:
        out: list[Code] = []
        taken: set[str] = set()
        known_by_guid = {guid_for("code", c.id): c.id for c in self.known}
        known_by_name = {c.name: c.id for c in self.known}

        def walk(el: etree._Element, parent: str | None, position: int) -> None:
            guid = _guid(self.attr(el, "guid"))
            name = self.attr(el, "name")
            # A code qualcode wrote (stable GUID) or knows by name keeps its id.
            wanted = known_by_guid.get(guid) or known_by_name.get(name) or slugify(name)
            code_id = unique(wanted, taken)
            self.code_ids[guid] = code_id
            desc = _kid(el, "Description")
            color = el.get("color", "")
            if len(color) == 4:  # #rgb -> #rrggbb
                color = "#" + "".join(ch * 2 for ch in color[1:])
            out.append(
                Code(
                    id=code_id,
                    name=name,
                    parent=parent,
                    description=(desc.text or "") if desc is not None else "",
                    origin="inductive",
                    color=color,
                    position=position,
                )
            )
            for i, child in enumerate(_kids(el, "Code")):
                walk(child, code_id, i)

        for i, el in enumerate(_kids(codes_parent, "Code")):
            walk(el, None, i)
        return out

    # --- files in the archive -------------------------------------------------
    def member(self, path: str) -> bytes | None:
        """A file named by ``internal://x``, a relative path or a URL, found in the zip."""
        if self.zf is None or not path:
            return None
        name = re.sub(r"^(internal|file|relative|absolute)://", "", path).replace("\\", "/")
        base = PurePosixPath(name).name.lower()
        wanted = {f"sources/{name}".lower(), name.lower().lstrip("/"), f"sources/{base}"}
        for info in self.zf.infolist():
            if info.filename.lower() in wanted:
                return self.zf.read(info)
        return None

    def note_text(self, note: etree._Element) -> str:
        content = _kid(note, "PlainTextContent")
        if content is not None:
            return content.text or ""
        data = self.member(note.get("plainTextPath", ""))
        return data.decode("utf-8", "replace") if data is not None else ""

    def source_text(self, src: etree._Element, name: str) -> str | None:
        content = _kid(src, "PlainTextContent")
        if content is not None:
            return content.text or ""
        data = self.member(src.get("plainTextPath", ""))
        if data is not None:
            return data.decode("utf-8", "replace")
        rich = self.member(src.get("richTextPath", ""))
        if rich is not None:
            import docx  # python-docx, only needed for rich-text-only sources

            try:
                doc = docx.Document(io.BytesIO(rich))
            except Exception as exc:  # python-docx raises many kinds for a bad file
                self.notes.append(f"Source '{name}': rich text unreadable ({exc}).")
                return None
            self.notes.append(f"Source '{name}': text taken from its .docx (offsets may drift).")
            return "\n".join(p.text for p in doc.paragraphs)
        return None


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
        el = _kid(vv, tag)
        if el is not None:
            return (el.text or "").strip()
    return ""


class _ProjectReader(_Reader):
    """Reads a ``<Project>``: the lookups first, then one text source at a time."""

    def read(self, root: etree._Element) -> ExchangeProject:
        if _local(root) != "Project":
            raise self.fail(f"The root element is <{_local(root)}>, not <Project>.", root)
        self.check_namespace(root, PROJECT_NS, "project")
        self.ours = root.get("origin", "").startswith("qualcode")
        self.users = {
            _guid(self.attr(u, "guid")): u.get("name") or u.get("id") or _guid(u.get("guid", ""))
            for u in _kids(_kid(root, "Users"), "User")
        }
        codes = self.codes(_kid(_kid(root, "CodeBook"), "Codes"))
        self.variables = {
            _guid(self.attr(v, "guid")): self.attr(v, "name")
            for v in _kids(_kid(root, "Variables"), "Variable")
        }
        self.note_texts = {
            _guid(self.attr(n, "guid")): self.note_text(n)
            for n in _kids(_kid(root, "Notes"), "Note")
        }
        self.cases: dict[str, dict[str, str]] = {}
        self.case_of: dict[str, str] = {}  # source guid -> case name
        for case in _kids(_kid(root, "Cases"), "Case"):
            name = case.get("name") or _guid(self.attr(case, "guid"))
            self.cases[name] = self.values(case)
            for ref in _kids(case, "SourceRef"):
                self.case_of.setdefault(_guid(self.attr(ref, "targetGUID")), name)
        self.transcripts: list[Transcript] = []
        self.codings: list[Coding] = []
        self.seen: set[tuple[str, int, int, str, str]] = set()
        self.ids: set[str] = set()
        sources = _kid(root, "Sources")
        for src in sources if sources is not None else []:
            self.read_source(src)
        return ExchangeProject(
            name=root.get("name", ""),
            coders=ordered_union(self.users.values(), (c.coder for c in self.codings)),
            codes=codes,
            transcripts=self.transcripts,
            codings=self.codings,
            cases=self.cases,
            notes=self.notes,
            skipped_sources=self.skipped,
        )

    def values(self, el: etree._Element) -> dict[str, str]:
        out: dict[str, str] = {}
        for vv in _kids(el, "VariableValue"):
            ref = _kid(vv, "VariableRef")
            if ref is not None:
                target = _guid(self.attr(ref, "targetGUID"))
                out[self.variables.get(target, target)] = _value_text(vv)
        return out

    def memo(self, *holders: etree._Element) -> str:
        """Descriptions and linked notes of a selection and its coding, joined."""
        parts: list[str] = []
        for el in holders:
            desc = _kid(el, "Description")
            if desc is not None and (desc.text or "").strip():
                parts.append(desc.text or "")
            for ref in _kids(el, "NoteRef"):
                text = self.note_texts.get(_guid(self.attr(ref, "targetGUID")), "").strip()
                if text:
                    parts.append(text)
        return "\n\n".join(parts)

    def read_source(self, src: etree._Element) -> None:
        kind = _local(src)
        if kind not in ("TextSource", *_OTHER_SOURCES):
            return
        guid = _guid(self.attr(src, "guid"))
        path_name = PurePosixPath(src.get("plainTextPath") or src.get("path") or "").stem
        name = src.get("name") or path_name or guid
        raw = self.source_text(src, name) if kind == "TextSource" else None
        if raw is None:
            self.skipped.append(name)
            why = "its text is not in the file" if kind == "TextSource" else "not a text source"
            self.notes.append(f"Skipped {kind} '{name}': {why}.")
            return
        omap = OffsetMap(raw)
        tid = unique(name, self.ids)
        if _kids(src, "Coding"):
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

    def selections(self, src: etree._Element, name: str, tid: str, omap: OffsetMap) -> None:
        selections = _kids(src, "PlainTextSelection")
        spans = [
            (self.int_attr(s, "startPosition"), self.int_attr(s, "endPosition")) for s in selections
        ]
        # Our own exports follow the standard; others get their counting guessed.
        scheme = best_scheme(omap, spans) if spans and not self.ours else ("chars", "lf")
        if scheme != ("chars", "lf"):
            unit = "UTF-16 units" if scheme[0] == "utf16" else "characters"
            crlf = " with CRLF counted as two" if scheme[1] == "raw" else ""
            self.notes.append(f"Source '{name}': selection offsets read as {unit}{crlf}.")
        dropped = merged = 0
        for sel, (start, end) in zip(selections, spans, strict=True):
            s = omap.to_final(start, scheme)
            e = omap.to_final(end, scheme, end=True)
            for cod in _kids(sel, "Coding"):
                ref = _kid(cod, "CodeRef")
                if ref is None:
                    raise self.fail("<Coding> lacks its <CodeRef>.", cod)
                code = self.code_ids.get(_guid(self.attr(ref, "targetGUID")))
                if s is None or e is None or e < s or code is None:
                    dropped += 1
                    continue
                user = sel.get("creatingUser") or cod.get("creatingUser") or ""
                coder = self.users.get(_guid(user), UNKNOWN_CODER) if user else UNKNOWN_CODER
                key = (tid, s, e, code, coder)
                if key in self.seen:
                    merged += 1
                    continue
                self.seen.add(key)
                created = cod.get("creationDateTime") or sel.get("creationDateTime") or ""
                self.codings.append(
                    Coding(
                        tid,
                        s,
                        e,
                        code,
                        coder,
                        quote=omap.text[s:e],
                        memo=self.memo(sel, cod),
                        created=created,
                    )
                )
        if merged:
            self.notes.append(f"Source '{name}': {merged} duplicate coding(s) merged.")
        if dropped:
            self.notes.append(
                f"Source '{name}': {dropped} coding(s) outside the text or "
                "without a known code skipped."
            )


def read_qdpx(path: str | Path, known_codes: Iterable[Code] = ()) -> ExchangeProject:
    """Read a REFI-QDA project archive.

    ``known_codes`` (optional): codes already in the qualcode project; an imported code
    with the GUID qualcode gives that code, or with its name, keeps its id.
    """
    source = str(path)
    try:
        zf = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise QualcodeError("File not found.", source) from None
    except (zipfile.BadZipFile, OSError):
        raise QualcodeError("Not a REFI-QDA project (.qdpx): not a zip archive.", source) from None
    with zf:
        qde = [i.filename for i in zf.infolist() if i.filename.lower().endswith(".qde")]
        if not qde:
            raise QualcodeError("Not a REFI-QDA project: no .qde file inside.", source)
        member = next((n for n in qde if n.lower() == "project.qde"), qde[0])
        r = _ProjectReader(f"{source}:{member}", zf, known_codes)
        if member != "project.qde":
            r.notes.append(f"Project read from '{member}' (the standard name is project.qde).")
        return r.read(r.parse(zf.read(member)))


def read_qdc(path: str | Path, known_codes: Iterable[Code] = ()) -> ExchangeProject:
    """Read a REFI-QDA codebook (``.qdc``): codes only."""
    source = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise QualcodeError(f"Cannot read the codebook: {exc.strerror}", source) from None
    r = _Reader(source, None, known_codes)
    root = r.parse(data)
    if _local(root) == "Project":  # a bare .qde handed in as codebook: take its codes
        r.notes.append("A project file read as a codebook: codes only.")
        codes_parent = _kid(_kid(root, "CodeBook"), "Codes")
    elif _local(root) == "CodeBook":
        r.check_namespace(root, CODEBOOK_NS, "codebook")
        codes_parent = _kid(root, "Codes")
    else:
        raise r.fail(f"The root element is <{_local(root)}>, not <CodeBook>.", root)
    codes = r.codes(codes_parent)
    name = PurePosixPath(source).stem
    return ExchangeProject(
        name=name,
        coders=[],
        codes=codes,
        transcripts=[],
        codings=[],
        cases={},
        notes=r.notes,
        skipped_sources=r.skipped,
    )

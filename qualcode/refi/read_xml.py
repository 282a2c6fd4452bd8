"""Reading REFI-QDA XML: element helpers, the code tree, files inside the archive, and the
``.qdc`` codebook. ``refi.read`` builds the project reader on top of this.
"""

from __future__ import annotations

import io
import json
import lzma
import re
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from lxml import etree

from qualcode.bounds import read_bounded, refuse_entities
from qualcode.i18n import N_, ui
from qualcode.importers import MAX_FILE_BYTES
from qualcode.importers.encoding import decode_raw
from qualcode.model import Code, QualcodeError
from qualcode.refi.model import (
    CODEBOOK_NS,
    SHARED_GUID_KINDS,
    SIDECAR,
    ExchangeProject,
    guid_for,
    slugify,
    unique,
    valid_guid,
)


def local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def kids(el: etree._Element | None, name: str) -> list[etree._Element]:
    if el is None:
        return []
    return [c for c in el if local(c) == name]


def kid(el: etree._Element | None, name: str) -> etree._Element | None:
    found = kids(el, name)
    return found[0] if found else None


def norm_guid(value: str) -> str:
    return value.strip().strip("{}").lower()


def read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The bytes of one member; a member that cannot be unpacked refuses the whole archive.

    zipfile only finds a damaged member when it is read (a bad checksum or stream), so the
    file it came from is named here, in plain words, rather than as Python's exception.
    """
    name = info.filename
    try:
        return zf.read(info)
    except NotImplementedError:  # before RuntimeError, of which it is a kind
        message = ui(
            "{name} in the archive is packed with a compression method qualcode "
            "cannot unpack; export the project again as an ordinary zip file."
        ).format(name=name)
    except RuntimeError:  # zipfile's word for an encrypted member read without a password
        message = ui(
            "{name} in the archive is encrypted (password-protected); export the "
            "project again without a password."
        ).format(name=name)
    except (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, OSError) as exc:
        message = (
            ui("The archive is damaged: {name} fails its checksum; export the project again.")
            if "CRC" in str(exc)
            else ui("The archive is damaged: {name} cannot be unpacked; export the project again.")
        ).format(name=name)
    raise QualcodeError(message, str(zf.filename or "")) from None


def read_sidecar(zf: zipfile.ZipFile, notes: list[str]) -> dict[str, dict[str, object]]:
    """qualcode's own ``qualcode.json`` in the archive, if there is a usable one."""
    try:
        info = zf.getinfo(SIDECAR)
    except KeyError:
        return {}
    try:
        if info.file_size > MAX_FILE_BYTES:
            raise ValueError("too big")
        data = json.loads(read_member(zf, info).decode("utf-8"))
        if not (
            isinstance(data, dict)
            and all(isinstance(data.get(k, {}), dict) for k in ("codes", "notes"))
        ):
            raise ValueError("not the expected shape")
    except (ValueError, UnicodeDecodeError) as exc:
        notes.append(
            ui("{file} in the archive was ignored ({problem}); codes get ids from names.").format(
                file=SIDECAR, problem=exc
            )
        )
        return {}
    return data


class Unusable(Exception):
    """A source (or note) whose text cannot be used; the message says why, in plain words."""


class RefiReader:
    """State for reading one file: its name (for errors), zip, messages, GUIDs seen."""

    def __init__(
        self,
        source: str,
        zf: zipfile.ZipFile | None = None,
        known_codes: Iterable[Code] = (),
        code_ids: dict[str, str] | None = None,
    ):
        self.source_name = source
        self.zf = zf
        self.notes: list[str] = []
        self.skipped: list[str] = []
        self.known = list(known_codes)
        self.given_ids = code_ids or {}  # guid -> code id, from qualcode's own sidecar
        self.code_ids: dict[str, str] = {}  # guid -> code id
        self.guids: dict[str, str] = {}  # "kind:key" -> GUID, where not the derived one
        self.used: set[etree._Element] = set()  # elements read into the project (or reported)
        self.reported: set[etree._Element] = set()  # left out whole, with a note saying why
        self.uncodable: set[str] = set()  # ids of codes marked isCodable="false"
        self.case_codes: dict[str, str] = {}  # GUID of a code that stands for a case -> case
        self.code_note_refs: dict[str, list[str]] = {}  # code id -> GUIDs of its notes

    def use(self, *elements: etree._Element | None) -> None:
        """Mark elements as read: what is left unmarked is reported as not imported."""
        self.used.update(e for e in elements if e is not None)

    def keep_guid(self, kind: str, key: str, guid: str) -> None:
        """Remember a GUID from the file when qualcode would not derive the same one; one
        not of the standard's form, or already held by another object of the same kind,
        is replaced by a new one, and the import says so."""
        if not guid or guid == guid_for(kind, key):
            return
        what = f"{kind} '{key}'"
        if not valid_guid(guid):
            self.notes.append(
                ui(
                    "The {what} had the GUID '{guid}', which is not a GUID; it got a new one."
                ).format(what=what, guid=guid[:60])
            )
            return
        owners: dict[tuple[str, str], str] = self.__dict__.setdefault("_guid_owners", {})
        holder = owners.setdefault((kind, guid), key)
        if holder != key and kind not in SHARED_GUID_KINDS:
            self.notes.append(
                ui(
                    "The {what} had the GUID {guid}, which the {kind} '{holder}' has too; "
                    "it got a new one."
                ).format(what=what, guid=guid, kind=kind, holder=holder)
            )
            return
        self.guids[f"{kind}:{key}"] = guid

    def fail(self, message: str, el: etree._Element | None = None) -> QualcodeError:
        return QualcodeError(
            message, source=self.source_name, line=el.sourceline if el is not None else None
        )

    def attr(self, el: etree._Element, name: str) -> str:
        value = el.get(name)
        if value is None:
            raise self.fail(
                ui("<{element}> lacks the required attribute '{name}'.").format(
                    element=local(el), name=name
                ),
                el,
            )
        return value

    def int_attr(self, el: etree._Element, name: str) -> int:
        value = self.attr(el, name)
        try:
            return int(value.strip())
        except ValueError:
            raise self.fail(
                ui("<{element}> has {name}='{value}', not a whole number.").format(
                    element=local(el), name=name, value=value
                ),
                el,
            ) from None

    def parse(self, data: bytes) -> etree._Element:
        refuse_entities(data, self.source_name)
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
        try:
            return etree.fromstring(data, parser)
        except etree.XMLSyntaxError as exc:
            raise QualcodeError(
                ui("XML syntax error: {problem}").format(problem=exc.msg),
                self.source_name,
                exc.lineno,
            ) from None

    def check_namespace(self, root: etree._Element, expected: str, kind: str) -> None:
        ns = etree.QName(root).namespace
        if ns == expected:
            return
        if ns and ns.lower().startswith(f"urn:qda-xml:{kind}:"):
            said = ui("Namespace variant '{ns}' read as '{expected}'.")
        elif ns:
            said = ui("Unexpected namespace '{ns}'; read as REFI-QDA {kind} anyway.")
        else:
            said = ui("No XML namespace; read as REFI-QDA {kind} anyway.")
        self.notes.append(said.format(ns=ns, expected=expected, kind=kind))

    # --- codes ---------------------------------------------------------------
    def codes(self, codes_parent: etree._Element | None) -> list[Code]:
        """The code tree, parents before children; ids unique within the file.

        An id comes from qualcode's sidecar, else from a known code whose derived GUID this
        is, else from the name. Matching against the project is ``refi.bridge``'s job.
        """
        out: list[Code] = []
        taken: set[str] = set()
        known_by_guid = {guid_for("code", c.id): c.id for c in self.known}
        first_line: dict[str, int | None] = {}

        def walk(el: etree._Element, parent: str | None, position: int) -> None:
            guid = norm_guid(self.attr(el, "guid"))
            name = self.attr(el, "name")
            self.use(el, kid(el, "Description"))
            if guid in self.case_codes:  # a case (QualCoder, NVivo): its codings link sources
                for i, child in enumerate(kids(el, "Code")):
                    walk(child, parent, position + i + 1)
                return
            if guid in first_line:  # codings would land on the wrong code: refuse the file
                raise self.fail(
                    ui(
                        "<Code name='{name}'> has the GUID {guid}, already used by the code on "
                        "line {first}; every code needs its own GUID."
                    ).format(name=name, guid=guid, first=first_line[guid]),
                    el,
                )
            first_line[guid] = el.sourceline
            wanted = self.given_ids.get(guid) or known_by_guid.get(guid) or slugify(name)
            code_id = unique(wanted, taken)
            self.code_ids[guid] = code_id
            self.keep_guid("code", code_id, guid)
            desc = kid(el, "Description")
            if el.get("isCodable", "").strip().lower() in ("false", "0"):
                self.uncodable.add(code_id)
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
            refs = [norm_guid(r.get("targetGUID", "")) for r in kids(el, "NoteRef")]
            if refs:
                self.code_note_refs[code_id] = refs
            for i, child in enumerate(kids(el, "Code")):
                walk(child, code_id, i)

        self.use(codes_parent, None if codes_parent is None else codes_parent.getparent())
        for i, el in enumerate(kids(codes_parent, "Code")):
            walk(el, None, i)
        return out

    # --- files in the archive -------------------------------------------------
    def member(self, path: str) -> bytes | None:
        """A file named by ``internal://x``, a relative path or a URL, found in the zip.

        None when there is no such file; ``Unusable`` when it is too big to be a transcript.
        """
        if self.zf is None or not path:
            return None
        name = re.sub(r"^(internal|file|relative|absolute)://", "", path).replace("\\", "/")
        base = PurePosixPath(name).name.lower()
        wanted = {f"sources/{name}".lower(), name.lower().lstrip("/"), f"sources/{base}"}
        for info in self.zf.infolist():
            if info.filename.lower() in wanted:
                if info.file_size > MAX_FILE_BYTES:
                    raise Unusable(
                        ui("its file {name} is {size} MB; files over {most} MB are refused").format(
                            name=info.filename,
                            size=f"{info.file_size / 1e6:.0f}",
                            most=MAX_FILE_BYTES // 1_000_000,
                        )
                    )
                return read_member(self.zf, info)
        return None

    def decoded(self, data: bytes, what: str) -> str:
        """Bytes of a source or note as text, by the rules for transcript files."""
        try:
            return decode_raw(data, what)
        except QualcodeError as err:
            raise Unusable(ui("its text {problem}").format(problem=err.message)) from None

    def note_text(self, note: etree._Element) -> str:
        content = kid(note, "PlainTextContent")
        if content is not None:
            return content.text or ""
        what = f"note '{note.get('name') or note.get('guid')}'"
        try:
            data = self.member(note.get("plainTextPath", ""))
            return self.decoded(data, what) if data is not None else ""
        except Unusable as why:
            self.notes.append(ui("The {what} was not read: {why}.").format(what=what, why=why))
            return ""

    def source_text(self, src: etree._Element, name: str) -> str:
        """The text of a ``<TextSource>``; ``Unusable`` saying why when there is none."""
        content = kid(src, "PlainTextContent")
        if content is not None:
            text = content.text or ""
        elif src.get("plainTextPath"):
            data = self.member(src.get("plainTextPath", ""))
            if data is None:
                raise Unusable(
                    ui("its text file {path} is not in the archive").format(
                        path=src.get("plainTextPath")
                    )
                )
            text = self.decoded(data, f"source '{name}'")
        elif src.get("richTextPath"):
            text = self.rich_text(src.get("richTextPath", ""), name)
        else:
            raise Unusable(
                ui("it has no text (no PlainTextContent, plainTextPath or richTextPath)")
            )
        if not text.strip():
            raise Unusable(ui("its text is empty"))
        return text

    def rich_text(self, path: str, name: str) -> str:
        rich = self.member(path)
        if rich is None:
            raise Unusable(ui("its Word file {path} is not in the archive").format(path=path))
        import docx  # python-docx, only needed for rich-text-only sources

        try:
            doc = docx.Document(io.BytesIO(rich))
        except Exception as exc:  # python-docx raises many kinds for a bad file
            raise Unusable(ui("its Word file is unreadable ({error})").format(error=exc)) from None
        self.notes.append(
            ui("Source '{name}': text taken from its .docx (offsets may drift).").format(name=name)
        )
        return "\n".join(p.text for p in doc.paragraphs)


def read_qdc(path: str | Path, known_codes: Iterable[Code] = ()) -> ExchangeProject:
    """Read a REFI-QDA codebook (``.qdc``): codes only."""
    source = str(path)
    data = read_bounded(path, MAX_FILE_BYTES, N_("a codebook"))
    r = RefiReader(source, None, known_codes)
    root = r.parse(data)
    if local(root) == "Project":  # a bare .qde handed in as codebook: take its codes
        r.notes.append(ui("A project file read as a codebook: codes only."))
        codes_parent = kid(kid(root, "CodeBook"), "Codes")
    elif local(root) == "CodeBook":
        r.check_namespace(root, CODEBOOK_NS, "codebook")
        codes_parent = kid(root, "Codes")
    else:
        raise r.fail(
            ui("The root element is <{element}>, not <{expected}>.").format(
                element=local(root), expected="CodeBook"
            ),
            root,
        )
    codes = r.codes(codes_parent)
    return ExchangeProject(
        name=PurePosixPath(source).stem,
        coders=[],
        codes=codes,
        transcripts=[],
        codings=[],
        cases={},
        notes=r.notes,
        skipped_sources=r.skipped,
        guids=r.guids,
        uncodable=r.uncodable,
    )

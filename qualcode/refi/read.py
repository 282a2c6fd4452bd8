"""REFI-QDA import: ``.qdpx`` projects into an ``ExchangeProject`` (``.qdc`` codebooks: see
``read_xml.read_qdc``, re-exported here).

Real exports bend the standard (ATLAS.ti's ``Trial.qde``, namespace variants, NVivo's
UTF-16 offsets with CRLF counted twice): those are accepted with a note in
``ExchangeProject.notes``; only a file that cannot be read at all (a damaged archive, bad
XML, a missing required attribute) or whose GUIDs would send codings astray (two codes or
two users with one GUID) raises. Sources go through the same rules as transcript files (size,
encoding, empty, binary): one that fails them is skipped with a note, the rest of the file
still imports. Everything else is read or named in ``ExchangeProject.not_imported``.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from lxml import etree

from qualcode.bounds import check_regular, check_zip
from qualcode.i18n import N_, ui
from qualcode.importers import MAX_FILE_BYTES
from qualcode.model import Code, QualcodeError
from qualcode.refi.model import PROJECT_NS, VALUE_FORMS, ExchangeProject, ordered_union
from qualcode.refi.read_notes import NoteReading
from qualcode.refi.read_text import OWN_SCHEMES, SourceReading, value_of
from qualcode.refi.read_xml import kid, kids, local, norm_guid, read_member, read_qdc, read_sidecar

__all__ = ["read_qdc", "read_qdpx"]

# A project.qde holds every selection of a project; far bigger than a transcript may be.
MAX_QDE_BYTES = 10 * MAX_FILE_BYTES


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


class _ProjectReader(NoteReading, SourceReading):  # NoteReading's memo() first
    """Reads a ``<Project>``: the lookups first, then one text source at a time."""

    def __init__(
        self,
        source: str,
        zf: zipfile.ZipFile | None,
        known_codes: Iterable[Code],
        sidecar: dict[str, Any] | None = None,
    ):
        sidecar = sidecar or {}
        code_ids = {
            k: v for k, v in _dict(sidecar.get("codes")).items() if isinstance(v, str) and v
        }
        super().__init__(source, zf, known_codes, code_ids)
        self.note_kinds = _dict(sidecar.get("notes"))
        self.given_meta = {
            k: v for k, v in _dict(sidecar.get("meta")).items() if isinstance(v, dict)
        }
        self.given_descriptions = {
            k: v for k, v in _dict(sidecar.get("descriptions")).items() if isinstance(v, str)
        }
        quotes = sidecar.get("key_quotes")
        self.given_quotes = (
            [q for q in quotes if isinstance(q, list) and len(q) == 3]
            if isinstance(quotes, list)
            else []
        )
        self.own_scheme = OWN_SCHEMES.get(
            str(sidecar.get("positions", "chars")), OWN_SCHEMES["chars"]
        )
        self.descriptions: dict[str, str] = {}
        self.coding_meta: dict[str, dict[str, dict[str, str]]] = {}
        self.coding_by_guid: dict[str, str] = {}
        self.source_tids: dict[str, str] = {}
        self.file_values: dict[str, dict[str, Any]] = {}

    def read(self, root: etree._Element) -> ExchangeProject:
        if local(root) != "Project":
            raise self.fail(
                ui("The root element is <{element}>, not <{expected}>.").format(
                    element=local(root), expected="Project"
                ),
                root,
            )
        self.check_namespace(root, PROJECT_NS, "project")
        self.use(root)
        self.ours = root.get("origin", "").startswith("qualcode")
        self.read_users(root)
        self.find_case_codes(root)
        codes = self.codes(kid(kid(root, "CodeBook"), "Codes"))
        types = self.read_variables(root)
        self.read_notes(root)
        source_refs = self.read_cases(root)
        self.transcripts, self.codings, self.seen, self.ids = [], [], set(), set()
        holder = kid(root, "Sources")
        self.use(holder)
        sources = [s for s in holder if isinstance(s.tag, str)] if holder is not None else []
        for src in sources:
            self.read_source(src)
        in_file = {norm_guid(s.get("guid", "")) for s in sources}
        for case, target, ref in source_refs:
            if target not in in_file:
                self.notes.append(
                    ui(
                        "Case '{case}' (line {line}) names the source {target}, which "
                        "is not in the file; that reference was ignored."
                    ).format(case=case, line=ref.sourceline, target=target)
                )
        self.read_sets(root)
        desc = kid(root, "Description")
        self.use(desc)
        if desc is not None and (desc.text or "").strip():
            self.descriptions["project:"] = desc.text or ""
        summaries, comparison, note_dates = self.analyst_notes()
        code_memos = {}
        for code_id, refs in self.code_note_refs.items():  # notes on a code: its memo
            texts = [self.note_texts[g][1].strip() for g in refs if g in self.note_texts]
            self.used_notes.update(g for g in refs if g in self.note_texts)
            if any(texts):
                code_memos[code_id] = "\n\n".join(t for t in texts if t)
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
            descriptions=self.descriptions,
            code_memos=code_memos,
            uncodable=self.uncodable,
            coding_meta=self.coding_meta,
            key_quotes=[
                (str(case), str(theme), self.coding_by_guid[norm_guid(str(guid))])
                for case, theme, guid in self.given_quotes
                if norm_guid(str(guid)) in self.coding_by_guid
            ],
            not_imported=self.leftovers(root),
            note_dates=note_dates,
        )

    def read_users(self, root: etree._Element) -> None:
        self.users = {}  # guid -> coder name
        line: dict[str, int | None] = {}
        self.use(kid(root, "Users"))
        for u in kids(kid(root, "Users"), "User"):
            self.use(u)
            guid = norm_guid(self.attr(u, "guid"))
            name = u.get("name") or u.get("id") or guid
            if guid in line:  # codings would go to the wrong coder: refuse, as for codes
                raise self.fail(
                    ui(
                        "<User name='{name}'> has the GUID {guid}, already used by the user "
                        "'{other}' on line {first}; every user needs its own GUID."
                    ).format(name=name, guid=guid, other=self.users[guid], first=line[guid]),
                    u,
                )
            line[guid] = u.sourceline
            self.users[guid] = name
            self.keep_guid("user", name, guid)

    def find_case_codes(self, root: etree._Element) -> None:
        """Codes that stand for cases: with a named case's GUID (QualCoder, NVivo), or named by
        a case's ``<CodeRef>``. Their codings link sources to the case."""
        for case in kids(kid(root, "Cases"), "Case"):
            name = case.get("name")
            if not name:
                continue
            self.case_codes[norm_guid(case.get("guid", ""))] = name
            for ref in kids(case, "CodeRef"):
                self.case_codes[norm_guid(ref.get("targetGUID", ""))] = name
                self.use(ref)

    def read_variables(self, root: etree._Element) -> dict[str, str]:
        """Variable names by GUID; returns each one's type, where it is not Text."""
        self.variables: dict[str, str] = {}
        types: dict[str, str] = {}
        self.use(kid(root, "Variables"))
        for v in kids(kid(root, "Variables"), "Variable"):
            guid = norm_guid(self.attr(v, "guid"))
            name = self.attr(v, "name")
            self.variables[guid] = name
            self.keep_guid("variable", name, guid)
            desc = kid(v, "Description")
            self.use(v, desc)
            if desc is not None and (desc.text or "").strip():
                self.descriptions[f"variable:{name}"] = desc.text or ""
            kind = (v.get("typeOfVariable") or "Text").strip()
            if kind in VALUE_FORMS:
                types[name] = kind
        return types

    def read_cases(self, root: etree._Element) -> list[tuple[str, str, etree._Element]]:
        """Cases and their values; returns each (case, source GUID, SourceRef) to check.

        A case without a name but with one source (MAXQDA, Quirkos) holds that source's
        variables, not a case.
        """
        self.cases, self.case_of = {}, {}
        refs: list[tuple[str, str, etree._Element]] = []
        self.use(kid(root, "Cases"))
        for case in kids(kid(root, "Cases"), "Case"):
            guid = norm_guid(self.attr(case, "guid"))
            sources = kids(case, "SourceRef")
            if not case.get("name") and len(sources) == 1:
                target = norm_guid(self.attr(sources[0], "targetGUID"))
                self.file_values.setdefault(target, {}).update(self.typed_values(case))
                self.use(case, sources[0])
                continue
            name = case.get("name") or guid
            self.use(case)
            self.cases[name] = {k: str(v) for k, v in self.typed_values(case).items()}
            self.keep_guid("case", name, guid)
            desc = kid(case, "Description")
            self.use(desc)
            if self.ours:  # the description qualcode wrote holds the summaries too
                if self.given_descriptions.get(f"case:{name}"):
                    self.descriptions[f"case:{name}"] = self.given_descriptions[f"case:{name}"]
            elif desc is not None and (desc.text or "").strip():
                self.descriptions[f"case:{name}"] = desc.text or ""
            for ref in sources:
                target = norm_guid(self.attr(ref, "targetGUID"))
                self.case_of.setdefault(target, name)
                refs.append((name, target, ref))
                self.use(ref)
        return refs

    def typed_values(self, el: etree._Element) -> dict[str, Any]:
        """The ``<VariableValue>``s of an element by variable name, typed as their tags say."""
        out: dict[str, Any] = {}
        for vv in kids(el, "VariableValue"):
            ref = kid(vv, "VariableRef")
            if ref is not None:
                target = norm_guid(self.attr(ref, "targetGUID"))
                tag, value = value_of(vv)
                out[self.variables.get(target, target)] = value
                self.use(vv, ref, kid(vv, tag) if tag else None)
        return out

    def read_sets(self, root: etree._Element) -> None:
        """A set of sources becomes each member transcript's ``sets``; sets of codes or
        notes have no place and are named (their elements stay unread)."""
        by_guid = {
            guid: t
            for t in self.transcripts
            for guid, tid in self.source_tids.items()
            if tid == t.id
        }
        holder = kid(root, "Sets")
        for one in kids(holder, "Set"):
            name = self.attr(one, "name")
            members = [
                m
                for m in kids(one, "MemberSource")
                if norm_guid(m.get("targetGUID", "")) in by_guid
            ]
            if not members:
                continue
            self.use(holder, one, *members)
            self.keep_guid("set", name, norm_guid(self.attr(one, "guid")))
            desc = kid(one, "Description")
            self.use(desc)
            if desc is not None and (desc.text or "").strip():
                self.descriptions[f"set:{name}"] = desc.text or ""
            for member in members:
                meta = by_guid[norm_guid(member.get("targetGUID", ""))].meta
                sets = meta.setdefault("sets", [])
                if isinstance(sets, list) and name not in sets:
                    sets.append(name)


def read_qdpx(path: str | Path, known_codes: Iterable[Code] = ()) -> ExchangeProject:
    """Read a REFI-QDA project archive.

    ``known_codes`` (optional): codes already in the qualcode project; an imported code
    with the GUID qualcode gives that code keeps its id.
    """
    source = str(path)
    if not Path(path).exists():
        raise QualcodeError(ui("File not found."), source)
    check_regular(path, N_("a REFI-QDA project"))
    try:
        zf = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise QualcodeError(ui("File not found."), source) from None
    except (zipfile.BadZipFile, OSError):
        raise QualcodeError(
            ui("Not a REFI-QDA project (.qdpx): not a zip archive."), source
        ) from None
    with zf:
        check_zip(zf, source)  # sizes and ratios from the directory, before unpacking
        qde = [i for i in zf.infolist() if i.filename.lower().endswith(".qde")]
        if not qde:
            raise QualcodeError(ui("Not a REFI-QDA project: no .qde file inside."), source)
        member = next((i for i in qde if i.filename.lower() == "project.qde"), qde[0])
        if member.file_size > MAX_QDE_BYTES:
            raise QualcodeError(
                ui("{name} is {size} MB; qualcode reads project files up to {most} MB.").format(
                    name=member.filename,
                    size=f"{member.file_size / 1e6:.0f}",
                    most=MAX_QDE_BYTES // 1_000_000,
                ),
                source,
            )
        messages: list[str] = []
        sidecar = read_sidecar(zf, messages)
        r = _ProjectReader(f"{source}:{member.filename}", zf, known_codes, sidecar)
        r.notes.extend(messages)
        if member.filename != "project.qde":
            r.notes.append(
                ui("Project read from '{name}' (the standard name is project.qde).").format(
                    name=member.filename
                )
            )
        return r.read(r.parse(read_member(zf, member)))

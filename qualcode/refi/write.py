"""REFI-QDA export: a ``.qdc`` codebook and a ``.qdpx`` project (NVivo, ATLAS.ti, MAXQDA…).

Pure in the sense that matters: the same ``ExchangeProject`` always gives the same
bytes — GUIDs come from the file a thing was imported from or from ``refi.guid_for``, and
no clock is read. Memos, case summaries and Tabell-1 notes are ``<Note>``s with their text in
``sources/``; a ``.qdpx`` also carries ``qualcode.json`` (code ids, what each note is, the
interviews' metadata, key quotes) for qualcode's own import. docs/refi-qda.md says which
reader reads which element.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from qualcode import __version__
from qualcode.i18n import ui
from qualcode.model import Code, Coding, QualcodeError
from qualcode.refi.model import (
    CODEBOOK_NS,
    PROJECT_NS,
    SIDECAR,
    ExchangeProject,
    ordered_union,
    summary_key,
    valid_color,
)
from qualcode.refi.write_cases import (
    add_case_codes,
    add_cases,
    add_sets,
    add_value,
    add_variables,
    source_values,
)
from qualcode.refi.write_text import (
    Note,
    SelectionWriter,
    add_case_link,
    add_notes,
    el,
    newest_date,
    note_path,
    position_counter,
    selections,
    xsd_datetime,
)

ORIGIN = f"qualcode {__version__}"
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed, so the archive is byte-identical too


def _el(parent: etree._Element, ns: str, tag: str, **attrs: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{ns}}}{tag}", attrs)


def _children_of(codes: list[Code]) -> dict[str | None, list[Code]]:
    """Codes grouped by parent; a parent missing from the list counts as the root."""
    ids = {c.id for c in codes}
    order = {c.id: i for i, c in enumerate(codes)}
    tree: dict[str | None, list[Code]] = {}
    for code in codes:
        parent = code.parent if code.parent in ids and code.parent != code.id else None
        tree.setdefault(parent, []).append(code)
    for kids in tree.values():
        kids.sort(key=lambda c: (c.position, order[c.id]))
    return tree


def _add_codes(parent: etree._Element, ns: str, project: ExchangeProject) -> etree._Element:
    codes = project.codes
    tree = _children_of(codes)
    done: set[str] = set()

    def add(at: etree._Element, code: Code) -> None:
        if code.id in done:  # a cycle in the parent links: write each code once
            return
        done.add(code.id)
        codable = "false" if code.id in project.uncodable else "true"
        attrs = {"guid": project.guid("code", code.id), "name": code.name, "isCodable": codable}
        if valid_color(code.color):
            attrs["color"] = code.color
        code_el = _el(at, ns, "Code", **attrs)
        if code.description:
            _el(code_el, ns, "Description").text = code.description
        if ns == PROJECT_NS and project.code_memos.get(code.id):  # the codebook has no notes
            _el(code_el, ns, "NoteRef", targetGUID=_code_memo_guid(project, code.id))
        for child in tree.get(code.id, []):
            add(code_el, child)

    codes_el = _el(parent, ns, "Codes")
    for root in tree.get(None, []):
        add(codes_el, root)
    for code in codes:  # codes only reachable through a cycle
        add(codes_el, code)
    return codes_el


def _serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def codebook_xml(project: ExchangeProject) -> bytes:
    """The ``.qdc`` codebook: nested codes with colour and description."""
    if not project.codes:
        raise QualcodeError(ui("A REFI-QDA codebook needs at least one code."), source=project.name)
    root = etree.Element(f"{{{CODEBOOK_NS}}}CodeBook", nsmap={None: CODEBOOK_NS})
    root.set("origin", ORIGIN)
    _add_codes(root, CODEBOOK_NS, project)
    return _serialise(root)


def _code_memo_guid(project: ExchangeProject, code_id: str) -> str:
    return project.guid("code-memo", code_id)


def _code_memo_notes(project: ExchangeProject) -> list[Note]:
    """Each code's memo as a note its ``<Code>`` points to (its description is the code's
    definition, kept apart)."""
    names = {c.id: c.name for c in project.codes}
    fallback = newest_date(project)
    return [
        Note(
            _code_memo_guid(project, code_id),
            f"{names[code_id]}: memo",
            text,
            xsd_datetime(project.note_dates.get(f"code-memo:{code_id}", "")) or fallback,
        )
        for code_id, text in sorted(project.code_memos.items())
        if code_id in names and text.strip()
    ]


def _coders(project: ExchangeProject) -> list[str]:
    return ordered_union(project.coders, (c.coder for c in project.codings))


def _check_codings(project: ExchangeProject) -> None:
    code_ids = {c.id for c in project.codes}
    transcripts = {t.id: t for t in project.transcripts}
    for coding in project.codings:
        if coding.code not in code_ids:
            raise QualcodeError(
                ui("Coding refers to unknown code '{code}'.").format(code=coding.code), project.name
            )
        text = transcripts.get(coding.transcript)
        if text is None:
            raise QualcodeError(
                ui("Coding refers to unknown transcript '{id}'.").format(id=coding.transcript),
                project.name,
            )
        if not 0 <= coding.start <= coding.end <= len(text.text):
            raise QualcodeError(
                ui("Coding [{start}, {end}) lies outside transcript '{id}'.").format(
                    start=coding.start, end=coding.end, id=coding.transcript
                ),
                project.name,
            )


@dataclass
class _Analyst:
    """Case summaries and Tabell-1 notes as notes: each with its case (None: the project's)
    and what it is (for the sidecar)."""

    notes: list[tuple[Note, str | None, tuple[str, ...]]] = field(default_factory=list)

    @classmethod
    def of(cls, project: ExchangeProject) -> _Analyst:
        names = {c.id: c.name for c in project.codes}
        users = set(_coders(project))
        fallback = newest_date(project)
        out = cls()
        for s in sorted(project.summaries, key=summary_key):
            if not s.text.strip():
                continue
            label = names.get(s.target) if s.kind == "theme" else project.labels.get(s.target)
            note = Note(
                project.guid("summary", summary_key(s)),
                f"{s.case}: {label or s.target}",
                s.text,
                xsd_datetime(s.updated) or fallback,
                project.guid("user", s.author) if s.author in users else "",
            )
            out.notes.append((note, s.case, ("summary", s.case, s.kind, s.target)))
        for category in sorted(project.comparison):
            date = xsd_datetime(project.note_dates.get(f"comparison:{category}", "")) or fallback
            for field_name, text in zip(
                ("likheter", "forskjeller"), project.comparison[category], strict=True
            ):
                if text.strip():
                    label = project.labels.get(category, category)
                    note = Note(
                        project.guid("comparison", f"{category}|{field_name}"),
                        f"Tabell 1, {label}: {field_name}",
                        text,
                        date,
                    )
                    out.notes.append((note, None, ("comparison", category, field_name)))
        return out

    def case_descriptions(self, project: ExchangeProject) -> dict[str, str]:
        """Each case's description as QualCoder shows it (its memo): the one an import kept,
        then each of its summaries under its title."""
        out: dict[str, list[str]] = {}
        for name in project.cases:
            if project.descriptions.get(f"case:{name}"):
                out[name] = [project.descriptions[f"case:{name}"]]
        for note, case, _ in self.notes:
            if case is not None:
                title = note.name.split(": ", 1)[-1]
                out.setdefault(case, []).append(f"{title}\n{note.text}")
        return {case: "\n\n".join(parts) for case, parts in out.items()}


@dataclass
class _Written:
    """A project.qde and the text files it points to."""

    qde: bytes
    files: list[tuple[str, bytes]]


def _build(project: ExchangeProject) -> _Written:
    _check_codings(project)
    root = etree.Element(f"{{{PROJECT_NS}}}Project", nsmap={None: PROJECT_NS})
    root.set("name", project.name)
    root.set("origin", ORIGIN)
    coders = _coders(project)
    if coders:
        users = el(root, "Users")
        for name in coders:
            el(users, "User", guid=project.guid("user", name), name=name)
    codes_el = _add_codes(el(root, "CodeBook"), PROJECT_NS, project)
    add_case_codes(codes_el, project)
    if not len(codes_el):
        root.remove(codes_el.getparent())
    types = add_variables(root, project)
    analyst = _Analyst.of(project)
    add_cases(root, project, types, analyst.case_descriptions(project))
    writer = SelectionWriter(project, lambda pos: pos, {c.id: c.name for c in project.codes}, [])
    files: list[tuple[str, bytes]] = []
    if project.transcripts:
        sources = el(root, "Sources")
        # each transcript's codings found once (a pass over all codings per transcript grew
        # with the square of the project)
        codings_of: dict[str, list[Coding]] = {}
        for c in project.codings:
            codings_of.setdefault(c.transcript, []).append(c)
        for t in project.transcripts:
            guid = project.guid("transcript", t.id)
            file_text, writer.at = position_counter(t.text, project.positions)
            files.append((f"sources/{guid}.txt", file_text.encode("utf-8")))
            source = el(
                sources, "TextSource", guid=guid, name=t.id, plainTextPath=f"internal://{guid}.txt"
            )
            if project.descriptions.get(f"transcript:{t.id}"):
                el(source, "Description").text = project.descriptions[f"transcript:{t.id}"]
            for sel_guid, codings in selections(project, codings_of.get(t.id, [])):
                writer.add(source, sel_guid, codings)
            if t.case:
                add_case_link(source, project, t.id, t.case, writer.at(len(t.text)))
            # The schema gives a Case no notes: a case summary hangs on each of its sources.
            for note, case, _ in analyst.notes:
                if case is not None and case == t.case:
                    el(source, "NoteRef", targetGUID=note.guid)
            for attr, value in source_values(project, t).items():
                add_value(source, project, attr, value, types[attr])
    notes = writer.memos + [note for note, _, _ in analyst.notes] + _code_memo_notes(project)
    if notes:
        add_notes(root, notes)
        crlf = project.positions == "nvivo"
        for note in notes:
            text = note.text.replace("\n", "\r\n") if crlf else note.text
            files.append((note_path(note), text.encode("utf-8")))
    add_sets(root, project)
    if project.descriptions.get("project:"):
        el(root, "Description").text = project.descriptions["project:"]
    for note, case, _ in analyst.notes:
        if case is None:  # Tabell-1 notes are about the whole project
            el(root, "NoteRef", targetGUID=note.guid)
    return _Written(_serialise(root), files)


def project_xml(project: ExchangeProject) -> bytes:
    """The ``project.qde`` of a ``.qdpx``: users, codebook, variables, cases, sources, notes."""
    return _build(project).qde


def sidecar_json(project: ExchangeProject) -> bytes:
    """``qualcode.json``: what the standard has no place for, so qualcode can read it back."""
    notes = {note.guid: list(what) for note, _, what in _Analyst.of(project).notes}
    codes = {project.guid("code", c.id): c.id for c in project.codes}
    meta = {project.guid("transcript", t.id): t.meta for t in project.transcripts if t.meta}
    quotes = [[case, theme, project.guid("coding", key)] for case, theme, key in project.key_quotes]
    data = {
        "qualcode": 1,
        "codes": codes,
        "notes": notes,
        "positions": project.positions,
        "meta": meta,
        "key_quotes": sorted(quotes),
        # Case descriptions in the XML also hold the summaries; these are the ones alone.
        "descriptions": {
            k: v for k, v in sorted(project.descriptions.items()) if k.startswith("case:")
        },
    }
    # Not sort_keys: a transcript's metadata keeps its order (as its front matter had it).
    return json.dumps(data, ensure_ascii=False, indent=1, default=str).encode("utf-8")


def _write_zip(path: Path, members: list[tuple[str, bytes]]) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)


def write_qdpx(project: ExchangeProject, path: str | Path) -> None:
    """Write ``project`` as a REFI-QDA project archive (``.qdpx``)."""
    written = _build(project)
    members = [("project.qde", written.qde), *written.files, (SIDECAR, sidecar_json(project))]
    try:
        _write_zip(Path(path), members)
    except OSError as exc:
        raise QualcodeError(
            ui("Cannot write the project file: {error}").format(error=exc.strerror), str(path)
        ) from exc


def write_qdc(project: ExchangeProject, path: str | Path) -> None:
    """Write the codebook of ``project`` as a REFI-QDA codebook (``.qdc``)."""
    data = codebook_xml(project)
    try:
        Path(path).write_bytes(data)
    except OSError as exc:
        raise QualcodeError(
            ui("Cannot write the codebook: {error}").format(error=exc.strerror), str(path)
        ) from exc

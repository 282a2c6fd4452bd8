"""REFI-QDA export: a ``.qdc`` codebook and a ``.qdpx`` project (NVivo, ATLAS.ti, MAXQDA…).

Pure in the sense that matters: the same ``ExchangeProject`` always gives the same
bytes — GUIDs come from the file a thing was imported from or from ``refi.guid_for``, and
no clock is read. Memos, case summaries and Tabell-1 notes are ``<Note>``s; a ``.qdpx``
also carries ``qualcode.json`` (code ids, what each note is) for qualcode's own import.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from lxml import etree

from qualcode import __version__
from qualcode.model import Code, Coding, QualcodeError
from qualcode.refi.model import (
    CODEBOOK_NS,
    PROJECT_NS,
    SIDECAR,
    ExchangeProject,
    coding_key,
    guid_for,
    ordered_union,
    summary_key,
    valid_color,
    value_fits,
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


def _add_codes(parent: etree._Element, ns: str, project: ExchangeProject) -> None:
    codes = project.codes
    tree = _children_of(codes)
    done: set[str] = set()

    def add(at: etree._Element, code: Code) -> None:
        if code.id in done:  # a cycle in the parent links: write each code once
            return
        done.add(code.id)
        attrs = {"guid": project.guid("code", code.id), "name": code.name, "isCodable": "true"}
        if valid_color(code.color):
            attrs["color"] = code.color
        el = _el(at, ns, "Code", **attrs)
        if code.description:
            _el(el, ns, "Description").text = code.description
        for child in tree.get(code.id, []):
            add(el, child)

    codes_el = _el(parent, ns, "Codes")
    for root in tree.get(None, []):
        add(codes_el, root)
    for code in codes:  # codes only reachable through a cycle
        add(codes_el, code)


def _serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def codebook_xml(project: ExchangeProject) -> bytes:
    """The ``.qdc`` codebook: nested codes with colour and description."""
    if not project.codes:
        raise QualcodeError("A REFI-QDA codebook needs at least one code.", source=project.name)
    root = etree.Element(f"{{{CODEBOOK_NS}}}CodeBook", nsmap={None: CODEBOOK_NS})
    root.set("origin", ORIGIN)
    _add_codes(root, CODEBOOK_NS, project)
    return _serialise(root)


def _xsd_datetime(value: str) -> str | None:
    """``value`` as an xsd:dateTime, or None when it does not parse."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    text = parsed.isoformat(timespec="seconds")
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _coders(project: ExchangeProject) -> list[str]:
    return ordered_union(project.coders, (c.coder for c in project.codings))


def _attribute_names(project: ExchangeProject) -> list[str]:
    return ordered_union(
        *(attrs.keys() for attrs in project.cases.values()),
        *(t.attributes.keys() for t in project.transcripts),
    )


def _check_codings(project: ExchangeProject) -> None:
    code_ids = {c.id for c in project.codes}
    transcripts = {t.id: t for t in project.transcripts}
    for coding in project.codings:
        if coding.code not in code_ids:
            raise QualcodeError(f"Coding refers to unknown code '{coding.code}'.", project.name)
        text = transcripts.get(coding.transcript)
        if text is None:
            raise QualcodeError(
                f"Coding refers to unknown transcript '{coding.transcript}'.", project.name
            )
        if not 0 <= coding.start <= coding.end <= len(text.text):
            raise QualcodeError(
                f"Coding [{coding.start}, {coding.end}) lies outside transcript "
                f"'{coding.transcript}'.",
                project.name,
            )


@dataclass(frozen=True)
class _Note:
    guid: str
    name: str
    text: str
    user: str = ""  # GUID of the creating user, if known
    created: str = ""


def _variable_types(project: ExchangeProject, names: list[str]) -> dict[str, str]:
    """Each variable's type: the one its imported file gave, while every value still fits it
    (an attribute edited to "ca. 15" makes an Integer variable Text again), else Text."""
    values: dict[str, list[str]] = {}
    for attrs in [*project.cases.values(), *(t.attributes for t in project.transcripts)]:
        for name, value in attrs.items():
            values.setdefault(name, []).append(value)
    out = {}
    for name in names:
        kind = project.variable_types.get(name, "Text")
        out[name] = kind if all(value_fits(kind, v) for v in values.get(name, [])) else "Text"
    return out


def _add_value(
    parent: etree._Element, project: ExchangeProject, name: str, value: str, kind: str
) -> None:
    vv = _el(parent, PROJECT_NS, "VariableValue")
    _el(vv, PROJECT_NS, "VariableRef", targetGUID=project.guid("variable", name))
    _el(vv, PROJECT_NS, f"{kind}Value").text = value


def _selections(project: ExchangeProject, transcript: str) -> list[tuple[str, list[Coding]]]:
    """The transcript's codings as selections, in text order.

    Each coding is a selection of its own, unless an imported file had several codes on one
    selection: those share its GUID again, as long as span and coder are still the same.
    """
    groups: dict[str, list[Coding]] = {}
    for coding in sorted(
        (c for c in project.codings if c.transcript == transcript),
        key=lambda c: (c.start, c.end, c.code, c.coder),
    ):
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


def _add_selection(
    source: etree._Element,
    project: ExchangeProject,
    guid: str,
    codings: list[Coding],
    memos: list[_Note],
    names: dict[str, str],
) -> None:
    first = codings[0]
    user = project.guid("user", first.coder)
    attrs = {
        "guid": guid,
        "startPosition": str(first.start),
        "endPosition": str(first.end),
        "creatingUser": user,
    }
    created = _xsd_datetime(first.created)
    if created:
        attrs["creationDateTime"] = created
    sel = _el(source, PROJECT_NS, "PlainTextSelection", **attrs)
    memo_refs: list[tuple[etree._Element, str]] = []
    for coding in codings:
        coding_guid = project.guid("coding", coding_key(coding))
        coding_attrs = {"guid": coding_guid, "creatingUser": user}
        stamp = _xsd_datetime(coding.created)
        if stamp:
            coding_attrs["creationDateTime"] = stamp
        coding_el = _el(sel, PROJECT_NS, "Coding", **coding_attrs)
        _el(coding_el, PROJECT_NS, "CodeRef", targetGUID=project.guid("code", coding.code))
        if coding.memo:
            note_guid = project.guid("memo", coding_guid)  # another tool's, if it was kept
            if note_guid != guid_for("memo", coding_guid) and any(
                n.guid == note_guid for n in memos
            ):
                note_guid = guid_for("memo", coding_guid)  # one GUID names one note
            note = _Note(
                note_guid,
                f"{coding.transcript}: {names.get(coding.code, coding.code)}",
                coding.memo,
                user,
                stamp or "",
            )
            memos.append(note)
            # One coding: the memo belongs to the selection, where tools look for it.
            memo_refs.append((sel if len(codings) == 1 else coding_el, note.guid))
    for holder, note_guid in memo_refs:
        _el(holder, PROJECT_NS, "NoteRef", targetGUID=note_guid)


def _summary_notes(project: ExchangeProject) -> list[tuple[_Note, str | None, tuple[str, ...]]]:
    """Case summaries and Tabell-1 notes as notes, each with its case (or None) and what it is."""
    names = {c.id: c.name for c in project.codes}
    out: list[tuple[_Note, str | None, tuple[str, ...]]] = []
    for s in sorted(project.summaries, key=summary_key):
        if not s.text.strip():
            continue
        label = names.get(s.target) if s.kind == "theme" else project.labels.get(s.target)
        note = _Note(
            project.guid("summary", summary_key(s)), f"{s.case}: {label or s.target}", s.text
        )
        out.append((note, s.case, ("summary", s.case, s.kind, s.target)))
    for category in sorted(project.comparison):
        for field_name, text in zip(
            ("likheter", "forskjeller"), project.comparison[category], strict=True
        ):
            if text.strip():
                label = project.labels.get(category, category)
                note = _Note(
                    project.guid("comparison", f"{category}|{field_name}"),
                    f"Tabell 1, {label}: {field_name}",
                    text,
                )
                out.append((note, None, ("comparison", category, field_name)))
    return out


def _add_notes(root: etree._Element, notes: list[_Note]) -> None:
    holder = _el(root, PROJECT_NS, "Notes")
    for note in notes:
        attrs = {"guid": note.guid, "name": note.name}
        if note.user:
            attrs["creatingUser"] = note.user
        if note.created:
            attrs["creationDateTime"] = note.created
        _el(
            _el(holder, PROJECT_NS, "Note", **attrs), PROJECT_NS, "PlainTextContent"
        ).text = note.text


def project_xml(project: ExchangeProject) -> bytes:
    """The ``project.qde`` of a ``.qdpx``: users, codebook, variables, cases, sources, notes."""
    _check_codings(project)
    root = etree.Element(f"{{{PROJECT_NS}}}Project", nsmap={None: PROJECT_NS})
    root.set("name", project.name)
    root.set("origin", ORIGIN)
    coders = _coders(project)
    if coders:
        users = _el(root, PROJECT_NS, "Users")
        for name in coders:
            _el(users, PROJECT_NS, "User", guid=project.guid("user", name), name=name)
    if project.codes:
        _add_codes(_el(root, PROJECT_NS, "CodeBook"), PROJECT_NS, project)
    names = _attribute_names(project)
    types = _variable_types(project, names)
    if names:
        variables = _el(root, PROJECT_NS, "Variables")
        for name in names:
            _el(
                variables,
                PROJECT_NS,
                "Variable",
                guid=project.guid("variable", name),
                name=name,
                typeOfVariable=types[name],
            )
    case_names = ordered_union(project.cases, (t.case for t in project.transcripts if t.case))
    if case_names:
        cases = _el(root, PROJECT_NS, "Cases")
        for name in case_names:
            case = _el(cases, PROJECT_NS, "Case", guid=project.guid("case", name), name=name)
            for attr, value in project.cases.get(name, {}).items():
                _add_value(case, project, attr, value, types[attr])
            for t in project.transcripts:
                if t.case == name:
                    _el(case, PROJECT_NS, "SourceRef", targetGUID=project.guid("transcript", t.id))
    analyst = _summary_notes(project)
    memos: list[_Note] = []
    code_names = {c.id: c.name for c in project.codes}
    if project.transcripts:
        sources = _el(root, PROJECT_NS, "Sources")
        for t in project.transcripts:
            guid = project.guid("transcript", t.id)
            source = _el(
                sources,
                PROJECT_NS,
                "TextSource",
                guid=guid,
                name=t.id,
                plainTextPath=f"internal://{guid}.txt",
            )
            for sel_guid, codings in _selections(project, t.id):
                _add_selection(source, project, sel_guid, codings, memos, code_names)
            # The schema gives a Case no notes: a case summary hangs on each of its sources.
            for note, case, _ in analyst:
                if case is not None and case == t.case:
                    _el(source, PROJECT_NS, "NoteRef", targetGUID=note.guid)
            # Source-level values only where they differ from the case's own.
            case_attrs = project.cases.get(t.case or "", {})
            for attr, value in t.attributes.items():
                if case_attrs.get(attr) != value:
                    _add_value(source, project, attr, value, types[attr])
    if memos or analyst:
        _add_notes(root, memos + [note for note, _, _ in analyst])
    for note, case, _ in analyst:
        if case is None:  # Tabell-1 notes are about the whole project
            _el(root, PROJECT_NS, "NoteRef", targetGUID=note.guid)
    return _serialise(root)


def sidecar_json(project: ExchangeProject) -> bytes:
    """``qualcode.json``: what the standard has no place for, so qualcode can read it back."""
    notes = {note.guid: list(what) for note, _, what in _summary_notes(project)}
    codes = {project.guid("code", c.id): c.id for c in project.codes}
    data = {"qualcode": 1, "codes": codes, "notes": notes}
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")


def _source_files(project: ExchangeProject) -> Iterator[tuple[str, bytes]]:
    for t in project.transcripts:
        yield f"sources/{project.guid('transcript', t.id)}.txt", t.text.encode("utf-8")


def _write_zip(path: Path, members: list[tuple[str, bytes]]) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)


def write_qdpx(project: ExchangeProject, path: str | Path) -> None:
    """Write ``project`` as a REFI-QDA project archive (``.qdpx``)."""
    members = [
        ("project.qde", project_xml(project)),
        *_source_files(project),
        (SIDECAR, sidecar_json(project)),
    ]
    try:
        _write_zip(Path(path), members)
    except OSError as exc:
        raise QualcodeError(f"Cannot write the project file: {exc.strerror}", str(path)) from exc


def write_qdc(project: ExchangeProject, path: str | Path) -> None:
    """Write the codebook of ``project`` as a REFI-QDA codebook (``.qdc``)."""
    data = codebook_xml(project)
    try:
        Path(path).write_bytes(data)
    except OSError as exc:
        raise QualcodeError(f"Cannot write the codebook: {exc.strerror}", str(path)) from exc

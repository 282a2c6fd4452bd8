"""REFI-QDA export: a ``.qdc`` codebook and a ``.qdpx`` project (NVivo, ATLAS.ti, MAXQDA…).

Pure in the sense that matters: the same ``ExchangeProject`` always gives the same
bytes — GUIDs come from ``refi.guid_for`` and no clock is read.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from lxml import etree

from qualcode import __version__
from qualcode.model import Code, Coding, QualcodeError
from qualcode.refi import (
    CODEBOOK_NS,
    PROJECT_NS,
    ExchangeProject,
    coding_key,
    guid_for,
    ordered_union,
    valid_color,
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


def _add_codes(parent: etree._Element, ns: str, codes: list[Code]) -> None:
    tree = _children_of(codes)
    done: set[str] = set()

    def add(at: etree._Element, code: Code) -> None:
        if code.id in done:  # a cycle in the parent links: write each code once
            return
        done.add(code.id)
        attrs = {"guid": guid_for("code", code.id), "name": code.name, "isCodable": "true"}
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
    _add_codes(root, CODEBOOK_NS, project.codes)
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


def _add_value(parent: etree._Element, name: str, value: str) -> None:
    vv = _el(parent, PROJECT_NS, "VariableValue")
    _el(vv, PROJECT_NS, "VariableRef", targetGUID=guid_for("variable", name))
    _el(vv, PROJECT_NS, "TextValue").text = value


def _add_selection(source: etree._Element, coding: Coding) -> None:
    key = coding_key(coding)
    user = guid_for("user", coding.coder)
    attrs = {
        "guid": guid_for("selection", key),
        "startPosition": str(coding.start),
        "endPosition": str(coding.end),
        "creatingUser": user,
    }
    created = _xsd_datetime(coding.created)
    if created:
        attrs["creationDateTime"] = created
    sel = _el(source, PROJECT_NS, "PlainTextSelection", **attrs)
    if coding.memo:
        _el(sel, PROJECT_NS, "Description").text = coding.memo
    coding_attrs = {"guid": guid_for("coding", key), "creatingUser": user}
    if created:
        coding_attrs["creationDateTime"] = created
    coding_el = _el(sel, PROJECT_NS, "Coding", **coding_attrs)
    _el(coding_el, PROJECT_NS, "CodeRef", targetGUID=guid_for("code", coding.code))


def project_xml(project: ExchangeProject) -> bytes:
    """The ``project.qde`` of a ``.qdpx``: users, codebook, variables, cases, sources."""
    _check_codings(project)
    root = etree.Element(f"{{{PROJECT_NS}}}Project", nsmap={None: PROJECT_NS})
    root.set("name", project.name)
    root.set("origin", ORIGIN)
    coders = _coders(project)
    if coders:
        users = _el(root, PROJECT_NS, "Users")
        for name in coders:
            _el(users, PROJECT_NS, "User", guid=guid_for("user", name), name=name)
    if project.codes:
        _add_codes(_el(root, PROJECT_NS, "CodeBook"), PROJECT_NS, project.codes)
    names = _attribute_names(project)
    if names:
        variables = _el(root, PROJECT_NS, "Variables")
        for name in names:
            _el(
                variables,
                PROJECT_NS,
                "Variable",
                guid=guid_for("variable", name),
                name=name,
                typeOfVariable="Text",
            )
    case_names = ordered_union(project.cases, (t.case for t in project.transcripts if t.case))
    if case_names:
        cases = _el(root, PROJECT_NS, "Cases")
        for name in case_names:
            case = _el(cases, PROJECT_NS, "Case", guid=guid_for("case", name), name=name)
            for attr, value in project.cases.get(name, {}).items():
                _add_value(case, attr, value)
            for t in project.transcripts:
                if t.case == name:
                    _el(case, PROJECT_NS, "SourceRef", targetGUID=guid_for("transcript", t.id))
    if project.transcripts:
        sources = _el(root, PROJECT_NS, "Sources")
        for t in project.transcripts:
            guid = guid_for("transcript", t.id)
            source = _el(
                sources,
                PROJECT_NS,
                "TextSource",
                guid=guid,
                name=t.id,
                plainTextPath=f"internal://{guid}.txt",
            )
            for coding in sorted(
                (c for c in project.codings if c.transcript == t.id),
                key=lambda c: (c.start, c.end, c.code, c.coder),
            ):
                _add_selection(source, coding)
            # Source-level values only where they differ from the case's own.
            case_attrs = project.cases.get(t.case or "", {})
            for attr, value in t.attributes.items():
                if case_attrs.get(attr) != value:
                    _add_value(source, attr, value)
    return _serialise(root)


def _source_files(project: ExchangeProject) -> Iterator[tuple[str, bytes]]:
    for t in project.transcripts:
        yield f"sources/{guid_for('transcript', t.id)}.txt", t.text.encode("utf-8")


def _write_zip(path: Path, members: list[tuple[str, bytes]]) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)


def write_qdpx(project: ExchangeProject, path: str | Path) -> None:
    """Write ``project`` as a REFI-QDA project archive (``.qdpx``)."""
    members = [("project.qde", project_xml(project)), *_source_files(project)]
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

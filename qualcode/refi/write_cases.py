"""Variables, cases and sets of a written ``.qdpx``.

A case's attributes are its variables; a transcript's own metadata (the interview's date,
duration, informants: what is not the case's) are variables on its source, where QualCoder
and MAXQDA read file variables. Each case is also a code with the case's GUID coding its
sources whole, which is how QualCoder links sources to cases (it does not read
``Case/SourceRef``), and its summaries are its ``Description``.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from qualcode.model import Transcript
from qualcode.refi.model import VALUE_FORMS, ExchangeProject, ordered_union, value_fits
from qualcode.refi.write_text import el

# Metadata that is not a variable: the case (it is the Case) and the sets (they are Sets).
NOT_VARIABLES = frozenset({"case", "sets"})


def meta_value(value: Any) -> str:
    """A metadata value as a variable's text: a list (informants) joined with '; '."""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def source_values(project: ExchangeProject, t: Transcript) -> dict[str, str]:
    """The variables a transcript's source carries: its metadata and any attribute of its own
    that differs from its case's."""
    case_attrs = project.cases.get(t.case or "", {})
    out = {
        k: meta_value(v)
        for k, v in t.meta.items()
        if k not in NOT_VARIABLES and k not in case_attrs and v is not None
    }
    for attr, value in t.attributes.items():
        if case_attrs.get(attr) != value:
            out.setdefault(attr, value)
    return out


def attribute_names(project: ExchangeProject) -> list[str]:
    return ordered_union(
        *(attrs.keys() for attrs in project.cases.values()),
        *(source_values(project, t).keys() for t in project.transcripts),
    )


def _guessed(values: list[str]) -> str:
    """The narrowest REFI-QDA type every value fits, for metadata that never had one."""
    for kind in ("Integer", "Float", "Date", "DateTime"):
        if values and all(value_fits(kind, v) for v in values):
            return kind
    return "Text"


def variable_types(project: ExchangeProject, names: list[str]) -> dict[str, str]:
    """Each variable's type: the one its imported file gave, while every value still fits it
    (an attribute edited to "ca. 15" makes an Integer variable Text again); metadata gets the
    narrowest type all its values fit; case attributes are Text otherwise."""
    case_values: dict[str, list[str]] = {}
    for attrs in project.cases.values():
        for name, value in attrs.items():
            case_values.setdefault(name, []).append(value)
    source_only: dict[str, list[str]] = {}
    for t in project.transcripts:
        for name, value in source_values(project, t).items():
            (case_values if name in case_values else source_only).setdefault(name, []).append(value)
    out = {}
    for name in names:
        values = case_values.get(name, source_only.get(name, []))
        kind = project.variable_types.get(name) or (
            _guessed([v for v in values if v]) if name in source_only else "Text"
        )
        fits = kind in VALUE_FORMS and all(value_fits(kind, v) for v in values if v)
        out[name] = kind if fits else "Text"
    return out


def add_variables(root: etree._Element, project: ExchangeProject) -> dict[str, str]:
    """``<Variables>``; returns each variable's type."""
    names = attribute_names(project)
    types = variable_types(project, names)
    if names:
        variables = el(root, "Variables")
        for name in names:
            el(
                variables,
                "Variable",
                guid=project.guid("variable", name),
                name=name,
                typeOfVariable=types[name],
            )
    return types


def add_value(
    parent: etree._Element, project: ExchangeProject, name: str, value: str, kind: str
) -> None:
    vv = el(parent, "VariableValue")
    el(vv, "VariableRef", targetGUID=project.guid("variable", name))
    if value or kind == "Text":  # an empty value of another type has no lexical form
        el(vv, f"{kind}Value").text = value


def case_names(project: ExchangeProject) -> list[str]:
    return ordered_union(project.cases, (t.case for t in project.transcripts if t.case))


def add_cases(
    root: etree._Element,
    project: ExchangeProject,
    types: dict[str, str],
    descriptions: dict[str, str],
) -> None:
    names = case_names(project)
    if not names:
        return
    cases = el(root, "Cases")
    for name in names:
        guid = project.guid("case", name)
        case = el(cases, "Case", guid=guid, name=name)
        if descriptions.get(name):
            el(case, "Description").text = descriptions[name]
        if any(t.case == name for t in project.transcripts):
            el(case, "CodeRef", targetGUID=guid)  # the case's own code (add_case_codes)
        for attr, value in project.cases.get(name, {}).items():
            add_value(case, project, attr, value, types[attr])
        for t in project.transcripts:
            if t.case == name:
                el(case, "SourceRef", targetGUID=project.guid("transcript", t.id))


def add_case_codes(codes: etree._Element, project: ExchangeProject) -> None:
    """One code per case with sources, with the case's GUID (see the module's docstring)."""
    taken = {c.name.casefold() for c in project.codes}
    for name in case_names(project):
        if not any(t.case == name for t in project.transcripts):
            continue
        label = name if name.casefold() not in taken else f"{name} (case)"
        el(codes, "Code", guid=project.guid("case", name), name=label, isCodable="true")


def add_sets(root: etree._Element, project: ExchangeProject) -> None:
    """A transcript's ``sets`` (from an imported file) as ``<Set>``s of sources."""
    members: dict[str, list[str]] = {}
    for t in project.transcripts:
        sets = t.meta.get("sets")
        for name in sets if isinstance(sets, list) else []:
            members.setdefault(str(name), []).append(t.id)
    if not members:
        return
    holder = el(root, "Sets")
    for name, tids in members.items():
        one = el(holder, "Set", guid=project.guid("set", name), name=name)
        if project.descriptions.get(f"set:{name}"):
            el(one, "Description").text = project.descriptions[f"set:{name}"]
        for tid in tids:
            el(one, "MemberSource", targetGUID=project.guid("transcript", tid))

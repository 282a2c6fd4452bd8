"""Load and check the interview guide (YAML) into a :class:`~qualcode.model.Guide`.

Every problem becomes one :class:`QualcodeError` naming the file, the line and the
offending id, so a researcher editing the YAML by hand can find and fix it.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from qualcode.bounds import MAX_GUIDE_BYTES, read_bounded
from qualcode.i18n import N_, ui
from qualcode.model import (
    CaseAttribute,
    Code,
    ComparisonCategory,
    Guide,
    QualcodeError,
    ReportSection,
    Theme,
    normalise_text,
)
from qualcode.palette import theme_colour, tint
from qualcode.schemas import GUIDE_SCHEMA, load_schema
from qualcode.yaml_text import FastTextDateLoader, TextDateLoader, YamlBoundError

if TYPE_CHECKING:
    import jsonschema

PathItem = str | int

# What each list of the guide holds, for messages such as `theme "organisering"`.
_KINDS = {
    "themes": N_("theme"),
    "codes": N_("code"),
    "report_sections": N_("report section"),
    "comparison_categories": N_("comparison category"),
    "case_attributes": N_("case attribute"),
}

_TYPE_WORDS = {
    "string": N_("a piece of text"),
    "array": N_("a list"),
    "object": N_("a set of fields (key: value lines)"),
    "integer": N_("a whole number"),
    "number": N_("a number"),
    "boolean": N_("true or false"),
    "null": N_("empty"),
}


def guide_fingerprint(raw: bytes) -> str:
    """What a schema check depends on: the guide's bytes and the schema's own text."""
    digest = hashlib.sha256(json.dumps(load_schema(GUIDE_SCHEMA), sort_keys=True).encode())
    digest.update(b"\0")
    digest.update(raw)
    return digest.hexdigest()


def load_guide(path: str | Path) -> Guide:
    """Read, validate and build the guide in ``path``; raise one QualcodeError if it is wrong."""
    return read_guide(path)[0]


def read_guide(path: str | Path, checked: str | None = None) -> tuple[Guide, str]:
    """:func:`load_guide`, and the :func:`guide_fingerprint` of the bytes it read.

    ``checked`` is the fingerprint of a guide that passed the schema check before: the same
    bytes against the same schema pass again, so that check (and loading jsonschema, a
    third of a second at every start) is skipped. Everything else is checked each time.
    """
    source = str(path)
    if not Path(path).exists():
        raise QualcodeError(ui("the interview guide file does not exist"), source=source)
    if Path(path).is_dir():
        raise QualcodeError(ui("this is a folder, not an interview guide file"), source=source)
    raw = read_bounded(path, MAX_GUIDE_BYTES, N_("an interview guide"))  # a regular file, capped
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise QualcodeError(
            ui("the file is not UTF-8 text; save it again with UTF-8 encoding"),
            source=source,
            line=line,
        ) from None
    fingerprint = guide_fingerprint(raw)
    return parse_guide(text, source, schema_checked=checked == fingerprint), fingerprint


def parse_guide(text: str, source: str, *, schema_checked: bool = False) -> Guide:
    """Validate and build a guide from YAML ``text``; ``source`` names it in error messages."""
    root, data = _parse_yaml(normalise_text(text), source)
    if not schema_checked:
        _validate_schema(data, root, source)
    _check_references(data, root, source)
    return _build(data, source)


# --- YAML -------------------------------------------------------------------------------------


def _parse_yaml(text: str, source: str) -> tuple[yaml.Node, Any]:
    """The composed node tree (for line numbers) and the plain data, from one parse.

    libyaml's parser first (fast); a guide it refuses is parsed again by PyYAML's own,
    whose messages and marks say better what is wrong and where.
    """
    try:
        return _parse_with(FastTextDateLoader, text, source)
    except QualcodeError:
        return _parse_with(TextDateLoader, text, source)


def _parse_with(loader_class: type, text: str, source: str) -> tuple[yaml.Node, Any]:
    try:
        # The reader checks characters as it is built: a control character fails here.
        # Dates stay text: a guide has none, and an impossible one would crash the loader.
        loader = loader_class(text)
    except yaml.YAMLError as exc:
        raise QualcodeError(
            ui("this is not valid YAML ({problem})").format(problem=exc), source=source
        ) from None
    try:
        root = loader.get_single_node()
        if root is None:
            raise QualcodeError(ui("the interview guide is empty"), source=source)
        _check_duplicate_keys(root, source)
        try:
            data = loader.construct_document(root)
        except ValueError as exc:  # PyYAML's int(): a number of thousands of digits
            raise QualcodeError(
                ui("holds a number qualcode cannot read ({error})").format(error=exc),
                source=source,
                line=_long_number_line(text),
            ) from None
    except yaml.MarkedYAMLError as exc:
        raise _yaml_error(exc, source, text) from None
    except yaml.YAMLError as exc:
        raise QualcodeError(
            ui("this is not valid YAML ({problem})").format(problem=exc), source=source
        ) from None
    finally:
        loader.dispose()
    return root, data


def _long_number_line(text: str) -> int | None:
    m = re.search(r"\d{100}", text)
    return text.count("\n", 0, m.start()) + 1 if m else None


def _unbalanced_quote_line(text: str, first: int, last: int) -> int | None:
    """The first line (0-based) from ``first`` to ``last`` with an odd number of double
    quotes: an unclosed quote runs on to the next one, and PyYAML reports the line where
    the swallowed text ends, not the line that opened it."""
    lines = text.splitlines()
    for n in range(max(first, 0), min(last, len(lines) - 1) + 1):
        if lines[n].replace('\\"', "").count('"') % 2:
            return n
    return None


def _yaml_error(exc: yaml.MarkedYAMLError, source: str, text: str = "") -> QualcodeError:
    mark = exc.problem_mark or exc.context_mark
    if isinstance(exc, YamlBoundError):
        return QualcodeError(
            ui("refused: {problem}").format(problem=exc.problem),
            source=source,
            line=mark.line + 1 if mark else None,
        )
    problem = (exc.problem or ui("unreadable text")).strip()
    detail = f"{problem}, {exc.context}" if exc.context else problem  # PyYAML's words
    unclosed = "end of stream" in problem or "<stream end>" in problem
    if "'\\t'" in problem:
        detail = ui("a tab character is used for indentation; indent with spaces only")
    elif unclosed:
        detail = ui("a bracket or quote opened here is never closed ({detail})").format(
            detail=detail
        )
    # For a missing colon or an unclosed bracket PyYAML's problem mark lies past the
    # culprit; the context mark is the key or the opening bracket.
    if exc.context_mark is not None and (unclosed or exc.context == "while scanning a simple key"):
        mark = exc.context_mark
    if exc.problem_mark is not None and "found '<scalar>'" in problem:
        start = exc.context_mark.line if exc.context_mark is not None else 0
        opened = _unbalanced_quote_line(text, start, exc.problem_mark.line)
        if opened is not None and opened < exc.problem_mark.line:
            return QualcodeError(
                ui(
                    "this is not valid YAML: the quote opened on line {opened} is not closed "
                    "on that line, so the text runs on to line {until}; "
                    "close the quote on line {opened}"
                ).format(opened=opened + 1, until=exc.problem_mark.line + 1),
                source=source,
                line=opened + 1,
            )
    return QualcodeError(
        ui(
            "this is not valid YAML ({detail}); check the indentation, the colons after field "
            "names, and put text containing ': ' or '#' in quotes"
        ).format(detail=detail),
        source=source,
        line=mark.line + 1 if mark else None,
    )


def _check_duplicate_keys(node: yaml.Node, source: str) -> None:
    """PyYAML silently keeps the last of two equal keys; a hand-edited guide wants to know."""
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                line = key.start_mark.line + 1
                if key.value in seen:
                    raise QualcodeError(
                        ui('the field "{field}" appears twice here (first on line {first})').format(
                            field=key.value, first=seen[key.value]
                        ),
                        source=source,
                        line=line,
                    )
                seen[key.value] = line
            _check_duplicate_keys(value, source)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _check_duplicate_keys(item, source)


def _node_at(root: yaml.Node, path: Iterable[PathItem], *, key: bool = False) -> yaml.Node:
    """The deepest node along ``path``; with ``key`` the key node of a final mapping key."""
    node = root
    steps = list(path)
    for i, step in enumerate(steps):
        if isinstance(node, yaml.MappingNode) and isinstance(step, str):
            found = next((kv for kv in node.value if getattr(kv[0], "value", None) == step), None)
            if found is None:
                return node
            node = found[0] if key and i == len(steps) - 1 else found[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            if step >= len(node.value):
                return node
            node = node.value[step]
        else:
            return node
    return node


def _line(root: yaml.Node, path: Iterable[PathItem], *, key: bool = False) -> int:
    return _node_at(root, path, key=key).start_mark.line + 1


# --- schema -----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _validator() -> jsonschema.Draft202012Validator:
    import jsonschema  # loaded only when a guide is checked against the schema

    return jsonschema.Draft202012Validator(load_schema(GUIDE_SCHEMA))


def _validate_schema(data: Any, root: yaml.Node, source: str) -> None:
    errors = list(_validator().iter_errors(data))
    if not errors:
        return
    # The first problem in the file is the one a researcher expects to be told about.
    located = [(_error_line(err, root), err) for err in errors]
    line, err = min(located, key=lambda le: (le[0], -len(le[1].absolute_path)))
    if err.validator == "required":
        # A missing field next to an unknown one is most likely a typo: report the typo.
        typo = [le for le in located if le[1].validator == "additionalProperties"]
        typo = [le for le in typo if le[1].absolute_path == err.absolute_path]
        if typo:
            line, err = typo[0]
    raise QualcodeError(_error_message(err, data), source=source, line=line)


def _error_line(err: jsonschema.ValidationError, root: yaml.Node) -> int:
    path = list(err.absolute_path)
    if err.validator == "additionalProperties" and isinstance(err.instance, dict):
        extra = _extra_fields(err)
        if extra:
            return _line(root, [*path, extra[0]], key=True)
    return _line(root, path)


def _extra_fields(err: jsonschema.ValidationError) -> list[str]:
    allowed = err.schema.get("properties", {}) if isinstance(err.schema, dict) else {}
    return [str(k) for k in err.instance if k not in allowed]


def _error_message(err: jsonschema.ValidationError, data: Any) -> str:
    path = list(err.absolute_path)
    kind = err.validator
    value = err.instance
    if kind == "required":
        missing = [k for k in err.validator_value if k not in value]
        field = missing[0] if missing else "?"
        return ui('{what} is missing the required field "{field}"').format(
            what=_describe(data, path), field=field
        )
    if kind == "additionalProperties":
        allowed = list(err.schema.get("properties", {}))
        extra = _extra_fields(err)[0]
        hint = _did_you_mean(extra, allowed) or ui("; allowed fields are {fields}").format(
            fields=", ".join(allowed)
        )
        return ui('{what} has an unknown field "{field}"{hint}').format(
            what=_describe(data, path), field=extra, hint=hint
        )

    # An entry that is itself wrong is described by what contains it, not by itself.
    entry = len(path) > 1 and isinstance(path[-1], int) and path[-2] in _KINDS
    owner = _owner_path(path[:-1] if entry else path)
    where = f"{_describe(data, owner)}: " if owner else ""
    field = _field_name(path)
    if kind == "type":
        expected = err.validator_value
        names = [expected] if isinstance(expected, str) else list(expected)
        wanted = ui(" or ").join(ui(_TYPE_WORDS[n]) if n in _TYPE_WORDS else n for n in names)
        if not path:
            return ui("the guide should be {wanted} at the top level, not {found}").format(
                wanted=wanted, found=_kind_of(value)
            )
        message = ui("{field} should be {wanted}, not {found}")
        return where + message.format(field=field, wanted=wanted, found=_kind_of(value))
    if kind == "pattern":
        return f"{where}{field}: {_pattern_advice(path, value)}"
    if kind == "minItems":
        return where + ui("{field} must list at least one item").format(field=field)
    if kind == "minLength":
        return where + ui("{field} must not be empty").format(field=field)
    if kind == "uniqueItems":
        return where + ui("{field} lists the same value more than once").format(field=field)
    return f"{where}{field}: {err.message}"  # jsonschema's own words (English)


def _pattern_advice(path: Sequence[PathItem], value: Any) -> str:
    last = next((p for p in reversed(path) if isinstance(p, str)), "")
    if last == "color":
        return ui('"{value}" is not a colour; write it as "#rrggbb", for example "#e07a5f"').format(
            value=value
        )
    if last == "language":
        return ui('"{value}" is not a language code; use for example "nb", "nn" or "en"').format(
            value=value
        )
    return ui(
        '"{value}" is not a valid id; use lowercase letters a-z, digits and hyphens '
        'only, starting with a letter or digit (for example "palliative-senger")'
    ).format(value=value)


def _owner_path(path: Sequence[PathItem]) -> list[PathItem]:
    """The path of the innermost theme/code/section/... that contains ``path``."""
    out: list[PathItem] = []
    owner: list[PathItem] = []
    for i, step in enumerate(path):
        out.append(step)
        if isinstance(step, int) and i > 0 and path[i - 1] in _KINDS:
            owner = list(out)
    return owner


def _field_name(path: Sequence[PathItem]) -> str:
    """``"keywords" (item 3)`` for ``[..., "keywords", 2]``; ``"name"`` for ``[..., "name"]``."""
    if not path:
        return ui("the guide")
    if isinstance(path[-1], int) and len(path) > 1:
        if path[-2] in _KINDS:
            return ui('entry no. {n} of "{field}"').format(n=path[-1] + 1, field=path[-2])
        return ui('"{field}" (item {n})').format(field=path[-2], n=path[-1] + 1)
    return f'"{path[-1]}"'


def _describe(data: Any, path: Sequence[PathItem]) -> str:
    """``theme "organisering"``, ``code "fastvakt" of theme "bemanning"``, or ``the guide``."""
    parts: list[str] = []
    node = data
    for i, step in enumerate(path):
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(step, int) and i > 0 and path[i - 1] in _KINDS:
            kind = ui(_KINDS[str(path[i - 1])])
            ident = node.get("id") if isinstance(node, dict) else None
            if isinstance(ident, str) and ident:
                parts.append(ui('{kind} "{id}"').format(kind=kind, id=ident))
            else:
                parts.append(ui("{kind} no. {n}").format(kind=kind, n=step + 1))
    if not parts:
        return ui("the guide")
    described = parts[-1]
    for outer in reversed(parts[:-1]):
        described = ui("{inner} of {outer}").format(inner=described, outer=outer)
    return described


def _kind_of(value: Any) -> str:
    if value is None:
        return ui("empty")
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, str):
        return ui('the text "{value}"').format(value=value)
    if isinstance(value, list):
        return ui("a list")
    if isinstance(value, dict):
        return ui("a set of fields")
    if isinstance(value, int | float):
        return ui("the number {value}").format(value=value)
    return f'"{value}"'


# --- cross references -------------------------------------------------------------------------


def _check_references(data: dict[str, Any], root: yaml.Node, source: str) -> None:
    themes: list[dict[str, Any]] = data["themes"]
    node_ids: dict[str, int] = {}
    theme_ids: set[str] = set()
    names: dict[str, int] = {}  # a code is found by name too (--code NAME): one per name
    for t, theme in enumerate(themes):
        _claim(node_ids, theme["id"], _line(root, ["themes", t, "id"]), N_("id"), source)
        theme_ids.add(theme["id"])
        line = _line(root, ["themes", t, "name"])
        _claim(names, str(theme["name"]).strip().casefold(), line, _NAME, source)
        for c, code in enumerate(theme.get("codes", [])):
            line = _line(root, ["themes", t, "codes", c, "id"])
            _claim(node_ids, code["id"], line, N_("id"), source)
            line = _line(root, ["themes", t, "codes", c, "name"])
            _claim(names, str(code["name"]).strip().casefold(), line, _NAME, source)

    for key, label in (
        ("case_attributes", N_("case attribute id")),
        ("report_sections", N_("report section id")),
        ("comparison_categories", N_("comparison category id")),
    ):
        seen: dict[str, int] = {}
        for i, item in enumerate(data.get(key, [])):
            _claim(seen, item["id"], _line(root, [key, i, "id"]), label, source)

    for s, section in enumerate(data.get("report_sections", [])):
        for k, ref in enumerate(section["themes"]):
            if ref not in theme_ids:
                hint = (
                    ui(' ("{ref}" is a code, not a theme)').format(ref=ref)
                    if ref in node_ids
                    else _did_you_mean(ref, theme_ids)
                )
                raise QualcodeError(
                    ui('report section "{id}" names an unknown theme "{ref}"{hint}').format(
                        id=section["id"], ref=ref, hint=hint
                    ),
                    source=source,
                    line=_line(root, ["report_sections", s, "themes", k]),
                )

    for g, category in enumerate(data.get("comparison_categories", [])):
        for k, ref in enumerate(category["codes"]):
            if ref not in node_ids:
                raise QualcodeError(
                    ui('comparison category "{id}" names an unknown code "{ref}"{hint}').format(
                        id=category["id"], ref=ref, hint=_did_you_mean(ref, node_ids)
                    ),
                    source=source,
                    line=_line(root, ["comparison_categories", g, "codes", k]),
                )


_NAME = N_("theme or code name")


def _claim(seen: dict[str, int], ident: str, line: int, label: str, source: str) -> None:
    if ident in seen:
        raise QualcodeError(
            ui('duplicate {label} "{id}" (first used on line {first})').format(
                label=ui(label), id=ident, first=seen[ident]
            ),
            source=source,
            line=line,
        )
    seen[ident] = line


def _did_you_mean(ref: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(ref, list(known), n=1)
    return ui('; did you mean "{name}"?').format(name=close[0]) if close else ""


# --- building the model -----------------------------------------------------------------------


def _texts(values: Iterable[str] | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in values or () if v.strip())


def _build(data: dict[str, Any], source: str) -> Guide:
    themes: list[Theme] = []
    for i, theme in enumerate(data["themes"]):
        # Themes without a colour take the palette's, in order; codes a tint of their theme.
        color = theme.get("color") or theme_colour(i)
        codes = tuple(
            Code(
                id=code["id"],
                name=code["name"].strip(),
                parent=theme["id"],
                description=code.get("description", "").strip(),
                keywords=_texts(code.get("keywords")),
                origin="guide",
                color=code.get("color") or tint(color, j),
                position=j,
            )
            for j, code in enumerate(theme.get("codes", []))
        )
        themes.append(
            Theme(
                id=theme["id"],
                name=theme["name"].strip(),
                description=theme.get("description", "").strip(),
                questions=_texts(theme["questions"]),
                followups=_texts(theme.get("followups")),
                keywords=_texts(theme.get("keywords")),
                codes=codes,
                color=color,
            )
        )
    return Guide(
        title=data["title"].strip(),
        language=data["language"],
        case_label=data["case_label"].strip(),
        case_attributes=tuple(
            CaseAttribute(id=a["id"], name=a["name"].strip(), values=_texts(a.get("values")))
            for a in data.get("case_attributes", [])
        ),
        report_sections=tuple(
            ReportSection(id=s["id"], title=s["title"].strip(), themes=tuple(s["themes"]))
            for s in data.get("report_sections", [])
        ),
        themes=tuple(themes),
        comparison_categories=tuple(
            ComparisonCategory(
                id=c["id"],
                name=c["name"].strip(),
                codes=tuple(c["codes"]),
                description=c.get("description", "").strip(),
            )
            for c in data.get("comparison_categories", [])
        ),
        source=source,
        case_label_plural=data.get("case_label_plural", "").strip(),
        comparison_title=data.get("comparison_title", "").strip(),
    )

"""JSON a researcher hands in (codings, summaries), read with bounds and plain messages:
no NaN or Infinity (nor numbers too large to be finite), no integers of thousands of digits,
no nesting deeper than anything qualcode writes. Each refusal names the file and line."""

from __future__ import annotations

import json
import math
import re
from typing import Any

from qualcode.i18n import ui, ui_decimal
from qualcode.model import QualcodeError

MAX_JSON_DEPTH = 50
MAX_DIGITS = 30  # far beyond any offset or count; Python refuses ints past 4,300 digits


def _line(text: str, pattern: str) -> int | None:
    m = re.search(pattern, text)
    return text.count("\n", 0, m.start()) + 1 if m else None


def load_json(text: str, source: str) -> Any:
    """The JSON document in ``text``; refused with a sentence (and a line) past the bounds."""
    depth = _max_depth(text)
    if depth > MAX_JSON_DEPTH:
        raise QualcodeError(
            ui("not usable JSON: nested more than {n} levels deep").format(n=MAX_JSON_DEPTH),
            source,
            _line(text, r"[\[{]" * (MAX_JSON_DEPTH + 1)) or None,
        )

    def constant(name: str) -> Any:
        raise QualcodeError(
            ui("not usable JSON: {value} is not a number qualcode accepts").format(value=name),
            source,
            _line(text, rf"\b{re.escape(name)}\b"),
        )

    def number(value: str) -> float:
        parsed = float(value)
        if not math.isfinite(parsed):
            raise QualcodeError(
                ui("not usable JSON: {value} is too large to be a number").format(value=value),
                source,
                _line(text, re.escape(value)),
            )
        return parsed

    def integer(value: str) -> int:
        if len(value.lstrip("-")) > MAX_DIGITS:
            raise QualcodeError(
                ui("not usable JSON: a number of {n} digits").format(
                    n=ui_decimal(len(value.lstrip("-")), 0)
                ),
                source,
                _line(text, r"\d{" + str(MAX_DIGITS + 1) + "}"),
            )
        return int(value)

    try:
        return json.loads(text, parse_constant=constant, parse_float=number, parse_int=integer)
    except json.JSONDecodeError as err:
        raise QualcodeError(
            ui("not valid JSON: {problem}").format(problem=err.msg), source, err.lineno
        ) from None


def _max_depth(text: str) -> int:
    """The deepest bracket nesting outside strings (a quick scan, before parsing)."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest

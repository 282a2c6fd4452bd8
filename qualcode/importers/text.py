"""Plain-text and Markdown transcripts: front matter, speaker labels, turns.

The label finder and the turn assembler here are shared with the Word importer.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from qualcode.i18n import ui
from qualcode.importers.encoding import decode
from qualcode.model import INTERVIEWER, QualcodeError, Transcript, Turn, speaker_role
from qualcode.schemas import TRANSCRIPT_META_SCHEMA, load_schema
from qualcode.yaml_text import DATE_ADVICE, check_date, load_text_dates

UNKNOWN_SPEAKER = "Ukjent"

_TS = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_BOLD = r"(?:\*\*|__)?"
# A speaker label at a line start: optional timestamp, optional markdown bold, the label
# (letters, digits, spaces, dots, hyphens), an optional trailing timestamp, then ':'.
_LABEL_RE = re.compile(
    rf"[ \t]*{_BOLD}[ \t]*(?:[\[(]?(?P<ts>{_TS})[\])]?[ \t]+)?{_BOLD}[ \t]*"
    rf"(?P<label>[^\W\d_][\w.\- ]{{0,39}}?)"
    rf"(?:[ \t]*[\[(](?P<ts2>{_TS})[\])])?"
    rf"[ \t]*{_BOLD}:{_BOLD}(?=[ \t]|$)"
)
# Labels for informants that are accepted whatever their case.
_KNOWN_INFORMANT = re.compile(
    r"^(informant|inf|deltaker|deltakar|respondent|participant|svar|answer|a|b|k|p|r)"
    r"(\s*\d+)?$",
    re.IGNORECASE,
)
# Words that begin ordinary sentences or preamble fields, never a speaker's name.
_STOPWORDS = frozenset(
    """det den de dei er var og men så som jeg eg vi me du han hun ho meg oss at på til med
    for om en et ei har kan skal vil ikke hva kva hvordan korleis hvorfor når der her litt
    sånn altså liksom egentlig ja nei jo vel ok nå da the a an and but so it is was this that
    we you he she they to of in on with what why how dato date sted place tid time
    varighet duration tema topic prosjekt project kommune region case intervju interview
    transkribert transcribed transkribent merk note obs deltakere participants informanter
    lengde kilde source fil file""".split()
)
_MD_HEADING = re.compile(r"^#{1,6}[ \t].*$", re.MULTILINE)


@dataclass(frozen=True)
class LabelHit:
    """A speaker label found at ``line_start``; the turn's content begins at ``content_start``."""

    line_start: int
    content_start: int
    speaker: str
    timestamp: float | None = None


def seconds(stamp: str) -> float:
    """``"01:02:03.5"`` or ``"02:03"`` → seconds."""
    total = 0.0
    for part in stamp.replace(",", ".").split(":"):
        total = total * 60 + float(part)
    return total


def acceptable_label(label: str, *, stamped: bool, emphasised: bool, count: int) -> bool:
    """Whether a ``Label:`` line start names a speaker rather than begins a sentence."""
    words = label.split()
    if not words or len(words) > 4 or len(label) > 40:
        return False
    if speaker_role(label) == INTERVIEWER or _KNOWN_INFORMANT.match(label):
        return True
    if any(w.lower().strip(".") in _STOPWORDS for w in words):
        return False
    # "Flott. Først:" is two sentences; "Dr. Hansen:" is a name.
    if any(len(w) > 4 and w.endswith(".") for w in words[:-1]):
        return False
    if stamped or emphasised:
        return True
    if not label[0].isupper():
        return False
    # "Leder hjemmetjenesten": a lower-case phrase is a label only when it recurs.
    return len(words) == 1 or all(w[0].isupper() or w[0].isdigit() for w in words[1:]) or count > 1


def match_label(line: str) -> re.Match[str] | None:
    return _LABEL_RE.match(line)


def _lines(text: str, skip: list[tuple[int, int]]) -> Iterable[tuple[int, str]]:
    pos = 0
    for line in text.split("\n"):
        if not any(a <= pos < b for a, b in skip):
            yield pos, line
        pos += len(line) + 1


def scan_labels(
    text: str,
    *,
    skip: list[tuple[int, int]] | None = None,
    emphasised: Iterable[int] = (),
) -> list[LabelHit]:
    """Every accepted speaker label at a line start; ``emphasised`` lists bold line starts."""
    skip = skip or []
    bold = set(emphasised)
    found = [(pos, m) for pos, line in _lines(text, skip) if (m := match_label(line))]
    counts = Counter(m.group("label").strip() for _, m in found)
    hits: list[LabelHit] = []
    for pos, m in found:
        label = m.group("label").strip()
        stamp = m.group("ts") or m.group("ts2")
        if acceptable_label(
            label, stamped=bool(stamp), emphasised=pos in bold, count=counts[label]
        ):
            hits.append(
                LabelHit(pos, pos + m.end(), label, seconds(stamp) if stamp is not None else None)
            )
    return hits


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def assemble(
    text: str, hits: list[LabelHit], barriers: list[tuple[int, int]] | None = None
) -> tuple[list[Turn], str]:
    """Turns and preamble from label hits; ``barriers`` (headings) end a turn and join the preamble.

    Text after a barrier that carries no label of its own continues the previous speaker
    as a new turn, so nothing spoken is lost from the turns.
    """
    barriers = sorted(barriers or [])
    hits = sorted(hits, key=lambda h: h.line_start)
    if not hits:
        hits = [LabelHit(0, 0, UNKNOWN_SPEAKER)]
    preamble_parts = [text[: hits[0].line_start].strip()]
    events: list[tuple[int, int, LabelHit | tuple[int, int]]] = [
        (h.line_start, 0, h) for h in hits
    ] + [(b[0], 1, b) for b in barriers if b[0] >= hits[0].line_start]
    events.sort(key=lambda e: (e[0], e[1]))
    turns: list[Turn] = []
    current: LabelHit | None = None

    def close(until: int) -> None:
        if current is None:
            return
        start, end = _strip_span(text, current.content_start, until)
        if end > start:
            turns.append(
                Turn(
                    speaker=current.speaker,
                    start=start,
                    end=end,
                    timestamp=current.timestamp,
                    role=speaker_role(current.speaker),
                )
            )

    for pos, _, item in events:
        close(pos)
        if isinstance(item, LabelHit):
            current = item
        else:
            preamble_parts.append(text[item[0] : item[1]].strip())
            if current is not None:
                current = LabelHit(item[1], item[1], current.speaker)
    close(len(text))
    return turns, "\n\n".join(p for p in preamble_parts if p)


# --- front matter ----------------------------------------------------------------------


@lru_cache(maxsize=1)
def _schema_validator() -> jsonschema.protocols.Validator:
    return jsonschema.Draft202012Validator(load_schema(TRANSCRIPT_META_SCHEMA))


def _plain(value: Any) -> Any:
    """Keys as strings, so the metadata stays JSON-friendly (dates are strings already)."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def split_front_matter(text: str, name: str) -> tuple[dict[str, Any], str]:
    """``(front matter, body)``; the front matter is ``---`` … ``---`` at the very top."""
    if not re.match(r"---[ \t]*\n", text):
        return {}, text
    lines = text.split("\n")
    close = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if close is None:
        raise QualcodeError(ui("the front matter starting with '---' is never closed"), name, 1)
    raw = "\n".join(lines[1:close])
    # Blank lines between the front matter and the text carry nothing; drop them.
    body = "\n".join(lines[close + 1 :]).lstrip("\n")
    try:
        # Dates stay the text typed, so an impossible one is reported below with its line.
        data = load_text_dates(raw) if raw.strip() else {}
    except ValueError as err:  # PyYAML's int(): a number of thousands of digits
        m = re.search(r"\d{100}", raw)
        line = raw.count("\n", 0, m.start()) + 2 if m else 2
        raise QualcodeError(
            ui("front matter holds a number qualcode cannot read ({error})").format(error=err),
            name,
            line,
        ) from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
        line = mark.line + 2 if mark is not None else 2
        problem = getattr(err, "problem", None) or ui("is not valid YAML")
        raise QualcodeError(
            ui("front matter is not valid YAML: {problem}").format(problem=problem), name, line
        ) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise QualcodeError(ui("front matter must be a set of 'key: value' lines"), name, 2)
    meta = _plain(data)
    fm_lines = raw.split("\n")
    _refuse_non_finite(meta, fm_lines, name)
    _check_date(meta, fm_lines, name)
    _validate(meta, fm_lines, name)
    return meta, body


def _refuse_non_finite(meta: dict[str, Any], fm_lines: list[str], name: str) -> None:
    """NaN and infinity (``.nan``, ``.inf`` in YAML) are no one's interview length, and
    JSON output cannot hold them."""
    for key, value in meta.items():
        values = value if isinstance(value, list) else [value]
        if any(isinstance(v, float) and not math.isfinite(v) for v in values):
            raise QualcodeError(
                ui("front matter field '{field}' is {value}, not a number qualcode accepts").format(
                    field=key, value=repr(value)
                ),
                name,
                _key_line(fm_lines, key),
            )


def _key_line(fm_lines: list[str], key: str) -> int:
    """The file's 1-based line of ``key:`` in the front matter (line 1 is the ``---``)."""
    for i, line in enumerate(fm_lines):
        if re.match(rf"['\"]?{re.escape(key)}['\"]?\s*:", line):
            return i + 2
    return 2


def _check_date(meta: dict[str, Any], fm_lines: list[str], name: str) -> None:
    """The interview date, checked to exist and stored as ``YYYY-MM-DD``.

    A list or a mapping is left to the schema, which says what shape it should have.
    """
    value = meta.get("date")
    if value is None or isinstance(value, list | dict | bool):
        return
    try:
        meta["date"] = check_date(value)
    except ValueError as err:
        raise QualcodeError(
            ui("front matter field '{field}': {problem}").format(field="date", problem=err),
            name,
            _key_line(fm_lines, "date"),
        ) from None


def _validate(meta: dict[str, Any], fm_lines: list[str], name: str) -> None:
    errors = list(_schema_validator().iter_errors(meta))
    if not errors:
        return

    def line_of(err: jsonschema.ValidationError) -> int:
        return _key_line(fm_lines, str(err.path[0])) if err.path else 2

    err = min(errors, key=line_of)
    problem = err.message  # jsonschema's own words (English)
    if err.validator == "type" and "string" in str(err.validator_value):
        problem = ui("{problem} (put the value in quotes)").format(problem=problem)
    if err.path and err.path[0] == "date":
        problem = f"{problem}; {ui(DATE_ADVICE)}"
    if err.path:
        message = ui("front matter field '{field}': {problem}").format(
            field=err.path[0], problem=problem
        )
    else:
        message = ui("front matter: {problem}").format(problem=problem)
    raise QualcodeError(message, name, line_of(err))


# Front-matter fields that describe the interview, not the case: they stay in the
# transcript's metadata, so two interviews of one case keep their own dates and informants.
INTERVIEW_FIELDS = frozenset({"informants", "date", "duration_min"})


def case_and_attributes(meta: dict[str, Any]) -> tuple[str | None, dict[str, str]]:
    """The case, and the front matter's other scalar values as candidate case attributes.

    The interview's own details (:data:`INTERVIEW_FIELDS`) are left out; the project narrows
    the rest to the attributes its guide declares.
    """
    case = meta.get("case")
    attributes = {
        key: str(value)
        for key, value in meta.items()
        if key != "case"
        and key not in INTERVIEW_FIELDS
        and value is not None
        and isinstance(value, str | int | float | bool)
    }
    return (str(case) if case is not None else None), attributes


def front_matter_line(text: str, key: str) -> int | None:
    """The 1-based line of ``key:`` in the front matter at the top of ``text``, if there."""
    lines = text.split("\n")
    if not lines or not re.match(r"---[ \t]*$", lines[0]):
        return None
    for i, line in enumerate(lines[1:], start=2):
        if line.rstrip() in ("---", "..."):
            return None
        if re.match(rf"['\"]?{re.escape(key)}['\"]?\s*:", line):
            return i
    return None


# --- the importer ----------------------------------------------------------------------


def parse_text(text: str, name: str) -> Transcript:
    """A transcript from already decoded, normalised text (front matter allowed)."""
    meta, body = split_front_matter(text, name)
    if not body.strip():
        raise QualcodeError(ui("has no transcript text after the front matter"), source=name)
    barriers: list[tuple[int, int]] = []
    if name.lower().endswith(".md"):
        barriers = [(m.start(), m.end()) for m in _MD_HEADING.finditer(body)]
    turns, preamble = assemble(body, scan_labels(body, skip=barriers), barriers)
    case, attributes = case_and_attributes(meta)
    return Transcript(
        id=Path(name).stem,
        text=body,
        turns=turns,
        case=case,
        attributes=attributes,
        meta=meta,
        preamble=preamble,
        source=name,
    )


def parse(data: bytes, name: str) -> Transcript:
    """A ``.txt`` or ``.md`` transcript."""
    notes: list[str] = []
    transcript = parse_text(decode(data, name, notes), name)
    transcript.notes = notes + transcript.notes
    return transcript

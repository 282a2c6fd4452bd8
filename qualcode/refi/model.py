"""REFI-QDA exchange: the shared value type, stable GUIDs, slugs and offset mapping.

Used by ``refi.write`` and ``refi.read``; no file I/O here.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from qualcode.model import Code, Coding, Transcript

PROJECT_NS = "urn:QDA-XML:project:1.0"
# qualcode's own member of a .qdpx: code ids and what each analyst note is, by GUID. Other
# tools read project.qde and sources/ only, so the extra file is invisible to them.
SIDECAR = "qualcode.json"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"

# Fixed namespace: the same project exported twice gets the same GUIDs.
GUID_NAMESPACE = uuid.UUID("acb9ae88-89b4-423f-8799-d1e5d3f16491")
_NAMESPACE_BYTES = GUID_NAMESPACE.bytes

_COLOR = re.compile(r"^#(?:[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})$")
_FOLD = str.maketrans({"æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "å": "a", "Å": "a", "ß": "ss"})


@dataclass(frozen=True)
class Summary:
    """An analyst's text for one (case, theme) or (case, report section): a REFI ``<Note>``."""

    case: str
    kind: Literal["theme", "section"]  # target: a code id, or a report section id
    target: str
    text: str
    updated: str = field(default="", compare=False)  # when it was last written (the note's date)
    author: str = field(default="", compare=False)


@dataclass
class ExchangeProject:
    """Everything a REFI-QDA project file carries that qualcode understands.

    ``guids`` holds the GUIDs that differ from ``guid_for`` (those an imported file brought),
    keyed ``"kind:key"`` as ``guid_for`` hashes them; ``notes`` are messages for the user.
    """

    name: str
    coders: list[str]
    codes: list[Code]
    transcripts: list[Transcript]
    codings: list[Coding]
    cases: dict[str, dict[str, str]]
    notes: list[str] = field(default_factory=list)
    skipped_sources: list[str] = field(default_factory=list)
    guids: dict[str, str] = field(default_factory=dict)
    summaries: list[Summary] = field(default_factory=list)
    comparison: dict[str, tuple[str, str]] = field(default_factory=dict)  # likheter, forskjeller
    labels: dict[str, str] = field(default_factory=dict)  # section/category id -> its title
    unattached_notes: list[str] = field(default_factory=list)  # foreign notes, described
    variable_types: dict[str, str] = field(default_factory=dict)  # name -> type, if not Text
    # Descriptions keyed "project:", "case:NAME", "transcript:ID" (the memos of the project,
    # cases and transcripts), "set:NAME" or "variable:NAME" (kept only to give back); codes
    # that are not codable.
    descriptions: dict[str, str] = field(default_factory=dict)
    code_memos: dict[str, str] = field(default_factory=dict)  # code id -> its memo (a Note)
    uncodable: set[str] = field(default_factory=set)
    # The users and dates a file gave a coding's selection and the coding itself, by
    # ``coding_key``: {"selection": {attribute: value}, "coding": {...}}, users by name.
    coding_meta: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    key_quotes: list[tuple[str, str, str]] = field(default_factory=list)  # case, theme, coding_key
    not_imported: list[str] = field(default_factory=list)  # what the reader did not keep
    note_dates: dict[str, str] = field(default_factory=dict)  # "comparison:CATEGORY" -> date
    positions: str = "chars"  # how selection offsets are counted in a written file (POSITIONS)

    def guid(self, kind: str, key: str) -> str:
        """The GUID of one object: the one its file gave it, else the derived one. A kept
        GUID that is not of the standard's form, or that another object of the same kind
        holds too, is never used (it would name a zip member or give one the other's text)."""
        kept = self.guids.get(f"{kind}:{key}")
        if kept and valid_guid(kept):
            if kind in SHARED_GUID_KINDS or self._holders(kind).get(kept.lower()) == key:
                return kept
        return guid_for(kind, key)

    def _holders(self, kind: str) -> dict[str, str]:
        """Kept GUID -> the first key of ``kind`` that holds it."""
        cache: dict[str, dict[str, str]] = self.__dict__.setdefault("_guid_holders", {})
        if kind not in cache:
            holders: dict[str, str] = {}
            prefix = f"{kind}:"
            for name, value in sorted(self.guids.items()):
                if name.startswith(prefix):
                    holders.setdefault(value.lower(), name[len(prefix) :])
            cache[kind] = holders
        return cache[kind]


# Kinds whose objects may share one GUID: the codings of one selection share its GUID.
SHARED_GUID_KINDS = frozenset({"selection"})

# REFI-QDA's GUIDType (Project.xsd): 8-4-4-4-12 hex digits, optionally in braces.
_GUID = re.compile(
    r"\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?"
)


def valid_guid(value: str) -> bool:
    """Whether ``value`` is a GUID of the standard's form (so safe in a file name too)."""
    return bool(_GUID.fullmatch(value or ""))


# How a written .qdpx counts selection offsets: "chars" as the standard says (characters of
# the text file, which has \n line endings); "nvivo" as NVivo for Windows writes its own
# files (UTF-16 code units over text files with CRLF line endings).
POSITIONS = ("chars", "nvivo")


def guid_for(kind: str, key: str) -> str:
    """A stable GUID for one object, e.g. ``guid_for("code", "tillit")``: the name-based
    UUID (version 5) of ``kind:key`` in qualcode's namespace, as ``uuid.uuid5`` makes it,
    built from the hash directly (an export derives one per coding and selection, and the
    UUID object cost more than the hash)."""
    digest = bytearray(hashlib.sha1(_NAMESPACE_BYTES + f"{kind}:{key}".encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    x = digest.hex()
    return f"{x[:8]}-{x[8:12]}-{x[12:16]}-{x[16:20]}-{x[20:]}"


def summary_key(summary: Summary) -> str:
    return f"{summary.case}|{summary.kind}|{summary.target}"


def coding_key(coding: Coding) -> str:
    """The identity of a coding, as hashed into its selection's GUID."""
    return f"{coding.transcript}|{coding.start}|{coding.end}|{coding.code}|{coding.coder}"


# The REFI-QDA variable types beside Text, each with the lexical form its value element
# (IntegerValue…) takes in the schema; a type is written back only when every value fits it.
VALUE_FORMS = {
    "Boolean": re.compile(r"true|false|1|0"),
    "Integer": re.compile(r"[+-]?\d+"),
    "Float": re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)"),  # xsd:decimal: no exponent
    "Date": re.compile(r"(\d{4}-\d{2}-\d{2})(Z|[+-]\d{2}:\d{2})?"),
    "DateTime": re.compile(
        r"(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}:\d{2}(\.\d+)?"
        r"(Z|[+-]\d{2}:\d{2})?"
    ),
}


def value_fits(kind: str, value: str) -> bool:
    """Whether ``value`` can stand in a REFI-QDA ``<{kind}Value>`` (Text takes anything)."""
    if kind == "Text":
        return True
    form = VALUE_FORMS.get(kind)
    match = form.fullmatch(value) if form else None
    if match is None:
        return False
    try:  # the forms allow month 13 or hour 25; the calendar and the clock do not
        if kind == "Date":
            date.fromisoformat(match.group(1))
        elif kind == "DateTime":
            datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def valid_color(color: str) -> bool:
    return bool(_COLOR.match(color or ""))


def slugify(name: str, fallback: str = "code") -> str:
    """ASCII kebab-case: ``"Tillit til lærer"`` -> ``"tillit-til-laerer"``."""
    folded = unicodedata.normalize("NFKD", name.translate(_FOLD))
    ascii_ = folded.encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_).strip("-")
    return slug or fallback


def unique(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``… whichever is free; marks it taken."""
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate)
    return candidate


def ordered_union(*groups: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for group in groups:
        for item in group:
            seen.setdefault(item, None)
    return list(seen)


# Ways other tools count selection offsets. The standard says characters of the
# plain text; NVivo for Windows counts UTF-16 units and CRLF as two.
SCHEMES: tuple[tuple[str, str], ...] = (
    ("chars", "lf"),
    ("chars", "raw"),
    ("utf16", "lf"),
    ("utf16", "raw"),
)


def _utf16_index(text: str) -> list[int] | None:
    """Map UTF-16 unit index -> code point index (None when they coincide)."""
    if all(ord(ch) <= 0xFFFF for ch in text):
        return None
    out: list[int] = []
    for i, ch in enumerate(text):
        out.append(i)
        if ord(ch) > 0xFFFF:
            out.append(i)  # the low surrogate falls inside the character
    out.append(len(text))
    return out


def _nfc_segments(text: str) -> list[str]:
    """Split ``text`` where NFC cannot join neighbours, so NFC can run per segment."""
    segments: list[str] = []
    current = ""
    for ch in text:
        if current and unicodedata.combining(ch) == 0:
            prev = current[-1]
            if unicodedata.normalize("NFC", prev + ch) == unicodedata.normalize("NFC", prev) + ch:
                segments.append(current)
                current = ""
        current += ch
    if current:
        segments.append(current)
    return segments


class OffsetMap:
    """The stored form of a source text, and a map from foreign offsets into it.

    ``text`` is NFC with ``\\n`` newlines and no BOM; ``to_final`` turns an offset
    counted under one of ``SCHEMES`` on the original text into an offset into ``text``.
    """

    def __init__(self, raw: str):
        raw = raw[1:] if raw.startswith("\ufeff") else raw
        self.raw = raw
        raw_to_lf: list[int] = []
        lf_chars: list[str] = []
        for i, ch in enumerate(raw):
            raw_to_lf.append(len(lf_chars))
            if ch == "\r":
                if i + 1 < len(raw) and raw[i + 1] == "\n":
                    continue  # CRLF: the CR sits where the LF will be
                lf_chars.append("\n")
            else:
                lf_chars.append(ch)
        raw_to_lf.append(len(lf_chars))
        self.lf = "".join(lf_chars)
        self._raw_to_lf = raw_to_lf
        self._floor: list[int] | None = None
        self._ceil: list[int] | None = None
        if unicodedata.is_normalized("NFC", self.lf):
            self.text = self.lf
        else:
            self._build_nfc_map()
        self._u16 = {"lf": _utf16_index(self.lf), "raw": _utf16_index(raw)}
        self.has_cr = "\r" in raw

    def _build_nfc_map(self) -> None:
        floor: list[int] = []
        ceil: list[int] = []
        parts: list[str] = []
        pos = 0
        for seg in _nfc_segments(self.lf):
            norm = unicodedata.normalize("NFC", seg)
            floor.extend([pos] * len(seg))
            ceil.extend([pos] + [pos + len(norm)] * (len(seg) - 1))
            parts.append(norm)
            pos += len(norm)
        floor.append(pos)
        ceil.append(pos)
        self.text = "".join(parts)
        self._floor, self._ceil = floor, ceil

    def distinct_schemes(self) -> list[tuple[str, str]]:
        """The schemes that can give different answers for this text."""
        out = [("chars", "lf")]
        if self.has_cr:
            out.append(("chars", "raw"))
        if self._u16["lf"] is not None:
            out.append(("utf16", "lf"))
            if self.has_cr:
                out.append(("utf16", "raw"))
        return out

    def to_final(self, pos: int, scheme: tuple[str, str], end: bool = False) -> int | None:
        unit, newlines = scheme
        base = self.raw if newlines == "raw" else self.lf
        table = self._u16[newlines] if unit == "utf16" else None
        if pos < 0:
            return None
        if table is not None:
            if pos >= len(table):
                return None
            idx = table[pos]
            if end and pos > 0 and table[pos] == table[pos - 1]:
                idx += 1  # an end inside a surrogate pair keeps the whole character
        else:
            if pos > len(base):
                return None
            idx = pos
        if newlines == "raw":
            idx = self._raw_to_lf[idx]
        if self._floor is not None and self._ceil is not None:
            idx = (self._ceil if end else self._floor)[idx]
        return idx


def boundary_score(text: str, start: int, end: int) -> int:
    """0–2: how many ends of ``[start, end)`` fall between words (a plausibility test)."""
    score = 0
    if (
        start == 0
        or start >= len(text)
        or not (text[start - 1].isalnum() and text[start].isalnum())
    ):
        score += 1
    if end >= len(text) or end == 0 or not (text[end - 1].isalnum() and text[end].isalnum()):
        score += 1
    return score


def best_scheme(omap: OffsetMap, spans: list[tuple[int, int]]) -> tuple[str, str]:
    """The counting scheme under which the selections land most often on word edges."""
    best, best_score = SCHEMES[0], -1
    for scheme in omap.distinct_schemes():
        score = 0
        for start, end in spans:
            s = omap.to_final(start, scheme)
            e = omap.to_final(end, scheme, end=True)
            if s is None or e is None or e < s:
                score -= 2
                continue
            score += boundary_score(omap.text, s, e)
        if score > best_score:  # ties keep the earlier, more standard scheme
            best, best_score = scheme, score
    return best

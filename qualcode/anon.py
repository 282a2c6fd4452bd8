"""Anonymity check: finds what looks like a phone number, e-mail, fødselsnummer,
full name or street address left in a transcript that should be anonymised.

It is a safety net, not a guarantee: rules and name lists, tuned to miss little
in Norwegian interview text while leaving times, years and placeholders alone.
"""

from __future__ import annotations

import calendar
import functools
import hashlib
import importlib
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from qualcode.bounds import MAX_TRANSCRIPT_BYTES, read_bounded
from qualcode.i18n import N_, ui
from qualcode.model import QualcodeError


@dataclass(frozen=True)
class Finding:
    line: int  # 1-based
    column: int  # 1-based, in code points
    kind: str  # phone, email, fodselsnummer, name, address
    text: str
    start: int
    end: int


_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
_FNR = re.compile(r"(?<![\d.,])(\d{6}) ?(\d{5})(?![\d]|[.,]\d)")
# Norwegian numbers are 8 digits starting 2-9; grouped 3-2-3, 2-2-2-2 or not at all.
# The groups are split by spaces or by hyphens ("912-34-567"), the same all through.
_PHONE = re.compile(
    r"(?<![\w+.,-])(?<!\d )((?:\+|00)47[ -]?)?"
    r"([2-9]\d{7}|[2-9]\d{2}(?P<a>[ -])\d{2}(?P=a)\d{3}"
    r"|[2-9]\d(?P<b>[ -])\d{2}(?P=b)\d{2}(?P=b)\d{2})"
    r"(?![\d]|[.,]\d|[ -]\d)"
)
# Norwegian letters plus those of names common among immigrants (Wójcik, Çelik, Hodžić).
_UPPER = "A-ZÆØÅÉÜÖÄÁÍÓÚÈÇŞŠŽČĆĐŁŚŻŹŃ"
_LOWER = "a-zæøåéèüöäáíóúçşšžčćđłśżźńğıëïâêîôû"
_WORD = rf"[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)?"
_NAME_PAIR = re.compile(rf"(?<![\w\[])({_WORD})((?: {_WORD})+)")
_SURNAME_ENDINGS = (
    "sen", "son", "ssen", "stad", "rud", "vik", "dal", "dahl", "heim", "berg", "land",
    "bakken", "haug", "nes", "by", "lid", "seth", "gård", "gaard", "strand",
)  # fmt: skip
_STREET_SUFFIX = "veien|vegen|gata|gaten|gate|vei|veg|stien|plassen|plass|bakken|allé|alle|løkka"
_ADDRESS = re.compile(
    rf"(?<![\w])(?:[{_UPPER}][{_LOWER}]*(?:{_STREET_SUFFIX})"  # Storgata, Kirkeveien
    rf"|[{_UPPER}][{_LOWER}]+s? (?:gate|vei|veg|plass|allé))"  # Karl Johans gate
    r" (\d{1,4}) ?([A-Za-z])?(?![\w.,:]\d|\w)"
)
_PRIORITY = {"email": 0, "fodselsnummer": 1, "phone": 2, "address": 3, "name": 4}


@functools.cache
def _names(filename: str) -> frozenset[str]:
    text = resources.files("qualcode").joinpath("data", filename).read_text(encoding="utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def _plausible_date(dd: int, mm: int, yy: int) -> bool:
    if dd > 40:
        dd -= 40  # D-number: day + 40
    if mm > 80:
        mm -= 80  # synthetic test numbers
    elif mm > 40:
        mm -= 40  # H-number: month + 40
    if not 1 <= mm <= 12 or dd < 1:
        return False
    # The century is unknown here; a 29 February is allowed in any year divisible by 4.
    days = calendar.monthrange(2000 if yy % 4 == 0 else 2001, mm)[1]
    return dd <= days


def is_valid_fodselsnummer(s: str) -> bool:
    """True for 11 digits (spaces allowed) with a plausible date and both mod-11 check digits."""
    digits = [int(c) for c in s if c.isdigit()]
    if len(digits) != 11 or any(not (c.isdigit() or c.isspace()) for c in s):
        return False
    if not _plausible_date(digits[0] * 10 + digits[1], digits[2] * 10 + digits[3],
                           digits[4] * 10 + digits[5]):  # fmt: skip
        return False
    for weights, pos in (((3, 7, 6, 1, 8, 9, 4, 5, 2), 9), ((5, 4, 3, 2, 7, 6, 5, 4, 3, 2), 10)):
        k = 11 - sum(w * d for w, d in zip(weights, digits, strict=False)) % 11
        k = 0 if k == 11 else k
        if k == 10 or k != digits[pos]:
            return False
    return True


def _is_date_like(digits: str) -> bool:
    """8 digits that read as DDMMYYYY or YYYYMMDD are dates, not phone numbers."""
    for dd, mm, yyyy in (
        (digits[:2], digits[2:4], digits[4:]),
        (digits[6:], digits[4:6], digits[:4]),
    ):
        y = int(yyyy)
        if 1900 <= y <= 2099 and 1 <= int(mm) <= 12:
            if 1 <= int(dd) <= calendar.monthrange(y, int(mm))[1]:
                return True
    return False


def _is_surname(word: str) -> bool:
    """A listed surname or one with a surname ending; a double-barrelled one ("Olsen-Bakke")
    counts when either part does."""
    if "-" in word:
        return any(_is_surname(part) for part in word.split("-"))
    if word in _names("surnames.txt"):
        return True
    low = word.lower()
    return len(low) > 4 and low.endswith(_SURNAME_ENDINGS)


def _is_first_name(word: str) -> bool:
    """A listed first name; a hyphenated one ("Anne-Lise") when every part is listed."""
    firsts = _names("first_names.txt")
    return word in firsts or ("-" in word and all(p in firsts for p in word.split("-")))


def _find_names(text: str) -> list[tuple[int, int, str]]:
    """A known first name followed by a surname; middle first names join the match."""
    found: list[tuple[int, int, str]] = []
    for m in _NAME_PAIR.finditer(text):
        words = [(m.start(1), m.group(1))]
        pos = m.end(1)
        for w in m.group(2).split(" ")[1:]:
            pos += 1
            words.append((pos, w))
            pos += len(w)
        i = 0
        while i < len(words) - 1:
            j = i
            while j < len(words) - 1 and _is_first_name(words[j][1]):
                j += 1  # "Kari Anne Hansen": run of first names, then the surname
            if j > i and _is_surname(words[j][1]):
                start, end = words[i][0], words[j][0] + len(words[j][1])
                found.append((start, end, "name"))
                i = j + 1
            else:
                i += 1
    return found


def _candidates(text: str) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    out += [(m.start(), m.end(), "email") for m in _EMAIL.finditer(text)]
    for m in _FNR.finditer(text):
        if is_valid_fodselsnummer(m.group(1) + m.group(2)):
            out.append((m.start(), m.end(), "fodselsnummer"))
    for m in _PHONE.finditer(text):
        digits = re.sub(r"\D", "", m.group(2))
        if m.group(1) or not _is_date_like(digits):
            out.append((m.start(), m.end(), "phone"))
    out += [(m.start(), m.end(), "address") for m in _ADDRESS.finditer(text)]
    out += _find_names(text)
    return out


def check_text(text: str) -> list[Finding]:
    """Every suspected identifier in ``text``, in order; overlaps keep the surest kind."""
    chosen: list[tuple[int, int, str]] = []
    for start, end, kind in sorted(_candidates(text), key=lambda c: (_PRIORITY[c[2]], c[0])):
        if all(end <= s or start >= e for s, e, _ in chosen):
            chosen.append((start, end, kind))
    findings = []
    for start, end, kind in sorted(chosen):
        line = text.count("\n", 0, start) + 1
        column = start - (text.rfind("\n", 0, start) + 1) + 1
        findings.append(Finding(line, column, kind, text[start:end], start, end))
    return findings


def _decode(data: bytes, name: str) -> str:
    try:  # the importers' decoder knows BOMs and legacy encodings, when it is there
        module = importlib.import_module("qualcode.importers.encoding")
        return module.decode(data, name)
    except ImportError:
        pass
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise QualcodeError(ui("The file is not UTF-8 text."), source=name) from exc
    return text.replace("\r\n", "\n").replace("\r", "\n")


def check_file(path: str | Path) -> list[Finding]:
    """``check_text`` on a file; lines and columns are those of the file as shown."""
    path = Path(path)
    data = read_bounded(path, MAX_TRANSCRIPT_BYTES, N_("a transcript"))
    return list(_check_bytes(hashlib.sha256(data).digest(), data, str(path)))


_RECENT = 1024  # files whose findings are kept: an import checks each file twice


def _check_bytes(digest: bytes, data: bytes, name: str) -> tuple[Finding, ...]:
    """The findings of these bytes, remembered by their digest for the next few files: an
    import warns about a file's findings, then counts them for the workspace's flags."""
    found = _recent.get(digest)
    if found is None:
        found = tuple(check_text(_decode(data, name)))
        _recent[digest] = found
        while len(_recent) > _RECENT:
            _recent.pop(next(iter(_recent)))
    return found


_recent: dict[bytes, tuple[Finding, ...]] = {}

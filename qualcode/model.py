"""Value types shared by every part of qualcode: plain data, no I/O.

Offsets are the contract: a transcript's ``text`` is NFC, ``\\n`` newlines, no BOM,
no front matter; turns and codings are half-open ``[start, end)`` spans of
Unicode code points into it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from qualcode.i18n import ui

# The fixed sets of values a field can take.
CodeOrigin = Literal["guide", "inductive"]
CodingStatus = Literal["ok", "unresolved"]  # unresolved: kept, its quote not found anew

INTERVIEWER = "interviewer"
INFORMANT = "informant"

# Labels that mean "the person asking the questions" (Norwegian and English).
_INTERVIEWER_LABELS = re.compile(
    r"^(i|int|intervjuer|intervjuar|interviewer|moderator|forsker|researcher|q|spørsmål)"
    r"(\s*\d+)?$",
    re.IGNORECASE,
)


class QualcodeError(Exception):
    """An error meant for the researcher's eyes: a clear sentence, never a traceback.

    ``source`` names the file (or thing) at fault and ``line`` the 1-based line
    where it is known.
    """

    def __init__(self, message: str, source: str | None = None, line: int | None = None):
        self.message = message
        self.source = source
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.source and self.line:
            return ui("{source}, line {line}: {message}").format(
                source=self.source, line=self.line, message=self.message
            )
        if self.source:
            return ui("{source}: {message}").format(source=self.source, message=self.message)
        return self.message


class TextChanged(QualcodeError):
    """A coding's offsets were taken on a text the transcript no longer has (it was
    re-imported meanwhile, e.g. by ``import --replace`` while a workspace had it open)."""

    def __init__(self, transcript_id: str):
        super().__init__(
            ui(
                "the transcript {id} was changed (re-imported) since it was opened; "
                "nothing was saved on the old text"
            ).format(id=transcript_id)
        )
        self.transcript = transcript_id


class ImportInterrupted(KeyboardInterrupt):
    """Ctrl+C during an import. Each file is its own transaction, so the ``done`` files
    before it are imported and kept, and the one being read left nothing; ``analysing``:
    every file was in, and the analysis is finished at the next open."""

    def __init__(self, done: int, total: int, analysing: bool = False):
        super().__init__(done, total)
        self.done, self.total, self.analysing = done, total, analysing


def check_name(name: str, what: str) -> str:
    """``name`` (a coder's or a code's) if it holds no control character: a newline or a
    terminal escape in a name would be echoed raw by every command that shows it."""
    bad = next((ch for ch in name if unicodedata.category(ch) in ("Cc", "Cf")), None)
    if bad is not None:
        shown = name.encode("unicode_escape").decode("ascii")[:80]
        raise QualcodeError(
            ui(
                '{what} "{name}" holds a control character (U+{code}); '
                "use letters, digits, spaces and punctuation only"
            ).format(what=ui(what), name=shown, code=f"{ord(bad):04X}")
        )
    return name


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 coding``, ``2 codings``: a count with its noun in the right number."""
    return f"{n} {word if n == 1 else many or word + 's'}"


def speaker_role(label: str) -> str:
    """``interviewer`` for labels such as ``I``, ``Intervjuer``; else ``informant``."""
    return INTERVIEWER if _INTERVIEWER_LABELS.match(label.strip()) else INFORMANT


def normalise_text(text: str) -> str:
    """The stored form of any text: no BOM, ``\\n`` newlines, NFC."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def descendants(codes: list[Code], roots: tuple[str, ...] | list[str]) -> set[str]:
    """The given codes and every code below them, however deep."""
    out = set(roots)
    changed = True
    while changed:
        changed = False
        for c in codes:
            if c.parent in out and c.id not in out:
                out.add(c.id)
                changed = True
    return out


# Control characters other than \t \n \v \f \r: stray in text, a sign of binary in a file.
STRAY_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def clean_note(text: str) -> str:
    """An analyst's text as stored: Word's line and page breaks (\\v, \\f) as newlines,
    other control characters dropped, so every export (XML, spreadsheets) can hold it."""
    text = normalise_text(text).replace("\v", "\n").replace("\f", "\n")
    return STRAY_CONTROLS.sub("", text)


def text_hash(text: str) -> str:
    """The content hash used to recognise an unchanged transcript."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Turn:
    """One speaker's uninterrupted stretch; ``start``/``end`` span its content only."""

    speaker: str
    start: int
    end: int
    timestamp: float | None = None  # seconds from the start of the recording
    end_time: float | None = None
    role: str = INFORMANT  # INTERVIEWER or INFORMANT


@dataclass
class Transcript:
    """One interview's normalised text, its turns and its metadata."""

    id: str
    text: str
    turns: list[Turn]
    case: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)  # front matter and the like
    preamble: str = ""
    source: str = ""  # the file it came from
    # what reading the file found that the researcher should hear (not stored)
    notes: list[str] = field(default_factory=list, compare=False, repr=False)

    @property
    def hash(self) -> str:
        return self._of_text("_hash", text_hash)

    @property
    def speakers(self) -> list[str]:
        seen: dict[str, None] = {}
        for turn in self.turns:
            seen.setdefault(turn.speaker, None)
        return list(seen)

    @property
    def words(self) -> int:
        return self._of_text("_words", lambda text: len(text.split()))

    def _of_text(self, name: str, compute: Callable[[str], Any]) -> Any:
        """A figure of the text, computed once per text (the workspace asks on every key).

        Kept beside the text it was computed from, so assigning a new text recomputes it.
        """
        kept = self.__dict__.get(name)
        if kept is None or kept[0] is not self.text:
            kept = (self.text, compute(self.text))
            self.__dict__[name] = kept
        return kept[1]


@dataclass(frozen=True)
class CaseAttribute:
    id: str
    name: str
    values: tuple[str, ...] = ()  # empty: free text


@dataclass(frozen=True)
class Code:
    """A node of the codebook: a theme (``parent is None``) or a sub-code."""

    id: str
    name: str
    parent: str | None = None
    description: str = ""
    keywords: tuple[str, ...] = ()
    origin: CodeOrigin = "guide"
    color: str = ""
    position: int = 0


@dataclass(frozen=True)
class Theme:
    id: str
    name: str
    description: str = ""
    questions: tuple[str, ...] = ()
    followups: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    codes: tuple[Code, ...] = ()
    color: str = ""  # "#rrggbb"; its codes inherit it


@dataclass(frozen=True)
class ReportSection:
    id: str
    title: str
    themes: tuple[str, ...]


@dataclass(frozen=True)
class ComparisonCategory:
    id: str
    name: str
    codes: tuple[str, ...]
    description: str = ""


@dataclass(frozen=True)
class Guide:
    """The interview guide: themes, their codes, report sections, Tabell-1 rows."""

    title: str
    language: str
    case_label: str
    case_attributes: tuple[CaseAttribute, ...]
    report_sections: tuple[ReportSection, ...]
    themes: tuple[Theme, ...]
    comparison_categories: tuple[ComparisonCategory, ...] = ()
    source: str = ""
    case_label_plural: str = ""  # "Kommuner": documents say it; empty: made from case_label
    comparison_title: str = ""  # Tabell 1's caption after "Tabell 1: "

    def codes(self) -> list[Code]:
        """Every node of the codebook, themes first in guide order, each before its codes."""
        out: list[Code] = []
        for i, theme in enumerate(self.themes):
            out.append(
                Code(
                    id=theme.id,
                    name=theme.name,
                    parent=None,
                    description=theme.description,
                    keywords=theme.keywords,
                    origin="guide",
                    color=theme.color,
                    position=i,
                )
            )
            for j, code in enumerate(theme.codes):
                out.append(
                    Code(
                        id=code.id,
                        name=code.name,
                        parent=theme.id,
                        description=code.description,
                        keywords=code.keywords,
                        origin="guide",
                        color=code.color or theme.color,
                        position=j,
                    )
                )
        return out


@dataclass(frozen=True)
class Coding:
    """A coded segment: (transcript, span, code, coder) with quote and memo."""

    transcript: str
    start: int
    end: int
    code: str
    coder: str
    quote: str = ""
    memo: str = ""
    id: int | None = None
    text_hash: str = ""
    created: str = ""
    updated: str = ""
    status: CodingStatus = "ok"  # unresolved: its quote was lost when the text changed

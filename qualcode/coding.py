"""Codings as values: building them from spans, finding quotes in text, re-anchoring.

Pure functions; the project layer stores what they return.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

from rapidfuzz import fuzz

from qualcode.i18n import ui
from qualcode.model import Coding, QualcodeError, Transcript
from qualcode.text_shift import position_map

MatchMethod = Literal["exact", "whitespace", "fuzzy"]  # how a quote was found
# How a coding was put back on a changed text ("ambiguous": its quote is there more than once).
ReanchorMethod = MatchMethod | Literal["unchanged", "unresolved", "ambiguous"]

FUZZY_THRESHOLD = 85.0  # rapidfuzz score (0-100) a quote must reach to count as found


@dataclass(frozen=True)
class QuoteMatch:
    start: int
    end: int
    method: MatchMethod
    score: float = 100.0


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span so it neither starts nor ends in whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def make_coding(
    transcript: Transcript, start: int, end: int, code: str, coder: str, memo: str = ""
) -> Coding:
    """A coding of ``transcript[start:end]``, trimmed of surrounding whitespace."""
    if end <= start:
        raise QualcodeError(
            ui(
                "span {start}-{end} is empty or backwards: its start must come before its end"
            ).format(start=start, end=end),
            transcript.id,
        )
    if not 0 <= start < end <= len(transcript.text):
        raise QualcodeError(
            ui("span {start}-{end} lies outside the text (0-{length})").format(
                start=start, end=end, length=len(transcript.text)
            ),
            transcript.id,
        )
    start, end = trim_span(transcript.text, start, end)
    if start == end:
        raise QualcodeError(
            ui("span {start}-{end} holds only whitespace").format(start=start, end=end),
            transcript.id,
        )
    return Coding(
        transcript=transcript.id,
        start=start,
        end=end,
        code=code,
        coder=coder,
        quote=transcript.text[start:end],
        memo=memo,
        text_hash=transcript.hash,
    )


def turn_pieces(transcript: Transcript, start: int, end: int) -> list[tuple[int, int]]:
    """``[start, end)`` cut to the turns' content: one trimmed piece per turn it touches.

    A selection on screen may run over the text between two turns (the next speaker's
    label and timestamp) or over the preamble; those never become part of a quote, so a
    coding never counts against a turn it does not cover. A transcript without turns is
    one piece of content.
    """
    text = transcript.text
    bounds = [(t.start, t.end) for t in transcript.turns] or [(0, len(text))]
    pieces = []
    for t_start, t_end in bounds:
        a, b = max(start, t_start), min(end, t_end)
        if a < b:
            a, b = trim_span(text, a, b)
            if a < b:
                pieces.append((a, b))
    return pieces


def placement(transcript: Transcript, start: int, end: int) -> dict[str, object]:
    """The fields that put a coding on ``[start, end)`` of ``transcript`` by hand: trimmed span,
    its quote and the text's hash, and the flag of an unplaced coding cleared."""
    placed = make_coding(transcript, start, end, "", "")
    return {
        "start": placed.start,
        "end": placed.end,
        "quote": placed.quote,
        "text_hash": placed.text_hash,
        "status": "ok",
    }


def resized(transcript: Transcript, coding: Coding, start: int, end: int) -> dict[str, object]:
    """The fields that move ``coding``'s boundaries to ``[start, end)``: kept inside the
    turn the coding is in (a coding never grows over a label), trimmed, never empty."""
    turn = next((t for t in transcript.turns if t.start <= coding.start < t.end), None)
    lo, hi = (turn.start, turn.end) if turn else (0, len(transcript.text))
    start, end = max(lo, start), min(hi, end)
    if end <= start or not transcript.text[start:end].strip():
        raise QualcodeError(
            ui("coding #{id} cannot be narrowed to nothing; remove it instead").format(
                id=coding.id
            ),
            transcript.id,
        )
    fields = placement(transcript, start, end)
    del fields["status"]
    return fields


def quote_count(text: str, quote: str) -> int:
    """How often ``quote`` occurs in ``text`` (exactly, else ignoring whitespace)."""
    quote = quote.strip()
    if not quote:
        return 0
    return text.count(quote) or sum(1 for _ in _whitespace_pattern(quote).finditer(text))


def _whitespace_pattern(quote: str) -> re.Pattern[str]:
    words = quote.split()
    return re.compile(r"\s+".join(re.escape(w) for w in words))


def locate_quote(
    text: str, quote: str, near: int | None = None, threshold: float = FUZZY_THRESHOLD
) -> QuoteMatch | None:
    """Find ``quote`` in ``text``: exact, then ignoring whitespace, then fuzzy.

    Where a quote occurs more than once, the occurrence nearest ``near`` wins.
    """
    quote = quote.strip()
    if not quote:
        return None

    def nearest(starts: list[tuple[int, int]]) -> tuple[int, int]:
        if near is None:
            return starts[0]
        return min(starts, key=lambda s: abs(s[0] - near))

    exact = [(m.start(), m.start() + len(quote)) for m in re.finditer(re.escape(quote), text)]
    loose = (
        [] if exact else [(m.start(), m.end()) for m in _whitespace_pattern(quote).finditer(text)]
    )
    found = exact or loose
    if found:
        best = QuoteMatch(*nearest(found), "exact" if exact else "whitespace")
        if near is None or abs(best.start - near) <= max(2000, 4 * len(quote)):
            return best
        # Far from where the passage should be: an edited passage right there beats an
        # unedited copy of it elsewhere.
        window = max(2000, 4 * len(quote))
        lo, hi = max(0, near - window), min(len(text), near + len(quote) + window)
        close = _fuzzy_in(text, quote, lo, hi, threshold)
        return close or best
    return _fuzzy(text, quote, near, threshold)


AMBIGUOUS_MARGIN = 3.0  # fuzzy scores this close are equally good matches


class Ambiguous(Exception):
    """Two places match a quote equally well, and neither is clearly nearer."""


def _fuzzy(text: str, quote: str, near: int | None, threshold: float) -> QuoteMatch | None:
    """The best fuzzy match, searched around ``near`` first; where two places match about
    equally well, the nearer wins, and :class:`Ambiguous` is raised when neither is
    clearly nearer (a duplicated passage)."""
    windows: list[tuple[int, int]] = []
    if near is not None:
        pad = max(2000, 4 * len(quote))
        windows.append((max(0, near - pad), min(len(text), near + len(quote) + pad)))
    windows.append((0, len(text)))
    for lo, hi in windows:
        found = _fuzzy_in(text, quote, lo, hi, threshold)
        if found is None:
            continue
        rival = _fuzzy_in(text, quote, lo, hi, threshold, masked=(found.start, found.end))
        if rival is None or rival.score < found.score - AMBIGUOUS_MARGIN or near is None:
            return found
        d_found, d_rival = abs(found.start - near), abs(rival.start - near)
        if abs(d_found - d_rival) < max(len(quote), 20):
            raise Ambiguous
        return found if d_found < d_rival else rival
    return None


def _fuzzy_in(
    text: str,
    quote: str,
    lo: int,
    hi: int,
    threshold: float,
    masked: tuple[int, int] | None = None,
) -> QuoteMatch | None:
    window = text[lo:hi]
    if masked is not None:  # blank out a match already found (offsets kept) to find the next
        a, b = max(masked[0], lo) - lo, min(masked[1], hi) - lo
        if a < b:
            window = window[:a] + " " * (b - a) + window[b:]
    # A looser cutoff only to find the place; the refined span must still reach threshold.
    al = fuzz.partial_ratio_alignment(quote, window, score_cutoff=threshold - 20)
    if al is None:
        return None
    start, end = trim_span(text, lo + al.dest_start, lo + al.dest_end)
    if masked is not None and start < masked[1] and masked[0] < end:
        return None
    found = _refine(text, quote, start, end)
    if found is not None and found.score >= threshold:
        return found
    if al.score >= threshold and start < end:
        return QuoteMatch(start, end, "fuzzy", round(al.score, 1))
    return None


_WORD = re.compile(r"\S+")


def _refine(text: str, quote: str, start: int, end: int) -> QuoteMatch | None:
    """The span near ``[start, end)`` whose whole text best matches ``quote``.

    partial_ratio compares windows exactly as long as the quote, so a word inserted into
    or deleted from the passage leaves its span short or long; trying word boundaries
    nearby and scoring whole strings puts the span back on the passage's real edges.
    """
    pad = min(200, max(12, len(quote) // 3))
    lo, hi = max(0, start - pad), min(len(text), end + pad)
    words = [(m.start(), m.end()) for m in _WORD.finditer(text, lo, hi)]
    starts = {start} | {s for s, _ in words if abs(s - start) <= pad}
    ends = {end} | {e for _, e in words if abs(e - end) <= pad}
    best: QuoteMatch | None = None
    for s in starts:
        for e in ends:
            if e <= s:
                continue
            score = fuzz.ratio(quote, text[s:e])
            if best is None or score > best.score:
                best = QuoteMatch(s, e, "fuzzy", round(score, 1))
    return best


@dataclass(frozen=True)
class Reanchored:
    coding: Coding  # with its new span (or old span and status "unresolved")
    method: ReanchorMethod
    moved: bool


def reanchor(
    codings: list[Coding], new: Transcript, old_text: str | None = None
) -> list[Reanchored]:
    """Place each coding on ``new``'s text by its quote; never drops one.

    The quote is looked for nearest where its passage went (``old_text``, the text the
    codings were made on, maps old offsets to new ones). A coding whose quote cannot be
    found, or is found equally well in two places (method ``ambiguous``), is kept, flagged
    ``unresolved``, its span clamped into the new text so it still points somewhere sensible.
    """
    out: list[Reanchored] = []
    text = new.text
    moved_to = position_map(old_text, text) if old_text is not None else None
    for c in codings:
        if text[c.start : c.end] == c.quote and moved_to is None:
            out.append(Reanchored(replace(c, text_hash=new.hash, status="ok"), "unchanged", False))
            continue
        near = moved_to(c.start) if moved_to is not None else c.start
        if text[near : near + len(c.quote)] == c.quote:
            out.append(
                Reanchored(
                    replace(
                        c, start=near, end=near + len(c.quote), text_hash=new.hash, status="ok"
                    ),
                    "unchanged" if near == c.start else "exact",
                    near != c.start,
                )
            )
            continue
        try:
            match = locate_quote(text, c.quote, near=near)
            method: ReanchorMethod = "unresolved"
        except Ambiguous:
            match, method = None, "ambiguous"
        if match is None:
            end = min(len(text), max(c.end, 1))
            start = min(c.start, end - 1)
            out.append(
                Reanchored(
                    replace(c, start=start, end=end, text_hash=new.hash, status="unresolved"),
                    method,
                    False,
                )
            )
            continue
        moved = replace(
            c,
            start=match.start,
            end=match.end,
            quote=text[match.start : match.end],
            text_hash=new.hash,
            status="ok",
        )
        out.append(Reanchored(moved, match.method, (match.start, match.end) != (c.start, c.end)))
    return out

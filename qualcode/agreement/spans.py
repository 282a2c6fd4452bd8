"""Interval arithmetic for agreement on sorted, disjoint span lists, and the index from
text positions to "non-whitespace coordinates".

A position's non-whitespace coordinate is its rank among the text's non-whitespace
characters. There, "overlaps by at least one non-whitespace character" is plain interval
overlap, so character units reduce to interval arithmetic.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right

Span = tuple[int, int]
_NON_SPACE = re.compile(r"\S+")  # \S is exactly "not str.isspace()"


class NonSpaceIndex:
    """Rank/select over a text's non-whitespace characters, stored per word, not per char."""

    def __init__(self, text: str):
        # Packed int arrays: a few bytes per word, no Python object per character.
        self.starts = array("q")
        self.ends = array("q")
        self.before = array("q")  # non-whitespace characters before each run
        total = 0
        for m in _NON_SPACE.finditer(text):
            self.starts.append(m.start())
            self.ends.append(m.end())
            self.before.append(total)
            total += m.end() - m.start()

    def rank(self, pos: int) -> int:
        """How many non-whitespace characters lie before ``pos``."""
        i = bisect_right(self.starts, pos) - 1
        if i < 0:
            return 0
        return self.before[i] + min(pos, self.ends[i]) - self.starts[i]

    def select(self, j: int) -> int:
        """The text position of the ``j``-th (0-based) non-whitespace character."""
        i = bisect_right(self.before, j) - 1
        return self.starts[i] + j - self.before[i]

    def compress(self, start: int, end: int) -> Span:
        return self.rank(start), self.rank(end)


def merge(spans: list[Span], join_adjacent: bool = True) -> list[Span]:
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if s >= e:
            continue
        if out and (s < out[-1][1] or (join_adjacent and s == out[-1][1])):
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def intersect(a: list[Span], b: list[Span]) -> list[Span]:
    out: list[Span] = []
    i = j = 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if lo < hi:
            out.append((lo, hi))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def subtract(a: list[Span], b: list[Span]) -> list[Span]:
    out: list[Span] = []
    j = 0
    for s, e in a:
        while j < len(b) and b[j][1] <= s:
            j += 1
        k, cur = j, s
        while k < len(b) and b[k][0] < e:
            if b[k][0] > cur:
                out.append((cur, b[k][0]))
            cur = max(cur, b[k][1])
            k += 1
        if cur < e:
            out.append((cur, e))
    return out


def length(spans: list[Span]) -> int:
    return sum(e - s for s, e in spans)


class Coverage:
    """One coder's merged coverage of one code, in the unit coordinates of its transcript
    (trimmed text positions for turn and sentence units, non-whitespace ones for characters)."""

    def __init__(self, spans: list[Span]):
        self.spans = merge(spans)


EMPTY = Coverage([])

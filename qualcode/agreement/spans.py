"""Interval arithmetic for agreement on sorted, disjoint span lists, and the index from
text positions to "non-whitespace coordinates".

A position's non-whitespace coordinate is its rank among the text's non-whitespace
characters. There, "overlaps by at least one non-whitespace character" is plain interval
overlap, so character units reduce to interval arithmetic.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right

import numpy as np

Span = tuple[int, int]


# Every character for which str.isspace() is true (what regex \S excludes); a test
# compares it with a scan of all of Unicode.
SPACE_CHARACTERS = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
    "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_SPACE_CODES = np.array([ord(c) for c in SPACE_CHARACTERS], dtype=np.uint32)


_CHUNK = 1 << 18  # characters looked at at once: the text's code points never all held


def _packed(values: np.ndarray) -> array[int]:
    """``values`` as a packed array, copied straight into it (no bytes in between)."""
    out = array("q", [0]) * len(values)
    np.frombuffer(out, dtype=np.int64)[:] = values
    return out


class NonSpaceIndex:
    """Rank/select over a text's non-whitespace characters, stored per word, not per char."""

    def __init__(self, text: str):
        # Packed int arrays: a few bytes per word, no Python object per character. Found
        # with numpy over the text's code points, a piece at a time (one byte per character
        # held): a word-by-word regex loop took ~1 s for a 100-transcript agreement.
        n = len(text)
        solid = np.zeros(n + 2, dtype=np.int8)  # 1 at a non-whitespace character
        for lo in range(0, n, _CHUNK):
            piece = text[lo : lo + _CHUNK].encode("utf-32-le", "surrogatepass")
            codes = np.frombuffer(piece, dtype=np.uint32)
            solid[1 + lo : 1 + lo + len(codes)] = ~np.isin(codes, _SPACE_CODES, kind="table")
        edges = np.diff(solid)
        del solid
        self.starts = _packed(np.flatnonzero(edges == 1))
        self.ends = _packed(np.flatnonzero(edges == -1))
        del edges
        # non-whitespace characters before each run: the run lengths' sums, one run late
        self.before = array("q", [0]) * len(self.starts)
        before = np.frombuffer(self.before, dtype=np.int64)
        if len(before):
            ends = np.frombuffer(self.ends, dtype=np.int64)
            np.subtract(ends, np.frombuffer(self.starts, dtype=np.int64), out=before)
            np.cumsum(before, out=before)
            before[1:] = before[:-1].copy()
            before[0] = 0

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

"""Where a place in an old text is in its edited version: the offset map re-anchoring uses
to look for a coding's quote near where its passage went, not where it used to be."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from difflib import SequenceMatcher

# Sentences and lines: fine enough to follow an edit, few enough to diff a long text fast.
_PIECE = re.compile(r"[^\s][^.!?\n]*(?:[.!?]+|\n|$)")


def _pieces(text: str) -> tuple[list[str], list[int]]:
    pieces, starts = [], []
    for m in _PIECE.finditer(text):
        if m.end() > m.start():
            pieces.append(m.group())
            starts.append(m.start())
    return pieces, starts


def position_map(old: str, new: str) -> Callable[[int], int]:
    """A function from an offset in ``old`` to the matching offset in ``new``: exact inside
    unchanged stretches, the nearest unchanged stretch's shift elsewhere."""
    a, a_starts = _pieces(old)
    b, b_starts = _pieces(new)
    blocks = [blk for blk in SequenceMatcher(None, a, b).get_matching_blocks() if blk.size]
    # (old offset, new offset) at the start of each unchanged stretch, in order
    anchors = [(a_starts[blk.a], b_starts[blk.b]) for blk in blocks]
    keys = [o for o, _ in anchors]

    def mapped(offset: int) -> int:
        if not anchors:
            return min(offset, len(new))
        i = max(0, bisect_right(keys, offset) - 1)
        old_at, new_at = anchors[i]
        return max(0, min(len(new), new_at + (offset - old_at)))

    return mapped

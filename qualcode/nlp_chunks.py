"""Long text in pieces spaCy accepts: a turn longer than ``MAX_NLP_CHARS`` (a transcript
without speaker labels is one turn) is analysed in pieces cut at paragraph, line or
sentence boundaries, so spaCy's ``max_length`` (1,000,000 characters) is never met and no
sentence is cut unless a stretch of that length has no boundary at all."""

from __future__ import annotations

import re
from collections.abc import Iterator

MAX_NLP_CHARS = 20_000  # far below spaCy's limit; a long paragraph, a few pages

# Best boundary first: a blank line, a line break, a sentence end, any whitespace.
_BOUNDARIES = (
    re.compile(r"\n[ \t]*\n"),
    re.compile(r"\n"),
    re.compile(r"[.!?…][\"»”')\]]*\s"),
    re.compile(r"\s"),
)


def nlp_pieces(text: str, offset: int = 0, limit: int | None = None) -> Iterator[tuple[int, str]]:
    """``(absolute offset, piece)`` pieces of ``text`` (found at ``offset``), each at most
    ``limit`` (default ``MAX_NLP_CHARS``) characters; joined together they are ``text``."""
    limit = limit or MAX_NLP_CHARS
    start = 0
    while len(text) - start > limit:
        cut = _cut(text, start, start + limit)
        yield offset + start, text[start:cut]
        start = cut
    if start < len(text):
        yield offset + start, text[start:]


def _cut(text: str, start: int, end: int) -> int:
    """The end of the last boundary in ``text[start:end]`` past its first half, else ``end``."""
    window = text[start:end]
    for pattern in _BOUNDARIES:
        last = None
        for m in pattern.finditer(window, len(window) // 2):
            last = m
        if last is not None:
            return start + last.end()
    return end

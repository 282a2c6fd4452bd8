"""Diacritic folding for matching typed text against names and words: no spaCy, loads fast."""

from __future__ import annotations

import functools
import unicodedata

_FOLD_EXTRA = {"æ": "ae", "ø": "o", "œ": "oe", "ß": "ss", "đ": "d", "ð": "d", "ł": "l", "þ": "th"}
_LATIN = range(0x80, 0x250)  # Latin-1 Supplement and Latin Extended-A and -B


def fold(text: str) -> str:
    """Lower-case and strip diacritics for fuzzy matching: "Pårørende" -> "parorende".

    Most words are plain ASCII once lower-cased, and most others fold letter by letter
    through a table (fuzzy search folds every word of the index once per process); the rest
    take the full way. All three give the same result: folding a lower-cased text is
    letter by letter, since every combining mark NFKD leaves is dropped whatever its order.
    """
    low = text.lower()
    if low.isascii():
        return low
    quick = low.translate(_latin_table())
    if quick.isascii():
        return quick
    return _strip(low)


def _strip(low: str) -> str:
    """The diacritics of a lower-cased text taken off (the full way)."""
    low = "".join(_FOLD_EXTRA.get(ch, ch) for ch in low)
    decomposed = unicodedata.normalize("NFKD", low)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@functools.cache
def _latin_table() -> dict[int, str]:
    return {code: _strip(chr(code)) for code in _LATIN}

"""Diacritic folding for matching typed text against names and words: no spaCy, loads fast."""

from __future__ import annotations

import unicodedata

_FOLD_EXTRA = {"æ": "ae", "ø": "o", "œ": "oe", "ß": "ss", "đ": "d", "ð": "d", "ł": "l", "þ": "th"}


def fold(text: str) -> str:
    """Lower-case and strip diacritics for fuzzy matching: "Pårørende" -> "parorende"."""
    low = text.lower()
    low = "".join(_FOLD_EXTRA.get(ch, ch) for ch in low)
    decomposed = unicodedata.normalize("NFKD", low)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))

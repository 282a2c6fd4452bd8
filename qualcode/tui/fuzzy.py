"""Fuzzy code search for the picker: rapidfuzz over folded names and ids."""

from __future__ import annotations

from rapidfuzz import fuzz

from qualcode.folding import fold
from qualcode.model import Code

MIN_SCORE = 70.0  # below this a candidate is noise, and a new code is offered instead


EXACT = 200.0  # a name or id typed in full: always first, and what Enter applies


def _words(text: str) -> str:
    return " ".join(fold(text).replace("-", " ").split())


def exact_match(query: str, codes: list[Code]) -> Code | None:
    """The code whose name or id is ``query`` (case, diacritics, spacing and hyphens aside)."""
    q = _words(query)
    if not q:
        return None
    return next((c for c in codes if q in (_words(c.name), _words(c.id))), None)


def score_code(query: str, code: Code) -> float:
    """How well ``query`` names ``code`` (0-120, or EXACT); diacritics and case are ignored."""
    q = fold(query).strip()
    if not q:
        return 0.0
    if _words(query) in (_words(code.name), _words(code.id)):
        return EXACT
    best = 0.0
    for target in (fold(code.name), fold(code.id)):
        if q in target:
            # A literal substring beats any fuzzy score; a word start beats a mid-word hit.
            s = 100.0
            if target.startswith(q):
                s += 10
            elif any(w.startswith(q) for w in target.replace("-", " ").split()):
                s += 5
        else:
            s = float(fuzz.partial_ratio(q, target))
        best = max(best, s)
    return best


def rank_codes(query: str, codes: list[Code], limit: int = 12) -> list[tuple[Code, float]]:
    """Codes matching ``query``, best first; ties go to themes, then codebook order."""
    if not query.strip():
        return [(c, 0.0) for c in codes[:limit]]
    scored = [(c, score_code(query, c)) for c in codes]
    order = {c.id: i for i, c in enumerate(codes)}
    good = [pair for pair in scored if pair[1] >= MIN_SCORE]
    good.sort(key=lambda p: (-p[1], p[0].parent is not None, order[p[0].id]))
    return good[:limit]

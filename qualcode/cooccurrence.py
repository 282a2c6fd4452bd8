"""Code co-occurrence: which codes are applied to the same stretches (or turns) of text.

Cell A × B counts the stretches of text coded with both A and B: the intersection of A's
merged passages with B's, counted as connected stretches. With ``within="turn"`` it counts
the turns holding a passage of A and a passage of B. A code's passages include those of
every code under it (as the matrix counts a theme), so the diagonal is the code's own
passages (or turns). Everything is for one coding scope (see :mod:`qualcode.scope`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from qualcode.codebook import tree_order
from qualcode.model import Code, descendants
from qualcode.scope import Passage, Scope, codings_in, merge_passages
from qualcode.store import Store

Within = Literal["passage", "turn"]
Level = Literal["code", "theme", "all"]
WITHIN: tuple[Within, ...] = ("passage", "turn")
LEVELS: tuple[Level, ...] = ("code", "theme", "all")

Spans = dict[str, list[tuple[int, int]]]  # transcript → sorted, disjoint stretches


@dataclass
class Cooccurrence:
    """A symmetric code × code table for one scope."""

    codes: list[Code]
    counts: dict[tuple[str, str], int]  # both (a, b) and (b, a)
    where: dict[tuple[str, str], list[Passage]] = field(default_factory=dict)
    within: Within = "passage"
    level: Level = "code"
    scope: Scope | None = None

    def count(self, a: str, b: str) -> int:
        return self.counts.get((a, b), 0)

    def passages(self, a: str, b: str) -> list[Passage]:
        """The stretches (or turns) behind a cell, in text order."""
        return self.where.get((a, b), [])

    def to_json(self, lang: str = "nb") -> dict[str, Any]:
        """Codes in codebook order; one cell per pair a ≤ b (in that order), zeros included."""
        ids = [c.id for c in self.codes]
        return {
            "codes": [{"id": c.id, "name": c.name, "parent": c.parent} for c in self.codes],
            "cells": [
                {"a": a, "b": b, "count": self.count(a, b)}
                for i, a in enumerate(ids)
                for b in ids[i:]
            ],
            "within": self.within,
            "level": self.level,
            "scope": self.scope.to_json(lang) if self.scope else None,
        }


def chosen_codes(codes: list[Code], level: Level) -> list[Code]:
    """Themes (``theme``), the codes under them (``code``) or both (``all``), in the
    codebook tree's order."""
    by_id = {c.id: c for c in codes}
    ordered = [by_id[i] for i in tree_order(codes)]
    if level == "theme":
        return [c for c in ordered if c.parent is None]
    if level == "code":
        return [c for c in ordered if c.parent is not None]
    return ordered


def _spans(passages: list[Passage]) -> Spans:
    out: Spans = {}
    for p in passages:
        out.setdefault(p.transcript, []).append((p.start, p.end))
    return out


def intersect(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The connected stretches common to two sorted lists of disjoint stretches."""
    out: list[tuple[int, int]] = []
    i = j = 0
    while i < len(a) and j < len(b):
        start, end = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if start < end:
            if out and out[-1][1] == start:  # touching pieces are one stretch
                out[-1] = (out[-1][0], end)
            else:
                out.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def _turns_touched(spans: list[tuple[int, int]], turns: list[tuple[int, int]]) -> set[int]:
    """Indexes of the turns that one of the stretches overlaps."""
    out: set[int] = set()
    for s, e in spans:
        for k, (ts, te) in enumerate(turns):
            if ts < e and s < te:
                out.add(k)
    return out


def build_cooccurrence(
    store: Store, scope: Scope, within: Within = "passage", level: Level = "code"
) -> Cooccurrence:
    all_codes = store.codes.all()
    codes = chosen_codes(all_codes, level)
    codings = codings_in(store, scope)
    spans: dict[str, Spans] = {}
    for code in codes:
        family = descendants(all_codes, (code.id,))
        spans[code.id] = _spans(merge_passages(codings, family))
    turns: dict[str, list[tuple[int, int]]] = {}
    if within == "turn":
        used = {t for s in spans.values() for t in s}
        turns = {
            t: [(u.start, u.end) for u in store.transcripts.get(t).turns] for t in sorted(used)
        }
    result = Cooccurrence(codes, {}, {}, within, level, scope)
    for i, a in enumerate(codes):
        for b in codes[i:]:
            found: list[Passage] = []
            for tid in sorted(set(spans[a.id]) & set(spans[b.id])):
                common = intersect(spans[a.id][tid], spans[b.id][tid])
                if within == "turn":
                    both = _turns_touched(spans[a.id][tid], turns[tid]) & _turns_touched(
                        spans[b.id][tid], turns[tid]
                    )
                    found += [Passage(tid, *turns[tid][k]) for k in sorted(both)]
                else:
                    found += [Passage(tid, s, e) for s, e in common]
            if found:
                result.counts[(a.id, b.id)] = result.counts[(b.id, a.id)] = len(found)
                result.where[(a.id, b.id)] = result.where[(b.id, a.id)] = found
    return result


def table_rows(result: Cooccurrence) -> tuple[list[str], list[list[Any]]]:
    """A header and rows for csv/xlsx/md: one row per code, one column per code."""
    header = ["Kode", *[c.name for c in result.codes]]
    rows = [[a.name, *[result.count(a.id, b.id) for b in result.codes]] for a in result.codes]
    return header, rows

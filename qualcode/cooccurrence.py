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
from qualcode.scope import Passage, Scope, stretches_by_transcript
from qualcode.store import Store

Within = Literal["passage", "turn"]
Level = Literal["code", "theme", "all"]
WITHIN: tuple[Within, ...] = ("passage", "turn")
LEVELS: tuple[Level, ...] = ("code", "theme", "all")

Stretch = tuple[str, int, int]  # transcript, start, end


@dataclass
class Cooccurrence:
    """A symmetric code × code table for one scope."""

    codes: list[Code]
    counts: dict[tuple[str, str], int]  # both (a, b) and (b, a)
    where: dict[tuple[str, str], list[Stretch]] = field(default_factory=dict)
    within: Within = "passage"
    level: Level = "code"
    scope: Scope | None = None

    def count(self, a: str, b: str) -> int:
        return self.counts.get((a, b), 0)

    def passages(self, a: str, b: str) -> list[Passage]:
        """The stretches (or turns) behind a cell, in text order."""
        return [Passage(*stretch) for stretch in self.where.get((a, b), ())]

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
    return {k for s, e in spans for k, (ts, te) in enumerate(turns) if ts < e and s < te}


def build_cooccurrence(
    store: Store, scope: Scope, within: Within = "passage", level: Level = "code"
) -> Cooccurrence:
    all_codes = store.codes.all()
    codes = chosen_codes(all_codes, level)
    order = {c.id: i for i, c in enumerate(codes)}
    families = {c.id: descendants(all_codes, (c.id,)) for c in codes}
    result = Cooccurrence(codes, {}, {}, within, level, scope)
    where = result.where
    # One transcript at a time: its stretches are few and stay in cache, so the work grows
    # with the transcripts (a pass over every coding per code grew faster, in memory).
    for tid, spans in stretches_by_transcript(store, scope, families):
        present = sorted(spans, key=order.__getitem__)
        if within == "turn":
            turns = [(u.start, u.end) for u in store.transcripts.get(tid).turns]
            touched = {c: _turns_touched(spans[c], turns) for c in present}
        for i, a in enumerate(present):
            for b in present[i:]:
                if within == "turn":
                    found = [(tid, *turns[k]) for k in sorted(touched[a] & touched[b])]
                else:
                    common = spans[a] if a == b else intersect(spans[a], spans[b])
                    found = [(tid, s, e) for s, e in common]
                if found:
                    where.setdefault((a, b), []).extend(found)
    for (a, b), found in list(where.items()):
        result.counts[(a, b)] = result.counts[(b, a)] = len(found)
        where[(b, a)] = found
    return result


def table_rows(result: Cooccurrence) -> tuple[list[str], list[list[Any]]]:
    """A header and rows for csv/xlsx/md: one row per code, one column per code."""
    header = ["Kode", *[c.name for c in result.codes]]
    rows = [[a.name, *[result.count(a.id, b.id) for b in result.codes]] for a in result.codes]
    return header, rows

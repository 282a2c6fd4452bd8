"""Code × attribute tables: how often each code is coded in the cases of each attribute value
(size: stor / mellomstor / liten, region, any case attribute) or by each speaker.

Per code and column: the merged passages (as the matrix counts them, for one scope) and the
cases with at least one, beside the number of cases in the column; the column percentage
is the share of the column's cases coded. By attribute, a column's passages are the sum of
the matrix cells of its cases, so the table adds up to the matrix. By speaker, a passage
counts for the speaker of the turn it starts in.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from qualcode.cooccurrence import Level, chosen_codes
from qualcode.i18n import ui
from qualcode.model import Code, Guide, QualcodeError, descendants
from qualcode.scope import Scope, stretches_by_transcript
from qualcode.study import Study

SPEAKER = "speaker"  # the --by value that splits by who speaks instead of a case attribute
NO_VALUE = "(uten verdi)"


@dataclass
class CrossCell:
    passages: int = 0
    cases: set[str] = field(default_factory=set)


@dataclass
class Crosstab:
    by: str  # the attribute id, or "speaker"
    by_name: str  # the guide's name for it
    columns: list[str]
    column_cases: dict[str, set[str]]  # the cases in each column
    codes: list[Code]
    cells: dict[tuple[str, str], CrossCell]  # (code id, column)
    scope: Scope | None = None

    def cell(self, code: str, column: str) -> CrossCell:
        return self.cells.get((code, column), CrossCell())

    def share(self, code: str, column: str) -> float | None:
        """Cases coded as a share of the column's cases (None for an empty column)."""
        total = len(self.column_cases.get(column, ()))
        return len(self.cell(code, column).cases) / total if total else None

    def to_json(self, lang: str = "nb") -> dict[str, Any]:
        return {
            "by": self.by,
            "columns": [
                {"value": c, "cases": len(self.column_cases.get(c, ()))} for c in self.columns
            ],
            "rows": [
                {
                    "code": code.id,
                    "name": code.name,
                    "cells": [
                        {
                            "value": col,
                            "passages": self.cell(code.id, col).passages,
                            "cases_coded": len(self.cell(code.id, col).cases),
                            "share_of_cases": self.share(code.id, col),
                        }
                        for col in self.columns
                    ],
                }
                for code in self.codes
            ],
            "scope": self.scope.to_json(lang) if self.scope else None,
        }


def _attribute(guide: Guide | None, by: str) -> tuple[str, str, list[str]]:
    """The attribute's id, name and value order (from the guide when it knows it)."""
    for attr in guide.case_attributes if guide else []:
        if by in (attr.id, attr.name) or by.casefold() == attr.name.casefold():
            return attr.id, attr.name, list(attr.values)
    return by, by, []


def build_crosstab(study: Study, scope: Scope, by: str = "size", level: Level = "all") -> Crosstab:
    store, guide = study.store, study.guide
    all_codes = store.codes.all()
    codes = chosen_codes(all_codes, level)
    cases = store.transcripts.cases()
    case_of = store.transcripts.cases_by_id()
    speakers = by == SPEAKER
    if speakers:
        attr_id, attr_name, order = SPEAKER, "Informant", list[str]()
    else:
        attr_id, attr_name, order = _attribute(guide, by)
        if not order and not any(attr_id in attrs for attrs in cases.values()):
            known = sorted({k for attrs in cases.values() for k in attrs})
            raise QualcodeError(
                ui(
                    "no case has the attribute «{by}»; the cases have: {known} "
                    "(or use --by speaker)"
                ).format(by=by, known=", ".join(known) or ui("no attributes"))
            )
    column_cases: dict[str, set[str]] = {}
    turn_starts: dict[str, tuple[list[int], list[str]]] = {}
    if speakers:
        for tid in store.transcripts.ids():
            t = store.transcripts.get(tid)
            turn_starts[tid] = ([u.start for u in t.turns], [u.speaker for u in t.turns])
            for speaker in set(turn_starts[tid][1]):
                column_cases.setdefault(speaker, set()).add(case_of.get(tid) or tid)
    else:
        for name, attrs in cases.items():
            column_cases.setdefault(attrs.get(attr_id) or NO_VALUE, set()).add(name)
    columns = sorted(
        column_cases,
        key=lambda v: (order.index(v) if v in order else len(order), v == NO_VALUE, v),
    )
    table = Crosstab(attr_id, attr_name, columns, column_cases, codes, {}, scope)
    families = {c.id: descendants(all_codes, (c.id,)) for c in codes}
    for tid, spans in stretches_by_transcript(store, scope, families):
        case = case_of.get(tid) or tid
        for code_id, stretches in spans.items():
            for start, _ in stretches:
                if speakers:
                    starts, names = turn_starts[tid]
                    i = bisect_right(starts, start) - 1
                    column = names[i] if i >= 0 else NO_VALUE
                else:
                    column = cases.get(case, {}).get(attr_id) or NO_VALUE
                cell = table.cells.setdefault((code_id, column), CrossCell())
                cell.passages += 1
                cell.cases.add(case)
    return table


def table_rows(table: Crosstab, lang: str = "nb") -> tuple[list[str], list[list[Any]]]:
    """Header and rows: per column its passages, cases coded (of n) and the share."""
    en = lang.startswith("en")
    header = ["Kode" if not en else "Code"]
    for col in table.columns:
        n = len(table.column_cases[col])
        header += [
            f"{col}: {'passasjer' if not en else 'passages'}",
            f"{col}: {'kasus kodet' if not en else 'cases coded'} (av {n})"
            if not en
            else f"{col}: cases coded (of {n})",
            f"{col}: %",
        ]
    rows: list[list[Any]] = []
    for code in table.codes:
        row: list[Any] = [("  " if code.parent else "") + code.name]
        for col in table.columns:
            cell = table.cell(code.id, col)
            share = table.share(code.id, col)
            row += [
                cell.passages,
                len(cell.cases),
                round(100 * share) if share is not None else None,
            ]
        rows.append(row)
    return header, rows

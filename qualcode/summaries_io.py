"""Summaries to and from CSV/JSON, so they can be written in a spreadsheet: all-or-nothing import."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Any

from qualcode.model import Guide, QualcodeError
from qualcode.report import size_groups
from qualcode.store import Store

COLUMNS = ["case", "section", "theme", "text"]


@dataclass
class SummariesImport:
    rows: list[tuple[str, str, str, str]] = field(default_factory=list)  # case, kind, target, text
    skipped: int = 0  # rows with no text
    problems: list[str] = field(default_factory=list)


def _lookup(key: str, items: list[tuple[str, str]]) -> str | None:
    """An id from its id or its name/title, case-insensitively."""
    key = key.strip().casefold()
    for item_id, name in items:
        if key in (item_id.casefold(), name.strip().casefold()):
            return item_id
    return None


def plan_summaries_import(store: Store, guide: Guide, rows: list[tuple[int, dict[str, Any]]],
                          source: str) -> SummariesImport:
    """Check every row (case, and theme or section, by id or name); nothing is written here."""
    plan = SummariesImport()
    cases = {name.casefold(): name for name in store.cases()}
    themes = [(t.id, t.name) for t in guide.themes]
    sections = [(s.id, s.title) for s in guide.report_sections]
    for line, row in rows:
        where = f"{source}, row at line {line}"
        case_key = str(row.get("case", "") or "").strip()
        theme_key = str(row.get("theme", "") or "").strip()
        section_key = str(row.get("section", "") or "").strip()
        text = str(row.get("text", "") or "").replace("\r\n", "\n").strip()
        if not case_key:
            plan.problems.append(f"{where}: missing case")
            continue
        case = cases.get(case_key.casefold())
        if case is None:
            plan.problems.append(f'{where}: unknown case "{case_key}"')
            continue
        if bool(theme_key) == bool(section_key):
            plan.problems.append(f"{where}: give either a theme or a section, not "
                                 + ("both" if theme_key else "neither"))
            continue
        kind, key, items = ("theme", theme_key, themes) if theme_key else ("section", section_key, sections)
        target = _lookup(key, items)
        if target is None:
            plan.problems.append(f'{where}: unknown {kind} "{key}"')
            continue
        if not text:
            plan.skipped += 1  # an empty template cell: nothing to write
            continue
        plan.rows.append((case, kind, target, text))
    return plan


def apply_summaries_import(store: Store, plan: SummariesImport, actor: str) -> int:
    """Write a checked plan in one transaction; returns how many summaries were written."""
    if plan.problems:
        raise QualcodeError(f"{len(plan.problems)} bad rows; nothing imported")
    with store.transaction():
        for case, kind, target, text in plan.rows:
            store.set_summary(case, kind, target, text, actor)
    return len(plan.rows)


def export_rows(store: Store, guide: Guide) -> list[dict[str, str]]:
    """A row for every (case, section) and (case, theme), filled in or not, in report order."""
    texts = {(r["case"], r["kind"], r["target"]): r["text"] for r in store.summaries()}
    _, groups = size_groups(store, guide)
    out: list[dict[str, str]] = []
    for _, cases in groups:
        for case in cases:
            for section in guide.report_sections:
                out.append({"case": case, "section": section.id, "theme": "",
                            "text": texts.get((case, "section", section.id), "")})
                for theme in section.themes:
                    out.append({"case": case, "section": "", "theme": theme,
                                "text": texts.get((case, "theme", theme), "")})
            in_sections = {t for s in guide.report_sections for t in s.themes}
            for theme in guide.themes:  # themes no report section names still get a row
                if theme.id not in in_sections:
                    out.append({"case": case, "section": "", "theme": theme.id,
                                "text": texts.get((case, "theme", theme.id), "")})
    return out


def to_csv(rows: list[dict[str, str]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def to_json(rows: list[dict[str, str]]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"

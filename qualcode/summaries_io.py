"""Summaries to and from CSV/JSON, so they can be written in a spreadsheet: all-or-nothing import.

Besides ``text``, a theme row may carry ``key_quotes``: the cell's key quotes, one per line,
each the words of (a part of) a coded quote of that case and theme. When the column is
there, it says which quotes are key for each theme row; when it is not, key quotes are
left as they are.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from typing import Any

from qualcode.i18n import ui, ui_n
from qualcode.model import QualcodeError
from qualcode.report import report_guide, segments, size_groups, unique_spans
from qualcode.store import Store
from qualcode.study import Study

COLUMNS = ["case", "section", "theme", "text", "key_quotes"]
KEY_QUOTES = "key_quotes"


@dataclass
class SummariesImport:
    rows: list[tuple[str, str, str, str]] = field(default_factory=list)  # case, kind, target, text
    skipped: int = 0  # rows with no text, left as they are
    clear: list[tuple[str, str, str]] = field(default_factory=list)  # empty rows to delete
    cleared: int = 0  # summaries those rows actually deleted (set when applied)
    keys: dict[tuple[str, str], set[int]] = field(default_factory=dict)  # (case, theme) -> codings
    problems: list[str] = field(default_factory=list)
    backup: str = ""  # the backup taken before texts were replaced (set when applied)


def _words(text: str) -> str:
    """A quote compared by its words: one line, no quotation marks around it, any case."""
    return re.sub(r"\s+", " ", text).strip().strip("«»\"“”'").strip().casefold()


def _quotes(cell: object) -> list[str]:
    return [q for q in (line.strip() for line in str(cell or "").splitlines()) if _words(q)]


Coded = dict[tuple[str, str], list[tuple[int, str, tuple[str, int, int]]]]


def _key_codings(store: Store) -> Coded:
    """(case, theme) -> its codings (any coder) as (coding id, quote words, span)."""
    out: Coded = {}
    for seg in segments(store):
        out.setdefault((seg.case, seg.theme), []).append(
            (seg.coding_id, _words(seg.quote), (seg.transcript, seg.start, seg.end))
        )
    return out


def _lookup(key: str, items: list[tuple[str, str]]) -> str | None:
    """An id from its id or its name/title, case-insensitively."""
    key = key.strip().casefold()
    for item_id, name in items:
        if key in (item_id.casefold(), name.strip().casefold()):
            return item_id
    return None


def check_columns(columns: list[str], source: str) -> None:
    """Refuse a file whose header cannot say what each text belongs to, before any row:
    a wrong header would otherwise make every row look empty or case-less."""
    names = {c.strip().lower() for c in columns}
    if {"case", "text"} <= names and names & {"theme", "section"}:
        return
    found = ", ".join(c for c in columns if c) or "none"
    raise QualcodeError(
        ui(
            "a summaries file needs the columns case, text, and theme or section "
            "(columns found: {found})"
        ).format(found=found),
        source,
    )


def plan_summaries_import(
    study: Study,
    rows: list[tuple[int, dict[str, Any]]],
    source: str,
    columns: list[str] | None = None,
    clear_empty: bool = False,
) -> SummariesImport:
    """Check every row (case, and theme or section, by id or name); nothing is written here.

    An empty text is skipped, or with ``clear_empty`` marks that summary for deletion (so a
    cell cleared in the spreadsheet is cleared here too). Two rows for the same cell are a
    problem: which one was meant cannot be guessed.
    """
    store, guide = study.store, report_guide(study)
    if columns is not None:
        check_columns(columns, source)
    plan = SummariesImport()
    cases = {name.casefold(): name for name in store.transcripts.cases()}
    themes = [(t.id, t.name) for t in guide.themes]
    sections = [(s.id, s.title) for s in guide.report_sections]
    seen: dict[tuple[str, str, str], int] = {}
    with_keys = KEY_QUOTES in {c.strip().lower() for c in columns or []}
    coded = _key_codings(store) if with_keys else {}
    for line, row in rows:
        where = ui("{source}, row at line {line}").format(source=source, line=line)
        case_key = str(row.get("case", "") or "").strip()
        theme_key = str(row.get("theme", "") or "").strip()
        section_key = str(row.get("section", "") or "").strip()
        text = str(row.get("text", "") or "").replace("\r\n", "\n").strip()
        if not case_key:
            plan.problems.append(ui("{where}: missing case").format(where=where))
            continue
        case = cases.get(case_key.casefold())
        if case is None:
            plan.problems.append(
                ui('{where}: unknown case "{case}"').format(where=where, case=case_key)
            )
            continue
        if bool(theme_key) == bool(section_key):
            plan.problems.append(
                (
                    ui("{where}: give a theme or a section, not both")
                    if theme_key
                    else ui("{where}: give a theme or a section (the row has neither)")
                ).format(where=where)
            )
            continue
        kind, key, items = (
            ("theme", theme_key, themes) if theme_key else ("section", section_key, sections)
        )
        target = _lookup(key, items)
        if target is None:
            unknown = ui('{where}: unknown theme "{key}"') if kind == "theme" else None
            unknown = unknown or ui('{where}: unknown section "{key}"')
            plan.problems.append(unknown.format(where=where, key=key))
            continue
        cell = (case, kind, target)
        if cell in seen:
            second = (
                ui(
                    "{where}: a second row for {case}, theme {target} "
                    "(the first is at line {first}); keep one of them"
                )
                if kind == "theme"
                else ui(
                    "{where}: a second row for {case}, section {target} "
                    "(the first is at line {first}); keep one of them"
                )
            )
            plan.problems.append(
                second.format(where=where, case=case, target=target, first=seen[cell])
            )
            continue
        seen[cell] = line
        if with_keys:
            _plan_keys(plan, where, case, kind, target, _quotes(row.get(KEY_QUOTES)), coded)
        if not text:
            if clear_empty:
                plan.clear.append(cell)
            else:
                plan.skipped += 1  # an empty template cell: nothing to write
            continue
        plan.rows.append((case, kind, target, text))
    return plan


def _plan_keys(
    plan: SummariesImport,
    where: str,
    case: str,
    kind: str,
    target: str,
    quotes: list[str],
    coded: Coded,
) -> None:
    """The codings each listed key quote names: of the coded spans whose quote holds the
    words, the shortest one (a sentence rather than the whole turn around it), with every
    coder's coding of that span."""
    if kind == "section":
        if quotes:
            plan.problems.append(
                ui("{where}: key quotes belong on a theme row, not a section row").format(
                    where=where
                )
            )
        return
    chosen: set[int] = set()
    for quote in quotes:
        found = [
            (len(words), span, cid)
            for cid, words, span in coded.get((case, target), [])
            if _words(quote) in words
        ]
        if not found:
            plan.problems.append(
                ui('{where}: no coded quote of {case}, theme {target}, holds "{quote}"').format(
                    where=where, case=case, target=target, quote=quote[:60]
                )
            )
            continue
        best = min(found)[1]
        chosen |= {cid for _, span, cid in found if span == best}
    plan.keys[(case, target)] = chosen


def apply_summaries_import(store: Store, plan: SummariesImport, actor: str) -> int:
    """Write a checked plan in one transaction; returns how many summaries were written
    (cleared ones not counted)."""
    if plan.problems:
        raise QualcodeError(
            ui_n(
                "{n} bad row; nothing imported",
                "{n} bad rows; nothing imported",
                len(plan.problems),
            ).format(n=len(plan.problems))
        )
    existing = {(r["case"], r["kind"], r["target"]): r["text"] for r in store.summaries.all()}
    overwrites = any(
        existing.get((case, kind, target)) not in (None, "", text)
        for case, kind, target, text in plan.rows
    ) or any(existing.get(key) for key in plan.clear)
    if overwrites:  # the texts it replaces are also in the audit log, row by row
        plan.backup = str(store.safety_backup("before-summaries-import"))
    with store.transaction():
        for case, kind, target, text in plan.rows:
            store.summaries.set(case, kind, target, text, actor)
        plan.cleared = sum(
            store.summaries.delete(case, kind, target, actor) for case, kind, target in plan.clear
        )
        marked = store.summaries.key_quotes()
        for (case, theme), chosen in plan.keys.items():
            now = {cid for c, t, cid in marked if (c, t) == (case, theme)}
            for cid in sorted(now - chosen):
                store.summaries.set_key_quote(case, theme, cid, False, actor)
            for cid in sorted(chosen - now):
                store.summaries.set_key_quote(case, theme, cid, True, actor)
    return len(plan.rows)


def export_rows(study: Study) -> list[dict[str, str]]:
    """A row for every (case, section) and (case, theme), filled in or not, in report order."""
    store, guide = study.store, report_guide(study)
    texts = {(r["case"], r["kind"], r["target"]): r["text"] for r in store.summaries.all()}
    keys = _marked_quotes(store)
    _, groups = size_groups(study)
    out: list[dict[str, str]] = []
    for _, cases in groups:
        for case in cases:
            for section in guide.report_sections:
                out.append(
                    {
                        "case": case,
                        "section": section.id,
                        "theme": "",
                        "text": texts.get((case, "section", section.id), ""),
                        KEY_QUOTES: "",
                    }
                )
                for theme_id in section.themes:
                    out.append(
                        {
                            "case": case,
                            "section": "",
                            "theme": theme_id,
                            "text": texts.get((case, "theme", theme_id), ""),
                            KEY_QUOTES: keys.get((case, theme_id), ""),
                        }
                    )
            in_sections = {t for s in guide.report_sections for t in s.themes}
            for theme in guide.themes:  # themes no report section names still get a row
                if theme.id not in in_sections:
                    out.append(
                        {
                            "case": case,
                            "section": "",
                            "theme": theme.id,
                            "text": texts.get((case, "theme", theme.id), ""),
                            KEY_QUOTES: keys.get((case, theme.id), ""),
                        }
                    )
    return out


def _marked_quotes(store: Store) -> dict[tuple[str, str], str]:
    """(case, theme) -> its key quotes, one per line, each coded span once."""
    marked = store.summaries.key_quotes()
    by_id = {seg.coding_id: seg for seg in segments(store)}
    out: dict[tuple[str, str], str] = {}
    for case, theme in sorted({(c, t) for c, t, _ in marked}):
        segs = [
            by_id[cid] for c, t, cid in sorted(marked) if (c, t) == (case, theme) and cid in by_id
        ]
        quotes = [
            seg.quote for seg in unique_spans(sorted(segs, key=lambda s: (s.transcript, s.start)))
        ]
        if quotes:
            out[(case, theme)] = "\n".join(quotes)
    return out


def to_csv(rows: list[dict[str, str]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def to_json(rows: list[dict[str, str]]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"

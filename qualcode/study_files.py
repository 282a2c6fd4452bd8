"""The analysis a study ships beside its transcripts, imported when a project first opens.

``codings.csv``, ``summaries.csv`` and ``comparison.csv`` in ``transcripts/`` (the demo study
has all three). Each file is all-or-nothing, and a bad one is reported, never fatal.
Importing them again adds nothing twice: codings already present are skipped, summaries
and Tabell 1 notes are written over with the same text. So a first open that was stopped
can simply be done again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from qualcode.codings_io import apply_codings_import, plan_codings_import, read_table
from qualcode.i18n import ui, ui_n
from qualcode.model import QualcodeError
from qualcode.report import report_guide
from qualcode.study import Study
from qualcode.summaries_io import apply_summaries_import, plan_summaries_import

STUDY_FILES = ("codings.csv", "summaries.csv", "comparison.csv")

Rows = list[tuple[int, dict[str, Any]]]


def import_study_files(study: Study, folder: Path, actor: str) -> list[str]:
    """Import the study files found in ``folder``; one note per file, for the researcher."""
    notes: list[str] = []
    for name in STUDY_FILES:
        path = folder / name
        if not path.is_file():
            continue
        try:
            # Checked and written in one transaction: a second qualcode completing the same
            # first import at the same time then finds these codings present, not missing.
            with study.store.transaction():
                problems, n, skipped = _import(study, path, actor)
        except QualcodeError as err:
            problems, n, skipped = [str(err)], 0, 0
        except Exception as err:  # one bad study file must not stop the project opening
            unexpected = ui("an unexpected problem ({kind}: {error})")
            problems, n, skipped = [unexpected.format(kind=type(err).__name__, error=err)], 0, 0
        if problems:
            notes.append(
                ui_n(
                    "{path}: not imported ({n} problem): {first}",
                    "{path}: not imported ({n} problems): {first}",
                    len(problems),
                ).format(path=path, n=len(problems), first=problems[0])
            )
        elif skipped:
            notes.append(
                ui_n(
                    "{path}: imported {n} row ({skipped} already present, skipped)",
                    "{path}: imported {n} rows ({skipped} already present, skipped)",
                    n,
                ).format(path=path, n=n, skipped=skipped)
            )
        else:
            notes.append(
                ui_n("{path}: imported {n} row", "{path}: imported {n} rows", n).format(
                    path=path, n=n
                )
            )
    return notes


def _import(study: Study, path: Path, actor: str) -> tuple[list[str], int, int]:
    """(problems, rows imported, rows already present) for one study file."""
    store, guide = study.store, study.guide
    columns, rows = read_table(path, path.stem)
    if path.name == "codings.csv":
        plan = plan_codings_import(store, rows, str(path))
        if plan.problems:
            return plan.problems, 0, 0
        return [], len(apply_codings_import(store, plan, actor)), len(plan.already_present)
    if guide is None:
        raise QualcodeError(
            ui(
                "summaries and Tabell 1 notes need the interview guide "
                "(interview_guide.yaml) to say what their themes and categories are"
            ),
            str(path),
        )
    if path.name == "summaries.csv":
        splan = plan_summaries_import(study, rows, str(path), columns)
        if splan.problems:
            return splan.problems, 0, 0
        return [], apply_summaries_import(store, splan, actor), 0
    problems = import_comparison(study, rows, str(path), actor)
    return problems, (0 if problems else len(rows)), 0


def import_comparison(study: Study, rows: Rows, source: str, actor: str) -> list[str]:
    """``category`` (the guide's id or name), ``likheter``, ``forskjeller``: all rows or none."""
    store, guide = study.store, report_guide(study)
    known = {key.casefold(): c.id for c in guide.comparison_categories for key in (c.id, c.name)}
    problems, notes = [], []
    for line, row in rows:
        category = known.get(str(row.get("category", "")).strip().casefold())
        if category is None:
            problems.append(
                ui('{source}, line {line}: unknown comparison category "{category}"').format(
                    source=source, line=line, category=row.get("category", "")
                )
            )
        notes.append((category, str(row.get("likheter", "")), str(row.get("forskjeller", ""))))
    if not problems:
        with store.transaction():
            for category, likheter, forskjeller in notes:
                store.summaries.set_comparison_note(str(category), likheter, forskjeller, actor)
    return problems

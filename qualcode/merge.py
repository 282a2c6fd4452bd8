"""Merging another copy of the project: its codings, codes, summaries and comparison notes.

The other copy is read from a consistent snapshot (never written to). Transcripts are
matched by id and text hash; codes by id, else by name (case-insensitive); a coding that
is already here (transcript, span, code, coder) is skipped, so merging twice adds nothing.
Anything that would overwrite or cannot be placed is reported as a conflict. A backup is
taken first and everything is written in one transaction.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from qualcode.i18n import ui
from qualcode.model import Code, Coding, QualcodeError, plural
from qualcode.project import Project
from qualcode.store import DB_NAME, Store

ACTOR = "merge"


@dataclass
class MergeReport:
    source: str
    backup: str = ""
    codings_added: int = 0
    codings_skipped: int = 0
    codes_added: list[str] = field(default_factory=list)
    codes_unified: dict[str, str] = field(default_factory=dict)  # their id -> our id
    summaries_added: int = 0
    notes_added: int = 0
    conflicts: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _snapshot(other: Path, folder: Path) -> Store:
    """A private copy of the other database, migrated like ours, taken via SQLite's backup API."""
    db = other / DB_NAME if other.is_dir() else other
    if not db.is_file():
        raise QualcodeError(ui("no qualcode project database here"), str(other))
    copy = folder / "other.db"
    return Store.open_copy(db, copy)


def _map_codes(here: Store, there: Store, report: MergeReport) -> dict[str, str]:
    """Their code ids -> ours, adding the codes we lack (parents before children)."""
    ours = {c.id: c for c in here.codes.all()}
    by_name = {c.name.casefold(): c.id for c in ours.values()}
    mapping: dict[str, str] = {}
    pending: list[Code] = []
    for code in there.codes.all():
        if code.id in ours:
            mapping[code.id] = code.id
            if ours[code.id].name != code.name:
                report.conflicts.append(
                    f'code "{code.id}" is named "{ours[code.id].name}" here and "{code.name}" '
                    "there; kept this project's name"
                )
        elif code.name.casefold() in by_name:
            mapping[code.id] = by_name[code.name.casefold()]
            report.codes_unified[code.id] = mapping[code.id]
        else:
            pending.append(code)
            continue
        mine = ours[mapping[code.id]]
        if code.description.strip() and mine.description.strip() != code.description.strip():
            report.conflicts.append(
                f'code "{mine.name}": its description differs there '
                f'("{_short(code.description)}"); kept this project\'s'
            )
    # Add the new ones once their parent is known here; repeat until nothing moves.
    while pending:
        placed = [c for c in pending if c.parent is None or c.parent in mapping]
        if not placed:
            for c in pending:
                report.conflicts.append(
                    f'code "{c.name}" [{c.id}]: its parent "{c.parent}" is missing; not added'
                )
            break
        for c in placed:
            new = replace(c, parent=mapping[c.parent] if c.parent else None)
            here.codes.upsert(new, ACTOR)
            mapping[c.id] = c.id
            report.codes_added.append(c.id)
            pending.remove(c)
    return mapping


def _merge_codings(here: Store, there: Store, codes: dict[str, str], report: MergeReport) -> None:
    hashes = {t: here.transcripts.hash(t) for t in there.transcripts.ids()}
    existing = {(c.transcript, c.start, c.end, c.code, c.coder): c for c in here.codings.all()}
    blocked: dict[str, int] = {}
    unmapped = 0
    new: list[Coding] = []
    for c in there.codings.all():
        ours = hashes.get(c.transcript)
        if ours is None or ours != there.transcripts.hash(c.transcript):
            blocked[c.transcript] = blocked.get(c.transcript, 0) + 1
            continue
        if c.code not in codes:
            unmapped += 1
            continue
        key = (c.transcript, c.start, c.end, codes[c.code], c.coder)
        if key in existing:
            report.codings_skipped += 1
            _compare(existing[key], c, report)
            continue
        added = replace(c, id=None, code=codes[c.code])
        existing[key] = added
        new.append(added)
    for tid, n in sorted(blocked.items()):
        why = "is not in this project" if hashes.get(tid) is None else "has different text here"
        report.conflicts.append(
            f'transcript "{tid}" {why}: its {plural(n, "coding")} were not imported'
        )
    if unmapped:
        report.conflicts.append(
            f"{plural(unmapped, 'coding')} of codes that could not be added were skipped"
        )
    here.codings.add_many(new, ACTOR)
    report.codings_added = len(new)


def _compare(ours: Coding, theirs: Coding, report: MergeReport) -> None:
    """The same coding on both sides: say where its memo or status differs (ours is kept)."""
    what = [
        name
        for name, a, b in (("memo", ours.memo, theirs.memo), ("status", ours.status, theirs.status))
        if a != b
    ]
    if what:
        report.conflicts.append(
            f'coding of "{ours.code}" by {ours.coder} in {ours.transcript} '
            f"{ours.start}-{ours.end} (“{_short(ours.quote)}”): {' and '.join(what)} differ"
            f"{'s' if len(what) == 1 else ''} there; kept this project's"
        )


def _short(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _merge_summaries(here: Store, there: Store, report: MergeReport) -> None:
    ours = {(s["case"], s["kind"], s["target"]): s["text"] for s in here.summaries.all()}
    cases = set(here.transcripts.cases())
    for s in there.summaries.all():
        key = (s["case"], s["kind"], s["target"])
        label = f'{s["kind"]} summary "{s["target"]}" of {s["case"]}'
        if key in ours:
            if ours[key] != s["text"]:
                report.conflicts.append(f"{label} differs here; kept this project's text")
            continue
        if s["case"] not in cases:
            report.conflicts.append(f"{label}: the case is not in this project; not imported")
            continue
        here.summaries.set(s["case"], s["kind"], s["target"], s["text"], s["author"] or ACTOR)
        report.summaries_added += 1
    notes = here.summaries.comparison_notes()
    for category, n in there.summaries.comparison_notes().items():
        if category in notes:
            mine = notes[category]
            if (mine["likheter"], mine["forskjeller"]) != (n["likheter"], n["forskjeller"]):
                report.conflicts.append(
                    f'comparison note "{category}" differs here; kept this project\'s text'
                )
            continue
        here.summaries.set_comparison_note(
            category, n["likheter"], n["forskjeller"], n["author"] or ACTOR
        )
        report.notes_added += 1


def merge_project(project: Project, other: str | Path) -> MergeReport:
    """Merge ``other`` (a project folder or its database) into ``project``."""
    other = Path(other)
    report = MergeReport(source=str(other))
    if other.resolve() in (project.root, project.store.path.resolve()):
        raise QualcodeError(ui("cannot merge a project into itself"), str(other))
    with tempfile.TemporaryDirectory(prefix="qualcode-merge-") as tmp:
        there = _snapshot(other, Path(tmp))
        try:
            report.backup = str(project.backup("before-merge"))
            here = project.store
            with here.transaction():
                codes = _map_codes(here, there, report)
                _merge_codings(here, there, codes, report)
                _merge_summaries(here, there, report)
        finally:
            there.close()
    return report

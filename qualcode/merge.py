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

from qualcode.i18n import ui, ui_n
from qualcode.model import Code, Coding, QualcodeError
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
                    ui(
                        'code "{id}" is named "{here}" here and "{there}" '
                        "there; kept this project's name"
                    ).format(id=code.id, here=ours[code.id].name, there=code.name)
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
                ui(
                    'code "{name}": its description differs there ("{there}"); kept this project\'s'
                ).format(name=mine.name, there=_short(code.description))
            )
    # Add the new ones once their parent is known here; repeat until nothing moves.
    while pending:
        placed = [c for c in pending if c.parent is None or c.parent in mapping]
        if not placed:
            for c in pending:
                report.conflicts.append(
                    ui('code "{name}" [{id}]: its parent "{parent}" is missing; not added').format(
                        name=c.name, id=c.id, parent=c.parent
                    )
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
        if hashes.get(tid) is None:
            blocked_why = ui_n(
                'transcript "{id}" is not in this project: its {n} coding was not imported',
                'transcript "{id}" is not in this project: its {n} codings were not imported',
                n,
            )
        else:
            blocked_why = ui_n(
                'transcript "{id}" has different text here: its {n} coding was not imported',
                'transcript "{id}" has different text here: its {n} codings were not imported',
                n,
            )
        report.conflicts.append(blocked_why.format(id=tid, n=n))
    if unmapped:
        report.conflicts.append(
            ui_n(
                "{n} coding of codes that could not be added was skipped",
                "{n} codings of codes that could not be added were skipped",
                unmapped,
            ).format(n=unmapped)
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
        differ = {
            ("memo",): ui("its memo differs there"),
            ("status",): ui("its status differs there"),
            ("memo", "status"): ui("its memo and status differ there"),
        }[tuple(what)]
        report.conflicts.append(
            ui(
                'coding of "{code}" by {coder} in {transcript} {start}-{end} (“{quote}”): '
                "{differ}; kept this project's"
            ).format(
                code=ours.code,
                coder=ours.coder,
                transcript=ours.transcript,
                start=ours.start,
                end=ours.end,
                quote=_short(ours.quote),
                differ=differ,
            )
        )


def _short(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _merge_summaries(here: Store, there: Store, report: MergeReport) -> None:
    ours = {(s["case"], s["kind"], s["target"]): s["text"] for s in here.summaries.all()}
    cases = set(here.transcripts.cases())
    for s in there.summaries.all():
        key = (s["case"], s["kind"], s["target"])
        label = (
            ui('theme summary "{target}" of {case}')
            if s["kind"] == "theme"
            else ui('section summary "{target}" of {case}')
        ).format(target=s["target"], case=s["case"])
        if key in ours:
            if ours[key] != s["text"]:
                report.conflicts.append(
                    ui("{what} differs here; kept this project's text").format(what=label)
                )
            continue
        if s["case"] not in cases:
            report.conflicts.append(
                ui("{what}: the case is not in this project; not imported").format(what=label)
            )
            continue
        here.summaries.set(s["case"], s["kind"], s["target"], s["text"], s["author"] or ACTOR)
        report.summaries_added += 1
    notes = here.summaries.comparison_notes()
    for category, n in there.summaries.comparison_notes().items():
        if category in notes:
            mine = notes[category]
            if (mine["likheter"], mine["forskjeller"]) != (n["likheter"], n["forskjeller"]):
                report.conflicts.append(
                    ui(
                        'comparison note "{category}" differs here; kept this project\'s text'
                    ).format(category=category)
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

"""A project to and from REFI-QDA: the bridge between the store and ``refi.ExchangeProject``."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from qualcode.coding import trim_span
from qualcode.exporters.qdpx import write_qdc, write_qdpx
from qualcode.importers.qdpx import read_qdc, read_qdpx
from qualcode.model import Code, QualcodeError
from qualcode.refi import ExchangeProject, unique
from qualcode.store import Store

EXCHANGE_SUFFIXES = (".qdpx", ".qdc")


@dataclass
class ExchangeReport:
    path: str
    codes_added: list[str] = field(default_factory=list)
    transcripts_added: list[str] = field(default_factory=list)
    transcripts_unchanged: list[str] = field(default_factory=list)
    codings_added: int = 0
    codings_skipped: int = 0
    skipped_sources: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return dict(self.__dict__)


def snapshot(store: Store, name: str, coder: str | None = None) -> ExchangeProject:
    """The whole project (or one coder's codings) as an exchange value."""
    codings = store.codings(coder=coder)
    transcripts = store.transcripts()
    coders = sorted({c.coder for c in codings} | ({coder} if coder else set(store.coders())))
    return ExchangeProject(name=name, coders=coders, codes=store.codes(), transcripts=transcripts,
                           codings=codings, cases=store.cases())


def export_exchange(store: Store, kind: str, path: Path, name: str, coder: str | None = None) -> None:
    project = snapshot(store, name, coder)
    (write_qdc if kind == "qdc" else write_qdpx)(project, path)


def import_exchange(store: Store, path: Path, actor: str = "import") -> ExchangeReport:
    """Bring a .qdpx or .qdc into the project in one transaction; nothing is overwritten.

    Codes merge by name (case-insensitive); a transcript already here with the same text is
    reused, one with a different text under the same id is a conflict and its codings stay out.
    """
    known = store.codes()
    reader = read_qdc if path.suffix.lower() == ".qdc" else read_qdpx
    ex = reader(path, known_codes=known)
    report = ExchangeReport(str(path), skipped_sources=list(ex.skipped_sources), notes=list(ex.notes))
    by_name = {c.name.casefold(): c for c in known}
    taken = {c.id for c in known}
    code_ids: dict[str, str] = {}
    new_codes: list[Code] = []
    for code in ex.codes:  # parents come before children in the exchange order
        here = store.code(code.id) if code.id in taken else None
        match = by_name.get(code.name.casefold()) or (here if here and here.name == code.name else None)
        if match is not None:
            code_ids[code.id] = match.id
            continue
        new_id = unique(code.id, taken)
        code_ids[code.id] = new_id
        parent = code_ids.get(code.parent) if code.parent else None
        new_codes.append(replace(code, id=new_id, parent=parent, origin="inductive"
                                 if parent is not None else code.origin))
        report.codes_added.append(new_id)
    with store.transaction():
        for code in new_codes:
            store.upsert_code(code, actor)
        usable = _add_transcripts(store, ex, report, actor)
        existing = {(c.transcript, c.start, c.end, c.code, c.coder) for c in store.codings()}
        fresh = []
        for c in ex.codings:
            if c.transcript not in usable:
                report.codings_skipped += 1
                continue
            text = usable[c.transcript]
            start, end = trim_span(text, max(0, c.start), min(len(text), c.end))
            if start >= end:
                report.codings_skipped += 1
                report.notes.append(f"{c.transcript} {c.start}-{c.end}: an empty selection was skipped")
                continue
            coding = replace(c, code=code_ids.get(c.code, c.code), start=start, end=end,
                             quote=text[start:end], id=None)
            key = (coding.transcript, coding.start, coding.end, coding.code, coding.coder)
            if key in existing:
                report.codings_skipped += 1
                continue
            existing.add(key)
            fresh.append(coding)
        store.add_codings(fresh, actor)
        report.codings_added = len(fresh)
    return report


def _add_transcripts(store: Store, ex: ExchangeProject, report: ExchangeReport, actor: str) -> dict[str, str]:
    """Add the exchange's transcripts; returns id -> text of those its codings may use."""
    usable: dict[str, str] = {}
    for t in ex.transcripts:
        if t.case and t.case in ex.cases:
            t = replace(t, attributes={**ex.cases[t.case], **t.attributes})
        old = store.transcript_hash(t.id)
        if old is None:
            store.add_transcript(t, actor=actor)
            report.transcripts_added.append(t.id)
        elif old == t.hash:
            report.transcripts_unchanged.append(t.id)
        else:
            report.conflicts.append(f'transcript "{t.id}" is already here with a different text; '
                                    "its codings were not imported")
            continue
        usable[t.id] = t.text
    return usable


def is_exchange_file(path: Path) -> bool:
    return path.suffix.lower() in EXCHANGE_SUFFIXES


def check_exchange_path(path: Path) -> None:
    if not path.is_file():
        raise QualcodeError("no such file", str(path))

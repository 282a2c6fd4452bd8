"""A project to and from REFI-QDA: the bridge between the store and ``refi.model.ExchangeProject``."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from qualcode.anon import check_text
from qualcode.coding import trim_span
from qualcode.model import Code, Coding, Guide, QualcodeError, Transcript
from qualcode.refi.model import ExchangeProject, Summary, coding_key, guid_for, unique
from qualcode.refi.read import read_qdc, read_qdpx
from qualcode.refi.write import write_qdc, write_qdpx
from qualcode.store import Store

# The <Project name> of an imported .qdpx, for exports of a project whose guide gives no title.
PROJECT_NAME_SETTING = "refi-project-name"


@dataclass
class ExchangeReport:
    path: str
    codes_added: list[str] = field(default_factory=list)
    coders_added: list[str] = field(default_factory=list)
    transcripts_added: list[str] = field(default_factory=list)
    transcripts_unchanged: list[str] = field(default_factory=list)
    codings_added: int = 0
    codings_skipped: int = 0
    summaries_added: int = 0
    comparison_added: int = 0
    skipped_sources: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    notes_not_imported: list[str] = field(default_factory=list)
    # Section summaries and Tabell-1 notes left out because the project has no guide: one
    # line in notes_not_imported says so, these name each one (for --json).
    needs_guide: list[str] = field(default_factory=list)
    anonymity: list[str] = field(default_factory=list)
    refused: str = ""  # set when --strict refused the file; then nothing was written

    def to_json(self) -> dict[str, object]:
        return dict(self.__dict__)


def project_name(store: Store, title: str = "") -> str:
    """What an export calls the project: the guide's title, else the name of the project an
    import brought, else the project folder's name."""
    return title.strip() or store.setting(PROJECT_NAME_SETTING) or store.path.resolve().parent.name


def snapshot(
    store: Store, name: str, coder: str | None = None, guide: Guide | None = None
) -> ExchangeProject:
    """The whole project (or one coder's codings) as an exchange value; ``name`` as
    ``project_name`` gives it when empty."""
    coders_here = store.coders()
    if coder and coder not in coders_here:
        raise QualcodeError(
            f'no coder "{coder}" in this project (its coders: '
            f"{', '.join(coders_here) or 'none yet'})"
        )
    codings = store.codings(coder=coder)
    coders = sorted({c.coder for c in codings} | ({coder} if coder else set(coders_here)))
    guids = store.refi_guids()
    kept = store.coding_refi_guids()
    for c in codings:
        selection, own = kept.get(c.id or -1, ("", ""))
        key = coding_key(c)
        if selection:
            guids[f"selection:{key}"] = selection
        if own:
            guids[f"coding:{key}"] = own
    labels: dict[str, str] = {}
    if guide:
        labels = {s.id: s.title for s in guide.report_sections}
        labels.update({c.id: c.name for c in guide.comparison_categories})
    return ExchangeProject(
        name=project_name(store, name),
        coders=coders,
        codes=store.codes(),
        transcripts=store.transcripts(),
        codings=codings,
        cases=store.cases(),
        guids=guids,
        summaries=[
            Summary(r["case"], r["kind"], r["target"], r["text"]) for r in store.summaries()
        ],
        comparison={
            k: (r["likheter"], r["forskjeller"]) for k, r in store.comparison_notes().items()
        },
        labels=labels,
        variable_types=store.refi_variable_types(),
    )


def export_exchange(
    store: Store,
    kind: str,
    path: Path,
    name: str,
    coder: str | None = None,
    guide: Guide | None = None,
) -> None:
    project = snapshot(store, name, coder, guide)
    (write_qdc if kind == "qdc" else write_qdpx)(project, path)


def match_codes(
    known: list[Code], stored: dict[str, str], ex: ExchangeProject
) -> tuple[dict[str, str], list[tuple[Code, str]]]:
    """Map the file's code ids onto the project's; returns the map and the codes to add.

    A code is the project's when it has that code's GUID, else when a code of that name sits
    under the same (mapped) parent, else when its name is found once in the project and once
    in the file. Two codes of one name under different parents thus stay two codes. Each new
    code comes with the GUID its file gave it.
    """
    by_guid: dict[str, str] = {}
    for c in known:
        by_guid[guid_for("code", c.id)] = c.id
    for c in known:  # a kept GUID wins over a derived one
        if stored.get(f"code:{c.id}"):
            by_guid[stored[f"code:{c.id}"]] = c.id
    at: dict[tuple[str | None, str], str] = {}
    for c in known:
        at.setdefault((c.parent, c.name.casefold()), c.id)
    in_project = Counter(c.name.casefold() for c in known)
    in_file = Counter(c.name.casefold() for c in ex.codes)
    by_name = {c.name.casefold(): c.id for c in known}
    taken = {c.id for c in known}
    code_ids: dict[str, str] = {}
    new: list[tuple[Code, str]] = []
    for code in ex.codes:  # parents come before children in the exchange order
        parent = code_ids.get(code.parent) if code.parent else None
        fold = code.name.casefold()
        guid = ex.guid("code", code.id)
        match = by_guid.get(guid) or at.get((parent, fold))
        if match is None and in_project[fold] == 1 and in_file[fold] == 1:
            match = by_name[fold]
        if match is not None:
            code_ids[code.id] = match
            continue
        new_id = unique(code.id, taken)
        code_ids[code.id] = new_id
        new.append((replace(code, id=new_id, parent=parent, origin="inductive"), guid))
    return code_ids, new


def _keep_guid(store: Store, kind: str, key: str, guid: str) -> None:
    if guid and guid != guid_for(kind, key):
        store.set_refi_guid(kind, key, guid)


def anonymity_findings(path: Path, transcripts: list[Transcript]) -> list[str]:
    """The anonymity check on imported texts, placed as 'file#transcript, line, column'."""
    return [
        f"{path}#{t.id}, line {f.line}, column {f.column}: possible {f.kind}: {f.text}"
        for t in transcripts
        for f in check_text(t.text)
    ]


def import_exchange(
    store: Store,
    path: Path,
    actor: str = "import",
    *,
    strict: bool = False,
    guide: Guide | None = None,
) -> ExchangeReport:
    """Bring a .qdpx or .qdc into the project in one transaction; nothing is overwritten.

    Codes merge as ``match_codes`` says; a transcript already here with the same text is
    reused, one with a different text under the same id is a conflict and its codings stay
    out. New transcripts go through the anonymity check; with ``strict`` a finding refuses
    the whole file. Summaries and Tabell-1 notes need their case, theme or section here.
    """
    known = store.codes()
    reader = read_qdc if path.suffix.lower() == ".qdc" else read_qdpx
    ex = reader(path, known_codes=known)
    report = ExchangeReport(
        str(path), skipped_sources=list(ex.skipped_sources), notes=list(ex.notes)
    )
    code_ids, new_codes = match_codes(known, store.refi_guids(), ex)
    fresh_texts = [t for t in ex.transcripts if store.transcript_hash(t.id) is None]
    report.anonymity = anonymity_findings(path, fresh_texts)
    if strict and report.anonymity:
        report.refused = (
            f"{path}: refused by --strict: the anonymity check found "
            f"{len(report.anonymity)} possible identifying details"
        )
        return report
    with store.transaction():
        for code, guid in new_codes:
            store.upsert_code(code, actor)
            _keep_guid(store, "code", code.id, guid)
            report.codes_added.append(code.id)
        coders_here = set(store.coders())
        for name in ex.coders:
            if name not in coders_here:
                store.ensure_coder(name)
                _keep_guid(store, "user", name, ex.guid("user", name))
                report.coders_added.append(name)
        cases_before = store.cases()
        attributes_before = {k for attrs in cases_before.values() for k in attrs}
        usable = _add_transcripts(store, ex, report, actor)
        for case in set(store.cases()) - set(cases_before):
            _keep_guid(store, "case", case, ex.guid("case", case))
        for guided, guid in ex.guids.items():  # a variable is new when no case had it before
            kind, _, name = guided.partition(":")
            if kind == "variable" and name not in attributes_before:
                store.set_refi_guid("variable", name, guid)
        for name, kind in ex.variable_types.items():
            if name not in attributes_before:
                store.set_refi_variable_type(name, kind)
        if path.suffix.lower() == ".qdpx" and ex.name.strip() and not (guide and guide.title):
            if not store.setting(PROJECT_NAME_SETTING):  # the first project imported names it
                store.set_setting(PROJECT_NAME_SETTING, ex.name.strip())
        _add_codings(store, ex, code_ids, usable, report, actor)
        _add_summaries(store, ex, code_ids, guide, report, actor)
        _add_comparison(store, ex, guide, report, actor)
    if report.needs_guide:
        report.notes_not_imported.append(_needs_guide_line(report.needs_guide))
    report.notes_not_imported += [
        f"note {n}: qualcode has no place for it" for n in ex.unattached_notes
    ]
    return report


def _needs_guide_line(left_out: list[str]) -> str:
    """One line for what only a guide can place, instead of one per summary and note."""
    tabell = sum(1 for item in left_out if item.startswith("the Tabell 1 note"))
    summaries = len(left_out) - tabell
    counts, places = [], []
    if summaries:
        counts.append(f"{summaries} report-section {'summary' if summaries == 1 else 'summaries'}")
        places.append("report sections")
    if tabell:
        counts.append(f"{tabell} Tabell 1 {'note' if tabell == 1 else 'notes'}")
        places.append("comparison categories")
    return (
        f"{' and '.join(counts)}: they belong to the interview guide's "
        f"{' and '.join(places)}, and this project has no interview guide; put "
        "interview_guide.yaml in the project folder and import the file again (nothing "
        "already here is added twice; --json lists each one)"
    )


def _add_transcripts(
    store: Store, ex: ExchangeProject, report: ExchangeReport, actor: str
) -> dict[str, str]:
    """Add the exchange's transcripts; returns id -> text of those its codings may use."""
    usable: dict[str, str] = {}
    for t in ex.transcripts:
        if t.case and t.case in ex.cases:
            t = replace(t, attributes={**ex.cases[t.case], **t.attributes})
        old = store.transcript_hash(t.id)
        if old is None:
            store.add_transcript(t, actor=actor)
            _keep_guid(store, "transcript", t.id, ex.guid("transcript", t.id))
            report.transcripts_added.append(t.id)
        elif old == t.hash:
            report.transcripts_unchanged.append(t.id)
        else:
            report.conflicts.append(
                f'transcript "{t.id}" is already here with a different text; '
                "its codings were not imported"
            )
            continue
        usable[t.id] = t.text
    return usable


def _add_codings(
    store: Store,
    ex: ExchangeProject,
    code_ids: dict[str, str],
    usable: dict[str, str],
    report: ExchangeReport,
    actor: str,
) -> None:
    existing = {(c.transcript, c.start, c.end, c.code, c.coder) for c in store.codings()}
    fresh: list[Coding] = []
    their_guids: list[tuple[str, str]] = []  # (selection, coding) GUIDs, as in the file
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
        coding = replace(
            c,
            code=code_ids.get(c.code, c.code),
            start=start,
            end=end,
            quote=text[start:end],
            id=None,
        )
        key = (coding.transcript, coding.start, coding.end, coding.code, coding.coder)
        if key in existing:
            report.codings_skipped += 1
            continue
        existing.add(key)
        fresh.append(coding)
        their_guids.append((ex.guid("selection", coding_key(c)), ex.guid("coding", coding_key(c))))
    saved = store.add_codings(fresh, actor)
    for coding, (selection, own) in zip(saved, their_guids, strict=True):
        memo_guid = ex.guids.get(f"memo:{own}")  # its memo's note, keyed by the coding's GUID
        if memo_guid and coding.memo:
            store.set_refi_guid("memo", own, memo_guid)
        key = coding_key(coding)
        selection = "" if selection == guid_for("selection", key) else selection
        own = "" if own == guid_for("coding", key) else own
        if (selection or own) and coding.id is not None:
            store.set_coding_refi_guids(coding.id, selection, own)
    report.codings_added = len(saved)


def _add_summaries(
    store: Store,
    ex: ExchangeProject,
    code_ids: dict[str, str],
    guide: Guide | None,
    report: ExchangeReport,
    actor: str,
) -> None:
    cases = set(store.cases())
    sections = {s.id for s in guide.report_sections} if guide else set()
    here = {(r["case"], r["kind"], r["target"]): r["text"] for r in store.summaries()}
    for s in ex.summaries:
        target = code_ids.get(s.target, s.target) if s.kind == "theme" else s.target
        what = f'the summary of "{s.case}" for {s.kind} "{target}"'
        if s.case not in cases:
            why = f'case "{s.case}" is not in the project'
        elif s.kind == "theme" and store.code(target) is None:
            why = f'code "{target}" is not in the project'
        elif s.kind == "section" and guide is None:
            report.needs_guide.append(what)
            continue
        elif s.kind == "section" and target not in sections:
            why = f'the interview guide has no report section "{target}"'
        else:
            why = ""
        old = here.get((s.case, s.kind, target), "")
        if why:
            report.notes_not_imported.append(f"{what}: {why}")
        elif not old.strip():
            store.set_summary(s.case, s.kind, target, s.text, actor)
            report.summaries_added += 1
        elif old != s.text:
            report.conflicts.append(f"{what} differs from the one here; the one here was kept")


def _add_comparison(
    store: Store, ex: ExchangeProject, guide: Guide | None, report: ExchangeReport, actor: str
) -> None:
    categories = {c.id for c in guide.comparison_categories} if guide else set()
    here = store.comparison_notes()
    for category, (likheter, forskjeller) in ex.comparison.items():
        what = f'the Tabell 1 note for "{category}"'
        old = here.get(category)
        if guide is None:
            report.needs_guide.append(what)
        elif category not in categories:
            report.notes_not_imported.append(
                f'{what}: the interview guide has no comparison category "{category}"'
            )
        elif old is None or not (old["likheter"].strip() or old["forskjeller"].strip()):
            store.set_comparison_note(category, likheter, forskjeller, actor)
            report.comparison_added += 1
        elif (old["likheter"], old["forskjeller"]) != (likheter, forskjeller):
            report.conflicts.append(f"{what} differs from the one here; the one here was kept")


def check_exchange_path(path: Path) -> None:
    if not path.is_file():
        raise QualcodeError("no such file", str(path))

"""A project to and from REFI-QDA: the bridge between the store and ``refi.model.ExchangeProject``."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path

from qualcode.anon import check_text
from qualcode.i18n import ui
from qualcode.model import Code, QualcodeError, Transcript
from qualcode.refi.bridge_add import (
    ExchangeReport,
    add_cases,
    add_codings,
    add_comparison,
    add_summaries,
    add_transcripts,
    keep_extras,
    keep_guid,
    needs_guide_line,
)
from qualcode.refi.model import (
    ExchangeProject,
    Summary,
    coding_key,
    guid_for,
    unique,
    valid_color,
)
from qualcode.refi.read import read_qdc, read_qdpx
from qualcode.refi.write import write_qdc, write_qdpx
from qualcode.store import Store
from qualcode.study import Study

# The <Project name> of an imported .qdpx, for exports of a project whose guide gives no title.
PROJECT_NAME_SETTING = "refi-project-name"


def project_name(store: Store, title: str = "") -> str:
    """What an export calls the project: the guide's title, else the name of the project an
    import brought, else the project folder's name."""
    return (
        title.strip()
        or store.settings.get(PROJECT_NAME_SETTING)
        or store.path.resolve().parent.name
    )


def snapshot(
    study: Study,
    name: str,
    coder: str | None = None,
    positions: str = "chars",
) -> ExchangeProject:
    """The whole project (or one coder's codings) as an exchange value; ``name`` as
    ``project_name`` gives it when empty. The guide's report sections and Tabell 1
    categories name the summaries and notes (a study without a guide exports them by id)."""
    store, guide = study.store, study.guide
    coders_here = store.coders.all()
    if coder and coder not in coders_here:
        raise QualcodeError(
            ui('no coder "{coder}" in this project (its coders: {coders})').format(
                coder=coder, coders=", ".join(coders_here) or ui("none yet")
            )
        )
    codings = store.codings.all(coder=coder)
    coders = sorted({c.coder for c in codings} | ({coder} if coder else set(coders_here)))
    guids = store.refi.guids()
    kept = store.codings.refi_guids()
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
    by_id = {c.id: c for c in codings}
    extras = store.refi.extras()
    memos = store.memos.all()
    descriptions = {k: v for k, v in extras.items() if k.startswith(("set:", "variable:"))}
    for row in memos:  # the project's, cases' and transcripts' memos are their descriptions
        if row["kind"] in ("project", "case", "transcript"):
            target = "" if row["kind"] == "project" else row["target"]
            descriptions[f"{row['kind']}:{target}"] = row["text"]
    return ExchangeProject(
        name=project_name(store, name),
        coders=coders,
        codes=store.codes.all(),
        transcripts=store.transcripts.all(),
        codings=codings,
        cases=store.transcripts.cases(),
        guids=guids,
        summaries=[
            Summary(r["case"], r["kind"], r["target"], r["text"], r["updated"], r["author"])
            for r in store.summaries.all()
        ],
        comparison={
            k: (r["likheter"], r["forskjeller"])
            for k, r in store.summaries.comparison_notes().items()
        },
        labels=labels,
        variable_types=store.refi.variable_types(),
        descriptions=descriptions,
        code_memos={r["target"]: r["text"] for r in memos if r["kind"] == "code"},
        uncodable={k.split(":", 1)[1] for k in extras if k.startswith("uncodable:")},
        coding_meta={
            coding_key(by_id[i]): meta
            for i, meta in store.codings.refi_meta().items()
            if i in by_id
        },
        key_quotes=sorted(
            (case, theme, coding_key(by_id[i]))
            for case, theme, i in store.summaries.key_quotes()
            if i in by_id
        ),
        note_dates={
            **{
                f"comparison:{k}": r["updated"]
                for k, r in store.summaries.comparison_notes().items()
            },
            **{f"code-memo:{r['target']}": r["updated"] for r in memos if r["kind"] == "code"},
        },
        positions=positions,
    )


def export_exchange(
    study: Study,
    kind: str,
    path: Path,
    name: str,
    coder: str | None = None,
    positions: str = "chars",
) -> None:
    project = snapshot(study, name, coder, positions)
    (write_qdc if kind == "qdc" else write_qdpx)(project, path)


def _take_colours(
    store: Store, ex: ExchangeProject, code_ids: dict[str, str], added: set[str], actor: str
) -> None:
    """A code the file shares with the project takes the file's colour, kept as chosen: a
    colour set here, exported and brought back (or set in NVivo, ATLAS.ti) comes back."""
    for code in ex.codes:
        here = code_ids.get(code.id)
        colour = code.color.lower()
        if here is None or here in added or not valid_color(colour):
            continue
        current = store.codes.get(here)
        if current is not None and current.color.lower() != colour:
            store.settings.set(f"colour:{here}", colour)
            store.codes.update(here, actor, color=colour)


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


def anonymity_findings(path: Path, transcripts: list[Transcript]) -> list[str]:
    """The anonymity check on imported texts, placed as 'file#transcript, line, column'."""
    return [
        f"{path}#{t.id}, line {f.line}, column {f.column}: possible {f.kind}: {f.text}"
        for t in transcripts
        for f in check_text(t.text)
    ]


def import_exchange(
    study: Study,
    path: Path,
    actor: str = "import",
    *,
    strict: bool = False,
) -> ExchangeReport:
    """Bring a .qdpx or .qdc into the project in one transaction; nothing is overwritten.

    Codes merge as ``match_codes`` says; a transcript already here with the same text is
    reused, one with a different text under the same id is a conflict and its codings stay
    out. New transcripts go through the anonymity check; with ``strict`` a finding refuses
    the whole file. Summaries and Tabell-1 notes need their case, theme or section here
    (sections and notes need the study's guide).
    """
    store, guide = study.store, study.guide
    known = store.codes.all()
    reader = read_qdc if path.suffix.lower() == ".qdc" else read_qdpx
    ex = reader(path, known_codes=known)
    report = ExchangeReport(
        str(path), skipped_sources=list(ex.skipped_sources), notes=list(ex.notes)
    )
    code_ids, new_codes = match_codes(known, store.refi.guids(), ex)
    fresh_texts = [t for t in ex.transcripts if store.transcripts.hash(t.id) is None]
    report.anonymity = anonymity_findings(path, fresh_texts)
    if strict and report.anonymity:
        report.refused = (
            f"{path}: refused by --strict: the anonymity check found "
            f"{len(report.anonymity)} possible identifying details"
        )
        return report
    with store.transaction():
        for code, guid in new_codes:
            store.codes.upsert(code, actor)
            keep_guid(store, "code", code.id, guid)
            report.codes_added.append(code.id)
        _take_colours(store, ex, code_ids, {c.id for c, _ in new_codes}, actor)
        coders_here = set(store.coders.all())
        for name in ex.coders:
            if name not in coders_here:
                store.coders.ensure(name)
                keep_guid(store, "user", name, ex.guid("user", name))
                report.coders_added.append(name)
        cases_before = store.transcripts.cases()
        attributes_before = {k for attrs in cases_before.values() for k in attrs}
        usable = add_transcripts(store, ex, report, actor)
        add_cases(store, ex, report, actor)
        for case in set(store.transcripts.cases()) - set(cases_before):
            keep_guid(store, "case", case, ex.guid("case", case))
        for guided, guid in ex.guids.items():  # a variable or set new to this project
            kind, _, name = guided.partition(":")
            if (kind == "variable" and name not in attributes_before) or kind == "set":
                store.refi.set_guid(kind, name, guid)
        for name, kind in ex.variable_types.items():
            if name not in attributes_before:
                store.refi.set_variable_type(name, kind)
        if path.suffix.lower() == ".qdpx" and ex.name.strip() and not (guide and guide.title):
            if not store.settings.get(PROJECT_NAME_SETTING):  # the first project imported names it
                store.settings.set(PROJECT_NAME_SETTING, ex.name.strip())
        keep_extras(store, ex, code_ids, report, actor)
        add_codings(store, ex, code_ids, usable, report, actor)
        add_summaries(study, ex, code_ids, report, actor)
        add_comparison(study, ex, report, actor)
    if report.needs_guide:
        report.notes_not_imported.append(needs_guide_line(report.needs_guide))
    report.notes_not_imported += [f"{n}: qualcode has no place for it" for n in ex.unattached_notes]
    report.not_imported = [*ex.not_imported, *report.notes_not_imported]
    return report

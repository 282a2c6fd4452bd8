"""Adding what an exchange file brought to the store: transcripts, cases (those without
sources too), codings with their exact spans, users and dates, memos, key quotes,
summaries, Tabell-1 notes and what qualcode keeps only to give back (descriptions, codes
that are not codable). ``bridge.import_exchange`` calls these in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from qualcode.i18n import ui
from qualcode.model import Coding, text_hash
from qualcode.refi.model import ExchangeProject, coding_key, guid_for
from qualcode.store import Store
from qualcode.study import Study


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
    key_quotes_added: int = 0
    memos_added: int = 0  # of the project, cases, transcripts and codes
    cases_added: list[str] = field(default_factory=list)  # cases without a transcript here
    comparison_added: int = 0
    skipped_sources: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    notes_not_imported: list[str] = field(default_factory=list)
    # Section summaries and Tabell-1 notes left out because the project has no guide: one
    # line in notes_not_imported says so, these name each one (for --json).
    needs_guide: list[str] = field(default_factory=list)
    anonymity: list[str] = field(default_factory=list)
    # Every element of the file qualcode did not keep, one line each (notes and what only a
    # guide can place included): nothing leaves an import without a word.
    not_imported: list[str] = field(default_factory=list)
    refused: str = ""  # set when --strict refused the file; then nothing was written

    def to_json(self) -> dict[str, object]:
        return dict(self.__dict__)


def keep_guid(store: Store, kind: str, key: str, guid: str) -> None:
    if guid and guid != guid_for(kind, key):
        store.refi.set_guid(kind, key, guid)


def needs_guide_line(left_out: list[str]) -> str:
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


def add_transcripts(
    store: Store, ex: ExchangeProject, report: ExchangeReport, actor: str
) -> dict[str, str]:
    """Add the exchange's transcripts; returns id -> text of those its codings may use."""
    usable: dict[str, str] = {}
    for t in ex.transcripts:
        if t.case and t.case in ex.cases:
            t = replace(t, attributes={**ex.cases[t.case], **t.attributes})
        elif not t.case:
            t = replace(t, attributes={})  # without a case, its own values are its metadata
        old = store.transcripts.hash(t.id)
        if old is None:
            store.transcripts.add(t, actor=actor)
            keep_guid(store, "transcript", t.id, ex.guid("transcript", t.id))
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


def add_cases(store: Store, ex: ExchangeProject, report: ExchangeReport, actor: str) -> None:
    """Cases the file names without any source here (QualCoder's export lists no sources of
    a case): added with their attributes, so no case and no value is dropped."""
    here = store.transcripts.cases()
    for name, attributes in ex.cases.items():
        if name not in here:
            store.transcripts.upsert_case(name, attributes, actor)
            report.cases_added.append(name)


def keep_extras(
    store: Store, ex: ExchangeProject, code_ids: dict[str, str], report: ExchangeReport, actor: str
) -> None:
    """Descriptions of the project, cases and transcripts become their memos, a code's notes
    its memo (a memo already here is kept; a different one is named as a conflict); set and
    variable descriptions and codes that are not codable are kept to be given back."""
    memos: dict[tuple[str, str], str] = {}
    for key, text in ex.descriptions.items():
        kind, _, name = key.partition(":")
        if kind in ("project", "case", "transcript"):
            memos[(kind, "project" if kind == "project" else name)] = text
        else:
            store.refi.set_extra(kind, name, text)
    for code, text in ex.code_memos.items():
        memos[("code", code_ids.get(code, code))] = text
    for (kind, target), text in memos.items():
        here = store.memos.get(kind, target)
        if not here.strip():
            store.memos.set(kind, target, text, actor)
            report.memos_added += 1
        elif here.strip() != text.strip():
            report.conflicts.append(
                f'the memo of {kind} "{target}" differs from the one here; the one here was kept'
            )
    for code in ex.uncodable:
        store.refi.set_extra("uncodable", code_ids.get(code, code), "true")


def add_codings(
    store: Store,
    ex: ExchangeProject,
    code_ids: dict[str, str],
    usable: dict[str, str],
    report: ExchangeReport,
    actor: str,
) -> None:
    """The file's codings, at exactly the spans it gave (no whitespace trimmed), with the
    users and dates of their selections kept; then the key quotes among them."""
    existing = {(c.transcript, c.start, c.end, c.code, c.coder) for c in store.codings.all()}
    fresh: list[Coding] = []
    theirs: list[str] = []  # each fresh coding's key in the file
    for c in ex.codings:
        if c.transcript not in usable:
            report.codings_skipped += 1
            continue
        text = usable[c.transcript]
        start, end = max(0, c.start), min(len(text), c.end)
        if start >= end:
            report.codings_skipped += 1
            report.notes.append(
                ui("{transcript} {start}-{end}: an empty selection was skipped").format(
                    transcript=c.transcript, start=c.start, end=c.end
                )
            )
            continue
        coding = replace(
            c,
            code=code_ids.get(c.code, c.code),
            start=start,
            end=end,
            quote=text[start:end],
            text_hash=text_hash(text),
            created=_stored_date(c.created),
            id=None,
        )
        span = (coding.transcript, coding.start, coding.end, coding.code, coding.coder)
        if span in existing:
            report.codings_skipped += 1
            continue
        existing.add(span)
        fresh.append(coding)
        theirs.append(coding_key(c))
    saved = store.codings.add_many(fresh, actor)
    ids: dict[str, int] = {}
    for coding, their_key in zip(saved, theirs, strict=True):
        assert coding.id is not None
        ids[their_key] = coding.id
        selection = ex.guid("selection", their_key)
        own = ex.guid("coding", their_key)
        memo_guid = ex.guids.get(f"memo:{own}")  # its memo's note, keyed by the coding's GUID
        if memo_guid and coding.memo:
            store.refi.set_guid("memo", own, memo_guid)
        key = coding_key(coding)
        selection = "" if selection == guid_for("selection", key) else selection
        own = "" if own == guid_for("coding", key) else own
        if selection or own:
            store.codings.set_refi_guids(coding.id, selection, own)
        if their_key in ex.coding_meta:
            store.codings.set_refi_meta(coding.id, ex.coding_meta[their_key])
    report.codings_added = len(saved)
    cases = set(store.transcripts.cases())
    for case, theme, their_key in ex.key_quotes:
        if their_key in ids and case in cases:
            store.summaries.set_key_quote(
                case, code_ids.get(theme, theme), ids[their_key], True, actor
            )
            report.key_quotes_added += 1


def _stored_date(value: str) -> str:
    """A file's date as the store writes its own (``…+00:00``), or as it was if not a date."""
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00")).isoformat()
    except ValueError:
        return value


def add_summaries(
    study: Study,
    ex: ExchangeProject,
    code_ids: dict[str, str],
    report: ExchangeReport,
    actor: str,
) -> None:
    store, guide = study.store, study.guide
    cases = set(store.transcripts.cases())
    sections = {s.id for s in guide.report_sections} if guide else set()
    here = {(r["case"], r["kind"], r["target"]): r["text"] for r in store.summaries.all()}
    for s in ex.summaries:
        target = code_ids.get(s.target, s.target) if s.kind == "theme" else s.target
        what = f'the summary of "{s.case}" for {s.kind} "{target}"'
        if s.case not in cases:
            why = f'case "{s.case}" is not in the project'
        elif s.kind == "theme" and store.codes.get(target) is None:
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
            store.summaries.set(s.case, s.kind, target, s.text, actor)
            report.summaries_added += 1
        elif old != s.text:
            report.conflicts.append(f"{what} differs from the one here; the one here was kept")


def add_comparison(study: Study, ex: ExchangeProject, report: ExchangeReport, actor: str) -> None:
    store, guide = study.store, study.guide
    categories = {c.id for c in guide.comparison_categories} if guide else set()
    here = store.summaries.comparison_notes()
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
            store.summaries.set_comparison_note(category, likheter, forskjeller, actor)
            report.comparison_added += 1
        elif (old["likheter"], old["forskjeller"]) != (likheter, forskjeller):
            report.conflicts.append(f"{what} differs from the one here; the one here was kept")

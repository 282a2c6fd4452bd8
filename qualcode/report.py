"""From codings and summaries to the report's shapes, as plain values (no I/O, no formats).

The exporters and the TUI screens render what is built here: the framework matrix
(case × theme), the per-case summary document (the seed report's section 3.1) and the
cross-case comparison table (its Tabell 1). Everything is sorted so that the same
project gives the same values, and so the same files.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from typing import Any

from qualcode import scope as sc
from qualcode.i18n import ui
from qualcode.model import Code, Coding, Guide, QualcodeError, Transcript, descendants
from qualcode.scope import Scope
from qualcode.store import Store
from qualcode.study import Study

NO_SIZE = "(uten størrelse)"  # the group of cases whose size is missing or not in the guide
NO_SUMMARY = "Ingen oppsummering ennå – kodede utsagn:"
NOTHING_YET = "Ingen oppsummering eller kodede utsagn ennå."


@dataclass(frozen=True)
class Segment:
    """One coded segment as the report shows it: the quote and where it came from."""

    coding_id: int
    case: str
    transcript: str
    code: str
    theme: str
    coder: str
    quote: str
    speaker: str = ""
    timestamp: str = ""  # "[00:12:03]" when the turn has a time, else ""
    turn: int = 0  # 1-based turn number, the fallback source
    key: bool = False  # marked as a key quote of its (case, theme)
    start: int = 0  # the coded span in the transcript's text
    end: int = 0
    codings: tuple[int, ...] = ()  # a passage's codings (every coder's, merged)

    @property
    def source(self) -> str:
        """``transcript, speaker, [hh:mm:ss]`` (or ``tur n`` when there is no time)."""
        where = self.timestamp or f"tur {self.turn}"
        return ", ".join(p for p in (self.transcript, self.speaker, where) if p)


@dataclass(frozen=True)
class ThemeRef:
    id: str
    name: str


@dataclass
class MatrixCell:
    """One (case, theme): its codings in scope, merged into passages, and its figure."""

    case: str
    theme: str
    segments: list[Segment] = field(default_factory=list)  # one per coding in scope
    summary: str = ""
    passages: list[Segment] = field(default_factory=list)  # one per merged passage
    count: int = 0  # the figure the scope's counting gives
    key_quotes: list[Segment] = field(default_factory=list)  # marked words in a passage


@dataclass
class Matrix:
    """Case × theme: rows grouped by size in the guide's order, columns in guide order."""

    themes: list[ThemeRef]
    groups: list[tuple[str, list[str]]]  # (size, case names)
    cells: dict[tuple[str, str], MatrixCell]
    attribute: str = "size"
    attribute_name: str = ""  # the guide's name for it, e.g. "Kommunestørrelse"
    scope: Scope | None = None  # whose codings the counts stand on, and how they count
    scope_line: str = ""  # the same in the guide's language, for the line under a title

    @property
    def attribute_label(self) -> str:
        """The grouping column's heading: the guide's name for the attribute, else its id."""
        return self.attribute_name or self.attribute

    @property
    def cases(self) -> list[str]:
        return [case for _, cases in self.groups for case in cases]

    def cell(self, case: str, theme: str) -> MatrixCell:
        return self.cells[(case, theme)]


@dataclass
class ThemeBlock:
    theme: ThemeRef
    summary: str
    key_quotes: list[Segment]
    coded: list[Segment]  # every coded quote, shown only where there is no summary


@dataclass
class SectionBlock:
    id: str
    title: str  # the report section's question
    summary: str
    themes: list[ThemeBlock]  # only themes with something to show

    @property
    def empty(self) -> bool:
        return not self.summary and not self.themes


@dataclass
class CaseChapter:
    case: str
    size: str
    sections: list[SectionBlock]


@dataclass
class ComparisonRow:
    id: str
    name: str
    likheter: str
    forskjeller: str
    evidence: list[tuple[str, int, int]]  # (size group, cases with codings, cases in group)
    cases: list[str]  # the cases with codings, in matrix order
    # side ("likheter", "forskjeller") -> the cases whose passages the user linked to it
    support: dict[str, list[str]] = field(default_factory=dict)

    @property
    def evidence_text(self) -> str:
        return " · ".join(f"{group} {n}/{total}" for group, n, total in self.evidence)


SIDES = ("likheter", "forskjeller")  # the two notes of a Tabell 1 row


def linked_cases(store: Store, order: list[str]) -> dict[tuple[str, str], list[str]]:
    """(category, side) -> the cases of the codings linked to it, in ``order`` (the
    matrix's), each once. A link stands whoever coded the passage: it is the analyst's
    pointer to the words that bear a likhet or forskjell out."""
    links = store.summaries.comparison_links()
    if not links:
        return {}
    case_of = store.transcripts.cases_by_id()
    rank = {case: i for i, case in enumerate(order)}
    out: dict[tuple[str, str], list[str]] = {}
    for key, ids in links.items():
        cases = set()
        for coding_id in ids:
            coding = store.codings.get(coding_id)
            case = case_of.get(coding.transcript) if coding else None
            if case:
                cases.add(case)
        out[key] = sorted(cases, key=lambda c: (rank.get(c, len(rank)), c))
    return out


# scope and structure -----------------------------------------------------------------
def report_guide(study: Study) -> Guide:
    """The study's guide, which a report (its sections, its categories) follows."""
    if study.guide is None:
        raise QualcodeError(
            ui("this project has no interview guide; the report follows its sections")
        )
    return study.guide


def resolve_scope(study: Study, scope: Scope | None) -> Scope:
    """The scope given, or the default one (the complete consensus, else all coders)."""
    return scope if scope is not None else sc.default_scope(study)


def theme_of(codes: list[Code]) -> dict[str, str]:
    """Each code id -> the id of the theme (root) it sits under; a theme maps to itself."""
    parents = {c.id: c.parent for c in codes}
    out: dict[str, str] = {}
    for code_id in parents:
        node, seen = code_id, set()
        while parents.get(node) and node not in seen:  # guard against a cycle
            seen.add(node)
            node = parents[node]  # type: ignore[assignment]
        out[code_id] = node
    return out


def themes(guide: Guide | None, codes: list[Code]) -> list[ThemeRef]:
    """The guide's themes in its order, then any other root codes of the codebook by name."""
    out = [ThemeRef(t.id, t.name) for t in guide.themes] if guide else []
    known = {t.id for t in out}
    extra = sorted(
        (c for c in codes if c.parent is None and c.id not in known), key=lambda c: c.name
    )
    return out + [ThemeRef(c.id, c.name) for c in extra]


def size_groups(study: Study) -> tuple[str, list[tuple[str, list[str]]]]:
    """(grouping attribute, [(size, cases by name)]) with sizes in the guide's order.

    Cases whose size is missing or unknown come last, under ``NO_SIZE``; empty groups
    are left out.
    """
    store, guide = study.store, study.guide
    attribute = guide.case_attributes[0] if guide and guide.case_attributes else None
    key = attribute.id if attribute else "size"
    order = list(attribute.values) if attribute else []
    cases = store.transcripts.cases()
    groups: dict[str, list[str]] = {value: [] for value in order}
    for name in sorted(cases):
        value = cases[name].get(key, "")
        groups.setdefault(value if value in order else NO_SIZE, []).append(name)
    ordered = [(g, groups[g]) for g in [*order, NO_SIZE] if groups.get(g)]
    return key, ordered


# segments -----------------------------------------------------------------------------
def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _locate(transcript: Transcript, offset: int) -> tuple[str, str, int]:
    """(speaker, "[hh:mm:ss]" or "", 1-based turn number) of the turn holding ``offset``."""
    if not transcript.turns:
        return "", "", 0
    starts = [t.start for t in transcript.turns]
    i = max(bisect_right(starts, offset) - 1, 0)
    turn = transcript.turns[i]
    stamp = ""
    if turn.timestamp is not None:
        s = int(turn.timestamp)
        stamp = f"[{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}]"
    return turn.speaker, stamp, i + 1


def _segment(
    transcript: Transcript, span: tuple[int, int], code: str, theme: str, coder: str, **kw: Any
) -> Segment:
    assert transcript.case is not None
    speaker, stamp, turn = _locate(transcript, span[0])
    quote = kw.pop("quote", "") or transcript.text[span[0] : span[1]]
    return Segment(
        kw.pop("coding_id", 0),
        transcript.case,
        transcript.id,
        code,
        theme,
        coder,
        _one_line(quote),
        speaker,
        stamp,
        turn,
        kw.pop("key", False),
        span[0],
        span[1],
        **kw,
    )


def segments(store: Store, scope: Scope | None = None) -> list[Segment]:
    """Every coding in scope (``None``: every coder's) in a transcript with a case."""
    roots = theme_of(store.codes.all())
    keys = {(case, coding_id) for case, _theme, coding_id in store.summaries.key_quotes()}
    coders = set(scope.coders) if scope is not None else None
    out: list[Segment] = []
    for transcript in store.transcripts.all():
        if not transcript.case:
            continue  # a transcript that belongs to no case has no row in the matrix
        for c in store.codings.all(transcript=transcript.id):
            if coders is not None and c.coder not in coders:
                continue
            assert c.id is not None
            out.append(
                _segment(
                    transcript,
                    (c.start, c.end),
                    c.code,
                    roots.get(c.code, c.code),
                    c.coder,
                    coding_id=c.id,
                    quote=c.quote,
                    key=(transcript.case, c.id) in keys,
                )
            )
    return out


def unique_spans(segs: list[Segment]) -> list[Segment]:
    """One segment per coded span, in first-seen order.

    Two coders (or two sub-codes of one theme) on the same words would print the same
    quote twice in the report; the span is shown once, as a key quote when any of its
    codings is marked as one.
    """
    first: dict[tuple[str, int, int], int] = {}
    out: list[Segment] = []
    for seg in segs:
        span = (seg.transcript, seg.start, seg.end)
        if span not in first:
            first[span] = len(out)
            out.append(seg)
        elif seg.key and not out[first[span]].key:
            out[first[span]] = replace(out[first[span]], key=True)
    return out


def _summaries(store: Store) -> dict[tuple[str, str, str], str]:
    """(case, kind, target) -> text, without blank ones."""
    return {
        (r["case"], r["kind"], r["target"]): r["text"]
        for r in store.summaries.all()
        if r["text"].strip()
    }


# the three documents ------------------------------------------------------------------
def build_matrix(study: Study, scope: Scope | None = None) -> Matrix:
    """The framework matrix for ``scope`` (default: see ``scope.default_scope``): each cell
    the passages of its theme (any code under it) by the coders in scope, counted as the
    scope says."""
    store, guide = study.store, study.guide
    scope = resolve_scope(study, scope)
    attribute, groups = size_groups(study)
    columns = themes(guide, store.codes.all())
    texts = _summaries(store)
    cells = {
        (case, t.id): MatrixCell(case, t.id, summary=texts.get((case, "theme", t.id), ""))
        for _, cases in groups
        for case in cases
        for t in columns
    }
    for seg in segments(store, scope):
        cell = cells.get((seg.case, seg.theme))
        if cell is not None:
            cell.segments.append(seg)
    _fill_passages(store, cells, scope)
    name = guide.case_attributes[0].name if guide and guide.case_attributes else ""
    return Matrix(columns, groups, cells, attribute, name, scope, scope.line(study.language))


def _fill_passages(store: Store, cells: dict[tuple[str, str], MatrixCell], scope: Scope) -> None:
    """Each cell's segments merged into passages, and its key quotes: the words marked as
    one in that cell (on any coder's coding: a mark is on the text) that lie in a passage
    in scope, each marked span once, quoted as marked. A passage holding one is key."""
    marked: dict[tuple[str, str], list[Coding]] = {}
    by_id = {c.id: c for c in store.codings.all()}
    for case, theme, coding_id in sorted(store.summaries.key_quotes()):
        c = by_id.get(coding_id)
        if c is not None:
            marked.setdefault((case, theme), []).append(c)
    texts: dict[str, Transcript] = {}
    for cell in cells.values():
        if not cell.segments:
            continue
        seg_of = {s.coding_id: s for s in cell.segments}
        for t in {s.transcript for s in cell.segments}:
            texts.setdefault(t, store.transcripts.get(t))
        passages = sc.merge_passages(by_id[i] for i in seg_of)
        marks = marked.get((cell.case, cell.theme), [])
        quoted: set[tuple[str, int, int]] = set()
        for p in passages:
            coders = ", ".join(p.coders)
            inside = [
                c
                for c in marks
                if c.transcript == p.transcript and c.start < p.end and c.end > p.start
            ]
            key = bool(inside)
            for c in inside:
                if (c.transcript, c.start, c.end) not in quoted:
                    quoted.add((c.transcript, c.start, c.end))
                    cell.key_quotes.append(
                        _segment(
                            texts[p.transcript],
                            (c.start, c.end),
                            c.code,
                            cell.theme,
                            c.coder,
                            coding_id=c.id or 0,
                            quote=c.quote,
                            key=True,
                        )
                    )
            ids = tuple(c.id or 0 for c in p.codings)
            cell.passages.append(
                _segment(
                    texts[p.transcript],
                    (p.start, p.end),
                    cell.theme,
                    cell.theme,
                    coders,
                    coding_id=ids[0],
                    key=key,
                    codings=ids,
                )
            )
        cell.count = sc.count(passages, scope.count, texts)


def build_summaries(study: Study, scope: Scope | None = None) -> list[CaseChapter]:
    """A chapter per case (size order, then name), a section per report section; a theme's
    coded quotes and key quotes are its passages in scope, each stretch of text once."""
    guide = report_guide(study)
    matrix = build_matrix(study, scope)
    names = {t.id: t for t in matrix.themes}
    texts = _summaries(study.store)
    chapters: list[CaseChapter] = []
    for size, cases in matrix.groups:
        for case in cases:
            sections: list[SectionBlock] = []
            for section in guide.report_sections:
                blocks: list[ThemeBlock] = []
                for theme_id in section.themes:
                    ref = names.get(theme_id, ThemeRef(theme_id, theme_id))
                    cell = matrix.cells.get((case, theme_id), MatrixCell(case, theme_id))
                    if cell.summary or cell.passages:
                        blocks.append(
                            ThemeBlock(ref, cell.summary, cell.key_quotes, list(cell.passages))
                        )
                sections.append(
                    SectionBlock(
                        section.id,
                        section.title,
                        texts.get((case, "section", section.id), ""),
                        blocks,
                    )
                )
            chapters.append(CaseChapter(case, size, sections))
    return chapters


def build_comparison(study: Study, scope: Scope | None = None) -> list[ComparisonRow]:
    """Tabell 1: per category its notes and which cases, by size group, have a passage of
    its codes in scope."""
    store, guide = study.store, report_guide(study)
    scope = resolve_scope(study, scope)
    _, groups = size_groups(study)
    codes = store.codes.all()
    notes = store.summaries.comparison_notes()
    by_case: dict[str, set[str]] = {}
    for seg in segments(store, scope):
        by_case.setdefault(seg.case, set()).add(seg.code)
    rows: list[ComparisonRow] = []
    support = linked_cases(store, [case for _, cases in groups for case in cases])
    for cat in guide.comparison_categories:
        wanted = descendants(codes, cat.codes)
        evidence, hits = [], []
        for size, cases in groups:
            with_codings = [c for c in cases if by_case.get(c, set()) & wanted]
            evidence.append((size, len(with_codings), len(cases)))
            hits.extend(with_codings)
        note = notes.get(cat.id, {})
        rows.append(
            ComparisonRow(
                cat.id,
                cat.name,
                note.get("likheter", ""),
                note.get("forskjeller", ""),
                evidence,
                hits,
                {side: support[(cat.id, side)] for side in SIDES if support.get((cat.id, side))},
            )
        )
    return rows


def codings_table(
    study: Study, scope: Scope | None = None
) -> tuple[list[str], list[dict[str, Any]]]:
    """Every coding in scope, one row each (for all coders: every coder's row, so a passage
    two coders coded is two rows), with the case's attributes as columns (tidy)."""
    store, guide = study.store, study.guide
    scope = resolve_scope(study, scope)
    _, groups = size_groups(study)
    order = {case: i for i, (_, cases) in enumerate(groups) for case in cases}
    cases = store.transcripts.cases()
    attr_keys = [a.id for a in guide.case_attributes] if guide else []
    attr_keys += sorted({k for a in cases.values() for k in a} - set(attr_keys))
    names = {c.id: c.name for c in store.codes.all()}
    codings = {c.id: c for c in sc.codings_in(store, scope)}
    rows = []
    for seg in segments(store, scope):
        coding = codings[seg.coding_id]
        row: dict[str, Any] = {"case": seg.case}
        row.update({k: cases.get(seg.case, {}).get(k, "") for k in attr_keys})
        row.update(
            {
                "transcript": seg.transcript,
                "coder": seg.coder,
                "theme": seg.theme,
                "theme_name": names.get(seg.theme, seg.theme),
                "code": seg.code,
                "code_name": names.get(seg.code, seg.code),
                "speaker": seg.speaker,
                "timestamp": seg.timestamp.strip("[]"),
                "turn": seg.turn,
                "start": coding.start,
                "end": coding.end,
                "key_quote": int(seg.key),
                "quote": seg.quote,
                "memo": coding.memo,
            }
        )
        rows.append(row)
    rows.sort(
        key=lambda r: (
            order.get(r["case"], len(order)),
            r["case"],
            r["transcript"],
            r["start"],
            r["end"],
            r["code"],
            r["coder"],
        )
    )
    columns = [
        "case",
        *attr_keys,
        "transcript",
        "coder",
        "theme",
        "theme_name",
        "code",
        "code_name",
        "speaker",
        "timestamp",
        "turn",
        "start",
        "end",
        "key_quote",
        "quote",
        "memo",
    ]
    return columns, rows


def summary_start(text: str, width: int = 40) -> str:
    """The first ``width`` characters of a summary on one line, with … when cut."""
    line = _one_line(text)
    return line if len(line) <= width else line[: width - 1].rstrip() + "…"

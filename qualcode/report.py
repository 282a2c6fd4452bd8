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

from qualcode.codings_io import coder_problem
from qualcode.consensus.coding_set import consensus_coder, progress_note
from qualcode.model import Code, Guide, QualcodeError, Transcript, descendants
from qualcode.store import Store

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
    case: str
    theme: str
    segments: list[Segment] = field(default_factory=list)
    summary: str = ""

    @property
    def count(self) -> int:
        return len(self.segments)


@dataclass
class Matrix:
    """Case × theme: rows grouped by size in the guide's order, columns in guide order."""

    themes: list[ThemeRef]
    groups: list[tuple[str, list[str]]]  # (size, case names)
    cells: dict[tuple[str, str], MatrixCell]
    attribute: str = "size"
    attribute_name: str = ""  # the guide's name for it, e.g. "Kommunestørrelse"

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
    links = store.comparison_links()
    if not links:
        return {}
    case_of = store.transcript_cases()
    rank = {case: i for i, case in enumerate(order)}
    out: dict[tuple[str, str], list[str]] = {}
    for key, ids in links.items():
        cases = set()
        for coding_id in ids:
            coding = store.coding(coding_id)
            case = case_of.get(coding.transcript) if coding else None
            if case:
                cases.add(case)
        out[key] = sorted(cases, key=lambda c: (rank.get(c, len(rank)), c))
    return out


# coders and structure -----------------------------------------------------------------
def check_coder(store: Store, coder: str | None) -> None:
    """Refuse a coder with no codings: a mistyped name would give an empty report."""
    if not coder:
        return
    problem = coder_problem(coder, list(store.codings_per_coder()))
    if problem:
        raise QualcodeError(problem)


ALL_CODERS = "all"  # --coder all: back to every coder's codings once a consensus exists


def select_coders(store: Store, coder: str | None = None) -> str | None:
    """The coder whose codings a report uses: the one asked for (who must have codings),
    else the consensus coder when it has codings (the units both coders agreed on plus the
    decided disagreements, see ``consensus.coding_set``), else ``None`` (all coders)."""
    if coder and coder.casefold() == ALL_CODERS and coder not in store.codings_per_coder():
        return None  # "--coder all": every coder's codings, consensus or not
    if coder:
        check_coder(store, coder)
        return coder
    consensus = consensus_coder(store)
    return consensus if store.codings(coder=consensus) else None


def describe_coders(store: Store, chosen: str | None) -> str:
    """Whose codings a report holds, in words: ``anna`` or ``all coders: anna, bjorn``."""
    if chosen:
        return chosen
    return "all coders: " + (", ".join(sorted(store.codings_per_coder())) or "none yet")


def coder_note(store: Store, chosen: str | None, lang: str) -> str | None:
    """When a report uses the consensus coder, one sentence on how complete it is (how many
    disagreements are decided; the undecided are not in it), else None."""
    if chosen is not None and chosen == consensus_coder(store):
        return progress_note(store, lang)
    return None


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


def size_groups(store: Store, guide: Guide | None) -> tuple[str, list[tuple[str, list[str]]]]:
    """(grouping attribute, [(size, cases by name)]) with sizes in the guide's order.

    Cases whose size is missing or unknown come last, under ``NO_SIZE``; empty groups
    are left out.
    """
    attribute = guide.case_attributes[0] if guide and guide.case_attributes else None
    key = attribute.id if attribute else "size"
    order = list(attribute.values) if attribute else []
    cases = store.cases()
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


def segments(store: Store, coder: str | None = None) -> list[Segment]:
    """Every coding of ``coder`` (``None``: all) in a transcript with a case, as a Segment."""
    roots = theme_of(store.codes())
    keys = {(case, coding_id) for case, _theme, coding_id in store.key_quotes()}
    out: list[Segment] = []
    for transcript in store.transcripts():
        if not transcript.case:
            continue  # a transcript that belongs to no case has no row in the matrix
        for c in store.codings(transcript=transcript.id, coder=coder):
            assert c.id is not None
            speaker, stamp, turn = _locate(transcript, c.start)
            quote = _one_line(c.quote or transcript.text[c.start : c.end])
            out.append(
                Segment(
                    c.id,
                    transcript.case,
                    transcript.id,
                    c.code,
                    roots.get(c.code, c.code),
                    c.coder,
                    quote,
                    speaker,
                    stamp,
                    turn,
                    (transcript.case, c.id) in keys,
                    c.start,
                    c.end,
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
        for r in store.summaries()
        if r["text"].strip()
    }


# the three documents ------------------------------------------------------------------
def build_matrix(store: Store, guide: Guide | None, coder: str | None = None) -> Matrix:
    """The framework matrix; ``coder`` as given (use ``select_coders`` for the default)."""
    attribute, groups = size_groups(store, guide)
    columns = themes(guide, store.codes())
    texts = _summaries(store)
    cells = {
        (case, t.id): MatrixCell(case, t.id, summary=texts.get((case, "theme", t.id), ""))
        for _, cases in groups
        for case in cases
        for t in columns
    }
    for seg in segments(store, coder):
        cell = cells.get((seg.case, seg.theme))
        if cell is not None:
            cell.segments.append(seg)
    name = guide.case_attributes[0].name if guide and guide.case_attributes else ""
    return Matrix(columns, groups, cells, attribute, name)


def build_summaries(store: Store, guide: Guide, coder: str | None = None) -> list[CaseChapter]:
    """A chapter per case (size order, then name), a section per report section."""
    matrix = build_matrix(store, guide, coder)
    names = {t.id: t for t in matrix.themes}
    texts = _summaries(store)
    marked = store.key_quotes()
    chapters: list[CaseChapter] = []
    for size, cases in matrix.groups:
        for case in cases:
            sections: list[SectionBlock] = []
            for section in guide.report_sections:
                blocks: list[ThemeBlock] = []
                for theme_id in section.themes:
                    ref = names.get(theme_id, ThemeRef(theme_id, theme_id))
                    cell = matrix.cells.get((case, theme_id), MatrixCell(case, theme_id))
                    keyed = [
                        replace(s, key=True)
                        for s in cell.segments
                        if (case, theme_id, s.coding_id) in marked
                    ]
                    if cell.summary or cell.segments:
                        blocks.append(
                            ThemeBlock(
                                ref, cell.summary, unique_spans(keyed), unique_spans(cell.segments)
                            )
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


def build_comparison(store: Store, guide: Guide, coder: str | None = None) -> list[ComparisonRow]:
    """Tabell 1: per category its notes and which cases, by size group, have codings of it."""
    _, groups = size_groups(store, guide)
    codes = store.codes()
    notes = store.comparison_notes()
    by_case: dict[str, set[str]] = {}
    for seg in segments(store, coder):
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
    store: Store, guide: Guide | None, coder: str | None = None
) -> tuple[list[str], list[dict[str, Any]]]:
    """Every coded segment, one row each, with the case's attributes as columns (tidy)."""
    _, groups = size_groups(store, guide)
    order = {case: i for i, (_, cases) in enumerate(groups) for case in cases}
    cases = store.cases()
    attr_keys = [a.id for a in guide.case_attributes] if guide else []
    attr_keys += sorted({k for a in cases.values() for k in a} - set(attr_keys))
    names = {c.id: c.name for c in store.codes()}
    codings = {c.id: c for c in store.codings(coder=coder)}
    rows = []
    for seg in segments(store, coder):
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

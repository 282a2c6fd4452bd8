"""The agreement report for a methods section: Markdown, CSV and Word tables."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from qualcode.agreement.statistics import Stats
from qualcode.agreement.units import AgreementReport
from qualcode.agreement.verdicts import RELIABLE, TENTATIVE, verdict
from qualcode.model import plural

COLUMNS = [
    "scope",
    "name",
    "cohen_kappa",
    "krippendorff_alpha",
    "percent_agreement",
    "both",
    "only_a",
    "only_b",
    "neither",
    "n_decisions",
    "verdict",
]


def rows(report: AgreementReport, names: dict[str, str]) -> list[dict[str, object]]:
    """One row per code, per transcript, and overall, in that order."""

    def row(scope: str, name: str, s: Stats) -> dict[str, object]:
        return {
            "scope": scope,
            "name": name,
            "cohen_kappa": s.cohen_kappa,
            "krippendorff_alpha": s.krippendorff_alpha,
            "percent_agreement": s.percent_agreement,
            "both": s.both,
            "only_a": s.only_a,
            "only_b": s.only_b,
            "neither": s.neither,
            "n_decisions": s.n_decisions,
            "verdict": verdict(s),
        }

    out = [row("code", names.get(c, c), s) for c, s in report.per_code.items()]
    out += [row("transcript", t, s) for t, s in report.per_transcript.items()]
    out.append(row("overall", "Overall", report.overall))
    return out


def _fmt(value: object, percent: bool = False) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{100 * value:.1f} %" if percent else f"{value:.3f}"
    return str(value)


def scope_text(report: AgreementReport, names: dict[str, str]) -> str:
    """The report's scope in words: which transcripts, turns and codes it covers."""
    tids = list(report.per_transcript)
    covered = report.coverage
    transcripts = covered.transcripts_words() if covered else plural(len(tids), "transcript")
    if len(tids) <= 6:
        transcripts += f" ({', '.join(tids)})" if tids else ""
    if covered is not None:
        turns = covered.turns_words()
    else:
        turns = (
            "informant turns only (the interviewer's left out)"
            if report.informant_only
            else "all turns"
        )
    listed = ", ".join(names.get(c, c) for c in report.per_code)
    codes = f"the codes chosen ({listed})" if report.codes_given else "every code either coder used"
    return f"Scope: {transcripts}; {turns}; {codes}."


def _intro(report: AgreementReport, names: dict[str, str]) -> str:
    a, b = report.coders
    notes = "".join(f" {n[0].upper()}{n[1:]}." for n in report.notes)
    return (
        f"Agreement between coder A ({a}) and coder B ({b}), {report.unit} units "
        f"(n = {report.n_units}); a code is present in a unit when a coding of it overlaps "
        f"the unit by at least one non-whitespace character. {scope_text(report, names)}"
        f"{notes} Krippendorff's alpha (nominal) >= {RELIABLE:.3f} is read as reliable, "
        f">= {TENTATIVE:.3f} as tentative."
    )


def _table(items: list[dict[str, object]]) -> list[list[str]]:
    return [
        [
            str(r["name"]),
            _fmt(r["cohen_kappa"]),
            _fmt(r["krippendorff_alpha"]),
            _fmt(r["percent_agreement"], True),
            str(r["both"]),
            str(r["only_a"]),
            str(r["only_b"]),
            str(r["neither"]),
            str(r["verdict"]),
        ]
        for r in items
    ]


HEADER = [
    "",
    "Cohen's κ",
    "Krippendorff's α",
    "Agreement",
    "Both",
    "Only A",
    "Only B",
    "Neither",
    "Reading",
]


def to_markdown(report: AgreementReport, names: dict[str, str]) -> str:
    all_rows = rows(report, names)
    lines = ["# Intercoder agreement", "", _intro(report, names)]
    for title, scope in (
        ("Per code", "code"),
        ("Per transcript", "transcript"),
        ("Overall", "overall"),
    ):
        lines += [
            "",
            f"## {title}",
            "",
            "| " + " | ".join(HEADER) + " |",
            "|" + "|".join(["---"] + ["---:"] * 7 + ["---"]) + "|",
        ]
        lines += [
            "| " + " | ".join(cells) + " |"
            for cells in _table([r for r in all_rows if r["scope"] == scope])
        ]
    return "\n".join(lines) + "\n"


# Each CSV row says what it measured, so a table read on its own keeps its scope.
CONTEXT_COLUMNS = ["unit", "coder_a", "coder_b", "informant_only", "scope_note"]


def to_csv(report: AgreementReport, names: dict[str, str]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS + CONTEXT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    context = {
        "unit": report.unit,
        "coder_a": report.coders[0],
        "coder_b": report.coders[1],
        "informant_only": "yes" if report.informant_only else "no",
        "scope_note": scope_text(report, names),
    }
    for r in rows(report, names):
        writer.writerow({**{k: ("" if v is None else v) for k, v in r.items()}, **context})
    return buf.getvalue()


def write_docx(report: AgreementReport, names: dict[str, str], path: Path) -> None:
    import docx

    from qualcode.exporters.docx_table import add_table

    document = docx.Document()
    document.add_heading("Intercoder agreement", level=1)
    document.add_paragraph(_intro(report, names))
    all_rows = rows(report, names)
    for title, scope in (
        ("Per code", "code"),
        ("Per transcript", "transcript"),
        ("Overall", "overall"),
    ):
        document.add_heading(title, level=2)
        add_table(document, HEADER, _table([r for r in all_rows if r["scope"] == scope]))
    document.save(str(path))

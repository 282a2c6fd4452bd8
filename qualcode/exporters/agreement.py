"""The agreement report for a methods section: Markdown, CSV and Word tables."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from qualcode.agreement.statistics import Stats
from qualcode.agreement.units import AgreementReport
from qualcode.agreement.verdicts import RELIABLE, TENTATIVE, interval, num, verdict
from qualcode.exporters import agreement_sections as sections
from qualcode.exporters.agreement_sections import Extras
from qualcode.model import plural

COLUMNS = [
    "scope",
    "name",
    "cohen_kappa",
    "krippendorff_alpha",
    "alpha_ci_low",
    "alpha_ci_high",
    "percent_agreement",
    "positive_agreement",
    "brennan_prediger",
    "gwet_ac1",
    "coded_units",
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
            "alpha_ci_low": s.alpha_ci[0] if s.alpha_ci else None,
            "alpha_ci_high": s.alpha_ci[1] if s.alpha_ci else None,
            "percent_agreement": s.percent_agreement,
            "positive_agreement": s.positive_agreement,
            "brennan_prediger": s.brennan_prediger,
            "gwet_ac1": s.gwet_ac1,
            "coded_units": s.coded_units,
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


def _interval(lo: object, hi: object) -> str:
    if isinstance(lo, float) and isinstance(hi, float):
        return interval((lo, hi))
    return interval(None)


def _fmt(value: object, percent: bool = False) -> str:
    return num(value, percent, spaced_percent=True)


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
            _interval(r["alpha_ci_low"], r["alpha_ci_high"]),
            _fmt(r["percent_agreement"], True),
            _fmt(r["positive_agreement"], True),
            _fmt(r["brennan_prediger"]),
            _fmt(r["gwet_ac1"]),
            _fmt(r["coded_units"]),
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
    "α 95 % CI",
    "Agreement",
    "Positive agreement",
    "Brennan–Prediger κ",
    "Gwet's AC1",
    "Coded units",
    "Both",
    "Only A",
    "Only B",
    "Neither",
    "Reading",
]


def _md_table(header: list[str], body: list[list[str]]) -> list[str]:
    return [
        "| " + " | ".join(header) + " |",
        "|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|",
        *("| " + " | ".join(cells) + " |" for cells in body),
    ]


def to_markdown(
    report: AgreementReport, names: dict[str, str], extras: Extras | None = None
) -> str:
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
            "|" + "|".join(["---"] + ["---:"] * (len(HEADER) - 2) + ["---"]) + "|",
        ]
        lines += [
            "| " + " | ".join(cells) + " |"
            for cells in _table([r for r in all_rows if r["scope"] == scope])
        ]
    if extras is not None:
        for t in sections.tables(report, names, extras):
            lines += ["", f"## {t.heading}", ""]
            lines += [t.note, ""] if t.note else []
            lines += _md_table(t.header, t.rows)
        m = sections.methods_section(report, extras)
        lines += ["", f"## {m.heading}", "", m.note, "", f"### {m.header[0]}", ""]
        lines += [f"- {ref}" for (ref,) in m.rows]
    return "\n".join(lines) + "\n"


# Each CSV row says what it measured, so a table read on its own keeps its scope.
CONTEXT_COLUMNS = ["unit", "coder_a", "coder_b", "informant_only", "scope_note"]
# NVivo's comparison rows (scope code_transcript) and the unitizing rows (unitizing_code,
# unitizing_theme, unitizing_overall) say which transcript and which alpha they carry.
EXTRA_COLUMNS = ["transcript", "u_alpha", "cu_alpha", "binary_alpha"]


def _extra_rows(extras: Extras, names: dict[str, str]) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for c in extras.cells or []:
        out.append(
            {
                "scope": "code_transcript",
                "name": names.get(c.code, c.code),
                "transcript": c.transcript,
                "cohen_kappa": c.kappa,
                "percent_agreement": c.percent_agreement,
                "both": c.both,
                "only_a": c.a_only,
                "only_b": c.b_only,
                "neither": c.neither,
                "n_decisions": c.both + c.a_only + c.b_only + c.neither,
            }
        )
    u = extras.unitized
    if u is not None:
        for code, value in u.per_code.items():
            out.append({"scope": "unitizing_code", "name": names.get(code, code), "u_alpha": value})
        for theme, v in u.per_theme.items():
            out.append(
                {
                    "scope": "unitizing_theme",
                    "name": names.get(theme, theme),
                    "cu_alpha": v["cu_alpha"],
                    "binary_alpha": v["binary_alpha"],
                }
            )
        out.append({"scope": "unitizing_overall", "name": "Cu-alpha", "cu_alpha": u.Cu_alpha})
    return out


def to_csv(report: AgreementReport, names: dict[str, str], extras: Extras | None = None) -> str:
    buf = io.StringIO()
    fields = COLUMNS + (EXTRA_COLUMNS if extras is not None else []) + CONTEXT_COLUMNS
    writer = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n", restval="")
    writer.writeheader()
    context = {
        "unit": report.unit,
        "coder_a": report.coders[0],
        "coder_b": report.coders[1],
        "informant_only": "yes" if report.informant_only else "no",
        "scope_note": scope_text(report, names),
    }
    extra = _extra_rows(extras, names) if extras is not None else []
    main = rows(report, names)  # overall stays the last row, after the added ones
    for r in main[:-1] + extra + main[-1:]:
        writer.writerow({**{k: ("" if v is None else v) for k, v in r.items()}, **context})
    return buf.getvalue()


def write_docx(
    report: AgreementReport, names: dict[str, str], path: Path, extras: Extras | None = None
) -> None:
    from qualcode.exporters.docx_table import add_table
    from qualcode.exporters.word import new_document

    # A4, 2.5 cm margins, in the document's language
    document = new_document(extras.lang if extras is not None else "en")
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
    if extras is not None:
        for t in sections.tables(report, names, extras):
            document.add_heading(t.heading, level=2)
            if t.note:
                document.add_paragraph(t.note)
            add_table(document, t.header, t.rows)
        m = sections.methods_section(report, extras)
        document.add_heading(m.heading, level=2)
        document.add_paragraph(m.note)
        document.add_heading(m.header[0], level=3)
        for (ref,) in m.rows:
            document.add_paragraph(ref)
    document.save(str(path))

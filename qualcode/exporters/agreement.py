"""The agreement report for a methods section, in the document's language: Markdown and CSV
(Word in ``agreement_docx``)."""

from __future__ import annotations

import csv
import io

from qualcode.agreement.statistics import Stats
from qualcode.agreement.units import AgreementReport
from qualcode.agreement.verdicts import RELIABLE, TENTATIVE, verdict
from qualcode.i18n import decimal, ntranslator, percent, translator

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


def rows(
    report: AgreementReport, names: dict[str, str], lang: str = "en"
) -> list[dict[str, object]]:
    """One row per code, per transcript, and overall, in that order."""
    _ = translator(lang)

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
            "verdict": verdict(s, lang),
        }

    out = [row("code", names.get(c, c), s) for c, s in report.per_code.items()]
    out += [row("transcript", t, s) for t, s in report.per_transcript.items()]
    out.append(row("overall", _("Overall"), report.overall))
    return out


def fmt(value: object, lang: str, as_percent: bool = False) -> str:
    """A statistic as the document's language writes it (``0,743``, ``99,2 %``); — when
    undefined."""
    if value is None:
        return "—"
    if isinstance(value, float):
        return percent(value, 1, lang) if as_percent else decimal(value, 3, lang)
    return str(value)


def scope_text(report: AgreementReport, names: dict[str, str], lang: str = "en") -> str:
    """The report's scope in words: which transcripts, turns and codes it covers."""
    _ = translator(lang)
    n_ = ntranslator(lang)
    tids = list(report.per_transcript)
    transcripts = n_("{n} transcript", "{n} transcripts", len(tids)).format(n=len(tids))
    if len(tids) <= 6:
        transcripts += f" ({', '.join(tids)})" if tids else ""
    turns = (
        _("informant turns only (the interviewer's left out)")
        if report.informant_only
        else _("all turns")
    )
    listed = ", ".join(names.get(c, c) for c in report.per_code)
    codes = (
        _("the codes chosen ({codes})").format(codes=listed)
        if report.codes_given
        else _("every code either coder used")
    )
    return _("Scope: {transcripts}; {turns}; {codes}.").format(
        transcripts=transcripts, turns=turns, codes=codes
    )


def unit_name(unit: str, lang: str) -> str:
    _ = translator(lang)
    return {"turn": _("turn"), "sentence": _("sentence"), "character": _("character")}.get(
        unit, unit
    )


def intro(report: AgreementReport, names: dict[str, str], lang: str) -> str:
    """The paragraph above the tables: who, which units, what "present" means, the scope,
    what was left out and how alpha is read."""
    _ = translator(lang)
    a, b = report.coders
    notes = "".join(f" {n[0].upper()}{n[1:]}." for n in report.notes)
    return (
        _(
            "Agreement between coder A ({a}) and coder B ({b}), {unit} units (n = {n}); a "
            "code is present in a unit when a coding of it overlaps the unit by at least one "
            "non-whitespace character."
        ).format(a=a, b=b, unit=unit_name(report.unit, lang), n=report.n_units)
        + f" {scope_text(report, names, lang)}{notes} "
        + _(
            "Krippendorff's alpha (nominal) of at least {reliable} is read as reliable, of "
            "at least {tentative} as tentative."
        ).format(reliable=decimal(RELIABLE, 3, lang), tentative=decimal(TENTATIVE, 3, lang))
    )


def header(lang: str) -> list[str]:
    _ = translator(lang)
    return [
        "",
        "Cohen's κ",
        "Krippendorff's α",
        _("Agreement"),
        _("Both"),
        _("Only A"),
        _("Only B"),
        _("Neither"),
        _("Reading"),
    ]


def sections(lang: str) -> list[tuple[str, str]]:
    """The three tables: (heading, scope)."""
    _ = translator(lang)
    return [(_("Per code"), "code"), (_("Per transcript"), "transcript"), (_("Overall"), "overall")]


def table(items: list[dict[str, object]], lang: str) -> list[list[str]]:
    return [
        [
            str(r["name"]),
            fmt(r["cohen_kappa"], lang),
            fmt(r["krippendorff_alpha"], lang),
            fmt(r["percent_agreement"], lang, True),
            str(r["both"]),
            str(r["only_a"]),
            str(r["only_b"]),
            str(r["neither"]),
            str(r["verdict"]),
        ]
        for r in items
    ]


def to_markdown(report: AgreementReport, names: dict[str, str], lang: str = "en") -> str:
    _ = translator(lang)
    all_rows = rows(report, names, lang)
    lines = [f"# {_('Intercoder agreement')}", "", intro(report, names, lang)]
    for title, scope in sections(lang):
        lines += [
            "",
            f"## {title}",
            "",
            "| " + " | ".join(header(lang)) + " |",
            "|" + "|".join(["---"] + ["---:"] * 7 + ["---"]) + "|",
        ]
        lines += [
            "| " + " | ".join(cells) + " |"
            for cells in table([r for r in all_rows if r["scope"] == scope], lang)
        ]
    return "\n".join(lines) + "\n"


# Each CSV row says what it measured, so a table read on its own keeps its scope. The
# column names and numbers stay as data (a point for decimals, for R and pandas); the
# reading and the scope are in the document's language.
CONTEXT_COLUMNS = ["unit", "coder_a", "coder_b", "informant_only", "scope_note"]


def to_csv(report: AgreementReport, names: dict[str, str], lang: str = "en") -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS + CONTEXT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    context = {
        "unit": report.unit,
        "coder_a": report.coders[0],
        "coder_b": report.coders[1],
        "informant_only": "yes" if report.informant_only else "no",
        "scope_note": scope_text(report, names, lang),
    }
    for r in rows(report, names, lang):
        writer.writerow({**{k: ("" if v is None else v) for k, v in r.items()}, **context})
    return buf.getvalue()

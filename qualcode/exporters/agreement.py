"""The agreement report for a methods section, in the document's language: Markdown and CSV
(Word in ``agreement_docx``)."""

from __future__ import annotations

import csv
import io

from qualcode.agreement.statistics import Stats
from qualcode.agreement.units import AgreementReport
from qualcode.agreement.verdicts import RELIABLE, TENTATIVE, verdict
from qualcode.exporters import agreement_sections as sections
from qualcode.exporters.agreement_sections import Extras
from qualcode.i18n import decimal, ntranslator, percent, translator

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
            "verdict": verdict(s, lang),
        }

    out = [row("code", names.get(c, c), s) for c, s in report.per_code.items()]
    out += [row("transcript", t, s) for t, s in report.per_transcript.items()]
    out.append(row("overall", _("Overall"), report.overall))
    return out


def _interval(lo: object, hi: object, lang: str) -> str:
    if not isinstance(lo, float) or not isinstance(hi, float):
        return "—"
    return f"{decimal(lo, 2, lang)}–{decimal(hi, 2, lang)}"  # never "-0,00"


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
    covered = report.coverage  # which transcripts both coded, in the document's language
    if covered is not None:
        transcripts = covered.transcripts_words(lang)
    else:
        transcripts = n_("{n} transcript", "{n} transcripts", len(tids)).format(n=len(tids))
    if len(tids) <= 6:
        transcripts += f" ({', '.join(tids)})" if tids else ""
    if covered is not None:
        turns = covered.turns_words(lang)
    else:
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


def table(items: list[dict[str, object]], lang: str) -> list[list[str]]:
    return [
        [
            str(r["name"]),
            fmt(r["cohen_kappa"], lang),
            fmt(r["krippendorff_alpha"], lang),
            _interval(r["alpha_ci_low"], r["alpha_ci_high"], lang),
            fmt(r["percent_agreement"], lang, True),
            fmt(r["positive_agreement"], lang, True),
            fmt(r["brennan_prediger"], lang),
            fmt(r["gwet_ac1"], lang),
            fmt(r["coded_units"], lang),
            str(r["both"]),
            str(r["only_a"]),
            str(r["only_b"]),
            str(r["neither"]),
            str(r["verdict"]),
        ]
        for r in items
    ]


def header(lang: str) -> list[str]:
    _ = translator(lang)
    return [
        "",
        "Cohen's κ",
        "Krippendorff's α",
        _("α 95 % CI"),
        _("Agreement"),
        _("Positive agreement"),
        "Brennan–Prediger κ",
        "Gwet's AC1",
        _("Coded units"),
        _("Both"),
        _("Only A"),
        _("Only B"),
        _("Neither"),
        _("Reading"),
    ]


def sections_of(lang: str) -> list[tuple[str, str]]:
    """The three tables: (heading, scope)."""
    _ = translator(lang)
    return [(_("Per code"), "code"), (_("Per transcript"), "transcript"), (_("Overall"), "overall")]


def _md_table(header: list[str], body: list[list[str]]) -> list[str]:
    return [
        "| " + " | ".join(header) + " |",
        "|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|",
        *("| " + " | ".join(cells) + " |" for cells in body),
    ]


def to_markdown(
    report: AgreementReport, names: dict[str, str], extras: Extras | None = None, lang: str = "en"
) -> str:
    _ = translator(lang)
    all_rows = rows(report, names, lang)
    head = header(lang)
    lines = [f"# {_('Intercoder agreement')}", "", intro(report, names, lang)]
    for title, scope in sections_of(lang):
        lines += ["", f"## {title}", ""]
        lines += _md_table(head, table([r for r in all_rows if r["scope"] == scope], lang))
    if extras is not None:
        for t in sections.tables(report, names, extras):
            lines += ["", f"## {t.heading}", ""]
            lines += [t.note, ""] if t.note else []
            lines += _md_table(t.header, t.rows)
        m = sections.methods_section(report, extras)
        lines += ["", f"## {m.heading}", "", m.note, "", f"### {m.header[0]}", ""]
        lines += [f"- {ref}" for (ref,) in m.rows]
    return "\n".join(lines) + "\n"


# Each CSV row says what it measured, so a table read on its own keeps its scope. The
# column names and numbers stay as data (a point for decimals, for R and pandas); the
# reading and the scope are in the document's language.
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


def to_csv(
    report: AgreementReport, names: dict[str, str], extras: Extras | None = None, lang: str = "en"
) -> str:
    buf = io.StringIO()
    fields = COLUMNS + (EXTRA_COLUMNS if extras is not None else []) + CONTEXT_COLUMNS
    writer = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n", restval="")
    writer.writeheader()
    context = {
        "unit": report.unit,
        "coder_a": report.coders[0],
        "coder_b": report.coders[1],
        "informant_only": "yes" if report.informant_only else "no",
        "scope_note": scope_text(report, names, lang),
    }
    extra = _extra_rows(extras, names) if extras is not None else []
    main = rows(report, names, lang)  # overall stays the last row, after the added ones
    for r in main[:-1] + extra + main[-1:]:
        writer.writerow({**{k: ("" if v is None else v) for k, v in r.items()}, **context})
    return buf.getvalue()

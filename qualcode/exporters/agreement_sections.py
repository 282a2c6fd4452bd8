"""The parts of the agreement export beyond its three tables, in the document's language:
how "overall" is pooled with the per-code spread, NVivo's code × transcript comparison,
Krippendorff's unitizing alphas, and the methods paragraph with its references.

Each part is plain values (a heading, a header, rows of strings, paragraphs), so Markdown,
CSV and Word write the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass

from qualcode.agreement import methods
from qualcode.agreement.comparison import Cell
from qualcode.agreement.results import AgreementReport
from qualcode.agreement.unitized import UnitizingReport


def norwegian(lang: str) -> bool:
    return lang in ("nb", "nn", "no")


def number(value: float | None, lang: str, digits: int = 3) -> str:
    """A figure as the document's language writes it (0,743 in Norwegian); — if undefined."""
    if value is None:
        return "—"
    text = f"{round(value, digits) + 0.0:.{digits}f}"  # + 0.0: never "-0.000"
    return text.replace(".", ",") if norwegian(lang) else text


def interval(ci: tuple[float, float] | None, lang: str) -> str:
    if ci is None:
        return "—"
    return f"{number(ci[0], lang, 2)}–{number(ci[1], lang, 2)}"


def share(value: float | None, lang: str) -> str:
    if value is None:
        return "—"
    return f"{number(100 * value, lang, 1)} %"


@dataclass
class Table:
    heading: str
    header: list[str]
    rows: list[list[str]]
    note: str = ""


@dataclass
class Extras:
    """What the export adds to the report's tables; the parts not asked for are None."""

    lang: str
    cells: list[Cell] | None = None
    unitized: UnitizingReport | None = None


_W = {
    "en": {
        "spread": "Per-code spread beside the pooled figure",
        "coef": "Coefficient",
        "mean": "Mean",
        "median": "Median",
        "min": "Minimum",
        "max": "Maximum",
        "codes": "Codes",
        "comparison": "Coding comparison per code and transcript (NVivo)",
        "code": "Code",
        "transcript": "Transcript",
        "agree": "Agreement",
        "a_only": "A only",
        "b_only": "B only",
        "both": "Both",
        "neither": "Neither",
        "convention": "* κ = 1 and 100 % where the coders agree on every character, as where "
        "neither coded the code (NVivo's convention). Characters: every character of the "
        "stored transcript text.",
        "u_codes": "Unitizing: uα per code (Krippendorff et al. 2016)",
        "u_themes": "Unitizing: cu-α per theme and Cu-α across themes",
        "theme": "Theme (semantic domain)",
        "binary": "α-binary",
        "across": "Cu-α, across themes",
        "u_note": "On {n} characters: the non-whitespace characters of the turns in scope.",
        "methods": "Method",
        "references": "References",
    },
    "nb": {
        "spread": "Spredning per kode ved siden av det samlede tallet",
        "coef": "Koeffisient",
        "mean": "Gjennomsnitt",
        "median": "Median",
        "min": "Minimum",
        "max": "Maksimum",
        "codes": "Koder",
        "comparison": "Kodesammenligning per kode og transkripsjon (NVivo)",
        "code": "Kode",
        "transcript": "Transkripsjon",
        "agree": "Samsvar",
        "a_only": "Bare A",
        "b_only": "Bare B",
        "both": "Begge",
        "neither": "Ingen",
        "convention": "* κ = 1 og 100 % der koderne er enige om hvert tegn, som der ingen av "
        "dem kodet koden (NVivos konvensjon). Tegn: alle tegn i den lagrede teksten.",
        "u_codes": "Segmentering: uα per kode (Krippendorff mfl. 2016)",
        "u_themes": "Segmentering: cu-α per tema og Cu-α på tvers av temaene",
        "theme": "Tema (semantisk domene)",
        "binary": "α-binær",
        "across": "Cu-α, på tvers av temaene",
        "u_note": "På {n} tegn: tegnene som ikke er mellomrom i turene i utvalget.",
        "methods": "Metode",
        "references": "Referanser",
    },
}


def words(lang: str) -> dict[str, str]:
    return _W["nb" if norwegian(lang) else "en"]


def spread_table(report: AgreementReport, lang: str) -> Table:
    w = words(lang)
    rows = []
    for name, s in (
        ("Cohen's κ", report.spread()["cohen_kappa"]),
        ("Krippendorff's α", report.spread()["krippendorff_alpha"]),
    ):
        rows.append(
            [
                name,
                number(s.mean, lang),
                number(s.median, lang),
                number(s.min, lang),
                number(s.max, lang),
                str(s.n_codes),
            ]
        )
    header = [w["coef"], w["mean"], w["median"], w["min"], w["max"], w["codes"]]
    return Table(w["spread"], header, rows, report.pooling(lang))


def comparison_table(cells: list[Cell], names: dict[str, str], lang: str) -> Table:
    w = words(lang)
    rows = [
        [
            names.get(c.code, c.code),
            c.transcript,
            number(c.kappa, lang) + ("*" if c.convention else ""),
            share(c.percent_agreement, lang),
            str(c.a_only),
            str(c.b_only),
            str(c.both),
            str(c.neither),
        ]
        for c in cells
    ]
    header = [
        w["code"],
        w["transcript"],
        "κ",
        w["agree"],
        w["a_only"],
        w["b_only"],
        w["both"],
        w["neither"],
    ]
    return Table(w["comparison"], header, rows, w["convention"])


def unitizing_tables(u: UnitizingReport, names: dict[str, str], lang: str) -> list[Table]:
    w = words(lang)
    codes = Table(
        w["u_codes"],
        [w["code"], "uα"],
        [[names.get(c, c), number(a, lang)] for c, a in u.per_code.items()],
        w["u_note"].format(n=u.characters),
    )
    themes = Table(
        w["u_themes"],
        [w["theme"], "cu-α", w["binary"], w["codes"]],
        [
            [names.get(t, t), number(v["cu_alpha"], lang), number(v["binary_alpha"], lang)]
            + [str(v["codes"])]
            for t, v in u.per_theme.items()
        ]
        + [[w["across"], number(u.Cu_alpha, lang), "", ""]],
    )
    return [codes, themes]


def tables(report: AgreementReport, names: dict[str, str], extras: Extras) -> list[Table]:
    """The added tables, in the order they follow the report's own."""
    out = [spread_table(report, extras.lang)]
    if extras.cells is not None:
        out.append(comparison_table(extras.cells, names, extras.lang))
    if extras.unitized is not None:
        out += unitizing_tables(extras.unitized, names, extras.lang)
    return out


def methods_section(report: AgreementReport, extras: Extras) -> Table:
    """The methods paragraph (as the note) and its references (as the rows)."""
    facts = methods.Facts(
        unit=report.unit,
        n_units=report.n_units,
        coders=report.coders,
        transcripts=list(report.per_transcript),
        informant_only=report.informant_only,
        codes_given=report.codes_given,
        n_codes=len(report.per_code),
        unitizing=extras.unitized is not None,
        comparison=extras.cells is not None,
    )
    w = words(extras.lang)
    return Table(
        w["methods"],
        [w["references"]],
        [[ref] for ref in methods.references(facts)],
        methods.paragraph(facts, extras.lang),
    )

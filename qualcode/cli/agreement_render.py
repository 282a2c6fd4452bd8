"""Agreement as text on the terminal: the table per code, per transcript and overall with the
pooling and the per-code spread; NVivo's code × transcript comparison; the unitizing alphas.
In the user's language, numbers too (``0,743`` in Norwegian; never ``-0,000``)."""

from __future__ import annotations

from qualcode.agreement.comparison import NVIVO_CONVENTION, Cell
from qualcode.agreement.figures import num, spread_line, stats_values
from qualcode.agreement.results import AgreementReport
from qualcode.agreement.statistics import Stats
from qualcode.agreement.unitized import UnitizingReport
from qualcode.agreement.verdicts import MIN_CODED_UNITS, RELIABLE, TENTATIVE, verdict
from qualcode.i18n import N_, ui_decimal, ui_language, ui_percent
from qualcode.i18n import ui as _

# (heading, width) of the agreement table's columns after the label; the statistics' names
# (kappa, alpha, B-P, AC1) are the same in every language
COLUMNS = (
    ("kappa", 6),
    ("alpha", 6),
    (N_("95% CI"), 11),
    (N_("agree"), 7),
    (N_("pos"), 7),
    ("B-P", 6),
    (N_("AC1"), 6),
    (N_("both"), 5),
    (N_("onlyA"), 5),
    (N_("onlyB"), 5),
    (N_("neither"), 7),
    (N_("coded"), 5),
)

# the units of analysis (qualcode.agreement.units.UNITS), as the report names them
UNIT_WORDS = (N_("turn"), N_("sentence"), N_("character"))


def _widths() -> list[tuple[str, int]]:
    return [(_(head), max(width, len(_(head)))) for head, width in COLUMNS]


def _head(width: int) -> str:
    cells = " ".join(f"{head:>{w}}" for head, w in _widths())
    verdict_head = _("verdict")
    return f"{'':<{width}} {cells}  {verdict_head}"


def _row(label: str, s: Stats, width: int) -> str:
    values = stats_values(s)
    cells = " ".join(f"{v:>{w}}" for v, (_h, w) in zip(values, _widths(), strict=True))
    return f"{label[:width]:<{width}} {cells}  {verdict(s, ui_language())}"


def render_report(report: AgreementReport, names: dict[str, str]) -> str:
    a, b = report.coders
    lang = ui_language()
    width = max(
        [
            20,
            *(len(names.get(c, c)) for c in report.per_code),
            *(len(t) for t in report.per_transcript),
        ]
    )
    width = min(width, 36)
    title = (
        _("Agreement of A = {a} and B = {b} on {n} {unit} units, informant turns only")
        if report.informant_only
        else _("Agreement of A = {a} and B = {b} on {n} {unit} units")
    )
    lines = [title.format(a=a, b=b, n=report.n_units, unit=_(report.unit))]
    if report.coverage is not None:  # which transcripts and turns, and why
        lines.append(_("Scope: {scope}").format(scope=report.coverage.words(lang)))
    lines += ["", _("Per code"), _head(width)]
    lines += [_row(names.get(c, c), s, width) for c, s in report.per_code.items()]
    lines += ["", _("Per transcript"), _head(width)]
    lines += [_row(t, s, width) for t, s in report.per_transcript.items()]
    lines += ["", _row(_("Overall (pooled)"), report.overall, width)]
    spread = report.spread()
    per_code = _("Per code:")
    lines += [
        f"  {report.pooling(lang)}",
        f"  {per_code} " + spread_line("kappa", spread["cohen_kappa"]) + ";",
        "  "
        + " " * len(per_code)
        + " "
        + spread_line(_("alpha"), spread["krippendorff_alpha"])
        + ".",
        "  "
        + _(
            "({n} decisions; alpha >= {reliable} reliable, >= {tentative} tentative; fewer "
            "than {few} coded units: too few units. pos = positive agreement, B-P = Brennan & "
            "Prediger, 95% CI = bootstrap interval for alpha.)"
        ).format(
            n=report.overall.n_decisions,
            reliable=ui_decimal(RELIABLE, 3),
            tentative=ui_decimal(TENTATIVE, 3),
            few=MIN_CODED_UNITS,
        ),
    ]
    lines += ["  " + _("Note: {note}.").format(note=n) for n in report.notes]
    return "\n".join(lines)


def render_comparison(cells: list[Cell], names: dict[str, str], coders: tuple[str, str]) -> str:
    width = min(36, max([20, *(len(names.get(c.code, c.code)) for c in cells)]))
    twidth = min(30, max([10, *(len(c.transcript) for c in cells)]))
    heads = [_("agree"), _("A only"), _("B only"), _("both"), _("neither")]
    code_head, transcript_head = _("code"), _("transcript")
    w = [max(7, len(h)) for h in heads]
    lines = [
        _(
            "Coding comparison of A = {a} and B = {b}, per code and transcript, on every "
            "character of the stored text (as NVivo counts them)"
        ).format(a=coders[0], b=coders[1]),
        "",
        f"{code_head:<{width}} {transcript_head:<{twidth}} {'kappa':>6} "
        + " ".join(f"{h:>{n}}" for h, n in zip(heads, w, strict=True)),
    ]
    for c in cells:
        mark = "*" if c.convention else " "
        counts = (c.a_only, c.b_only, c.both, c.neither)
        lines.append(
            f"{names.get(c.code, c.code)[:width]:<{width}} {c.transcript[:twidth]:<{twidth}} "
            f"{ui_decimal(c.kappa, 3):>6}{mark}{ui_percent(c.percent_agreement, 2):>{w[0]}} "
            + " ".join(f"{v:>{n}}" for v, n in zip(counts, w[1:], strict=True))
        )
    lines += [
        "",
        "  "
        + _(
            "kappa = (TA − ΣEF) / (TU − ΣEF) on characters: TA the characters agreed on, TU "
            "all, ΣEF the agreement expected by chance."
        ),
        f"  * {_(NVIVO_CONVENTION)}.",
    ]
    return "\n".join(lines)


def render_unitizing(u: UnitizingReport, names: dict[str, str]) -> str:
    labels = [names.get(c, c) for c in [*u.per_code, *u.per_theme]]
    theme_head, code_head = _("theme (semantic domain)"), _("code")
    binary, codes, across = _("binary"), _("codes"), _("Cu-alpha, across themes")
    width = min(36, max([24, len(theme_head), *(len(label) for label in labels)]))
    lines = [
        "",
        _(
            "Unitizing (Krippendorff's alpha for where codes apply; Krippendorff et al. 2016), "
            "on {n} characters: the non-whitespace characters of the turns in scope"
        ).format(n=u.characters),
        "",
        f"{code_head:<{width}} {'u-alpha':>8}",
    ]
    lines += [f"{names.get(c, c)[:width]:<{width}} {num(a):>8}" for c, a in u.per_code.items()]
    lines += ["", f"{theme_head:<{width}} {'cu-alpha':>8} {binary:>8} {codes}"]
    for t, v in u.per_theme.items():
        lines.append(
            f"{names.get(t, t)[:width]:<{width}} {num(v['cu_alpha']):>8} "
            f"{num(v['binary_alpha']):>8} {v['codes']:>5}"
        )
    lines += [
        "",
        f"{across:<{width}} {num(u.Cu_alpha):>8}",
        "  "
        + _(
            "u-alpha per code: do the coders put the code on the same characters (ATLAS.ti's "
            "alpha-binary); cu-alpha per theme: where both coded the theme, did they choose "
            "the same code; binary: the theme's codes taken as one; Cu-alpha: did they choose "
            "the same theme. Two codes of one theme on the same characters count as their "
            "combination."
        ),
    ]
    return "\n".join(lines)

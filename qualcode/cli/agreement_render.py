"""Agreement as text on the terminal: the table per code, per transcript and overall with the
pooling and the per-code spread; NVivo's code × transcript comparison; the unitizing alphas."""

from __future__ import annotations

from qualcode.agreement.comparison import NVIVO_CONVENTION, Cell
from qualcode.agreement.results import AgreementReport
from qualcode.agreement.statistics import Stats
from qualcode.agreement.unitized import UnitizingReport
from qualcode.agreement.verdicts import (
    MIN_CODED_UNITS,
    RELIABLE,
    TENTATIVE,
    interval,
    num,
    spread_line,
    verdict,
)

HEAD = (
    f"{'kappa':>6} {'alpha':>6} {'95% CI':>9} {'agree':>6} {'pos':>6} {'B-P':>6} {'AC1':>6} "
    f"{'both':>5} {'onlyA':>5} {'onlyB':>5} {'neither':>7} {'coded':>5}  verdict"
)


def _row(label: str, s: Stats, width: int) -> str:
    return (
        f"{label[:width]:<{width}} {num(s.cohen_kappa):>6} {num(s.krippendorff_alpha):>6} "
        f"{interval(s.alpha_ci):>9} {num(s.percent_agreement, True):>6} "
        f"{num(s.positive_agreement, True):>6} {num(s.brennan_prediger):>6} "
        f"{num(s.gwet_ac1):>6} {s.both:>5} {s.only_a:>5} {s.only_b:>5} {s.neither:>7} "
        f"{s.coded_units if s.coded_units is not None else '—':>5}  {verdict(s)}"
    )


def render_report(report: AgreementReport, names: dict[str, str]) -> str:
    a, b = report.coders
    width = max(
        [
            20,
            *(len(names.get(c, c)) for c in report.per_code),
            *(len(t) for t in report.per_transcript),
        ]
    )
    width = min(width, 36)
    only = ", informant turns only" if report.informant_only else ""
    lines = [
        f"Agreement of A = {a} and B = {b} on {report.n_units} {report.unit} units{only}",
        "",
        "Per code",
        f"{'':<{width}} {HEAD}",
    ]
    lines += [_row(names.get(c, c), s, width) for c, s in report.per_code.items()]
    lines += ["", "Per transcript", f"{'':<{width}} {HEAD}"]
    lines += [_row(t, s, width) for t, s in report.per_transcript.items()]
    lines += ["", _row("Overall (pooled)", report.overall, width)]
    spread = report.spread()
    lines += [
        f"  {report.pooling()}",
        "  Per code: " + spread_line("kappa", spread["cohen_kappa"]) + ";",
        "            " + spread_line("alpha", spread["krippendorff_alpha"]) + ".",
        f"  ({report.overall.n_decisions} decisions; alpha >= {RELIABLE:.3f} reliable, "
        f">= {TENTATIVE:.3f} tentative; fewer than {MIN_CODED_UNITS} coded units: too few "
        "units. pos = positive agreement, B-P = Brennan & Prediger, 95% CI = bootstrap "
        "interval for alpha.)",
    ]
    lines += [f"  Note: {n}." for n in report.notes]
    return "\n".join(lines)


def render_comparison(cells: list[Cell], names: dict[str, str], coders: tuple[str, str]) -> str:
    width = min(36, max([20, *(len(names.get(c.code, c.code)) for c in cells)]))
    twidth = min(30, max([10, *(len(c.transcript) for c in cells)]))
    lines = [
        f"Coding comparison of A = {coders[0]} and B = {coders[1]}, per code and transcript, "
        "on every character of the stored text (as NVivo counts them)",
        "",
        f"{'code':<{width}} {'transcript':<{twidth}} {'kappa':>6} {'agree':>7} "
        f"{'A only':>7} {'B only':>7} {'both':>7} {'neither':>8}",
    ]
    for c in cells:
        mark = "*" if c.convention else " "
        lines.append(
            f"{names.get(c.code, c.code)[:width]:<{width}} {c.transcript[:twidth]:<{twidth}} "
            f"{c.kappa:>6.3f}{mark}{100 * c.percent_agreement:>7.2f}% {c.a_only:>7} "
            f"{c.b_only:>7} {c.both:>7} {c.neither:>8}"
        )
    lines += [
        "",
        "  kappa = (TA − ΣEF) / (TU − ΣEF) on characters: TA the characters agreed on, TU all, "
        "ΣEF the agreement expected by chance.",
        f"  * {NVIVO_CONVENTION}.",
    ]
    return "\n".join(lines)


def render_unitizing(u: UnitizingReport, names: dict[str, str]) -> str:
    labels = [names.get(c, c) for c in [*u.per_code, *u.per_theme]]
    width = min(36, max([24, *(len(label) for label in labels)]))
    lines = [
        "",
        "Unitizing (Krippendorff's alpha for where codes apply; Krippendorff et al. 2016), "
        f"on {u.characters} characters: the non-whitespace characters of the turns in scope",
        "",
        f"{'code':<{width}} {'u-alpha':>8}",
    ]
    lines += [f"{names.get(c, c)[:width]:<{width}} {num(a):>8}" for c, a in u.per_code.items()]
    lines += ["", f"{'theme (semantic domain)':<{width}} {'cu-alpha':>8} {'binary':>8} codes"]
    for t, v in u.per_theme.items():
        lines.append(
            f"{names.get(t, t)[:width]:<{width}} {num(v['cu_alpha']):>8} "
            f"{num(v['binary_alpha']):>8} {v['codes']:>5}"
        )
    lines += [
        "",
        f"{'Cu-alpha, across themes':<{width}} {num(u.Cu_alpha):>8}",
        "  u-alpha per code: do the coders put the code on the same characters (ATLAS.ti's "
        "alpha-binary); cu-alpha per theme: where both coded the theme, did they choose the "
        "same code; binary: the theme's codes taken as one; Cu-alpha: did they choose the "
        "same theme. Two codes of one theme on the same characters count as their "
        "combination.",
    ]
    return "\n".join(lines)

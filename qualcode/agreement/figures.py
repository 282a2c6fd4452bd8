"""κ, α, shares and spreads as the user reads them, in the user's number form (``0,743`` and
``99,2 %`` in Norwegian; never ``-0,000``): the one wording the command line's table and the
workspace's agreement screens both show."""

from __future__ import annotations

from qualcode.agreement.statistics import Spread, Stats
from qualcode.i18n import ui as _
from qualcode.i18n import ui_decimal, ui_n, ui_percent


def num(value: object, percent: bool = False) -> str:
    """κ, α and the like to three decimals, a share as a percentage, a count as it is; no
    value: —."""
    if value is None:
        return "—"
    if isinstance(value, float):
        return ui_percent(value, 1) if percent else ui_decimal(value, 3)
    return str(value)


def interval(ci: tuple[float, float] | None) -> str:
    if ci is None:
        return "—"
    return f"{ui_decimal(ci[0], 2)}–{ui_decimal(ci[1], 2)}"


def spread_line(name: str, s: Spread) -> str:
    if not s.n_codes:
        return _("{name}: no code has one").format(name=name)
    return ui_n(
        "{name} mean {mean}, median {median}, min {min}, max {max} ({n} code)",
        "{name} mean {mean}, median {median}, min {min}, max {max} ({n} codes)",
        s.n_codes,
    ).format(
        name=name, mean=num(s.mean), median=num(s.median), min=num(s.min), max=num(s.max),
        n=s.n_codes,
    )  # fmt: skip


def stats_values(s: Stats) -> list[str]:
    """The figures of one row of an agreement table, κ to the coded units, in column order."""
    return [
        num(s.cohen_kappa),
        num(s.krippendorff_alpha),
        interval(s.alpha_ci),
        num(s.percent_agreement, True),
        num(s.positive_agreement, True),
        num(s.brennan_prediger),
        num(s.gwet_ac1),
        str(s.both),
        str(s.only_a),
        str(s.only_b),
        str(s.neither),
        "—" if s.coded_units is None else str(s.coded_units),
    ]

"""How an agreement figure is written, the same on the screen, in the terminal and in files."""

from __future__ import annotations

MISSING = "—"  # a statistic with no value (no decisions, no variation)


def format_stat(value: object, percent: bool = False, *, spaced_percent: bool = False) -> str:
    """κ, α and the like to three decimals; a share as a percentage to one decimal
    (``spaced_percent``: "87.5 %", as the written report has it); counts as they are."""
    if value is None:
        return MISSING
    if isinstance(value, float):
        if percent:
            return f"{100 * value:.1f}{' %' if spaced_percent else '%'}"
        return f"{value:.3f}"
    return str(value)

"""What an alpha means in words: Krippendorff's thresholds, and the number of coded units
below which no reading is given. The one place these numbers live.
"""

from __future__ import annotations

from qualcode.agreement.statistics import Spread, Stats
from qualcode.i18n import decimal

# Krippendorff (2004, p. 241; 2019, section 12.7): rely on variables with α ≥ .800; consider
# those with .667 ≤ α < .800 only for tentative conclusions.
RELIABLE = 0.800
TENTATIVE = 0.667

# Fewer coded units than this and a code gets "too few units", not a reading. Bloch &
# Kraemer's (1989) sample size, as Krippendorff (2019) and ATLAS.ti's manual use it:
# N ≥ 2z²((1 + α_min)(3 − α_min) / (4(1 − α_min) p(1 − p)) − α_min) units for a code present
# in a share p of them. N·p, the coded units that requires, grows with p and is smallest as
# p → 0: 2z²(1 + α_min)(3 − α_min) / (4(1 − α_min)) = 15.8 for the lowest acceptable
# α_min = .667 at significance .05 (z = 1.645). Below 16 coded units no code meets it.
MIN_CODED_UNITS = 16

_WORDS = {
    "en": {
        "reliable": "reliable",
        "tentative": "tentative: conclusions only with care",
        "unreliable": "unreliable",
        "too_few": "too few units",
        "undefined": "undefined",
    },
    "nb": {
        "reliable": "pålitelig",
        "tentative": "foreløpig: konklusjoner bare med forsiktighet",
        "unreliable": "upålitelig",
        "too_few": "for få enheter",
        "undefined": "udefinert",
    },
}


def words(lang: str) -> dict[str, str]:
    """The verdict words in ``lang`` (Norwegian for nb, nn and no; English otherwise)."""
    return _WORDS["nb" if lang in ("nb", "nn", "no") else "en"]


def reading(stats: Stats) -> str:
    """The verdict as a key: reliable, tentative, unreliable, too_few or undefined."""
    if stats.coded_units is not None and stats.coded_units < MIN_CODED_UNITS:
        return "too_few"
    alpha = stats.krippendorff_alpha
    if alpha is None:
        return "undefined"
    if alpha >= RELIABLE:
        return "reliable"
    if alpha >= TENTATIVE:
        return "tentative"
    return "unreliable"


def verdict(stats: Stats, lang: str = "en") -> str:
    """Krippendorff's plain-words reading of alpha, or why there is none."""
    key = reading(stats)
    text = words(lang)[key]
    if key == "undefined" and stats.note:
        text += f" ({stats.note})"
    return text


# Figures as every face writes them: the CLI's text, the agreement screen and the files.


def num(value: object, percent: bool = False, *, spaced_percent: bool = False) -> str:
    """κ, α and the like to three decimals; a share as a percentage to one decimal
    (``spaced_percent``: "87.5 %", as the written report has it); a count as it is."""
    if value is None:
        return "—"
    if isinstance(value, float):  # decimal(): never "-0.000", a rounded zero has no sign
        if percent:
            return f"{decimal(100 * value, 1, 'en')}{' %' if spaced_percent else '%'}"
        return decimal(value, 3, "en")
    return str(value)


def interval(ci: tuple[float, float] | None) -> str:
    if ci is None:
        return "—"
    lo, hi = (round(x, 2) + 0.0 for x in ci)  # + 0.0: no "-0.00"
    return f"{lo:.2f}–{hi:.2f}"


def spread_line(name: str, s: Spread) -> str:
    if not s.n_codes:
        return f"{name}: no code has one"
    return (
        f"{name} mean {num(s.mean)}, median {num(s.median)}, min {num(s.min)}, "
        f"max {num(s.max)} ({s.n_codes} codes)"
    )

"""What the agreement screens say beside the figures: the tables' columns, the views' titles,
units and consensus choices by name, and κ, α and shares in the workspace's number form
(``0,743`` and ``99,2 %`` in Norwegian), coloured by Krippendorff's thresholds."""

from __future__ import annotations

from rich.text import Text

from qualcode.agreement.figures import stats_values
from qualcode.agreement.statistics import Stats
from qualcode.agreement.verdicts import RELIABLE, TENTATIVE, reading, verdict
from qualcode.i18n import N_, ui_language
from qualcode.i18n import ui as _

COLUMNS = (
    "",
    "kappa",
    N_("alpha"),
    N_("95% CI"),
    N_("agree"),
    N_("pos"),
    "B-P",
    "AC1",
    N_("both"),
    N_("only A"),
    N_("only B"),
    N_("neither"),
    N_("coded"),
    N_("verdict"),
)
COMPARISON_COLUMNS = (
    *(N_("code"), N_("transcript"), "kappa", N_("agree")),
    *(N_("A only"), N_("B only"), N_("both"), N_("neither")),
)
UNITIZING_COLUMNS = (N_("code or theme"), N_("u-alpha"), N_("cu-alpha"), N_("binary"))
# a consensus decision's choice, as the walk names it
CHOICES = {
    "a": N_("accept A"),
    "b": N_("accept B"),
    "both": N_("keep both"),
    "drop": N_("drop"),
    "edit": N_("edit"),
}
UNIT_NAMES = {"turn": N_("turn"), "sentence": N_("sentence"), "character": N_("character")}
VIEWS = ("transcripts", "comparison", "unitizing")  # what the lower table shows; v cycles
VIEW_TITLES = {
    "transcripts": N_("Per transcript"),
    "comparison": N_(
        "Code × transcript on every character, as NVivo compares (* κ = 1 where the "
        "coders agree on every character, as where neither coded: NVivo's convention)"
    ),
    "unitizing": N_(
        "Unitizing (Krippendorff et al. 2016): u-alpha per code, cu-alpha and "
        "binary alpha per theme, Cu-alpha across themes"
    ),
}


def unit_name(unit: str) -> str:
    return _(UNIT_NAMES.get(unit, unit))


def colour(alpha: float | None, s: Stats | None = None) -> str:
    if s is not None and reading(s) == "too_few":
        return "grey50"
    if alpha is None:
        return "grey50"
    return "green" if alpha >= RELIABLE else "yellow" if alpha >= TENTATIVE else "red"


def stats_cells(label: str, s: Stats) -> list[Text]:
    style = colour(s.krippendorff_alpha, s)
    values = [label, *stats_values(s), verdict(s, ui_language())]
    return [Text(v, style=style) for v in values]

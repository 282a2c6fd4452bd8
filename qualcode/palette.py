"""Colours people can tell apart: a qualitative palette for themes, tints for their codes.

The ten theme colours are ColorBrewer's Set3 (pastel, distinct hues, black text readable
on every one), so no two themes look alike on screen or in a chart; a code is a lighter or
darker tint of its theme, so it still reads as belonging to it.
"""

from __future__ import annotations

import re
from typing import Protocol

PALETTE: tuple[str, ...] = (
    "#8dd3c7",  # teal
    "#ffffb3",  # pale yellow
    "#bebada",  # lavender
    "#fb8072",  # salmon
    "#80b1d3",  # blue
    "#fdb462",  # orange
    "#b3de69",  # green
    "#fccde5",  # pink
    "#bc80bd",  # purple
    "#d9d9d9",  # grey
)
NAMES: tuple[str, ...] = (
    "teal",
    "pale yellow",
    "lavender",
    "salmon",
    "blue",
    "orange",
    "green",
    "pink",
    "purple",
    "grey",
)
_HEX = re.compile(r"#[0-9a-fA-F]{6}")
# (mix towards, share): a code's tint by its place among its theme's codes
_TINTS = (("#ffffff", 0.35), ("#000000", 0.15), ("#ffffff", 0.6))


def is_colour(text: str) -> bool:
    return bool(_HEX.fullmatch(text or ""))


def theme_colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def _mix(colour: str, other: str, share: float) -> str:
    a = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    b = [int(other[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * share):02x}" for x, y in zip(a, b, strict=True))


def tint(theme: str, index: int) -> str:
    """The colour of a theme's ``index``-th code: a tint (or shade) of the theme's."""
    if not is_colour(theme):
        return theme
    towards, share = _TINTS[index % len(_TINTS)]
    return _mix(theme.lower(), towards, share)


class _Settings(Protocol):
    def get(self, key: str, default: str | None = None) -> str | None: ...


class _HasSettings(Protocol):
    @property
    def settings(self) -> _Settings: ...


def chosen_colour(store: _HasSettings, code_id: str) -> str | None:
    """The colour a coder chose for a code in the codebook, if any (it outlives the guide's)."""
    return store.settings.get(f"colour:{code_id}") or None

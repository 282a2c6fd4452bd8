"""Theme colours people can tell apart, codes as tints, chosen from the codebook, kept
across opening the project again, and carried to REFI-QDA and back."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from qualcode import codebook
from qualcode.cli import main
from qualcode.palette import PALETTE, tint
from qualcode.project import Project
from tests.test_tui import make_project


def _lab(colour: str) -> tuple[float, float, float]:
    """CIE L*a*b* of an sRGB colour (D65), written out here from the standard formulas."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def _delta_e(a: str, b: str) -> float:
    return sum((p - q) ** 2 for p, q in zip(_lab(a), _lab(b), strict=True)) ** 0.5


@pytest.fixture
def project(tmp_path: Path):  # type: ignore[no-untyped-def]
    p = make_project(tmp_path)
    yield p
    p.close()


def test_the_demo_themes_are_far_apart(project: Project) -> None:
    themes = [t.color for t in project.guide.themes]  # type: ignore[union-attr]
    assert len(set(themes)) == len(themes) == 10
    closest = min(_delta_e(a, b) for i, a in enumerate(themes) for b in themes[i + 1 :])
    assert closest > 15, closest  # the old guide had pairs at ~8 (three oranges, two greens)
    assert min(_delta_e(a, b) for i, a in enumerate(PALETTE) for b in PALETTE[i + 1 :]) > 15


def test_codes_are_tints_of_their_theme(project: Project) -> None:
    theme = project.guide.themes[0]  # type: ignore[union-attr]
    assert [c.color for c in theme.codes] == [tint(theme.color, j) for j in range(len(theme.codes))]
    for c in theme.codes:
        assert c.color != theme.color and _delta_e(c.color, theme.color) < 40


def test_a_chosen_colour_outlives_reopening_and_goes_through_refi(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    p = make_project(tmp_path / "a")
    theme = p.guide.themes[1]  # type: ignore[union-attr]
    changed = codebook.set_colour(p.store, theme.id, "#123456", "ida")
    assert [c.color for c in changed] == ["#123456"] + [
        tint("#123456", j) for j in range(len(theme.codes))
    ]
    codebook.set_colour(p.store, theme.codes[0].id, "#abcdef", "ida")
    p.close()
    p = Project.open(tmp_path / "a")  # reads the guide again
    assert p.store.codes.get(theme.id).color == "#123456"  # type: ignore[union-attr]
    assert p.store.codes.get(theme.codes[0].id).color == "#abcdef"  # type: ignore[union-attr]
    assert p.store.codes.get(theme.codes[1].id).color == tint("#123456", 1)  # type: ignore[union-attr]
    p.close()
    qdc = tmp_path / "book.qdc"
    run = CliRunner().invoke
    out = run(main, ["--project", str(tmp_path / "a"), "export", "qdc", "--out", str(qdc)])
    assert out.exit_code == 0, out.output
    assert "#123456" in qdc.read_text(encoding="utf-8").lower()
    (tmp_path / "b").mkdir()
    make_project(tmp_path / "b").close()  # the same guide, its own colours
    out = run(main, ["--project", str(tmp_path / "b"), "import", str(qdc)])
    assert out.exit_code == 0, out.output
    back = Project.open(tmp_path / "b")
    try:
        colours = {c.name: c.color.lower() for c in back.store.codes.all()}
        assert colours[theme.name] == "#123456" and colours[theme.codes[0].name] == "#abcdef"
    finally:
        back.close()


def test_cli_sets_a_colour_and_refuses_a_non_colour(tmp_path: Path) -> None:
    make_project(tmp_path).close()
    base = ["--project", str(tmp_path), "codes", "colour", "organisering"]
    ok = CliRunner().invoke(main, [*base, "#8dd3c7"])
    assert ok.exit_code == 0 and "#8dd3c7" in ok.output, ok.output
    bad = CliRunner().invoke(main, [*base, "green"])
    assert bad.exit_code != 0 and "#rrggbb" in bad.output and "Traceback" not in bad.output

"""Keyword-in-context lines: punctuation hugs the match, brackets stay in one column, and the
plain search output names the case."""

from __future__ import annotations

from collections.abc import Callable

from click.testing import Result

from qualcode.search import Hit, kwic_line


def _hit(left: str, match: str, right: str) -> Hit:
    return Hit("t", "Liten kommune 9", 0, "Informant", 0, len(match), match, left, right)


def test_punctuation_hugs_the_match() -> None:
    assert kwic_line(_hit("med", "pårørende", ". Så"), 10).endswith("med [pårørende]. Så")
    assert kwic_line(_hit("sa", "hjemme", ", men"), 10).endswith("sa [hjemme], men")
    assert kwic_line(_hit("de sa «", "hjemme", "» og"), 10).endswith("«[hjemme]» og")
    assert kwic_line(_hit("med", "pårørende", "som"), 10).endswith("med [pårørende] som")
    assert kwic_line(_hit("", "Pårørende", "spiller"), 10).strip() == "[Pårørende] spiller"
    assert kwic_line(_hit("med", "pårørende", ""), 10).endswith("[pårørende]")


def test_brackets_line_up() -> None:
    lines = [
        kwic_line(_hit(left, "x", "y"), 12) for left in ("en lang venstre side", "(", "kort", "")
    ]
    assert len({line.index("[") for line in lines}) == 1


def test_plain_search_lines_name_the_case(cli: Callable[..., Result]) -> None:
    result = cli("search", "pårørende")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines and all(line.startswith("Liten kommune 9 · liten-9 #") for line in lines)

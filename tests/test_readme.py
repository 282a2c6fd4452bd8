"""The README tells the truth: its two commands, the CI script, the key contract."""

from __future__ import annotations

import re
from pathlib import Path

from qualcode.tui.keys import KEY_CONTRACT

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_exactly_two_commands_and_ci_runs_the_second() -> None:
    head = README.split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)\n```", head, flags=re.S)
    venv = "python3 -m venv .venv && . .venv/bin/activate && "
    assert blocks == [
        venv + "pip install -e . && qualcode",
        venv + 'pip install -e ".[test]" && pip install --no-deps krippendorff-unitized-alpha && '
        "lint-imports && mypy qualcode && ruff format --check "
        "qualcode tests benchmarks && ruff check qualcode tests benchmarks && python -m pytest -q",
    ]
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert blocks[1] in ci.splitlines()  # verbatim, on a line of its own


def test_every_key_of_the_contract_is_in_the_readme_as_the_help_shows_it() -> None:
    rows = dict(re.findall(r"^\| `([^`]+)` \| (.+?) \|$", README, flags=re.M))
    for key, meaning in KEY_CONTRACT:
        assert rows.get(key) == meaning, key


def test_readme_shows_the_transcript_screen() -> None:
    capture = (REPO / "docs" / "transcript-screen.txt").read_text(encoding="utf-8").rstrip()
    assert capture.splitlines()[0] in README
    assert capture in README  # the whole capture, key bar included

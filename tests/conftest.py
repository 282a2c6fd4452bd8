"""Shared fixtures: a small project folder built from the repository's guide."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"

TRANSCRIPT_A = """---
case: Liten kommune 9
size: liten
region: Nord
informants: [Kreftkoordinator]
date: 2024-11-01
duration_min: 40
---
Syntetisk testintervju.

[00:00:04] Intervjuer: Hvordan samarbeider dere med pårørende?

[00:00:10] Kreftkoordinator: Vi har tett kontakt med pårørende. De ringer oss når som helst.

Vi har også samtaler med familien før utskrivelse.

[00:01:02] Intervjuer: Og fastlegen?

[00:01:08] Kreftkoordinator: Fastlegene er viktige. Noen er mer engasjert enn andre.
"""

TRANSCRIPT_B = """---
case: Stor kommune 9
size: stor
region: Vest
informants: [Leder, Kreftkoordinator]
---
[00:00:03] Intervjuer: Hvordan er tilbudet organisert?

[00:00:09] Leder: Vi har et palliativt team og åtte palliative senger.

[00:00:30] Kreftkoordinator: Og så har vi kreftkoordinatorer i hver sone.
"""


@pytest.fixture(autouse=True)
def workspace_language(monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test sees the workspace in English unless it asks for Norwegian (``norwegian``):
    the machine's own locale must not decide what a screen says in a test."""
    monkeypatch.setenv("QUALCODE_LANG", "en")
    return "en"


@pytest.fixture
def norwegian(monkeypatch: pytest.MonkeyPatch) -> str:
    """The workspace in Norwegian Bokmål (QUALCODE_LANG=nb)."""
    monkeypatch.setenv("QUALCODE_LANG", "nb")
    return "nb"


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    """A project folder: the real guide and two small transcripts, not yet opened."""
    root = tmp_path / "study"
    (root / "transcripts").mkdir(parents=True)
    shutil.copy(REPO / "interview_guide.yaml", root / "interview_guide.yaml")
    (root / "transcripts" / "liten-9.md").write_text(TRANSCRIPT_A, encoding="utf-8")
    (root / "transcripts" / "stor-9.md").write_text(TRANSCRIPT_B, encoding="utf-8")
    return root


@pytest.fixture
def cli(project_dir: Path) -> Callable[..., Result]:
    """Run a qualcode command on the fixture project, as a user would."""
    from qualcode.cli import main

    runner = CliRunner()

    def run(*args: str) -> Result:
        return runner.invoke(main, ["--project", str(project_dir), *args], catch_exceptions=False)

    return run

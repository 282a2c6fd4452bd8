"""The agreement commands on the demo study, tried as a new user would, against references
built here from the stored texts and codings alone: NVivo's formula character by character,
and `krippendorff-unitized-alpha` on continua cut out independently."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from qualcode.cli import main
from qualcode.project import Project
from tests.conftest import REPO

try:
    from krippendorff_unitized_alpha.krippendorffs_unitized_alpha import (
        EMPTY_TAG,
        KrippendorffUnitizedAlpha,
        Segment,
    )
except ImportError:  # pragma: no cover - optional, see tests/test_unitizing.py
    KrippendorffUnitizedAlpha = None


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("demo")
    shutil.copytree(REPO / "transcripts", root / "transcripts")
    shutil.copy(REPO / "interview_guide.yaml", root)
    return root


def _json(root: Path, *args: str) -> dict:
    result = CliRunner().invoke(
        main, ["--project", str(root), "agreement", "--coders", "anna", "bjorn", *args, "--json"]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _stored(root: Path):  # type: ignore[no-untyped-def]
    with Project.open(root) as project:
        return project.store.transcripts.all(), [
            c for c in project.store.codings.all() if c.status == "ok"
        ]


def test_code_transcript_reproduces_nvivo_cell_for_cell(demo: Path) -> None:
    got = _json(demo, "--by", "code-transcript")
    transcripts, codings = _stored(demo)
    codes = {c.code for c in codings if c.coder in ("anna", "bjorn")}
    assert {(c["code"], c["transcript"]) for c in got["cells"]} == {
        (code, t.id) for code in codes for t in transcripts
    }
    texts = {t.id: t.text for t in transcripts}
    for cell in got["cells"]:
        tu = len(texts[cell["transcript"]])
        marks = {}
        for coder in ("anna", "bjorn"):
            m = np.zeros(tu, dtype=bool)
            for c in codings:
                if (c.coder, c.code, c.transcript) == (coder, cell["code"], cell["transcript"]):
                    m[max(0, c.start) : min(tu, c.end)] = True
            marks[coder] = m
        a, b = marks["anna"], marks["bjorn"]
        ta = int((a == b).sum())
        ef = (a.sum() * b.sum() + (tu - a.sum()) * (tu - b.sum())) / tu
        kappa = 1.0 if tu == ef else (ta - ef) / (tu - ef)  # NVivo: 1 where 0/0
        assert cell["kappa"] == pytest.approx(kappa, abs=1e-9)
        assert cell["percent_agreement"] == pytest.approx(ta / tu, abs=1e-9)
        assert (cell["both"], cell["a_only"], cell["b_only"], cell["neither"]) == (
            int((a & b).sum()),
            int((a & ~b).sum()),
            int((b & ~a).sum()),
            int((~a & ~b).sum()),
        )
    assert "NVivo" in got["convention"]


def test_every_output_states_pooling_spread_and_too_few_units(demo: Path) -> None:
    got = _json(demo)
    assert "pooled" in got["pooling"] and "independent" in got["pooling"]
    kappas = [s["cohen_kappa"] for s in got["per_code"].values() if s["cohen_kappa"] is not None]
    spread = got["per_code_spread"]["cohen_kappa"]
    assert spread["n_codes"] == len(kappas)
    assert spread["mean"] == pytest.approx(np.mean(kappas))
    assert spread["median"] == pytest.approx(np.median(kappas))
    assert (spread["min"], spread["max"]) == (min(kappas), max(kappas))
    # "Frivillighetssentral og praktisk hjelp" stands on two turns: no verdict but that.
    small = [s for s in got["per_code"].values() if s["coded_units"] == 2]
    assert small and all(s["verdict"] == "too_few" for s in small)
    lo, hi = got["overall"]["alpha_ci"]
    assert lo < got["overall"]["krippendorff_alpha"] < hi
    text = (
        CliRunner()
        .invoke(main, ["--project", str(demo), "agreement", "--coders", "anna", "bjorn"])
        .stdout
    )
    assert "Overall is pooled" in text and "median" in text and "too few units" in text


def _continua(root: Path, code: str):  # type: ignore[no-untyped-def]
    """Each coder's segments of one code on the non-whitespace characters of the turns, all
    transcripts end to end (a gap pairs linearly, so joining continua changes nothing),
    built position by position."""
    transcripts, codings = _stored(root)
    segments: dict[str, list] = {"anna": [], "bjorn": []}
    offset = 0
    for t in transcripts:
        kept = sorted(
            {i for turn in t.turns for i in range(turn.start, turn.end) if not t.text[i].isspace()}
        )
        rank = {pos: k for k, pos in enumerate(kept)}
        for coder in segments:
            coded = np.zeros(len(kept), dtype=bool)
            for c in codings:
                if (c.coder, c.code, c.transcript) == (coder, code, t.id):
                    for pos in range(c.start, c.end):
                        if pos in rank:
                            coded[rank[pos]] = True
            start = 0
            for k in range(1, len(kept) + 1):
                if k == len(kept) or coded[k] != coded[start]:
                    tag = code if coded[start] else EMPTY_TAG
                    segments[coder].append(Segment(tag, offset + start, offset + k))
                    start = k
        offset += len(kept)
    return segments


@pytest.mark.skipif(KrippendorffUnitizedAlpha is None, reason="reference not installed")
def test_unitizing_matches_the_reference_on_the_demo(demo: Path) -> None:
    got = _json(demo, "--unitizing", "--all-turns")["unitizing"]  # the reference: every turn
    assert set(got) >= {"per_code", "per_theme", "Cu_alpha"}
    assert all(set(v) >= {"cu_alpha"} for v in got["per_theme"].values())
    for code in list(got["per_code"])[:12]:  # the reference is quadratic; a dozen is plenty
        want = KrippendorffUnitizedAlpha(_continua(demo, code)).result
        assert got["per_code"][code]["u_alpha"] == pytest.approx(want, abs=1e-9), code


def test_export_has_the_new_parts_and_a_methods_paragraph_naming_every_choice(
    demo: Path, tmp_path: Path
) -> None:
    out = tmp_path / "agreement.md"
    result = CliRunner().invoke(
        main,
        ["--project", str(demo), "export", "agreement", "--coders", "anna", "bjorn"]
        + ["--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    text = out.read_text("utf-8")
    method = text.split("## Metode", 1)[1]  # the demo's guide is Norwegian (nb)
    paragraph, references = method.split("### Referanser", 1)
    for choice in (
        "ytringer",  # the unit
        "Utvalget er 10 transkripsjoner kodet av begge koderne",  # the scope, and why
        "bare informantenes replikker",
        "pooling",  # how overall is pooled
        "Cohens κ",  # the coefficients
        "Krippendorffs α",
        "Brennan og Predigers κ",
        "Gwets AC1",
        "positivt samsvar",
        "bootstrap",  # the interval
        "10\u00a0000 trekninger",
        "fast frø (2007)",
        "0,800",  # the thresholds
        "0,667",
        "færre enn 16",
        "NVivo",
        "Cu-α",
    ):
        assert choice in paragraph, choice
    for author in (
        "Cohen, J. (1960)",
        "Krippendorff, K. (2004)",
        "Hayes, A. F., & Krippendorff, K. (2007)",
        "Brennan, R. L., & Prediger",
        "Gwet, K. L. (2008)",
        "Cicchetti",
        "Bloch, D. A., & Kraemer",
        "Mathet, Y., Bouvry, S., & Widlöcher",
        "NVivo",
        "ATLAS.ti",
    ):
        assert author in references, author
    # Every citation in the paragraph has its reference.
    for cited in ("Cohen 1960", "Hayes & Krippendorff 2007", "Gwet 2008", "Bloch & Kraemer"):
        assert cited in paragraph
    assert "## Spredning per kode" in text and "«Samlet» bygger på én 2×2-tabell" in text
    assert "## Kodesammenligning per kode og transkripsjon (NVivo)" in text
    assert "NVivos konvensjon" in text and "cu-α" in text
    assert "for få enheter" in text or "too few units" in text


def test_csv_and_docx_exports_carry_the_comparison_and_the_method(
    demo: Path, tmp_path: Path
) -> None:
    import csv as csvmod

    import docx

    csv_out, docx_out = tmp_path / "a.csv", tmp_path / "a.docx"
    for out in (csv_out, docx_out):
        result = CliRunner().invoke(
            main,
            ["--project", str(demo), "export", "agreement", "--coders", "anna", "bjorn"]
            + ["--out", str(out)],
        )
        assert result.exit_code == 0, result.output
    rows = list(csvmod.DictReader(csv_out.read_text("utf-8-sig").splitlines()))
    scopes = {r["scope"] for r in rows}
    assert {"code", "transcript", "overall", "code_transcript", "unitizing_theme"} <= scopes
    overall = next(r for r in rows if r["scope"] == "overall")
    assert float(overall["alpha_ci_low"]) < float(overall["krippendorff_alpha"])
    assert overall["gwet_ac1"] and overall["brennan_prediger"] and overall["positive_agreement"]
    document = docx.Document(str(docx_out))
    texts = [p.text for p in document.paragraphs]
    assert "Metode" in texts
    assert any("Hayes & Krippendorff 2007" in t for t in texts)

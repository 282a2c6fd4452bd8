"""`qualcode agreement` and `qualcode consensus` as a new user meets them: one transcript,
two coders' codings imported from a CSV of quotes, statistics checked against an
independent reference built by brute force from the overlap rule."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import krippendorff
import pytest
from click.testing import CliRunner
from sklearn.metrics import cohen_kappa_score

from qualcode.cli import main
from qualcode.project import Project

REPO = Path(__file__).resolve().parent.parent

INTERVIEW = """---
case: Midtre kommune 3
size: mellomstor
region: Øst
---
[00:00:01] Intervjuer: Hvordan er tilbudet organisert her?

[00:00:05] Leder: Vi har et palliativt team. Teamet har to sykepleiere og en lege.

[00:00:20] Intervjuer: Har dere egne senger?

[00:00:24] Leder: Ja, vi har fire palliative senger på sykehjemmet. De brukes mye.

[00:00:40] Intervjuer: Hvordan finner dere pasientene?

[00:00:44] Leder: Fastlegen henviser, og vi bruker SPICT i hjemmetjenesten.

[00:01:10] Intervjuer: Og pårørende?

[00:01:14] Leder: Pårørende får samtaler. Vi ringer dem etter dødsfall.

[00:01:40] Leder: Noen vil dø hjemme, og da lager vi en plan B med korttidsplass.
"""

# (coder, code name, quote): ann and bo agree on some turns and not on others.
QUOTES = [
    ("ann", "Palliativt team", "Vi har et palliativt team."),
    ("bo", "Palliativt team", "Teamet har to sykepleiere og en lege."),
    ("ann", "Lindrende/palliative senger", "vi har fire palliative senger på sykehjemmet"),
    ("bo", "Lindrende/palliative senger", "fire palliative senger"),
    ("ann", "SPICT", "vi bruker SPICT i hjemmetjenesten"),
    ("bo", "Henvisninger og melding", "Fastlegen henviser"),
    ("ann", "Henvisninger og melding", "Fastlegen henviser, og vi bruker SPICT"),
    ("bo", "Plan B", "lager vi en plan B"),
    ("ann", "Korttidsplasser og institusjon", "plan B med korttidsplass"),
    ("bo", "Korttidsplasser og institusjon", "fire palliative senger på sykehjemmet"),
    ("bo", "Palliativt team", "Hvordan er tilbudet organisert her?"),
]


@pytest.fixture
def study(tmp_path: Path) -> Path:
    root = tmp_path / "study"
    (root / "transcripts").mkdir(parents=True)
    shutil.copy(REPO / "interview_guide.yaml", root / "interview_guide.yaml")
    (root / "transcripts" / "midtre-3.md").write_text(INTERVIEW, encoding="utf-8")
    quotes = tmp_path / "quotes.csv"
    with quotes.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["transcript", "coder", "code", "quote"])
        for coder, code, quote in QUOTES:
            writer.writerow(["midtre-3", coder, code, quote])
    result = run(root, "codings", "import", str(quotes))
    assert result.exit_code == 0, result.output
    return root


def run(root: Path, *args: str):  # type: ignore[no-untyped-def]
    # The consensus walks here cover every turn: the disagreement they decide is bo's coding
    # of the interviewer's first question (a walk covers informant turns only by default).
    if args[:1] == ("consensus",) and not set(args) & {"set-coder", "sync", "reset"}:
        args = ("consensus", "--all-turns", *args[1:])
    return CliRunner().invoke(main, ["--project", str(root), *args], catch_exceptions=False)


def reference(root: Path, units: str, codes: list[str] | None = None) -> dict:
    """Decision vectors by brute force: a coder has a code on a unit when one of their
    codings of it shares a non-whitespace character position with the unit."""
    with Project.open(root) as project:
        t = project.store.transcripts.all()[0]
        codings = project.store.codings.all()
        text = t.text
        if units == "turn":
            unit_sets = [
                {i for i in range(u.start, u.end) if not text[i].isspace()} for u in t.turns
            ]
        else:  # character
            unit_sets = [
                {i} for u in t.turns for i in range(u.start, u.end) if not text[i].isspace()
            ]
        unit_sets = [s for s in unit_sets if s]
    in_scope = codes or sorted({c.code for c in codings if c.coder in ("ann", "bo")})

    def has(coder: str, code: str, unit: set[int]) -> int:
        return int(
            any(
                c.coder == coder and c.code == code and unit & set(range(c.start, c.end))
                for c in codings
            )
        )

    vectors = {
        code: ([has("ann", code, u) for u in unit_sets], [has("bo", code, u) for u in unit_sets])
        for code in in_scope
    }
    used = [c for c in in_scope if any(vectors[c][0]) or any(vectors[c][1])]

    def stats(a: list[int], b: list[int]) -> dict:
        return {
            "percent_agreement": sum(x == y for x, y in zip(a, b, strict=True)) / len(a),
            "cohen_kappa": cohen_kappa_score(a, b),
            "krippendorff_alpha": krippendorff.alpha(
                reliability_data=[a, b], level_of_measurement="nominal"
            ),
        }

    all_a = [x for c in used for x in vectors[c][0]]
    all_b = [x for c in used for x in vectors[c][1]]
    return {
        "n_units": len(unit_sets),
        "overall": stats(all_a, all_b),
        "per_code": {
            c: stats(*vectors[c]) for c in used if len(set(vectors[c][0] + vectors[c][1])) > 1
        },
    }


def assert_close(got: dict, want: dict) -> None:
    for key, value in want.items():
        assert got[key] == pytest.approx(value, abs=1e-6), key


@pytest.mark.parametrize("unit", ["turn", "character"])
def test_agreement_json_matches_independent_reference(study: Path, unit: str) -> None:
    every = ["--all-turns"] if unit == "turn" else []  # the reference reads every turn
    result = run(study, "agreement", "--coders", "ann", "bo", "--unit", unit, *every, "--json")
    assert result.exit_code == 0, result.output
    got = json.loads(result.output)
    assert set(got) == {
        "scope",
        "unit",
        "coders",
        "n_units",
        "pooling",
        "overall",
        "per_code_spread",
        "per_code",
        "per_transcript",
    }
    assert got["unit"] == unit and got["coders"] == ["ann", "bo"]
    want = reference(study, unit)
    assert got["n_units"] == want["n_units"]
    assert_close(got["overall"], want["overall"])
    assert want["per_code"]  # the study has codes with variation to compare
    for code, stats in want["per_code"].items():
        assert_close(got["per_code"][code], stats)
    # One transcript: its row is the overall one.
    assert_close(got["per_transcript"]["midtre-3"], want["overall"])


def test_turn_units_counts_and_undefined_statistic(study: Path) -> None:
    got = json.loads(
        run(study, "agreement", "--coders", "ann", "bo", "--all-turns", "--json").output
    )
    assert got["n_units"] == 9
    team = got["per_code"]["palliativt-team"]
    # Both coded the team turn; bo alone coded the interviewer's first question.
    assert (team["both"], team["only_a"], team["only_b"]) == (1, 0, 1)
    spict = got["per_code"]["spict"]
    assert (spict["both"], spict["only_a"], spict["only_b"]) == (0, 1, 0)
    only = json.loads(
        run(
            study,
            "agreement",
            "--coders",
            "ann",
            "bo",
            "--code",
            "SPICT",
            "--code",
            "Lindrende/palliative senger",
            "--all-turns",
            "--json",
        ).output
    )
    assert set(only["per_code"]) == {"spict", "palliative-senger"}
    senger = only["per_code"]["palliative-senger"]
    assert senger["cohen_kappa"] == pytest.approx(1.0)
    assert senger["percent_agreement"] == 1.0


def test_informant_only_drops_interviewer_turns(study: Path) -> None:
    got = json.loads(
        run(study, "agreement", "--coders", "ann", "bo", "--informant-only", "--json").output
    )
    assert got["n_units"] == 5
    assert got["per_code"]["palliativt-team"]["only_b"] == 0
    # informant turns are the default for turn units, and the report says so
    default = json.loads(run(study, "agreement", "--coders", "ann", "bo", "--json").output)
    assert default["n_units"] == 5 and default["scope"]["informant_only"] is True
    assert default["scope"]["label"] == (
        "1 transcript coded by both; informant turns only (the interviewer's left out)"
    )
    text = run(study, "agreement", "--coders", "ann", "bo", "--all-turns").output
    assert "Scope: 1 transcript coded by both; all turns (the interviewer's too)" in text


def test_sentence_units_run_and_are_cached(study: Path) -> None:
    result = run(
        study, "agreement", "--coders", "ann", "bo", "--unit", "sentence", "--all-turns", "--json"
    )
    assert result.exit_code == 0, result.output
    got = json.loads(result.output)
    # More sentences than turns: several informant turns hold two sentences.
    assert got["n_units"] > 9
    with Project.open(study) as project:
        t = project.store.transcripts.all()[0]
        cached = project.store.analysis.get(t.id, t.hash)
        assert cached is not None and len(cached["sentences"]) == got["n_units"]
        assert any(lemma == "seng" for _, _, lemma in cached["lemmas"])


def test_human_output_has_table_and_verdict(study: Path) -> None:
    result = run(study, "agreement", "--coders", "ann", "bo")
    assert result.exit_code == 0, result.output
    assert "Palliativt team" in result.output and "Overall" in result.output
    assert any(v in result.output for v in ("reliable", "tentative", "unreliable"))
    assert "midtre-3" in result.output


@pytest.mark.parametrize(
    "args, needle",
    [
        (["--coders", "ann", "zed"], 'no coder "zed"'),
        (["--coders", "ann", "bo", "--code", "nope"], 'no code "nope"'),
        (["--coders", "ann", "bo", "--transcript", "nowhere"], "nowhere"),
    ],
)
def test_unknown_names_are_clear_errors(study: Path, args: list[str], needle: str) -> None:
    result = CliRunner().invoke(main, ["--project", str(study), "agreement", *args])
    assert result.exit_code == 1
    assert needle in result.output and "Traceback" not in result.output


def test_consensus_from_the_command_line(study: Path) -> None:
    listing = json.loads(
        run(
            study, "consensus", "--coders", "ann", "bo", "--code", "Palliativt team", "--json"
        ).output
    )
    assert listing["total"] == 1 and listing["decided"] == 0
    d = listing["disagreements"][0]
    assert d["b"] and not d["a"] and "organisert" in d["text"]
    result = run(
        study,
        "consensus",
        "decide",
        "--coders",
        "ann",
        "bo",
        "--code",
        "Palliativt team",
        "--at",
        d["transcript"],
        str(d["start"]),
        str(d["end"]),
        "--choice",
        "b",
        "--json",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["remaining"] == 0
    again = json.loads(
        run(
            study, "consensus", "--coders", "ann", "bo", "--code", "palliativt-team", "--json"
        ).output
    )
    assert again["decided"] == 1 and again["disagreements"][0]["decision"]["choice"] == "b"
    with Project.open(study) as project:
        made = project.store.codings.all(coder="consensus")
        text = project.store.transcripts.all()[0].text
    # The decided unit, plus every turn where ann and bo agreed on a code, as ann coded it.
    decided = [c for c in made if "accepted B (bo)" in c.memo]
    assert [(c.start, c.end) for c in decided] == [(d["start"], d["end"])]
    agreed = {(c.code, c.quote) for c in made if "agreed by A (ann) and B (bo)" in c.memo}
    assert agreed == {
        ("palliativt-team", "Vi har et palliativt team."),
        ("palliative-senger", "vi har fire palliative senger på sykehjemmet"),
        ("henvisning", "Fastlegen henviser, og vi bruker SPICT"),
    }
    assert len(made) == 4 and all(text[c.start : c.end] == c.quote for c in made)
    # Renaming the consensus coder takes its codings along, decisions still find them.
    result = run(study, "consensus", "set-coder", "fasit")
    assert result.exit_code == 0 and "4 consensus codings moved" in result.output
    with Project.open(study) as project:
        assert project.store.codings.all(coder="consensus") == []
        assert sorted(c.id for c in project.store.codings.all(coder="fasit")) == sorted(
            c.id for c in made
        )
        assert project.store.settings.get("consensus_coder") == "fasit"
    again = json.loads(
        run(
            study, "consensus", "--coders", "ann", "bo", "--code", "palliativt-team", "--json"
        ).output
    )
    assert again["decided"] == 1 and again["disagreements"][0]["decision"]["coder"] == "fasit"


def test_analysis_cache_sentences_inside_turns(study: Path) -> None:
    from qualcode.analysis import ensure_analysis, lemmas, sentences
    from qualcode.study import StudyParts

    with Project.open(study) as project:
        assert project.language == "nb"
        t = project.store.transcripts.all()[0]
        # The first open imported and analysed the transcript: nothing is left to do.
        assert ensure_analysis(project, [t]) == 0
        calls: list[tuple[int, int, str]] = []
        swedish = StudyParts(project.store, project.guide, "sv")
        assert ensure_analysis(swedish, [t], lambda *a: calls.append(a)) == 1
        assert calls == [(1, 1, "midtre-3")]
        spans = sentences(project, t)
        turns = [(u.start, u.end) for u in t.turns]
        assert all(any(s >= a and e <= b for a, b in turns) for s, e in spans)
        assert t.text[spans[1][0] : spans[1][1]] == "Vi har et palliativt team."
        words = lemmas(project, t)
        assert all(t.text[s:e].strip() == t.text[s:e] for s, e, _ in words)
        # Another language is analysed afresh, not read from the Norwegian cache.
        assert ensure_analysis(StudyParts(project.store, language="en"), [t]) == 1


def _team_disagreement(study: Path) -> dict:
    listing = json.loads(
        run(
            study, "consensus", "--coders", "ann", "bo", "--code", "Palliativt team", "--json"
        ).output
    )
    return listing["disagreements"][0]


def test_decide_takes_the_options_given_before_it(study: Path) -> None:
    d = _team_disagreement(study)
    at = [d["transcript"], str(d["start"]), str(d["end"])]
    result = run(
        study,
        "consensus",
        "--coders",
        "ann",
        "bo",
        "--code",
        "palliativt-team",
        "decide",
        "--at",
        *at,
        "--choice",
        "b",
    )
    assert result.exit_code == 0, result.output
    assert "Decided" in result.output and "0 left" in result.output


def test_edit_is_checked_against_the_unit_and_can_be_words(study: Path) -> None:
    d = _team_disagreement(study)  # the interviewer's question, bo alone
    base = [
        "consensus",
        "--all-turns",
        "decide",
        "--coders",
        "ann",
        "bo",
        "--code",
        "palliativt-team",
        "--at",
        d["transcript"],
        str(d["start"]),
        str(d["end"]),
        "--choice",
        "edit",
    ]
    outside = CliRunner().invoke(main, ["--project", str(study), *base, "--span", "60", "80"])
    assert outside.exit_code == 1 and "not inside the disputed unit" in outside.output
    backwards = CliRunner().invoke(
        main, ["--project", str(study), *base, "--span", str(d["end"]), str(d["start"])]
    )
    assert backwards.exit_code == 1 and "empty or reversed" in backwards.output
    assert "Traceback" not in outside.output + backwards.output
    result = run(study, *base, "--quote", "tilbudet organisert", "--json")
    assert result.exit_code == 0, result.output
    decision = json.loads(result.output)["decision"]
    with Project.open(study) as project:
        made = [c for c in project.store.codings.all(coder="consensus") if "edited" in c.memo]
    assert [c.quote for c in made] == ["tilbudet organisert"]
    assert f"edited to {made[0].start}-{made[0].end}" in decision["memo"]


def test_exports_say_whose_codings_they_used(study: Path, tmp_path: Path) -> None:
    out = tmp_path / "codings.csv"
    first = run(study, "export", "codings", "--out", str(out))
    assert "Kodinger: ann, bo — kodede passasjer, sammenslått" in first.output
    assert "consensus" not in first.output
    d = _team_disagreement(study)
    run(
        study,
        "consensus",
        "decide",
        "--coders",
        "ann",
        "bo",
        "--code",
        "palliativt-team",
        "--at",
        d["transcript"],
        str(d["start"]),
        str(d["end"]),
        "--choice",
        "b",
    )
    # one decision leaves the default as it was: a partial consensus is never the default
    again = run(study, "export", "codings", "--out", str(out), "--force")
    assert again.exit_code == 0, again.output
    assert "Kodinger: ann, bo — kodede passasjer, sammenslått" in again.output
    asked = run(study, "export", "codings", "--out", str(out), "--force", "--coder", "consensus")
    assert asked.exit_code == 0, asked.output
    total = _disagreements(study)
    assert f"Kodinger: konsensus ({total - 1} av {total} uenigheter uavgjort)" in asked.output
    with out.open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
    # The decided unit and the turns both coders agreed on, not one lone coding.
    assert len(rows) > 1 and {r["coder"] for r in rows} == {"consensus"}
    mine = run(study, "export", "codings", "--out", str(out), "--force", "--coder", "bo")
    assert "Kodinger: bo — kodede passasjer" in mine.output
    shown = run(study, "comparison", "show", "--coder", "consensus")
    assert shown.exit_code == 0 and "uenigheter uavgjort" in shown.output


def _disagreements(study: Path) -> int:
    """Every disagreement of ann and bo, over every code, as the consensus counts them."""
    listed = run(study, "agreement", "--coders", "ann", "bo", "--all-turns", "--json")
    report = json.loads(listed.stdout)
    return sum(s["only_a"] + s["only_b"] for s in report["per_code"].values())


def test_sync_and_reset_from_the_command_line(study: Path) -> None:
    d = _team_disagreement(study)
    run(
        study,
        "consensus",
        "decide",
        "--coders",
        "ann",
        "bo",
        "--code",
        "palliativt-team",
        "--at",
        d["transcript"],
        str(d["start"]),
        str(d["end"]),
        "--choice",
        "b",
    )
    synced = run(study, "consensus", "sync")
    assert synced.exit_code == 0 and "0 added" in synced.output
    assert "1 of 5 disagreements decided" in synced.output
    refused = CliRunner().invoke(
        main,
        [
            "--project",
            str(study),
            "consensus",
            "--all-turns",
            "decide",
            "--coders",
            "bo",
            "ann",
            "--code",
            "palliativt-team",
            "--at",
            d["transcript"],
            str(d["start"]),
            str(d["end"]),
            "--choice",
            "a",
        ],
    )
    assert refused.exit_code == 1 and "consensus reset" in refused.output
    result = run(study, "consensus", "reset", "--yes")
    assert result.exit_code == 0 and "4 consensus codings removed" in result.output
    assert "Backup taken" in result.output
    with Project.open(study) as project:
        assert project.store.codings.all(coder="consensus") == []


def test_code_transcript_and_unitizing_from_the_cli(study: Path) -> None:
    got = json.loads(
        run(study, "agreement", "--coders", "ann", "bo", "--by", "code-transcript", "--json").output
    )
    assert set(got["cells"][0]) == {
        "code",
        "transcript",
        "kappa",
        "percent_agreement",
        "a_only",
        "b_only",
        "both",
        "neither",
    }
    with Project.open(study) as project:
        length = len(project.store.transcripts.all()[0].text)
    assert all(c["both"] + c["a_only"] + c["b_only"] + c["neither"] == length for c in got["cells"])
    unitized = json.loads(
        run(study, "agreement", "--coders", "ann", "bo", "--unitizing", "--json").output
    )["unitizing"]
    assert set(unitized) >= {"per_code", "per_theme", "Cu_alpha"}
    assert set(unitized["per_code"]) == set(
        json.loads(run(study, "agreement", "--coders", "ann", "bo", "--json").output)["per_code"]
    )
    assert all("u_alpha" in v for v in unitized["per_code"].values())
    assert all("cu_alpha" in v for v in unitized["per_theme"].values())
    text = run(study, "agreement", "--coders", "ann", "bo", "--by", "code-transcript").output
    assert "NVivo's convention" in text and "(TA − ΣEF)" in text
    text = run(study, "agreement", "--coders", "ann", "bo", "--unitizing").output
    assert "Cu-alpha, across themes" in text and "Overall is pooled" in text

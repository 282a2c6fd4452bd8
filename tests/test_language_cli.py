"""Issue 5's done-when, tried as a new user would: search, suggest and anon-check on the
demo study through the command line."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from qualcode.cli import main

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo") / "study"
    root.mkdir()
    shutil.copy(REPO / "interview_guide.yaml", root / "interview_guide.yaml")
    shutil.copytree(REPO / "transcripts", root / "transcripts")
    return root


@pytest.fixture(scope="module")
def run(demo: Path) -> Callable[..., Result]:
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(main, ["--project", str(demo), *args], catch_exceptions=False)

    return invoke


def _json(result: Result) -> list:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_lemma_search_finds_more_than_exact(run, demo):
    exact = _json(run("search", "pårørendes", "--json"))  # the first command imports
    lemma = _json(run("search", "pårørendes", "--mode", "lemma", "--json"))
    assert exact and len(lemma) > len(exact)
    assert {h["match"].lower() for h in exact} == {"pårørendes"}
    assert "pårørende" in {h["match"].lower() for h in lemma}
    exact_spans = {(h["transcript"], h["start"]) for h in exact}
    assert exact_spans <= {(h["transcript"], h["start"]) for h in lemma}
    # offsets point at the match in the stored text, inside the turn reported
    shown = _json(run("show", lemma[0]["transcript"], "--json"))
    turn = shown["turns"][lemma[0]["turn"]]
    assert turn["start"] <= lemma[0]["start"] < lemma[0]["end"] <= turn["end"]
    assert shown["text"][lemma[0]["start"] : lemma[0]["end"]] == lemma[0]["match"]
    assert set(lemma[0]) == {
        "transcript",
        "case",
        "turn",
        "speaker",
        "start",
        "end",
        "match",
        "left",
        "right",
    }


def test_lemma_search_reaches_the_lemma_from_an_inflected_query(run):
    hits = _json(run("search", "fastlegene", "--mode", "lemma", "--json"))
    assert "fastlege" in {h["match"].lower() for h in hits}


def test_fuzzy_search_forgives_a_typo(run):
    assert _json(run("search", "fastlgene", "--json")) == []
    hits = _json(run("search", "fastlgene", "--mode", "fuzzy", "--json"))
    assert "fastlegene" in {h["match"].lower() for h in hits}


def test_search_filters(run):
    all_hits = _json(run("search", "pårørende", "--json"))
    informants = _json(run("search", "pårørende", "--speaker", "informant", "--json"))
    small = _json(run("search", "pårørende", "--attr", "size=liten", "--json"))
    assert 0 < len(informants) < len(all_hits)
    assert all(h["speaker"] != "Intervjuer" for h in informants)
    assert small and all(h["case"].startswith("Liten") for h in small)
    one_case = _json(run("search", "pårørende", "--case", small[0]["case"], "--json"))
    assert {h["case"] for h in one_case} == {small[0]["case"]}
    text = run("search", "pårørende")
    assert text.exit_code == 0 and "[pårørende]" in text.stdout


def test_search_inside_a_code(run, demo):
    hits = _json(run("search", "pårørende", "--mode", "lemma", "--json"))
    first = hits[0]
    start, end = first["start"], first["end"]
    from qualcode.model import Code, Coding
    from qualcode.project import Project

    # A fresh theme with a sub-code: coding the first hit with the sub-code must make
    # exactly that hit the theme's only one (the demo's own codings do not touch it).
    with Project.open(demo) as p:
        p.store.codes.upsert(Code("testtema", "Testtema", origin="inductive"))
        p.store.codes.upsert(Code("testkode", "Testkode", parent="testtema", origin="inductive"))
        t = p.store.transcripts.get(first["transcript"])
        p.store.codings.add(
            Coding(
                t.id, start, end, "testkode", "tester", quote=t.text[start:end], text_hash=t.hash
            )
        )
        family = {"parorende"} | {c.id for c in p.store.codes.all() if c.parent == "parorende"}
        spans = [(c.transcript, c.start, c.end) for c in p.store.codings.all() if c.code in family]
    inside = _json(run("search", "pårørende", "--mode", "lemma", "--code", "testtema", "--json"))
    assert [(h["transcript"], h["start"]) for h in inside] == [(first["transcript"], start)]
    # and for a theme with many codings: exactly the hits that lie inside one of them
    expected = [
        h
        for h in hits
        if any(t == h["transcript"] and s <= h["start"] and h["end"] <= e for t, s, e in spans)
    ]
    assert (
        _json(run("search", "pårørende", "--mode", "lemma", "--code", "parorende", "--json"))
        == expected
    )
    bad = run("search", "x", "--code", "no-such-code")
    assert bad.exit_code == 1 and "no-such-code" in bad.stderr


def _mod11(digits: str, weights: tuple[int, ...]) -> int | None:
    k = (11 - sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11) % 11
    return None if k == 10 else k


def _fnr(birth: str) -> str:
    for ind in range(100, 1000):
        base = f"{birth}{ind:03d}"
        k1 = _mod11(base, (3, 7, 6, 1, 8, 9, 4, 5, 2))
        k2 = None if k1 is None else _mod11(base + str(k1), (5, 4, 3, 2, 7, 6, 5, 4, 3, 2))
        if k2 is not None:
            return f"{base}{k1}{k2}"
    raise AssertionError("no valid number")


def test_anon_check_finds_all_four_and_passes_clean(run, tmp_path):
    fnr = _fnr("150385")
    leaky = tmp_path / "leaky.md"
    leaky.write_text(
        "Intervjuer: Hvem snakket du med?\n\n"
        "Informant: Jeg ringte Kari Hansen på 912 34 567.\n"
        f"Hun sendte fødselsnummeret {fnr} til post@example.no i går.\n",
        encoding="utf-8",
    )
    result = run("anon-check", str(leaky), "--json")
    assert result.exit_code == 1
    found = json.loads(result.stdout)
    assert {f["kind"] for f in found} == {"phone", "email", "fodselsnummer", "name"}
    by_kind = {f["kind"]: f for f in found}
    assert by_kind["name"]["text"] == "Kari Hansen" and by_kind["name"]["line"] == 3
    assert by_kind["fodselsnummer"]["text"] == fnr and by_kind["fodselsnummer"]["line"] == 4
    line4 = leaky.read_text(encoding="utf-8").splitlines()[3]
    assert line4[by_kind["email"]["column"] - 1 :].startswith("post@example.no")
    plain = run("anon-check", str(leaky))
    assert plain.exit_code == 1 and f"{leaky}:3:" in plain.stdout

    clean = tmp_path / "clean.md"
    clean.write_text(
        "Intervjuer: Hvordan går det?\n\nInformant: Vi ringer fastlegen kl. 14.00.\n",
        encoding="utf-8",
    )
    ok = run("anon-check", str(clean), "--json")
    assert ok.exit_code == 0 and json.loads(ok.stdout) == []


def test_anon_check_all_on_the_demo(run):
    result = run("anon-check", "--all", "--json")
    assert result.exit_code in (0, 1)
    assert (result.exit_code == 1) == bool(json.loads(result.stdout))
    usage = run("anon-check")
    assert usage.exit_code == 2


def test_suggest_accept_and_reject(run, demo):
    found = _json(run("suggest", "--transcript", "liten-kommune-1", "--coder", "ann", "--json"))
    assert found and all(s["transcript"] == "liten-kommune-1" for s in found)
    first, second = found[0], found[1]
    accepted = run("suggest", "accept", first["id"], "--coder", "ann")
    assert accepted.exit_code == 0, accepted.output
    rejected = run("suggest", "reject", second["id"], "--coder", "ann")
    assert rejected.exit_code == 0, rejected.output
    from qualcode.project import Project

    with Project.open(demo) as p:
        mine = p.store.codings.all(transcript="liten-kommune-1", coder="ann")
    assert [(c.start, c.end, c.code) for c in mine] == [
        (first["start"], first["end"], first["code"])
    ]
    assert mine[0].quote == first["text"]
    again = {
        s["id"]
        for s in _json(
            run("suggest", "--transcript", "liten-kommune-1", "--coder", "ann", "--json")
        )
    }
    assert first["id"] not in again and second["id"] not in again
    # another coder still sees both
    other = {
        s["id"]
        for s in _json(
            run("suggest", "--transcript", "liten-kommune-1", "--coder", "bob", "--json")
        )
    }
    assert {first["id"], second["id"]} <= other
    twice = run("suggest", "accept", first["id"], "--coder", "ann")
    assert twice.exit_code == 1 and "not a current suggestion" in twice.stderr

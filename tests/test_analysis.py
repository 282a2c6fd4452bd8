"""Retrieval, co-occurrence and crosstabs on the demo study, checked against independent
counts made from `qualcode codings export` (characters as sets, not qualcode's merging)."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections import defaultdict
from pathlib import Path

import docx
import openpyxl
import pytest
import yaml
from click.testing import CliRunner

from qualcode.cli import main
from tests.conftest import REPO


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo")
    shutil.copytree(REPO / "transcripts", root / "transcripts")
    shutil.copy(REPO / "interview_guide.yaml", root)
    return root


def run(root: Path, *args: str):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(main, ["--project", str(root), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def _guide_tree() -> dict[str, str | None]:
    """Each code id's parent, from the guide itself."""
    guide = yaml.safe_load((REPO / "interview_guide.yaml").read_text("utf-8"))
    parent: dict[str, str | None] = {}
    for theme in guide["themes"]:
        parent[theme["id"]] = None
        for code in theme.get("codes", []):
            parent[code["id"]] = theme["id"]
    return parent


def _exported(root: Path) -> list[dict[str, str]]:
    out = run(root, "codings", "export", "--format", "csv").stdout
    return list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))


def _chars(rows: list[dict[str, str]], family: set[str]) -> dict[str, set[int]]:
    """Per transcript, the character positions coded with one of ``family`` (anna, bjorn)."""
    out: dict[str, set[int]] = defaultdict(set)
    for r in rows:
        if r["code"] in family and r["coder"] in ("anna", "bjorn"):
            out[r["transcript"]].update(range(int(r["start"]), int(r["end"])))
    return out


def _runs(positions: set[int]) -> int:
    """Connected runs of positions (a run: consecutive integers)."""
    return sum(1 for p in positions if p - 1 not in positions)


def _family(code: str, parent: dict[str, str | None]) -> set[str]:
    return {code} | {c for c, p in parent.items() if p == code}


def test_cooccurrence_equals_an_independent_count_of_intersecting_stretches(demo: Path) -> None:
    rows = _exported(demo)
    parent = _guide_tree()
    result = json.loads(run(demo, "cooccurrence", "--level", "all", "--json").stdout)
    assert result["scope"]["coders"] == ["anna", "bjorn"] and result["within"] == "passage"
    cells = {(c["a"], c["b"]): c["count"] for c in result["cells"]}
    ids = [c["id"] for c in result["codes"]]
    assert len(cells) == len(ids) * (len(ids) + 1) // 2  # every pair once, zeros included
    checked = nonzero = 0
    for a, b in [("kreftkoordinator", "palliativt-team"), ("spict", "pasienter-uten-kreft")] + [
        (x, y) for (x, y) in cells if x != y
    ][::17]:
        ca, cb = _chars(rows, _family(a, parent)), _chars(rows, _family(b, parent))
        expected = sum(_runs(ca[t] & cb[t]) for t in set(ca) & set(cb))
        assert cells.get((a, b), cells.get((b, a))) == expected, (a, b)
        checked += 1
        nonzero += expected > 0
    assert checked > 20 and nonzero >= 2
    for code in ("kreftkoordinator", "bemanning"):  # the diagonal: the code's own passages
        chars = _chars(rows, _family(code, parent))
        assert cells[(code, code)] == sum(_runs(p) for p in chars.values())


def test_cooccurrence_within_turns_counts_turns_holding_both(demo: Path) -> None:
    rows = _exported(demo)
    parent = _guide_tree()
    result = json.loads(run(demo, "cooccurrence", "--within", "turn", "--json").stdout)
    cells = {(c["a"], c["b"]): c["count"] for c in result["cells"]}
    turns = {}
    for tid in {r["transcript"] for r in rows}:
        shown = json.loads(run(demo, "show", tid, "--json").stdout)
        turns[tid] = [(t["start"], t["end"]) for t in shown["turns"]]
    a, b = "kreftkoordinator", "palliativt-team"
    ca, cb = _chars(rows, _family(a, parent)), _chars(rows, _family(b, parent))
    expected = sum(
        1
        for tid, spans in turns.items()
        for s, e in spans
        if ca[tid] & set(range(s, e)) and cb[tid] & set(range(s, e))
    )
    assert expected > 0 and cells.get((a, b), cells.get((b, a))) == expected


def test_crosstab_by_size_adds_up_to_independent_per_case_counts(demo: Path) -> None:
    rows = _exported(demo)
    parent = _guide_tree()
    table = json.loads(run(demo, "crosstab", "--by", "size", "--json").stdout)
    assert [c["value"] for c in table["columns"]] == ["stor", "mellomstor", "liten"]
    assert [c["cases"] for c in table["columns"]] == [4, 3, 3]
    size_of = {"stor": "stor", "mellomstor": "mellomstor", "liten": "liten"}
    by_row = {r["code"]: {c["value"]: c for c in r["cells"]} for r in table["rows"]}
    for code in ("bemanning", "kreftkoordinator", "spict"):
        chars = _chars(rows, _family(code, parent))
        per_size: dict[str, int] = defaultdict(int)
        cases: dict[str, set[str]] = defaultdict(set)
        for tid, positions in chars.items():
            size = size_of[tid.split("-")[0]]
            per_size[size] += _runs(positions)
            if positions:
                cases[size].add(tid)
        for size in ("stor", "mellomstor", "liten"):
            cell = by_row[code][size]
            assert cell["passages"] == per_size[size], (code, size)
            assert cell["cases_coded"] == len(cases[size])
            n = {"stor": 4, "mellomstor": 3, "liten": 3}[size]
            assert cell["share_of_cases"] == pytest.approx(len(cases[size]) / n)


def test_crosstab_by_speaker_and_an_unknown_attribute(demo: Path) -> None:
    table = json.loads(run(demo, "crosstab", "--by", "speaker", "--json").stdout)
    values = [c["value"] for c in table["columns"]]
    assert "Kreftkoordinator" in values and "Intervjuer" in values
    bad = CliRunner().invoke(main, ["--project", str(demo), "crosstab", "--by", "fylke"])
    assert bad.exit_code == 1 and "no case has the attribute «fylke»" in bad.output


def test_retrieve_kreftkoordinator_in_small_municipalities_whole_and_grouped(
    demo: Path, tmp_path: Path
) -> None:
    got = json.loads(
        run(demo, "retrieve", "Kreftkoordinator", "--attr", "size=liten", "--json").stdout
    )
    passages = got["passages"]
    assert passages and {p["attributes"]["size"] for p in passages} == {"liten"}
    everything = json.loads(run(demo, "retrieve", "kreftkoordinator", "--json").stdout)
    assert len(everything["passages"]) > len(passages)
    for p in passages:
        shown = json.loads(run(demo, "show", p["transcript"], "--json").stdout)
        assert shown["text"][p["start"] : p["end"]] == p["quote"]  # whole, not cut
        assert set(p) >= {"transcript", "case", "attributes", "coder", "code", "speaker"}
    cases = [p["case"] for p in passages]
    assert cases == sorted(cases)  # grouped by case
    out = tmp_path / "liten.docx"
    run(demo, "retrieve", "kreftkoordinator", "--attr", "size=liten", "--out", str(out))
    paragraphs = [p for p in docx.Document(str(out)).paragraphs]
    headings = [p.text for p in paragraphs if p.style.name == "Heading 2"]
    assert headings == sorted(set(cases))
    body = "\n".join(p.text for p in paragraphs)
    assert "anna, bjorn" in body  # the scope line
    assert " ".join(passages[0]["quote"].split()) in body
    book = tmp_path / "liten.xlsx"
    run(demo, "retrieve", "kreftkoordinator", "--attr", "size=liten", "--out", str(book))
    sheet = list(openpyxl.load_workbook(book).active.values)
    assert len(sheet) == len(passages) + 1


def test_retrieve_filters_by_coder_and_speaker(demo: Path) -> None:
    anna = json.loads(
        run(
            demo, "retrieve", "bemanning", "--coder", "anna", "--speaker", "informant", "--json"
        ).stdout
    )
    assert anna["scope"]["coders"] == ["anna"]
    assert {p["coder"] for p in anna["passages"]} == {"anna"}
    assert {p["role"] for p in anna["passages"]} == {"informant"}
    leader = json.loads(
        run(demo, "retrieve", "bemanning", "--speaker", "Kreftkoordinator", "--json").stdout
    )
    assert leader["passages"] and {p["speaker"] for p in leader["passages"]} == {"Kreftkoordinator"}


def test_export_cooccurrence_and_crosstab_through_the_export_table(
    demo: Path, tmp_path: Path
) -> None:
    table = json.loads(run(demo, "cooccurrence", "--json").stdout)
    cells = {(c["a"], c["b"]): c["count"] for c in table["cells"]}
    out = run(demo, "export", "cooccurrence", "--format", "csv", "--out", "-").stdout
    rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff"))))
    names = rows[0][1:]
    ids = [c["id"] for c in table["codes"]]
    assert names == [c["name"] for c in table["codes"]]
    first = rows[1]
    assert [int(v) for v in first[1:]] == [
        cells.get((ids[0], b), cells.get((b, ids[0]), 0)) for b in ids
    ]
    assert "anna, bjorn" in out  # the scope, said in the file
    png = tmp_path / "co.png"
    run(demo, "export", "cooccurrence", "--out", str(png))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    book = tmp_path / "ct.xlsx"
    run(demo, "export", "crosstab", "--out", str(book))
    sheet = list(openpyxl.load_workbook(book).active.values)
    assert sheet[0][1] == "stor: passasjer"
    crosstab = json.loads(run(demo, "crosstab", "--json").stdout)
    assert sheet[1][1] == crosstab["rows"][0]["cells"][0]["passages"]


@pytest.mark.parametrize("table", ["crosstab", "cooccurrence"])
def test_each_coding_is_read_once_and_merged_only_for_its_code_and_ancestors(
    demo: Path, monkeypatch: pytest.MonkeyPatch, table: str
) -> None:
    """Guards linear growth without timing: the codings are read once, as plain rows, one
    transcript at a time, and each is merged for its own row and its ancestors' rows only.
    A pass over every coding per code made the 300-transcript crosstab and co-occurrence
    grow 1.2-1.4x too fast."""
    from qualcode import cooccurrence, crosstab, scope
    from qualcode.project import Project
    from qualcode.store.codings import Codings

    merged, reads, objects = [0], [0], [0]
    union, stretches, every = scope._union, Codings.stretches, Codings.all

    def counting_union(spans):  # type: ignore[no-untyped-def]
        spans = list(spans)
        merged[0] += len(spans)
        return union(spans)

    def counting_reads(self, coders):  # type: ignore[no-untyped-def]
        reads[0] += 1
        return stretches(self, coders)

    def counting_objects(self, *args, **kw):  # type: ignore[no-untyped-def]
        objects[0] += 1
        return every(self, *args, **kw)

    with Project.open(demo) as project:
        chosen = scope.resolve(project, "all")
        parent = {c.id: c.parent for c in project.store.codes.all()}
        codings = [
            c for c in project.store.codings.all() if c.end > c.start and c.coder in chosen.coders
        ]
        monkeypatch.setattr(scope, "_union", counting_union)
        monkeypatch.setattr(Codings, "stretches", counting_reads)
        monkeypatch.setattr(Codings, "all", counting_objects)
        if table == "crosstab":
            shown = {c.id for c in crosstab.build_crosstab(project, chosen).codes}
        else:
            found = cooccurrence.build_cooccurrence(project.store, chosen, level="all")
            shown = {c.id for c in found.codes}

    def lineage(code: str | None) -> int:  # the code and its ancestors that are rows
        return 0 if code is None else (code in shown) + lineage(parent.get(code))

    assert len(codings) > 20 and len(shown) > 5
    assert reads[0] == 1 and objects[0] == 0
    # each coding reaches a merge once for its own row and once per ancestor's row
    assert merged[0] == sum(lineage(c.code) for c in codings)

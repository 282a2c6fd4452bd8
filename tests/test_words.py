"""Word frequencies of coded segments (qualcode.words) and the `words` command."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from qualcode.model import Coding, QualcodeError
from qualcode.nlp import lemma_tokens, stop_words
from qualcode.project import Project
from qualcode.words import SPOKEN_STOP_WORDS, word_frequencies


def _code_turns(project: Project) -> list[Coding]:
    """Code every informant turn: liten-9 with a theme's sub-code, stor-9 with the theme."""
    sub = next(c for c in project.store.codes.all() if c.parent == "parorende")
    out = []
    for t in project.store.transcripts.all():
        for turn in t.turns:
            if turn.role == "informant":
                code = sub.id if t.id == "liten-9" else "parorende"
                out.append(
                    Coding(
                        t.id,
                        turn.start,
                        turn.end,
                        code,
                        "ann",
                        t.text[turn.start : turn.end],
                        text_hash=t.hash,
                    )
                )
    return project.store.codings.add_many(out)


def _independent(codings: list[Coding]) -> Counter[str]:
    stops = stop_words("nb") | SPOKEN_STOP_WORDS["nb"]
    counts: Counter[str] = Counter()
    for c in codings:
        for _, _, lemma in lemma_tokens(c.quote, "nb"):
            word_ok = lemma.isalpha() or ("-" in lemma and lemma.replace("-", "").isalpha())
            if len(lemma) >= 3 and word_ok and lemma not in stops:
                counts[lemma] += 1
    return counts


@pytest.fixture
def coded(project_dir: Path):
    with Project.open(project_dir) as p:
        yield p, _code_turns(p)


def test_by_size_equals_an_independent_count(coded):
    project, codings = coded
    freqs = word_frequencies(project, "size", top=None)
    assert set(freqs) == {"liten", "stor"}
    for size, case_prefix in (("liten", "liten-9"), ("stor", "stor-9")):
        expected = _independent([c for c in codings if c.transcript == case_prefix])
        assert dict(freqs[size]) == dict(expected)
    assert "pårørende" in dict(freqs["liten"])
    assert not ({"vi", "og", "er", "har"} & set(dict(freqs["liten"])))  # stop words dropped


def test_interview_fillers_are_not_counted(project_dir):
    (project_dir / "transcripts" / "prat-9.md").write_text(
        "---\ncase: Liten kommune 9\n---\n[00:00:01] Intervjuer: Hva gjør dere?\n\n"
        "[00:00:05] Kreftkoordinator: Altså, hvis pårørende ringer, så er det liksom sånn "
        "at vi egentlig alltid, eh, kanskje ringer fastlegen. Hva skal man si? Nei, f.eks. "
        "hver gang.\n",
        encoding="utf-8",
    )
    with Project.open(project_dir) as project:
        _code_turns(project)
        counted = {w for ws in word_frequencies(project, "case", top=None).values() for w, _ in ws}
    assert {"pårørende", "ringe", "fastlege"} <= counted
    fillers = {
        "altså",
        "hvis",
        "liksom",
        "sånn",
        "egentlig",
        "alltid",
        "kanskje",
        "hva",
        "nei",
        "hver",
        "f.eks.",
    }
    assert not fillers & counted


def test_by_theme_includes_sub_codes_and_top_orders(coded):
    project, codings = coded
    freqs = word_frequencies(project, "theme", top=3)
    assert list(freqs) == ["parorende"]
    counts = [n for _, n in freqs["parorende"]]
    assert len(counts) == 3 and counts == sorted(counts, reverse=True)
    assert counts[0] == max(_independent(codings).values())


def test_by_case_and_unknown_grouping(coded):
    project, _ = coded
    assert set(word_frequencies(project, "case")) == {"Liten kommune 9", "Stor kommune 9"}
    with pytest.raises(QualcodeError, match="cannot group"):
        word_frequencies(project, "colour")


def test_overlapping_codings_count_a_word_once(coded):
    project, codings = coded
    before = word_frequencies(project, "size", top=None)
    c = codings[0]
    project.store.codings.add(
        Coding(c.transcript, c.start, c.end, "organisering", "bob", c.quote, text_hash=c.text_hash)
    )
    assert word_frequencies(project, "size", top=None) == before


def test_words_command(coded, project_dir):
    from qualcode.cli import main
    from qualcode.cli.language_cmds import words

    if words.name not in main.commands:
        main.add_command(words)
    project, _ = coded
    expected = word_frequencies(project, "size", top=5)
    runner = CliRunner()
    as_json = runner.invoke(
        main, ["--project", str(project_dir), "words", "--by", "size", "--top", "5", "--json"]
    )
    assert as_json.exit_code == 0, as_json.output
    answer = json.loads(as_json.stdout)
    assert answer["groups"] == {g: [list(x) for x in ws] for g, ws in expected.items()}
    assert answer["scope"]["kind"] == "all" and answer["scope"]["count"] == "passages"
    as_csv = runner.invoke(
        main, ["--project", str(project_dir), "words", "--by", "size", "--top", "5", "--csv"]
    )
    first, rest = as_csv.stdout.split("\n", 1)
    assert first.startswith("# Kodinger: ")
    rows = list(csv.DictReader(io.StringIO(rest)))
    assert len(rows) == sum(len(ws) for ws in expected.values())
    assert rows[0]["group"] == "liten" and rows[0]["rank"] == "1"
    text = runner.invoke(main, ["--project", str(project_dir), "words", "--by", "size"])
    assert "== stor" in text.stdout and "█" in text.stdout
    both = runner.invoke(main, ["--project", str(project_dir), "words", "--json", "--csv"])
    assert both.exit_code == 2 and "one of --json and --csv" in both.output


async def test_words_screen_shows_bars_per_group(coded):
    from textual.app import App

    from qualcode.tui.screens.words import WordsScreen

    project, _ = coded
    screen = WordsScreen(project)

    class Host(App[None]):
        blind = False  # every coder's codings (blind mode has its own test)

        def on_mount(self) -> None:
            self.push_screen(screen)

    app = Host()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert list(screen.freqs) == ["parorende"]
        theme_name = project.store.codes.get("parorende").name
        assert theme_name in screen.render_bars().plain
        await pilot.press("g")
        await pilot.pause()
        assert screen.by == "size" and set(screen.freqs) == {"liten", "stor"}
        top_word, top_n = screen.freqs["liten"][0]
        assert any(
            top_word in line and str(top_n) in line and "█" in line
            for line in screen.render_bars().plain.splitlines()
        )

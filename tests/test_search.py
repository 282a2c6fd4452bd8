"""Corpus search (qualcode.search): exact via FTS5, lemma, fuzzy, filters, index sync."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.model import Coding, QualcodeError
from qualcode.project import Project
from qualcode.search import Filters, kwic_line, max_typos, search
from tests.conftest import TRANSCRIPT_A


@pytest.fixture
def project(project_dir: Path):
    with Project.open(project_dir) as p:
        yield p


def _matches(hits) -> list[str]:
    return [h.match for h in hits]


def test_exact_is_word_bounded_and_case_insensitive(project):
    hits = search(project, "PÅRØRENDE")
    assert _matches(hits) == ["pårørende", "pårørende"]
    t = project.store.transcripts.get("liten-9")
    for h in hits:
        assert t.text[h.start : h.end] == h.match
        assert h.case == "Liten kommune 9"
    assert search(project, "pårøren") == []  # part of a word is no hit
    assert [h.speaker for h in hits] == ["Intervjuer", "Kreftkoordinator"]


def test_exact_phrase(project):
    hits = search(project, "palliativt team")
    assert _matches(hits) == ["palliativt team"]
    assert search(project, "team palliativt") == []
    assert "[palliativt team]" in kwic_line(hits[0])


def test_lemma_finds_inflected_forms(project):
    exact = search(project, "fastlegen")
    lemma = search(project, "fastlegen", mode="lemma")
    assert _matches(exact) == ["fastlegen"]
    assert sorted(m.lower() for m in _matches(lemma)) == ["fastlegen", "fastlegene"]


def test_fuzzy_forgives_a_typo_and_diacritics(project):
    assert _matches(search(project, "parorende", mode="fuzzy")) == ["pårørende", "pårørende"]
    assert "Fastlegene" in _matches(search(project, "fastlgene", mode="fuzzy"))
    assert search(project, "fastlgene") == []
    assert max_typos("kari") == 1 and max_typos("ok") == 0


def test_fuzzy_counts_swapped_letters_as_one_typo(project):
    assert "Fastlegene" in _matches(search(project, "fastelgene", mode="fuzzy"))
    assert _matches(search(project, "pårørnede", mode="fuzzy")) == ["pårørende", "pårørende"]


def test_unknown_case_or_attribute_is_an_error_not_silence(project):
    assert search(project, "pårørende", filters=Filters(case="liten KOMMUNE 9"))  # any case
    with pytest.raises(QualcodeError, match='no case "Oslo"'):
        search(project, "pårørende", filters=Filters(case="Oslo"))
    with pytest.raises(QualcodeError, match='attribute "sise"'):
        search(project, "pårørende", filters=Filters(attrs=(("sise", "liten"),)))
    with pytest.raises(QualcodeError, match="size=enorm"):
        search(project, "pårørende", filters=Filters(attrs=(("size", "enorm"),)))


def test_filters(project):
    assert [
        h.speaker for h in search(project, "pårørende", filters=Filters(speaker="informant"))
    ] == ["Kreftkoordinator"]
    assert search(project, "pårørende", filters=Filters(case="Stor kommune 9")) == []
    assert search(project, "kreftkoordinatorer", filters=Filters(attrs=(("size", "stor"),)))
    assert search(project, "kreftkoordinatorer", filters=Filters(attrs=(("size", "liten"),))) == []


def test_code_filter_includes_sub_codes(project):
    t = project.store.transcripts.get("liten-9")
    start = t.text.index("Vi har tett kontakt")
    end = t.text.index("helst.") + len("helst.")
    sub = next(c for c in project.store.codes.all() if c.parent == "parorende")
    project.store.codings.add(
        Coding(t.id, start, end, sub.id, "ann", t.text[start:end], text_hash=t.hash)
    )
    hits = search(project, "pårørende", filters=Filters(code="parorende"))
    assert [(h.start, h.match) for h in hits] == [(t.text.index("pårørende. De"), "pårørende")]
    assert search(project, "pårørende", filters=Filters(code="organisering")) == []


def test_index_follows_a_replaced_transcript(project, project_dir):
    changed = TRANSCRIPT_A.replace("Fastlegene er viktige", "Legevakten er viktig")
    (project_dir / "transcripts" / "liten-9.md").write_text(changed, encoding="utf-8")
    project.import_paths([project_dir / "transcripts"], replace=True)
    assert search(project, "fastlegene") == []
    assert _matches(search(project, "legevakten")) == ["Legevakten"]
    assert search(project, "legevakt", mode="lemma")  # the analysis follows the new text too


def test_bad_input_is_a_sentence(project):
    with pytest.raises(QualcodeError, match="mode"):
        search(project, "x", mode="regex")
    with pytest.raises(QualcodeError, match="no word"):
        search(project, "?!")
    with pytest.raises(QualcodeError, match="no code"):
        search(project, "x", filters=Filters(code="nope"))
    assert search(project, 'sa"mar') == []  # quotes cannot break the FTS query


# the TUI screen ----------------------------------------------------------------------


class _Host:
    """A tiny App that pushes one screen and keeps what it is dismissed with."""

    @staticmethod
    def make(screen):  # type: ignore[no-untyped-def]
        from textual.app import App

        class Host(App[None]):
            result: object = "unset"

            def on_mount(self) -> None:
                self.push_screen(screen, self.done)

            def done(self, value: object) -> None:
                self.result = value

        return Host()


async def test_search_screen_codes_a_hit_and_reports_enter(project):
    from qualcode.analysis import sentences
    from qualcode.tui.dialogs.picker import CodePicker
    from qualcode.tui.screens.search import SearchScreen

    screen = SearchScreen(project, "ann", code="csnat")
    app = _Host.make(screen)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*"pårørende", "enter")
        await pilot.pause()
        assert [h.match for h in screen.hits] == ["pårørende", "pårørende"]
        await pilot.press("down", "c")  # the informant's hit, coded with the given code
        await pilot.pause()
        hit = screen.hits[1]
        (coding,) = project.store.codings.all(coder="ann")
        t = project.store.transcripts.get(hit.transcript)
        sentence = next((s, e) for s, e in sentences(project, t) if s <= hit.start < e)
        assert (coding.start, coding.end, coding.code) == (*sentence, "csnat")
        screen.code = None  # without a code, `c` asks the picker
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CodePicker)
        await pilot.press("escape")
        await pilot.pause()
        assert len(project.store.codings.all()) == 1
        await pilot.press("ctrl+t")  # lemma -> fuzzy
        await pilot.pause()
        assert screen.mode == "fuzzy" and len(screen.hits) == 2  # searched again
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.result == screen.hits[1]


LEMMA_TEXT = """---
case: Liten kommune 8
size: liten
---
[00:00:01] Intervjuer: Hvordan får dere beskjed?

[00:00:05] Sykepleier: Vi får en e-melding fra sykehuset. Sykepleierne ringer også.
Det viktigste er å ha en plan B. Mange som dør hjemme, har en plan.
"""


@pytest.fixture
def lemma_project(tmp_path: Path):
    root = tmp_path / "lemmas"
    (root / "transcripts").mkdir(parents=True)
    (root / "interview_guide.yaml").write_text(
        (Path(__file__).resolve().parent.parent / "interview_guide.yaml").read_text("utf-8"),
        encoding="utf-8",
    )
    (root / "transcripts" / "liten-8.md").write_text(LEMMA_TEXT, encoding="utf-8")
    with Project.open(root) as p:
        yield p


def test_lemma_search_sees_compound_parts_and_dictionary_forms(lemma_project):
    p = lemma_project
    assert _matches(search(p, "melding", mode="lemma")) == ["melding"]  # inside "e-melding"
    assert _matches(search(p, "e-melding", mode="lemma")) == ["e-melding"]
    assert "Sykepleierne" in _matches(search(p, "sykepleier", mode="lemma"))
    assert _matches(search(p, "plan B", mode="lemma")) == ["plan B"]  # the full stop stays out
    assert _matches(search(p, "dø", mode="lemma")) == ["dør"]  # the verb, in this field

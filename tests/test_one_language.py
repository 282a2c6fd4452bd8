"""One language per screen: every screen of the workspace, drawn with QUALCODE_LANG=nb and
with QUALCODE_LANG=en, shows no word that only the other language's catalog uses.

The words to look for come from the catalogs themselves (a word of an English message that
no Norwegian translation uses, and the other way round), less the study's own words (the
guide and the transcripts are Norwegian whatever the workspace speaks), so a screen that
shows an untranslated string, or a translated one on the wrong screen, is caught."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from textual.screen import Screen

from qualcode.model import QualcodeError
from qualcode.project import Project
from qualcode.tui.app import QualcodeApp
from qualcode.tui.dialogs.picker import CodePicker
from qualcode.tui.dialogs.prompts import HelpScreen, MemoEditor, memo_title
from qualcode.tui.exporting import start_export
from qualcode.tui.scope_choice import choose_scope
from qualcode.tui.screens.agreement import AgreementScreen
from qualcode.tui.screens.anon import AnonScreen
from qualcode.tui.screens.codebook import CodebookScreen
from qualcode.tui.screens.comparison import ComparisonScreen
from qualcode.tui.screens.consensus import ConsensusScreen
from qualcode.tui.screens.cooccurrence import CooccurrenceScreen
from qualcode.tui.screens.crosstab import CrosstabScreen
from qualcode.tui.screens.home import HomeScreen
from qualcode.tui.screens.matrix import CellEditorScreen, MatrixScreen
from qualcode.tui.screens.memos import MemosScreen
from qualcode.tui.screens.retrieval import RetrievalScreen
from qualcode.tui.screens.search import SearchScreen
from qualcode.tui.screens.section_editor import SectionEditorScreen
from qualcode.tui.screens.suggestions import SuggestionsScreen
from qualcode.tui.screens.transcript import TranscriptScreen
from qualcode.tui.screens.words import WordsScreen
from tests.conftest import REPO
from tests.test_screen_sizes import capture
from tests.test_tui import TID, make_project

WORD = re.compile(r"[^\W\d_]{4,}")  # words of four letters or more: fewer shared by chance
SIZE = (200, 50)


def _catalog_words(lang: str) -> set[str]:
    path = REPO / "qualcode" / "locale" / lang / "LC_MESSAGES" / "qualcode.po"
    with path.open("rb") as f:
        po = read_po(f, locale=lang)
    words: set[str] = set()
    for m in po:
        if not m.id:
            continue
        for text in m.string if isinstance(m.string, tuple) else (m.string,):
            # {placeholders} are names, not words of either language
            words |= {w.casefold() for w in WORD.findall(re.sub(r"\{[^{}]*\}", " ", text))}
    return words


def _study_words(root: Path) -> set[str]:
    """The study's own words: the guide, the transcripts and the coders' names."""
    texts = [(root / "interview_guide.yaml").read_text("utf-8")]
    texts += [p.read_text("utf-8") for p in (root / "transcripts").glob("*")]
    return {w.casefold() for t in texts for w in WORD.findall(t)}


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("languages")
    p = make_project(root)
    # two coders on both transcripts, a memo and a summary: every screen has something
    for tid in p.store.transcripts.ids():
        t = p.store.transcripts.get(tid)
        turn = next(u for u in t.turns if u.role == "informant")
        from qualcode.coding import make_coding

        p.store.codings.add(make_coding(t, turn.start, turn.end, "parorende", "ann"))
        p.store.codings.add(make_coding(t, turn.start, turn.end - 5, "parorende", "bo"))
    p.store.summaries.set("Liten kommune 1", "theme", "parorende", "Tett kontakt.", "ann")
    p.close()
    return root


@pytest.fixture
def project(study: Path):  # type: ignore[no-untyped-def]
    p = Project.open(study)
    yield p
    p.close()


def screens(project: Project) -> dict[str, Callable[[], Screen]]:  # type: ignore[type-arg]
    matrix = MatrixScreen(project, "ann")
    section = project.guide.report_sections[0] if project.guide else None

    def cell() -> Screen:  # type: ignore[type-arg]
        from qualcode import report
        from qualcode.scope import default_scope

        built = report.build_matrix(project, default_scope(project))
        return CellEditorScreen(project, "ann", built.cell("Liten kommune 1", "parorende"))

    def section_editor() -> Screen:  # type: ignore[type-arg]
        from qualcode import report
        from qualcode.scope import default_scope

        assert section is not None
        built = report.build_matrix(project, default_scope(project))
        return SectionEditorScreen(project, "ann", "Liten kommune 1", section, built)

    return {
        "home": lambda: HomeScreen(project, "ann"),
        "transcript": lambda: TranscriptScreen(project, "ann", TID),
        "help": HelpScreen,
        "codebook": lambda: CodebookScreen(project, "ann"),
        "retrieval": lambda: RetrievalScreen(project, "ann", "parorende"),
        "search": lambda: SearchScreen(project, "ann", query="pårørende"),
        "suggestions": lambda: SuggestionsScreen(project, "ann"),
        "agreement": lambda: AgreementScreen(project, "ann", "bo"),
        "consensus": lambda: ConsensusScreen(project, "ann", "bo", "parorende"),
        "matrix": lambda: matrix,
        "cell": cell,
        "section": section_editor,
        "comparison": lambda: ComparisonScreen(project, "ann"),
        "words": lambda: WordsScreen(project, coder="ann"),
        "memos": lambda: MemosScreen(project, "ann"),
        "cooccurrence": lambda: CooccurrenceScreen(project, "ann"),
        "crosstab": lambda: CrosstabScreen(project, "ann"),
        "anonymity": lambda: AnonScreen(project),
        "picker": lambda: CodePicker(project.store, "ann", "Vi har tett kontakt"),
        "memo editor": lambda: MemoEditor(memo_title("case", "Liten kommune 1"), "…"),
    }


def dialogs(project: Project) -> dict[str, Callable[[QualcodeApp], object]]:
    """Dialogs and lists that open from a screen rather than being one."""
    return {
        "whose codings": lambda app: choose_scope(app, project, "ann", lambda _s: None, True),
        "export": lambda app: start_export(app, project),
        "palette": lambda app: app.action_command_palette(),
    }


SCREEN_NAMES = [
    *("home", "transcript", "help", "codebook", "retrieval", "search", "suggestions"),
    *("agreement", "consensus", "matrix", "cell", "section", "comparison", "words"),
    *("memos", "cooccurrence", "crosstab", "anonymity", "picker", "memo editor"),
    *("whose codings", "export", "palette"),
]


@pytest.mark.parametrize(("lang", "other"), [("nb", "en"), ("en", "nb")])
@pytest.mark.parametrize("name", SCREEN_NAMES)
async def test_a_screen_speaks_one_language(
    project: Project,
    study: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    lang: str,
    other: str,
) -> None:
    monkeypatch.setenv("QUALCODE_LANG", lang)
    foreign = _catalog_words(other) - _catalog_words(lang) - _study_words(study)
    foreign -= {"ann"}
    app = QualcodeApp(project, "ann")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        opened = dialogs(project).get(name)
        try:
            if opened is not None:
                opened(app)
            else:
                app.push_screen(screens(project)[name]())
        except QualcodeError as err:  # a screen that cannot open says why
            pytest.fail(str(err))
        await pilot.pause()
        await pilot.pause()
        text = "\n".join(capture(app))
    shown = {w.casefold() for w in WORD.findall(text)}
    assert not shown & foreign, f"{name} in {lang} shows {other} words: {sorted(shown & foreign)}"
    # and it does speak its own language: some word only its catalog has is on the screen
    own = _catalog_words(lang) - _catalog_words(other)
    assert shown & own, f"{name} in {lang}: no word of its own catalog on screen"

"""The one registry of the transcript screen's keys: what ``?`` and the README list
(KEY_CONTRACT) and the bindings of the screen and of its text view, built from the same rows,
so a key cannot be bound without being documented or documented without being bound.

Meanings and key-bar labels are English message ids (marked ``N_`` for the catalogs), shown in
the workspace's language where they are drawn (the ``?`` screen, the key bar).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType

from qualcode.i18n import N_

THEME_KEYS = "1234567890"


@dataclass(frozen=True)
class Bound:
    """One binding a row of the contract makes: Textual's key name(s), the action, the label
    in the key bar (empty: none) and whether the key bar shows it."""

    key: str
    action: str
    label: str = ""
    show: bool = False


@dataclass(frozen=True)
class KeyRow:
    """A row of the contract: the keys as a user types them, what they do, and the bindings
    they make on the transcript screen (``screen``) and in its text view (``view``)."""

    keys: str
    meaning: str
    screen: tuple[Bound, ...] = ()
    view: tuple[Bound, ...] = ()


def _themes() -> tuple[Bound, ...]:
    return tuple(Bound(k, f"theme({i})") for i, k in enumerate(THEME_KEYS))


KEYS: tuple[KeyRow, ...] = (
    KeyRow(
        "c",
        N_("code the selection (or the sentence under the cursor) with the picker"),
        (Bound("c", "code", N_("Code"), True),),
    ),
    KeyRow("1 … 9, 0", N_("apply the guide's first ten themes directly"), _themes()),
    KeyRow("t", N_("select the whole turn"), (Bound("t", "select_turn", N_("Turn")),)),
    KeyRow(
        "x",
        N_("remove your coding under the cursor (asks which, where codings overlap)"),
        (Bound("x", "remove", N_("Remove"), True),),
    ),
    KeyRow(
        "e",
        N_("recode: move your coding under the cursor to another code (the picker)"),
        (Bound("e", "recode", N_("Recode"), True),),
    ),
    KeyRow(
        "[ / ]",
        N_("move your coding's start a word earlier / later"),
        (
            Bound("left_square_bracket", "resize('start_back')", N_("Start a word earlier")),
            Bound("right_square_bracket", "resize('start_on')", N_("Start a word later")),
        ),
    ),
    KeyRow(
        "{ / }",
        N_("move your coding's end a word earlier / later"),
        (
            Bound("left_curly_bracket", "resize('end_back')", N_("End a word earlier")),
            Bound("right_curly_bracket", "resize('end_on')", N_("End a word later")),
        ),
    ),
    KeyRow(
        "u / U",
        N_("undo the last change / redo it"),
        (Bound("u", "undo", N_("Undo"), True), Bound("U", "redo", N_("Redo"))),
    ),
    KeyRow(
        "m",
        N_("memo on your coding under the cursor (several lines; ctrl+s saves)"),
        (Bound("m", "memo", N_("Memo"), True),),
    ),
    KeyRow(
        "M",
        N_("memo on this transcript"),
        (Bound("M", "transcript_memo", N_("Transcript memo")),),
    ),
    KeyRow(
        "v",
        N_("coding stripes on/off: a bar per code beside each line (✎: a memo)"),
        (Bound("v", "stripes", N_("Coding stripes")),),
    ),
    KeyRow(
        "p",
        N_("place a coding the changed transcript left unplaced (⚑) on the selection"),
        (Bound("p", "place", N_("Place unplaced")),),
    ),
    KeyRow(
        "n / N",
        N_("next / previous informant turn you have not coded"),
        (
            Bound("n", "next_uncoded(True)", N_("Next uncoded"), True),
            Bound("N", "next_uncoded(False)", N_("Prev uncoded")),
        ),
    ),
    KeyRow(
        "/",
        N_("find in the transcript (again: / Enter finds the next hit)"),
        (Bound("slash", "find", N_("Find"), True),),
    ),
    KeyRow(
        "b",
        N_("blind mode on/off (on: only your own codings, on every screen)"),
        (Bound("b", "blind", N_("Blind"), True),),
    ),
    KeyRow(
        "r",
        N_("retrieval: every segment of the code under the cursor"),
        (Bound("r", "retrieve", N_("Retrieve")),),
    ),
    KeyRow(
        "g",
        N_("suggestions: sentences matching a code's keywords (a accept, r reject)"),
        (Bound("g", "suggestions", N_("Suggestions")),),
    ),
    KeyRow(
        "s",
        N_("search the whole corpus: exact, lemma or fuzzy"),
        (Bound("s", "search", N_("Search corpus")),),
    ),
    KeyRow(
        "i",
        N_("side panel on/off (off at first on a terminal under 100 columns)"),
        (Bound("i", "side_panel", N_("Side panel")),),
    ),
    KeyRow("ctrl+p", N_("command palette with every action")),
    KeyRow(
        N_("arrows"),
        N_("move; shift+arrows select"),
        view=(
            Bound("left", "move('char', -1)", N_("Left")),
            Bound("right", "move('char', 1)", N_("Right")),
            Bound("up", "move('line', -1)", N_("Up")),
            Bound("down", "move('line', 1)", N_("Down")),
            Bound("shift+left", "move('char', -1, True)"),
            Bound("shift+right", "move('char', 1, True)"),
            Bound("shift+up", "move('line', -1, True)"),
            Bound("shift+down", "move('line', 1, True)"),
            Bound("pageup", "move('page', -1)"),
            Bound("pagedown", "move('page', 1)"),
            Bound("home", "move('home', -1)"),
            Bound("end", "move('end', 1)"),
        ),
    ),
    KeyRow(
        N_("ctrl+left/right"),
        N_("word steps (with shift: select)"),
        view=(
            Bound("ctrl+left", "move('word', -1)", N_("Word left")),
            Bound("ctrl+right", "move('word', 1)", N_("Word right")),
            Bound("ctrl+shift+left", "move('word', -1, True)"),
            Bound("ctrl+shift+right", "move('word', 1, True)"),
        ),
    ),
    KeyRow(
        N_("ctrl+up/down, ( )"),
        N_("sentence steps"),
        view=(
            Bound("ctrl+up,(", "move('sentence', -1)", N_("Sentence back")),
            Bound("ctrl+down,)", "move('sentence', 1)", N_("Sentence on")),
            Bound("ctrl+shift+up", "move('sentence', -1, True)"),
            Bound("ctrl+shift+down", "move('sentence', 1, True)"),
        ),
    ),
    KeyRow(N_("mouse drag"), N_("select")),
    KeyRow(
        "esc",
        N_("clear the selection"),
        view=(Bound("escape", "clear_selection", N_("Clear selection")),),
    ),
    KeyRow(
        "q",
        N_("back; quit from the home screen"),
        (Bound("q", "back", N_("Back"), True),),
    ),
    KeyRow("?", N_("this help"), (Bound("question_mark", "help", N_("Keys"), True),)),
)

# (keys, meaning): the ? screen and the README's key table (English message ids: the keys
# that are words, "arrows", "mouse drag", are shown translated too)
KEY_CONTRACT: list[tuple[str, str]] = [(row.keys, row.meaning) for row in KEYS]


def _bindings(bounds: list[Bound]) -> list[BindingType]:
    return [Binding(b.key, b.action, b.label, show=b.show) for b in bounds]


def screen_bindings() -> list[BindingType]:
    """The transcript screen's bindings, in the contract's order (the key bar's order)."""
    return _bindings([b for row in KEYS for b in row.screen])


def view_bindings() -> list[BindingType]:
    """The transcript view's bindings: moving and selecting in the text."""
    return _bindings([b for row in KEYS for b in row.view])

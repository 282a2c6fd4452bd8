"""The key contract of the transcript screen: shown by ``?`` and in the README, and the
source of the screen's bindings, so the keys and their description cannot drift apart."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType


@dataclass(frozen=True)
class KeyRow:
    """One row of the contract: the key as the help shows it, what it does, and the
    transcript screen's bindings for it (none when the text view or the app binds it)."""

    shown: str
    meaning: str
    bindings: tuple[Binding, ...] = ()


THEME_KEYS = "1234567890"

ROWS: list[KeyRow] = [
    KeyRow(
        "c",
        "code the selection (or the sentence under the cursor) with the picker",
        (Binding("c", "code", "Code"),),
    ),
    KeyRow(
        "1 … 9, 0",
        "apply the guide's first ten themes directly",
        tuple(
            Binding(k, f"theme({i})", f"Theme {k}", show=False) for i, k in enumerate(THEME_KEYS)
        ),
    ),
    KeyRow("t", "select the whole turn", (Binding("t", "select_turn", "Turn", show=False),)),
    KeyRow("x", "remove your coding under the cursor", (Binding("x", "remove", "Remove"),)),
    KeyRow(
        "u / U",
        "undo the last change / redo it",
        (
            Binding("u", "undo", "Undo"),
            Binding("U", "redo", "Redo", show=False),
        ),
    ),
    KeyRow(
        "m",
        "memo on your coding under the cursor (several lines; ctrl+s saves)",
        (Binding("m", "memo", "Memo"),),
    ),
    KeyRow(
        "M",
        "memo on this transcript",
        (Binding("M", "transcript_memo", "Transcript memo", show=False),),
    ),
    KeyRow(
        "v",
        "coding stripes on/off: a bar per code beside each line (✎: a memo)",
        (Binding("v", "stripes", "Coding stripes", show=False),),
    ),
    KeyRow(
        "p",
        "place a coding the changed transcript left unplaced (⚑) on the selection",
        (Binding("p", "place", "Place unplaced", show=False),),
    ),
    KeyRow(
        "n / N",
        "next / previous informant turn you have not coded",
        (
            Binding("n", "next_uncoded(True)", "Next uncoded"),
            Binding("N", "next_uncoded(False)", "Prev uncoded", show=False),
        ),
    ),
    KeyRow(
        "/",
        "find in the transcript (again: / Enter finds the next hit)",
        (Binding("slash", "find", "Find"),),
    ),
    KeyRow(
        "b",
        "blind mode on/off (on: only your own codings, on every screen)",
        (Binding("b", "blind", "Blind"),),
    ),
    KeyRow(
        "r",
        "retrieval: every segment of the code under the cursor",
        (Binding("r", "retrieve", "Retrieve", show=False),),
    ),
    KeyRow(
        "g",
        "suggestions: sentences matching a code's keywords (a accept, r reject)",
        (Binding("g", "suggestions", "Suggestions", show=False),),
    ),
    KeyRow(
        "s",
        "search the whole corpus: exact, lemma or fuzzy",
        (Binding("s", "search", "Search corpus", show=False),),
    ),
    KeyRow("ctrl+p", "command palette with every action"),
    KeyRow("arrows", "move; shift+arrows select"),
    KeyRow("ctrl+left/right", "word steps (with shift: select)"),
    KeyRow("ctrl+up/down, ( )", "sentence steps"),
    KeyRow("mouse drag", "select"),
    KeyRow("esc", "clear the selection"),
    KeyRow("?", "this help", (Binding("question_mark", "help", "Keys"),)),
    KeyRow("q", "back; quit from the home screen", (Binding("q", "back", "Back"),)),
]

KEY_CONTRACT: list[tuple[str, str]] = [(row.shown, row.meaning) for row in ROWS]
# The transcript screen's BINDINGS, in the contract's order (the key bar shows them so).
TRANSCRIPT_BINDINGS: list[BindingType] = [b for row in ROWS for b in row.bindings]


def contract_text() -> str:
    width = max(len(k) for k, _ in KEY_CONTRACT)
    return "\n".join(f"{k:<{width}}  {v}" for k, v in KEY_CONTRACT)

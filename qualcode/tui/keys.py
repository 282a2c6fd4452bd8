"""The key contract of the transcript screen, shown by ``?`` and in the README."""

from __future__ import annotations

KEY_CONTRACT: list[tuple[str, str]] = [
    ("c", "code the selection (or the sentence under the cursor) with the picker"),
    ("1 … 9, 0", "apply the guide's first ten themes directly"),
    ("t", "select the whole turn"),
    ("x", "remove your coding under the cursor"),
    ("u / U", "undo the last change / redo it"),
    ("m", "memo on your coding under the cursor (several lines; ctrl+s saves)"),
    ("M", "memo on this transcript"),
    ("v", "coding stripes on/off: a bar per code beside each line (✎: a memo)"),
    ("p", "place a coding the changed transcript left unplaced (⚑) on the selection"),
    ("n / N", "next / previous informant turn you have not coded"),
    ("/", "find in the transcript (again: / Enter finds the next hit)"),
    ("b", "blind mode on/off (on: only your own codings, on every screen)"),
    ("r", "retrieval: every segment of the code under the cursor"),
    ("g", "suggestions: sentences matching a code's keywords (a accept, r reject)"),
    ("s", "search the whole corpus: exact, lemma or fuzzy"),
    ("ctrl+p", "command palette with every action"),
    ("arrows", "move; shift+arrows select"),
    ("ctrl+left/right", "word steps (with shift: select)"),
    ("ctrl+up/down, ( )", "sentence steps"),
    ("mouse drag", "select"),
    ("esc", "clear the selection"),
    ("q", "back; quit from the home screen"),
    ("?", "this help"),
]


def contract_text() -> str:
    width = max(len(k) for k, _ in KEY_CONTRACT)
    return "\n".join(f"{k:<{width}}  {v}" for k, v in KEY_CONTRACT)

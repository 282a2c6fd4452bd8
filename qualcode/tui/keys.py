"""The key contract of the transcript screen, shown by ``?`` and in the README."""

from __future__ import annotations

from qualcode.i18n import N_

KEY_CONTRACT: list[tuple[str, str]] = [
    ("c", N_("code the selection (or the sentence under the cursor) with the picker")),
    ("1 … 9, 0", N_("apply the guide's first ten themes directly")),
    ("t", N_("select the whole turn")),
    ("x", N_("remove your coding under the cursor (asks which, where codings overlap)")),
    ("e", N_("recode: move your coding under the cursor to another code (the picker)")),
    ("[ / ]", N_("move your coding's start a word earlier / later")),
    ("{ / }", N_("move your coding's end a word earlier / later")),
    ("u / U", N_("undo the last change / redo it")),
    ("m", N_("memo on your coding under the cursor (several lines; ctrl+s saves)")),
    ("M", N_("memo on this transcript")),
    ("v", N_("coding stripes on/off: a bar per code beside each line (✎: a memo)")),
    ("p", N_("place a coding the changed transcript left unplaced (⚑) on the selection")),
    ("n / N", N_("next / previous informant turn you have not coded")),
    ("/", N_("find in the transcript (again: / Enter finds the next hit)")),
    ("b", N_("blind mode on/off (on: only your own codings, on every screen)")),
    ("r", N_("retrieval: every segment of the code under the cursor")),
    ("g", N_("suggestions: sentences matching a code's keywords (a accept, r reject)")),
    ("s", N_("search the whole corpus: exact, lemma or fuzzy")),
    ("i", N_("side panel on/off (off at first on a terminal under 100 columns)")),
    ("ctrl+p", N_("command palette with every action")),
    ("arrows", N_("move; shift+arrows select")),
    ("ctrl+left/right", N_("word steps (with shift: select)")),
    ("ctrl+up/down, ( )", N_("sentence steps")),
    ("mouse drag", N_("select")),
    ("esc", N_("clear the selection")),
    ("q", N_("back; quit from the home screen")),
    ("?", N_("this help")),
]

"""The key contract (tui/keys.py), the `?` screen and the transcript screen's bindings agree."""

from __future__ import annotations

import re

from textual.binding import Binding

from qualcode.tui.dialogs.prompts import key_table
from qualcode.tui.keys import KEY_CONTRACT
from qualcode.tui.screens.transcript import TranscriptScreen
from qualcode.tui.widgets.key_bar import key_label
from qualcode.tui.widgets.transcript_view import TranscriptView


def _contract_keys() -> set[str]:
    keys: set[str] = set()
    for key, _ in KEY_CONTRACT:
        keys |= {k for k in re.split(r" / |[ ,]+", key) if k and k != "…"}
    keys |= {str(d) for d in range(10)}  # "1 … 9, 0"
    return keys


def test_every_key_of_the_transcript_screen_is_in_the_contract() -> None:
    listed = _contract_keys()
    for binding in TranscriptScreen.BINDINGS:
        assert isinstance(binding, Binding)
        for key in binding.key.split(","):
            assert key_label(key.strip()) in listed, binding


def test_every_key_of_the_contract_has_a_binding() -> None:
    bound = {
        key_label(k.strip())
        for b in [*TranscriptScreen.BINDINGS, *TranscriptView.BINDINGS]
        if isinstance(b, Binding)
        for k in b.key.split(",")
    }
    for key in ("c", "e", "x", "m", "[", "]", "{", "}", "t", "u", "U", "p", "b", "?", "q"):
        assert key in bound, key
    # the ? screen shows the contract itself, row by row
    keys, meanings = (c._cells for c in key_table().columns)
    shown = [(str(k), str(m)) for k, m in zip(keys, meanings, strict=True)]
    assert shown == KEY_CONTRACT

"""Re-anchoring prefers the nearest match and flags an ambiguous one (issue 14, item 8)."""

from __future__ import annotations

import pytest

from qualcode.coding import Ambiguous, locate_quote, make_coding, reanchor
from qualcode.model import Transcript, Turn
from qualcode.text_shift import position_map

P = "Vi har et palliativt team som møtes hver uke og snakker om pasientene hjemme."
P_EDITED = "Vi har et palliativt team som møtes annenhver uke og snakker om pasientene hjemme."
FILLER = "".join(f"Dette er fyllsetning nummer {i} i intervjuet. " for i in range(80))


def transcript(text: str) -> Transcript:
    return Transcript(id="t", text=text, turns=[Turn("K", 0, len(text))], source="t.txt")


def test_an_edited_passage_near_by_beats_an_unedited_copy_far_away() -> None:
    old = transcript(FILLER + P + " " + FILLER + FILLER + P + " Slutt.")
    coding = make_coding(old, len(FILLER), len(FILLER) + len(P), "team", "ann")
    # heavy edits: the coded passage rewritten, text inserted before it; its copy unedited
    new = transcript(
        "Innledning. " * 30 + FILLER + P_EDITED + " " + FILLER + FILLER + P + " Slutt."
    )
    [placed] = reanchor([coding], new, old.text)
    original = new.text.index(P_EDITED)
    assert placed.coding.status == "ok"
    assert placed.coding.start == original, (placed.coding.start, original)
    assert placed.coding.quote == P_EDITED


def test_without_the_old_text_the_nearest_is_still_preferred() -> None:
    old = transcript(FILLER + P + " " + FILLER + FILLER + P + " Slutt.")
    coding = make_coding(old, len(FILLER), len(FILLER) + len(P), "team", "ann")
    new = transcript(FILLER + P_EDITED + " " + FILLER + FILLER + P + " Slutt.")
    [placed] = reanchor([coding], new)
    assert placed.coding.start == new.text.index(P_EDITED)


def test_two_equally_good_places_equally_near_are_flagged_not_placed() -> None:
    a = P.replace("hver uke", "hver dag")
    b = P.replace("Vi har", "Vi hadde")
    gap = " Mellom dem står det noe annet her. "
    text = FILLER[:600] + a + gap + b + FILLER[:600]
    middle = 600 + len(a) + len(gap) // 2 - len(P) // 2
    with pytest.raises(Ambiguous):
        locate_quote(text, P, near=middle)
    coding = make_coding(
        transcript(" " * middle + P + " " * 2000), middle, middle + len(P), "x", "ann"
    )
    [flagged] = reanchor([coding], transcript(text))
    assert flagged.method == "ambiguous" and flagged.coding.status == "unresolved"


def test_the_position_map_follows_insertions_and_deletions() -> None:
    old = "Første. Andre. Tredje. Fjerde."
    new = "Nytt først. Første. Tredje. Fjerde. Til slutt."
    moved = position_map(old, new)
    assert moved(old.index("Tredje")) == new.index("Tredje")
    assert moved(old.index("Fjerde")) == new.index("Fjerde")
    assert moved(0) == new.index("Første")

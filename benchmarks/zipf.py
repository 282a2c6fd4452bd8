"""A Zipf-distributed Norwegian vocabulary for the benchmark corpus.

The demo study has under 2,000 distinct words; a real corpus of 2.4 M words of Norwegian
interview speech has tens of thousands, mostly inflected and compound nouns that no
dictionary lists. Here the demo's words are the stems, each noun is inflected as Bokmål
inflects it (kommune, kommunen, kommuner, kommunene, kommunens …), and thousands of
compounds are formed from pairs of them (hjemmesykepleie + koordinator, with or without a
linking -s-). Sentences draw their words from that vocabulary with Zipf–Mandelbrot
frequencies, function words first: a few words are everywhere, most are rare.
"""

from __future__ import annotations

import itertools
import random
import re
from bisect import bisect_left
from collections.abc import Sequence

# The commonest words of spoken Bokmål, most frequent first (they take the top ranks).
FUNCTION_WORDS = (
    "og det er at jeg i på som vi de har ikke så en med for til han men du da var med "
    "seg hun kan om av skal et ja der vil må bare litt noe også få nå her når sånn veldig "
    "hvis mye eller fra godt eh liksom egentlig altså hva hvordan fordi mer mange andre"
).split()
FUNCTION_WORDS = tuple(dict.fromkeys(FUNCTION_WORDS))  # each once, in order
_WORD = re.compile(r"[a-zæøå]{4,}")


def inflections(stem: str) -> list[str]:
    """Bokmål noun forms of a masculine stem: definite, plural, definite plural, genitives."""
    if stem.endswith("e"):
        forms = [stem, stem + "n", stem + "r", stem + "ne"]
    else:
        forms = [stem, stem + "en", stem + "er", stem + "ene"]
    return forms + [forms[1] + "s", forms[3] + "s"]


def vocabulary(demo_words: Sequence[str], rng: random.Random, compounds: int = 8000) -> list[str]:
    """Distinct word forms, most frequent first: function words, then a shuffled mix of the
    demo's own words, their inflections and compounds of them."""
    stems = sorted({w for w in demo_words if _WORD.fullmatch(w)} - set(FUNCTION_WORDS))
    forms: dict[str, None] = dict.fromkeys(stems)
    for stem in stems:
        forms.update(dict.fromkeys(inflections(stem)))
    # Compounds join base forms: a word that already looks inflected is not a stem.
    bases = [s for s in stems if not s.endswith(("ene", "ens", "en", "er", "et", "s"))]
    heads = [s for s in bases if len(s) <= 9]
    made = 0
    for first, second in zip(
        itertools.cycle(rng.sample(heads, len(heads))),
        (rng.choice(bases) for _ in itertools.count()),
        strict=False,
    ):
        if made >= compounds:
            break
        link = "s" if rng.random() < 0.3 and not first.endswith("s") else ""
        compound = first + link + second
        if compound in forms or len(compound) > 24:
            continue
        forms.update(dict.fromkeys(inflections(compound)))
        made += 1
    rest = [f for f in forms if f not in FUNCTION_WORDS]
    rng.shuffle(rest)
    return list(FUNCTION_WORDS) + rest


class ZipfSentences:
    """Sentences of 5–18 words drawn from ``forms`` with P(rank r) ∝ 1 / (r + 2.7)."""

    def __init__(self, forms: Sequence[str]):
        self.forms = list(forms)
        total, cumulative = 0.0, []
        for rank in range(1, len(self.forms) + 1):
            total += 1.0 / (rank + 2.7)
            cumulative.append(total)
        self.cumulative = cumulative

    def words(self, rng: random.Random, n: int) -> list[str]:
        top = self.cumulative[-1]
        return [self.forms[bisect_left(self.cumulative, rng.random() * top)] for _ in range(n)]

    def __call__(self, rng: random.Random) -> str:
        words = self.words(rng, rng.randint(5, 18))
        if len(words) > 8 and rng.random() < 0.4:
            words[rng.randint(3, len(words) - 3)] += ","
        end = "?" if rng.random() < 0.08 else "."
        return words[0].capitalize() + " " + " ".join(words[1:]) + end

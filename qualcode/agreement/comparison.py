"""NVivo's coding comparison: one row per code × transcript, on every character of the
transcript's stored text, as NVivo counts a source's characters.

For one code and one transcript, with TU the transcript's characters:

- both, a_only, b_only, neither: characters coded by both coders, by A only, by B only, by
  neither (a character is coded when any of that coder's codings of the code covers it);
- percent agreement = (both + neither) / TU;
- κ = (TA − ΣEF) / (TU − ΣEF), TA = both + neither the characters agreed on, and
  ΣEF = ((both + a_only)(both + b_only) + (b_only + neither)(a_only + neither)) / TU the
  agreement expected by chance: Cohen's kappa on characters. Where it is 0/0 (the coders
  agree on every character: mostly where neither coded the code), κ = 1 and 100 %, NVivo's
  convention.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from qualcode.agreement.spans import intersect, length, merge
from qualcode.i18n import N_, ui
from qualcode.model import Coding, QualcodeError, Transcript

NVIVO_CONVENTION = N_(
    "κ = 1 and 100 % where the coders agree on every character, as where neither coded "
    "the code (NVivo's convention)"
)
# what the comparison is counted on, as --json says it (for scripts: not translated)
NVIVO_BASIS = "every character of the stored transcript text, as NVivo counts them"


@dataclass
class Cell:
    code: str
    transcript: str
    kappa: float
    percent_agreement: float
    a_only: int
    b_only: int
    both: int
    neither: int
    convention: bool = False  # κ = 1 by NVivo's convention, not by the formula

    def to_json(self) -> dict:
        return {
            "code": self.code,
            "transcript": self.transcript,
            "kappa": self.kappa,
            "percent_agreement": self.percent_agreement,
            "a_only": self.a_only,
            "b_only": self.b_only,
            "both": self.both,
            "neither": self.neither,
        }


def nvivo_kappa(both: int, a_only: int, b_only: int, neither: int) -> tuple[float, bool]:
    """κ by NVivo's formula, and whether it is 1 by NVivo's convention (0/0)."""
    total = both + a_only + b_only + neither
    agreed = both + neither
    expected = ((both + a_only) * (both + b_only) + (b_only + neither) * (a_only + neither)) / total
    if total - expected == 0:  # the coders agree on every character
        return 1.0, True
    return (agreed - expected) / (total - expected), False


def comparison(
    transcripts: list[Transcript],
    codings: list[Coding],
    coder_a: str,
    coder_b: str,
    codes: list[str],
) -> list[Cell]:
    """One cell per code (in the order given) × transcript (in the order given); a transcript
    without text has no characters to compare and no cells."""
    if coder_a == coder_b:
        raise QualcodeError(
            ui("agreement needs two different coders, not {coder} twice").format(
                coder=repr(coder_a)
            )
        )
    spans: dict[tuple[str, str, str], list[tuple[int, int]]] = defaultdict(list)
    for c in codings:
        if c.coder in (coder_a, coder_b):
            spans[(c.transcript, c.coder, c.code)].append((c.start, c.end))
    cells: list[Cell] = []
    for code in codes:
        for t in transcripts:
            total = len(t.text)
            if total == 0:
                continue
            a = _covered(spans.get((t.id, coder_a, code), []), total)
            b = _covered(spans.get((t.id, coder_b, code), []), total)
            both = length(intersect(a, b))
            a_only, b_only = length(a) - both, length(b) - both
            neither = total - both - a_only - b_only
            kappa, by_convention = nvivo_kappa(both, a_only, b_only, neither)
            percent = (both + neither) / total
            cells.append(
                Cell(code, t.id, kappa, percent, a_only, b_only, both, neither, by_convention)
            )
    return cells


def _covered(spans: list[tuple[int, int]], total: int) -> list[tuple[int, int]]:
    """A coder's codings of one code in one transcript, cut to its text and merged."""
    return merge([(max(0, s), min(total, e)) for s, e in spans])

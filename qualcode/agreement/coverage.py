"""Which transcripts and turns an agreement of two coders covers, and the words for it.

By default agreement covers only the transcripts both coders have coded: a transcript
neither opened would count as perfect agreement on "nothing here", and one only A coded
as B missing everything. Asked for, it covers the transcripts named (``--transcript``) or
those of the cases named (``--case``). For turn and sentence units it covers the
informants' turns only (the method codes what informants say); ``all_turns`` brings the
interviewer's turns back. Character units cover every turn unless informants only are
asked for. The consensus walk and the consensus set use the same rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qualcode.i18n import ui as _
from qualcode.model import Coding, QualcodeError
from qualcode.store import Store

BOTH, CHOSEN = "both", "chosen"


@dataclass(frozen=True)
class Coverage:
    coders: tuple[str, str]
    unit: str
    transcripts: tuple[str, ...]  # the transcripts covered, in the store's order
    how: str  # BOTH: those both coders coded; CHOSEN: named by transcript or case
    informant_only: bool
    left_out: tuple[str, ...] = ()  # with BOTH: transcripts only one of the two coded

    def transcripts_words(self, lang: str = "en") -> str:
        """``7 transcripts coded by both`` / ``7 transkripsjoner kodet av begge``."""
        n = len(self.transcripts)
        if lang.startswith("en"):
            noun = "transcript" if n == 1 else "transcripts"
            text = f"{n} {noun} " + ("coded by both" if self.how == BOTH else "chosen")
            if self.left_out:
                text += f" ({len(self.left_out)} coded by only one left out)"
            return text
        noun = "transkripsjon" if n == 1 else "transkripsjoner"
        text = f"{n} {noun} " + ("kodet av begge" if self.how == BOTH else "valgt")
        if self.left_out:
            text += f" ({len(self.left_out)} kodet av bare én utelatt)"
        return text

    def turns_words(self, lang: str = "en") -> str:
        if lang.startswith("en"):
            return (
                "informant turns only (the interviewer's left out)"
                if self.informant_only
                else "all turns (the interviewer's too)"
            )
        return (
            "bare informantenes replikker (intervjuerens utelatt)"
            if self.informant_only
            else "alle replikker (også intervjuerens)"
        )

    def words(self, lang: str = "en") -> str:
        return f"{self.transcripts_words(lang)}; {self.turns_words(lang)}"

    def to_json(self, lang: str = "en") -> dict[str, Any]:
        return {
            "transcripts": list(self.transcripts),
            "transcripts_chosen": self.how,
            "left_out": list(self.left_out),
            "informant_only": self.informant_only,
            "label": self.words(lang),
        }


def informant_only_default(
    unit: str, all_turns: bool = False, informant_only: bool = False
) -> bool:
    """Informant turns only: asked for, or by default for turn and sentence units."""
    if all_turns:
        return False
    return informant_only or unit in ("turn", "sentence")


def coded_by_both(
    store: Store, coder_a: str, coder_b: str, codings: list[Coding] | None = None
) -> list[str]:
    """The transcripts in which each of the two coders has at least one coding (among
    ``codings`` when the caller has read them all already)."""
    if codings is None:
        a = {c.transcript for c in store.codings.all(coder=coder_a) if c.status == "ok"}
        b = {c.transcript for c in store.codings.all(coder=coder_b) if c.status == "ok"}
    else:
        a = {c.transcript for c in codings if c.coder == coder_a and c.status == "ok"}
        b = {c.transcript for c in codings if c.coder == coder_b and c.status == "ok"}
    return [t for t in store.transcripts.ids() if t in a and t in b]


def _case_transcripts(store: Store, cases: tuple[str, ...] | list[str]) -> list[str]:
    by_case = store.transcripts.cases_by_id()
    names = sorted({c for c in by_case.values() if c})
    out: list[str] = []
    for key in cases:
        match = next((n for n in names if n.casefold() == key.strip().casefold()), None)
        if match is None:
            raise QualcodeError(
                _('no case "{case}" in this project (cases: {cases})').format(
                    case=key, cases=", ".join(names)
                )
            )
        out += [t for t, c in by_case.items() if c == match]
    return out


def coverage(
    store: Store,
    coder_a: str,
    coder_b: str,
    unit: str,
    *,
    transcripts: tuple[str, ...] | list[str] | None = None,
    cases: tuple[str, ...] | list[str] | None = None,
    all_turns: bool = False,
    informant_only: bool = False,
    codings: list[Coding] | None = None,
) -> Coverage:
    """What an agreement of A and B covers (see the module's docstring); ``codings``: every
    coding of the project, when the caller has read them already (read here otherwise)."""
    if all_turns and informant_only:
        raise QualcodeError(_("choose one of --all-turns and --informant-only"))
    only = informant_only_default(unit, all_turns, informant_only)
    known = store.transcripts.ids()
    if transcripts or cases:
        chosen = list(transcripts or [])
        for t in chosen:
            if t not in known:
                raise QualcodeError(_('no transcript "{id}" in this project').format(id=t))
        chosen += _case_transcripts(store, cases or [])
        wanted = set(chosen)
        ids = tuple(t for t in known if t in wanted)
        return Coverage((coder_a, coder_b), unit, ids, CHOSEN, only)
    both = coded_by_both(store, coder_a, coder_b, codings)
    if not both:
        raise QualcodeError(
            _(
                "{a} and {b} have not both coded any transcript yet; agreement "
                "compares transcripts both have coded (or name some with --transcript or --case)"
            ).format(a=coder_a, b=coder_b)
        )
    every = store.codings.all() if codings is None else codings
    coded = {c.transcript for c in every if c.coder in (coder_a, coder_b)}
    left_out = tuple(t for t in known if t in coded and t not in both)
    return Coverage((coder_a, coder_b), unit, tuple(both), BOTH, only, left_out)

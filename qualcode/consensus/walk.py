"""The consensus walk through two coders' disagreements on one code.

Each decision (accept A, accept B, keep both, drop, edit) is written as codings of the
consensus coder, with a memo saying what was decided, and remembered in the store's
consensus tables, keyed by (A, B, unit, code, transcript, span): the walk can be left and resumed, and deciding a
unit again replaces the earlier decision's codings. The disagreements themselves never
change with decisions, because they compare A and B only. The first decision also seeds
the consensus with the units both coders agreed on (see ``consensus.coding_set``), so the
consensus coder's codings are a final coding set, not only the decided disagreements.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qualcode.agreement.inputs import check_coders, covered_inputs, resolve_codes
from qualcode.agreement.units import Disagreement, disagreements
from qualcode.coding import locate_quote, make_coding, trim_span
from qualcode.consensus.coding_set import (
    MEMO_PREFIX,
    add_decision,
    check_basis,
    clip,
    consensus_coder,
    decision_key,
    drop_decision,
    read_decision,
)
from qualcode.consensus.coding_set import start as start_consensus
from qualcode.i18n import ui
from qualcode.model import Coding, QualcodeError, Transcript
from qualcode.store import Store, now
from qualcode.study import Study

CHOICES = ("a", "b", "both", "drop", "edit")

Span = tuple[int, int]


@dataclass
class Item:
    """One disagreement of the walk and its decision (None while undecided)."""

    disagreement: Disagreement
    coder_a: str
    coder_b: str
    unit: str
    decision: dict[str, Any] | None = None
    all_turns: bool = False  # the walk covers the interviewer's turns too

    @property
    def key(self) -> str:
        d = self.disagreement
        return decision_key(
            self.coder_a, self.coder_b, self.unit, d.code, d.transcript, d.start, d.end
        )

    @property
    def decided(self) -> bool:
        return self.decision is not None

    def to_json(self, text: str | None = None) -> dict[str, Any]:
        d = self.disagreement

        def side(codings: list[Coding]) -> list[dict[str, Any]]:
            return [
                {"id": c.id, "start": c.start, "end": c.end, "quote": c.quote, "memo": c.memo}
                for c in codings
            ]

        out: dict[str, Any] = {
            "transcript": d.transcript,
            "start": d.start,
            "end": d.end,
            "code": d.code,
            "a": side(d.a_codings),
            "b": side(d.b_codings),
            "decision": self.decision,
        }
        if text is not None:
            out["text"] = text[d.start : d.end]
        return out


def walk(
    study: Study,
    coder_a: str,
    coder_b: str,
    code: str,
    *,
    unit: str = "turn",
    transcript_ids: list[str] | tuple[str, ...] | None = None,
    informant_only: bool = False,
    cases: list[str] | tuple[str, ...] | None = None,
    all_turns: bool = False,
) -> list[Item]:
    """Every disagreement of A and B on ``code`` (id or name) within the agreement
    coverage (by default the transcripts both coded, informant turns for turn and sentence
    units; see ``agreement.coverage``), with its decision so far."""
    store = study.store
    check_coders(store, coder_a, coder_b)
    code_id = resolve_codes(store, [code])[0]
    covered, data = covered_inputs(
        study, coder_a, coder_b, unit, transcript_ids, cases, all_turns, informant_only
    )
    found = disagreements(
        data.transcripts,
        data.codings,
        coder_a,
        coder_b,
        unit=unit,
        code=code_id,
        informant_only=covered.informant_only,
        sentences=data.sentences,
    )
    turns = not covered.informant_only
    items = [Item(d, coder_a, coder_b, unit, all_turns=turns) for d in found]
    for item in items:
        item.decision = read_decision(store, item.key)
    return items


def remaining(items: list[Item]) -> list[Item]:
    """The undecided disagreements (re-read ``walk`` for the state in the store)."""
    return [i for i in items if not i.decided]


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def span_for_quote(transcript: Transcript, item: Item, quote: str) -> Span:
    """The span of ``quote`` inside the disputed unit (exact, then loose whitespace, then
    fuzzy), for an edit given as words rather than offsets."""
    d = item.disagreement
    found = locate_quote(transcript.text[d.start : d.end], quote)
    if found is None:
        raise QualcodeError(
            ui(
                "“{quote}” is not in the disputed passage ({transcript} {start}-{end}); "
                "give words from it"
            ).format(quote=_short(quote), transcript=d.transcript, start=d.start, end=d.end)
        )
    return d.start + found.start, d.start + found.end


def _edit_span(transcript: Transcript, d: Disagreement, span: Span | None) -> Span:
    """An edited span, whitespace trimmed, that must lie inside the disputed unit."""
    if span is None:
        raise QualcodeError(
            ui(
                "an edit needs the passage to code: its words (--quote) or its span "
                "(--span START END)"
            )
        )
    start, end = span
    if end <= start:
        raise QualcodeError(
            ui("the span {start}-{end} is empty or reversed: START comes before END").format(
                start=start, end=end
            ),
            transcript.id,
        )
    if start < 0 or end > len(transcript.text):
        raise QualcodeError(
            ui("the span {start}-{end} lies outside the text (0-{length})").format(
                start=start, end=end, length=len(transcript.text)
            ),
            transcript.id,
        )
    start, end = trim_span(transcript.text, start, end)
    if start == end:
        raise QualcodeError(
            ui("the span {start}-{end} holds only whitespace").format(start=span[0], end=span[1]),
            transcript.id,
        )
    if start < d.start or end > d.end:
        raise QualcodeError(
            ui(
                "the span {start}-{end} is not inside the disputed unit {from_}-{to}; "
                "a consensus coding stays within its unit"
            ).format(start=start, end=end, from_=d.start, to=d.end),
            transcript.id,
        )
    return start, end


def _memo(choice: str, item: Item, span: Span | None) -> str:
    a, b = f"A ({item.coder_a})", f"B ({item.coder_b})"
    d = item.disagreement
    what = {
        "a": f"accepted {a} over {b}",
        "b": f"accepted {b} over {a}",
        "both": f"kept both {a} and {b}",
        "drop": f"dropped the code ({a} and {b} disagreed)",
        "edit": f"edited to {span[0]}-{span[1]} ({a} and {b} disagreed)" if span else "edited",
    }[choice]
    return f"{MEMO_PREFIX}{what}, unit {d.start}-{d.end}"


def decide(
    study: Study,
    transcript: Transcript,
    item: Item,
    choice: str,
    span: Span | None = None,
    actor: str | None = None,
) -> list[Coding]:
    """Record a decision for one disagreement and write the consensus coder's codings.

    ``a``/``b``: that coder's codings of the code, each clipped to the unit; ``both``: the
    union; ``drop``: no coding; ``edit``: one coding of ``span``, which must lie inside the
    unit. A unit decided before has its earlier consensus codings removed first. The first
    decision of a pair seeds the consensus with the units both coders agreed on.
    """
    if choice not in CHOICES:
        raise QualcodeError(
            ui("unknown choice {choice}; choose one of {choices}").format(
                choice=repr(choice), choices=", ".join(CHOICES)
            )
        )
    store, d = study.store, item.disagreement
    if transcript.id != d.transcript:
        raise QualcodeError(
            ui("the disagreement is in {there}, not {here}").format(
                there=d.transcript, here=transcript.id
            )
        )
    coder = consensus_coder(store)
    if coder in (item.coder_a, item.coder_b):
        raise QualcodeError(
            ui(
                'the consensus coder "{coder}" is one of the two coders; '
                "set another with `qualcode consensus set-coder NAME`"
            ).format(coder=coder)
        )
    check_basis(store, item.coder_a, item.coder_b, item.unit, item.all_turns)
    if choice == "edit":
        span = _edit_span(transcript, d, span)
        spans = [span]
    elif choice == "drop":
        spans = []
    else:
        chosen = {"a": d.a_codings, "b": d.b_codings, "both": d.a_codings + d.b_codings}[choice]
        spans = clip(transcript, chosen, (d.start, d.end))
    memo = _memo(choice, item, span if choice == "edit" else None)
    new = [make_coding(transcript, s, e, d.code, coder, memo) for s, e in spans]
    actor = actor or coder
    with store.transaction():
        start_consensus(study, item.coder_a, item.coder_b, item.unit, item.all_turns)
        old = read_decision(store, item.key)
        for coding_id in (old or {}).get("codings", []):
            if store.codings.get(coding_id) is not None:
                store.codings.remove(coding_id, actor)
        saved = store.codings.add_many(new, actor) if new else []
        store.coders.ensure(coder)
        decision = {
            "choice": choice,
            "coder": coder,
            "memo": memo,
            "at": now(),
            "codings": [c.id for c in saved],
            "span": list(span) if choice == "edit" and span else None,
        }
        store.consensus.set_decision(item.key, decision)
        add_decision(store, item.key)
    item.decision = decision
    return saved


def undecide(store: Store, item: Item, actor: str | None = None) -> None:
    """Take a decision back: its consensus codings go, the unit is undecided again."""
    with store.transaction():
        old = read_decision(store, item.key)
        for coding_id in (old or {}).get("codings", []):
            if store.codings.get(coding_id) is not None:
                store.codings.remove(coding_id, actor or consensus_coder(store))
        store.consensus.set_decision(item.key, None)
        drop_decision(store, item.key)
    item.decision = None


def find_item(items: list[Item], transcript: str, start: int, end: int) -> Item:
    for item in items:
        d = item.disagreement
        if (d.transcript, d.start, d.end) == (transcript, start, end):
            return item
    raise QualcodeError(
        ui(
            "no disagreement at {transcript} {start}-{end} "
            "(list them with `qualcode consensus --coders A B --code C`)"
        ).format(transcript=transcript, start=start, end=end)
    )

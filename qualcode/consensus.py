"""Agreement over a project's store, and the consensus walk through two coders' disagreements.

Each decision (accept A, accept B, keep both, drop, edit) is written as codings of the
consensus coder, with a memo saying what was decided, and remembered as a setting keyed
by (A, B, unit, code, transcript, span): the walk can be left and resumed, and deciding a
unit again replaces the earlier decision's codings. The disagreements themselves never
change with decisions, because they compare A and B only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from qualcode.agreement import AgreementReport, Disagreement, compute_agreement, disagreements
from qualcode.analysis import sentence_map
from qualcode.coding import make_coding
from qualcode.codings_io import find_code
from qualcode.model import Coding, QualcodeError, Transcript
from qualcode.store import Store, now

SETTING = "consensus_coder"
DEFAULT_CODER = "consensus"
CHOICES = ("a", "b", "both", "drop", "edit")
DEFAULT_LANGUAGE = "nb"

Span = tuple[int, int]


# --- the consensus coder -----------------------------------------------------------------


def consensus_coder(store: Store) -> str:
    return store.setting(SETTING) or DEFAULT_CODER


def set_consensus_coder(store: Store, name: str) -> None:
    name = name.strip()
    if not name:
        raise QualcodeError("the consensus coder needs a name")
    with store.transaction():
        store.set_setting(SETTING, name)
        store.ensure_coder(name)


# --- loading what agreement needs ----------------------------------------------------------


def check_coders(store: Store, *names: str) -> None:
    known = store.coders()
    for name in names:
        if name not in known:
            listed = ", ".join(known) or "none yet"
            raise QualcodeError(f'no coder "{name}" in this project (coders: {listed})')


def resolve_codes(store: Store, keys: list[str] | tuple[str, ...]) -> list[str]:
    """Code ids for ids or names given by the user; an unknown one is an error."""
    codes = store.codes()
    out: list[str] = []
    for key in keys:
        code = find_code(codes, key)
        if code is None:
            raise QualcodeError(f'no code "{key}" in the codebook')
        out.append(code.id)
    return out


def load_transcripts(store: Store, ids: list[str] | tuple[str, ...] | None = None) -> list[Transcript]:
    if not ids:
        return store.transcripts()
    return [store.transcript(t) for t in dict.fromkeys(ids)]


def _inputs(store: Store, lang: str, unit: str, transcript_ids: list[str] | tuple[str, ...] | None
            ) -> tuple[list[Transcript], list[Coding], dict[str, list[Span]] | None]:
    transcripts = load_transcripts(store, transcript_ids)
    sentences = sentence_map(store, transcripts, lang) if unit == "sentence" else None
    return transcripts, store.codings(), sentences


def agreement_report(store: Store, lang: str, coder_a: str, coder_b: str, *, unit: str = "turn",
                     transcript_ids: list[str] | tuple[str, ...] | None = None,
                     codes: list[str] | tuple[str, ...] | None = None,
                     informant_only: bool = False) -> AgreementReport:
    """Agreement of two coders over the project (codes given by id or name)."""
    check_coders(store, coder_a, coder_b)
    code_ids = resolve_codes(store, codes) if codes else None
    transcripts, codings, sentences = _inputs(store, lang, unit, transcript_ids)
    return compute_agreement(transcripts, codings, coder_a, coder_b, unit=unit, codes=code_ids,
                             informant_only=informant_only, sentences=sentences)


# --- the walk -------------------------------------------------------------------------------


@dataclass
class Item:
    """One disagreement of the walk and its decision (None while undecided)."""

    disagreement: Disagreement
    coder_a: str
    coder_b: str
    unit: str
    decision: dict[str, Any] | None = None

    @property
    def key(self) -> str:
        d = self.disagreement
        return decision_key(self.coder_a, self.coder_b, self.unit, d.code, d.transcript,
                            d.start, d.end)

    @property
    def decided(self) -> bool:
        return self.decision is not None

    def to_json(self, text: str | None = None) -> dict[str, Any]:
        d = self.disagreement

        def side(codings: list[Coding]) -> list[dict[str, Any]]:
            return [{"id": c.id, "start": c.start, "end": c.end, "quote": c.quote, "memo": c.memo}
                    for c in codings]

        out: dict[str, Any] = {"transcript": d.transcript, "start": d.start, "end": d.end,
                               "code": d.code, "a": side(d.a_codings), "b": side(d.b_codings),
                               "decision": self.decision}
        if text is not None:
            out["text"] = text[d.start:d.end]
        return out


def decision_key(coder_a: str, coder_b: str, unit: str, code: str, transcript: str,
                 start: int, end: int) -> str:
    return f"consensus:{coder_a}:{coder_b}:{unit}:{code}:{transcript}:{start}:{end}"


def _decision(store: Store, key: str) -> dict[str, Any] | None:
    raw = store.setting(key)
    if not raw:  # "" marks a decision taken back
        return None
    return json.loads(raw)


def walk(store: Store, lang: str, coder_a: str, coder_b: str, code: str, *, unit: str = "turn",
         transcript_ids: list[str] | tuple[str, ...] | None = None,
         informant_only: bool = False) -> list[Item]:
    """Every disagreement of A and B on ``code`` (id or name), with its decision so far."""
    check_coders(store, coder_a, coder_b)
    code_id = resolve_codes(store, [code])[0]
    transcripts, codings, sentences = _inputs(store, lang, unit, transcript_ids)
    found = disagreements(transcripts, codings, coder_a, coder_b, unit=unit, code=code_id,
                          informant_only=informant_only, sentences=sentences)
    items = [Item(d, coder_a, coder_b, unit) for d in found]
    for item in items:
        item.decision = _decision(store, item.key)
    return items


def remaining(items: list[Item]) -> list[Item]:
    """The undecided disagreements (re-read ``walk`` for the state in the store)."""
    return [i for i in items if not i.decided]


def _clip(transcript: Transcript, codings: list[Coding], span: Span) -> list[Span]:
    """Each coding cut to the unit, whitespace trimmed, duplicates once."""
    out: list[Span] = []
    for c in codings:
        lo, hi = max(c.start, span[0]), min(c.end, span[1])
        text = transcript.text[lo:hi]
        if hi > lo and text.strip():
            lo, hi = lo + len(text) - len(text.lstrip()), hi - (len(text) - len(text.rstrip()))
            if (lo, hi) not in out:
                out.append((lo, hi))
    return sorted(out)


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
    return f"consensus: {what}, unit {d.start}-{d.end}"


def decide(store: Store, transcript: Transcript, item: Item, choice: str,
           span: Span | None = None, actor: str | None = None) -> list[Coding]:
    """Record a decision for one disagreement and write the consensus coder's codings.

    ``a``/``b``: that coder's codings of the code, each clipped to the unit; ``both``: the
    union; ``drop``: no coding; ``edit``: one coding of ``span``. A unit decided before
    has its earlier consensus codings removed first.
    """
    if choice not in CHOICES:
        raise QualcodeError(f"unknown choice {choice!r}; choose one of {', '.join(CHOICES)}")
    d = item.disagreement
    if transcript.id != d.transcript:
        raise QualcodeError(f"the disagreement is in {d.transcript}, not {transcript.id}")
    coder = consensus_coder(store)
    if coder in (item.coder_a, item.coder_b):
        raise QualcodeError(f'the consensus coder "{coder}" is one of the two coders; '
                            "set another with `qualcode consensus set-coder NAME`")
    unit_span = (d.start, d.end)
    if choice == "edit":
        if span is None:
            raise QualcodeError("an edit needs the span to code (start and end)")
        spans = [span]
    elif choice == "drop":
        spans = []
    else:
        chosen = {"a": d.a_codings, "b": d.b_codings, "both": d.a_codings + d.b_codings}[choice]
        spans = _clip(transcript, chosen, unit_span)
    memo = _memo(choice, item, span)
    new = [make_coding(transcript, s, e, d.code, coder, memo) for s, e in spans]
    actor = actor or coder
    with store.transaction():
        old = _decision(store, item.key)
        for coding_id in (old or {}).get("codings", []):
            if store.coding(coding_id) is not None:
                store.remove_coding(coding_id, actor)
        saved = store.add_codings(new, actor) if new else []
        store.ensure_coder(coder)
        decision = {"choice": choice, "coder": coder, "memo": memo, "at": now(),
                    "codings": [c.id for c in saved], "span": list(span) if span else None}
        store.set_setting(item.key, json.dumps(decision, ensure_ascii=False))
    item.decision = decision
    return saved


def undecide(store: Store, item: Item, actor: str | None = None) -> None:
    """Take a decision back: its consensus codings go, the unit is undecided again."""
    with store.transaction():
        old = _decision(store, item.key)
        for coding_id in (old or {}).get("codings", []):
            if store.coding(coding_id) is not None:
                store.remove_coding(coding_id, actor or consensus_coder(store))
        store.set_setting(item.key, "")
    item.decision = None


def find_item(items: list[Item], transcript: str, start: int, end: int) -> Item:
    for item in items:
        d = item.disagreement
        if (d.transcript, d.start, d.end) == (transcript, start, end):
            return item
    raise QualcodeError(f"no disagreement at {transcript} {start}-{end} "
                        "(list them with `qualcode consensus --coders A B --code C`)")

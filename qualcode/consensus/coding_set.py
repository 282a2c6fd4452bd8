"""The consensus coder's codings as one complete, final coding set.

Two coders, A and B, code the same transcripts. The consensus coder holds what they settle
on: every unit where both gave a code ("agreed": A's codings of it cut to the unit, or for
character units the run both coded, with the memo "agreed by A and B"), and every
disagreement once it is decided in the walk. An undecided disagreement stays out until it
is decided, and the reports say how many are left.

A consensus is built for one pair of coders on one kind of unit (its basis, fixed by the
first decision), so the agreed units and the decisions speak about the same units. When
a coder changes their codings afterwards, ``sync`` brings the agreed units up to date and
takes back decisions of units that no longer disagree.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from qualcode.agreement.coverage import coverage
from qualcode.agreement.inputs import Inputs, check_coders, read_inputs
from qualcode.agreement.units import Disagreement, agreements, disagreements
from qualcode.coding import make_coding
from qualcode.i18n import ui
from qualcode.model import Coding, QualcodeError, Transcript
from qualcode.store import Store
from qualcode.store.consensus import Basis
from qualcode.study import Study

SETTING = "consensus_coder"
DEFAULT_CODER = "consensus"
MEMO_PREFIX = "consensus: "  # how every memo the consensus writes begins

Span = tuple[int, int]


# --- the consensus coder's name ----------------------------------------------------------


def consensus_coder(store: Store) -> str:
    return store.settings.get(SETTING) or DEFAULT_CODER


def set_consensus_coder(store: Store, name: str, actor: str | None = None) -> int:
    """Name the consensus coder; its codings so far move to the new name (how many)."""
    name = name.strip()
    if not name:
        raise QualcodeError(ui("the consensus coder needs a name"))
    old = consensus_coder(store)
    basis = read_basis(store)
    if basis and name in (basis.coder_a, basis.coder_b):
        raise QualcodeError(
            ui(
                '"{name}" is one of the two coders of the consensus; choose a name nobody codes as'
            ).format(name=name)
        )
    moving = _written(store, old, basis) if name != old else []
    if name != old and store.codings.all(coder=name):
        raise QualcodeError(
            ui(
                '"{name}" already has codings of their own; the consensus coder '
                "needs a name nobody codes as"
            ).format(name=name)
        )
    with store.transaction():
        store.settings.set(SETTING, name)
        store.coders.ensure(name)
        for c in moving:  # ids stay, so the decisions still find their codings
            assert c.id is not None
            store.codings.update(c.id, actor or name, coder=name)
        for key in basis.decided if basis else []:
            decision = read_decision(store, key)
            if decision:
                store.consensus.set_decision(key, {**decision, "coder": name})
    return len(moving)


def _written(store: Store, coder: str, basis: Basis | None) -> list[Coding]:
    """The codings the consensus wrote: those its basis records, and (for decisions made
    before there was a basis) those with a consensus memo. Never a coder's own work, even
    when an older project named a real coder as the consensus coder."""
    ids = set()
    if basis is not None:
        ids = {i for seed in basis.agreed.values() for i in seed["codings"]}
        for key in basis.decided:
            ids.update((read_decision(store, key) or {}).get("codings", []))
    return [
        c for c in store.codings.all(coder=coder) if c.id in ids or c.memo.startswith(MEMO_PREFIX)
    ]


# --- decisions and the basis, in the store's consensus tables -----------------------------


def decision_key(
    coder_a: str, coder_b: str, unit: str, code: str, transcript: str, start: int, end: int
) -> str:
    return f"consensus:{coder_a}:{coder_b}:{unit}:{code}:{transcript}:{start}:{end}"


def read_decision(store: Store, key: str) -> dict[str, Any] | None:
    return store.consensus.decision(key)


def read_basis(store: Store) -> Basis | None:
    return store.consensus.basis()


def _save(store: Store, basis: Basis | None) -> None:
    store.consensus.save_basis(basis)


# The agreement coverage a consensus stands on (see agreement.coverage): the transcripts both
# coded, informant turns only unless "all turns". Kept as a setting beside the basis: absent
# for a consensus begun before there was a coverage rule, which keeps covering every
# transcript and turn.
ALL_TURNS = "consensus_all_turns"


def basis_all_turns(store: Store) -> bool | None:
    """True: every turn; False: informant turns; None: every transcript and turn (older)."""
    raw = store.settings.get(ALL_TURNS)
    return None if raw in (None, "") else raw == "1"


def check_basis(
    store: Store, coder_a: str, coder_b: str, unit: str, all_turns: bool = False
) -> Basis | None:
    """The basis when (A, B, unit, turns) is it, None when there is none yet, else an error
    that says what the consensus is built on."""
    basis = read_basis(store)
    if basis is None:
        return basis
    if (basis.coder_a, basis.coder_b, basis.unit) == (coder_a, coder_b, unit):
        turns = basis_all_turns(store)
        if turns is None or turns == all_turns:
            return basis
        covers = "every turn (--all-turns)" if turns else "informant turns only"
        raise QualcodeError(
            ui(
                "the consensus of {a} and {b} covers {covers}; walk the same turns, "
                "or start over with `qualcode consensus reset`"
            ).format(a=coder_a, b=coder_b, covers=covers)
        )
    raise QualcodeError(
        ui(
            'the consensus coder "{coder}" holds the consensus of A = {a} and B = {b} on '
            "{unit} units; walk with those (same order), or start over with "
            "`qualcode consensus reset`"
        ).format(coder=consensus_coder(store), a=basis.coder_a, b=basis.coder_b, unit=basis.unit)
    )


def add_decision(store: Store, key: str) -> None:
    basis = read_basis(store)
    if basis is not None and key not in basis.decided:
        basis.decided.append(key)
        _save(store, basis)


def drop_decision(store: Store, key: str) -> None:
    basis = read_basis(store)
    if basis is not None and key in basis.decided:
        basis.decided.remove(key)
        _save(store, basis)


def clip(transcript: Transcript, codings: list[Coding], span: Span) -> list[Span]:
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


# --- keeping the agreed units and the decisions in step with the coders ------------------


@dataclass
class _Plan:
    texts: dict[str, Transcript]
    wanted: dict[str, tuple[Disagreement, list[Span]]]  # agreed units now: key -> spans
    open_keys: list[str]  # decision keys of every disagreement now
    stale: list[str] = field(default_factory=list)  # seeds no longer agreed (or changed)
    new: list[str] = field(default_factory=list)  # agreed units without a seed
    superseded: list[str] = field(default_factory=list)  # decided units no longer disputed

    @property
    def up_to_date(self) -> bool:
        return not (self.stale or self.new or self.superseded)


def _seed_key(d: Disagreement) -> str:
    return json.dumps([d.code, d.transcript, d.start, d.end], ensure_ascii=False)


def _inputs(study: Study, basis: Basis) -> tuple[Inputs, bool]:
    """What the consensus covers (the agreement coverage of its pair), and whether it keeps
    to informant turns."""
    store, (a, b, unit) = study.store, (basis.coder_a, basis.coder_b, basis.unit)
    turns = basis_all_turns(store)
    if turns is None:  # begun before the coverage rule: every transcript and turn
        return read_inputs(study, unit), False
    try:
        covered = coverage(store, a, b, unit, all_turns=turns, informant_only=not turns)
    except QualcodeError:  # nothing both coded (any more): nothing to agree or disagree on
        return Inputs([], [], None, {}), False
    return read_inputs(study, unit, covered.transcripts), covered.informant_only


def _plan(study: Study, basis: Basis) -> _Plan:
    a, b, unit = basis.coder_a, basis.coder_b, basis.unit
    data, only = _inputs(study, basis)
    texts = {t.id: t for t in data.transcripts}
    wanted: dict[str, tuple[Disagreement, list[Span]]] = {}
    for d in agreements(
        data.transcripts,
        data.codings,
        a,
        b,
        unit=unit,
        informant_only=only,
        sentences=data.sentences,
    ):
        # A character run is already the agreed text; a turn or sentence takes A's wording.
        spans = (
            [(d.start, d.end)]
            if unit == "character"
            else clip(texts[d.transcript], d.a_codings, (d.start, d.end))
        )
        wanted[_seed_key(d)] = (d, spans)
    open_keys = [
        decision_key(a, b, unit, d.code, d.transcript, d.start, d.end)
        for d in disagreements(
            data.transcripts,
            data.codings,
            a,
            b,
            unit=unit,
            informant_only=only,
            sentences=data.sentences,
        )
    ]
    plan = _Plan(texts, wanted, open_keys)
    for key, seed in basis.agreed.items():
        if key not in wanted or [list(s) for s in wanted[key][1]] != seed["spans"]:
            plan.stale.append(key)
    plan.new = [k for k in wanted if k not in basis.agreed or k in plan.stale]
    still = set(open_keys)
    plan.superseded = [k for k in basis.decided if k not in still]
    return plan


@dataclass
class SyncResult:
    added: int = 0
    removed: int = 0
    superseded: int = 0


def _remove(store: Store, ids: list[int], actor: str) -> int:
    gone = 0
    for coding_id in ids:
        if store.codings.get(coding_id) is not None:
            store.codings.remove(coding_id, actor)
            gone += 1
    return gone


def sync(study: Study, actor: str | None = None) -> SyncResult:
    """Bring the consensus up to date with A's and B's codings (nothing without a basis)."""
    store = study.store
    basis = read_basis(store)
    result = SyncResult()
    if basis is None:
        return result
    plan = _plan(study, basis)
    coder = consensus_coder(store)
    actor = actor or coder
    memo = f"{MEMO_PREFIX}agreed by A ({basis.coder_a}) and B ({basis.coder_b}), unit"
    with store.transaction():
        for key in plan.stale:
            result.removed += _remove(store, basis.agreed.pop(key)["codings"], actor)
        # Superseded decisions go before the agreed codings come: the two may be the same
        # coding of the same span, which is stored once.
        for key in plan.superseded:  # A and B now agree there (or neither codes it)
            decision = read_decision(store, key)
            _remove(store, (decision or {}).get("codings", []), actor)
            store.consensus.set_decision(key, None)
            basis.decided.remove(key)
            result.superseded += 1
        new: list[Coding] = []
        for key in plan.new:
            d, spans = plan.wanted[key]
            new += [
                make_coding(
                    plan.texts[d.transcript], s, e, d.code, coder, f"{memo} {d.start}-{d.end}"
                )
                for s, e in spans
            ]
        saved = iter(store.codings.add_many(new, actor) if new else [])
        for key in plan.new:
            basis.agreed[key] = {
                "spans": [list(s) for s in plan.wanted[key][1]],
                "codings": [next(saved).id for _ in plan.wanted[key][1]],
            }
        result.added = len(new)
        # Decisions written before the basis existed join it here.
        basis.decided += [
            k for k in plan.open_keys if k not in basis.decided and read_decision(store, k)
        ]
        _save(store, basis)
    return result


def start(study: Study, coder_a: str, coder_b: str, unit: str, all_turns: bool = False) -> Basis:
    """The basis for (A, B, unit): the existing one, or a new one seeded with the agreed units."""
    store = study.store
    basis = check_basis(store, coder_a, coder_b, unit, all_turns)
    if basis is not None:
        return basis
    coder = consensus_coder(store)
    if coder in (coder_a, coder_b):
        raise QualcodeError(
            ui(
                'the consensus coder "{coder}" is one of the two coders; '
                "set another with `qualcode consensus set-coder NAME`"
            ).format(coder=coder)
        )
    check_coders(store, coder_a, coder_b)
    with store.transaction():
        store.coders.ensure(coder)
        _save(store, Basis(coder_a, coder_b, unit))
        store.settings.set(ALL_TURNS, "1" if all_turns else "0")
        sync(study)
    basis = read_basis(store)
    assert basis is not None
    return basis


def reset(store: Store, actor: str | None = None) -> int:
    """Remove every agreed-unit and decision coding of the consensus and forget its basis;
    returns how many codings went. The two coders' own codings are untouched."""
    basis = read_basis(store)
    if basis is None:
        return 0
    actor = actor or consensus_coder(store)
    gone = 0
    with store.transaction():
        for seed in basis.agreed.values():
            gone += _remove(store, seed["codings"], actor)
        for key in basis.decided:
            gone += _remove(store, (read_decision(store, key) or {}).get("codings", []), actor)
            store.consensus.set_decision(key, None)
        _save(store, None)
        store.settings.set(ALL_TURNS, "")
    return gone


# --- how far the consensus is -------------------------------------------------------------


@dataclass
class Progress:
    coder: str
    coder_a: str
    coder_b: str
    unit: str
    decided: int
    total: int  # disagreements of A and B now, all codes and transcripts
    up_to_date: bool

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def progress(study: Study) -> Progress | None:
    """How many disagreements are decided, read-only (None before the first decision)."""
    store = study.store
    basis = read_basis(store)
    if basis is None:
        return None
    plan = _plan(study, basis)
    decided = sum(1 for k in plan.open_keys if read_decision(store, k))
    return Progress(
        consensus_coder(store),
        basis.coder_a,
        basis.coder_b,
        basis.unit,
        decided,
        len(plan.open_keys),
        plan.up_to_date,
    )


def progress_note(study: Study) -> str:
    """One sentence for a report: whose codings it uses and how complete they are."""
    store = study.store
    coder = consensus_coder(store)
    p = progress(study)
    if p is None:
        n = len(store.codings.all(coder=coder))
        return (
            f'Using the consensus coder "{coder}" ({n} codings; no consensus walk has '
            "been started, so these are all it holds)."
        )
    left = p.total - p.decided
    text = (
        f'Using the consensus coder "{coder}": the units {p.coder_a} and {p.coder_b} '
        f"agreed on, and {p.decided} of {p.total} disagreements decided ({p.unit} units)"
    )
    text += f"; the {left} undecided are left out." if left else "."
    if not p.up_to_date:
        text += (
            " The coders' codings changed since: `qualcode consensus sync` brings the "
            "consensus up to date."
        )
    return text

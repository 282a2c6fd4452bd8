"""Whose codings a figure stands on, and how it counts them.

A *scope* is one coder, the consensus set, or all coders (the human coders: never the
consensus coder beside them). Every figure built from codings (matrix cells, charts,
key quotes, Tabell 1 evidence, word frequencies, retrieval, exports) is computed for
one, and says so with :meth:`Scope.label` and :meth:`Scope.to_json`.

A figure counts *passages*, not rows: the stretches of text coded with a code (a theme
counts every code under it) by any coder in scope, overlapping or touching codings
merged into one stretch. Two coders on the same words, or a theme and one of its codes
on the same words, make one passage. The other counting modes are the coded words, the
transcripts with a passage and the informants (speakers of informant turns) with one.

The default scope is the consensus set once it is complete (every disagreement of its
two coders decided); before that, all coders. A partial consensus is there when asked
for, and its label says how much is undecided.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from itertools import groupby
from operator import itemgetter
from typing import Any

from qualcode.codings_io import coder_problem
from qualcode.consensus.coding_set import consensus_coder, progress
from qualcode.i18n import ui
from qualcode.model import INFORMANT, Coding, QualcodeError, Transcript
from qualcode.store import Store
from qualcode.study import Study

ONE, CONSENSUS, ALL = "coder", "consensus", "all"
KINDS = (ONE, CONSENSUS, ALL)
COUNTS = ("passages", "words", "transcripts", "informants")
DEFAULT_COUNT = "passages"

# What a user may type for --coder to mean the consensus set or every coder.
_ALL_WORDS = ("all", "alle")
_CONSENSUS_WORDS = ("consensus", "konsensus")

_COUNT_WORDS = {
    "nb": {
        "passages": "kodede passasjer, sammenslått",
        "words": "kodede ord",
        "transcripts": "transkripsjoner med koding",
        "informants": "informanter med koding",
    },
    "en": {
        "passages": "coded passages, merged",
        "words": "coded words",
        "transcripts": "transcripts coded",
        "informants": "informants coded",
    },
}

_WORD = re.compile(r"\S+")


def _lang(lang: str) -> str:
    return "en" if lang.lower().startswith("en") else "nb"


@dataclass(frozen=True)
class Scope:
    """Whose codings count (``kind``, ``coders``) and how (``count``).

    ``coders`` are the coder names whose codings are in scope: one name, the consensus
    coder's, or every human coder's. For the consensus, ``decided``/``disagreements``
    say how far it is (``None`` when no walk has been started), and ``pair`` names its
    two coders.
    """

    kind: str
    coders: tuple[str, ...]
    count: str = DEFAULT_COUNT
    default: bool = False  # chosen by the default rule, not asked for
    blind: bool = False  # one coder, because the workspace is in blind mode
    decided: int | None = None
    disagreements: int | None = None
    pair: tuple[str, ...] = ()
    current: bool = True  # the consensus is in step with its coders' codings
    # All coders by default although a consensus is complete: the transcripts its pair
    # coded (the consensus covers) and the transcripts anyone coded.
    consensus_covers: tuple[int, int] | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise QualcodeError(
                ui('no scope "{kind}"; choose one of {kinds}').format(
                    kind=self.kind, kinds=", ".join(KINDS)
                )
            )
        if self.count not in COUNTS:
            raise QualcodeError(_no_counting(self.count))

    # --- what it holds -----------------------------------------------------------------
    @property
    def undecided(self) -> int | None:
        if self.decided is None or self.disagreements is None:
            return None
        return self.disagreements - self.decided

    @property
    def complete(self) -> bool:
        """For the consensus: every disagreement decided and in step with its coders'
        codings (always true for the other kinds)."""
        return self.kind != CONSENSUS or (self.undecided == 0 and self.current)

    def includes(self, coder: str) -> bool:
        return coder in self.coders

    def with_count(self, count: str) -> Scope:
        return replace(self, count=count)

    # --- its words -----------------------------------------------------------------------
    def who(self, lang: str = "nb") -> str:
        """Whose codings, in words: ``anna, bjorn``, ``anna (blind)``, ``konsensus (…)``."""
        en = _lang(lang) == "en"
        if self.kind == ALL:
            names = ", ".join(self.coders) or ("no coders yet" if en else "ingen kodere ennå")
            if self.consensus_covers is None:
                return names
            covered, coded = self.consensus_covers
            why = (
                f"the consensus covers only {covered} of {coded} coded transcripts"
                if en
                else f"konsensus dekker bare {covered} av {coded} kodede transkripsjoner"
            )
            return f"{names} ({why})"
        if self.kind == ONE:
            name = self.coders[0]
            if self.blind:
                return f"{name} (blind: only your codings)" if en else f"{name} (blind: bare egne)"
            return name
        return self._consensus_words(en)

    def _consensus_words(self, en: bool) -> str:
        name = self.coders[0]
        word = "consensus" if en else "konsensus"
        head = word if name in _CONSENSUS_WORDS else f"{word} «{name}»"
        pair = (" and " if en else " og ").join(self.pair)
        if self.decided is None or self.disagreements is None:
            return head + (" (no walk started)" if en else " (ingen gjennomgang startet)")
        total, left = self.disagreements, self.undecided
        if not self.current:
            stale = (
                "coders changed since: qualcode consensus sync"
                if en
                else "koderne har endret seg: qualcode consensus sync"
            )
            return (
                f"{head} ({left} of {total} undecided; {stale})"
                if en
                else (f"{head} ({left} av {total} uavgjort; {stale})")
            )
        if left == 0:
            what = (
                f"{pair}, all {total} disagreements decided"
                if en
                else f"{pair}, alle {total} uenigheter avgjort"
            )
            return f"{head} ({what})"
        what = (
            f"{left} of {total} disagreements undecided"
            if en
            else f"{left} av {total} uenigheter uavgjort"
        )
        return f"{head} ({what})"

    def counting(self, lang: str = "nb") -> str:
        return _COUNT_WORDS[_lang(lang)][self.count]

    def label(self, lang: str = "nb") -> str:
        """``anna, bjorn — kodede passasjer, sammenslått``: the line every output carries."""
        return f"{self.who(lang)} — {self.counting(lang)}"

    def line(self, lang: str = "nb") -> str:
        """The line under an output's title: ``Kodinger: anna, bjorn — kodede …``."""
        return f"{'Codings' if _lang(lang) == 'en' else 'Kodinger'}: {self.label(lang)}"

    def to_json(self, lang: str = "nb") -> dict[str, Any]:
        """The ``scope`` object of every JSON output."""
        out: dict[str, Any] = {
            "kind": self.kind,
            "coders": list(self.coders),
            "count": self.count,
            "default": self.default,
            "blind": self.blind,
            "label": self.label(lang),
        }
        if self.consensus_covers is not None:
            covered, coded = self.consensus_covers
            out["consensus_covers"] = {"transcripts": covered, "of": coded}
        if self.kind == CONSENSUS:
            out["consensus"] = {
                "of": list(self.pair),
                "decided": self.decided,
                "disagreements": self.disagreements,
                "complete": self.complete,
                "current": self.current,
            }
        return out


# --- resolving a scope ------------------------------------------------------------------
def human_coders(store: Store) -> list[str]:
    """Every coder with codings, the consensus coder left out, by name."""
    skip = consensus_coder(store)
    return sorted(c for c, n in store.codings.per_coder().items() if n and c != skip)


def all_coders(store: Store, count: str = DEFAULT_COUNT, default: bool = False) -> Scope:
    return Scope(ALL, tuple(human_coders(store)), count, default=default)


def one_coder(name: str, count: str = DEFAULT_COUNT, blind: bool = False) -> Scope:
    return Scope(ONE, (name,), count, blind=blind)


def consensus_scope(study: Study, count: str = DEFAULT_COUNT) -> Scope:
    """The consensus set with how far it is (the walk's disagreements, decided or not)."""
    name = consensus_coder(study.store)
    p = progress(study)
    if p is None:
        return Scope(CONSENSUS, (name,), count)
    return Scope(
        CONSENSUS,
        (name,),
        count,
        decided=p.decided,
        disagreements=p.total,
        pair=(p.coder_a, p.coder_b),
        current=p.up_to_date,
    )


def default_scope(study: Study, count: str = DEFAULT_COUNT) -> Scope:
    """The consensus set when it is complete and covers every coded transcript, else all
    coders (saying so when a complete consensus covers only some: two coders who settled
    one transcript must not hide everyone's codings of the others)."""
    store = study.store
    name = consensus_coder(store)
    if store.codings.all(coder=name):
        scope = consensus_scope(study, count)
        if scope.complete and scope.decided is not None:
            by_coder = store.codings.transcripts_by_coder()
            coded = set().union(*(t for c, t in by_coder.items() if c != name))
            a, b = (by_coder.get(c, set()) for c in scope.pair)
            covered = coded & a & b
            if covered == coded:
                return replace(scope, default=True)
            everyone = all_coders(store, count, default=True)
            return replace(everyone, consensus_covers=(len(covered), len(coded)))
    return all_coders(store, count, default=True)


def resolve(study: Study, coder: str | None = None, count: str | None = None) -> Scope:
    """The scope a ``--coder`` option names: ``None`` the default, ``all``, ``consensus``
    (or the consensus coder's name), or one coder, who must have codings."""
    count = (count or DEFAULT_COUNT).strip().lower()
    if count not in COUNTS:
        raise QualcodeError(_no_counting(count))
    store, given = study.store, (coder or "").strip()
    if not given:
        return default_scope(study, count)
    coders = store.codings.per_coder()
    if given.casefold() in _ALL_WORDS and given not in coders:
        return all_coders(store, count)
    name = consensus_coder(store)
    if given == name or (given.casefold() in _CONSENSUS_WORDS and given not in coders):
        if not coders.get(name):
            raise QualcodeError(
                ui(
                    "there is no consensus yet: decide a disagreement first "
                    "(qualcode consensus --coders A B --code C, or Enter on the agreement screen)"
                )
            )
        return consensus_scope(study, count)
    problem = coder_problem(given, list(coders))
    if problem:
        raise QualcodeError(problem)
    return one_coder(given, count)


# --- the codings and passages in scope ---------------------------------------------------
def codings_in(store: Store, scope: Scope, transcript: str | None = None) -> list[Coding]:
    """The codings of the coders in scope (of one transcript, or all), in text order."""
    out: list[Coding] = []
    for coder in scope.coders:
        out += store.codings.all(transcript=transcript, coder=coder)
    out.sort(key=lambda c: (c.transcript, c.start, c.end, c.id or 0))
    return out


@dataclass(frozen=True)
class Passage:
    """A stretch ``[start, end)`` of one transcript and the codings merged into it."""

    transcript: str
    start: int
    end: int
    codings: tuple[Coding, ...] = field(default=(), compare=False)

    @property
    def coders(self) -> tuple[str, ...]:
        return tuple(sorted({c.coder for c in self.codings}))


def merge_passages(codings: Iterable[Coding], codes: set[str] | None = None) -> list[Passage]:
    """Codings (of ``codes``, or all) merged into passages: within a transcript, codings
    that overlap or touch (one starts where another ends) become one stretch."""
    chosen = sorted(  # a coding without text (start == end) has nothing to count
        (c for c in codings if c.end > c.start and (codes is None or c.code in codes)),
        key=lambda c: (c.transcript, c.start, c.end, c.id or 0),
    )
    out: list[Passage] = []
    run: list[Coding] = []
    start = end = 0
    for c in chosen:
        if run and c.transcript == run[0].transcript and c.start <= end:
            run.append(c)
            end = max(end, c.end)
            continue
        if run:
            out.append(Passage(run[0].transcript, start, end, tuple(run)))
        run, start, end = [c], c.start, c.end
    if run:
        out.append(Passage(run[0].transcript, start, end, tuple(run)))
    return out


def stretches_by_transcript(
    store: Store, scope: Scope, families: Mapping[str, Iterable[str]]
) -> Iterator[tuple[str, dict[str, list[tuple[int, int]]]]]:
    """Per transcript (in order), each counted code's passages as merged ``(start, end)``
    stretches, where ``families`` maps a counted code to the codes whose codings it counts
    (itself and those under it). The same passages as :func:`merge_passages`, from plain
    rows read once in transcript order: the merging works on one transcript's few
    stretches at a time, never on a pass over the whole project's codings per code."""
    holders: dict[str, list[str]] = {}
    for counted, members in families.items():
        for member in members:
            holders.setdefault(member, []).append(counted)
    for tid, rows in groupby(store.codings.stretches(scope.coders), key=itemgetter(0)):
        raw: dict[str, list[tuple[int, int]]] = {}
        for _, code, start, end in rows:
            for counted in holders.get(code, ()):
                raw.setdefault(counted, []).append((start, end))
        yield tid, {code: _union(spans) for code, spans in raw.items()}


# --- counting ------------------------------------------------------------------------------
def _union(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def words_in(text: str, passages: Iterable[Passage]) -> int:
    """Words (runs of non-space) of ``text`` that overlap at least one of the passages."""
    spans = _union((p.start, p.end) for p in passages)
    starts = [s for s, _ in spans]
    n = 0
    for m in _WORD.finditer(text):
        # the last stretch starting before the word ends is the only one that can reach it
        i = bisect_left(starts, m.end()) - 1
        n += int(i >= 0 and spans[i][1] > m.start())
    return n


def informants_in(transcript: Transcript, passages: Iterable[Passage]) -> set[str]:
    """The speakers of informant turns that a passage overlaps."""
    out: set[str] = set()
    spans = list(passages)
    for turn in transcript.turns:
        if turn.role != INFORMANT or turn.speaker in out:
            continue
        if any(p.start < turn.end and p.end > turn.start for p in spans):
            out.add(turn.speaker)
    return out


def count(
    passages: Iterable[Passage], mode: str, transcripts: Mapping[str, Transcript] | None = None
) -> int:
    """The figure for these passages: how many, their words, transcripts or informants.

    ``words`` and ``informants`` need the transcripts (by id)."""
    by_transcript: dict[str, list[Passage]] = {}
    for p in passages:
        by_transcript.setdefault(p.transcript, []).append(p)
    if mode == "passages":
        return sum(len(ps) for ps in by_transcript.values())
    if mode == "transcripts":
        return len(by_transcript)
    if transcripts is None:
        raise ValueError(f"counting {mode} needs the transcripts")
    if mode == "words":
        return sum(words_in(transcripts[t].text, ps) for t, ps in by_transcript.items())
    if mode == "informants":
        return sum(len(informants_in(transcripts[t], ps)) for t, ps in by_transcript.items())
    raise QualcodeError(_no_counting(mode))


def _no_counting(count: str) -> str:
    return ui('no counting "{count}"; choose one of {counts}').format(
        count=count, counts=", ".join(COUNTS)
    )

"""Retrieval that serves writing: every passage of a code, whole, with where it came from.

Passages are the merged stretches of one scope (see :mod:`qualcode.scope`): a code and the
codes under it, by the coders in scope. Each comes with its transcript, case and the case's
attributes, the coders behind it, the speaker and time of its turn and the whole quote.
Filters combine (all must hold; several values of one filter: any of them). The list is
grouped by case in the guide's size order, ready to paste into a report.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import asdict, dataclass, field
from typing import Any

from qualcode.i18n import ui as _
from qualcode.model import Code, QualcodeError, Transcript, descendants
from qualcode.report import size_groups
from qualcode.scope import Scope, codings_in, merge_passages
from qualcode.store import Store
from qualcode.study import Study


@dataclass(frozen=True)
class Filters:
    """What to keep; empty means everything."""

    cases: tuple[str, ...] = ()
    attributes: tuple[tuple[str, str], ...] = ()  # (attribute id, value) pairs
    speakers: tuple[str, ...] = ()  # a speaker label or a role (informant / interviewer)
    transcripts: tuple[str, ...] = ()

    def describe(self) -> str:
        parts = [f"{k}={v}" for k, v in self.attributes]
        parts += [f"case={c}" for c in self.cases]
        parts += [f"speaker={s}" for s in self.speakers]
        parts += [f"transcript={t}" for t in self.transcripts]
        return ", ".join(parts)


@dataclass(frozen=True)
class Retrieved:
    transcript: str
    case: str
    attributes: dict[str, str]
    coder: str  # the coders behind the passage, comma-separated
    code: str  # the code retrieved (its id)
    codes: tuple[str, ...]  # the codes of the codings merged into it
    speaker: str
    role: str
    timestamp: str  # "00:12:03" or ""
    start: int
    end: int
    quote: str
    memos: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["codes"] = list(self.codes)
        out["memos"] = list(self.memos)
        return out


def find_code(store: Store, given: str) -> Code:
    """A code by id or name (names compared without regard to letter case)."""
    codes = store.codes.all()
    found = store.codes.get(given) or next(
        (c for c in codes if c.name.casefold() == given.strip().casefold()), None
    )
    if found is None:
        raise QualcodeError(
            _("there is no code «{code}»; `qualcode codebook` lists them").format(code=given)
        )
    return found


def _stamp(seconds: float | None) -> str:
    if seconds is None:
        return ""
    s = int(seconds)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def _keep_speaker(wanted: tuple[str, ...], speaker: str, role: str) -> bool:
    if not wanted:
        return True
    folded = {w.casefold() for w in wanted}
    return speaker.casefold() in folded or role.casefold() in folded


def retrieve(
    study: Study,
    scope: Scope,
    code: str,
    filters: Filters = Filters(),
    with_subcodes: bool = True,
) -> list[Retrieved]:
    """The passages of ``code`` (and, by default, the codes under it) for ``scope``."""
    store = study.store
    target = find_code(store, code)
    codes = store.codes.all()
    family = descendants(codes, (target.id,)) if with_subcodes else {target.id}
    cases = store.transcripts.cases()
    case_of = store.transcripts.cases_by_id()
    wanted_cases = {c.casefold() for c in filters.cases}
    texts: dict[str, Transcript] = {}
    out: list[Retrieved] = []
    for p in merge_passages(codings_in(store, scope), family):
        if filters.transcripts and p.transcript not in filters.transcripts:
            continue
        case = case_of.get(p.transcript) or ""
        if wanted_cases and case.casefold() not in wanted_cases:
            continue
        attrs = cases.get(case, {})
        if any(attrs.get(k, "").casefold() != v.casefold() for k, v in filters.attributes):
            continue
        t = texts.get(p.transcript) or texts.setdefault(
            p.transcript, store.transcripts.get(p.transcript)
        )
        i = bisect_right([u.start for u in t.turns], p.start) - 1
        turn = t.turns[i] if i >= 0 else None
        speaker, role = (turn.speaker, turn.role) if turn else ("", "")
        if not _keep_speaker(filters.speakers, speaker, role):
            continue
        out.append(
            Retrieved(
                transcript=p.transcript,
                case=case,
                attributes=dict(attrs),
                coder=", ".join(p.coders),
                code=target.id,
                codes=tuple(sorted({c.code for c in p.codings})),
                speaker=speaker,
                role=role,
                timestamp=_stamp(turn.timestamp if turn else None),
                start=p.start,
                end=p.end,
                quote=t.text[p.start : p.end],
                memos=tuple(c.memo for c in p.codings if c.memo),
            )
        )
    groups = size_groups(study)[1]
    order = {name: i for i, name in enumerate(n for _, names in groups for n in names)}
    out.sort(key=lambda r: (order.get(r.case, len(order)), r.case, r.transcript, r.start))
    return out


def check_attributes(study: Study, pairs: list[str]) -> list[tuple[str, str]]:
    """``size=liten`` → (attribute id, value); the attribute may be named by id or name."""
    store, guide = study.store, study.guide
    out: list[tuple[str, str]] = []
    known = {k for attrs in store.transcripts.cases().values() for k in attrs}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise QualcodeError(
                _("--attr takes KEY=VALUE, e.g. --attr size=liten (not «{pair}»)").format(pair=pair)
            )
        key = key.strip()
        for attr in guide.case_attributes if guide else []:
            if key.casefold() in (attr.id.casefold(), attr.name.casefold()):
                key = attr.id
                if attr.values and value.strip() not in attr.values:
                    raise QualcodeError(
                        _("«{value}» is not a value of {name}; choose one of {values}").format(
                            value=value.strip(), name=attr.name, values=", ".join(attr.values)
                        )
                    )
        if key not in known:
            raise QualcodeError(
                _("no case has the attribute «{key}»; the cases have: {known}").format(
                    key=key, known=", ".join(sorted(known))
                )
            )
        out.append((key, value.strip()))
    return out


def by_case(passages: list[Retrieved]) -> list[tuple[str, list[Retrieved]]]:
    """The passages grouped by case, keeping their order."""
    groups: list[tuple[str, list[Retrieved]]] = []
    for r in passages:
        if not groups or groups[-1][0] != r.case:
            groups.append((r.case, []))
        groups[-1][1].append(r)
    return groups


COLUMNS = [
    "case",
    "transcript",
    "speaker",
    "timestamp",
    "coder",
    "code",
    "start",
    "end",
    "quote",
]


def rows(passages: list[Retrieved]) -> list[list[Any]]:
    return [[getattr(r, c) for c in COLUMNS] for r in passages]

"""Memos everywhere: on the project, its cases, transcripts, codes and codings, as one list.

A coding's memo is stored on the coding (and only its coder may write it, through the codings
rules); the others live in the store's ``memos`` table, one multi-line memo per target. This
module checks what a memo is about, lists every memo with filters, and renders the list as
Markdown or rows for a spreadsheet.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal, get_args

from qualcode.i18n import ui as _
from qualcode.model import QualcodeError
from qualcode.store import Store

MemoKind = Literal["project", "case", "transcript", "code", "coding"]
MEMO_KINDS: tuple[MemoKind, ...] = get_args(MemoKind)
TARGET_KINDS: tuple[MemoKind, ...] = ("project", "case", "transcript", "code")  # in `memos`
PROJECT_TARGET = "project"  # the one target of the project's memo

KIND_WORDS = {
    "nb": {
        "project": "Prosjekt",
        "case": "Case",
        "transcript": "Transkripsjon",
        "code": "Kode",
        "coding": "Koding",
    },
    "en": {
        "project": "Project",
        "case": "Case",
        "transcript": "Transcript",
        "code": "Code",
        "coding": "Coding",
    },
}


@dataclass(frozen=True)
class Memo:
    """One memo and what it is about; ``label`` names the target for people."""

    kind: MemoKind
    target: str  # project: "project"; case: its name; transcript/code: its id; coding: its id
    label: str
    text: str
    author: str
    updated: str
    transcript: str = ""  # where a coding memo (or a transcript memo) sits
    start: int = 0
    end: int = 0

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def check_kind(kind: str) -> MemoKind:
    if kind not in MEMO_KINDS:
        raise QualcodeError(
            _("a memo is on one of: {kinds} (not «{kind}»)").format(
                kinds=", ".join(MEMO_KINDS), kind=kind
            )
        )
    return kind


def target_label(store: Store, kind: MemoKind, target: str) -> str:
    """The name a person knows the target by; refuses a target that does not exist."""
    if kind == "project":
        return PROJECT_TARGET
    if kind == "case":
        if target not in store.transcripts.cases():
            raise QualcodeError(
                _("there is no case «{case}»; `qualcode cases list` shows them").format(case=target)
            )
        return target
    if kind == "transcript":
        if target not in store.transcripts.ids():
            raise QualcodeError(
                _("there is no transcript «{id}»; `qualcode transcripts` lists them").format(
                    id=target
                )
            )
        return target
    if kind == "code":
        code = store.codes.get(target) or next(
            (c for c in store.codes.all() if c.name == target), None
        )
        if code is None:
            raise QualcodeError(
                _("there is no code «{code}»; `qualcode codebook` lists them").format(code=target)
            )
        return code.name
    raise QualcodeError(_("a coding's memo is written with `qualcode codings memo ID TEXT`"))


def resolve_target(store: Store, kind: MemoKind, target: str) -> str:
    """The stored key of a target given by id or (for codes) by name."""
    if kind == "project":
        return PROJECT_TARGET
    if kind == "code" and store.codes.get(target) is None:
        named = [c for c in store.codes.all() if c.name == target]
        if named:
            return named[0].id
    target_label(store, kind, target)
    return target


def set_memo(store: Store, kind: str, target: str, text: str, actor: str) -> str:
    """Write (or with empty text remove) the memo on a project, case, transcript or code.

    Returns the stored key of the target; the old text is kept in the audit log.
    """
    checked = check_kind(kind)
    if checked == "coding":
        raise QualcodeError(_("a coding's memo is written with `qualcode codings memo ID TEXT`"))
    key = resolve_target(store, checked, target)
    store.memos.set(checked, key, text, actor)
    return key


def memo_text(store: Store, kind: MemoKind, target: str) -> str:
    return store.memos.get(kind, PROJECT_TARGET if kind == "project" else target)


def list_memos(
    store: Store,
    kinds: tuple[str, ...] = (),
    author: str | None = None,
    contains: str | None = None,
) -> list[Memo]:
    """Every memo, in kind order (project, cases, transcripts, codes, codings), filtered."""
    wanted = {check_kind(k) for k in kinds} or set(MEMO_KINDS)
    names = {c.id: c.name for c in store.codes.all()}
    memos: list[Memo] = []
    for row in store.memos.all():
        kind = row["kind"]
        label = names.get(row["target"], row["target"]) if kind == "code" else row["target"]
        memos.append(
            Memo(
                kind=kind,
                target=row["target"],
                label=label,
                text=row["text"],
                author=row["author"],
                updated=row["updated"],
                transcript=row["target"] if kind == "transcript" else "",
            )
        )
    for row in store.codings.memo_rows():
        memos.append(
            Memo(
                kind="coding",
                target=str(row["id"]),
                label=f"{names.get(row['code_id'], row['code_id'])}: «{_short(row['quote'])}»",
                text=row["memo"],
                author=row["coder"],
                updated=row["updated"],
                transcript=row["transcript_id"],
                start=row["start"],
                end=row["end"],
            )
        )
    order = {k: i for i, k in enumerate(MEMO_KINDS)}
    memos.sort(key=lambda m: order[m.kind])
    needle = (contains or "").casefold()
    return [
        m
        for m in memos
        if m.kind in wanted
        and (author is None or m.author == author)
        and (not needle or needle in m.text.casefold() or needle in m.label.casefold())
    ]


def _short(quote: str, width: int = 60) -> str:
    quote = " ".join(quote.split())
    return quote if len(quote) <= width else quote[: width - 1] + "…"


def memos_markdown(memos: list[Memo], language: str = "nb") -> str:
    """The memos as a Markdown document, one section per memo under its kind."""
    words = KIND_WORDS.get(language, KIND_WORDS["en"])
    title = "Memoer" if language == "nb" else "Memos"
    lines = [f"# {title}", ""]
    kind = None
    for memo in memos:
        if memo.kind != kind:
            kind = memo.kind
            lines += [f"## {words[kind]}", ""]
        where = f" ({memo.transcript})" if memo.kind == "coding" else ""
        lines += [f"### {memo.label}{where}", "", f"*{memo.author}, {memo.updated}*", ""]
        lines += [memo.text, ""]
    return "\n".join(lines).rstrip() + "\n"


MEMO_COLUMNS = [
    "kind",
    "target",
    "label",
    "transcript",
    "start",
    "end",
    "author",
    "updated",
    "text",
]


def memo_rows(memos: list[Memo]) -> list[list[object]]:
    return [[getattr(m, c) for c in MEMO_COLUMNS] for m in memos]

"""Changing the codebook: add, rename, describe, move and merge inductive codes.

The CLI and the TUI both call these, so a rule (guide codes change in the guide, a
moved code takes its new theme's colour, a merge keeps every coding) holds in both.
"""

from __future__ import annotations

from qualcode.codings_io import find_code, slug
from qualcode.i18n import N_
from qualcode.i18n import ui as _
from qualcode.model import Code, QualcodeError, check_name, descendants
from qualcode.palette import chosen_colour, is_colour, tint
from qualcode.store import Store


def require_code(store: Store, key: str) -> Code:
    code = find_code(store.codes.all(), key)
    if code is None:
        raise QualcodeError(
            _('no code "{key}" in the codebook (see `qualcode codebook`)').format(key=key)
        )
    return code


def _inductive(store: Store, key: str) -> Code:
    code = require_code(store, key)
    if code.origin != "inductive":
        raise QualcodeError(
            _(
                '"{name}" comes from the interview guide; change it in interview_guide.yaml instead'
            ).format(name=code.name)
        )
    return code


def add_code(store: Store, name: str, parent: str, actor: str, description: str = "") -> Code:
    """A new inductive code under ``parent``, with a unique slug id and its theme's colour."""
    name = check_name(name.strip(), N_("the code name"))
    if not name:
        raise QualcodeError(_("a code needs a name"))
    codes = store.codes.all()
    existing = find_code(codes, name)
    if existing is not None:
        raise QualcodeError(
            _('a code named "{name}" already exists [{id}]').format(
                name=existing.name, id=existing.id
            )
        )
    under = require_code(store, parent)
    taken = {c.id for c in codes}
    base = slug(name)
    code_id, n = base, 2
    while code_id in taken:
        code_id, n = f"{base}-{n}", n + 1
    code = Code(
        id=code_id,
        name=name,
        parent=under.id,
        description=description,
        origin="inductive",
        color=under.color,
        position=sum(1 for c in codes if c.parent == under.id),
    )
    store.codes.upsert(code, actor)
    return code


def rename_code(store: Store, key: str, new_name: str, actor: str) -> Code:
    code = _inductive(store, key)
    new_name = check_name(new_name.strip(), N_("the code name"))
    clash = find_code(store.codes.all(), new_name)
    if not new_name or (clash is not None and clash.id != code.id):
        raise QualcodeError(
            (
                _('cannot rename to "{name}": a code has that name')
                if new_name
                else _('cannot rename to "{name}": the name is empty')
            ).format(name=new_name)
        )
    store.codes.update(code.id, actor, name=new_name)
    return require_code(store, code.id)


def describe_code(store: Store, key: str, description: str, actor: str) -> Code:
    """An inductive code's description (a guide code's comes from the guide, which wins
    each time the project opens)."""
    code = _inductive(store, key)
    store.codes.update(code.id, actor, description=description.strip())
    return require_code(store, code.id)


def move_code(store: Store, key: str, parent: str, actor: str) -> Code:
    """Put an inductive code under another theme or code; it takes that colour."""
    code = _inductive(store, key)
    under = require_code(store, parent)
    if under.id in descendants(store.codes.all(), [code.id]):  # not under itself or its own
        raise QualcodeError(
            _('cannot move "{name}" under itself or one of its sub-codes').format(name=code.name)
        )
    store.codes.update(code.id, actor, parent=under.id, color=under.color)
    return require_code(store, code.id)


def set_colour(store: Store, key: str, colour: str, actor: str) -> list[Code]:
    """Give a theme or code a colour (``#rrggbb``); returns the codes whose colour changed.

    A theme's codes that have no colour of their own follow it as its tints. The choice is
    kept beside the code, so opening the project again (which reads the guide) keeps it.
    """
    code = require_code(store, key)
    colour = colour.strip().lower()
    if not is_colour(colour):
        raise QualcodeError(
            _('"{colour}" is not a colour; write it as "#rrggbb", e.g. "#8dd3c7"').format(
                colour=colour
            )
        )
    with store.transaction():
        store.settings.set(f"colour:{code.id}", colour)
        store.codes.update(code.id, actor, color=colour)
        changed = [require_code(store, code.id)]
        children = [c for c in store.codes.all() if c.parent == code.id]
        for j, child in enumerate(children):
            if chosen_colour(store, child.id) is None:
                store.codes.update(child.id, actor, color=tint(colour, j))
                changed.append(require_code(store, child.id))
    return changed


def merge_code(store: Store, source: str, target: str, actor: str) -> int:
    """Every coding and sub-code of ``source`` goes to ``target``; returns codings moved."""
    src, dst = _inductive(store, source), require_code(store, target)
    if src.id == dst.id:
        raise QualcodeError(_("a code cannot be merged into itself"))
    store.safety_backup("before-codes-merge")  # a merge cannot be undone by hand
    return store.codes.merge(src.id, dst.id, actor)


def tree_order(codes: list[Code]) -> list[str]:
    """Code ids as the codebook tree shows them: each theme in the guide's order, followed
    by its sub-codes (depth first); ``codes`` as ``Store.codes`` returns them."""
    children: dict[str | None, list[Code]] = {}
    for code in codes:
        children.setdefault(code.parent, []).append(code)
    out: list[str] = []
    seen: set[str] = set()

    def walk(parent: str | None) -> None:
        for code in children.get(parent, []):
            if code.id not in seen:  # guard against a cycle
                seen.add(code.id)
                out.append(code.id)
                walk(code.id)

    walk(None)
    out += [c.id for c in codes if c.id not in seen]  # orphans, should there be any
    return out

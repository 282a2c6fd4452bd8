"""Which case a transcript belongs to, and the case's attributes: set them, say what changed.

A transcript imported without ``--case`` (an easy slip with a folder of Word files) is left
out of every by-case view until it is given one; importing the same file again with
``--case``/``--attr``, or ``qualcode cases set``, does that here.
"""

from __future__ import annotations

from pathlib import Path

from qualcode.i18n import ui
from qualcode.importers import check_attributes
from qualcode.model import QualcodeError, Transcript
from qualcode.study import Study


def set_case(
    study: Study,
    transcript_id: str,
    case: str | None,
    attributes: dict[str, str],
    actor: str,
) -> str:
    """Put a transcript in ``case`` (``None``: the one it is in) and set the case's
    ``attributes``, audited; returns what changed in words, ``""`` when nothing did."""
    store, guide = study.store, study.guide
    if guide:
        attributes = check_attributes(attributes, guide.case_attributes, None)
    cases = store.transcripts.cases_by_id()
    if transcript_id not in cases:
        raise QualcodeError(ui('no transcript "{id}" in this project').format(id=transcript_id))
    target = case or cases[transcript_id]
    if not target:
        raise QualcodeError(
            ui(
                'transcript "{id}" has no case to hold the attributes; '
                "give the case too (--case NAME)"
            ).format(id=transcript_id)
        )
    old, before, after = store.transcripts.set_case(transcript_id, target, attributes, actor)
    changes = (
        [
            ui('case "{case}" (was "{old}")').format(case=target, old=old)
            if old
            else ui('case "{case}" (had none)').format(case=target)
        ]
        if old != target
        else []
    )
    changes += [
        f"{key} {before.get(key, ui('(none)'))} → {value}"
        for key, value in after.items()
        if before.get(key) != value
    ]
    if old and old != target and old not in store.transcripts.cases():
        changes.append(ui('case "{case}" removed (no transcripts left)').format(case=old))
    return "; ".join(changes)


def overridden(
    path: Path, t: Transcript, case: str | None, attributes: dict[str, str]
) -> list[str]:
    """Warnings for ``--case``/``--attr`` values that replace other ones in the front matter:
    one of the two is wrong, and the researcher should know which one was kept."""
    given = dict(attributes)
    if case is not None:
        given["case"] = case
    return [
        ui('{path}: {option} replaces the {key} "{value}" that its front matter names').format(
            path=path, option=_option(key, value), key=key, value=t.meta[key]
        )
        for key, value in given.items()
        if key in t.meta and str(t.meta[key]).strip() != value.strip()
    ]


def _option(key: str, value: str) -> str:
    return f'--case "{value}"' if key == "case" else f"--attr {key}={value}"


def case_warnings(path: Path, t: Transcript, changed: list[tuple[str, str, str]]) -> list[str]:
    """Warnings for the case attributes a file's import changed from what another file said."""
    return [
        ui(
            '{path}: case "{case}" had {key} "{old}"; this file changes it to "{new}" '
            "(check which is right)"
        ).format(path=path, case=t.case, key=key, old=old, new=new)
        for key, old, new in changed
    ]

"""Links from a Tabell 1 note to the passages that bear it out: the analyst says which coded
passages support a category's likheter or its forskjeller, and the table names their cases.
One rule for the CLI (`comparison link`) and the Tabell 1 screen (`l`)."""

from __future__ import annotations

from qualcode.i18n import ui
from qualcode.model import Guide, QualcodeError, descendants
from qualcode.report import SIDES, Segment, report_guide, segments
from qualcode.scope import Scope
from qualcode.study import Study


def category_id(guide: Guide, key: str) -> str:
    """The category named by its id or its name (any letter case)."""
    for cat in guide.comparison_categories:
        if key.strip().casefold() in (cat.id.casefold(), cat.name.casefold()):
            return cat.id
    names = ", ".join(c.id for c in guide.comparison_categories)
    raise QualcodeError(
        ui('no comparison category "{key}" in the guide (it has: {names})').format(
            key=key, names=names
        )
    )


def check_side(side: str) -> str:
    if side not in SIDES:
        raise QualcodeError(
            ui('no side "{side}"; choose {sides}').format(side=side, sides=ui(" or ").join(SIDES))
        )
    return side


def set_links(
    study: Study,
    category: str,
    side: str,
    coding_ids: list[int],
    linked: bool,
    actor: str,
) -> int:
    """Link (``linked``) or unlink the codings to the category's side; all or none: an
    unknown coding is refused before anything changes. Returns how many links changed."""
    store = study.store
    cat = category_id(report_guide(study), category)
    check_side(side)
    missing = [i for i in coding_ids if store.codings.get(i) is None]
    if missing:
        raise QualcodeError(
            ui("no coding {ids}; see `qualcode codings export`").format(
                ids=", ".join(map(str, missing))
            )
        )
    return sum(store.summaries.set_comparison_link(cat, side, i, linked, actor) for i in coding_ids)


def passages(study: Study, category: str, scope: Scope) -> list[Segment]:
    """The coded passages of a category's codes (and the codes under them), in ``scope``,
    case by case: what the Tabell 1 screen offers for linking."""
    cat = next(c for c in report_guide(study).comparison_categories if c.id == category)
    wanted = descendants(study.store.codes.all(), cat.codes)
    return [s for s in segments(study.store, scope) if s.code in wanted]

"""The cross-case comparison (Tabell 1) on the command line: a category's notes, the coded
passages that support them and the links between the two, and the table with its evidence."""

from __future__ import annotations

from typing import Any

import click

from qualcode import report
from qualcode import scope as sc
from qualcode.cli.common import emit_json, pass_project
from qualcode.cli.texts import Group
from qualcode.comparison_links import category_id, passages, set_links
from qualcode.i18n import N_, ui_language
from qualcode.i18n import ui as _
from qualcode.i18n import ui_n as n_
from qualcode.model import QualcodeError
from qualcode.project import Project
from qualcode.report import SIDES

# a Tabell 1 row's two notes (report.SIDES), as the screen names them
SIDE_WORDS = {"likheter": N_("similarities"), "forskjeller": N_("differences")}


@click.group(cls=Group)
def comparison() -> None:
    """The cross-case comparison (Tabell 1): notes per category and the evidence."""


@comparison.command("set")
@click.argument("category")
@click.option("--likheter", help="What the cases share.")
@click.option("--forskjeller", help="Where they differ.")
@click.option("--coder", help="Who writes it (for the audit log).")
@pass_project
def comparison_set(
    project: Project,
    category: str,
    likheter: str | None,
    forskjeller: str | None,
    coder: str | None,
) -> None:
    """Set a category's Likheter and/or Forskjeller (an option left out keeps its text)."""
    cat = category_id(report.report_guide(project), category)
    if likheter is None and forskjeller is None:
        raise QualcodeError(_("give --likheter and/or --forskjeller"))
    old = project.store.summaries.comparison_notes().get(cat, {})
    project.store.summaries.set_comparison_note(
        cat,
        old.get("likheter", "") if likheter is None else likheter,
        old.get("forskjeller", "") if forskjeller is None else forskjeller,
        project.actor(coder),
    )
    click.echo(_("Saved the comparison note for {category}").format(category=cat))


@comparison.command("passages")
@click.argument("category")
@click.option("--coder", help="Whose codings (default: as for the exports).")
@click.option("--json", "as_json", is_flag=True, help="Report as JSON.")
@pass_project
def comparison_passages(project: Project, category: str, coder: str | None, as_json: bool) -> None:
    """The coded passages of a category's codes, with the coding ids `comparison link` takes
    and the notes each is linked to."""
    guide = report.report_guide(project)
    cat = category_id(guide, category)
    links = project.store.summaries.comparison_links()
    found = passages(project, cat, sc.resolve(project, coder))
    rows: list[dict[str, Any]] = [
        {
            "id": s.coding_id,
            "case": s.case,
            "source": s.source,
            "code": s.code,
            "coder": s.coder,
            "quote": s.quote,
            "linked": [side for side in SIDES if s.coding_id in links.get((cat, side), set())],
        }
        for s in found
    ]
    if as_json:
        emit_json(rows)
        return
    for r in rows:
        mark = f"  [{', '.join(r['linked'])}]" if r["linked"] else ""
        click.echo(f"#{r['id']} {r['case']} ({r['source']}){mark}: «{r['quote'][:90]}»")


@comparison.command("link")
@click.argument("category")
@click.argument("coding_ids", nargs=-1, type=int, required=True, metavar="CODING_ID...")
@click.option(
    "--side",
    type=click.Choice(SIDES),
    required=True,
    help="Which note the passages support: likheter or forskjeller.",
)
@click.option("--remove", is_flag=True, help="Remove the links instead.")
@click.option("--coder", help="Who links them (for the audit log).")
@pass_project
def comparison_link(
    project: Project,
    category: str,
    coding_ids: tuple[int, ...],
    side: str,
    remove: bool,
    coder: str | None,
) -> None:
    """Link coded passages (by coding id) to a category's likheter or forskjeller, so
    Tabell 1 names the cases that support them (all or none)."""
    changed = set_links(
        project,
        category,
        side,
        list(coding_ids),
        not remove,
        project.actor(coder),
    )
    said = (
        n_(
            "Unlinked {n} passage ({side}); {same} unchanged",
            "Unlinked {n} passages ({side}); {same} unchanged",
            changed,
        )
        if remove
        else n_(
            "Linked {n} passage ({side}); {same} unchanged",
            "Linked {n} passages ({side}); {same} unchanged",
            changed,
        )
    )
    click.echo(said.format(n=changed, side=_(SIDE_WORDS[side]), same=len(coding_ids) - changed))


@comparison.command("show")
@click.option("--coder", help="Whose codings count as evidence (a coder, consensus or all).")
@click.option("--json", "as_json", is_flag=True, help="Report as JSON.")
@pass_project
def comparison_show(project: Project, coder: str | None, as_json: bool) -> None:
    """Each category with its notes and its evidence by size group."""
    scope = sc.resolve(project, coder)
    rows = report.build_comparison(project, scope)
    if as_json:
        emit_json(
            {
                "scope": scope.to_json(project.language),
                "categories": [
                    {
                        "id": r.id,
                        "name": r.name,
                        "likheter": r.likheter,
                        "forskjeller": r.forskjeller,
                        "evidence": [{"group": g, "cases": n, "of": t} for g, n, t in r.evidence],
                        "cases": r.cases,
                        "support": {side: r.support.get(side, []) for side in SIDES},
                    }
                    for r in rows
                ],
            }
        )
        return
    click.echo(scope.line(ui_language()))
    for r in rows:
        click.echo(f"{r.name} [{r.id}]  {r.evidence_text}")
        click.echo("  " + _("Similarities: {text}").format(text=r.likheter or "-"))
        click.echo("  " + _("Differences: {text}").format(text=r.forskjeller or "-"))
        for side in SIDES:
            if r.support.get(side):
                click.echo(
                    "  "
                    + _("Supporting the {side}: {cases}").format(
                        side=_(SIDE_WORDS[side]), cases=", ".join(r.support[side])
                    )
                )

"""Commands on the codebook: the code tree, and adding, renaming, describing, moving,
colouring and merging codes (the codings' commands are in ``codings_cmds``)."""

from __future__ import annotations

import click

from qualcode import codebook as book
from qualcode.cli.common import emit_json, pass_project
from qualcode.cli.texts import Command, Group
from qualcode.i18n import ui as _
from qualcode.i18n import ui_n as n_
from qualcode.model import Code
from qualcode.project import Project


def _tree(project: Project) -> dict[str, object]:
    codes = project.store.codes.all()
    counts = project.store.codings.counts()

    def node(code: Code) -> dict[str, object]:
        return {
            "id": code.id,
            "name": code.name,
            "description": code.description,
            "origin": code.origin,
            "color": code.color,
            "keywords": list(code.keywords),
            "codings": counts.get(code.id, 0),
            "codes": [node(c) for c in codes if c.parent == code.id],
        }

    return {"themes": [node(c) for c in codes if c.parent is None]}


@click.command(cls=Command)
@click.option("--json", "as_json", is_flag=True, help="Report as JSON.")
@pass_project
def codebook(project: Project, as_json: bool) -> None:
    """The code tree: themes, their codes and how often each is used."""
    tree = _tree(project)
    if as_json:
        emit_json(tree)
        return

    def show(nodes: list[dict], depth: int) -> None:
        for n in nodes:
            mark = "" if n["origin"] == "guide" else "  " + _("(inductive)")
            click.echo(f"{'  ' * depth}{n['name']} [{n['id']}] {n['codings']}{mark}")
            show(n["codes"], depth + 1)

    show(tree["themes"], 0)  # type: ignore[arg-type]


@click.group(cls=Group)
def codes() -> None:
    """Add, rename, describe, move and merge codes."""


def _actor(project: Project, coder: str | None) -> str:
    return project.actor(coder)


@codes.command("add")
@click.argument("name")
@click.option("--parent", required=True, help="The theme (or code) it belongs under: id or name.")
@click.option("--description", default="", help="What the code means.")
@click.option("--coder", help="Who adds it (for the audit log).")
@click.option("--json", "as_json", is_flag=True, help="Report as JSON.")
@pass_project
def codes_add(
    project: Project, name: str, parent: str, description: str, coder: str | None, as_json: bool
) -> None:
    """Add an inductive code under a theme."""
    code = book.add_code(project.store, name, parent, _actor(project, coder), description)
    if as_json:
        emit_json(code.__dict__)
    else:
        under = book.require_code(project.store, code.parent or "")
        click.echo(
            _("Added {code} under {theme}").format(
                code=f"{code.name} [{code.id}]", theme=under.name
            )
        )


@codes.command("rename")
@click.argument("code")
@click.argument("new_name")
@click.option("--coder", help="Who renames it (for the audit log).")
@pass_project
def codes_rename(project: Project, code: str, new_name: str, coder: str | None) -> None:
    """Rename an inductive code (its codings stay)."""
    old = book.require_code(project.store, code).name
    book.rename_code(project.store, code, new_name, _actor(project, coder))
    click.echo(_("Renamed {old} to {new}").format(old=old, new=new_name))


@codes.command("describe")
@click.argument("code")
@click.argument("description")
@click.option("--coder", help="Who describes it (for the audit log).")
@pass_project
def codes_describe(project: Project, code: str, description: str, coder: str | None) -> None:
    """Set what an inductive code means (a guide code's description is in the guide)."""
    changed = book.describe_code(project.store, code, description, _actor(project, coder))
    click.echo(_("Described {code}").format(code=changed.name))


@codes.command("move")
@click.argument("code")
@click.argument("parent")
@click.option("--coder", help="Who moves it (for the audit log).")
@pass_project
def codes_move(project: Project, code: str, parent: str, coder: str | None) -> None:
    """Move an inductive code under another theme or code (its codings stay)."""
    moved = book.move_code(project.store, code, parent, _actor(project, coder))
    under = book.require_code(project.store, moved.parent or "")
    click.echo(_("Moved {code} under {theme}").format(code=moved.name, theme=under.name))


@codes.command("colour")
@click.argument("code")
@click.argument("colour", metavar="#RRGGBB")
@click.option("--coder", help="Who sets it (for the audit log).")
@pass_project
def codes_colour(project: Project, code: str, colour: str, coder: str | None) -> None:
    """Give a theme or code a colour; a theme's codes follow as its tints."""
    changed = book.set_colour(project.store, code, colour, _actor(project, coder))
    under = len(changed) - 1
    more = n_(" (and {n} code under it)", " (and {n} codes under it)", under).format(n=under)
    click.echo(
        _("{code} is now {color}").format(code=changed[0].name, color=changed[0].color)
        + (more if under else "")
    )


@codes.command("merge")
@click.argument("source")
@click.argument("target")
@click.option("--coder", help="Who merges them (for the audit log).")
@pass_project
def codes_merge(project: Project, source: str, target: str, coder: str | None) -> None:
    """Merge SOURCE into TARGET: every coding of SOURCE becomes one of TARGET."""
    src, dst = book.require_code(project.store, source), book.require_code(project.store, target)
    moved = book.merge_code(project.store, source, target, _actor(project, coder))
    click.echo(
        _("Merged {source} into {target}: {n} codings moved").format(
            source=src.name, target=dst.name, n=moved
        )
    )

"""The codebook screen: browse the tree, counts per coder; add, rename, describe, move
and merge inductive codes. Codings follow their code, so nothing is lost."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Static, Tree

from qualcode import codebook as book
from qualcode.i18n import N_, ui_n
from qualcode.i18n import ui as _
from qualcode.model import Code, QualcodeError
from qualcode.palette import NAMES, PALETTE
from qualcode.project import Project
from qualcode.tui import messages
from qualcode.tui.dialogs.picker import CodePicker
from qualcode.tui.dialogs.prompts import ChoicePrompt, TextPrompt
from qualcode.tui.session import app_blind, set_app_blind
from qualcode.tui.widgets.codebook_tree import CodebookTree
from qualcode.tui.widgets.key_bar import KeyBar

# the palette's colour names (qualcode.palette.NAMES), for the catalogs
COLOUR_NAMES = (
    *(N_("teal"), N_("pale yellow"), N_("lavender"), N_("salmon"), N_("blue")),
    *(N_("orange"), N_("green"), N_("pink"), N_("purple"), N_("grey")),
)
ORIGINS = {"guide": N_("guide code"), "inductive": N_("inductive code")}


class CodebookScreen(Screen[None]):
    BINDINGS = [
        Binding("a", "add", N_("Add code")),
        Binding("e", "rename", N_("Rename")),
        Binding("d", "describe", N_("Describe")),
        Binding("v", "move", N_("Move")),
        Binding("M", "merge", N_("Merge into…")),
        Binding("m", "memo", N_("Memo")),
        Binding("o", "colour", N_("Colour")),
        Binding("r", "retrieve", N_("Retrieve")),
        Binding("b", "blind", N_("Blind")),
        Binding("escape,q", "back", N_("Back")),
    ]

    def __init__(self, project: Project, coder: str):
        super().__init__()
        self.project = project
        self.coder = coder

    def compose(self) -> ComposeResult:
        yield Static(id="title")
        with Horizontal():
            yield CodebookTree(id="codebook-tree")
            yield Static(id="code-detail", markup=False)  # names as typed, brackets and all
        yield KeyBar()

    def on_mount(self) -> None:
        self.reload()
        self.query_one(CodebookTree).focus()

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        store = self.project.store
        blind = app_blind(self.app)
        extra: dict[str, str] = {}
        if not blind:  # blind double-coding: no other coder's counts either
            per_coder = {c: store.codings.counts(c) for c in store.coders.all()}
            for code in store.codes.all():
                parts = [
                    f"{coder} {counts[code.id]}"
                    for coder, counts in per_coder.items()
                    if counts.get(code.id)
                ]
                extra[code.id] = " · ".join(parts)
        counts = store.codings.counts(self.coder if blind else None)
        self.query_one(CodebookTree).fill(store.codes.all(), counts, extra)
        self.query_one("#title", Static).update(
            _(" Codebook · counts: yours only (blind; b shows every coder's)")
            if blind
            else _(" Codebook · counts: all coders, then per coder")
        )

    def current(self) -> Code | None:
        node = self.query_one(CodebookTree).cursor_node
        return self.project.store.codes.get(node.data) if node and node.data else None

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted) -> None:
        code = self.project.store.codes.get(event.node.data) if event.node.data else None
        if code:
            self.query_one("#code-detail", Static).update(
                f"{code.name}\n{_(ORIGINS.get(code.origin, code.origin))}\n\n"
                + (code.description or _("(no description)"))
            )

    def _inductive(self) -> Code | None:
        code = self.current()
        if code is None or code.origin != "inductive":
            self.notify(
                _("Only inductive codes change here; guide codes change in the guide."),
                severity="warning",
            )
            return None
        return code

    def _themes(self) -> list[tuple[str, str]]:
        return [(c.id, c.name) for c in self.project.store.codes.all() if c.parent is None]

    def action_add(self) -> None:
        current = self.current()
        parent = (current.parent or current.id) if current else None

        def named(name: str | None) -> None:
            if not name:
                return
            if parent:
                self._created(name, parent)
            else:
                self.app.push_screen(
                    ChoicePrompt(_("Under which theme?"), self._themes()),
                    self._on_answer(lambda p: self._created(name, p)),
                )

        self.app.push_screen(TextPrompt(_("Name of the new inductive code:")), named)

    def _do(self, change: Callable[[], object], done: str) -> None:
        """Run a codebook change; a refusal (a guide code, a clash) is said, not raised."""
        try:
            change()
        except QualcodeError as err:
            self.notify(str(err), severity="warning", markup=False)
            return
        self.reload()
        self.notify(done, markup=False)

    @staticmethod
    def _on_answer(
        act: Callable[[str], None], allow_empty: bool = False
    ) -> Callable[[str | None], None]:
        """A dialog's callback: ``act`` on the answer; nothing on Escape (or an empty one)."""

        def answered(value: str | None) -> None:
            if value is not None and (value or allow_empty):
                act(value)

        return answered

    def _created(self, name: str, parent: str) -> None:
        self._do(
            lambda: book.add_code(self.project.store, name, parent, self.coder),
            _("Added: {name}").format(name=name),
        )

    def action_rename(self) -> None:
        code = self._inductive()
        if code:
            self.app.push_screen(
                TextPrompt(_("New name:"), code.name),
                self._on_answer(
                    lambda v: self._do(
                        lambda: book.rename_code(self.project.store, code.id, v, self.coder),
                        _("Renamed: {old} → {new}").format(old=code.name, new=v),
                    )
                ),
            )

    def action_describe(self) -> None:
        code = self._inductive()
        if code:
            self.app.push_screen(
                TextPrompt(_("Description:"), code.description, allow_empty=True),
                self._on_answer(
                    lambda v: self._do(
                        lambda: book.describe_code(self.project.store, code.id, v, self.coder),
                        _("Described: {name}").format(name=code.name),
                    ),
                    allow_empty=True,
                ),
            )

    def action_memo(self) -> None:
        code = self.current()
        if code is None:
            self.notify(_("Move to a code to write a memo on it"), timeout=4)
            return
        self.post_message(messages.EditMemo("code", code.id, code.name))

    def action_move(self) -> None:
        code = self._inductive()
        if code:
            choices = [(t, n) for t, n in self._themes() if t != code.parent]
            self.app.push_screen(
                ChoicePrompt(_("Move “{name}” under:").format(name=code.name), choices),
                self._on_answer(
                    lambda p: self._do(
                        lambda: book.move_code(self.project.store, code.id, p, self.coder),
                        _("Moved: {name}").format(name=code.name),
                    )
                ),
            )

    def action_merge(self) -> None:
        code = self._inductive()
        if code is None:
            return
        names = {c.id: c.name for c in self.project.store.codes.all()}
        count = self.project.store.codings.counts().get(code.id, 0)

        def confirmed(answer: str | None, target: str) -> None:
            if answer == "merge":
                self._do(
                    lambda: book.merge_code(self.project.store, code.id, target, self.coder),
                    _("Merged {name} into {target}; every coding kept").format(
                        name=code.name, target=names.get(target, target)
                    ),
                )

        def into(target: str | None) -> None:
            if not target or target == code.id:
                return
            self.app.push_screen(
                ChoicePrompt(
                    ui_n(
                        "Merge “{name}” into “{target}”? {n} coding moves there and “{name}” "
                        "is gone.",
                        "Merge “{name}” into “{target}”? {n} codings move there and “{name}” "
                        "is gone.",
                        count,
                    ).format(name=code.name, target=names.get(target, target), n=count),
                    [("merge", _("Merge")), ("cancel", _("Cancel"))],
                    "cancel",
                ),
                lambda answer: confirmed(answer, target),
            )

        # The picker filters as the coder types; a confirmation follows.
        self.app.push_screen(
            CodePicker(
                self.project.store,
                self.coder,
                title=_("Merge “{name}” into").format(name=code.name),
                create=False,  # a merge goes into a code that exists
            ),
            into,
        )

    def action_colour(self) -> None:
        code = self.current()
        if code is None:
            return
        choices: list[tuple[str, str | Text]] = []
        for colour, name in zip(PALETTE, NAMES, strict=True):
            label = Text("■■ ", style=colour)
            label.append(f"{_(name)}  {colour}")
            choices.append((colour, label))
        choices.append(("other", _("another colour: #rrggbb …")))

        def set_to(colour: str | None) -> None:
            if colour:
                self._do(
                    lambda: book.set_colour(self.project.store, code.id, colour, self.coder),
                    f"{code.name}: {colour}",
                )

        def chosen(colour: str | None) -> None:
            if colour == "other":
                self.app.push_screen(TextPrompt(_("Colour (#rrggbb):"), code.color), set_to)
            else:
                set_to(colour)

        self.app.push_screen(
            ChoicePrompt(
                _("Colour of “{name}” (its codes follow as tints):").format(name=code.name),
                choices,
            ),
            chosen,
        )

    def action_blind(self) -> None:
        set_app_blind(self.app, not app_blind(self.app))
        self.reload()

    def action_retrieve(self) -> None:
        code = self.current()
        self.post_message(messages.OpenRetrieval(code.id if code else None))

    def action_back(self) -> None:
        self.app.pop_screen()

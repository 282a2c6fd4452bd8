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
from qualcode.model import Code, QualcodeError, plural
from qualcode.palette import NAMES, PALETTE
from qualcode.project import Project
from qualcode.tui import messages
from qualcode.tui.dialogs.picker import CodePicker
from qualcode.tui.dialogs.prompts import ChoicePrompt, TextPrompt
from qualcode.tui.session import app_blind, set_app_blind
from qualcode.tui.widgets.codebook_tree import CodebookTree
from qualcode.tui.widgets.key_bar import KeyBar


class CodebookScreen(Screen[None]):
    BINDINGS = [
        Binding("a", "add", "Add code"),
        Binding("e", "rename", "Rename"),
        Binding("d", "describe", "Describe"),
        Binding("v", "move", "Move"),
        Binding("M", "merge", "Merge into…"),
        Binding("m", "memo", "Memo"),
        Binding("o", "colour", "Colour"),
        Binding("r", "retrieve", "Retrieve"),
        Binding("b", "blind", "Blind"),
        Binding("q", "back", "Back"),
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
            " Codebook · counts: yours only (blind; b shows every coder's)"
            if blind
            else " Codebook · counts: all coders, then per coder"
        )

    def current(self) -> Code | None:
        node = self.query_one(CodebookTree).cursor_node
        return self.project.store.codes.get(node.data) if node and node.data else None

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted) -> None:
        code = self.project.store.codes.get(event.node.data) if event.node.data else None
        if code:
            self.query_one("#code-detail", Static).update(
                f"{code.name}\n{code.origin} code\n\n{code.description or '(no description)'}"
            )

    def _inductive(self) -> Code | None:
        code = self.current()
        if code is None or code.origin != "inductive":
            self.notify(
                "Only inductive codes change here; guide codes change in the guide.",
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
                    ChoicePrompt("Under which theme?", self._themes()),
                    self._on_answer(lambda p: self._created(name, p)),
                )

        self.app.push_screen(TextPrompt("Name of the new inductive code:"), named)

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
            lambda: book.add_code(self.project.store, name, parent, self.coder), f"Added: {name}"
        )

    def action_rename(self) -> None:
        code = self._inductive()
        if code:
            self.app.push_screen(
                TextPrompt("New name:", code.name),
                self._on_answer(
                    lambda v: self._do(
                        lambda: book.rename_code(self.project.store, code.id, v, self.coder),
                        f"Renamed: {code.name} → {v}",
                    )
                ),
            )

    def action_describe(self) -> None:
        code = self._inductive()
        if code:
            self.app.push_screen(
                TextPrompt("Description:", code.description, allow_empty=True),
                self._on_answer(
                    lambda v: self._do(
                        lambda: book.describe_code(self.project.store, code.id, v, self.coder),
                        f"Described: {code.name}",
                    ),
                    allow_empty=True,
                ),
            )

    def action_memo(self) -> None:
        code = self.current()
        if code is None:
            self.notify("Move to a code to write a memo on it", timeout=4)
            return
        self.post_message(messages.EditMemo("code", code.id, code.name))

    def action_move(self) -> None:
        code = self._inductive()
        if code:
            choices = [(t, n) for t, n in self._themes() if t != code.parent]
            self.app.push_screen(
                ChoicePrompt(f"Move “{code.name}” under:", choices),
                self._on_answer(
                    lambda p: self._do(
                        lambda: book.move_code(self.project.store, code.id, p, self.coder),
                        f"Moved: {code.name}",
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
                    f"Merged {code.name} into {names.get(target, target)}; every coding kept",
                )

        def into(target: str | None) -> None:
            if not target or target == code.id:
                return
            self.app.push_screen(
                ChoicePrompt(
                    f"Merge “{code.name}” into “{names.get(target, target)}”? "
                    f"{plural(count, 'coding')} move there and “{code.name}” is gone.",
                    [("merge", "Merge"), ("cancel", "Cancel")],
                    "cancel",
                ),
                lambda answer: confirmed(answer, target),
            )

        # The picker filters as the coder types; a confirmation follows.
        self.app.push_screen(
            CodePicker(self.project.store, self.coder, title=f"Merge “{code.name}” into"), into
        )

    def action_colour(self) -> None:
        code = self.current()
        if code is None:
            return
        choices: list[tuple[str, str | Text]] = []
        for colour, name in zip(PALETTE, NAMES, strict=True):
            label = Text("■■ ", style=colour)
            label.append(f"{name}  {colour}")
            choices.append((colour, label))
        choices.append(("other", "another colour: #rrggbb …"))

        def set_to(colour: str | None) -> None:
            if colour:
                self._do(
                    lambda: book.set_colour(self.project.store, code.id, colour, self.coder),
                    f"{code.name}: {colour}",
                )

        def chosen(colour: str | None) -> None:
            if colour == "other":
                self.app.push_screen(TextPrompt("Colour (#rrggbb):", code.color), set_to)
            else:
                set_to(colour)

        self.app.push_screen(
            ChoicePrompt(f"Colour of “{code.name}” (its codes follow as tints):", choices),
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

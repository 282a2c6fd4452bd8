"""The codebook as a tree with coding counts, shared by several screens."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Tree

from qualcode.model import Code


def code_label(code: Code, count: int, extra: str = "") -> Text:
    # The count goes first so a long name cut by a narrow panel never hides it.
    label = Text("■ ", style=code.color or "#888888")
    label.append(f"{count:>3} ", style="cyan" if count else "dim")
    label.append(code.name, style="bold" if code.parent is None else "")
    if code.origin == "inductive":
        label.append("  (inductive)", style="dim italic")
    if extra:
        label.append(f"  {extra}", style="dim")
    return label


class CodebookTree(Tree[str]):
    """Themes and their codes; each node's data is the code id."""

    def __init__(self, **kwargs: object):
        super().__init__("Codebook", **kwargs)  # type: ignore[arg-type]
        self.show_root = False
        self.guide_depth = 2

    def fill(
        self,
        codes: list[Code],
        counts: dict[str, int],
        extra: dict[str, str] | None = None,
        expand: bool = True,
    ) -> None:
        """Rebuild the tree; the highlighted code stays highlighted."""
        keep = self.cursor_node.data if self.cursor_node else None
        extra = extra or {}
        self.clear()
        nodes = {}
        children: dict[str | None, list[Code]] = {}
        for code in codes:
            children.setdefault(code.parent, []).append(code)

        def add(parent_node: object, parent_id: str | None) -> None:
            for code in children.get(parent_id, []):
                label = code_label(code, counts.get(code.id, 0), extra.get(code.id, ""))
                if children.get(code.id):
                    node = parent_node.add(label, data=code.id, expand=expand)  # type: ignore[attr-defined]
                    nodes[code.id] = node
                    add(node, code.id)
                else:
                    nodes[code.id] = parent_node.add_leaf(label, data=code.id)  # type: ignore[attr-defined]

        add(self.root, None)
        if keep in nodes:  # after the tree has laid out its new lines
            self.call_after_refresh(self.move_cursor, nodes[keep])

"""The codebook as a tree with coding counts, shared by several screens."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from qualcode.i18n import ui as _
from qualcode.model import Code


def code_label(code: Code, count: int, extra: str = "") -> Text:
    # The count goes first so a long name cut by a narrow panel never hides it.
    label = Text("■ ", style=code.color or "#888888")
    label.append(f"{count:>3} ", style="cyan" if count else "dim")
    label.append(code.name, style="bold" if code.parent is None else "")
    if code.origin == "inductive":
        label.append("  " + _("(inductive)"), style="dim italic")
    if extra:
        label.append(f"  {extra}", style="dim")
    return label


class CodebookTree(Tree[str]):
    """Themes and their codes; each node's data is the code id."""

    def __init__(self, **kwargs: object):
        super().__init__(_("Codebook"), **kwargs)  # type: ignore[arg-type]
        self.show_root = False
        self.guide_depth = 2
        # code id -> (its node, the code, its extra text, the count shown): for set_counts
        self._shown: dict[str, tuple[TreeNode[str], Code, str, int]] = {}
        self.fills = 0  # how many times the whole tree was built (tests count it)

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
        self.fills += 1
        self._shown = {}
        nodes: dict[str, TreeNode[str]] = {}
        children: dict[str | None, list[Code]] = {}
        for code in codes:
            children.setdefault(code.parent, []).append(code)

        def add(parent_node: object, parent_id: str | None) -> None:
            for code in children.get(parent_id, []):
                count, more = counts.get(code.id, 0), extra.get(code.id, "")
                label = code_label(code, count, more)
                if children.get(code.id):
                    node = parent_node.add(label, data=code.id, expand=expand)  # type: ignore[attr-defined]
                    nodes[code.id] = node
                    add(node, code.id)
                else:
                    nodes[code.id] = parent_node.add_leaf(label, data=code.id)  # type: ignore[attr-defined]

        add(self.root, None)
        self._shown = {
            code.id: (nodes[code.id], code, extra.get(code.id, ""), counts.get(code.id, 0))
            for code in codes
            if code.id in nodes
        }
        if keep in nodes:  # after the tree has laid out its new lines
            self.call_after_refresh(self.move_cursor, nodes[keep])

    def set_counts(self, codes: list[Code], counts: dict[str, int]) -> None:
        """New counts for the same codes: only the labels whose count changed are redrawn.

        Rebuilding the tree on every coding cost most of the keystroke; a different set of
        codes (one was added, renamed or moved) still rebuilds it.
        """
        if [c.id for c in codes] != list(self._shown) or any(
            self._shown[c.id][1] != c for c in codes
        ):
            self.fill(codes, counts)
            return
        for code_id, (node, code, more, shown) in self._shown.items():
            count = counts.get(code_id, 0)
            if count != shown:
                node.set_label(code_label(code, count, more))
                self._shown[code_id] = (node, code, more, count)

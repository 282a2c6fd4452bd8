"""YAML as a researcher writes it by hand: dates stay text, to be checked where they matter.

PyYAML's SafeLoader turns anything shaped like ``2025-02-30`` into a ``datetime.date``
while loading, so an impossible date fails deep inside the parser with a bare
``ValueError`` (no file, no line). The loader here keeps such values as the strings the
researcher typed; the interview guide and the transcripts' front matter check them
themselves and can then name the file, the line and what is wrong.
"""

from __future__ import annotations

import datetime as dt
import re

import yaml

from qualcode.i18n import N_, ui

_TIMESTAMP = "tag:yaml.org,2002:timestamp"


# Bounds on hand-written YAML (named in the README): an alias bomb (a few hundred bytes whose
# aliases expand to billions of nodes) or a deep nesting is refused while composing, before
# anything walks the data.
MAX_YAML_DEPTH = 50  # nested lists and mappings
MAX_YAML_NODES = 100_000  # nodes with every alias expanded; a real guide has a few thousand


class YamlBoundError(yaml.composer.ComposerError):
    """Refused YAML: nesting too deep, aliases expanding too far, or an alias cycle."""


class TextDateLoader(yaml.SafeLoader):
    """A SafeLoader that reads dates and times as plain strings, and refuses YAML past the
    bounds above (with the line where the bound is met)."""

    _depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        self._depth += 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                raise YamlBoundError(
                    None,
                    None,
                    f"nested more than {MAX_YAML_DEPTH} levels deep",
                    self.peek_event().start_mark,
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def get_single_node(self) -> yaml.Node | None:
        node = super().get_single_node()
        if node is not None:
            check_yaml_bounds(node)
        return node


def check_yaml_bounds(root: yaml.Node) -> None:
    """Refuse a composed document nested deeper than ``MAX_YAML_DEPTH``, with more than
    ``MAX_YAML_NODES`` nodes once every alias is written out, or with an alias inside the
    node it refers to (a cycle). Iterative and linear in the composed nodes (sizes are
    memoised), so it works on any loader's node graph, libyaml's too."""
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    # (node, depth, children expanded yet?)
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, expanded = stack.pop()
        key = id(node)
        if expanded:
            on_path.discard(key)
            total = 1 + sum(sizes[id(child)] for child in _children(node))
            if total > MAX_YAML_NODES:
                raise YamlBoundError(
                    None,
                    None,
                    f"its aliases expand to more than {MAX_YAML_NODES:,} values "
                    "(an alias bomb, or far more data than a guide or front matter holds)",
                    node.start_mark,
                )
            sizes[key] = total
            continue
        if key in sizes:
            continue
        if key in on_path:
            raise YamlBoundError(None, None, "an alias refers to itself (a cycle)", node.start_mark)
        if depth > MAX_YAML_DEPTH:
            raise YamlBoundError(
                None, None, f"nested more than {MAX_YAML_DEPTH} levels deep", node.start_mark
            )
        on_path.add(key)
        stack.append((node, depth, True))
        stack.extend((child, depth + 1, False) for child in _children(node))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


# libyaml's parser, where PyYAML was built with it: an interview guide loads in a few
# milliseconds instead of a third of a second at every start. Its error messages are less
# precise, so a document it refuses is parsed again by the Python loader for the message.
_CBase: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class FastTextDateLoader(_CBase):
    """TextDateLoader on libyaml's parser (the same loader where libyaml is missing), with
    the same bounds: the composed document is checked before anything is constructed."""

    def get_single_node(self) -> yaml.Node | None:
        node = super().get_single_node()
        if node is not None:
            check_yaml_bounds(node)
        return node

    def get_single_data(self) -> object:
        node = self.get_single_node()  # libyaml's own get_single_data would skip the check
        return self.construct_document(node) if node is not None else None


# The implicit resolvers are a class-level dict shared with SafeLoader: copy it, without the
# timestamp resolver, so SafeLoader itself is left as it was.
for _loader in (TextDateLoader, FastTextDateLoader):
    _loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    # An explicit ``!!timestamp`` tag is read as text too, for the same reason.
    _loader.add_constructor(_TIMESTAMP, lambda loader, node: loader.construct_scalar(node))  # type: ignore[arg-type]


def load_text_dates(text: str) -> object:
    """The YAML document in ``text``, with dates as strings (errors as PyYAML raises them)."""
    try:
        return yaml.load(text, Loader=FastTextDateLoader)  # a SafeLoader: no arbitrary objects
    except yaml.YAMLError:
        return yaml.load(text, Loader=TextDateLoader)  # the same refusal, in clearer words


# What a hand-written date may look like: 2025-02-01, and the 2025-2-1 YAML also accepts.
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")

DATE_ADVICE = N_("write dates as YYYY-MM-DD (e.g. 2025-02-01)")


def check_date(value: object) -> str:
    """``value`` as an ISO date ``YYYY-MM-DD``, or a ValueError saying what is wrong in words."""
    text = str(value).strip()
    m = _DATE.fullmatch(text)
    if m is None:
        raise ValueError(
            ui('"{text}" is not a date qualcode can read; {advice}').format(
                text=text, advice=ui(DATE_ADVICE)
            )
        )
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        raise ValueError(
            ui("the date {text} does not exist; {advice}").format(text=text, advice=ui(DATE_ADVICE))
        ) from None

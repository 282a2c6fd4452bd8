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

_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class TextDateLoader(yaml.SafeLoader):
    """A SafeLoader that reads dates and times as plain strings."""


# libyaml's parser, where PyYAML was built with it: an interview guide loads in a few
# milliseconds instead of a third of a second at every start. Its error messages are less
# precise, so a document it refuses is parsed again by the Python loader for the message.
_CBase: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class FastTextDateLoader(_CBase):  # type: ignore[misc,valid-type]
    """TextDateLoader on libyaml's parser (the same loader where libyaml is missing)."""


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

DATE_ADVICE = "write dates as YYYY-MM-DD (e.g. 2025-02-01)"


def check_date(value: object) -> str:
    """``value`` as an ISO date ``YYYY-MM-DD``, or a ValueError saying what is wrong in words."""
    text = str(value).strip()
    m = _DATE.fullmatch(text)
    if m is None:
        raise ValueError(f'"{text}" is not a date qualcode can read; {DATE_ADVICE}')
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        raise ValueError(f"the date {text} does not exist; {DATE_ADVICE}") from None

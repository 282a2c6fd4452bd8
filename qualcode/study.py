"""The one thing a service takes: an open study — its store, its guide and its language.

:class:`~qualcode.project.Project` is the study the faces open; a service needing more than
the store asks for a :class:`Study` rather than for the project, a store and a language
given separately, so every service reads the study's language and guide the same way.
"""

from __future__ import annotations

from typing import Protocol

from qualcode.model import Guide
from qualcode.store import Store


class Study(Protocol):
    store: Store

    @property
    def guide(self) -> Guide | None: ...

    @property
    def language(self) -> str: ...

"""The one thing a service takes: an open study — its store, its guide and its language.

:class:`~qualcode.project.Project` is the study the faces open; a service needing more than
the store asks for a :class:`Study` rather than for the project, a store and a language
given separately, so every service reads the study's language and guide the same way.
:class:`StudyParts` is a study made of its parts, for a caller that holds a store but no
project (a merge's snapshot of another project, a test, a benchmark).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from qualcode.model import Guide
from qualcode.store import Store


class Study(Protocol):
    store: Store

    @property
    def guide(self) -> Guide | None: ...

    @property
    def language(self) -> str: ...


@dataclass
class StudyParts:
    """A :class:`Study` made of a store, a guide and a language (``nb``, as a project whose
    guide names none)."""

    store: Store
    guide: Guide | None = None
    language: str = "nb"

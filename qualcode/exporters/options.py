"""How an export is laid out: the options of `qualcode export` that shape a document."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from qualcode.titles import TitleBlock

DETAILS = ("questions", "themes")  # one paragraph per report question, or its themes too


@dataclass(frozen=True)
class DocOptions:
    """How a Word export is laid out; the defaults give the seed report's shape."""

    lang: str = "nb"  # the document's language: the guide's
    heading_level: int = 1  # the level of a case's heading (2: under the report's "3.1")
    detail: str = "questions"
    template: Path | None = None  # a .docx/.dotx whose styles and page are used
    evidence: bool = True  # Tabell 1: the column of cases with codings, beside the notes
    title: TitleBlock = field(default_factory=lambda: TitleBlock(""))

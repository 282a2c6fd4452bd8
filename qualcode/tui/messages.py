"""What a screen asks the app for when it wants another screen opened.

Screens never import screens: a screen posts one of these messages, it bubbles up to the
app, and the app opens the screen through :mod:`qualcode.tui.navigation`, the one module
that knows every screen. So the screens stay independent of each other and no import
circle runs through them.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.message import Message

from qualcode.model import ReportSection
from qualcode.report import Matrix
from qualcode.suggest import Suggestion

Span = tuple[int, int]


class OpenTranscript(Message):
    """The transcript screen, with ``span`` selected when given."""

    def __init__(self, transcript: str, span: Span | None = None) -> None:
        super().__init__()
        self.transcript = transcript
        self.span = span


class OpenRetrieval(Message):
    """Every segment of ``code`` (or of the code chosen there)."""

    def __init__(self, code: str | None = None) -> None:
        super().__init__()
        self.code = code


class OpenSuggestions(Message):
    """Suggestions for ``transcript`` (every transcript when None); ``chosen`` gets the one
    the coder opens, else the app opens it in its transcript."""

    def __init__(
        self,
        transcript: str | None = None,
        chosen: Callable[[Suggestion | None], None] | None = None,
    ) -> None:
        super().__init__()
        self.transcript = transcript
        self.chosen = chosen


class OpenSectionEditor(Message):
    """One case's answer to one report section, beside the matrix it was opened from."""

    def __init__(
        self, case: str, section: ReportSection, matrix: Matrix, closed: Callable[[], None]
    ) -> None:
        super().__init__()
        self.case = case
        self.section = section
        self.matrix = matrix
        self.closed = closed


class EditMemo(Message):
    """The memo editor on a project, case, transcript or code memo."""

    def __init__(self, kind: str, target: str, label: str) -> None:
        super().__init__()
        self.kind = kind
        self.target = target
        self.label = label


class OpenMemos(Message):
    pass


class OpenCooccurrence(Message):
    pass


class OpenCrosstab(Message):
    pass


class OpenAnonymity(Message):
    def __init__(self, transcript: str | None = None) -> None:
        super().__init__()
        self.transcript = transcript


class OpenCodebook(Message):
    pass


class OpenSearch(Message):
    pass


class OpenAgreement(Message):
    pass


class OpenConsensus(Message):
    """The consensus walk through ``code``'s disagreements between ``coder_a`` and
    ``coder_b``, on the units, turns and transcripts the agreement table was showing."""

    def __init__(
        self,
        coder_a: str,
        coder_b: str,
        code: str,
        unit: str,
        informant_only: bool,
        transcripts: tuple[str, ...],
    ) -> None:
        super().__init__()
        self.coder_a = coder_a
        self.coder_b = coder_b
        self.code = code
        self.unit = unit
        self.informant_only = informant_only
        self.transcripts = transcripts


class OpenMatrix(Message):
    pass


class OpenComparison(Message):
    pass


class OpenWords(Message):
    pass


class OpenHelp(Message):
    def __init__(self, first: str = "transcript") -> None:
        super().__init__()
        self.first = first  # the screen asking: its keys are shown first

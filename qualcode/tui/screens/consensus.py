"""The consensus walk: one code's disagreements between two coders, one at a time, the unit
in context and A's and B's codings side by side, each decided into the consensus coder's
codings (accept A or B, keep both, drop, or edit the words)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Label, Static

from qualcode.agreement.coverage import informant_only_default
from qualcode.consensus import walk as cons
from qualcode.consensus.coding_set import check_basis, clip, sync
from qualcode.i18n import N_
from qualcode.i18n import ui as _
from qualcode.model import Coding, QualcodeError
from qualcode.project import Project
from qualcode.tui.agreement_words import CHOICES, unit_name
from qualcode.tui.dialogs.prompts import TextPrompt
from qualcode.tui.widgets.key_bar import KeyBar

CONTEXT = 240  # characters shown either side of a disagreement's unit


class ConsensusScreen(Screen[None]):
    """One disagreement at a time: the unit in context, A's and B's codings side by side."""

    DEFAULT_CSS = """
    ConsensusScreen #consensus-context-box { height: 1fr; border: round $primary; padding: 0 1; }
    ConsensusScreen #consensus-sides { height: auto; max-height: 50%; }
    ConsensusScreen #consensus-a, ConsensusScreen #consensus-b {
        width: 1fr; border: round $secondary; padding: 0 1;
    }
    ConsensusScreen #consensus-progress, ConsensusScreen #consensus-decision { padding: 0 1; }
    """

    BINDINGS = [
        Binding("a", "choose('a')", N_("Accept A")),
        Binding("b", "choose('b')", N_("Accept B")),
        Binding("k", "choose('both')", N_("Keep both")),
        Binding("d", "choose('drop')", N_("Drop")),
        Binding("e", "edit", N_("Edit")),
        Binding("n", "move(1)", N_("Next")),
        Binding("p", "move(-1)", N_("Previous")),
        Binding("q", "leave", N_("Back")),
        Binding("escape", "leave", N_("Back"), show=False),
    ]

    def __init__(
        self,
        project: Project,
        coder_a: str,
        coder_b: str,
        code: str,
        unit: str = "turn",
        informant_only: bool | None = None,
        transcripts: tuple[str, ...] = (),
    ):
        super().__init__()
        self.project = project
        self.coder_a = coder_a
        self.coder_b = coder_b
        self.code = code
        self.unit = unit
        # None: the unit's default (informant turns for turn and sentence units)
        self.informant_only = (
            informant_only_default(unit) if informant_only is None else informant_only
        )
        self.transcripts = transcripts
        self.refusal = ""  # why decisions here would be refused, if they would
        self.items: list[cons.Item] = []
        self.index = 0
        self._texts: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        with Vertical():
            # code and coder names, memos and quotes: shown as typed, never as markup
            yield Label("", id="consensus-progress", markup=False)
            with VerticalScroll(id="consensus-context-box"):
                yield Static("", id="consensus-context")
            with Horizontal(id="consensus-sides"):
                yield Static("", id="consensus-a")
                yield Static("", id="consensus-b")
            yield Static("", id="consensus-decision", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        store = self.project.store
        try:
            all_turns = not self.informant_only
            if check_basis(store, self.coder_a, self.coder_b, self.unit, all_turns) is not None:
                sync(self.project)  # the agreed units as the coders have them now
        except QualcodeError as err:  # a consensus of another pair or unit: say so up front
            self.refusal = str(err)
        try:
            self.items = cons.walk(
                self.project,
                self.coder_a,
                self.coder_b,
                self.code,
                unit=self.unit,
                transcript_ids=self.transcripts,
                informant_only=self.informant_only,
                all_turns=not self.informant_only,
            )
        except QualcodeError as err:
            self.notify(str(err), severity="error", markup=False)
            self.items = []
        code = store.codes.get(self.items[0].disagreement.code if self.items else self.code)
        self.code_name = code.name if code else self.code
        # Resume where the walk was left: at the first undecided disagreement.
        undecided = [i for i, item in enumerate(self.items) if not item.decided]
        self.index = undecided[0] if undecided else 0
        self.show()

    @property
    def decided(self) -> int:
        return sum(i.decided for i in self.items)

    def _text(self, tid: str) -> str:
        if tid not in self._texts:
            self._texts[tid] = self.project.store.transcripts.get(tid).text
        return self._texts[tid]

    def show(self) -> None:
        progress = self.query_one("#consensus-progress", Label)
        head = _("{code}: A = {a}, B = {b}, {unit} units. ").format(
            code=self.code_name, a=self.coder_a, b=self.coder_b, unit=unit_name(self.unit)
        )
        if not self.items:
            progress.update(head + _("No disagreements: nothing to decide."))
            return
        item = self.items[self.index]
        d = item.disagreement
        progress.update(
            head
            + _(
                "{decided} / {total} decided — disagreement {index} of {total} "
                "({transcript} {start}-{end})"
            ).format(
                decided=self.decided,
                total=len(self.items),
                index=self.index + 1,
                transcript=d.transcript,
                start=d.start,
                end=d.end,
            )  # fmt: skip
        )
        text = self._text(d.transcript)
        lo, hi = max(0, d.start - CONTEXT), min(len(text), d.end + CONTEXT)
        context = Text(("…" if lo else "") + text[lo : d.start], style="grey62")
        context.append(text[d.start : d.end], style="bold reverse")
        context.append(text[d.end : hi] + ("…" if hi < len(text) else ""), style="grey62")
        self.query_one("#consensus-context", Static).update(context)
        self.query_one("#consensus-a", Static).update(self._side("A", self.coder_a, d.a_codings))
        self.query_one("#consensus-b", Static).update(self._side("B", self.coder_b, d.b_codings))
        if item.decision:
            choice = str(item.decision["choice"])
            what = _("Decided: {choice} — {memo}").format(
                choice=_(CHOICES.get(choice, choice)), memo=item.decision["memo"]
            )
        else:
            what = _("Undecided: a accept A, b accept B, k keep both, d drop, e edit the words")
        if self.refusal:
            what += "\n" + _("Decisions are refused here: {why}").format(why=self.refusal)
        self.query_one("#consensus-decision", Static).update(what)

    @staticmethod
    def _side(label: str, coder: str, codings: list[Coding]) -> Text:
        out = Text(f"{label} ({coder}): ", style="bold")
        if not codings:
            out.append(_("did not code this"), style="italic grey62")
        for c in codings:
            quote = c.quote if len(c.quote) < 300 else c.quote[:297] + "…"
            out.append(f"\n[{c.start}-{c.end}] {quote}")
            if c.memo:
                out.append("\n" + _("  memo: {memo}").format(memo=c.memo), style="italic")
        return out

    def _decide(self, choice: str, span: tuple[int, int] | None = None) -> None:
        if not self.items:
            return
        item = self.items[self.index]
        transcript = self.project.store.transcripts.get(item.disagreement.transcript)
        try:
            cons.decide(self.project, transcript, item, choice, span)
        except QualcodeError as err:
            self.notify(str(err), severity="error", markup=False)
            return
        self._advance()

    def _advance(self) -> None:
        """On to the next undecided disagreement after this one (wrapping), else stay."""
        n = len(self.items)
        for step in range(1, n + 1):
            j = (self.index + step) % n
            if not self.items[j].decided:
                self.index = j
                break
        self.show()

    def action_choose(self, choice: str) -> None:
        self._decide(choice)

    def action_edit(self) -> None:
        """Ask for the words to code, starting from what the one coder coded; they are
        looked up inside the disputed unit, so nobody has to know character offsets."""
        if not self.items:
            return
        item = self.items[self.index]
        d = item.disagreement
        transcript = self.project.store.transcripts.get(d.transcript)
        coded = clip(transcript, d.a_codings + d.b_codings, (d.start, d.end))
        lo, hi = (coded[0][0], coded[-1][1]) if coded else (d.start, d.end)
        proposal = " ".join(transcript.text[lo:hi].split())

        def done(value: str | None) -> None:
            if not value:
                return
            try:
                span = cons.span_for_quote(transcript, item, value)
            except QualcodeError as err:
                self.notify(str(err), severity="error", markup=False)
                return
            self._decide("edit", span)

        self.app.push_screen(
            TextPrompt(
                _("Consensus coding: the words to code, from the highlighted passage:"), proposal
            ),
            done,
        )

    def action_move(self, step: int) -> None:
        if self.items:
            self.index = (self.index + step) % len(self.items)
            self.show()

    def action_leave(self) -> None:
        self.dismiss(None)

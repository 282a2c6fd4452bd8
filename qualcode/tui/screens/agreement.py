"""The agreement table of two coders and the consensus walk through a code's disagreements."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Label, Static
from textual.widgets.data_table import RowKey

from qualcode.agreement.coverage import coded_by_both, informant_only_default
from qualcode.agreement.inputs import agreement_report, comparison_for, unitizing_for
from qualcode.agreement.results import AgreementReport
from qualcode.agreement.statistics import Stats
from qualcode.agreement.units import UNITS
from qualcode.agreement.verdicts import (
    MIN_CODED_UNITS,
    RELIABLE,
    TENTATIVE,
    interval,
    num,
    reading,
    spread_line,
    verdict,
)
from qualcode.consensus import walk as cons
from qualcode.consensus.coding_set import (
    check_basis,
    clip,
    consensus_coder,
    progress,
    set_consensus_coder,
    sync,
)
from qualcode.model import Coding, QualcodeError, plural
from qualcode.project import Project
from qualcode.tui.dialogs.prompts import ChoicePrompt, TextPrompt
from qualcode.tui.widgets.key_bar import KeyBar

CONTEXT = 240  # characters shown either side of a disagreement's unit
COLUMNS = (
    "",
    "kappa",
    "alpha",
    "95% CI",
    "agree",
    "pos",
    "B-P",
    "AC1",
    "both",
    "only A",
    "only B",
    "neither",
    "coded",
    "verdict",
)
COMPARISON_COLUMNS = ("code", "transcript", "kappa", "agree", "A only", "B only", "both", "neither")
UNITIZING_COLUMNS = ("code or theme", "u-alpha", "cu-alpha", "binary")
VIEWS = ("transcripts", "comparison", "unitizing")  # what the lower table shows; v cycles
VIEW_TITLES = {
    "transcripts": "Per transcript",
    "comparison": "Code × transcript on every character, as NVivo compares (* κ = 1 where the "
    "coders agree on every character, as where neither coded: NVivo's convention)",
    "unitizing": "Unitizing (Krippendorff et al. 2016): u-alpha per code, cu-alpha and "
    "binary alpha per theme, Cu-alpha across themes",
}


def colour(alpha: float | None, s: Stats | None = None) -> str:
    if s is not None and reading(s) == "too_few":
        return "grey50"
    if alpha is None:
        return "grey50"
    return "green" if alpha >= RELIABLE else "yellow" if alpha >= TENTATIVE else "red"


def stats_cells(label: str, s: Stats) -> list[Text]:
    style = colour(s.krippendorff_alpha, s)
    values = [
        label,
        num(s.cohen_kappa),
        num(s.krippendorff_alpha),
        interval(s.alpha_ci),
        num(s.percent_agreement, True),
        num(s.positive_agreement, True),
        num(s.brennan_prediger),
        num(s.gwet_ac1),
        str(s.both),
        str(s.only_a),
        str(s.only_b),
        str(s.neither),
        "—" if s.coded_units is None else str(s.coded_units),
        verdict(s),
    ]
    return [Text(v, style=style) for v in values]


class AgreementScreen(Screen[None]):
    """Per code (in codebook order), per transcript and overall agreement; Enter on a code
    walks its disagreements; u, i, f choose the unit, informant turns or all turns, and the
    transcripts (default: those both coders coded; see ``agreement.coverage``); v shows,
    below, the per-transcript table, NVivo's code × transcript comparison or the unitizing
    alphas."""

    DEFAULT_CSS = """
    AgreementScreen #agreement-codes { height: auto; max-height: 60%; }
    AgreementScreen #agreement-transcripts, AgreementScreen #agreement-comparison,
    AgreementScreen #agreement-unitizing { height: auto; max-height: 30%; }
    AgreementScreen Label, AgreementScreen #agreement-notes { padding: 0 1; }
    AgreementScreen #agreement-consensus { padding: 0 1; }
    """

    BINDINGS = [
        Binding("u", "next_unit", "Unit"),
        Binding("i", "informant_only", "Informant only"),
        Binding("f", "filter_transcripts", "Transcripts"),
        Binding("v", "next_view", "View"),
        Binding("c", "consensus_name", "Consensus coder"),
        Binding("r", "refresh_table", "Refresh"),
        Binding("q", "leave", "Back"),
        Binding("escape", "leave", "Back", show=False),
    ]

    def __init__(
        self,
        project: Project,
        coder_a: str,
        coder_b: str,
        unit: str = "turn",
        informant_only: bool | None = None,
        transcripts: tuple[str, ...] = (),
    ):
        super().__init__()
        self.project = project
        self.coder_a = coder_a
        self.coder_b = coder_b
        self.unit = unit
        self.informant: bool | None = informant_only  # None: the unit's default
        self.transcripts = transcripts  # (): those both coders coded
        self.notes: list[str] = []
        self.view = "transcripts"

    @property
    def informant_only(self) -> bool:
        """Informant turns only: as chosen with ``i``, else the unit's default."""
        return informant_only_default(self.unit) if self.informant is None else self.informant

    def compose(self) -> ComposeResult:
        with Vertical():
            # code and coder names and notes: shown as typed, never as markup
            yield Label("", id="agreement-title", markup=False)
            yield DataTable(id="agreement-codes", cursor_type="row", zebra_stripes=True)
            yield Label(VIEW_TITLES["transcripts"], id="agreement-view", markup=False)
            yield DataTable(id="agreement-transcripts", cursor_type="row")
            yield DataTable(id="agreement-comparison", cursor_type="row")
            yield DataTable(id="agreement-unitizing", cursor_type="row")
            yield Static("", id="agreement-notes", markup=False)
            yield Static("", id="agreement-consensus", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#agreement-codes", DataTable).focus()

    def on_screen_resume(self) -> None:
        # Also on the first push: the one place the table is filled while it is on screen.
        self.action_refresh_table()

    def _columns(self, table: DataTable, columns: tuple[str, ...] = COLUMNS) -> None:
        if not table.columns:  # once: re-adding them while hidden broke their widths
            table.add_columns(*columns)

    def action_refresh_table(self) -> None:
        title = self.query_one("#agreement-title", Label)
        title.update(f"Agreement: A = {self.coder_a}, B = {self.coder_b}, {self.unit} units")
        try:
            report = agreement_report(
                self.project,
                self.coder_a,
                self.coder_b,
                unit=self.unit,
                transcript_ids=self.transcripts,
                informant_only=self.informant_only,
                all_turns=not self.informant_only,
            )
        except QualcodeError as err:  # e.g. a coder not in the project: say so, do not crash
            self.query_one("#agreement-notes", Static).update(f"Error: {err}")
            return
        covered = report.coverage.words() if report.coverage else ""
        title.update(
            f"Agreement: A = {self.coder_a}, B = {self.coder_b}, {self.unit} units · {covered} "
            f"(alpha green >= {RELIABLE:.3f} reliable, yellow >= {TENTATIVE:.3f} tentative, "
            "red below; grey: too few units)"
        )
        names = {c.id: c.name for c in self.project.store.codes.all()}
        codes = self.query_one("#agreement-codes", DataTable)
        self._columns(codes)
        keep = self._cursor_key(codes)
        codes.clear()
        for code, s in report.per_code.items():
            codes.add_row(*stats_cells(names.get(code, code), s), key=code)
        codes.add_row(*stats_cells("Overall", report.overall), key="__overall__")
        if keep is not None and keep in codes.rows:
            codes.move_cursor(row=codes.get_row_index(keep))
        per_t = self.query_one("#agreement-transcripts", DataTable)
        self._columns(per_t)
        per_t.clear()
        for tid, s in report.per_transcript.items():
            per_t.add_row(*stats_cells(tid, s), key=tid)
        self._fill_view(report, names)
        notes = {s.note for s in [report.overall, *report.per_code.values()] if s.note}
        self.notes = sorted(notes) + report.notes
        spread = report.spread()
        text = (
            f"{report.n_units} units. {report.pooling()} Per code: "
            f"{spread_line('kappa', spread['cohen_kappa'])}; "
            f"{spread_line('alpha', spread['krippendorff_alpha'])}. Fewer than "
            f"{MIN_CODED_UNITS} coded units: too few units (grey). "
        )
        text += " ".join(f"— : {n}." for n in sorted(notes))
        text += "".join(f" {n}." for n in report.notes)
        self.query_one("#agreement-notes", Static).update(
            text + "  Enter: walk a code's disagreements to a consensus · u unit · "
            "i informant turns or all turns · f transcripts · "
            "v per transcript / code × transcript / unitizing · c consensus coder's name."
        )
        self.query_one("#agreement-consensus", Static).update(self._consensus_line())

    @staticmethod
    def _cursor_key(table: DataTable) -> RowKey | None:
        if not table.row_count:
            return None
        try:
            return table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        except Exception:  # no valid cursor cell yet
            return None

    def _consensus_line(self) -> str:
        store = self.project.store
        name = consensus_coder(store)
        try:
            p = progress(self.project)
        except QualcodeError as err:
            return f"Consensus coder “{name}”: {err}"
        if p is None:
            return (
                f"Consensus coder “{name}”: nothing decided yet. The first decision also "
                f"writes every unit {self.coder_a} and {self.coder_b} agreed on."
            )
        line = (
            f"Consensus coder “{name}” ({p.coder_a} and {p.coder_b}, {p.unit} units): "
            f"{p.decided} of {p.total} disagreements decided, all codes."
        )
        if (p.coder_a, p.coder_b, p.unit) != (self.coder_a, self.coder_b, self.unit):
            line += (
                " Decisions here are refused: the consensus is built on that pair and "
                "unit (`qualcode consensus reset` starts over)."
            )
        return line

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id != "agreement-codes":
            return
        code = event.row_key.value
        if not code or code == "__overall__":
            return
        self.app.push_screen(
            ConsensusScreen(
                self.project,
                self.coder_a,
                self.coder_b,
                code,
                self.unit,
                self.informant_only,
                self.transcripts,
            )
        )

    def _fill_view(self, report: AgreementReport, names: dict[str, str]) -> None:
        """The lower table for the view chosen with v; the other two are hidden."""
        self.query_one("#agreement-view", Label).update(VIEW_TITLES[self.view])
        for view in VIEWS:
            self.query_one(f"#agreement-{view}", DataTable).display = view == self.view
        store = self.project.store
        if self.view == "comparison":
            table = self.query_one("#agreement-comparison", DataTable)
            self._columns(table, COMPARISON_COLUMNS)
            table.clear()
            for c in comparison_for(store, report):
                table.add_row(
                    names.get(c.code, c.code),
                    c.transcript,
                    f"{c.kappa:.3f}" + ("*" if c.convention else ""),
                    f"{100 * c.percent_agreement:.2f}%",
                    str(c.a_only),
                    str(c.b_only),
                    str(c.both),
                    str(c.neither),
                )
        elif self.view == "unitizing":
            table = self.query_one("#agreement-unitizing", DataTable)
            self._columns(table, UNITIZING_COLUMNS)
            table.clear()
            u = unitizing_for(store, report)
            for code, value in u.per_code.items():
                table.add_row(names.get(code, code), num(value), "", "")
            for theme, v in u.per_theme.items():
                label = f"theme: {names.get(theme, theme)}"
                table.add_row(label, "", num(v["cu_alpha"]), num(v["binary_alpha"]))
            table.add_row("Cu-alpha, across themes", "", num(u.Cu_alpha), "")

    def action_next_view(self) -> None:
        self.view = VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)]
        self.action_refresh_table()

    def action_next_unit(self) -> None:
        self.unit = UNITS[(UNITS.index(self.unit) + 1) % len(UNITS)]
        self.action_refresh_table()

    def action_informant_only(self) -> None:
        self.informant = not self.informant_only
        self.action_refresh_table()

    def action_filter_transcripts(self) -> None:
        """Choose the transcripts: those both coders coded (the default), or one of them."""
        store = self.project.store
        both = coded_by_both(store, self.coder_a, self.coder_b)
        choices = [("", f"every transcript {self.coder_a} and {self.coder_b} both coded")]
        choices += [(t, t) for t in both]

        def chosen(answer: str | None) -> None:
            if answer is not None:
                self.transcripts = (answer,) if answer else ()
                self.action_refresh_table()

        self.app.push_screen(ChoicePrompt("Which transcripts?", choices), chosen)

    def action_consensus_name(self) -> None:
        store = self.project.store

        def named(name: str | None) -> None:
            if not name:
                return
            try:
                moved = set_consensus_coder(store, name)
            except QualcodeError as err:
                self.notify(str(err), severity="error", markup=False)
                return
            self.notify(
                f"Consensus coder: {name}"
                + (f" ({plural(moved, 'coding')} moved to it)" if moved else ""),
                markup=False,
            )
            self.action_refresh_table()

        self.app.push_screen(
            TextPrompt("Name of the consensus coder:", consensus_coder(store)), named
        )

    def action_leave(self) -> None:
        self.dismiss(None)


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
        Binding("a", "choose('a')", "Accept A"),
        Binding("b", "choose('b')", "Accept B"),
        Binding("k", "choose('both')", "Keep both"),
        Binding("d", "choose('drop')", "Drop"),
        Binding("e", "edit", "Edit"),
        Binding("n", "move(1)", "Next"),
        Binding("p", "move(-1)", "Previous"),
        Binding("q", "leave", "Back"),
        Binding("escape", "leave", "Back", show=False),
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
        head = f"{self.code_name}: A = {self.coder_a}, B = {self.coder_b}, {self.unit} units. "
        if not self.items:
            progress.update(head + "No disagreements: nothing to decide.")
            return
        item = self.items[self.index]
        d = item.disagreement
        progress.update(
            head + f"{self.decided} / {len(self.items)} decided — "
            f"disagreement {self.index + 1} of {len(self.items)} "
            f"({d.transcript} {d.start}-{d.end})"
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
            what = f"Decided: {item.decision['choice']} — {item.decision['memo']}"
        else:
            what = "Undecided: a accept A, b accept B, k keep both, d drop, e edit the words"
        if self.refusal:
            what += f"\nDecisions are refused here: {self.refusal}"
        self.query_one("#consensus-decision", Static).update(what)

    @staticmethod
    def _side(label: str, coder: str, codings: list[Coding]) -> Text:
        out = Text(f"{label} ({coder}): ", style="bold")
        if not codings:
            out.append("did not code this", style="italic grey62")
        for c in codings:
            quote = c.quote if len(c.quote) < 300 else c.quote[:297] + "…"
            out.append(f"\n[{c.start}-{c.end}] {quote}")
            if c.memo:
                out.append(f"\n  memo: {c.memo}", style="italic")
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
                "Consensus coding: the words to code, from the highlighted passage:", proposal
            ),
            done,
        )

    def action_move(self, step: int) -> None:
        if self.items:
            self.index = (self.index + step) % len(self.items)
            self.show()

    def action_leave(self) -> None:
        self.dismiss(None)

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
from qualcode.agreement.figures import num, spread_line
from qualcode.agreement.inputs import agreement_report, comparison_for, unitizing_for
from qualcode.agreement.results import AgreementReport
from qualcode.agreement.units import UNITS
from qualcode.agreement.verdicts import (
    MIN_CODED_UNITS,
    RELIABLE,
    TENTATIVE,
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
from qualcode.i18n import N_, ui_decimal, ui_language, ui_n, ui_percent
from qualcode.i18n import ui as _
from qualcode.model import Coding, QualcodeError
from qualcode.project import Project
from qualcode.tui.agreement_words import (
    CHOICES,
    COLUMNS,
    COMPARISON_COLUMNS,
    UNITIZING_COLUMNS,
    VIEW_TITLES,
    VIEWS,
    stats_cells,
    unit_name,
)
from qualcode.tui.dialogs.prompts import ChoicePrompt, TextPrompt
from qualcode.tui.widgets.key_bar import KeyBar

CONTEXT = 240  # characters shown either side of a disagreement's unit


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
        Binding("u", "next_unit", N_("Unit")),
        Binding("i", "informant_only", N_("Informant only")),
        Binding("f", "filter_transcripts", N_("Transcripts")),
        Binding("v", "next_view", N_("View")),
        Binding("c", "consensus_name", N_("Consensus coder")),
        Binding("r", "refresh_table", N_("Refresh")),
        Binding("q", "leave", N_("Back")),
        Binding("escape", "leave", N_("Back"), show=False),
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
            yield Label(_(VIEW_TITLES["transcripts"]), id="agreement-view", markup=False)
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
            table.add_columns(*[_(c) if c else c for c in columns])

    def action_refresh_table(self) -> None:
        title = self.query_one("#agreement-title", Label)
        head = _("Agreement: A = {a}, B = {b}, {unit} units").format(
            a=self.coder_a, b=self.coder_b, unit=unit_name(self.unit)
        )
        title.update(head)
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
            self.query_one("#agreement-notes", Static).update(_("Error: {err}").format(err=err))
            return
        lang = ui_language()
        covered = report.coverage.words(lang) if report.coverage else ""
        title.update(
            f"{head} · {covered} "
            + _(
                "(alpha green >= {reliable} reliable, yellow >= {tentative} tentative, "
                "red below; grey: too few units)"
            ).format(reliable=num(RELIABLE), tentative=num(TENTATIVE))
        )
        names = {c.id: c.name for c in self.project.store.codes.all()}
        codes = self.query_one("#agreement-codes", DataTable)
        self._columns(codes)
        keep = self._cursor_key(codes)
        codes.clear()
        for code, s in report.per_code.items():
            codes.add_row(*stats_cells(names.get(code, code), s), key=code)
        codes.add_row(*stats_cells(_("Overall"), report.overall), key="__overall__")
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
        n = report.n_units
        text = _(
            "{units} {pooling} Per code: {kappa}; {alpha}. Fewer than {min} coded units: "
            "too few units (grey). "
        ).format(
            units=ui_n("{n} unit.", "{n} units.", n).format(n=n),
            pooling=report.pooling(lang),
            kappa=spread_line("kappa", spread["cohen_kappa"]),
            alpha=spread_line(_("alpha"), spread["krippendorff_alpha"]),
            min=MIN_CODED_UNITS,
        )
        text += " ".join(f"— : {_(n)}." for n in sorted(notes))
        text += "".join(f" {_(n)}." for n in report.notes)
        self.query_one("#agreement-notes", Static).update(
            text
            + _(
                "  Enter: walk a code's disagreements to a consensus · u unit · "
                "i informant turns or all turns · f transcripts · "
                "v per transcript / code × transcript / unitizing · c consensus coder's name."
            )
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
            return _("Consensus coder “{name}”: {err}").format(name=name, err=err)
        if p is None:
            return _(
                "Consensus coder “{name}”: nothing decided yet. The first decision also "
                "writes every unit {a} and {b} agreed on."
            ).format(name=name, a=self.coder_a, b=self.coder_b)
        line = _(
            "Consensus coder “{name}” ({a} and {b}, {unit} units): "
            "{decided} of {total} disagreements decided, all codes."
        ).format(
            name=name, a=p.coder_a, b=p.coder_b, unit=unit_name(p.unit),
            decided=p.decided, total=p.total,
        )  # fmt: skip
        if (p.coder_a, p.coder_b, p.unit) != (self.coder_a, self.coder_b, self.unit):
            line += _(
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
        self.query_one("#agreement-view", Label).update(_(VIEW_TITLES[self.view]))
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
                    ui_decimal(c.kappa, 3) + ("*" if c.convention else ""),
                    ui_percent(c.percent_agreement, 2),
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
                label = _("theme: {name}").format(name=names.get(theme, theme))
                table.add_row(label, "", num(v["cu_alpha"]), num(v["binary_alpha"]))
            table.add_row(_("Cu-alpha, across themes"), "", num(u.Cu_alpha), "")

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
        every = _("every transcript {a} and {b} both coded")
        choices = [("", every.format(a=self.coder_a, b=self.coder_b))]
        choices += [(t, t) for t in both]

        def chosen(answer: str | None) -> None:
            if answer is not None:
                self.transcripts = (answer,) if answer else ()
                self.action_refresh_table()

        self.app.push_screen(ChoicePrompt(_("Which transcripts?"), choices), chosen)

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
            said = _("Consensus coder: {name}").format(name=name)
            if moved:
                said += ui_n(" ({n} coding moved to it)", " ({n} codings moved to it)", moved)
            self.notify(said.format(n=moved), markup=False)
            self.action_refresh_table()

        self.app.push_screen(
            TextPrompt(_("Name of the consensus coder:"), consensus_coder(store)), named
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

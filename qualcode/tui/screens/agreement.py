"""The agreement table of two coders: per code, per transcript and overall, with the view,
unit, turns and transcripts chosen by key; Enter on a code asks for its consensus walk
(``screens/consensus.py``, opened by the app through ``tui/navigation.py``)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
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
from qualcode.consensus.coding_set import consensus_coder, progress, set_consensus_coder
from qualcode.i18n import N_, ui_decimal, ui_language, ui_n, ui_percent
from qualcode.i18n import ui as _
from qualcode.model import QualcodeError
from qualcode.project import Project
from qualcode.tui import messages
from qualcode.tui.agreement_words import (
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


class AgreementScreen(Screen[None]):
    """Per code (in codebook order), per transcript and overall agreement; Enter on a code
    walks its disagreements; u, i, f choose the unit, informant turns or all turns, and the
    transcripts (default: those both coders coded; see ``agreement.coverage``); v shows,
    below, the per-transcript table, NVivo's code × transcript comparison or the unitizing
    alphas."""

    # The two tables share the height; the notes under them scroll within a fifth of the
    # screen, so at 80×24 the lower table still shows rows (the notes once took them all).
    DEFAULT_CSS = """
    AgreementScreen #agreement-codes { height: 3fr; min-height: 4; }
    AgreementScreen #agreement-transcripts, AgreementScreen #agreement-comparison,
    AgreementScreen #agreement-unitizing { height: 2fr; min-height: 3; }
    AgreementScreen Label, AgreementScreen #agreement-notes { padding: 0 1; }
    AgreementScreen #agreement-title { width: 100%; }
    AgreementScreen #agreement-notes-box { height: auto; max-height: 20%; }
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
            with VerticalScroll(id="agreement-notes-box"):
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
        title.update(f"{head} · {covered}")
        legend = _(
            "(alpha green >= {reliable} reliable, yellow >= {tentative} tentative, "
            "red below; grey: too few units)"
        ).format(reliable=num(RELIABLE), tentative=num(TENTATIVE))
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
        text = (
            legend
            + " "
            + _(
                "{units} {pooling} Per code: {kappa}; {alpha}. Fewer than {min} coded units: "
                "too few units (grey). "
            ).format(
                units=ui_n("{n} unit.", "{n} units.", n).format(n=n),
                pooling=report.pooling(lang),
                kappa=spread_line("kappa", spread["cohen_kappa"]),
                alpha=spread_line(_("alpha"), spread["krippendorff_alpha"]),
                min=MIN_CODED_UNITS,
            )
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
        self.post_message(
            messages.OpenConsensus(
                self.coder_a, self.coder_b, code, self.unit, self.informant_only, self.transcripts
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

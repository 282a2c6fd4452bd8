"""The retrieval screen: every passage of one code, whole and wrapped, with case, speaker,
time and coders; filters by case attribute, speaker and case combine; Enter opens the
passage in context, `e` writes the list to a file for the report."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from qualcode import retrieve as rt
from qualcode.exporters.analysis import write_retrieval
from qualcode.i18n import N_, ui_language, ui_n
from qualcode.i18n import ui as _
from qualcode.model import QualcodeError
from qualcode.project import Project
from qualcode.retrieve import Retrieved
from qualcode.scope import Scope
from qualcode.tui import scope_choice
from qualcode.tui.dialogs.picker import CodePicker
from qualcode.tui.dialogs.prompts import ChoicePrompt, TextPrompt
from qualcode.tui.session import app_blind, set_app_blind
from qualcode.tui.widgets.key_bar import KeyBar

CLEAR = "__clear__"
# the speaker filter's values, as the filter list and the title name them
SPEAKERS = {"informant": N_("informants"), "interviewer": N_("interviewer")}


class RetrievalScreen(Screen[Retrieved | None]):
    """Dismisses with the passage to open in context, or None."""

    BINDINGS = [
        Binding("c", "pick", N_("Choose code")),
        Binding("f", "filter", N_("Filter")),
        Binding("s", "subcodes", N_("With sub-codes")),
        Binding(scope_choice.SCOPE_KEY, scope_choice.SCOPE_ACTION, scope_choice.SCOPE_DESCRIPTION),
        Binding("e", "export", N_("Export")),
        Binding("b", "blind", N_("Blind")),
        Binding("escape,q", "back", N_("Back")),
    ]

    def __init__(
        self,
        project: Project,
        coder: str,
        code_id: str | None,
        by: tuple[str, str] | None = None,
    ):
        super().__init__()
        self.project = project
        self.coder = coder
        self.code_id = code_id
        self.with_children = True
        # filters: (kind, value) with kind an attribute id, "speaker" or "case"
        self.filters: set[tuple[str, str]] = {by} if by else set()
        self._shown: list[Retrieved] = []

    def compose(self) -> ComposeResult:
        yield Static(id="title", markup=False)
        yield OptionList(id="passages")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        if self.code_id is None:
            self.action_pick()
        self.reload()

    # --- what is shown ---------------------------------------------------------------------
    def current_scope(self) -> Scope:
        return scope_choice.current_scope(self.app, self.project, self.coder)

    def _filters(self) -> rt.Filters:
        attrs = tuple(sorted((k, v) for k, v in self.filters if k not in ("speaker", "case")))
        return rt.Filters(
            cases=tuple(sorted(v for k, v in self.filters if k == "case")),
            attributes=attrs,
            speakers=tuple(sorted(v for k, v in self.filters if k == "speaker")),
        )

    def segments(self) -> list[Retrieved]:
        """The passages of the code (and its sub-codes) for the scope and filters."""
        if not self.code_id:
            return []
        filters = self._filters()
        found = rt.retrieve(
            self.project,
            self.current_scope(),
            self.code_id,
            rt.Filters(cases=filters.cases, speakers=filters.speakers),
            self.with_children,
        )
        # Values of one attribute are alternatives (stor or liten); attributes combine.
        wanted: dict[str, set[str]] = {}
        for key, value in filters.attributes:
            wanted.setdefault(key, set()).add(value)
        return [r for r in found if all(r.attributes.get(k) in vals for k, vals in wanted.items())]

    def reload(self) -> None:
        options = self.query_one(OptionList)
        keep = options.highlighted
        options.clear_options()
        self._shown = self.segments()
        case = None
        for i, r in enumerate(self._shown):
            if r.case != case:
                case = r.case
                options.add_option(
                    Option(Text(case or _("(no case)"), style="bold reverse"), disabled=True)
                )
            stamp = f" [{r.timestamp}]" if r.timestamp else ""
            text = Text()
            text.append(f"{r.transcript} · {r.speaker}{stamp} · {r.coder}\n", style="dim")
            text.append(" ".join(r.quote.split()))  # Text, never markup: «[SYKEHUS]»
            options.add_option(Option(text, id=str(i)))
        if keep is not None and options.option_count:
            options.highlighted = min(keep, options.option_count - 1)
        elif options.option_count > 1:
            options.highlighted = 1
        code = self.project.store.codes.get(self.code_id) if self.code_id else None
        name = code.name if code else _("(no code chosen: press c)")
        sub = _(" and its sub-codes") if self.with_children else ""
        where = (
            " · " + ", ".join(self._filter_name(k, v) for k, v in sorted(self.filters))
            if self.filters
            else ""
        )
        label = self.current_scope().label(ui_language())
        n = len(self._shown)
        passages = ui_n("{n} passage", "{n} passages", n).format(n=n)
        self.query_one("#title", Static).update(
            _(" Retrieval: {code}").format(code=name) + f"{sub}{where} · {passages} · {label}"
        )

    def _filter_name(self, kind: str, value: str) -> str:
        """``Speaker: informants``, ``Case: Liten kommune 1``, ``Size: liten``."""
        if kind == "speaker":
            return _("Speaker: {value}").format(value=_(SPEAKERS.get(value, value)))
        if kind == "case":
            return _("Case: {value}").format(value=value)
        attrs = self.project.guide.case_attributes if self.project.guide else []
        return f"{next((a.name for a in attrs if a.id == kind), kind)}: {value}"

    # --- actions ----------------------------------------------------------------------------
    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.dismiss(self._shown[int(event.option.id)])

    def action_pick(self) -> None:
        def chosen(code_id: str | None) -> None:
            if code_id:
                self.code_id = code_id
                self.reload()

        # retrieval finds an existing code's passages: no new code from a typo
        self.app.push_screen(CodePicker(self.project.store, self.coder, create=False), chosen)

    def action_filter(self) -> None:
        store = self.project.store
        choices: list[tuple[str, str]] = []
        if self.filters:
            choices.append((CLEAR, _("Clear every filter")))
        for attr in self.project.guide.case_attributes if self.project.guide else []:
            values = attr.values or sorted(
                {a.get(attr.id, "") for a in store.transcripts.cases().values()} - {""}
            )
            choices += [(f"{attr.id}\t{v}", f"{attr.name}: {v}") for v in values]
        choices += [(f"speaker\t{v}", self._filter_name("speaker", v)) for v in SPEAKERS]
        choices += [
            (f"case\t{c}", self._filter_name("case", c)) for c in sorted(store.transcripts.cases())
        ]
        marked = [(k, ("✓ " if tuple(k.split("\t")) in self.filters else "  ") + label)
                  for k, label in choices]  # fmt: skip

        def chosen(key: str | None) -> None:
            if key == CLEAR:
                self.filters.clear()
            elif key:
                kind, value = key.split("\t", 1)
                self.filters ^= {(kind, value)}  # a second choice takes the filter off
            self.reload()

        asked = _("Filter (choose again to take one off):")
        self.app.push_screen(ChoicePrompt(asked, marked), chosen)

    def action_subcodes(self) -> None:
        self.with_children = not self.with_children
        self.reload()

    def action_choose_scope(self) -> None:
        scope_choice.choose_scope(self.app, self.project, self.coder, lambda _s: self.reload())

    def action_blind(self) -> None:
        set_app_blind(self.app, not app_blind(self.app))
        self.reload()

    def action_export(self) -> None:
        if not self._shown:
            self.notify(_("Nothing to export: no passages"), severity="warning")
            return
        code = self.project.store.codes.get(self.code_id or "")
        default = f"{code.id if code else 'passasjer'}.docx"

        def named(name: str | None) -> None:
            if not name:
                return
            try:
                path = write_retrieval(
                    self.project.root, name, self._shown,
                    code.name if code else "", self.current_scope().label(self.project.language),
                )  # fmt: skip
            except QualcodeError as err:
                self.notify(str(err), severity="error", timeout=8, markup=False)
                return
            n = len(self._shown)
            wrote = ui_n("Wrote {n} passage to {path}", "Wrote {n} passages to {path}", n)
            self.notify(wrote.format(n=n, path=path), timeout=6, markup=False)

        self.app.push_screen(
            TextPrompt(_("Export to file (.docx, .md, .csv or .xlsx):"), default), named
        )

    def action_back(self) -> None:
        self.dismiss(None)

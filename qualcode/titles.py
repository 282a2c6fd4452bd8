"""The block every exported document opens with: its title, what it is, and the lines saying
what it stands on. One function builds it for every kind and format, so a line added here
(whose codings, what is counted) appears under the title of every export."""

from __future__ import annotations

from dataclasses import dataclass, field

from qualcode.i18n import translator
from qualcode.model import Guide
from qualcode.scope import Scope


@dataclass(frozen=True)
class TitleBlock:
    title: str
    subtitle: str = ""
    lines: tuple[str, ...] = field(default_factory=tuple)


def kind_name(kind: str, lang: str, case: str = "") -> str:
    """What a document of ``kind`` is, in ``lang``: "Oppsummeringer per kommune", …"""
    _ = translator(lang)
    case = (case or _("case")).lower()
    names = {
        "summaries": _("Summaries per {case}").format(case=case),
        "matrix": _("Framework matrix"),
        "comparison": _("Similarities and differences"),
        "agreement": _("Intercoder agreement"),
        "codings": _("Coded segments"),
        "qdpx": _("REFI-QDA project"),
        "qdc": _("REFI-QDA codebook"),
        "cooccurrence": _("Co-occurrence"),
        "crosstab": _("Crosstab"),
    }
    return names.get(kind, kind)


def matrix_note(scope: Scope | None, case: str, lang: str) -> str:
    """What a matrix cell's number counts, in ``lang``: the scope's counting (coded
    passages, merged, unless asked otherwise) of the theme and the codes under it."""
    _ = translator(lang)
    counting = scope.counting(lang) if scope else _("coded passages")
    return _(
        "Each number: {counting}, with the theme or one of its codes, in the transcripts "
        "of that {case}."
    ).format(counting=counting, case=case)


def guide_kind_name(guide: Guide | None, kind: str, lang: str) -> str:
    """:func:`kind_name` with the guide's case label ("Oppsummeringer per kommune")."""
    return kind_name(kind, lang, guide.case_label if guide else "")


def title_block(
    guide: Guide | None, kind: str, lang: str, lines: tuple[str, ...] = ()
) -> TitleBlock:
    """The guide's title, the kind of document, and the lines that say what it counts."""
    return TitleBlock(guide.title if guide else "", guide_kind_name(guide, kind, lang), lines)


def cases_word(guide: Guide | None, lang: str) -> str:
    """The case label in the plural ("Kommuner"): the guide's, else made by rule."""
    if guide and guide.case_label_plural:
        return guide.case_label_plural
    label = guide.case_label if guide else translator(lang)("Case")
    if lang == "en":
        return label + "s"
    return label + ("r" if label.endswith("e") else "er")


@dataclass(frozen=True)
class ComparisonLabels:
    caption: str  # "Tabell 1: Likheter og ulikheter …"
    evidence: str  # the evidence column's header: "Kommuner med koding"
    definition: str  # what that column counts, under the table
    support: dict[str, str] = field(default_factory=dict)  # side -> "Støtter likhetene"

    def support_lines(self, support: dict[str, list[str]]) -> list[str]:
        """ "Støtter likhetene: Stor kommune 1, …" for each side with linked passages."""
        return [
            f"{self.support[side]}: {', '.join(cases)}"
            for side, cases in support.items()
            if cases and side in self.support
        ]


def comparison_labels(guide: Guide | None, lang: str) -> ComparisonLabels:
    """Tabell 1's caption, and the evidence column's name and definition, in ``lang``."""
    _ = translator(lang)
    what = guide.comparison_title if guide and guide.comparison_title else ""
    cases = cases_word(guide, lang)
    what = what or _("Similarities and differences between {cases}.").format(cases=cases.lower())
    header = _("{cases} with codings").format(cases=cases)
    definition = _(
        "{header}: per group, how many {cases} have at least one coding of the category's "
        "codes, of how many in the group. It shows where the category was spoken of (its "
        "coverage), not how many support each similarity or difference; where passages are "
        "linked to a similarity or a difference, the {cases} they come from are named."
    ).format(header=header, cases=cases.lower())
    support = {
        "likheter": _("Supports the similarities"),
        "forskjeller": _("Supports the differences"),
    }
    return ComparisonLabels(_("Table 1: {title}").format(title=what), header, definition, support)

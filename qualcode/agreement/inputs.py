"""What agreement and the consensus walk read from a project's store.

Only codings whose status is "ok" count: a coding left "unresolved" after its transcript
changed points at text that may no longer say what was coded, so it is left out and the
report says how many were.
"""

from __future__ import annotations

from dataclasses import dataclass

from qualcode.agreement.comparison import Cell, comparison
from qualcode.agreement.coverage import Coverage, coverage
from qualcode.agreement.unitized import UnitizingReport, unitizing
from qualcode.agreement.units import AgreementReport, compute_agreement
from qualcode.analysis import sentence_map
from qualcode.codebook import tree_order
from qualcode.codings_io import find_code
from qualcode.i18n import ui as _
from qualcode.i18n import ui_n
from qualcode.model import Coding, QualcodeError, Transcript
from qualcode.store import Store
from qualcode.study import Study

Span = tuple[int, int]


def check_coders(store: Store, *names: str) -> None:
    known = store.coders.all()
    for name in names:
        if name not in known:
            listed = ", ".join(known) or _("none yet")
            raise QualcodeError(
                _('no coder "{name}" in this project (coders: {listed})').format(
                    name=name, listed=listed
                )
            )


def resolve_codes(store: Store, keys: list[str] | tuple[str, ...]) -> list[str]:
    """Code ids for ids or names given by the user, each once; an unknown one is an error."""
    codes = store.codes.all()
    out: list[str] = []
    for key in keys:
        code = find_code(codes, key)
        if code is None:
            raise QualcodeError(_('no code "{key}" in the codebook').format(key=key))
        out.append(code.id)
    # The same code given twice (by id and by name, say) would count its decisions twice.
    return list(dict.fromkeys(out))


def load_transcripts(
    store: Store, ids: list[str] | tuple[str, ...] | None = None
) -> list[Transcript]:
    if not ids:
        return store.transcripts.all()
    return [store.transcripts.get(t) for t in dict.fromkeys(ids)]


@dataclass
class Inputs:
    transcripts: list[Transcript]
    codings: list[Coding]  # status "ok" only
    sentences: dict[str, list[Span]] | None  # for sentence units
    unresolved: dict[str, int]  # coder -> codings left out because they are unresolved

    def unresolved_note(self, *coders: str) -> str | None:
        n = sum(self.unresolved.get(c, 0) for c in coders)
        if not n:
            return None
        return ui_n(
            "{n} unresolved coding of {coders} left out (its transcript changed; "
            "see `qualcode codings unresolved`)",
            "{n} unresolved codings of {coders} left out (their transcript changed; "
            "see `qualcode codings unresolved`)",
            n,
        ).format(n=n, coders=_(" and ").join(coders))


def read_inputs(
    study: Study,
    unit: str,
    transcript_ids: list[str] | tuple[str, ...] | None = None,
    codings: list[Coding] | None = None,
) -> Inputs:
    """The transcripts, their sentences (sentence units) and the codings that count;
    ``codings`` is every coding of the project when the caller has read them already."""
    store = study.store
    transcripts = load_transcripts(store, transcript_ids)
    sentences = sentence_map(study, transcripts) if unit == "sentence" else None
    ids = {t.id for t in transcripts}
    ok: list[Coding] = []
    unresolved: dict[str, int] = {}
    for c in store.codings.all() if codings is None else codings:
        if c.status == "ok":
            ok.append(c)
        elif c.transcript in ids:
            unresolved[c.coder] = unresolved.get(c.coder, 0) + 1
    return Inputs(transcripts, ok, sentences, unresolved)


def covered_inputs(
    study: Study,
    coder_a: str,
    coder_b: str,
    unit: str,
    transcript_ids: list[str] | tuple[str, ...] | None,
    cases: list[str] | tuple[str, ...] | None,
    all_turns: bool,
    informant_only: bool,
) -> tuple[Coverage, Inputs]:
    """What agreement and the consensus walk both read: the coverage (which transcripts
    and turns) and the texts and codings within it. The codings are read once for both."""
    codings = study.store.codings.all()
    covered = coverage(
        study.store,
        coder_a,
        coder_b,
        unit,
        transcripts=transcript_ids,
        cases=cases,
        all_turns=all_turns,
        informant_only=informant_only,
        codings=codings,
    )
    return covered, read_inputs(study, unit, covered.transcripts, codings)


def agreement_report(
    study: Study,
    coder_a: str,
    coder_b: str,
    *,
    unit: str = "turn",
    transcript_ids: list[str] | tuple[str, ...] | None = None,
    codes: list[str] | tuple[str, ...] | None = None,
    informant_only: bool = False,
    cases: list[str] | tuple[str, ...] | None = None,
    all_turns: bool = False,
) -> AgreementReport:
    """Agreement of two coders (codes given by id or name), per code in the codebook's
    order, over the transcripts and turns ``coverage`` gives: by default the transcripts
    both coded, and for turn and sentence units the informants' turns."""
    store = study.store
    check_coders(store, coder_a, coder_b)
    code_ids = resolve_codes(store, codes) if codes else None
    covered, data = covered_inputs(
        study, coder_a, coder_b, unit, transcript_ids, cases, all_turns, informant_only
    )
    report = compute_agreement(
        data.transcripts,
        data.codings,
        coder_a,
        coder_b,
        unit=unit,
        codes=code_ids,
        informant_only=covered.informant_only,
        sentences=data.sentences,
    )
    report.coverage = covered
    rank = {code: i for i, code in enumerate(tree_order(store.codes.all()))}
    report.per_code = dict(
        sorted(report.per_code.items(), key=lambda kv: (rank.get(kv[0], len(rank)), kv[0]))
    )
    note = data.unresolved_note(coder_a, coder_b)
    if note:
        report.notes.append(note)
    return report


ReportInputs = tuple[list[Transcript], list[Coding]]


def report_inputs(store: Store, report: AgreementReport) -> ReportInputs:
    """The transcripts an agreement report covers, and the codings that count: read once
    by a caller asking for both the comparison and the unitizing alphas."""
    transcripts = load_transcripts(store, list(report.per_transcript))
    return transcripts, [c for c in store.codings.all() if c.status == "ok"]


def comparison_for(
    store: Store, report: AgreementReport, inputs: ReportInputs | None = None
) -> list[Cell]:
    """NVivo's coding comparison for the transcripts and codes of ``report``: one cell per
    code (in the report's order) × transcript, on every character of the stored text."""
    transcripts, codings = inputs or report_inputs(store, report)
    a, b = report.coders
    return comparison(transcripts, codings, a, b, list(report.per_code))


def unitizing_for(
    store: Store, report: AgreementReport, inputs: ReportInputs | None = None
) -> UnitizingReport:
    """Krippendorff's unitizing alphas for the transcripts, turns and codes of ``report``."""
    transcripts, codings = inputs or report_inputs(store, report)
    a, b = report.coders
    return unitizing(
        transcripts,
        codings,
        a,
        b,
        store.codes.all(),
        codes=list(report.per_code),
        informant_only=report.informant_only,
    )

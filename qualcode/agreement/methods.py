"""A methods paragraph a report can quote, in the guide's language: what the agreement
figures stand on and how they were computed, with a reference for each choice.
"""

from __future__ import annotations

from dataclasses import dataclass

from qualcode.agreement import bootstrap, verdicts

REFERENCES = {
    "cohen": "Cohen, J. (1960). A coefficient of agreement for nominal scales. Educational "
    "and Psychological Measurement, 20(1), 37–46.",
    "krippendorff2004": "Krippendorff, K. (2004). Content analysis: An introduction to its "
    "methodology (2nd ed.). Sage.",
    "krippendorff2019": "Krippendorff, K. (2019). Content analysis: An introduction to its "
    "methodology (4th ed.). Sage.",
    "hayes": "Hayes, A. F., & Krippendorff, K. (2007). Answering the call for a standard "
    "reliability measure for coding data. Communication Methods and Measures, 1(1), 77–89.",
    "bp": "Brennan, R. L., & Prediger, D. J. (1981). Coefficient kappa: Some uses, misuses, "
    "and alternatives. Educational and Psychological Measurement, 41(3), 687–699.",
    "gwet": "Gwet, K. L. (2008). Computing inter-rater reliability and its variance in the "
    "presence of high agreement. British Journal of Mathematical and Statistical "
    "Psychology, 61(1), 29–48.",
    "cicchetti": "Cicchetti, D. V., & Feinstein, A. R. (1990). High agreement but low kappa: "
    "II. Resolving the paradoxes. Journal of Clinical Epidemiology, 43(6), 551–558.",
    "bloch": "Bloch, D. A., & Kraemer, H. C. (1989). 2 × 2 kappa coefficients: Measures of "
    "agreement or association. Biometrics, 45(1), 269–287.",
    "unitizing": "Krippendorff, K., Mathet, Y., Bouvry, S., & Widlöcher, A. (2016). On the "
    "reliability of unitizing textual continua: Further developments. Quality & Quantity, "
    "50(6), 2347–2364.",
    "nvivo": "QSR International / Lumivero. NVivo: Run a coding comparison query (how the "
    "kappa coefficient is calculated). NVivo Help.",
    "atlas": "ATLAS.ti Scientific Software Development GmbH. Inter-coder agreement analysis "
    "(Krippendorff's family of alpha coefficients). ATLAS.ti manual.",
}


@dataclass
class Facts:
    """What a methods paragraph states; filled from an agreement report."""

    unit: str  # turn, sentence, character
    n_units: int
    coders: tuple[str, str]
    transcripts: list[str]
    informant_only: bool
    codes_given: bool  # the codes were chosen, not "every code either coder used"
    n_codes: int
    unitizing: bool = False
    comparison: bool = False
    coded_by_both: bool = False  # the transcripts are those both coders coded (the default)


# The bootstrap on character units resamples characters, which are not independent.
_CHARACTERS_NB = (
    " På tegn som enheter trekkes enkelttegn, som ikke er uavhengige: intervallet blir for smalt."
)
_CHARACTERS_EN = (
    " On character units single characters are resampled, which are not independent: the "
    "interval is too narrow."
)
_UNIT_NB = {"turn": "ytringer (taleturer)", "sentence": "setninger", "character": "tegn"}
_UNIT_EN = {"turn": "turns", "sentence": "sentences", "character": "characters"}


def paragraph(facts: Facts, lang: str) -> str:
    """The paragraph in Norwegian (nb, nn, no) or English."""
    norwegian = lang in ("nb", "nn", "no")
    text = _nb(facts) if norwegian else _en(facts)
    return " ".join(part.strip() for part in text if part.strip())


def references(facts: Facts) -> list[str]:
    keys = ["cohen", "krippendorff2004", "krippendorff2019", "hayes", "bp", "gwet", "cicchetti"]
    keys.append("bloch")
    if facts.unitizing:
        keys += ["unitizing", "atlas"]
    if facts.comparison:
        keys.append("nvivo")
    return [REFERENCES[k] for k in keys]


def _num(x: float, norwegian: bool) -> str:
    text = f"{x:.3f}"
    return text.replace(".", ",") if norwegian else text


def _count(n: int, norwegian: bool) -> str:
    return f"{n:,}".replace(",", "\u00a0" if norwegian else ",")


def _scope(f: Facts, norwegian: bool) -> str:
    listed = f" ({', '.join(f.transcripts)})" if 0 < len(f.transcripts) <= 6 else ""
    n = len(f.transcripts)
    if norwegian:
        turns = "bare informantenes replikker" if f.informant_only else "alle replikker"
        codes = "de valgte kodene" if f.codes_given else "alle koder minst én av koderne brukte"
        what = "transkripsjon" if n == 1 else "transkripsjoner"
        what += " kodet av begge koderne" if f.coded_by_both else ""
        return f"Utvalget er {n} {what}{listed}; {turns}; {codes}."
    turns = "informant turns only" if f.informant_only else "all turns"
    codes = "the codes chosen" if f.codes_given else "every code either coder used"
    what = "transcript" if n == 1 else "transcripts"
    what += " coded by both coders" if f.coded_by_both else ""
    return f"Scope: {n} {what}{listed}; {turns}; {codes}."


def _nb(f: Facts) -> list[str]:
    a, b = f.coders
    unit = _UNIT_NB.get(f.unit, f.unit)
    out = [
        f"Samsvaret mellom koder A ({a}) og koder B ({b}) ble målt på {_count(f.n_units, True)} {unit} "
        f"som analyseenheter. {_scope(f, True)}",
        "En kode regnes som gitt til en enhet når en koding av den overlapper enheten med "
        "minst ett tegn som ikke er mellomrom; hver kombinasjon av enhet og kode er én "
        "binær beslutning per koder.",
        f"Det samlede tallet («samlet») er beregnet på én 2×2-tabell summert over alle "
        f"beslutninger for alle {f.n_codes} koder (pooling); det behandler kodene for samme "
        "enhet som uavhengige og domineres av hyppige koder. Derfor oppgis også "
        "gjennomsnitt, median, minimum og maksimum av κ og α per kode, og antall koder de "
        "bygger på.",
        "Koeffisientene er Cohens κ (Cohen 1960), Krippendorffs α for nominale data "
        "(Krippendorff 2004, 2019), Brennan og Predigers κ (Brennan & Prediger 1981; "
        "MAXQDAs valg) og Gwets AC1 (Gwet 2008); prosentvis samsvar oppgis sammen med "
        "positivt samsvar, 2a/(2a + b + c), samsvaret blant enhetene minst én av koderne "
        "kodet (Cicchetti & Feinstein 1990).",
        f"For α oppgis et 95 %-konfidensintervall fra bootstrap (Hayes & Krippendorff "
        f"2007): {_count(bootstrap.SAMPLES, True)} trekninger av enhetene med tilbakelegging, der alle "
        "kodene for en enhet trekkes sammen for det samlede tallet, med fast frø "
        f"({bootstrap.SEED}) slik at rapporten kan gjenskapes; persentilintervall."
        + (_CHARACTERS_NB if f.unit == "character" else ""),
        f"α ≥ {_num(verdicts.RELIABLE, True)} leses som pålitelig og α ≥ "
        f"{_num(verdicts.TENTATIVE, True)} som grunnlag bare for foreløpige konklusjoner "
        f"(Krippendorff 2004). Koder med færre enn {verdicts.MIN_CODED_UNITS} kodede "
        "enheter får «for få enheter» i stedet for en lesning: med færre oppfyller ingen "
        "kode kravet til utvalgsstørrelse for α ≥ 0,667 på 5 %-nivået (Bloch & Kraemer "
        "1989, slik Krippendorff 2019 bruker det).",
    ]
    if f.comparison:
        out.append(
            "Kodesammenligningen per kode og transkripsjon følger NVivo: alle tegn i den "
            "lagrede teksten, κ = (TA − ΣEF)/(TU − ΣEF), og κ = 1 med 100 % samsvar der "
            "koderne er enige om hvert tegn, som der ingen av dem kodet koden (NVivos "
            "konvensjon)."
        )
    if f.unitizing:
        out.append(
            "Samsvar om hvor kodene står i teksten er målt med Krippendorffs α for "
            "segmentering (uα; Krippendorff mfl. 2016) på tegnene som ikke er mellomrom i "
            "turene i utvalget: uα per kode, cu-α per tema (temaet og dets koder som ett "
            "semantisk domene) og Cu-α på tvers av temaene, slik ATLAS.ti definerer dem. "
            "Der en koder ga to koder fra samme domene til de samme tegnene, regnes "
            "kombinasjonen som en egen verdi."
        )
    return out


def _en(f: Facts) -> list[str]:
    a, b = f.coders
    unit = _UNIT_EN.get(f.unit, f.unit)
    out = [
        f"Agreement between coder A ({a}) and coder B ({b}) was measured on {_count(f.n_units, False)} "
        f"{unit} as units of analysis. {_scope(f, False)}",
        "A code is present in a unit when a coding of it overlaps the unit by at least one "
        "non-whitespace character; each pair of unit and code is one binary decision per "
        "coder.",
        f"The overall figure is pooled: one 2×2 table summed over every decision for all "
        f"{f.n_codes} codes; it treats the codes of one unit as independent and is dominated "
        "by frequent codes. The mean, median, minimum and maximum of the per-code κ and α, "
        "and the number of codes they cover, are therefore given beside it.",
        "The coefficients are Cohen's κ (Cohen 1960), Krippendorff's α for nominal data "
        "(Krippendorff 2004, 2019), Brennan and Prediger's κ (Brennan & Prediger 1981; "
        "MAXQDA's choice) and Gwet's AC1 (Gwet 2008); percent agreement is given with "
        "positive agreement, 2a/(2a + b + c), the agreement among the units either coder "
        "coded (Cicchetti & Feinstein 1990).",
        f"α has a 95 % bootstrap interval (Hayes & Krippendorff 2007): "
        f"{_count(bootstrap.SAMPLES, False)} "
        "resamples of the units with replacement, a unit's decisions on every code drawn "
        f"together for the overall figure, with a fixed seed ({bootstrap.SEED}) so that the "
        "report can be reproduced; percentile interval."
        + (_CHARACTERS_EN if f.unit == "character" else ""),
        f"α ≥ {verdicts.RELIABLE:.3f} is read as reliable and α ≥ {verdicts.TENTATIVE:.3f} "
        f"as a basis for tentative conclusions only (Krippendorff 2004). Codes with fewer "
        f"than {verdicts.MIN_CODED_UNITS} coded units are marked 'too few units' instead of "
        "a reading: with fewer, no code meets the sample size α ≥ .667 needs at "
        "significance .05 (Bloch & Kraemer 1989, as Krippendorff 2019 uses it).",
    ]
    if f.comparison:
        out.append(
            "The comparison per code and transcript follows NVivo: every character of the "
            "stored text, κ = (TA − ΣEF)/(TU − ΣEF), and κ = 1 with 100 % agreement where the "
            "coders agree on every character, as where neither coded the code (NVivo's "
            "convention)."
        )
    if f.unitizing:
        out.append(
            "Agreement on where codes apply in the text was measured with Krippendorff's "
            "alpha for unitizing (uα; Krippendorff et al. 2016) on the non-whitespace "
            "characters of the turns in scope: uα per code, cu-α per theme (a theme and its "
            "codes as one semantic domain) and Cu-α across themes, as ATLAS.ti defines them. "
            "Where a coder gave two codes of one domain to the same characters, the "
            "combination counts as a value of its own."
        )
    return out

"""The study's interview guide loads intact, and broken guides give one clear error."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from qualcode.guide import load_guide, parse_guide
from qualcode.model import Guide, QualcodeError

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "interview_guide.yaml"
SEED = Path("/work/shared/seeds/000_3266f8c36a6335f8.txt")

THEME_IDS = [
    "organisering",
    "identifisering",
    "hjemmedod",
    "planlegging",
    "parorende",
    "bemanning",
    "fastlege-legevakt",
    "spesialisthelsetjenesten",
    "frivillige",
    "evaluering",
]
THEME_NAMES = [
    "Organisering av tilbudet til palliative pasienter",
    "Identifisering av palliative pasienter",
    "Tilbud om å dø hjemme",
    "Planlegging av det palliative forløpet",
    "Samarbeid med pårørende og nettverk",
    "Bemanning og kompetanse",
    "Samarbeid med fastlege og legevakt",
    "Samarbeid med spesialisthelsetjenesten",
    "Samarbeid med frivillige organisasjoner",
    "Evaluering av tilbudet",
]
# Tabell 1 of the report, rows in order.
TABLE_1 = [
    "Kreftkoordinator",
    "Tilrettelegging for hjemmedød",
    "Kompetanseheving",
    "Dokumentasjon",
    "Pårørendes rolle",
    "Fastlegens involvering",
    "Bruk av verktøy",
    "Samarbeid med frivillige",
    "Tilgang på ressurser",
]
# PDF line-break hyphenation in the appendix, and its repair.
HYPHENATION = {
    "res-surser": "ressurser",
    "dia-gnoser": "diagnoser",
    "pal-liative": "palliative",
    "stil-lingsstørrelsen": "stillingsstørrelsen",
}


@pytest.fixture(scope="module")
def guide() -> Guide:
    return load_guide(GUIDE)


def _all_prompts(guide: Guide) -> list[str]:
    return [p for t in guide.themes for p in (*t.questions, *t.followups)]


# --- the real guide ---------------------------------------------------------------------------


def test_ten_themes_in_order(guide: Guide) -> None:
    assert [t.id for t in guide.themes] == THEME_IDS
    assert [t.name for t in guide.themes] == THEME_NAMES
    assert all(t.questions for t in guide.themes)
    assert all(t.description for t in guide.themes)


@pytest.mark.parametrize(
    ("theme", "text"),
    [
        ("organisering", "Hvordan er tilbudet til palliative pasienter i kommunen organisert?"),
        (
            "organisering",
            "Har dere for eksempel palliative senger eller et palliativt team eller andre "
            "dedikerte ressurser?",
        ),
        ("identifisering", "Hvem vurderer og hvordan foregår denne vurderingen?"),
        (
            "hjemmedod",
            "Gjelder dette pasienter med kreft, hjertesvikt, KOLS, nevrologiske lidelser eller "
            "andre diagnoser?",
        ),
        (
            "hjemmedod",
            "Hvor mange er det cirka i løpet av et år som ønsker å dø hjemme? (ser kommunen "
            "legger planer for hjemmedød)",
        ),
        (
            "bemanning",
            "Hvordan er bemanningen og kompetansen i hjemmetjenesten tilrettelagt for å ivareta "
            "palliative pasienter?",
        ),
        ("bemanning", "Hva er stillingsstørrelsen på disse ressursene?"),
        (
            "fastlege-legevakt",
            "Hvordan samarbeider dere med fastlege og legevakt når det gjelder "
            "behandlingsavklaringer og foreskrivning av medisiner?",
        ),
        (
            "evaluering",
            "Hvordan evaluerer dere kommunens tilbud til personer som ønsker å dø hjemme?",
        ),
    ],
)
def test_verbatim_prompts(guide: Guide, theme: str, text: str) -> None:
    by_id = {t.id: t for t in guide.themes}
    assert text in (*by_id[theme].questions, *by_id[theme].followups)


def test_first_sentence_is_the_question_the_rest_followups(guide: Guide) -> None:
    by_id = {t.id: t for t in guide.themes}
    assert by_id["identifisering"].questions == (
        "Hvordan identifiseres pasienter med palliative behov?",
    )
    assert (
        "Hvem vurderer og hvordan foregår denne vurderingen?" in by_id["identifisering"].followups
    )
    assert len(by_id["hjemmedod"].followups) == 3


def test_no_hyphenation_artefacts_left(guide: Guide) -> None:
    for prompt in _all_prompts(guide):
        for broken in HYPHENATION:
            assert broken not in prompt


@pytest.mark.skipif(not SEED.exists(), reason="the report text is not available")
def test_whole_appendix_is_in_the_guide_word_for_word(guide: Guide) -> None:
    """Headings of the appendix are the theme names; everything else is, in order, the prompts."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if "VEDLEGG: INTERVJUGUIDE" in line)
    headings: list[str] = []
    body: list[str] = []
    for line in lines[start + 2 :]:
        line = line.strip()
        if not line:
            continue
        if line in THEME_NAMES:
            headings.append(line)
        else:
            body.append(line)
    text = " ".join(body)
    for broken, fixed in HYPHENATION.items():
        text = re.sub(broken.replace("-", r"-\s*"), fixed, text)
    assert headings == [t.name for t in guide.themes]
    assert re.sub(r"\s+", " ", text).strip() == " ".join(_all_prompts(guide))


def test_comparison_categories_follow_table_1(guide: Guide) -> None:
    assert [c.name for c in guide.comparison_categories] == TABLE_1
    known = {c.id for c in guide.codes()}
    for category in guide.comparison_categories:
        assert category.codes
        assert set(category.codes) <= known, category.id


def test_report_sections_and_case_attributes(guide: Guide) -> None:
    assert [s.id for s in guide.report_sections] == [
        "organisering",
        "samhandling",
        "identifisering",
        "parorende",
        "styrker-svakheter",
    ]
    theme_ids = {t.id for t in guide.themes}
    covered = {t for s in guide.report_sections for t in s.themes}
    assert covered == theme_ids  # every theme is reported somewhere
    size = next(a for a in guide.case_attributes if a.id == "size")
    assert size.values == ("stor", "mellomstor", "liten")
    assert guide.case_label == "Kommune"
    assert guide.language == "nb"


def test_seed_codes_exist_under_a_theme(guide: Guide) -> None:
    required = """kreftkoordinator kreftkontakt ressurssykepleier palliativt-team palliative-senger
    fastvakt spict csnat palliativ-plan forhandssamtaler vaketjeneste legevakt e-melding
    dokumentasjon kompetanseheving hjemmedod-rutine pasienter-uten-kreft hjelpemidler
    ressursmangel""".split()
    nodes = {c.id: c for c in guide.codes()}
    for ident in required:
        assert nodes[ident].parent in THEME_IDS, ident
    ids = [c.id for c in guide.codes()]
    assert len(ids) == len(set(ids))
    assert nodes["forhandssamtaler"].name == "Forhåndssamtaler"
    assert nodes["vaketjeneste"].name == "Våketjeneste"
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9-]*", i) for i in ids)


def test_codes_carry_keywords_and_colours(guide: Guide) -> None:
    for theme in guide.themes:
        assert theme.keywords and isinstance(theme.keywords, tuple)
        for code in theme.codes:
            assert code.parent == theme.id
            assert code.keywords, code.id
            assert re.fullmatch(r"#[0-9a-fA-F]{6}", code.color), code.id
    colours = [t.color for t in guide.themes]
    assert all(re.fullmatch(r"#[0-9a-fA-F]{6}", c) for c in colours)
    assert len(set(colours)) == len(guide.themes)
    nodes = guide.codes()
    assert {n.color for n in nodes if n.parent is None} == set(colours)


def test_schema_is_valid_2020_12() -> None:
    import jsonschema

    from qualcode.schemas import GUIDE_SCHEMA, load_schema

    schema = load_schema(GUIDE_SCHEMA)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


# --- broken guides ----------------------------------------------------------------------------


def _line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line number of the ``occurrence``-th line containing ``needle``."""
    hits = [i + 1 for i, line in enumerate(text.splitlines()) if needle in line]
    if needle.startswith(" "):  # an indented needle means the whole line, e.g. "  - id: x"
        hits = [i + 1 for i, line in enumerate(text.splitlines()) if line == needle]
    return hits[occurrence - 1]


def _broken(tmp_path: Path, text: str) -> QualcodeError:
    path = tmp_path / "interview_guide.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(QualcodeError) as info:
        load_guide(path)
    err = info.value
    assert err.source == str(path)
    assert "Traceback" not in str(err)
    assert str(err).startswith(str(path))
    return err


@pytest.fixture(scope="module")
def original() -> str:
    return GUIDE.read_text(encoding="utf-8")


def test_yaml_syntax_error_gives_the_line(tmp_path: Path, original: str) -> None:
    text = original.replace("  - id: planlegging\n", "  - id: planlegging: oops\n", 1)
    err = _broken(tmp_path, text)
    assert err.line == _line_of(text, "id: planlegging: oops")
    assert "YAML" in err.message


def test_unclosed_quote_is_a_yaml_error(tmp_path: Path) -> None:
    # PyYAML notices at the end of the file; the error points at the opening quote.
    err = _broken(tmp_path, 'language: nb\ntitle: "Kartlegging\ncase_label: Kommune\n')
    assert err.line == 2 and "never closed" in err.message


def test_a_quote_left_open_mid_file_points_at_its_line(tmp_path: Path, original: str) -> None:
    # The quote runs on to the next one, lines later, where PyYAML notices; the error names
    # the line the quote opened on (a tester was sent three lines too far).
    opened = 'title: "Hvordan er det palliative tilbudet organisert?"'
    text = original.replace(opened, opened[:-1], 1)
    err = _broken(tmp_path, text)
    line = _line_of(text, opened[:-1])
    assert err.line == line
    assert f"the quote opened on line {line} is not closed" in err.message


def test_duplicate_code_id(tmp_path: Path, original: str) -> None:
    # A second "kreftkoordinator" under the theme "frivillige".
    text = original.replace(
        "      - id: vaketjeneste\n",
        "      - id: kreftkoordinator\n        name: Igjen\n      - id: vaketjeneste\n",
        1,
    )
    err = _broken(tmp_path, text)
    first = _line_of(text, "- id: kreftkoordinator", 1)
    second = _line_of(text, "- id: kreftkoordinator", 2)
    assert err.line == second
    assert '"kreftkoordinator"' in err.message
    assert f"line {first}" in err.message
    assert "duplicate" in err.message


def test_theme_id_reused_as_code_id(tmp_path: Path, original: str) -> None:
    text = original.replace("      - id: legevakt\n", "      - id: hjemmedod\n", 1)
    err = _broken(tmp_path, text)
    assert err.line == _line_of(text, "      - id: hjemmedod")
    assert '"hjemmedod"' in err.message


def test_unknown_theme_in_report_section(tmp_path: Path, original: str) -> None:
    text = original.replace("themes: [evaluering]", "themes: [evalueringer]", 1)
    err = _broken(tmp_path, text)
    assert err.line == _line_of(text, "themes: [evalueringer]")
    assert '"evalueringer"' in err.message and '"styrker-svakheter"' in err.message
    assert 'did you mean "evaluering"' in err.message


def test_code_named_as_theme_in_report_section(tmp_path: Path, original: str) -> None:
    text = original.replace("themes: [evaluering]", "themes: [spict]", 1)
    err = _broken(tmp_path, text)
    assert "is a code, not a theme" in err.message


def test_unknown_code_in_comparison_category(tmp_path: Path, original: str) -> None:
    text = original.replace("codes: [kompetanseheving]", "codes: [kompetanse]", 1)
    err = _broken(tmp_path, text)
    assert err.line == _line_of(text, "codes: [kompetanse]")
    assert '"kompetanse"' in err.message and "comparison category" in err.message


def test_missing_name(tmp_path: Path, original: str) -> None:
    text = original.replace("    name: Bemanning og kompetanse\n", "", 1)
    err = _broken(tmp_path, text)
    assert '"name"' in err.message and "missing" in err.message
    assert '"bemanning"' in err.message
    assert err.line == _line_of(text, "  - id: bemanning")


def test_missing_top_level_field(tmp_path: Path, original: str) -> None:
    text = original.replace("case_label: Kommune\n", "", 1)
    err = _broken(tmp_path, text)
    assert '"case_label"' in err.message


def test_wrong_type(tmp_path: Path, original: str) -> None:
    text = original.replace(
        "      - Hvordan er samarbeidet med spesialisthelsetjenesten organisert?\n", "", 1
    ).replace("    questions:\n    followups: []", "    questions: 42\n    followups: []", 1)
    assert "questions: 42" in text
    err = _broken(tmp_path, text)
    assert err.line == _line_of(text, "questions: 42")
    assert '"questions"' in err.message and "list" in err.message
    assert '"spesialisthelsetjenesten"' in err.message


def test_bad_id_pattern(tmp_path: Path, original: str) -> None:
    text = original.replace("- id: fastvakt\n", "- id: Fast Vakt\n", 1)
    err = _broken(tmp_path, text)
    assert err.line == _line_of(text, "- id: Fast Vakt")
    assert '"Fast Vakt"' in err.message and "lowercase" in err.message


def test_unknown_field(tmp_path: Path, original: str) -> None:
    text = original.replace("    name: Evaluering av tilbudet\n", "    nmae: Evaluering\n", 1)
    err = _broken(tmp_path, text)
    assert '"nmae"' in err.message and 'did you mean "name"' in err.message
    assert err.line == _line_of(text, "nmae: Evaluering")


def test_bad_colour(tmp_path: Path, original: str) -> None:
    text = original.replace('color: "#bebada"', "color: green", 1)
    err = _broken(tmp_path, text)
    assert err.line == _line_of(text, "color: green")
    assert '"green"' in err.message


def test_duplicate_yaml_key(tmp_path: Path, original: str) -> None:
    text = original.replace("language: nb\n", "language: nb\nlanguage: en\n", 1)
    err = _broken(tmp_path, text)
    assert err.line == _line_of(text, "language: en")


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    with pytest.raises(QualcodeError) as info:
        load_guide(path)
    assert str(path) in str(info.value) and "does not exist" in str(info.value)


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("title: x\nlanguage: nb\ncase_label: Kommune\n# pårørende\n".encode("latin-1"))
    with pytest.raises(QualcodeError) as info:
        load_guide(path)
    assert info.value.line == 4 and "UTF-8" in info.value.message


def test_empty_and_non_mapping(tmp_path: Path) -> None:
    assert "empty" in _broken(tmp_path, "# nothing\n").message
    assert "top level" in _broken(tmp_path, "- a\n- b\n").message


def test_parse_guide_roundtrip_of_minimal_guide() -> None:
    data = {
        "title": "T",
        "language": "en",
        "case_label": "Site",
        "themes": [
            {
                "id": "a",
                "name": "A",
                "questions": ["Q?"],
                "codes": [{"id": "a-1", "name": "A one", "keywords": ["x"]}],
            }
        ],
        "comparison_categories": [{"id": "c", "name": "C", "codes": ["a-1"]}],
    }
    guide = parse_guide(yaml.safe_dump(data), "mem")
    assert guide.source == "mem"
    assert [c.id for c in guide.codes()] == ["a", "a-1"]
    assert guide.codes()[1].parent == "a"
    assert guide.themes[0].followups == ()
    assert guide.report_sections == ()


@pytest.mark.parametrize("value", ["2025-02-30", "2025-02-01"])
def test_a_date_shaped_value_is_read_as_text(tmp_path: Path, original: str, value: str) -> None:
    """PyYAML would make a date of it (and crash on an impossible one); a title is text."""
    lines = original.split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("title:"))
    lines[at] = f"title: {value}"
    path = tmp_path / "interview_guide.yaml"
    path.write_text("\n".join(lines), encoding="utf-8")
    assert load_guide(path).title == value
    # and a name shaped like a date is text too, where a date would break the schema
    text = original.replace(
        "  - id: planlegging\n    name:", f"  - id: planlegging\n    name: {value} #", 1
    )
    assert "planlegging" in text and f"name: {value}" in text
    path.write_text(text, encoding="utf-8")
    names = {t.id: t.name for t in load_guide(path).themes}
    assert names["planlegging"] == value

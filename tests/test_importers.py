"""Tests for qualcode.importers: every format, encodings, labels, front matter, refusals."""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import pytest
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.importers import SUPPORTED_SUFFIXES, check_attributes, load_transcript, parse_bytes
from qualcode.importers import docx as docx_importer
from qualcode.importers import srt as srt_importer
from qualcode.importers import text as text_importer
from qualcode.importers import vtt as vtt_importer
from qualcode.importers.encoding import decode
from qualcode.model import INFORMANT, INTERVIEWER, CaseAttribute, QualcodeError, Transcript

ROOT = Path(__file__).resolve().parents[1]
NORWEGIAN = "De pårørende sa: Ærlig talt, vi bor på ei øy."


def contents(t: Transcript) -> list[str]:
    return [t.text[turn.start : turn.end] for turn in t.turns]


def assert_turns(t: Transcript, expected: list[tuple[str, str]]) -> None:
    """Speakers and spoken content match, and no content span includes its label."""
    assert [(turn.speaker, t.text[turn.start : turn.end]) for turn in t.turns] == expected
    for turn in t.turns:
        span = t.text[turn.start : turn.end]
        assert not span.startswith(f"{turn.speaker}:")
        assert span == span.strip()
        # the label sits just before the content in the stored text
        assert turn.speaker in t.text[max(0, turn.start - 60) : turn.start]


# --- encodings ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        NORWEGIAN.encode("utf-8"),
        b"\xef\xbb\xbf" + NORWEGIAN.encode("utf-8"),
        b"\xff\xfe" + NORWEGIAN.encode("utf-16-le"),
        b"\xfe\xff" + NORWEGIAN.encode("utf-16-be"),
        NORWEGIAN.encode("utf-16-le"),  # no BOM: found by the NUL pattern
        NORWEGIAN.encode("cp1252"),
        NORWEGIAN.encode("latin-1"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf16le-nobom", "cp1252", "latin1"],
)
def test_decode_encodings(data: bytes) -> None:
    assert decode(data, "x.txt") == NORWEGIAN


def test_cp1252_crlf_transcript() -> None:
    raw = "I: Hvem er pårørende her?\r\nK: Ærlig talt – folk fra øya.\r\n".encode("cp1252")
    t = parse_bytes(raw, "crlf.txt")
    assert "\r" not in t.text
    assert_turns(t, [("I", "Hvem er pårørende her?"), ("K", "Ærlig talt – folk fra øya.")])


def test_nfd_input_becomes_nfc() -> None:
    nfd = unicodedata.normalize("NFD", "I: Hva med pårørende?\nK: Ærlig talt, øy.")
    assert nfd != unicodedata.normalize("NFC", nfd)
    t = parse_bytes(nfd.encode("utf-8"), "nfd.txt")
    assert unicodedata.is_normalized("NFC", t.text)
    assert contents(t) == ["Hva med pårørende?", "Ærlig talt, øy."]


def test_bom_is_not_stored() -> None:
    t = parse_bytes(b"\xef\xbb\xbfI: Hei\nK: Hallo", "bom.txt")
    assert not t.text.startswith("\ufeff")
    assert t.turns[0].start == 3


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02"


@pytest.mark.parametrize("name", ["bilde.txt", "bilde.md", "bilde.vtt", "bilde.srt"])
def test_binary_refused(name: str) -> None:
    with pytest.raises(QualcodeError) as err:
        parse_bytes(PNG, name)
    assert name in str(err.value)
    assert "binary" in str(err.value)


def test_control_characters_refused() -> None:
    with pytest.raises(QualcodeError, match="binary"):
        decode(bytes(range(1, 32)) * 20, "ctl.txt")


@pytest.mark.parametrize("data", [b"", b"   \n\r\n\t ", b"\xef\xbb\xbf\n", b"\xff\xfe \x00\n\x00"])
@pytest.mark.parametrize("name", ["tom.txt", "tom.md", "tom.vtt", "tom.srt"])
def test_empty_refused(data: bytes, name: str) -> None:
    with pytest.raises(QualcodeError) as err:
        parse_bytes(data, name)
    assert name in str(err.value)
    assert "empty" in str(err.value)


def test_bad_utf8_after_bom_names_line() -> None:
    with pytest.raises(QualcodeError) as err:
        decode(b"\xef\xbb\xbfI: ok\nK: \xff\xfe bad", "bad.txt")
    assert err.value.line == 2 and err.value.source == "bad.txt"


# --- text and markdown -----------------------------------------------------------------

LABELLED = """Intervju med kommune A
Transkribert 2024.
Dato: 2024-03-01

I: Kan du fortelle om rollen din?

Kreftkoordinator: Jeg koordinerer. Det er sånn: vi har mange pasienter.

Dette avsnittet fortsetter samme tur.
Intervjuer: Og samarbeidet?
Informant 2: Det går greit.
Leder hjemmetjenesten: Vi møtes ukentlig.
[00:12:03] Navn: Med tidsmerke.
00:12:09 Kari Nordmann: Uten klammer.
(01:05) K: Kort tidsmerke.
**Intervjuer:** Fet etikett.
Leder hjemmetjenesten: Helt enig.
"""


def test_text_labels_and_spans() -> None:
    t = parse_bytes(LABELLED.encode(), "kommune-a.txt")
    assert t.id == "kommune-a" and t.source == "kommune-a.txt"
    assert t.text == LABELLED
    assert t.preamble == "Intervju med kommune A\nTranskribert 2024.\nDato: 2024-03-01"
    assert_turns(
        t,
        [
            ("I", "Kan du fortelle om rollen din?"),
            (
                "Kreftkoordinator",
                "Jeg koordinerer. Det er sånn: vi har mange pasienter.\n\n"
                "Dette avsnittet fortsetter samme tur.",
            ),
            ("Intervjuer", "Og samarbeidet?"),
            ("Informant 2", "Det går greit."),
            ("Leder hjemmetjenesten", "Vi møtes ukentlig."),
            ("Navn", "Med tidsmerke."),
            ("Kari Nordmann", "Uten klammer."),
            ("K", "Kort tidsmerke."),
            ("Intervjuer", "Fet etikett."),
            ("Leder hjemmetjenesten", "Helt enig."),
        ],
    )
    stamps = {t.text[x.start : x.end]: x.timestamp for x in t.turns}
    assert stamps["Med tidsmerke."] == 12 * 60 + 3
    assert stamps["Uten klammer."] == 12 * 60 + 9
    assert stamps["Kort tidsmerke."] == 65
    assert stamps["Og samarbeidet?"] is None
    roles = {x.speaker: x.role for x in t.turns}
    assert roles["I"] == roles["Intervjuer"] == INTERVIEWER
    assert roles["Kreftkoordinator"] == roles["Informant 2"] == INFORMANT


def test_sentences_with_colons_are_not_labels() -> None:
    body = (
        "I: Hva skjer?\n"
        "K: Mye.\n"
        "Det er sånn: vi prøver.\n"
        "Men så: det går.\n"
        "hun sa: nei\n"
        "Flott. Først: et spørsmål.\n"
        "Dette er en altfor lang setning som ikke er en etikett: nei.\n"
    )
    t = parse_bytes(body.encode(), "s.txt")
    assert [x.speaker for x in t.turns] == ["I", "K"]
    assert t.text[t.turns[1].start : t.turns[1].end].endswith(
        "altfor lang setning som ikke er en etikett: nei."
    )


def test_label_alone_on_its_line() -> None:
    t = parse_bytes("Intervjuer:\nHva tenker du?\n\nKari:\nAt det går.\n".encode(), "l.txt")
    assert_turns(t, [("Intervjuer", "Hva tenker du?"), ("Kari", "At det går.")])


def test_number_as_case_gets_a_hint() -> None:
    with pytest.raises(QualcodeError, match="quotes") as err:
        parse_bytes(b"---\ncase: 3\n---\nI: Hei.\n", "n.md")
    assert err.value.line == 2


def test_one_off_lowercase_phrase_is_not_a_label() -> None:
    t = parse_bytes(b"I: Sp\xc3\xb8r.\nK: Svar.\nNoe annet her: ikke en taler.\n", "o.txt")
    assert [x.speaker for x in t.turns] == ["I", "K"]


def test_no_labels_gives_one_unknown_turn() -> None:
    body = "Bare tekst uten etiketter.\n\nEnda et avsnitt.\n"
    t = parse_bytes(body.encode(), "u.txt")
    assert len(t.turns) == 1
    turn = t.turns[0]
    assert (turn.speaker, turn.role) == ("Ukjent", INFORMANT)
    assert t.text[turn.start : turn.end] == body.strip()
    assert t.preamble == ""


def test_markdown_headings_go_to_preamble() -> None:
    body = "# Intervju 4\n\nI: Første?\n\nK: Svar.\n\n## Del 2\n\nMer fra K.\n\nI: Neste?\n"
    t = parse_bytes(body.encode(), "h.md")
    assert t.preamble == "# Intervju 4\n\n## Del 2"
    assert_turns(t, [("I", "Første?"), ("K", "Svar."), ("K", "Mer fra K."), ("I", "Neste?")])


FRONT = """---
case: Kommune A
size: mellomstor
region: Vestland
informants:
  - Kreftkoordinator
  - Leder hjemmetjenesten
date: 2024-03-01
duration_min: 52.5
interviewer_initials: AB
---

Intervju A

I: Hei.
K: Hei på deg.
"""


@pytest.mark.parametrize("name", ["a.md", "a.txt"])
def test_front_matter(name: str) -> None:
    t = parse_bytes(FRONT.encode(), name)
    assert t.case == "Kommune A"
    # The interview's own details stay with the transcript, not the case.
    assert t.attributes == {
        "size": "mellomstor",
        "region": "Vestland",
        "interviewer_initials": "AB",
    }
    assert t.meta["date"] == "2024-03-01"
    assert t.meta["informants"] == ["Kreftkoordinator", "Leder hjemmetjenesten"]
    assert t.meta["duration_min"] == 52.5
    assert "---" not in t.text and "case:" not in t.text
    assert t.preamble == "Intervju A"
    assert_turns(t, [("I", "Hei."), ("K", "Hei på deg.")])


def test_explicit_case_and_attributes_override_front_matter() -> None:
    t = parse_bytes(
        FRONT.encode(), "a.md", case="Kommune B", attributes={"size": "liten", "ny": "x"}
    )
    assert t.case == "Kommune B"
    assert t.attributes["size"] == "liten" and t.attributes["ny"] == "x"
    assert t.attributes["region"] == "Vestland"


SIZE_AND_REGION = (
    CaseAttribute("size", "Kommunestørrelse", ("liten", "mellomstor", "stor")),
    CaseAttribute("region", "Region"),
)


def test_declared_case_attributes_narrow_the_front_matter() -> None:
    """With a guide, only its case attributes come from the front matter; the rest is meta."""
    t = parse_bytes(FRONT.encode(), "a.md", declared=SIZE_AND_REGION)
    assert t.attributes == {"size": "mellomstor", "region": "Vestland"}
    assert t.meta["interviewer_initials"] == "AB"
    # --attr may add attributes the guide does not declare
    t = parse_bytes(
        FRONT.encode(), "a.md", attributes={"fylke": "Vestland"}, declared=SIZE_AND_REGION
    )
    assert t.attributes["fylke"] == "Vestland"


def test_front_matter_value_the_guide_lacks_is_refused_at_its_line() -> None:
    text = FRONT.replace("size: mellomstor", "size: enorm")
    line = text.split("\n").index("size: enorm") + 1
    with pytest.raises(QualcodeError) as err:
        parse_bytes(text.encode("utf-16"), "a.md", declared=SIZE_AND_REGION)
    assert err.value.source == "a.md" and err.value.line == line
    assert "enorm" in str(err.value) and "liten, mellomstor, stor" in str(err.value)
    # without a guide nothing says what sizes there are, so the value is kept
    assert parse_bytes(text.encode(), "a.md").attributes["size"] == "enorm"
    # a value given on the command line replaces the file's, so the file's is not held against it
    t = parse_bytes(text.encode(), "a.md", attributes={"size": "liten"}, declared=SIZE_AND_REGION)
    assert t.attributes["size"] == "liten"


def test_attr_value_is_checked_and_spelt_as_the_guide_spells_it() -> None:
    with pytest.raises(QualcodeError) as err:
        parse_bytes(b"I: a\nK: b", "a.txt", attributes={"size": "enorm"}, declared=SIZE_AND_REGION)
    assert "--attr size=enorm" in str(err.value)
    t = parse_bytes(b"I: a\nK: b", "a.txt", attributes={"size": "Stor"}, declared=SIZE_AND_REGION)
    assert t.attributes == {"size": "stor"}
    assert check_attributes({"region": "Hvor som helst"}, SIZE_AND_REGION, None) == {
        "region": "Hvor som helst"
    }


@pytest.mark.parametrize(
    ("front", "line", "words"),
    [
        ("case: A\nsize: [stor, liten]\n", 3, "size"),
        ("case: A\nregion: [Vest\n", 3, "YAML"),
        ("case: A\nsize: stor\nbad: : :\n", 4, "YAML"),
        ("case: A\nduration_min: -3\n", 3, "duration_min"),
        ("case: A\ndate: 1. mars\n", 3, "date"),
        ("case: A\ninformants: [1, 2]\n", 3, "informants"),
        ("- bare\n- en liste\n", 2, "key: value"),
    ],
)
def test_broken_front_matter(front: str, line: int, words: str) -> None:
    data = f"---\n{front}---\nI: Hei.\n".encode()
    with pytest.raises(QualcodeError) as err:
        parse_bytes(data, "brutt.md")
    assert err.value.source == "brutt.md"
    assert err.value.line == line
    assert words in err.value.message
    assert f"brutt.md, line {line}" in str(err.value)


@pytest.mark.parametrize(
    ("date", "words"),
    [
        ("2025-02-30", "the date 2025-02-30 does not exist"),
        ("2025-13-01", "the date 2025-13-01 does not exist"),
        ("01.02.2025", '"01.02.2025" is not a date'),
        ("20250201", '"20250201" is not a date'),
        ('"2025-02-30"', "the date 2025-02-30 does not exist"),
        ("!!timestamp 2025-02-30", "the date 2025-02-30 does not exist"),
    ],
)
def test_a_date_that_is_wrong_is_refused_at_its_line(date: str, words: str) -> None:
    data = f"---\ncase: A\nsize: stor\ndate: {date}\n---\nI: Hei.\n".encode()
    with pytest.raises(QualcodeError) as err:
        parse_bytes(data, "dato.md")
    assert (err.value.source, err.value.line) == ("dato.md", 4)
    assert words in err.value.message
    assert "write dates as YYYY-MM-DD (e.g. 2025-02-01)" in err.value.message
    assert "does not match" not in err.value.message  # no regular expression shown


def test_dates_stay_text_and_a_short_date_is_written_out() -> None:
    front = "---\ncase: A\ndate: 2025-2-1\nrecorded: 2025-02-30\nstarted: 2025-02-01 10:00\n---\nI: Hei.\n"
    t = parse_bytes(front.encode(), "dato.md")
    assert t.meta["date"] == "2025-02-01"
    # another field shaped like a date is not the interview date: kept as typed, not parsed
    assert t.meta["recorded"] == "2025-02-30" and t.meta["started"] == "2025-02-01 10:00"


def test_unclosed_front_matter() -> None:
    with pytest.raises(QualcodeError) as err:
        parse_bytes(b"---\ncase: A\nI: Hei.\n", "open.md")
    assert err.value.line == 1 and "closed" in err.value.message


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["I", "K", "Intervjuer", "Informant 1", "Kreftkoordinator"]),
            st.text(alphabet="abcæøå ÆØÅ.,?!-é\t", min_size=1, max_size=40).filter(
                lambda s: s.strip() != ""
            ),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_text_round_trip(pairs: list[tuple[str, str]]) -> None:
    """Whatever is said after a label comes back exactly as the turn's span."""
    body = "\n".join(f"{label}: {said}" for label, said in pairs)
    t = parse_bytes(body.encode(), "p.txt")
    assert [(x.speaker, t.text[x.start : x.end]) for x in t.turns] == [
        (label, said.strip()) for label, said in pairs
    ]


# --- docx ------------------------------------------------------------------------------


def make_docx() -> bytes:
    doc = Document()
    doc.add_heading("Intervju kommune C", level=1)
    doc.add_paragraph("Anonymisert transkripsjon.")
    p = doc.add_paragraph()
    p.add_run("Intervjuer:").bold = True
    p.add_run(" Hvordan er pårørende involvert?")
    p = doc.add_paragraph()
    p.add_run("Leder for hjemmetjenesten: ").bold = True  # stop word, but bold is trusted
    p.add_run("Ærlig talt, ganske tett.")
    doc.add_paragraph("Vi ringer dem ofte.")
    doc.add_heading("Del 2", level=2)
    doc.add_paragraph("K: Vanlig etikett uten fet skrift.")
    p = doc.add_paragraph()
    p.add_run("I").bold = True
    p.add_run(": Kolon utenfor fet.")
    table = doc.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Kari"
    table.rows[0].cells[1].text = "Svar i tabell."
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def test_docx() -> None:
    t = parse_bytes(make_docx(), "kommune-c.docx")
    assert t.id == "kommune-c"
    assert "\n\n" in t.text and "Intervju kommune C" in t.text
    assert t.preamble == "Intervju kommune C\n\nAnonymisert transkripsjon.\n\nDel 2"
    assert_turns(
        t,
        [
            ("Intervjuer", "Hvordan er pårørende involvert?"),
            ("Leder for hjemmetjenesten", "Ærlig talt, ganske tett.\n\nVi ringer dem ofte."),
            ("K", "Vanlig etikett uten fet skrift."),
            ("I", "Kolon utenfor fet."),
            ("Kari", "Svar i tabell."),
        ],
    )
    assert t.turns[0].role == INTERVIEWER and t.turns[1].role == INFORMANT


def test_docx_module_parse_directly() -> None:
    t = docx_importer.parse(make_docx(), "x.docx")
    assert len(t.turns) == 5


@pytest.mark.parametrize("data", [b"not a zip at all", PNG, b"PK\x03\x04broken"])
def test_unreadable_docx(data: bytes) -> None:
    with pytest.raises(QualcodeError) as err:
        parse_bytes(data, "rapport.docx")
    assert str(err.value) == "rapport.docx: is not a readable Word file"


def test_empty_docx_refused() -> None:
    buffer = io.BytesIO()
    Document().save(buffer)
    with pytest.raises(QualcodeError, match="tom.docx: is empty"):
        parse_bytes(buffer.getvalue(), "tom.docx")


# --- vtt -------------------------------------------------------------------------------

TEAMS = """\ufeffWEBVTT

NOTE Teams transcript
med to linjer

3f1c2a7b-1d2e-4f00-9a11-0c0ffee00001/12-0
00:00:01.250 --> 00:00:03.500
<v Kari Nordmann>Velkommen til intervjuet.</v>

3f1c2a7b-1d2e-4f00-9a11-0c0ffee00001/13-0
00:00:03.500 --> 00:00:06.000
<v Kari Nordmann>Vi starter med <b>rollen</b> din.</v>

2
00:00:06.000 --> 00:01:10.750
<v Ola Hansen>Jeg er kreft&shy;koordinator &amp; sykepleier.</v>

3
00:01:11.000 --> 00:01:12.000
<v Kari Nordmann>Takk.</v>
"""


def test_teams_vtt() -> None:
    t = parse_bytes(TEAMS.encode("utf-8"), "teams.vtt")
    assert_turns(
        t,
        [
            ("Kari Nordmann", "Velkommen til intervjuet. Vi starter med rollen din."),
            ("Ola Hansen", "Jeg er kreft\u00adkoordinator & sykepleier."),
            ("Kari Nordmann", "Takk."),
        ],
    )
    first = t.turns[0]
    assert (first.timestamp, first.end_time) == (1.25, 6.0)
    assert (t.turns[1].timestamp, t.turns[1].end_time) == (6.0, 70.75)
    assert "<v" not in t.text and "NOTE" not in t.text and "3f1c" not in t.text
    assert t.text.startswith("Kari Nordmann: Velkommen")
    assert t.text.count("\n\n") == 2


def test_whisper_vtt_with_and_without_speakers() -> None:
    labelled = (
        "WEBVTT\n\n00:00.000 --> 00:02.000\nIntervjuer: Hva tenker du\nom dette?\n\n"
        "00:02.000 --> 00:04.000\nInformant: Det er vanskelig.\n\n"
        "00:04.000 --> 00:05.000\nsom jeg sa.\n\n"
        "00:05.000 --> 00:06.000\n[SPEAKER_01]: Neste.\n"
    )
    t = vtt_importer.parse(labelled.encode(), "w.vtt")
    assert_turns(
        t,
        [
            ("Intervjuer", "Hva tenker du om dette?"),
            ("Informant", "Det er vanskelig. som jeg sa."),
            ("SPEAKER_01", "Neste."),
        ],
    )
    assert [x.role for x in t.turns] == [INTERVIEWER, INFORMANT, INFORMANT]
    plain = "WEBVTT\n\n00:00.000 --> 00:02.500\nHei.\n\n00:02.500 --> 00:04.000\nDet er sånn: ja.\n"
    t = parse_bytes(plain.encode(), "p.vtt")
    assert_turns(t, [("Ukjent", "Hei. Det er sånn: ja.")])
    assert (t.turns[0].timestamp, t.turns[0].end_time) == (0.0, 4.0)


def test_malformed_vtt() -> None:
    with pytest.raises(QualcodeError) as err:
        parse_bytes(b"Dette er ikke WebVTT\n", "feil.vtt")
    assert "feil.vtt" in str(err.value) and "WebVTT" in str(err.value)


@pytest.mark.parametrize(
    ("middle", "line", "words"),
    [
        ("00:00:03.000 --> tull", 6, 'cue timing "00:00:03.000 --> tull" is not valid WebVTT'),
        ("00:00:03,000 --> 00:00:04,000", 6, "is not valid WebVTT"),  # SubRip's commas
        # the rest of a cue after a blank line inside it: text that belongs to no cue
        ("00:00:02.500 --> 00:00:03.000\n<v A>og\n\nså", 9, 'the text "så" belongs to no cue'),
    ],
)
def test_a_cue_that_cannot_be_read_is_refused_with_its_line(
    middle: str, line: int, words: str
) -> None:
    data = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v A>hei der\n\n"
        f"{middle}\n<v B>mistet tekst\n\n00:00:05.000 --> 00:00:06.000\n<v A>slutt\n"
    )
    with pytest.raises(QualcodeError) as err:
        parse_bytes(data.encode(), "delvis.vtt")
    assert (err.value.source, err.value.line) == ("delvis.vtt", line)
    assert words in err.value.message
    # CRLF line ends count the same lines
    with pytest.raises(QualcodeError) as err:
        parse_bytes(data.replace("\n", "\r\n").encode(), "delvis.vtt")
    assert err.value.line == line


def test_a_cue_the_library_passed_over_is_refused() -> None:
    raw = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nA\n\n00:00:03.000 --> 00:00:04.000\nB\n"
    vtt_importer._check_cues(raw, ["00:00:01.000", "00:00:03.000"], "v.vtt")  # all read
    with pytest.raises(QualcodeError) as err:
        vtt_importer._check_cues(raw, ["00:00:01.000"], "v.vtt")
    assert err.value.line == 6 and "could not be read" in err.value.message


def test_a_file_whose_only_cue_is_broken_names_the_line() -> None:
    with pytest.raises(QualcodeError) as err:
        parse_bytes(b"WEBVTT\n\n00:00:03.000 --> tull\n<v B>tekst\n", "brutt.vtt")
    assert err.value.line == 3 and "no spoken text" not in str(err.value)


# --- srt -------------------------------------------------------------------------------

SRT = """1
00:00:01,000 --> 00:00:02,500
I: Hvordan jobber dere
med pårørende?

2
00:00:02,600 --> 00:00:04,000
K: Vi har faste møter.

3
00:00:04,100 --> 00:00:05,000
K: <i>Ærlig talt</i> hver uke.

4
00:00:05,100 --> 00:00:06,000
I: Takk.
"""


def test_srt() -> None:
    t = parse_bytes(SRT.replace("\n", "\r\n").encode("cp1252"), "s.srt")
    assert_turns(
        t,
        [
            ("I", "Hvordan jobber dere med pårørende?"),
            ("K", "Vi har faste møter. Ærlig talt hver uke."),
            ("I", "Takk."),
        ],
    )
    assert (t.turns[1].timestamp, t.turns[1].end_time) == (2.6, 5.0)
    assert [x.role for x in t.turns] == [INTERVIEWER, INFORMANT, INTERVIEWER]
    assert srt_importer.parse(SRT.encode(), "s.srt").text == t.text


def test_malformed_srt() -> None:
    with pytest.raises(QualcodeError, match="bad.srt"):
        parse_bytes(b"1\nnot a time\nhei\n", "bad.srt")


# --- dispatch and files ----------------------------------------------------------------


def test_unknown_suffix_lists_supported() -> None:
    with pytest.raises(QualcodeError) as err:
        parse_bytes(b"I: hei", "notat.pdf")
    for suffix in SUPPORTED_SUFFIXES:
        assert suffix in str(err.value)
    assert "notat.pdf" in str(err.value)


def test_load_transcript(tmp_path: Path) -> None:
    path = tmp_path / "Intervju 7.MD"
    path.write_bytes(FRONT.encode("utf-16"))
    t = load_transcript(path, attributes={"region": "Nord"})
    assert t.id == "Intervju 7" and t.source == str(path)
    assert t.case == "Kommune A" and t.attributes["region"] == "Nord"
    assert contents(t) == ["Hei.", "Hei på deg."]
    with pytest.raises(QualcodeError) as err:
        load_transcript(tmp_path / "mangler.txt")
    assert "mangler.txt" in str(err.value)


def test_text_module_parse() -> None:
    assert contents(text_importer.parse(b"I: a\nK: b", "x.md")) == ["a", "b"]


REAL = sorted((ROOT / "transcripts").glob("*.md"))


@pytest.mark.skipif(not REAL, reason="no transcripts/*.md yet")
@pytest.mark.parametrize("path", REAL, ids=[p.name for p in REAL])
def test_real_transcripts(path: Path) -> None:
    t = load_transcript(path)
    assert t.case, "front matter names the case"
    assert t.attributes.get("size") in {"stor", "mellomstor", "liten"}
    assert len(t.turns) >= 10
    roles = {turn.role for turn in t.turns}
    assert roles == {INTERVIEWER, INFORMANT}
    for turn in t.turns:
        span = t.text[turn.start : turn.end]
        assert span and span == span.strip()
        assert not span.startswith(f"{turn.speaker}:")

"""Tests for the anonymity check (qualcode.anon)."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.anon import check_file, check_text, is_valid_fodselsnummer

ROOT = Path(__file__).resolve().parent.parent


def _mod11(digits: str, weights: tuple[int, ...]) -> int | None:
    """Independent check-digit computation for the test (None: no valid digit)."""
    rest = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    k = (11 - rest) % 11
    return None if k == 10 else k


def make_fnr(birth: str) -> str:
    """A valid fødselsnummer for ``birth`` (ddmmyy): first individual number that works."""
    for ind in range(100, 1000):
        base = f"{birth}{ind:03d}"
        k1 = _mod11(base, (3, 7, 6, 1, 8, 9, 4, 5, 2))
        if k1 is None:
            continue
        k2 = _mod11(base + str(k1), (5, 4, 3, 2, 7, 6, 5, 4, 3, 2))
        if k2 is not None:
            return f"{base}{k1}{k2}"
    raise AssertionError("no valid number")


def kinds(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in check_text(text)]


@pytest.mark.parametrize(
    "number",
    [
        "912 34 567",
        "91 23 45 67",
        "91234567",
        "+47 912 34 567",
        "+4791234567",
        "0047 91 23 45 67",
        "912-34-567",
        "91-23-45-67",
        "+47 912-34-567",
    ],
)
def test_phone_formats(number: str) -> None:
    assert kinds(f"Ring meg på {number} i morgen.") == [("phone", number)]


@pytest.mark.parametrize(
    "text",
    [
        "Møtet var 2024-10-22.",
        "Sak 912-34 5678 er lukket.",
        "Se side 912-34-5678.",
        "Tallene 912 34-567 stemmer.",
    ],
)
def test_phone_near_misses(text: str) -> None:
    assert [k for k, _ in kinds(text)] == []


def test_email() -> None:
    text = "Send det til kari.nordmann@kommune.no, takk."
    assert kinds(text) == [("email", "kari.nordmann@kommune.no")]


def test_valid_fodselsnummer_is_found_and_positions_are_right() -> None:
    fnr = make_fnr("150385")
    text = f"Første linje.\nHun har fnr {fnr} i journalen."
    findings = check_text(text)
    assert [f.kind for f in findings] == ["fodselsnummer"]
    f = findings[0]
    assert text[f.start : f.end] == fnr == f.text
    assert (f.line, f.column) == (2, text.split("\n")[1].index(fnr) + 1)
    assert is_valid_fodselsnummer(fnr)
    assert is_valid_fodselsnummer(f"{fnr[:6]} {fnr[6:]}")
    assert kinds(f"Nummer {fnr[:6]} {fnr[6:]}.") == [("fodselsnummer", f"{fnr[:6]} {fnr[6:]}")]


def test_d_number_is_valid() -> None:
    assert is_valid_fodselsnummer(make_fnr("550385"))  # day 15 + 40


def test_invalid_check_digit_is_rejected() -> None:
    fnr = make_fnr("150385")
    bad = fnr[:10] + str((int(fnr[10]) + 1) % 10)
    assert not is_valid_fodselsnummer(bad)
    assert all(f.kind != "fodselsnummer" for f in check_text(f"Nr {bad} her."))


def test_impossible_date_is_rejected() -> None:
    # Check digits are right but 31 February does not exist.
    fnr = make_fnr("310285")
    assert not is_valid_fodselsnummer(fnr)


@pytest.mark.parametrize(
    "name",
    [
        "Kari Nordmann",
        "Ola Hansen",
        "Øystein Sæther",
        "Åse Brekkestad",
        # hyphenated first names and surnames, and names common among immigrants
        "Anne-Lise Johansen",
        "Marit Olsen-Bakke",
        "Kari-Anne Hagen-Lie",
        "Mohammed Ali",
        "Jens Stoltenberg",
        "Fatima Hassan",
        "Piotr Nowak",
        "Tomasz Wójcik",
        "Emir Hodžić",
        "Ayşe Çelik",
        "Linh Tran",
    ],
)
def test_names(name: str) -> None:
    assert kinds(f"Vi snakket med {name} i går.") == [("name", name)]


@pytest.mark.parametrize(
    "text",
    [
        "Anne-Lise sa ja.",
        "Per nå ligger noe i fagsystemet.",
        "Røde Kors kom.",
        "Vi snakket med Anne-Lise om Olsen-Bakke-saken.",
        "Liten kommune 1",
    ],
)
def test_first_names_alone_and_place_words_are_not_names(text: str) -> None:
    assert kinds(text) == []


@pytest.mark.parametrize("address", ["Storgata 12B", "Kirkeveien 4", "Løkkeveien 103"])
def test_addresses(address: str) -> None:
    assert kinds(f"Hun bor i {address}, tror jeg.") == [("address", address)]


CLEAN = """\
[00:01:30] Kreftkoordinator: Ja, jeg er kreftkoordinator i [KOMMUNE], og har vært det
siden 2019. Møtet var kl. 14.00, og omtrent 45 % av pasientene døde hjemme i 2023.
Per i dag har vi 12 senger. Liv og død handler om verdighet, sa [NAVN] til Fastlegen.
Sykehjemmet Hansen-hjemmet? Nei. Hjemmesykepleien og Legevakten i Bergen og Trondheim
samarbeider godt. Den 17. mai 2024 var vi 1 500 ansatte, ca. 30 000 innbyggere,
telefonen på 113, og rapporten fra 12.03.2019 viste 20 prosent. Kl. 08.30 kom Kari.
Det koster 12 345 678 kr. Vi bruker Helseplattformen og NAV. [NAVN] [NAVN]
"""


def test_clean_paragraph_has_no_findings() -> None:
    assert check_text(CLEAN) == []


def test_check_file_lines_and_columns(tmp_path: Path) -> None:
    path = tmp_path / "t.md"
    path.write_bytes("Linje én.\r\nRing 91234567 nå.\r\n".encode())
    (finding,) = check_file(path)
    assert (finding.kind, finding.line, finding.column) == ("phone", 2, 6)


TRANSCRIPTS = sorted((ROOT / "transcripts").glob("*.md"))


@pytest.mark.skipif(not TRANSCRIPTS, reason="no demo transcripts yet")
@pytest.mark.parametrize("path", TRANSCRIPTS, ids=lambda p: p.name)
def test_demo_transcripts_are_clean(path: Path) -> None:
    assert check_file(path) == []

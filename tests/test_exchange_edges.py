"""REFI-QDA edge cases from the second review: damaged archives, what a round trip through
qualcode keeps of another tool's project, and shapes that used to pass without a word."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import pytest

from qualcode.importers.qdpx import read_qdpx
from qualcode.model import QualcodeError
from qualcode.project import Project
from tests.conftest import REPO

FIXTURES = REPO / "tests" / "fixtures" / "refi"
VARIANT = (FIXTURES / "variant.qde").read_text(encoding="utf-8")
SOURCE = "I: Hei.\nA: Skolen var fin.\n"
ONE_SOURCE = """<Project xmlns="urn:QDA-XML:project:1.0" name="s"><Sources>
<TextSource guid="50000000-0000-0000-0000-000000000009" name="liten"
 plainTextPath="internal://liten.txt"/></Sources></Project>"""


def stored_zip(path: Path, members: dict[str, str]) -> Path:
    """An uncompressed archive, so a member's bytes can be changed where they lie."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as zf:
        for name, text in members.items():
            zf.writestr(name, text.encode("utf-8"))
    return path


def _central_entry(data: bytes, member: str) -> int:
    pos = 0
    while True:
        pos = data.index(b"PK\x01\x02", pos)
        length = struct.unpack("<H", data[pos + 28:pos + 30])[0]
        if data[pos + 46:pos + 46 + length] == member.encode():
            return pos
        pos += 4


def damage(path: Path, member: str, how: str) -> None:
    """Break one member: a flipped byte (its checksum fails), the encrypted flag, or a
    compression method (99, AES) that zipfile cannot unpack."""
    data = bytearray(path.read_bytes())
    if how == "crc":
        with zipfile.ZipFile(path) as zf:
            offset = zf.getinfo(member).header_offset
        name_len, extra_len = struct.unpack("<HH", data[offset + 26:offset + 30])
        data[offset + 30 + name_len + extra_len + 3] ^= 0x20
    elif how == "encrypted":
        data[_central_entry(data, member) + 8] |= 0x01
    else:
        entry = _central_entry(data, member)
        data[entry + 10:entry + 12] = struct.pack("<H", 99)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("member", "how", "says"),
    [
        ("project.qde", "crc", "The archive is damaged: project.qde fails its checksum"),
        ("sources/liten.txt", "crc", "The archive is damaged: sources/liten.txt fails its checksum"),
        ("sources/liten.txt", "encrypted", "sources/liten.txt in the archive is encrypted"),
        ("project.qde", "method", "project.qde in the archive is packed with a compression method"),
    ],
)
def test_a_damaged_member_refuses_its_archive_by_name(tmp_path, member, how, says):
    path = stored_zip(tmp_path / "skadet.qdpx",
                      {"project.qde": ONE_SOURCE, "sources/liten.txt": SOURCE})
    assert [t.text for t in read_qdpx(path).transcripts] == [SOURCE]  # whole, it reads
    damage(path, member, how)
    with pytest.raises(QualcodeError) as err:
        read_qdpx(path)
    assert says in err.value.message and "export the project again" in err.value.message
    assert err.value.source == str(path)


def test_a_damaged_archive_is_refused_alone_and_the_other_files_import(tmp_path):
    first = stored_zip(tmp_path / "en.qdpx", {"project.qde": VARIANT})
    broken = stored_zip(tmp_path / "to.qdpx",
                        {"project.qde": ONE_SOURCE, "sources/liten.txt": SOURCE})
    damage(broken, "sources/liten.txt", "crc")
    last = stored_zip(tmp_path / "tre.qdpx", {"project.qde": ONE_SOURCE.replace(
        'plainTextPath="internal://liten.txt"/>', f"><PlainTextContent>{SOURCE}"
        "</PlainTextContent></TextSource>")})
    with Project.open(tmp_path / "p", create=True) as project:
        results = project.import_paths([first, broken, last])
        assert [r.status for r in results] == ["imported", "refused", "imported"]
        assert "to.qdpx" in results[1].message and "fails its checksum" in results[1].message
        assert sorted(project.store.transcript_ids()) == ["Intervju 1", "liten"]
    from click.testing import CliRunner

    from qualcode.cli import main

    again = tmp_path / "q"
    Project.open(again, create=True).close()
    run = CliRunner().invoke(main, ["--project", str(again), "import", str(first), str(broken),
                                    str(last)])
    assert run.exit_code == 1 and "unexpected problem" not in run.output
    assert f"{broken}: The archive is damaged" in run.output
    assert "imported  " in run.output and "1 refused" in run.output

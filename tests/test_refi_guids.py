"""REFI-QDA names safe (issue 14, item 6): GUIDs of the standard's form only, one object
per GUID, and zip members named only from validated GUIDs."""

from __future__ import annotations

import zipfile
from pathlib import Path

from click.testing import CliRunner
from safety_support import dump

from qualcode.cli import main
from qualcode.refi.model import ExchangeProject, valid_guid
from qualcode.refi.read import read_qdpx
from qualcode.refi.write import write_qdpx

NS = "urn:QDA-XML:project:1.0"


def qde(*sources: tuple[str, str, str]) -> bytes:
    items = "".join(
        f'<TextSource guid="{guid}" name="{name}"><PlainTextContent>{text}</PlainTextContent>'
        "</TextSource>"
        for guid, name, text in sources
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="{NS}" name="p">'
        f"<Sources>{items}</Sources></Project>"
    ).encode()


def archive(tmp_path: Path, data: bytes, name: str = "x.qdpx") -> Path:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.qde", data)
    return path


def members(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as zf:
        return zf.namelist()


def test_a_traversal_guid_is_replaced_and_never_names_a_member(tmp_path: Path) -> None:
    bad = "../../../../tmp/x"
    project = read_qdpx(archive(tmp_path, qde((bad, "Intervju", "I: Hei.\nK: Hei på deg."))))
    assert any("not a GUID" in n and "new one" in n for n in project.notes), project.notes
    out = tmp_path / "out.qdpx"
    write_qdpx(project, out)
    sources = [m for m in members(out) if m.startswith("sources/")]
    assert len(sources) == 1 and ".." not in sources[0]
    assert valid_guid(sources[0].removeprefix("sources/").removesuffix(".txt"))


def test_two_sources_sharing_a_guid_keep_their_own_text(tmp_path: Path) -> None:
    guid = "0b2d8b0e-1a51-4a1e-9a3c-2f1b7e9d4c11"
    project = read_qdpx(
        archive(tmp_path, qde((guid, "A", "I: Tekst A.\nK: Svar A."), (guid, "B", "I: Tekst B.")))
    )
    assert any("has too" in n for n in project.notes), project.notes
    out = tmp_path / "out.qdpx"
    write_qdpx(project, out)
    back = read_qdpx(out)
    texts = {t.id: t.text for t in back.transcripts}
    assert any("Svar A" in t for t in texts.values()) and any(
        "Tekst B" in t and "Svar A" not in t for t in texts.values()
    )
    assert len({m for m in members(out) if m.startswith("sources/")}) == 2


def test_kept_guids_that_are_unsafe_or_shared_are_never_written() -> None:
    project = ExchangeProject(
        name="p",
        coders=[],
        codes=[],
        transcripts=[],
        codings=[],
        cases={},
        guids={
            "transcript:a": "../evil",
            "transcript:b": "0b2d8b0e-1a51-4a1e-9a3c-2f1b7e9d4c11",
            "transcript:c": "0b2d8b0e-1a51-4a1e-9a3c-2f1b7e9d4c11",
        },
    )
    guids = [project.guid("transcript", k) for k in "abc"]
    assert all(valid_guid(g) for g in guids) and len(set(guids)) == 3
    assert guids[1] == "0b2d8b0e-1a51-4a1e-9a3c-2f1b7e9d4c11"  # the first holder keeps it


def test_importing_the_hostile_archive_through_the_cli(project_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["--project", str(project_dir), "status"]).exit_code == 0
    path = archive(tmp_path, qde(("../../x", "Intervju", "I: Hei.\nK: Hei på deg.")))
    result = runner.invoke(main, ["--project", str(project_dir), "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "new one" in result.output
    out = tmp_path / "again.qdpx"
    exported = runner.invoke(
        main, ["--project", str(project_dir), "export", "qdpx", "--out", str(out)]
    )
    assert exported.exit_code == 0, exported.output
    assert not any(".." in m for m in members(out))
    assert dump(project_dir)  # the project still reads


def test_derived_guids_are_uuid5_of_kind_and_key() -> None:
    # guid_for builds the name-based UUID from the hash directly (an export derives one per
    # coding and selection); it must stay uuid.uuid5's, or GUIDs of earlier exports change.
    import random
    import uuid

    from qualcode.refi.model import GUID_NAMESPACE, guid_for

    rng = random.Random(5)
    for _ in range(2000):
        key = "".join(rng.choice("abcæøå|0123 -İ") for _ in range(rng.randint(0, 40)))
        kind = rng.choice(["code", "coding", "selection", "source", "case"])
        assert guid_for(kind, key) == str(uuid.uuid5(GUID_NAMESPACE, f"{kind}:{key}"))

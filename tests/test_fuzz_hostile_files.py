"""The fuzz suite that keeps issue 14 fixed: a corpus of hostile files built here (bombs,
FIFOs, symlinks, devices, traversal names, mixed encodings, formula strings) and hypothesis
over the bounded readers. Each hostile file gets a clear refusal (QualcodeError, never
another exception) and leaves the project's ``.dump`` exactly as it was. Kept well under a
minute: one project, opened once; hypothesis on the pure functions."""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from safety_support import dump

from qualcode import csv_safe
from qualcode.bounds import read_bounded
from qualcode.model import QualcodeError
from qualcode.output_file import check_output
from qualcode.project import Project
from qualcode.yaml_text import MAX_YAML_NODES, YamlBoundError, load_text_dates

REPO = Path(__file__).resolve().parent.parent
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def project() -> Iterator[Project]:
    from conftest import TRANSCRIPT_A

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "study"
        (root / "transcripts").mkdir(parents=True)
        shutil.copy(REPO / "interview_guide.yaml", root)
        (root / "transcripts" / "liten-9.md").write_text(TRANSCRIPT_A, encoding="utf-8")
        with Project.open(root) as opened:
            yield opened


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def _bomb_yaml() -> str:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{','.join(['*' + prev] * 9)}]")
    return "\n".join(lines) + "\n"


def _md(front: str) -> bytes:
    return f"---\n{front}---\nI: Hei.\n\nK: Hei på deg.\n".encode()


# name -> a function that makes the hostile file in a folder and returns its path
Maker = Callable[[Path], Path]


def _file(name: str, data: bytes) -> Maker:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    return make


def _fifo(folder: Path) -> Path:
    path = folder / "pipe.txt"
    os.mkfifo(path)
    return path


def _link(target: str, name: str) -> Maker:
    def make(folder: Path) -> Path:
        path = folder / name
        path.symlink_to(target)
        return path

    return make


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
CORPUS: dict[str, Maker] = {
    "alias bomb in front matter": _file("bomb.md", _md(_bomb_yaml())),
    "alias cycle in front matter": _file("cycle.md", _md("x: &a [*a]\n")),
    "deep nesting in front matter": _file("deep.md", _md("x: " + "[" * 500 + "]" * 500 + "\n")),
    "NaN in front matter": _file("nan.md", _md("duration_min: .nan\n")),
    "5,000-digit number in front matter": _file("big.md", _md("size: " + "7" * 5000 + "\n")),
    "FIFO": _fifo,
    "/dev/zero behind a .txt": _link("/dev/zero", "zero.txt"),
    "/dev/null behind a .md": _link("/dev/null", "null.md"),
    "binary": _file("binary.txt", bytes(range(256)) * 64),
    "empty": _file("empty.md", b""),
    "docx zip bomb": _file(
        "bomb.docx", _zip({"word/document.xml": b"<w:document>" + b" " * 4_000_000})
    ),
    "docx with XML entities": _file(
        "entity.docx",
        _zip(
            {
                "word/document.xml": (
                    f'<!DOCTYPE w:document [<!ENTITY e "x">]><w:document {W}><w:body><w:p>'
                    "<w:r><w:t>I: &e;</w:t></w:r></w:p></w:body></w:document>"
                ).encode()
            }
        ),
    ),
    "docx that is not a zip": _file("fake.docx", b"PK\x03\x04 not really"),
    "qdpx zip bomb": _file("bomb.qdpx", _zip({"project.qde": b"<Project>" + b" " * 4_000_000})),
    "qdpx with entities": _file(
        "entity.qdpx",
        _zip(
            {
                "project.qde": b'<!DOCTYPE P [<!ENTITY e "x">]><Project xmlns="urn:QDA-XML:project:1.0"/>'
            }
        ),
    ),
    "vtt that is not one": _file("x.vtt", b"WEBVTT\n\n00:00:01.000 --> banana\n"),
    "srt that is not one": _file("x.srt", b"1\n00:00:01,000 --> 00:00:0\n"),
}


@pytest.mark.parametrize("kind", list(CORPUS))
def test_each_hostile_file_is_refused_and_changes_nothing(
    project: Project, tmp_path: Path, kind: str
) -> None:
    path = CORPUS[kind](tmp_path)
    before = dump(project.root)
    start = time.monotonic()
    [result] = project.import_paths([path], case="Liten kommune 9")
    assert time.monotonic() - start < 5.0, kind
    assert result.status == "refused", (kind, result)
    assert result.message and "unexpected" not in result.message
    assert dump(project.root) == before


@pytest.mark.parametrize(
    "target", ["qualcode.db", "qualcode.db-wal", "interview_guide.yaml", ".qualcode-backups/x.db"]
)
def test_no_output_lands_on_the_projects_own_files(project: Project, target: str) -> None:
    with pytest.raises(QualcodeError, match="project's own"):
        check_output(project.root / target, force=True, root=project.root)


# hypothesis ---------------------------------------------------------------------------------

cell = st.text(alphabet=st.sampled_from(list("=+-@\t\r'aæ1.,;\"\n ")), max_size=12)


@FAST
@given(st.lists(st.lists(cell, min_size=1, max_size=4), min_size=1, max_size=5))
def test_escaped_csv_never_starts_a_text_cell_with_a_formula(rows: list[list[str]]) -> None:
    import csv

    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(rows)
    escaped = csv_safe.escape_csv(buf.getvalue())
    back = list(csv.reader(io.StringIO(escaped, newline="")))
    for row in back:
        for value in row:
            if value.startswith(csv_safe.TRIGGERS):
                assert csv_safe.is_number(value), value
    assert [[csv_safe.unescape_cell(v) for v in row] for row in back] == rows


yaml_leaf = st.sampled_from(["1", "x", '"æ"', "[]", "{}"])


@FAST
@given(st.integers(1, 12), st.integers(1, 12), st.integers(0, 60))
def test_yaml_with_aliases_loads_within_bounds_or_is_refused_fast(
    width: int, levels: int, nesting: int
) -> None:
    lines = [f"l0: &l0 [{', '.join(['x'] * width)}]"]
    for i in range(1, levels):
        lines.append(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * width)}]")
    lines.append("deep: " + "[" * nesting + "]" * nesting)
    start = time.monotonic()
    try:
        data = load_text_dates("\n".join(lines) + "\n")
    except YamlBoundError:
        assert width**levels > MAX_YAML_NODES // 2 or nesting >= 49
    else:
        assert isinstance(data, dict) and width**levels <= MAX_YAML_NODES
    assert time.monotonic() - start < 1.0


@FAST
@given(st.binary(max_size=400))
def test_random_yaml_bytes_give_yaml_errors_only(data: bytes) -> None:
    try:
        load_text_dates(data.decode("utf-8", errors="replace"))
    except (yaml.YAMLError, ValueError):
        pass


@FAST
@given(st.binary(max_size=3000), st.integers(1, 4000))
def test_read_bounded_returns_the_bytes_or_refuses(data: bytes, limit: int) -> None:
    with tempfile.NamedTemporaryFile() as fh:
        fh.write(data)
        fh.flush()
        try:
            assert read_bounded(fh.name, limit) == data
        except QualcodeError as err:
            assert len(data) > limit and "larger than" in err.message

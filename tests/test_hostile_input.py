"""Hostile input: random bytes and text give qualcode's own clear errors and change nothing."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qualcode.codings_io import apply_codings_import, plan_codings_import, read_rows
from qualcode.guide import parse_guide
from qualcode.importers import SUPPORTED_SUFFIXES, parse_bytes
from qualcode.model import QualcodeError, Transcript
from qualcode.project import Project

REPO = Path(__file__).resolve().parent.parent
FUZZ = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

transcript_like = st.lists(
    st.sampled_from(
        [
            "---\n",
            "case: x\n",
            "size: [\n",
            "[00:00:0",
            "1] ",
            "Intervjuer: ",
            "Informant: ",
            "WEBVTT\n\n",
            "00:00:01.000 --> 00:00:02.000\n",
            "1\n",
            "00:00:01,000 --> 00:00:02,000\n",
            "<v Anne>",
            "\n\n",
            "# Tema\n",
            "ø",
            "\r\n",
            "\ufeff",
            "\x00",
            "**Leder:**",
            " -- ",
            "...",
            "\u0301",
        ]
    ),
    max_size=40,
).map("".join)


def _ok_or_ours(data: bytes, name: str) -> None:
    try:
        t = parse_bytes(data, name)
    except QualcodeError as err:
        assert str(err)  # a sentence, never empty
        return
    assert isinstance(t, Transcript)
    for turn in t.turns:
        assert 0 <= turn.start <= turn.end <= len(t.text)


@pytest.mark.parametrize("suffix", SUPPORTED_SUFFIXES)
@FUZZ
@given(data=st.binary(max_size=2000))
def test_importers_on_random_bytes(suffix: str, data: bytes) -> None:
    _ok_or_ours(data, f"fuzz{suffix}")


@pytest.mark.parametrize("suffix", [".txt", ".md", ".vtt", ".srt"])
@FUZZ
@given(text=transcript_like, encoding=st.sampled_from(["utf-8", "utf-16", "cp1252", "latin-1"]))
def test_importers_on_near_miss_text(suffix: str, text: str, encoding: str) -> None:
    _ok_or_ours(text.encode(encoding, errors="replace"), f"fuzz{suffix}")


def test_docx_that_is_a_zip_of_something_else() -> None:
    buf = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<not-word/>")
    _ok_or_ours(buf.getvalue(), "fuzz.docx")


@FUZZ
@given(
    text=st.text(max_size=400)
    | st.lists(
        st.sampled_from(
            [
                "title: T\n",
                "language: nb\n",
                "themes:\n",
                "  - id: a\n",
                "    name: A\n",
                "    codes: [\n",
                "case_label: x\n",
                "- ",
                ": ",
                "&a ",
                "*a ",
                "!!python/object ",
            ]
        ),
        max_size=30,
    ).map("".join)
)
def test_guide_loader_on_random_text(text: str) -> None:
    try:
        parse_guide(text, "fuzz.yaml")
    except QualcodeError as err:
        assert str(err)


# -- codings import into a real project: all or nothing ------------------------------------


@pytest.fixture(scope="module")
def base_project() -> Iterator[Path]:
    """One project (two transcripts, some codings) copied afresh for every example."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "study"
        (root / "transcripts").mkdir(parents=True)
        shutil.copy(REPO / "interview_guide.yaml", root)
        from tests.conftest import TRANSCRIPT_A, TRANSCRIPT_B

        (root / "transcripts" / "liten-9.md").write_text(TRANSCRIPT_A, encoding="utf-8")
        (root / "transcripts" / "stor-9.md").write_text(TRANSCRIPT_B, encoding="utf-8")
        with Project.open(root) as project:
            from qualcode.coding import make_coding

            t = project.store.transcripts.get("liten-9")
            project.store.codings.add(make_coding(t, 0, 20, "parorende", "anne"))
        yield root


def _fingerprint(db: Path) -> str:
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        return hashlib.sha256("\n".join(conn.iterdump()).encode()).hexdigest()
    finally:
        conn.close()


def _import(root: Path, path: Path, create_codes: bool) -> None:
    """What `qualcode codings import` does; must raise only QualcodeError."""
    with Project.open(root) as project:
        plan = plan_codings_import(project.store, read_rows(path), str(path), create_codes)
        if plan.problems:
            return
        apply_codings_import(project.store, plan, actor="fuzz")


cell = st.one_of(
    st.text(max_size=12),
    st.integers(-5, 400).map(str),
    st.sampled_from(
        [
            "liten-9",
            "stor-9",
            "../../etc",
            "'; DROP TABLE codings;--",
            "parorende",
            "Samarbeid med pårørende",
            "",
            "1e9",
            "nan",
        ]
    ),
)
row = st.fixed_dictionaries(
    {}, optional={k: cell for k in ("transcript", "coder", "code", "start", "end", "quote", "memo")}
)


@FUZZ
@given(
    payload=st.one_of(st.binary(max_size=600), st.lists(row, max_size=6)),
    suffix=st.sampled_from([".csv", ".json"]),
    create_codes=st.booleans(),
)
def test_codings_import_is_all_or_nothing(
    base_project: Path,
    tmp_path_factory: pytest.TempPathFactory,
    payload: bytes | list[dict[str, str]],
    suffix: str,
    create_codes: bool,
) -> None:
    root = tmp_path_factory.mktemp("p") / "study"
    shutil.copytree(base_project, root)
    db = root / "qualcode.db"
    path = root.parent / f"codings{suffix}"
    if isinstance(payload, bytes):
        path.write_bytes(payload)
    elif suffix == ".json":
        path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    else:
        out = io.StringIO()
        writer = csv.DictWriter(
            out, ["transcript", "coder", "code", "start", "end", "quote", "memo"]
        )
        writer.writeheader()
        writer.writerows(payload)
        path.write_text(out.getvalue(), encoding="utf-8")
    before = _fingerprint(db)
    with Project.open(root) as project:
        count = len(project.store.codings.all())
    try:
        _import(root, path, create_codes)
    except QualcodeError as err:
        assert str(err)
        assert _fingerprint(db) == before  # refused: the project is exactly as it was
        return
    with Project.open(root) as project:
        codings = project.store.codings.all()
        texts = {
            tid: project.store.transcripts.get(tid).text for tid in project.store.transcripts.ids()
        }
    if len(codings) == count:
        assert _fingerprint(db) == before
    for c in codings:  # whatever went in is sound
        assert texts[c.transcript][c.start : c.end] == c.quote and c.quote.strip()


@FUZZ
@given(
    data=st.binary(max_size=1500) | transcript_like.map(lambda t: t.encode()),
    suffix=st.sampled_from(SUPPORTED_SUFFIXES),
)
def test_refused_transcript_leaves_the_project_unchanged(
    base_project: Path, tmp_path_factory: pytest.TempPathFactory, data: bytes, suffix: str
) -> None:
    root = tmp_path_factory.mktemp("p") / "study"
    shutil.copytree(base_project, root)
    path = root.parent / f"liten-9{suffix}"  # same id as a stored transcript: a replace attempt
    path.write_bytes(data)
    before = _fingerprint(root / "qualcode.db")
    with Project.open(root) as project:
        result = project.import_file(path, replace=False)
    assert result.status in ("refused", "imported", "unchanged")
    if result.status != "imported":
        assert _fingerprint(root / "qualcode.db") == before

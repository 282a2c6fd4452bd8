"""The package carries what it needs at run time, so a plain ``pip install .`` works."""

from __future__ import annotations

from pathlib import Path

import jsonschema

from qualcode.schemas import GUIDE_SCHEMA, TRANSCRIPT_META_SCHEMA, load_schema

REPO = Path(__file__).resolve().parent.parent


def test_packaged_schemas_match_the_repository_folder() -> None:
    """``schemas/`` (for people) and ``qualcode/schemas/`` (for the code) hold the same files."""
    top = {p.name: p.read_bytes() for p in (REPO / "schemas").glob("*.json")}
    packaged = {p.name: p.read_bytes() for p in (REPO / "qualcode" / "schemas").glob("*.json")}
    assert top, "the repository's schemas/ folder is empty"
    assert sorted(top) == sorted(packaged)
    for name, data in top.items():
        assert packaged[name] == data, f"qualcode/schemas/{name} differs from schemas/{name}"


def test_schemas_load_from_the_package() -> None:
    for name in (GUIDE_SCHEMA, TRANSCRIPT_META_SCHEMA):
        schema = load_schema(name)
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema["$id"].endswith(name)


def test_package_data_lists_the_schemas() -> None:
    import tomllib

    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["qualcode"]
    assert "schemas/*.json" in patterns

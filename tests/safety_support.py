"""Helpers for the safety tests: a project's contents as text, to show nothing changed."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def dump(root: Path) -> str:
    """Every row of the project's database (``.dump``), read without writing anything."""
    conn = sqlite3.connect(f"file:{root / 'qualcode.db'}?mode=ro", uri=True)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()

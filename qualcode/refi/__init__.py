"""REFI-QDA exchange (.qdpx projects, .qdc codebooks): the shared vocabulary and offset
mapping (``model``), reading (``read`` over ``read_xml``), writing (``write``), and the bridge
between a study's store and an exchange file (``bridge``).

This module itself stays light (no lxml): commands that never touch an exchange file only
need to recognise one.
"""

from __future__ import annotations

from pathlib import Path

EXCHANGE_SUFFIXES = (".qdpx", ".qdc")


def is_exchange_file(path: Path) -> bool:
    return path.suffix.lower() in EXCHANGE_SUFFIXES

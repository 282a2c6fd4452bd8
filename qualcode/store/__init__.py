"""The project database: every query qualcode makes lives in this package.

:class:`Store` is one open database, put together from one class per kind of data;
each module holds one of them, and only this package (and the DDL in
``qualcode/schema.py``) runs SQL:

- ``connection``: opening, pragmas, transactions, the audit trail, backups and checks;
- ``transcripts``: cases and transcripts; ``codes``: codes and coders;
- ``codings``: codings and rejected suggestions;
- ``summaries``: case summaries, key quotes and comparison notes;
- ``memos``: memos on the project, cases, transcripts and codes;
- ``settings``: settings and kept REFI-QDA GUIDs;
- ``consensus``: the consensus walk's basis, seeded agreed units and decisions;
- ``analysis_cache``: the analysis and anonymity-check results of each text;
- ``search_index``: the turn index (turns_fts) that search asks.
"""

from __future__ import annotations

from qualcode.store.analysis_cache import AnalysisCache
from qualcode.store.codes import Codes
from qualcode.store.codings import Codings
from qualcode.store.connection import BACKUP_DIR, BUSY_TIMEOUT_MS, DB_NAME, Connection, now
from qualcode.store.consensus import Consensus
from qualcode.store.memos import Memos
from qualcode.store.search_index import SearchIndex, TurnHitRow, word_span
from qualcode.store.settings import Settings
from qualcode.store.summaries import Summaries
from qualcode.store.transcripts import Transcripts

__all__ = ["BACKUP_DIR", "BUSY_TIMEOUT_MS", "DB_NAME", "Store", "TurnHitRow", "now", "word_span"]


class Store(
    Transcripts,
    Codes,
    Codings,
    Summaries,
    Memos,
    Consensus,
    Settings,
    AnalysisCache,
    SearchIndex,
    Connection,
):
    """One open project database."""

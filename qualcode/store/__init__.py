"""The project database: every query qualcode makes lives in this package.

:class:`Store` is one open database: the connection (opening, pragmas, transactions, the
audit trail, backups and checks, in ``connection``) and one repository per kind of data,
each a class in its own module that owns its tables. Only the owner writes a table's rows;
a repository that needs another is given it when it is built (``Codings`` gets ``Coders``
and ``Settings``), so the order below is the order they depend on each other:

- ``store.settings`` (``settings``): key/value settings;
- ``store.search`` (``search_index``): the turn index (turns_fts) that search asks;
- ``store.analysis`` (``analysis_cache``): each text's analysis and anonymity-check count;
- ``store.transcripts`` (``transcripts``): cases and transcripts with their turns;
- ``store.coders`` (``coders``): the coders and their progress;
- ``store.codings`` (``codings``): codings and rejected suggestions;
- ``store.codes`` (``codes``): the codebook (a merge moves codings through ``codings``);
- ``store.summaries`` (``summaries``): case summaries, key quotes, comparison notes and links;
- ``store.memos`` (``memos``): memos on the project, cases, transcripts and codes;
- ``store.consensus`` (``consensus``): the consensus walk's basis, seeds and decisions;
- ``store.refi`` (``refi_kept``): REFI-QDA GUIDs and extras kept from imported files.

Only this package (and the DDL in ``qualcode/schema.py``) runs SQL.
"""

from __future__ import annotations

from pathlib import Path

from qualcode.store.analysis_cache import AnalysisCache
from qualcode.store.coders import Coders
from qualcode.store.codes import Codes
from qualcode.store.codings import Codings
from qualcode.store.connection import BACKUP_DIR, BUSY_TIMEOUT_MS, DB_NAME, Connection, now
from qualcode.store.consensus import Consensus
from qualcode.store.memos import Memos
from qualcode.store.refi_kept import RefiKept
from qualcode.store.search_index import SearchIndex, TurnHitRow, word_span
from qualcode.store.settings import Settings
from qualcode.store.summaries import Summaries
from qualcode.store.transcripts import Transcripts

__all__ = ["BACKUP_DIR", "BUSY_TIMEOUT_MS", "DB_NAME", "Store", "TurnHitRow", "now", "word_span"]


class Store(Connection):
    """One open project database: its connection, and a repository per kind of data."""

    def __init__(self, path: str | Path):
        super().__init__(path)
        self.settings = Settings(self)
        self.search = SearchIndex(self)
        self.analysis = AnalysisCache(self)
        self.transcripts = Transcripts(self, self.search, self.analysis)
        self.coders = Coders(self, self.transcripts)
        self.codings = Codings(self, self.coders, self.settings)
        self.codes = Codes(self, self.codings)
        self.summaries = Summaries(self)
        self.memos = Memos(self)
        self.consensus = Consensus(self)
        self.refi = RefiKept(self, self.settings, self.codes, self.transcripts, self.coders)

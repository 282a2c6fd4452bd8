"""The coders, and how far each has come."""

from __future__ import annotations

import bisect

from qualcode.i18n import N_
from qualcode.model import check_name
from qualcode.store.connection import Connection, Repository, now
from qualcode.store.transcripts import Transcripts


class Coders(Repository):
    """The coders (table coders), with their progress through the transcripts."""

    def __init__(self, db: Connection, transcripts: Transcripts):
        super().__init__(db)
        self._transcripts = transcripts

    def ensure(self, name: str) -> None:
        check_name(name, N_("the coder name"))
        self.conn.execute(
            "INSERT OR IGNORE INTO coders (name, created) VALUES (?, ?)", (name, now())
        )

    def all(self) -> list[str]:
        return [r["name"] for r in self._rows("SELECT name FROM coders ORDER BY name")]

    def progress(self, coder: str) -> dict[str, tuple[int, int]]:
        """Per transcript: (informant turns holding >= 1 coding by ``coder``, informant turns)."""
        spans: dict[str, list[tuple[int, int]]] = {}
        for tid, start, end in self.conn.execute(
            'SELECT transcript_id, start, "end" FROM codings WHERE coder = ? '
            "ORDER BY transcript_id, start",
            (coder,),
        ):
            spans.setdefault(tid, []).append((start, end))
        # Per transcript, the furthest end among codings starting before each point: a turn
        # is coded when some coding starting before its end reaches past its start.
        reach: dict[str, tuple[list[int], list[int]]] = {}
        for tid, found in spans.items():
            far, ends = -1, []
            for _, end in found:
                far = max(far, end)
                ends.append(far)
            reach[tid] = ([s for s, _ in found], ends)
        out = {tid: (0, 0) for tid in self._transcripts.ids()}
        for tid, start, end in self.conn.execute(
            'SELECT transcript_id, start, "end" FROM turns '
            "WHERE role = 'informant' AND \"end\" > start"
        ):
            done, total = out.get(tid, (0, 0))
            starts, ends = reach.get(tid, ([], []))
            k = bisect.bisect_left(starts, end)
            out[tid] = (done + (k > 0 and ends[k - 1] > start), total + 1)
        return out

    def set_refi_guid(self, name: str, guid: str) -> None:
        """The GUID an imported REFI-QDA file gave the coder (see store/refi_kept.py)."""
        self.conn.execute("UPDATE coders SET refi_guid = ? WHERE name = ?", (guid, name))

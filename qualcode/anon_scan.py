"""The anonymity check over files and a project's transcripts, and the counts kept for them.

A stored transcript is checked in its source file while that file still holds the imported
text, so each finding names the file's own line and column (front matter included);
otherwise its stored text is checked and labelled as such, since those lines are not the
file's. Each transcript's number of findings is kept in the project, keyed by its text
hash, so the TUI can mark flagged transcripts without checking them again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from qualcode.anon import Finding, check_file, check_text
from qualcode.bounds import MAX_TRANSCRIPT_BYTES, read_bounded
from qualcode.i18n import N_, ui
from qualcode.model import QualcodeError, Transcript
from qualcode.store import Store


def check_path(path: Path) -> list[Finding]:
    """Findings in one file, with its lines and columns; a ``.docx`` (not text) is checked
    as the text the importer reads from it. Raises ``QualcodeError`` if it cannot be read."""
    if not path.exists():
        raise QualcodeError(ui("no such file or folder"), str(path))
    if path.suffix.lower() == ".docx":
        from qualcode.importers import load_transcript

        return check_text(load_transcript(path).text)
    return check_file(path)


def _source_file(root: Path, source: str | None) -> Path | None:
    if not source:
        return None
    path = Path(source)
    path = path if path.is_absolute() else root / path  # stored relative to the project
    return path if path.is_file() else None


# The text hash a file's bytes gave when last parsed, by the bytes' digest: an import parses
# each file, then counts its findings here, where only "does it still hold the text?" is
# asked. The same bytes always parse to the same text.
_parsed: dict[bytes, str] = {}
_PARSED_KEPT = 4096


def remember_parsed(path: Path, text_hash: str) -> None:
    """Note that ``path``'s bytes, as they are now, parse to a text of ``text_hash``."""
    digest = _digest(path)
    if digest is not None:
        _parsed[digest] = text_hash
        while len(_parsed) > _PARSED_KEPT:
            _parsed.pop(next(iter(_parsed)))


def _digest(path: Path) -> bytes | None:
    try:
        return hashlib.sha256(read_bounded(path, MAX_TRANSCRIPT_BYTES, N_("a transcript"))).digest()
    except (QualcodeError, OSError):
        return None


def _text_hash(source: Path) -> str:
    from qualcode.importers import load_transcript

    digest = _digest(source)
    if digest is not None and digest in _parsed:
        return _parsed[digest]
    return load_transcript(source).hash


def check_transcript(root: Path, t: Transcript) -> tuple[str, list[Finding]]:
    """(what was checked, findings): the source file if it still holds ``t``'s text, else
    the stored text, labelled ``"<id> (stored text)"``."""
    source = _source_file(root, t.source)
    if source is not None:
        try:
            if _text_hash(source) == t.hash:
                return str(source), check_path(source)
        except QualcodeError:
            pass  # changed beyond reading, or not a transcript file (a .qdpx): use the text
    return f"{t.id} (stored text)", check_text(t.text)


def record(store: Store, root: Path, transcripts: Iterable[Transcript]) -> None:
    """Check these transcripts and keep their counts of findings (in one transaction: a
    commit per transcript waited for the disk each time, for a count)."""
    counts = [(t, len(check_transcript(root, t)[1])) for t in transcripts]
    with store.transaction():
        for t, found in counts:
            store.analysis.set_anon_findings(t.id, t.hash, found)


def flag_counts(store: Store, root: Path) -> dict[str, int]:
    """Findings per transcript for its current text; transcripts not checked yet (imported
    before the counts were kept, or through a REFI-QDA project) are checked now, once."""
    counts = store.analysis.anon_findings()
    missing = [tid for tid in store.transcripts.ids() if tid not in counts]
    if missing:
        record(store, root, (store.transcripts.get(tid) for tid in missing))
        counts = store.analysis.anon_findings()
    return counts

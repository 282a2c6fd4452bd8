"""A study project: its folder, guide and database, and the work done on them.

This is the library's front door; the CLI and the TUI call these functions.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from qualcode.cases import case_warnings, overridden, set_case
from qualcode.guide import read_guide
from qualcode.i18n import N_, ui_n
from qualcode.i18n import ui as _
from qualcode.importers import SUPPORTED_SUFFIXES, check_attributes, load_transcript
from qualcode.model import (
    Code,
    Guide,
    ImportInterrupted,
    QualcodeError,
    Transcript,
    check_name,
)
from qualcode.output_file import write_output_with
from qualcode.palette import chosen_colour, tint
from qualcode.refi import is_exchange_file
from qualcode.store import BACKUP_DIR, DB_NAME, Store  # noqa: F401  (BACKUP_DIR: re-exported)
from qualcode.store.settings import GUIDE_CHECKED, peek_setting

if TYPE_CHECKING:  # the REFI-QDA reader is loaded only when an exchange file is imported
    from qualcode.refi.bridge import ExchangeReport

GUIDE_NAME = "interview_guide.yaml"
TRANSCRIPTS_DIR = "transcripts"
FIRST_IMPORT = "first-import"  # setting: "pending" until a first open's import has finished

Progress = Callable[[int, int, str], None]  # (done, total, what)
# What became of one imported file; "updated": the text unchanged, its case changed.
ImportStatus = Literal["imported", "unchanged", "updated", "replaced", "refused"]


@dataclass
class ImportResult:
    path: str
    status: ImportStatus
    transcript: str | None = None
    message: str = ""
    warnings: list[str] = field(default_factory=list)
    moved: int = 0
    unresolved: int = 0
    details: list[str] = field(default_factory=list)  # what a REFI-QDA import added, line by line
    codes_added: list[dict[str, str | None]] = field(default_factory=list)
    exchange: ExchangeReport | None = None  # the full REFI-QDA import report
    not_imported: list[str] = field(default_factory=list)  # what a REFI-QDA file had, not kept

    def to_json(self) -> dict[str, object]:
        out = {
            k: v for k, v in self.__dict__.items() if v not in ("", [], None, {}) or k == "status"
        }
        if self.exchange is not None:
            out["exchange"] = self.exchange.to_json()
        return out


class Project:
    """An open project folder."""

    def __init__(self, root: Path, store: Store, guide: Guide | None):
        self.root = root
        self.store = store
        self.guide = guide
        self.notes: list[str] = []  # what opening did that the user should hear about
        self.first_import: list[ImportResult] = []  # the transcripts/ import of a first open

    @classmethod
    def open(
        cls, root: str | Path = ".", *, create: bool = False, progress: Progress | None = None
    ) -> Project:
        """Open the project in ``root``.

        A folder holding an interview guide and ``transcripts/`` but no database yet is
        initialised and imported on first open. The guide is validated before anything is
        written, so a broken guide leaves the folder as it was.
        """
        root = Path(root).resolve()
        if create:
            root.mkdir(parents=True, exist_ok=True)
        guide_path = root / GUIDE_NAME
        db_path = root / DB_NAME
        fresh = not db_path.exists()
        if fresh and not create and not guide_path.exists():
            raise QualcodeError(
                _(
                    "no qualcode project in {root} (no {db} and no {guide}); run `qualcode init` "
                    "there first"
                ).format(root=root, db=DB_NAME, guide=GUIDE_NAME)
            )
        if not root.is_dir():
            raise QualcodeError(_("{root} is not a folder").format(root=root))
        checked = None if fresh else peek_setting(db_path, GUIDE_CHECKED)
        guide, fingerprint = read_guide(guide_path, checked) if guide_path.exists() else (None, "")
        project = cls(root, Store(db_path), guide)
        if guide:
            project.sync_guide()
            if fingerprint != checked:  # the next open can skip the schema check
                project.store.settings.set(GUIDE_CHECKED, fingerprint)
        elif fresh:
            project.notes.append(
                _(
                    "There is no {guide} in {root}, so the codebook is empty; put the "
                    "interview guide there and qualcode will read it the next time it opens the "
                    "project."
                ).format(guide=GUIDE_NAME, root=root)
            )
        transcripts = root / TRANSCRIPTS_DIR
        if project._first_import_due(fresh, transcripts):
            project._first_import(transcripts, progress)
        # Analyses a migration or another language made stale are redone now, with progress,
        # rather than silently inside the first search or agreement that needs them.
        project.analyse(project.store.analysis.unanalysed_ids(project.language), progress)
        return project

    def _first_import_due(self, fresh: bool, transcripts: Path) -> bool:
        """Whether ``transcripts/`` is still to be imported as a first open imports it.

        The setting is "pending" from the moment a fresh database exists until the whole
        first import (transcripts and study files) has finished, so one stopped part-way (a
        crash, Ctrl-C) is completed on the next open. A database without the setting that
        holds no transcripts was stopped before it could even be marked; one with transcripts
        predates the setting and was imported long ago.
        """
        state = self.store.settings.get(FIRST_IMPORT)
        if fresh or state is None and not self.store.transcripts.ids():
            state = "pending" if transcripts.is_dir() else "done"
            self.store.settings.set(FIRST_IMPORT, state)
        return state == "pending" and transcripts.is_dir()

    def _first_import(self, transcripts: Path, progress: Progress | None) -> None:
        if self.store.transcripts.ids():
            self.notes.append(
                _(
                    "The first import of {folder} had not finished (it was "
                    "stopped, or another qualcode is still at it); completing it now."
                ).format(folder=transcripts)
            )
        self.first_import = self.import_paths([transcripts], progress=progress)
        self.notes.extend(result_notes(self.first_import, transcripts))
        self.import_study_files(transcripts)
        # Only now: a run stopped before this line is redone, harmlessly, on the next open
        # (imported transcripts are unchanged, codings already present are skipped, and
        # summaries and Tabell 1 notes are written with the same text again).
        self.store.settings.set(FIRST_IMPORT, "done")

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # the guide --------------------------------------------------------------
    def sync_guide(self) -> int:
        """Bring the guide's themes and codes into the codebook; returns how many were new."""
        assert self.guide is not None
        new = 0

        # A colour the coder chose in the codebook stays: the guide gives only the default.
        def colour(code: Code) -> str:
            own = chosen_colour(self.store, code.id)
            theirs = chosen_colour(self.store, code.parent) if code.parent else None
            return own or (tint(theirs, code.position) if theirs else code.color)

        wanted = [replace(c, color=colour(c)) for c in self.guide.codes()]
        changed = [c for c in wanted if self.store.codes.get(c.id) != c]
        if changed:
            with self.store.transaction(), self.store.via("guide"):
                actor = self.actor()
                for code in changed:
                    new += self.store.codes.upsert(code, actor)
        return new

    # coders -----------------------------------------------------------------
    def remembered_coder(self) -> str | None:
        return self.store.settings.get(f"coder:{_os_user()}")

    def remember_coder(self, name: str) -> None:
        self.store.settings.set(f"coder:{_os_user()}", name)
        with self.store.transaction():
            self.store.coders.ensure(name)

    def resolve_coder(self, given: str | None) -> str | None:
        """``--coder``, else ``QUALCODE_CODER``, else the one remembered for this OS user."""
        name = given or os.environ.get("QUALCODE_CODER") or self.remembered_coder()
        return check_name(name, N_("the coder name")) if name else name

    def actor(self, given: str | None = None) -> str:
        """Who the audit log names for a change: the coder when known, else the OS user."""
        return self.resolve_coder(given) or _os_user()

    # importing --------------------------------------------------------------
    def import_paths(
        self,
        paths: Iterable[str | Path],
        *,
        case: str | None = None,
        attributes: dict[str, str] | None = None,
        replace: bool = False,
        strict: bool = False,
        progress: Progress | None = None,
        actor: str | None = None,
    ) -> list[ImportResult]:
        """Import files and folders, each file on its own; a refused file changes nothing."""
        if attributes and self.guide:
            # Checked once here, so a bad --attr gives one message rather than one per file.
            attributes = check_attributes(attributes, self.guide.case_attributes, None)
        files = expand_paths(paths)
        # Each new transcript's search rows are written once, with the lemmas its analysis
        # below finds (see SearchIndex.with_lemmas_to_come).
        with self.store.search.with_lemmas_to_come():
            results = self._import_each(files, case, attributes, replace, strict, progress, actor)
            added = [
                r.transcript
                for r in results
                if r.transcript and r.status in ("imported", "replaced")
            ]
            for r in results:  # a .qdpx brings several transcripts at once
                if r.exchange is not None:
                    added += r.exchange.transcripts_added
            try:
                self.analyse(added, progress)
            except KeyboardInterrupt:  # what waits for its lemmas is indexed on the way out
                raise ImportInterrupted(len(files), len(files), analysing=True) from None
        return results

    def _import_each(
        self,
        files: list[Path],
        case: str | None,
        attributes: dict[str, str] | None,
        replace: bool,
        strict: bool,
        progress: Progress | None,
        actor: str | None,
    ) -> list[ImportResult]:
        results: list[ImportResult] = []
        with self.store.via("import"):
            for i, path in enumerate(files):
                if progress:
                    progress(i, len(files), _("importing {name}").format(name=path.name))
                try:
                    results.append(self._import_one(path, case, attributes, replace, strict, actor))
                except KeyboardInterrupt:
                    raise ImportInterrupted(i, len(files)) from None
        if progress:
            progress(len(files), len(files), _("imported"))
        return results

    def _import_one(
        self,
        path: Path,
        case: str | None,
        attributes: dict[str, str] | None,
        replace: bool,
        strict: bool,
        actor: str | None,
    ) -> ImportResult:
        """One file, refused with a sentence rather than raising: the rest go on."""
        try:
            return self.import_file(
                path, case=case, attributes=attributes, replace=replace, strict=strict, actor=actor
            )
        except QualcodeError as err:  # e.g. another qualcode stored it just now
            return ImportResult(str(path), "refused", message=_at(path, err.message))
        except Exception as err:  # a bug or a surprise in one file must not stop the rest
            # Each file is written in one transaction, so a failed one left nothing.
            return ImportResult(
                str(path),
                "refused",
                message=_(
                    "{path}: could not be imported because of an unexpected problem "
                    "({kind}: {error}); nothing of it was stored"
                ).format(path=path, kind=type(err).__name__, error=err),
            )

    @property
    def language(self) -> str:
        return self.guide.language if self.guide and self.guide.language else "nb"

    def analyse(self, transcript_ids: list[str], progress: Progress | None = None) -> int:
        """Sentences and lemmas of these transcripts, computed now rather than at first use,
        and their anonymity check counts (the TUI marks flagged transcripts with them).

        Finished analyses are committed together about once a second, so a stopped run
        keeps nearly all it finished and the rest is done when next needed.
        """
        if not transcript_ids:  # every open asks: loading nothing keeps commands quick
            return 0
        from qualcode.analysis import ensure_analysis
        from qualcode.anon_scan import record

        transcripts = [self.store.transcripts.get(tid) for tid in transcript_ids]
        record(self.store, self.root, transcripts)

        def report(done: int, total: int, what: str) -> None:
            if progress:
                said = _("analysing {what}").format(what=what) if done < total else _("analysed")
                progress(done, total, said)

        return ensure_analysis(self, transcripts, report)

    def import_file(
        self,
        path: Path,
        *,
        case: str | None = None,
        attributes: dict[str, str] | None = None,
        replace: bool = False,
        strict: bool = False,
        actor: str | None = None,
    ) -> ImportResult:
        actor = actor or self.actor()
        if is_exchange_file(path):
            return self._import_exchange(path, actor, strict)
        declared = self.guide.case_attributes if self.guide else None
        try:
            t = load_transcript(path, case=case, attributes=attributes, declared=declared)
        except QualcodeError as err:
            return ImportResult(str(path), "refused", message=str(err))
        # Where the file is, the same from any working folder: relative to the project when
        # inside it (the folder may move), else absolute.
        t.source = self._source(path)
        old_hash = self.store.transcripts.hash(t.id)
        overrides = overridden(path, t, case, attributes or {})
        if old_hash == t.hash:
            if case is None and not attributes:
                return ImportResult(str(path), "unchanged", t.id, "already imported, unchanged")
            # The text is the same, but --case/--attr say where it belongs: that is news.
            # With --case the case gets what a first import would give it; --attr alone
            # sets only what it names, on the transcript's own case.
            return self._recase(
                path, t.id, case, t.attributes if case else attributes or {}, actor, overrides
            )
        from qualcode.anon_scan import remember_parsed

        warnings = _anonymity_warnings(path)
        remember_parsed(path, t.hash)  # its findings are counted again after the import
        if strict and warnings:
            return ImportResult(
                str(path),
                "refused",
                t.id,
                ui_n(
                    "{path}: refused by --strict: the anonymity check found "
                    "{n} possible identifying detail",
                    "{path}: refused by --strict: the anonymity check found "
                    "{n} possible identifying details",
                    len(warnings),
                ).format(path=path, n=len(warnings)),
                warnings,
            )
        warnings += overrides + t.notes  # e.g. the encoding it was read in
        if old_hash is None:
            if t.case is None and attributes:
                warnings.append(
                    _(
                        "{path}: --attr was not used: the transcript has no case to "
                        "hold it; give --case NAME too"
                    ).format(path=path)
                )
            changed = self.store.transcripts.add(t, actor=actor)
            return ImportResult(
                str(path), "imported", t.id, warnings=warnings + case_warnings(path, t, changed)
            )
        if not replace:
            source = self.store.transcripts.source(t.id)
            if source and _other_file(self.root / source, path):
                why = _(
                    'a different file with the same name is already imported as "{id}" '
                    "(from {source}); transcript ids are file names, so rename one of them, "
                    "or use --replace if this is a corrected version"
                ).format(id=t.id, source=source)
            else:
                why = _(
                    'transcript "{id}" has changed since it was imported; use --replace '
                    "to import the new version (its codings are re-anchored)"
                ).format(id=t.id)
            return ImportResult(str(path), "refused", t.id, _at(path, why))
        return self._replace(path, t, warnings, actor)

    def set_case(
        self,
        transcript_id: str,
        case: str | None,
        attributes: dict[str, str],
        actor: str | None = None,
    ) -> str:
        """Put a transcript in a case and set the case's attributes (see ``cases.set_case``)."""
        return set_case(self, transcript_id, case, attributes, actor or self.actor())

    def _recase(
        self,
        path: Path,
        tid: str,
        case: str | None,
        attributes: dict[str, str],
        actor: str,
        warnings: list[str],
    ) -> ImportResult:
        try:
            what = self.set_case(tid, case, attributes, actor)
        except QualcodeError as err:
            return ImportResult(str(path), "refused", tid, _at(path, err.message), warnings)
        if not what:
            return ImportResult(
                str(path),
                "unchanged",
                tid,
                _("already imported, unchanged; its case already says so"),
                warnings,
            )
        updated = _("text unchanged; {what}").format(what=what)
        return ImportResult(str(path), "updated", tid, updated, warnings)

    def _import_exchange(self, path: Path, actor: str, strict: bool) -> ImportResult:
        from qualcode.refi.bridge import import_exchange  # lxml and the REFI reader: only here

        try:
            r = import_exchange(self, path, actor, strict=strict)
        except QualcodeError as err:
            return ImportResult(str(path), "refused", message=str(err))
        if r.refused:
            return ImportResult(
                str(path), "refused", message=r.refused, warnings=r.anonymity, exchange=r
            )
        message = _("{transcripts}, {codes}, {codings} added").format(
            transcripts=ui_n("{n} transcript", "{n} transcripts", len(r.transcripts_added)).format(
                n=len(r.transcripts_added)
            ),
            codes=ui_n("{n} new code", "{n} new codes", len(r.codes_added)).format(
                n=len(r.codes_added)
            ),
            codings=ui_n("{n} coding", "{n} codings", r.codings_added).format(n=r.codings_added),
        )
        if r.codings_skipped:
            message += ui_n(
                "; {n} coding already here or unusable",
                "; {n} codings already here or unusable",
                r.codings_skipped,
            ).format(n=r.codings_skipped)
        if r.summaries_added or r.comparison_added:
            message += _("; {summaries} summaries, {notes} Tabell 1 notes added").format(
                summaries=r.summaries_added, notes=r.comparison_added
            )
        if r.key_quotes_added:
            message += _("; {n} key quotes marked").format(n=r.key_quotes_added)
        codes = {c.id: c for c in self.store.codes.all()}
        added = [{"id": i, "name": codes[i].name, "parent": codes[i].parent} for i in r.codes_added]
        details = [_("new coder: {name}").format(name=name) for name in r.coders_added]
        details += [
            _("new case without a transcript: {name}").format(name=name) for name in r.cases_added
        ]
        for c in added:
            parent = codes.get(c["parent"] or "")
            details.append(
                _("new code: {name} (under {parent})").format(name=c["name"], parent=parent.name)
                if parent
                else _("new code: {name}").format(name=c["name"])
            )
        warnings = r.conflicts + r.notes + _not_imported_lines(r.not_imported) + r.anonymity
        return ImportResult(
            str(path),
            "imported",
            None,
            message,
            warnings,
            details=details,
            codes_added=added,
            exchange=r,
            not_imported=r.not_imported,
        )

    def _replace(self, path: Path, t: Transcript, warnings: list[str], actor: str) -> ImportResult:
        if t.case is None:
            # A file without front matter or --case says nothing about the case: keep it.
            t.case = self.store.transcripts.get(t.id).case
        self.backup("before-replace")
        from qualcode.coding import reanchor  # rapidfuzz loads only when a text changed

        old_text = self.store.transcripts.get(t.id).text  # to follow each passage to its new place
        placed = reanchor(self.store.codings.all(transcript=t.id), t, old_text)
        with self.store.transaction():
            warnings = warnings + case_warnings(
                path, t, self.store.transcripts.add(t, actor=actor, replace=True)
            )
            for r in placed:
                c = r.coding
                assert c.id is not None
                self.store.codings.update(
                    c.id,
                    actor,
                    start=c.start,
                    end=c.end,
                    quote=c.quote,
                    text_hash=c.text_hash,
                    status=c.status,
                )
        moved = sum(r.moved for r in placed)
        unresolved = sum(r.method in ("unresolved", "ambiguous") for r in placed)
        ambiguous = sum(r.method == "ambiguous" for r in placed)
        msg = (
            ui_n(
                "{n} coding re-anchored: {moved} moved, {unresolved} unresolved (kept, flagged; "
                "{ambiguous} found equally well in two places)",
                "{n} codings re-anchored: {moved} moved, {unresolved} unresolved (kept, flagged; "
                "{ambiguous} found equally well in two places)",
                len(placed),
            )
            if ambiguous
            else ui_n(
                "{n} coding re-anchored: {moved} moved, {unresolved} unresolved (kept, flagged)",
                "{n} codings re-anchored: {moved} moved, {unresolved} unresolved (kept, flagged)",
                len(placed),
            )
        ).format(n=len(placed), moved=moved, unresolved=unresolved, ambiguous=ambiguous)
        return ImportResult(str(path), "replaced", t.id, msg, warnings, moved, unresolved)

    def import_study_files(self, folder: Path) -> None:
        """Import the analysis a study ships beside its transcripts (see ``study_files``)."""
        from qualcode.study_files import import_study_files

        with self.store.via("study-files"):
            self.notes.extend(import_study_files(self, folder, self.actor()))

    def _source(self, path: Path) -> str:
        resolved = path.resolve()
        try:
            return str(resolved.relative_to(self.root))
        except ValueError:
            return str(resolved)

    # safety -----------------------------------------------------------------
    def backup(
        self,
        reason: str = "manual",
        dest: str | Path | None = None,
        *,
        force: bool = False,
        shareable: bool = False,
    ) -> Path:
        """A consistent copy of the database: in the private backups folder, or at ``dest``
        under the output rule (never the project's own files, an existing one only with
        ``force``, 0600 unless ``shareable``)."""
        if dest is None:
            return self.store.safety_backup(reason)

        def fill(tmp: Path) -> None:
            self.store.backup(tmp)

        return write_output_with(Path(dest), fill, force=force, root=self.root, shareable=shareable)

    def restore(self, source: str | Path) -> None:
        """Replace the project database with a backup (a backup of the current one first).

        The file is checked whole before anything is touched, and refused while another
        qualcode has the project open (see ``store/restore.py``)."""
        self.store.restore_from(Path(source), lambda: self.backup("before-restore"))


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, folders as their supported files (sorted, hidden ones skipped)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(
                sorted(
                    f
                    for f in p.rglob("*")
                    if f.is_file()
                    and f.suffix.lower() in SUPPORTED_SUFFIXES
                    and not f.name.startswith(".")
                )
            )
        else:
            out.append(p)
    return out


def result_notes(results: list[ImportResult], folder: Path) -> list[str]:
    """What a researcher must hear about an import nobody asked for (a first open)."""
    notes: list[str] = []
    for r in results:
        if r.status == "refused":
            notes.append(_("not imported: {message}").format(message=r.message))
        notes.extend(_("warning: {warning}").format(warning=w) for w in r.warnings)
    refused = sum(r.status == "refused" for r in results)
    if refused:
        notes.append(
            _(
                "{refused} of {n} files in {folder} were not imported; fix them "
                "and run: qualcode import {folder}"
            ).format(refused=refused, n=len(results), folder=folder)
        )
    return notes


def _other_file(stored: Path, path: Path) -> bool:
    """Whether ``stored`` (where a transcript came from) is a file other than ``path``."""
    try:
        return stored.is_file() and not stored.samefile(path)
    except OSError:
        return False


def _anonymity_warnings(path: Path) -> list[str]:
    """Possible identifying details, with lines and columns as the file shows them."""
    try:
        from qualcode.anon import check_file

        findings = check_file(path)
    except QualcodeError:
        return []
    return [
        _("{path}, line {line}, column {column}: possible {kind}: {text}").format(
            path=path, line=f.line, column=f.column, kind=f.kind, text=f.text
        )
        for f in findings
    ]


def _at(path: Path, problem: str) -> str:
    return _("{path}: {problem}").format(path=path, problem=problem)


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user database (some containers)
        return str(os.getuid()) if hasattr(os, "getuid") else "user"


def _not_imported_lines(items: list[str], most: int = 5) -> list[str]:
    """What an exchange file had and qualcode did not keep, for the screen: each item, or one
    line per kind when a kind comes more than ``most`` times (--json lists every one)."""
    kinds: dict[str, list[str]] = {}
    for item in items:
        kinds.setdefault(item.split(" in ", 1)[0].split(" '", 1)[0], []).append(item)
    lines: list[str] = []
    for kind, same in kinds.items():
        if len(same) > most:
            lines.append(
                _("not imported: {n} × {kind}, the first {first} (--json lists each)").format(
                    n=len(same), kind=kind, first=same[0]
                )
            )
        else:
            lines += [_("not imported: {message}").format(message=item) for item in same]
    return lines

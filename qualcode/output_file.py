"""The one rule for every file qualcode writes for the user (exports, codings and summaries
files, backups): never the project's own files, never through a symlink or onto a device or
pipe, an existing file only when asked, never half written, private unless asked otherwise.

Exports hold interview text, so a new file is readable by its owner only (0600, like the
database and its backups); ``shareable`` (or ``QUALCODE_SHAREABLE=1``) gives it the user's
usual permissions (umask).
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path

from qualcode.i18n import N_, ui
from qualcode.model import QualcodeError

# The project's own files, by name in its folder (the store's and the guide's names are
# repeated here so this module stays below both): an export must never land on one.
PROTECTED_FILES = (
    "qualcode.db",
    "qualcode.db-wal",
    "qualcode.db-shm",
    "qualcode.db-journal",
    "interview_guide.yaml",
)
PROTECTED_DIRS = (".qualcode-backups",)
PRIVATE_MODE = 0o600
# The setting for every file written (the workspace's exports too): QUALCODE_SHAREABLE=1
SHAREABLE_ENV = "QUALCODE_SHAREABLE"
STDOUT = "-"


def protected_paths(root: Path) -> list[Path]:
    """The project's database (and its WAL, SHM and journal), guide and backups folder."""
    root = root.resolve()
    return [root / name for name in PROTECTED_FILES] + [root / name for name in PROTECTED_DIRS]


def check_output(path: Path, *, force: bool, root: Path | None) -> None:
    """Refuse, before any work is done, a target the rule does not allow."""
    if str(path) == STDOUT:
        return
    where = str(path)
    try:
        info: os.stat_result | None = os.lstat(path)
    except FileNotFoundError:
        info = None
    except OSError as err:
        raise QualcodeError(
            ui("cannot write the file ({error})").format(error=err.strerror or err), where
        ) from None
    if root is not None:
        _refuse_protected(path, info, root)
    if info is None:
        return
    if stat.S_ISLNK(info.st_mode):
        raise QualcodeError(
            ui(
                "is a symbolic link; qualcode does not write through links, give the real file name"
            ),
            where,
        )
    if stat.S_ISDIR(info.st_mode):
        raise QualcodeError(
            ui("is a folder; give a file name, e.g. --out {example}").format(
                example=path / "rapport.md"
            ),
            where,
        )
    if not stat.S_ISREG(info.st_mode):  # a device, a pipe, a socket: never written to
        raise QualcodeError(ui("is not a regular file; give a file name to write to"), where)
    if not force:
        raise QualcodeError(ui("the file already exists; use --force to overwrite it"), where)


def _refuse_protected(path: Path, info: os.stat_result | None, root: Path) -> None:
    target = path.parent.resolve() / path.name  # the folder resolved, the name as given
    for guarded in protected_paths(root):
        same = target == guarded or guarded in target.parents
        if not same and info is not None and guarded.exists():
            try:
                same = os.path.samefile(path, guarded)  # a hard link or a link to it
            except OSError:
                same = False
        if same:
            raise QualcodeError(
                ui("is the project's own {what}; write the file somewhere else").format(
                    what=ui(_what(guarded))
                ),
                str(path),
            )


def _what(guarded: Path) -> str:
    if guarded.name in PROTECTED_DIRS:
        return N_("backups folder")
    if guarded.name.endswith(".yaml"):
        return N_("interview guide")
    return N_("database")


def write_output(
    path: Path, data: bytes, *, force: bool, root: Path | None, shareable: bool = False
) -> Path:
    """Write ``data`` to ``path`` under the rule; returns the path written."""

    def fill(tmp: Path) -> None:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())

    return write_output_with(path, fill, force=force, root=root, shareable=shareable)


def write_output_with(
    path: Path,
    fill: Callable[[Path], None],
    *,
    force: bool,
    root: Path | None,
    shareable: bool = False,
) -> Path:
    """``fill`` writes a new private temporary file beside ``path``; it is then renamed
    into place, so a reader never sees half a file and a failure leaves the old one."""
    check_output(path, force=force, root=root)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)  # "exports/rapport.docx" just works
    except OSError as err:
        raise QualcodeError(
            ui("cannot make its folder ({error})").format(error=err.strerror or err), str(path)
        ) from None
    tmp = path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    try:
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_MODE))
        fill(tmp)
        shared = shareable or os.environ.get(SHAREABLE_ENV, "") == "1"
        os.chmod(tmp, _shareable_mode() if shared else PRIVATE_MODE)
        check_output(path, force=force, root=root)  # nothing appeared there meanwhile
        os.replace(tmp, path)
    except OSError as err:
        _discard(tmp)
        raise QualcodeError(
            ui("cannot write the file ({error})").format(error=err.strerror or err), str(path)
        ) from None
    except BaseException:
        _discard(tmp)
        raise
    return path


def _shareable_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _discard(tmp: Path) -> None:
    try:
        tmp.unlink(missing_ok=True)
    except OSError:  # its folder is not there or not ours: there is nothing to clean up
        pass


def private_folder(folder: Path) -> Path:
    """Make ``folder`` (e.g. the backups folder) if missing, readable by its owner only."""
    folder.mkdir(mode=0o700, exist_ok=True)
    os.chmod(folder, 0o700)
    return folder

"""Atomic saves (DESIGN section 8): never write over the user's file in place.

The new content goes to a temporary file in the same folder (same file system, so the
final rename is atomic), is flushed to disk, given the old file's permissions and then
moved over the old name with ``os.replace``. The previous file is kept as ``NAME.bak``
(one generation: each save rotates the last version into it). If anything fails before
the rename, the original file is untouched and the temporary file is removed: a full disk
or a crash can lose the new save, never the old one. A file or folder marked read-only is
never written, even by an administrator (who the operating system would let through).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import stat
from collections.abc import Callable
from pathlib import Path

BACKUP_SUFFIX = ".bak"


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# Read once: os.umask can only be read by setting it, which is not thread-safe later on.
_UMASK = _current_umask()


def backup_path(path: str | os.PathLike[str]) -> Path:
    """Where the previous version of ``path`` is kept: ``model.xlsx`` -> ``model.xlsx.bak``."""
    p = Path(path)
    return p.with_name(p.name + BACKUP_SUFFIX)


def find_backup(path: str | os.PathLike[str]) -> Path | None:
    """The backup kept when ``path`` was last saved, if there is a usable one: what to
    offer when ``path`` itself is damaged or gone."""
    bak = backup_path(path)
    try:
        st = bak.stat()
    except OSError:
        return None
    return bak if stat.S_ISREG(st.st_mode) and st.st_size > 0 else None


def atomic_write(path: str | os.PathLike[str], write: Callable[[Path], None], *,
                 backup: bool = True) -> Path:
    """Write a file through ``write(temp_path)`` and move it into place atomically.

    ``write`` receives a path in the same folder with the same suffix as ``path`` (so
    writers that choose a format from the suffix, like matplotlib, behave) and must create
    or overwrite that file. If ``write`` raises, the exception propagates and ``path`` is
    left exactly as it was. Returns the path written (a symlink's target is written
    through, so the link survives).
    """
    target = check_writable(path)
    folder = target.parent
    old_mode = _mode_of(target)
    temp = folder / f".{target.stem}.{secrets.token_hex(4)}.tmp{target.suffix}"
    try:
        write(temp)
        if not temp.is_file():
            raise OSError(f"Nothing was written to {temp.name}")
        _fsync_file(temp)
        os.chmod(temp, old_mode if old_mode is not None else 0o666 & ~_UMASK)
        if backup and old_mode is not None:
            _keep_backup(target)
        os.replace(temp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            temp.unlink()
        cause = exc.args[0] if exc.args else None
        if not isinstance(exc, OSError) and isinstance(cause, OSError):
            # A library's wrapper (xlsxwriter's FileCreateError) around a full disk or a
            # permission error is an OSError to every caller, whichever library noticed.
            raise cause from exc
        raise
    _fsync_dir(folder)
    return target


def check_writable(path: str | os.PathLike[str]) -> Path:
    """The file ``atomic_write`` would write (a symlink's target), after the checks it
    makes first: the folder exists and may be written, and the file, if there is one, is
    not read-only. Raises ``FileNotFoundError`` or ``PermissionError`` with a message for
    the planner; commands call it before long work whose result would have nowhere to go."""
    target = Path(path)
    if target.is_symlink():
        target = target.resolve()
    folder = target.parent
    if not folder.is_dir():
        raise FileNotFoundError(f"Folder does not exist: {folder}")
    old_mode = _mode_of(target)
    if old_mode is not None and not _writable(target, old_mode):
        raise PermissionError(f"{target.name} is read-only; save it under another name")
    if not _writable(folder, stat.S_IMODE(folder.stat().st_mode)):
        raise PermissionError(f"The folder {folder} is read-only; save somewhere else")
    return target


def _writable(path: Path, mode: int) -> bool:
    """Writable for us, and not marked read-only for everyone (root passes ``os.access``
    whatever the mode, but a planner who marked a file read-only meant it)."""
    return os.access(path, os.W_OK) and bool(mode & 0o222)


def _mode_of(path: Path) -> int | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(st.st_mode):
        raise IsADirectoryError(f"Not a regular file: {path}")
    return stat.S_IMODE(st.st_mode)


def _keep_backup(target: Path) -> None:
    """Make ``target.bak`` a copy of the current file, replacing an older backup atomically.
    A hard link costs nothing; file systems without links get a copy."""
    bak = backup_path(target)
    temp = bak.with_name(f".{bak.name}.{secrets.token_hex(4)}.tmp")
    try:
        try:
            os.link(target, temp)
        except OSError:
            shutil.copy2(target, temp)
        os.replace(temp, bak)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as handle:
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (POSIX; Windows has no directory handles)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

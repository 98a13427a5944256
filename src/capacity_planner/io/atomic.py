"""Atomic saves (DESIGN section 8): never write over the user's file in place.

The new content goes to a temporary file in the same folder (same file system, so the
final rename is atomic), is flushed to disk, given the old file's permissions and then
moved over the old name with ``os.replace``. The previous file is kept as ``NAME.bak``.
If anything fails before the rename, the original file is untouched and the temporary
file is removed: a full disk or a crash can lose the new save, never the old one.
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


def atomic_write(path: str | os.PathLike[str], write: Callable[[Path], None], *,
                 backup: bool = True) -> Path:
    """Write a file through ``write(temp_path)`` and move it into place atomically.

    ``write`` receives a path in the same folder with the same suffix as ``path`` (so
    writers that choose a format from the suffix, like matplotlib, behave) and must create
    or overwrite that file. If ``write`` raises, the exception propagates and ``path`` is
    left exactly as it was. Returns the path written (a symlink's target is written
    through, so the link survives).
    """
    target = Path(path)
    if target.is_symlink():
        target = target.resolve()
    folder = target.parent
    if not folder.is_dir():
        raise FileNotFoundError(f"Folder does not exist: {folder}")
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
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    _fsync_dir(folder)
    return target


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

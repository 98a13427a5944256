"""Saving never costs the planner the file they had (DESIGN section 8): after a full disk,
an exception half-way, a read-only file or folder, the previous file is byte-identical and
nothing is left behind; a symlink survives a save; a damaged model points at its backup."""

from __future__ import annotations

import errno
import os
import stat
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from capacity_planner.domain.entities import Unit
from capacity_planner.io import load_model
from capacity_planner.io.atomic import backup_path, find_backup
from capacity_planner.io.samples import south_east_model
from capacity_planner.io.writer import save_model


def _saved_twice(folder: Path) -> tuple[Path, bytes, bytes]:
    """A model saved twice: the file holds version 2, the backup version 1."""
    model = south_east_model()
    path = folder / "plan.xlsx"
    save_model(model, path)
    save_model(replace(model, units=(*model.units, Unit("NEW", "New team", "team"))), path)
    return path, path.read_bytes(), backup_path(path).read_bytes()


def _unchanged(path: Path, data: bytes, bak: bytes) -> None:
    assert path.read_bytes() == data
    assert backup_path(path).read_bytes() == bak
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name, backup_path(path).name]


def _full_disk(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def test_disk_full_at_fsync(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path, data, bak = _saved_twice(tmp_path)
    monkeypatch.setattr(os, "fsync", _full_disk)
    with pytest.raises(OSError, match="No space left"):
        save_model(south_east_model(), path)
    monkeypatch.undo()
    _unchanged(path, data, bak)


def test_disk_full_while_writing_the_zip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """xlsxwriter fills the zip part by part; the disk fills up after the first part."""
    path, data, bak = _saved_twice(tmp_path)
    real = zipfile.ZipFile.write
    calls: list[int] = []

    def write(self: zipfile.ZipFile, *args: object, **kwargs: object) -> None:
        calls.append(1)
        if len(calls) > 1:
            _full_disk()
        real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(zipfile.ZipFile, "write", write)
    with pytest.raises(OSError, match="No space left"):
        save_model(south_east_model(), path)
    monkeypatch.undo()
    assert len(calls) == 2
    _unchanged(path, data, bak)


class Unprintable:
    def __str__(self) -> str:
        raise RuntimeError("a value that cannot be written")


def test_exception_mid_save(tmp_path: Path) -> None:
    path, data, bak = _saved_twice(tmp_path)
    model = south_east_model()
    extras = {"Units": {"Comment": [Unprintable()] * len(model.units)}}
    with pytest.raises(RuntimeError, match="cannot be written"):
        save_model(replace(model, extra_columns=extras), path)
    _unchanged(path, data, bak)


def test_read_only_file_is_not_replaced(tmp_path: Path) -> None:
    path, data, bak = _saved_twice(tmp_path)
    os.chmod(path, 0o444)
    with pytest.raises(PermissionError, match="read-only"):
        save_model(south_east_model(), path)
    _unchanged(path, data, bak)
    assert stat.S_IMODE(path.stat().st_mode) == 0o444


def test_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    path, data, bak = _saved_twice(folder)
    os.chmod(folder, 0o555)
    try:
        with pytest.raises(PermissionError, match="read-only"):
            save_model(south_east_model(), path)
        with pytest.raises(PermissionError, match="read-only"):
            save_model(south_east_model(), folder / "new.xlsx")
    finally:
        os.chmod(folder, 0o755)
    _unchanged(path, data, bak)


def test_symlinked_target_in_another_folder(tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    (tmp_path / "desk").mkdir()
    real, data, _ = _saved_twice(tmp_path / "shared")
    link = tmp_path / "desk" / "plan.xlsx"
    link.symlink_to(real)
    save_model(south_east_model(), link)
    assert link.is_symlink() and link.resolve() == real
    assert backup_path(real).read_bytes() == data  # the version before this save
    assert load_model(link).model == south_east_model()
    assert sorted(p.name for p in (tmp_path / "desk").iterdir()) == ["plan.xlsx"]


def test_backup_rotation(tmp_path: Path) -> None:
    path, second, first = _saved_twice(tmp_path)
    save_model(south_east_model(), path)
    assert backup_path(path).read_bytes() == second != first


def test_damaged_model_offers_its_backup(tmp_path: Path) -> None:
    """The file is cut short (a crash while copying it); the previous save's backup is
    named, and it opens."""
    path, data, _bak = _saved_twice(tmp_path)
    path.write_bytes(data[: len(data) // 3])
    result = load_model(path)
    assert result.model is None and [p.code for p in result.errors] == ["damaged"]
    offer = [p for p in result.notes if p.code == "backup_available"]
    assert len(offer) == 1 and offer[0].value == str(backup_path(path))
    assert "plan.xlsx.bak" in offer[0].message
    assert find_backup(path) == backup_path(path)
    recovered = load_model(offer[0].value)
    assert recovered.ok and recovered.model == south_east_model()


def test_no_backup_no_offer(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_bytes(b"PK\x03\x04 not really")
    assert find_backup(path) is None
    assert not [p for p in load_model(path).problems if p.code == "backup_available"]

"""Atomic saves (DESIGN section 8): a failed write leaves the old file byte-identical, the
previous version is kept as .bak, permissions survive and no temporary file is left."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from capacity_planner.io.atomic import atomic_write, backup_path


def _write_bytes(data: bytes):
    def write(temp: Path) -> None:
        temp.write_bytes(data)
    return write


def test_failed_write_leaves_original_identical_and_no_litter(tmp_path: Path) -> None:
    target = tmp_path / "model.xlsx"
    target.write_bytes(b"original contents")
    atomic_write(target, _write_bytes(b"second"))  # makes a .bak of the original
    bak_before = backup_path(target).read_bytes()

    def half_then_fail(temp: Path) -> None:
        with open(temp, "wb") as handle:
            handle.write(b"half a workbook")
            handle.flush()
            raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        atomic_write(target, half_then_fail)
    assert target.read_bytes() == b"second"
    assert backup_path(target).read_bytes() == bak_before == b"original contents"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.xlsx", "model.xlsx.bak"]


def test_success_replaces_and_keeps_previous_as_bak(tmp_path: Path) -> None:
    target = tmp_path / "plan.xlsx"
    atomic_write(target, _write_bytes(b"v1"))
    assert target.read_bytes() == b"v1"
    assert not backup_path(target).exists()  # nothing to back up the first time
    atomic_write(target, _write_bytes(b"v2"))
    atomic_write(target, _write_bytes(b"v3"))
    assert target.read_bytes() == b"v3"
    assert backup_path(target).read_bytes() == b"v2"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsx", "plan.xlsx.bak"]


def test_keeps_the_original_permissions(tmp_path: Path) -> None:
    target = tmp_path / "shared.xlsx"
    target.write_bytes(b"old")
    os.chmod(target, 0o640)
    atomic_write(target, _write_bytes(b"new"))
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_new_file_gets_the_ordinary_permissions(tmp_path: Path) -> None:
    reference = tmp_path / "reference.txt"
    reference.write_bytes(b"x")  # created the ordinary way, through the umask
    target = tmp_path / "new.xlsx"
    atomic_write(target, _write_bytes(b"x"))
    assert stat.S_IMODE(target.stat().st_mode) == stat.S_IMODE(reference.stat().st_mode)


def test_write_callback_sees_a_temp_name_with_the_same_suffix(tmp_path: Path) -> None:
    seen: list[Path] = []

    def write(temp: Path) -> None:
        seen.append(temp)
        temp.write_bytes(b"%PDF")

    atomic_write(tmp_path / "chart.pdf", write)
    assert seen[0].suffix == ".pdf" and seen[0].parent == tmp_path
    assert seen[0].name != "chart.pdf" and not seen[0].exists()


def test_writing_nothing_is_an_error_and_changes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "model.xlsx"
    target.write_bytes(b"keep me")
    with pytest.raises(OSError, match="Nothing was written"):
        atomic_write(target, lambda temp: None)
    assert target.read_bytes() == b"keep me"
    assert [p.name for p in tmp_path.iterdir()] == ["model.xlsx"]


def test_a_symlink_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "real.xlsx"
    real.write_bytes(b"old")
    link = tmp_path / "link.xlsx"
    link.symlink_to(real)
    atomic_write(link, _write_bytes(b"new"))
    assert link.is_symlink() and real.read_bytes() == b"new"
    assert backup_path(real).read_bytes() == b"old"


def test_missing_folder_is_reported(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="Folder does not exist"):
        atomic_write(tmp_path / "no" / "such.xlsx", _write_bytes(b"x"))

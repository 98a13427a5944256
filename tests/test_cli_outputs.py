"""An output with nowhere to go is refused before the solve, not after it: a read-only
folder for the results workbook, the charts or the bid pack is a usage error (exit 2)
with the reason, and nothing is solved or printed on stdout."""

from __future__ import annotations

from pathlib import Path

import pytest

from capacity_planner.cli import EXIT_USAGE, main
from capacity_planner.io.samples import bundled_sample_path


@pytest.fixture
def locked(tmp_path: Path):  # noqa: ANN201
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)  # read-only for everyone (root included: the mode is checked too)
    yield folder
    folder.chmod(0o755)


@pytest.mark.parametrize("command", [
    ["solve", "{model}", "--out", "{locked}/results.xlsx"],
    ["solve", "{model}", "--charts", "{locked}"],
    ["pack", "{model}", "--out", "{locked}/bid.pdf"],
])
def test_a_read_only_output_folder_is_refused_before_solving(
        command: list[str], locked: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = [a.format(model=bundled_sample_path(), locked=locked) for a in command]
    assert main(argv) == EXIT_USAGE
    out, err = capsys.readouterr()
    assert "read-only" in err and "save somewhere else" in err
    assert out == ""  # no scenario was solved, so none was reported
    assert list(locked.iterdir()) == []

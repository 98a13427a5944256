"""What the command line does when something other than the user's input goes wrong:
the reader of its output goes away (``| head``), or a fault of ours raises. Never a
traceback: a quiet stop with the shell's SIGPIPE code, or one line that says it is a fault
in Capacity Planner and how to see where (exit 70)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from capacity_planner.cli import DEBUG_VARIABLE, EXIT_INTERNAL, EXIT_PIPE_CLOSED, main
from capacity_planner.io.samples import bundled_sample_path


def test_a_closed_pipe_stops_quietly() -> None:
    """The JSON of every sample scenario is megabytes; the reader takes ten bytes and
    closes the pipe, so the next write fails with EPIPE."""
    command = [sys.executable, "-m", "capacity_planner", "solve", str(bundled_sample_path()),
               "--all-scenarios", "--json"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None and process.stderr is not None
        first = process.stdout.read(10)
        process.stdout.close()
        err = process.stderr.read().decode()
        code = process.wait(timeout=120)
    assert code == EXIT_PIPE_CLOSED
    assert first.startswith(b"[")
    assert "Traceback" not in err and "BrokenPipe" not in err


def test_a_fault_of_ours_is_one_line_not_a_traceback(monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]
                                                     ) -> None:
    """A fault injected into the validate command (as if a bug raised deep inside it)."""
    import capacity_planner.cli.validate as command

    def broken(_args: object) -> int:
        raise KeyError("unit_by_key")

    monkeypatch.setattr(command, "run", broken)
    monkeypatch.delenv(DEBUG_VARIABLE, raising=False)
    assert main(["validate", str(bundled_sample_path())]) == EXIT_INTERNAL
    err = capsys.readouterr().err
    assert "unexpected error (KeyError: 'unit_by_key')" in err
    assert "fault in Capacity Planner" in err and DEBUG_VARIABLE in err
    assert "Traceback" not in err
    monkeypatch.setenv(DEBUG_VARIABLE, "1")
    with pytest.raises(KeyError):
        main(["validate", str(bundled_sample_path())])

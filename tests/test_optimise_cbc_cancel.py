"""Cancel while CBC is running: the real ``cbc`` program, cancelled from another thread
(as the app's Esc and an analysis cancel do) once it is seen running. The run returns
CANCELLED, no cbc process is left and no file it wrote remains; a run that is not
cancelled gives the figures CBC gave before Cancel could reach it."""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from capacity_planner.domain.entities import ScenarioRow
from capacity_planner.domain.model import PlanningModel
from capacity_planner.io.samples import south_east_model
from capacity_planner.io.samples.national import model_of_size
from capacity_planner.optimise import Status, solve_scenario


def cbc_processes() -> list[int]:
    """Processes named cbc descended from this one (read from /proc), zombies included:
    a CBC killed but never waited for still shows here."""
    parent: dict[int, int] = {}
    name: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # ended while we looked
            continue
        pid = int(entry.name)
        name[pid] = stat[stat.index("(") + 1:stat.rindex(")")]
        parent[pid] = int(stat[stat.rindex(")") + 2:].split()[1])
    mine = {os.getpid()}
    grew = True
    while grew:
        more = {pid for pid, ppid in parent.items() if ppid in mine} - mine
        mine |= more
        grew = bool(more)
    return sorted(pid for pid in mine if name.get(pid) == "cbc")


def whole_posts_on_a_budget() -> tuple[PlanningModel, str]:
    """The South East with whole posts under a £3m budget: a MILP that CBC takes
    minutes over."""
    m = south_east_model()
    return replace(m, scenarios=m.scenarios + (
        ScenarioRow("Whole", "whole_posts", 1),
        ScenarioRow("Whole", "budget_gbp", 3_000_000))), "Whole"


def national() -> tuple[PlanningModel, str]:
    """Every force of England and Wales: an LP whose first CBC run takes seconds."""
    return model_of_size("national"), "Baseline"


@pytest.mark.parametrize("case", [whole_posts_on_a_budget, national],
                         ids=["south-east-whole-posts-milp", "national-lp"])
def test_cancel_while_cbc_runs_kills_it_and_removes_its_files(
        case: Callable[[], tuple[PlanningModel, str]], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A watcher thread waits until a cbc process of ours exists, notes the files in
    the temporary directory (the problem CBC is reading must be among them) and asks
    to cancel. The solve hears it while CBC is still running (not once CBC has
    finished) and returns CANCELLED; afterwards no cbc process of ours exists, not even
    unreaped, and the temporary directory is empty again."""
    for variable in ("TMPDIR", "TMP"):
        monkeypatch.setenv(variable, str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    model, scenario = case()
    cancel, done = threading.Event(), threading.Event()
    seen: dict[str, list[str]] = {}
    heard_while_running: list[bool] = []

    def should_cancel() -> bool:
        if cancel.is_set():
            heard_while_running.append(bool(cbc_processes()))
            return True
        return False

    def watch() -> None:
        while not done.is_set():
            running = cbc_processes()
            if running:
                seen["cbc"] = [str(pid) for pid in running]
                seen["files"] = [p.name for p in tmp_path.rglob("*")]
                cancel.set()
                return
            done.wait(0.01)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        r = solve_scenario(model, scenario, solver="cbc", should_cancel=should_cancel)
    finally:
        done.set()
        watcher.join()
    assert seen["cbc"], "the cancel was asked while CBC was running"
    assert heard_while_running[0], "and heard before CBC finished"
    assert any(name.endswith("-pulp.mps") for name in seen["files"])
    assert r.status is Status.CANCELLED and not r.solved
    assert cbc_processes() == []
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("scenario", "unmet", "cost", "new_fte"), [
    ("Baseline", 1_745_899.510715, 2_335_914.150051, 0.0),
    ("£2m a year for posts", 1_627_642.194655, 7_470_642.313006, 44.561216),
])
def test_a_run_not_cancelled_gives_the_figures_cbc_gave_before(
        scenario: str, unmet: float, cost: float, new_fte: float, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The South East through CBC, asked every 50 ms whether to stop and told no, gives
    the totals recorded from PuLP's own COIN_CMD before this change, the same plan as a
    run never asked, and leaves no files behind."""
    for variable in ("TMPDIR", "TMP"):
        monkeypatch.setenv(variable, str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    m = south_east_model()
    asked: list[bool] = []

    def never() -> bool:
        asked.append(True)
        return False

    r = solve_scenario(m, scenario, solver="cbc", should_cancel=never)
    assert r.status is Status.OPTIMAL and r.proven_optimal and asked
    assert r.totals.unmet_hours == pytest.approx(unmet, abs=1e-3)
    assert r.totals.cost_gbp == pytest.approx(cost, abs=1e-3)
    assert r.totals.new_fte == pytest.approx(new_fte, abs=1e-6)
    plain = solve_scenario(m, scenario, solver="cbc")
    assert plain.totals == r.totals
    assert plain.allocation.equals(r.allocation) and plain.coverage.equals(r.coverage)
    assert list(tmp_path.iterdir()) == []


def test_time_limit_still_stops_cbc_with_its_best_plan() -> None:
    """Whole posts under a £3m budget: CBC cannot prove it in 3 seconds (it runs for
    minutes), so with a 3 s limit it stops and its best integer plan is returned as
    time_limit, not proven optimal, in whole posts."""
    model, scenario = whole_posts_on_a_budget()
    r = solve_scenario(model, scenario, solver="cbc", time_limit=3)
    assert r.status is Status.TIME_LIMIT and r.solved and not r.proven_optimal
    assert r.message.startswith("Time limit (3 s): best plan found, not proven optimal")
    assert r.totals.new_fte == round(r.totals.new_fte)
    assert cbc_processes() == []

"""The same Monte Carlo run on a Dask cluster (two worker processes on loopback, started
here) gives exactly the figures of the run in this process."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from distributed import LocalCluster

from capacity_planner.analysis.compare import compare
from capacity_planner.analysis.executor import ExecutionError, ExecutorSettings
from capacity_planner.analysis.montecarlo import MonteCarloSpec, run_montecarlo
from capacity_planner.cli import main
from capacity_planner.io.writer import save_model
from test_analysis_runs import SCENARIOS, model


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1",
                      dashboard_address=None) as c:
        yield c


def test_dask_run_equals_the_local_run(cluster: LocalCluster) -> None:
    m = model(14_000, 1_000)
    spec = MonteCarloSpec(draws=8, seed=5, cv=0.15, chain=3)
    seen: list[float] = []
    remote = run_montecarlo(m, spec, settings=ExecutorSettings(
        scheduler=cluster.scheduler_address), progress=lambda f, _m: seen.append(f))
    local = run_montecarlo(m, spec, settings=ExecutorSettings(workers=1))
    assert remote.outcomes == local.outcomes
    assert remote.forecast == local.forecast
    assert remote.draws.equals(local.draws) and remote.bands.equals(local.bands)
    assert remote.service.equals(local.service)
    assert seen[0] == 0.0 and seen[-1] == 1.0 and len(seen) == 5  # start, 4 chains


def test_dask_comparison_equals_the_local_one(cluster: LocalCluster) -> None:
    m = model(8_000, 6_000, *SCENARIOS)
    remote = compare(m, settings=ExecutorSettings(scheduler=cluster.scheduler_address))
    local = compare(m, settings=ExecutorSettings(workers=1))
    assert remote.outcomes == local.outcomes
    assert remote.totals.equals(local.totals)


def test_an_unreachable_scheduler_is_a_plain_error() -> None:
    with pytest.raises(ExecutionError, match="Cannot reach the Dask scheduler"):
        compare(model(), settings=ExecutorSettings(scheduler="tcp://127.0.0.1:9",
                                                 connect_timeout_s=1))


def test_montecarlo_command_with_a_scheduler(cluster: LocalCluster, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "model.xlsx"
    save_model(model(14_000, 1_000), path)
    args = ["montecarlo", str(path), "--draws", "4", "--seed", "2", "--json"]
    assert main([*args, "--scheduler", cluster.scheduler_address]) == 0
    remote = json.loads(capsys.readouterr().out)
    assert main([*args, "--workers", "1"]) == 0
    assert json.loads(capsys.readouterr().out) == remote

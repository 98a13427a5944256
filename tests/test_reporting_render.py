"""Chart images of the results workbook drawn by a process pool are the images drawn
here (reporting/render.py), in the same places."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from capacity_planner.domain.entities import (
    DemandRow,
    EstablishmentRow,
    Role,
    ScenarioRow,
    Skill,
    Stream,
    Unit,
)
from capacity_planner.domain.model import PlanningModel
from capacity_planner.optimise import solve_all
from capacity_planner.reporting.render import MIN_POOL_JOBS, workers_for
from capacity_planner.reporting.workbook import write_results


def small_model() -> PlanningModel:
    return PlanningModel(
        units=(Unit("U", "Unit"),),
        roles=(Role("DC", 50_000, 1_000, overtime_cap_pct=10),
               Role("AN", 40_000, 1_200)),
        establishment=(EstablishmentRow("U", "DC", 6, 5), EstablishmentRow("U", "AN", 2, 2)),
        streams=(Stream("HIGH", weight=3), Stream("LOW")),
        skills=(Skill("DC", "HIGH"), Skill("DC", "LOW"), Skill("AN", "LOW")),
        demand=(DemandRow("U", "HIGH", "Y1", 4_000), DemandRow("U", "LOW", "Y1", 4_000)),
        scenarios=(ScenarioRow("Busy", "demand_change_pct", 25),))


def images(path: Path) -> list[bytes]:
    with zipfile.ZipFile(path) as z:
        names = sorted(n for n in z.namelist() if n.startswith("xl/media/"))
        return [z.read(n) for n in names]


def test_pool_and_here_draw_the_same_images(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Two scenarios: the comparison chart and six charts each, 13 images (a pool is
    started from 8). Both workbooks hold the same 13 PNGs in the same order."""
    model = small_model()
    results = solve_all(model)
    monkeypatch.setenv("CAPACITY_PLANNER_CHART_WORKERS", "2")
    assert workers_for(13) == 2 and workers_for(MIN_POOL_JOBS - 1) == 1
    write_results(results, tmp_path / "pool.xlsx", model=model)
    monkeypatch.setenv("CAPACITY_PLANNER_CHART_WORKERS", "1")
    assert workers_for(13) == 1
    write_results(results, tmp_path / "here.xlsx", model=model)
    pooled, here = images(tmp_path / "pool.xlsx"), images(tmp_path / "here.xlsx")
    assert len(here) == 13 and all(png.startswith(b"\x89PNG") for png in here)
    assert pooled == here

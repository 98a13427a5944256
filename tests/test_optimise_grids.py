"""The array forms of the supply rules (optimise/grids.py) against the scalar rules of
domain/supply.py they restate, and the numpy join against a plain double loop."""

from __future__ import annotations

import numpy as np
import pytest

from capacity_planner.domain.entities import EstablishmentRow, Period, Role, Unit
from capacity_planner.domain.model import PlanningModel
from capacity_planner.domain.scenario import ScenarioSettings
from capacity_planner.domain.supply import (
    existing_effective_fte,
    hire_effective_fte,
    period_starts,
    phase,
    survival,
)
from capacity_planner.optimise.grids import hire_grids, join, phase_grid, survival_grid
from capacity_planner.optimise.index import build_index

MONTHS = [3.0, 3.0, 6.0, 12.0, 0.0, 12.0]
ROLES = (
    Role("A", 50_000, 1_500, training_months=7, trainee_effectiveness=0.25,
         attrition_pct=12),
    Role("B", 40_000, 1_600, training_months=0, trainee_effectiveness=0.5, attrition_pct=0),
    Role("C", 60_000, 1_400, training_months=30, trainee_effectiveness=0.0,
         attrition_pct=100),
)


def test_survival_and_phase_grids_equal_the_scalar_rules() -> None:
    starts = np.array(period_starts(MONTHS))
    grid = survival_grid(np.array([r.attrition_pct for r in ROLES]), starts)
    for r, role in enumerate(ROLES):
        for t, s in enumerate(starts):
            assert grid[r, t] == survival(role.attrition_pct, s)
    months = np.array(MONTHS)
    for length in (0.0, 2.0, 5.0, 40.0):
        for origin in (0.0, 3.0, 10.0):
            got = phase_grid(np.array(length), np.array(origin), starts, months,
                             np.array(0.3))
            want = [phase(length, origin, s, m, 0.3) for s, m in zip(starts, MONTHS,
                                                                  strict=True)]
            assert got.tolist() == pytest.approx(want, abs=0, rel=1e-15)


def test_hire_grids_equal_hire_effective_fte() -> None:
    """A joiner from tau counts 0 before tau; after, (survive_t / survive_tau) * phase.
    Role C's attrition of 100 % leaves nobody after the start: its grid is 0, not NaN."""
    starts = np.array(period_starts(MONTHS))
    eff, keep = hire_grids(np.array([r.attrition_pct for r in ROLES]),
                           np.array([r.training_months for r in ROLES]),
                           np.array([r.trainee_effectiveness for r in ROLES]),
                           np.array(MONTHS), starts)
    assert np.isfinite(eff).all() and np.isfinite(keep).all()
    for r, role in enumerate(ROLES[:2]):
        for tau in range(len(MONTHS)):
            for t in range(len(MONTHS)):
                assert eff[r, tau, t] == pytest.approx(
                    hire_effective_fte(role, MONTHS, tau, t), rel=1e-15, abs=0)
    assert keep[0, 2, 1] == 0.0 and keep[0, 1, 1] == 1.0


def test_index_supply_grids_equal_existing_effective_fte() -> None:
    est = (EstablishmentRow("U", "A", 10, 9, in_training_fte=2, absent_fte=1,
                            abstraction_pct=20, training_months_left=4),
           EstablishmentRow("U", "B", 5, 5))
    periods = tuple(Period(f"P{k}", m) for k, m in enumerate(MONTHS) if m > 0)
    model = PlanningModel(units=(Unit("U"),), roles=ROLES[:2], establishment=est,
                          periods=periods)
    ix = build_index(model, ScenarioSettings())
    months = [p.months for p in periods]
    for e, row in enumerate(est):
        role = ROLES[e]
        want = existing_effective_fte(row, role, model.training_months_left(row), months)
        assert ix.eff0[e].tolist() == pytest.approx(want, rel=1e-15, abs=0)
        assert ix.hf[e].tolist() == pytest.approx(
            [role.hours_per_fte * m / 12 * (1 - row.abstraction_pct / 100) for m in months],
            rel=1e-15)


def test_join_lists_every_matching_pair_in_order() -> None:
    left = np.array([3, 1, 3, 7, 1])
    right = np.array([1, 3, 3, 9, 1])
    li, ri = join(left, right)
    want = [(i, j) for i, a in enumerate(left) for j, b in enumerate(right) if a == b]
    assert list(zip(li.tolist(), ri.tolist(), strict=True)) == want
    empty = join(np.zeros(0, dtype=np.int64), right)
    assert len(empty[0]) == len(empty[1]) == 0

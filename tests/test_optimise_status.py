"""What a user sees when a solve does not simply succeed: cancel, time limit, a refused
plan; and the alternative solver, names, progress and every scenario in turn."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
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
from capacity_planner.domain.scenario import apply_scenario
from capacity_planner.io.samples import south_east_model
from capacity_planner.optimise import Status, solve_all, solve_scenario
from capacity_planner.optimise.build import build_program
from capacity_planner.optimise.check import check_solution
from capacity_planner.optimise.index import build_index
from capacity_planner.optimise.pulp_model import to_pulp
from capacity_planner.optimise.solvers import HighsSession, RunStatus


def tiny(**more: object) -> PlanningModel:
    return PlanningModel(
        units=(Unit("U"),), roles=(Role("DC", 60_000, 1_500, training_months=12),),
        establishment=(EstablishmentRow("U", "DC", 10, 10, in_training_fte=2,
                                        abstraction_pct=20),),
        streams=(Stream("SOC"),), skills=(Skill("DC", "SOC"),),
        demand=(DemandRow("U", "SOC", "Y1", 15_000),), **more)


def test_cancel_interrupts_the_solver() -> None:
    """should_cancel is asked once before the build (False) and then from inside HiGHS's
    first callback (True): the solver stops mid-solve and the user sees 'cancelled'."""
    calls: list[int] = []

    def should_cancel() -> bool:
        calls.append(1)
        return len(calls) > 1

    r = solve_scenario(south_east_model(), should_cancel=should_cancel)
    assert r.status is Status.CANCELLED and not r.solved
    assert len(calls) == 2  # the second call came from the solver's callback
    assert r.message == "Cancelled: the solve was stopped before it finished; no plan."
    assert r.to_json()["status"] == "cancelled"
    assert r.coverage.empty


def test_cancel_before_the_solve_starts() -> None:
    """A cancel that is already pending stops before any building or solving."""
    r = solve_scenario(tiny(), should_cancel=lambda: True)
    assert r.status is Status.CANCELLED and r.solver.solve_s == 0.0


def test_time_limited_milp_keeps_its_best_plan_marked_not_proven() -> None:
    """Whole posts under a £3m budget across the South East is a MILP HiGHS cannot prove
    in 3 seconds (it runs for minutes). The best plan found is returned as time_limit,
    not proven optimal, with the gap in the message and the explanation."""
    m = south_east_model()
    m = replace(m, scenarios=m.scenarios + (ScenarioRow("Whole", "whole_posts", 1),
                                            ScenarioRow("Whole", "budget_gbp", 3_000_000)))
    r = solve_scenario(m, "Whole", time_limit=3)
    assert r.status is Status.TIME_LIMIT and r.solved and not r.proven_optimal
    assert r.message.startswith("Time limit (3 s): best plan found, not proven optimal")
    assert r.explanation[0].startswith("Stopped at the time limit while maximising "
                                       "coverage: this plan is feasible but not proven "
                                       "optimal")
    assert len(r.coverage) == len(m.demand)
    assert r.totals.new_fte == round(r.totals.new_fte)  # whole posts
    assert r.to_json()["status"] == "time_limit"


def test_residual_check_refuses_a_tampered_plan() -> None:
    """The tiny case's plan passes the check; 100 more hours of DC time than exist breaks
    the capacity row, named in the user's words."""
    model, settings = apply_scenario(tiny(), "Baseline")
    ix = build_index(model, settings)
    program, cols = build_program(ix, soft_service=True)
    out = HighsSession(program, program.objectives["weighted"]).run(None)
    assert out.status is RunStatus.OPTIMAL and out.values is not None
    assert check_solution(program, out.values) == []
    tampered = out.values.copy()
    tampered[cols.x] += 100
    problems = check_solution(program, tampered)
    assert [p.name for p in problems] == ["capacity_0", "demand_0"]
    assert str(problems[0]) == "hours of DC at U in Y1 within those available is broken by 100"
    negative = out.values.copy()
    negative[cols.short] = -5
    assert any(p.kind == "bound" for p in check_solution(program, negative))


def test_cbc_gives_the_same_plan() -> None:
    """CBC through PuLP's COIN_CMD reproduces the tiny case and the whole-posts bid."""
    r = solve_scenario(tiny(), solver="cbc")
    assert r.status is Status.OPTIMAL and r.solver.name == "cbc"
    assert (r.totals.unmet_hours, r.totals.coverage_pct) == (4_200, 72.0)
    assert r.workforce.marginal_value_per_fte.iloc[0] == pytest.approx(1_200)
    bid = PlanningModel(
        units=(Unit("U"),),
        roles=(Role("DC", 50_000, 1_000, training_months=4, trainee_effectiveness=0.5),),
        establishment=(EstablishmentRow("U", "DC", 0, 0),), streams=(Stream("SOC"),),
        skills=(Skill("DC", "SOC"),),
        demand=(DemandRow("U", "SOC", "Y1", 1_500, min_service_pct=100),),
        scenarios=(ScenarioRow("S", "objective", "min_cost"),
                   ScenarioRow("S", "whole_posts", 1)))
    r = solve_scenario(bid, "S", solver="cbc")
    assert r.status is Status.OPTIMAL and r.totals.new_fte == 2
    assert r.totals.cost_gbp == pytest.approx(100_000)


def test_ids_that_pulp_would_sanitise_alike_do_not_collide() -> None:
    """Units 'A B' and 'A_B' and roles 'DC-1' and 'DC_1' would all be the same PuLP name
    if names were built from IDs. Names are index-based, so the problem has no
    duplicates and the plan maps back: A B's 1,000 hours stay at A B."""
    m = PlanningModel(
        units=(Unit("A B"), Unit("A_B")),
        roles=(Role("DC-1", 50_000, 1_000), Role("DC_1", 50_000, 1_000)),
        establishment=(EstablishmentRow("A B", "DC-1", 1, 1),
                       EstablishmentRow("A_B", "DC_1", 2, 2)),
        streams=(Stream("SOC"),), skills=(Skill("DC-1", "SOC"), Skill("DC_1", "SOC")),
        demand=(DemandRow("A B", "SOC", "Y1", 1_500), DemandRow("A_B", "SOC", "Y1", 1_500)))
    model, settings = apply_scenario(m, "Baseline")
    program, _ = build_program(build_index(model, settings), soft_service=True)
    lp, _, _ = to_pulp(program, program.objectives["weighted"])
    lp.checkDuplicateVars()
    lp.checkDuplicateConstraints()
    r = solve_scenario(m, solver="cbc")
    cov = r.coverage.set_index("unit")
    assert cov.loc["A B", "unmet_hours"] == pytest.approx(500)
    assert cov.loc["A_B", "unmet_hours"] == 0
    assert set(r.allocation.role) == {"DC-1", "DC_1"}


def test_progress_rises_to_done() -> None:
    seen: list[tuple[float, str]] = []
    solve_scenario(tiny(), progress=lambda f, msg: seen.append((f, msg)))
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert seen[0][1] == "Building the model" and seen[-1][1] == "Done"


def test_solve_all_and_the_baseline_untouched() -> None:
    """Every scenario in order, Baseline first; solving them leaves the model as it was."""
    m = tiny(scenarios=(ScenarioRow("Up", "demand_change_pct", 20),))
    before = replace(m)
    results = solve_all(m)
    assert [r.scenario for r in results] == ["Baseline", "Up"]
    assert results[1].totals.demand_hours == pytest.approx(18_000)
    assert results[1].totals.unmet_hours == pytest.approx(7_200)
    assert m == before and m.demand[0].hours == 15_000
    assert solve_scenario(m).totals == results[0].totals


def test_bad_requests_are_errors_not_tracebacks() -> None:
    r = solve_scenario(tiny(), "Nope")
    assert r.status is Status.ERROR and r.message == "There is no scenario named 'Nope'."
    r = solve_scenario(tiny(), solver="gurobi")
    assert r.status is Status.ERROR and "choose highs or cbc" in r.message


def test_whole_posts_values_are_integers_in_the_program() -> None:
    """whole_posts makes fill and grow integer columns (a MILP)."""
    m = tiny(scenarios=(ScenarioRow("W", "whole_posts", 1), ScenarioRow("W", "budget_gbp", 1),
                        ScenarioRow("W", "recruit_fte_max", 1)))
    model, settings = apply_scenario(m, "W")
    program, _ = build_program(build_index(model, settings), soft_service=True)
    grow = program.block("grow")
    assert program.is_mip and np.all(program.integer[grow])
    assert not program.integer[program.block("x")].any()

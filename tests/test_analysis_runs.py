"""Comparison, sweeps and Monte Carlo against direct solves with the real engine.

The model: one unit A with one role DC (1,500 hours per FTE, 10 in post, abstraction
20 %, so 10 * 1,500 * 0.8 = 12,000 hours a year), two 12-month periods and two streams:
FIN (minimum service 80 %, weight 1) and DRUGS (weight 2). With no hiring the plan only
shares out the 12,000 hours, so every figure can be worked out by hand.
"""

from __future__ import annotations

import multiprocessing

import numpy as np
import pytest

from capacity_planner.analysis.compare import compare
from capacity_planner.analysis.executor import Cancelled, ExecutorSettings
from capacity_planner.analysis.montecarlo import (
    MonteCarloSpec,
    chains,
    draw_factors,
    run_montecarlo,
)
from capacity_planner.analysis.sweep import Axis, SweepSpec, run_sweep
from capacity_planner.analysis.variants import summarise
from capacity_planner.domain.entities import (
    DemandRow,
    EstablishmentRow,
    Period,
    Role,
    ScenarioRow,
    Skill,
    Stream,
    Unit,
)
from capacity_planner.domain.model import PlanningModel
from capacity_planner.optimise import solve_scenario

HERE = ExecutorSettings(workers=1)


def model(fin: float = 8_000, drugs: float = 6_000, *scenarios: ScenarioRow) -> PlanningModel:
    return PlanningModel(
        units=(Unit("A"),),
        roles=(Role("DC", 60_000, 1_500),),
        establishment=(EstablishmentRow("A", "DC", 10, 10, abstraction_pct=20),),
        streams=(Stream("FIN", min_service_pct=80), Stream("DRUGS", weight=2)),
        demand=tuple(DemandRow("A", s, p, h) for p in ("Y1", "Y2")
                     for s, h in (("FIN", fin), ("DRUGS", drugs))),
        skills=(Skill("DC", "FIN"), Skill("DC", "DRUGS")),
        periods=(Period("Y1", 12), Period("Y2", 12)),
        scenarios=scenarios)


SCENARIOS = (ScenarioRow("Up", "demand_change_pct", 10),
             ScenarioRow("Thin", "abstraction_pct", 30))


def test_comparison_equals_the_individual_solves() -> None:
    """Baseline: 14,000 hours of demand a year against 12,000 available, so 2,000 unmet a
    year, 4,000 in all; FIN gets its minimum (6,400 of 8,000) and DRUGS the rest (5,600 of
    6,000): weighted unmet 2 * (1,600 + 2 * 400) = 4,800. Up (+10 %): 15,400 a year, 3,400
    unmet, 6,800 in all. Thin (30 %): 10,500 hours, 3,500 unmet, 7,000 in all."""
    m = model(8_000, 6_000, *SCENARIOS)
    c = compare(m, None, settings=HERE)
    assert list(c.totals["scenario"]) == ["Baseline", "Up", "Thin"]
    assert list(c.totals["unmet_hours"]) == pytest.approx([4_000, 6_800, 7_000])
    assert c.totals["weighted_unmet"].iloc[0] == pytest.approx(4_800)
    assert list(c.differences["unmet_hours_vs_baseline"]) == pytest.approx([0, 2_800, 3_000])
    for name, outcome in zip(["Baseline", "Up", "Thin"], c.outcomes, strict=True):
        direct = solve_scenario(m, name)
        assert outcome == summarise(direct, m, name=name)
        row = c.totals[c.totals["scenario"] == name].iloc[0]
        for key in ("demand_hours", "unmet_hours", "coverage_pct", "cost_gbp"):
            assert row[key] == getattr(direct.totals, key)
        fin = c.streams[(c.streams["scenario"] == name) & (c.streams["stream"] == "FIN")]
        mine = direct.coverage[direct.coverage["stream"] == "FIN"]
        assert fin["unmet_hours"].iloc[0] == pytest.approx(mine["unmet_hours"].sum())
    # Deployed cost of DRUGS in the Baseline: 2 * 5,600 hours at 60,000 / 1,500 = 40 GBP.
    drugs = c.streams[(c.streams["scenario"] == "Baseline") & (c.streams["stream"] == "DRUGS")]
    assert drugs["deployed_cost_gbp"].iloc[0] == pytest.approx(2 * 5_600 * 40)


def test_compare_a_chosen_scenario_keeps_the_baseline_first() -> None:
    c = compare(model(8_000, 6_000, *SCENARIOS), ["thin"], settings=HERE)
    assert list(c.totals["scenario"]) == ["Baseline", "Thin"]


def test_sweep_point_equals_a_direct_solve_of_the_same_scenario_row() -> None:
    """FIN demand +25 %: 10,000 + 6,000 = 16,000 a year against 12,000, 4,000 unmet; FIN
    minimum 8,000, so DRUGS gets 4,000: weighted 2 * (2,000 + 2 * 2,000) = 12,000."""
    base = model(8_000, 6_000, *SCENARIOS)
    spec = SweepSpec((Axis("demand_change_pct", (-25.0, 0.0, 25.0), {"stream_id": "FIN"}),))
    sweep = run_sweep(base, spec, settings=HERE)
    assert list(sweep.table["demand_change_pct"]) == [-25, 0, 25]
    assert list(sweep.table["unmet_hours"]) == pytest.approx([0, 4_000, 8_000])
    assert sweep.table["weighted_unmet"].iloc[2] == pytest.approx(12_000)
    typed = model(8_000, 6_000, ScenarioRow("FIN up", "demand_change_pct", 25,
                                            stream_id="FIN"))
    direct = solve_scenario(typed, "FIN up")
    assert sweep.outcomes[2] == summarise(direct, typed, name=sweep.outcomes[2].name)


def test_sweep_on_top_of_a_scenario_and_over_two_parameters() -> None:
    """Thin (abstraction 30 %) then abstraction swept: the swept value replaces the
    scenario's. At 0 % abstraction 15,000 hours meet all 14,000 (+0 %) but not 15,400
    (+10 %: 400 unmet a year, 800 in all)."""
    base = model(8_000, 6_000, *SCENARIOS)
    spec = SweepSpec((Axis("abstraction_pct", (0.0, 30.0)),
                      Axis("demand_change_pct", (0.0, 10.0))), scenario="Thin")
    sweep = run_sweep(base, spec, settings=HERE)
    assert [tuple(r) for r in sweep.table[["abstraction_pct", "demand_change_pct"]].values
            ] == [(0, 0), (0, 10), (30, 0), (30, 10)]
    assert list(sweep.table["unmet_hours"]) == pytest.approx([0, 800, 7_000, 9_800])
    assert set(sweep.streams["stream"]) == {"FIN", "DRUGS"}


def test_monte_carlo_with_no_variation_equals_the_deterministic_solve() -> None:
    m = model(8_000, 6_000, *SCENARIOS)
    mc = run_montecarlo(m, MonteCarloSpec(draws=3, seed=1, cv=0.0, scenario="Up"),
                        settings=HERE)
    direct = summarise(solve_scenario(m, "Up"), m, name="x")
    assert mc.forecast.totals == direct.totals
    for o in mc.outcomes:
        assert o.totals == pytest.approx(direct.totals)
        assert o.breaches == direct.breaches
    bands = mc.bands.set_index(["metric", "period"])
    assert bands.loc[("unmet_hours", "All"), "p90"] == pytest.approx(6_800)


def test_monte_carlo_figures_match_the_draws_worked_by_hand() -> None:
    """FIN 14,000 and DRUGS 1,000 a year against 12,000 hours. In a period the FIN
    minimum (80 % of 14,000 f = 11,200 f) is met when 11,200 f <= 12,000, f <= 1.0714;
    unmet demand is max(0, 14,000 f_FIN + 1,000 f_DRUGS - 12,000) per period, since the one
    role can do either. Both worked out from the drawn factors and compared."""
    m = model(14_000, 1_000)
    spec = MonteCarloSpec(draws=40, seed=11, cv=0.1)
    mc = run_montecarlo(m, spec, settings=HERE)
    f = draw_factors(m, spec)  # (draws, [FIN, DRUGS], [Y1, Y2])
    met = np.all(11_200 * f[:, 0, :] <= 12_000 + 1e-6, axis=1)
    service = mc.service.set_index(["unit", "stream"])
    assert service.loc[("A", "FIN"), "met"] == met.sum()
    assert service.loc[("A", "FIN"), "min_service_pct"] == 80
    assert list(service.index) == [("A", "FIN"), ("All", "FIN"), ("All", "All")]
    assert 0 < met.sum() < 40
    unmet = np.maximum(0, 14_000 * f[:, 0, :] + 1_000 * f[:, 1, :] - 12_000).sum(axis=1)
    assert list(mc.draws["unmet_hours"]) == pytest.approx(list(unmet), abs=1e-4)
    bands = mc.bands.set_index(["metric", "period"])
    assert bands.loc[("unmet_hours", "All"), ["p10", "p50", "p90"]].tolist() == pytest.approx(
        list(np.percentile(unmet, [10, 50, 90])), abs=1e-4)


def test_one_seed_gives_the_same_run_with_one_or_two_workers() -> None:
    m = model(14_000, 1_000)
    spec = MonteCarloSpec(draws=6, seed=7, cv=0.2, chain=2)
    first = run_montecarlo(m, spec, settings=HERE)
    again = run_montecarlo(m, spec, settings=HERE)
    pooled = run_montecarlo(m, spec, settings=ExecutorSettings(workers=2))
    assert first.outcomes == again.outcomes == pooled.outcomes
    assert first.draws.equals(pooled.draws) and first.bands.equals(pooled.bands)
    assert first.service.equals(pooled.service)
    other = run_montecarlo(m, MonteCarloSpec(draws=6, seed=8, cv=0.2), settings=HERE)
    assert other.outcomes != first.outcomes


def test_cancel_stops_the_run_and_progress_is_reported() -> None:
    seen: list[tuple[float, str]] = []
    with pytest.raises(Cancelled) as stopped:
        run_montecarlo(model(), MonteCarloSpec(draws=20, seed=1, chain=1), settings=HERE,
                       progress=lambda f, msg: seen.append((f, msg)),
                       should_cancel=lambda: len(seen) > 3)
    assert seen[0] == (0.0, "Starting 21 solves on 1 process")
    assert seen[1][0] == pytest.approx(1 / 21) and seen[1][1].startswith("1 of 21 solves done")
    assert sum(o is not None for o in stopped.value.done) == 3


def test_default_settings_keep_a_short_run_in_this_process() -> None:
    """Every core by default, but three tiny solves (milliseconds each) never repay
    starting a process pool: the first is timed and the rest stay here."""
    seen: list[str] = []
    m = model(8_000, 6_000, *SCENARIOS)
    c = compare(m, progress=lambda _f, msg: seen.append(msg))
    assert seen[0].startswith("Starting 3 scenarios on ")
    assert not any("local processes" in s for s in seen[1:])
    assert c.outcomes == compare(m, settings=HERE).outcomes


def test_infeasible_draws_count_as_minimums_not_met() -> None:
    """Under min_cost with no new posts (Strict) a draw has a plan only if the FIN minimum,
    11,200 f hours, fits in 12,000 in both periods: the same draws as met by hand above.
    The draws with no plan are findings, not failures, and have no unmet figure."""
    m = model(14_000, 1_000, ScenarioRow("Strict", "objective", "min_cost"),
              ScenarioRow("Strict", "max_new_fte", 0))
    spec = MonteCarloSpec(draws=12, seed=11, cv=0.1, scenario="Strict")
    mc = run_montecarlo(m, spec, settings=HERE)
    f = draw_factors(m, spec)
    feasible = np.all(11_200 * f[:, 0, :] <= 12_000 + 1e-6, axis=1)
    assert 0 < feasible.sum() < 12
    assert [o.status for o in mc.outcomes] == [
        "optimal" if ok else "infeasible" for ok in feasible]
    assert mc.failed == []
    service = mc.service.set_index(["unit", "stream"])
    assert service.loc[("A", "FIN"), "met"] == feasible.sum()
    assert mc.draws["unmet_hours"].isna().tolist() == list(~feasible)


def test_cancel_stops_a_process_pool_run() -> None:
    """Cancelled after the first chain comes back: the running ones are stopped, the
    finished one is kept, and the pool closes cleanly (no warning, no stray process)."""
    seen: list[float] = []
    spec = MonteCarloSpec(draws=40, seed=3, chain=2)
    with pytest.raises(Cancelled) as stopped:
        run_montecarlo(model(), spec, settings=ExecutorSettings(workers=2),
                       progress=lambda f, _m: seen.append(f),
                       should_cancel=lambda: len(seen) > 1)
    kept = sum(o is not None for o in stopped.value.done)
    assert 1 <= kept < 41
    assert multiprocessing.active_children() == [] or all(
        not p.is_alive() for p in multiprocessing.active_children())


def test_chains_are_fixed_by_the_spec() -> None:
    """The forecast alone, then draws in runs of the chain length, whatever the workers."""
    assert chains(5, 2) == [[0], [1, 2], [3, 4], [5]]
    assert chains(3, 1) == [[0], [1], [2], [3]]
    assert chains(3, 20) == [[0], [1, 2, 3]]

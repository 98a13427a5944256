"""Monte Carlo: how robust is the plan if demand is uncertain? (DESIGN question 4)

Each draw multiplies every stream's demand in every period by a factor from the stream's
distribution (``uncertainty.py``; one factor per stream and period, shared by all units,
as a regional surge in, say, county lines work hits every force at once) and solves the
scenario again. The factors of draw ``i`` come from its own generator, seeded by child
``i`` of ``SeedSequence(seed)``, and draws are re-solved in fixed chains (``chains``): a
run is reproducible from its seed and chain length, and draw ``i`` is the same whichever
worker solves it and however many draws the run has.

The answer: the probability that each minimum service level is met, P10/P50/P90 of unmet
demand and of the bid's cost (per period, for the fan chart, and in total).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from capacity_planner.analysis.executor import (
    ALL_CORES,
    ExecutorSettings,
    Progress,
    ShouldCancel,
    run_variants,
)
from capacity_planner.analysis.uncertainty import StreamUncertainty
from capacity_planner.analysis.variants import (
    DEFAULT_OPTIONS,
    Outcome,
    SolveOptions,
    Variant,
)
from capacity_planner.domain.ids import id_key
from capacity_planner.domain.model import BASELINE, PlanningModel
from capacity_planner.domain.scenario import apply_scenario

PERCENTILES = (10, 50, 90)
ALL = "All"  # the label of totals over periods or units
DRAW_COLUMNS = ("draw", "status", "demand_hours", "unmet_hours", "weighted_unmet",
                "coverage_pct", "cost_gbp", "new_fte", "recruited_fte", "minimums_met")
BAND_COLUMNS = ("metric", "period", "p10", "p50", "p90", "mean", "forecast")
SERVICE_COLUMNS = ("unit", "stream", "min_service_pct", "draws", "met", "probability_pct")


@dataclass(frozen=True)
class MonteCarloSpec:
    draws: int = 1000
    seed: int = 0
    cv: float = 0.15  # fraction; the distribution of streams without their own
    scenario: str = BASELINE
    uncertainty: tuple[StreamUncertainty, ...] = ()
    # Draws solved one after another from a loaded programme (see run_montecarlo); 1 solves
    # every draw afresh. Part of what makes a run reproducible, with the seed.
    chain: int = 20


@dataclass
class MonteCarloResult:
    spec: MonteCarloSpec
    forecast: Outcome  # the scenario solved with the forecast demand
    outcomes: list[Outcome]  # one per draw, in draw order
    draws: pd.DataFrame  # DRAW_COLUMNS
    bands: pd.DataFrame  # BAND_COLUMNS: unmet_hours and cost_gbp, per period and ALL
    service: pd.DataFrame  # SERVICE_COLUMNS: per unit and stream, and per stream over ALL
    distributions: dict[str, str]  # stream -> description

    @property
    def failed(self) -> list[Outcome]:
        """Draws with no plan at all (error, cancelled); infeasible draws are a finding."""
        return [o for o in self.outcomes if not o.solved and o.status != "infeasible"]


def stream_distributions(model: PlanningModel, spec: MonteCarloSpec
                         ) -> list[StreamUncertainty]:
    """The distribution of each stream with demand, in model order: its Uncertainty row,
    or else normal with the run's CV."""
    own = {id_key(u.stream_id): u for u in spec.uncertainty}
    with_demand = {id_key(d.stream_id) for d in model.demand}
    return [own.get(id_key(s.stream_id),
                    StreamUncertainty(s.stream_id, "normal", cv_pct=spec.cv * 100))
            for s in model.streams if id_key(s.stream_id) in with_demand]


def draw_factors(model: PlanningModel, spec: MonteCarloSpec) -> np.ndarray:
    """Demand multipliers, shape (draws, streams, periods)."""
    dists = stream_distributions(model, spec)
    n_periods = len(model.plan_periods)
    out = np.ones((spec.draws, len(dists), n_periods))
    for i, child in enumerate(np.random.SeedSequence(spec.seed).spawn(spec.draws)):
        rng = np.random.default_rng(child)
        for j, dist in enumerate(dists):
            out[i, j] = dist.factors(rng, n_periods)
    return out


def draw_variants(model: PlanningModel, spec: MonteCarloSpec,
                  factors: np.ndarray) -> list[Variant]:
    dists = stream_distributions(model, spec)
    periods = model.plan_periods
    return [Variant(f"draw {i + 1}", spec.scenario, demand_scale=tuple(
                (dist.stream_id, period.period, float(factors[i, j, k]))
                for j, dist in enumerate(dists) for k, period in enumerate(periods)))
            for i in range(factors.shape[0])]


def chains(draws: int, length: int) -> list[list[int]]:
    """The forecast (index 0) alone, then draws 1.. in consecutive runs of ``length``.

    A chain re-solves each draw from the previous draw's loaded programme and basis,
    about a third faster than solving afresh. Where the optimum is not unique (several
    plans with the same weighted unmet demand and cost) the plan found depends on that
    starting point, so the chains are fixed here, by the spec alone: draw i's figures never
    depend on how many workers there are or which of them solved it."""
    step = max(1, length)
    return [[0]] + [list(range(i, min(i + step, draws + 1)))
                    for i in range(1, draws + 1, step)]


def run_montecarlo(model: PlanningModel, spec: MonteCarloSpec,
                   options: SolveOptions = DEFAULT_OPTIONS,
                   settings: ExecutorSettings = ALL_CORES, *,
                   progress: Progress | None = None,
                   should_cancel: ShouldCancel | None = None) -> MonteCarloResult:
    """Solve the forecast and ``spec.draws`` draws. Raises ``executor.Cancelled``."""
    variants = [Variant(spec.scenario, spec.scenario)]
    variants += draw_variants(model, spec, draw_factors(model, spec))
    outcomes = run_variants(model, variants, options, settings, progress=progress,
                            should_cancel=should_cancel, noun="solves",
                            chains=chains(spec.draws, spec.chain))
    forecast, draws = outcomes[0], outcomes[1:]
    scenario_model, _ = apply_scenario(model, spec.scenario)
    return MonteCarloResult(
        spec=spec, forecast=forecast, outcomes=draws, draws=_draw_table(draws),
        bands=_bands(draws, forecast, [p.period for p in model.plan_periods]),
        service=_service(draws, forecast, scenario_model),
        distributions={d.stream_id: d.describe() for d in stream_distributions(model, spec)})


def _draw_table(outcomes: Sequence[Outcome]) -> pd.DataFrame:
    rows = []
    for i, o in enumerate(outcomes, start=1):
        rows.append((i, o.status, o.total("demand_hours"), o.total("unmet_hours"),
                     o.total("weighted_unmet"), o.total("coverage_pct"), o.total("cost_gbp"),
                     o.total("new_fte"), o.total("recruited_fte"),
                     bool(o.solved and not o.breaches)))
    return pd.DataFrame(rows, columns=list(DRAW_COLUMNS))


def _bands(outcomes: Sequence[Outcome], forecast: Outcome, periods: list[str]
           ) -> pd.DataFrame:
    solved = [o for o in outcomes if o.solved]
    rows: list[tuple[str, str, float, float, float, float, float]] = []
    for metric, total_key in (("unmet_hours", "unmet_hours"), ("cost_gbp", "cost_gbp")):
        for period in [*periods, ALL]:
            values = np.array([_value(o, metric, total_key, period) for o in solved])
            base = _value(forecast, metric, total_key, period)
            if len(values):
                p10, p50, p90 = (float(v) for v in np.percentile(values, PERCENTILES))
                rows.append((metric, period, p10, p50, p90, float(values.mean()), base))
            else:
                rows.append((metric, period, np.nan, np.nan, np.nan, np.nan, base))
    return pd.DataFrame(rows, columns=list(BAND_COLUMNS))


def _value(o: Outcome, metric: str, total_key: str, period: str) -> float:
    if period == ALL:
        return o.total(total_key)
    for p in o.periods:
        if id_key(p.period) == id_key(period):
            return p.unmet_hours if metric == "unmet_hours" else p.cost_gbp
    return float("nan")


def _service(outcomes: Sequence[Outcome], forecast: Outcome, model: PlanningModel
             ) -> pd.DataFrame:
    """Per (unit, stream) with a minimum, in the model's order: in how many draws is it
    met in every period? A draw with no plan (infeasible under ``min_cost``) meets none of
    the minimums it was asked to meet. ``model`` is the scenario's (its minimums)."""
    found = set(forecast.minimums)
    for o in outcomes:
        found.update(o.minimums)
    level: dict[tuple[str, str], float] = {}
    for d in model.demand:
        key = (id_key(d.unit_id), id_key(d.stream_id))
        level[key] = max(level.get(key, 0.0), model.demand_min_service(d))
    unit_rank = {id_key(u.unit_id): i for i, u in enumerate(model.units)}
    stream_rank = {id_key(s.stream_id): i for i, s in enumerate(model.streams)}
    pairs = sorted(found, key=lambda p: (stream_rank.get(id_key(p[1]), len(stream_rank)),
                                         unit_rank.get(id_key(p[0]), len(unit_rank)), p))
    streams = list(dict.fromkeys(s for _, s in pairs))
    n = len(outcomes)
    rows = []

    def share(met: int) -> float:
        return 100.0 * met / n if n else np.nan

    for stream in streams:
        units = [u for u, s in pairs if s == stream]
        for unit in units:
            met = sum(1 for o in outcomes if o.solved and (unit, stream) not in o.breaches)
            rows.append((unit, stream, level.get((id_key(unit), id_key(stream)), np.nan), n,
                         met, share(met)))
        met_all = sum(1 for o in outcomes
                      if o.solved and not any(s == stream for _, s in o.breaches))
        rows.append((ALL, stream, np.nan, n, met_all, share(met_all)))
    if streams:
        met_every = sum(1 for o in outcomes if o.solved and not o.breaches)
        rows.append((ALL, ALL, np.nan, n, met_every, share(met_every)))
    return pd.DataFrame(rows, columns=list(SERVICE_COLUMNS))

"""One solve of many: a variant of the model and the compact outcome a worker sends back.

A sweep point is the base scenario's rows plus one ``ScenarioRow`` per swept parameter,
gathered under a synthetic scenario name (``sweep demand_change_pct=10``). Going through
scenario rows rather than editing records means every scenario parameter can be swept
(including settings such as ``budget_gbp`` that are not model data), the change is applied
by exactly the code that applies a planner's own scenarios, and a point can be reproduced
by typing its rows into the Scenarios sheet.

A Monte Carlo draw changes one number per stream and period; as scenario rows that is 128
rows for the South East sample, and applying them costs more than 100 ms a draw (each row
scans all demand). So a draw scales the demand records directly (``scale_demand``, 5 ms)
and then solves the base scenario as it is, re-solving from the previous draw's loaded
programme where the draws are chained (``solve_chain``).

``solve_variant`` is the task function: top-level and picklable, so the same function runs
in this process, in a spawned process pool and on Dask workers. It returns an ``Outcome``
(a few small tuples) instead of the whole ``Result`` with its DataFrames, which keeps the
traffic between processes small.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace

from capacity_planner.domain.entities import ScenarioRow
from capacity_planner.domain.ids import id_key
from capacity_planner.domain.model import BASELINE, PlanningModel
from capacity_planner.domain.scenario import apply_scenario, rows_of


@dataclass(frozen=True)
class SolveOptions:
    """How each solve is run (the engine's keyword arguments)."""

    solver: str = "highs"
    time_limit: float | None = None


DEFAULT_OPTIONS = SolveOptions()


@dataclass(frozen=True)
class Variant:
    """The base scenario plus extra rows, solved under ``name``; or the base scenario with
    demand scaled by ``demand_scale`` ((stream, period, factor), a Monte Carlo draw)."""

    name: str
    base: str = BASELINE
    rows: tuple[ScenarioRow, ...] = ()
    demand_scale: tuple[tuple[str, str, float], ...] = ()


@dataclass(frozen=True)
class StreamFigures:
    stream: str
    demand_hours: float
    delivered_hours: float
    unmet_hours: float
    deployed_cost_gbp: float  # the hours spent on the stream at each role's cost per hour


@dataclass(frozen=True)
class PeriodFigures:
    period: str
    demand_hours: float
    unmet_hours: float
    cost_gbp: float


@dataclass(frozen=True)
class Outcome:
    """What a sweep, comparison or Monte Carlo run keeps of one solve."""

    name: str
    status: str
    message: str = ""
    totals: dict[str, float] = field(default_factory=dict)
    streams: tuple[StreamFigures, ...] = ()
    periods: tuple[PeriodFigures, ...] = ()
    # (unit, stream) pairs with a minimum service level above zero, and those breached
    minimums: tuple[tuple[str, str], ...] = ()
    breaches: tuple[tuple[str, str], ...] = ()
    solve_s: float = field(default=0.0, compare=False)  # wall time, for benchmarks

    @property
    def optimal(self) -> bool:
        return self.status == "optimal"

    @property
    def solved(self) -> bool:
        return self.status in ("optimal", "time_limit")

    def total(self, key: str) -> float:
        """A total of the plan; NaN when there is no plan (infeasible, error)."""
        if not self.solved:
            return float("nan")
        return float(self.totals.get(key, float("nan")))


def variant_model(model: PlanningModel, variant: Variant) -> tuple[PlanningModel, str]:
    """The model holding the variant's scenario, and the name to solve."""
    if variant.demand_scale:
        model = scale_demand(model, variant.demand_scale)
    if not variant.rows:
        return model, variant.base
    base_rows = () if id_key(variant.base) == id_key(BASELINE) else tuple(
        replace(r, scenario=variant.name) for r in rows_of(model, variant.base))
    extra = tuple(replace(r, scenario=variant.name) for r in variant.rows)
    return replace(model, scenarios=model.scenarios + base_rows + extra), variant.name


def scale_demand(model: PlanningModel, scale: tuple[tuple[str, str, float], ...]
                 ) -> PlanningModel:
    """Demand hours times each (stream, period)'s factor. Scaling records directly costs
    about 1 ms for the South East sample; the same change as 128 ``demand_change_pct``
    scenario rows (8 streams, 16 periods) costs 130 ms, as each row scans all demand. The
    result is the same: a scenario's own demand change multiplies the scaled hours."""
    factors = {(id_key(s), id_key(p)): f for s, p, f in scale}
    return model.with_table("demand", tuple(
        replace(d, hours=d.hours * factors[key])
        if (key := (id_key(d.stream_id), id_key(d.period))) in factors else d
        for d in model.demand))


def unique_name(model: PlanningModel, wanted: str) -> str:
    """``wanted``, or ``wanted (2)``... if the model already has a scenario of that name."""
    taken = {id_key(n) for n in model.scenario_names}
    name, n = wanted, 1
    while id_key(name) in taken:
        n += 1
        name = f"{wanted} ({n})"
    return name


def solve_variant(model: PlanningModel, variant: Variant, options: SolveOptions,
                  should_cancel: Callable[[], bool] | None = None) -> Outcome:
    """Solve one variant and summarise it. Never raises: a failure is an ``error`` outcome,
    so one bad point does not lose a thousand good ones. ``should_cancel`` reaches the
    solver (in this process only: a callable does not cross to a worker)."""
    from capacity_planner.optimise import solve_scenario

    started = time.perf_counter()
    try:
        m, scenario = variant_model(model, variant)
        result = solve_scenario(m, scenario, solver=options.solver,
                                time_limit=options.time_limit, should_cancel=should_cancel)
        outcome = summarise(result, m, name=variant.name)
        if not outcome.minimums:
            outcome = replace(outcome, minimums=minimums_of(m, scenario))
    except Exception as exc:  # noqa: BLE001 - reported as the point's outcome
        outcome = Outcome(variant.name, "error", f"{type(exc).__name__}: {exc}")
    return replace(outcome, solve_s=time.perf_counter() - started)


def solve_chain(model: PlanningModel, variants: Sequence[Variant], options: SolveOptions,
                should_cancel: Callable[[], bool] | None = None) -> list[Outcome]:
    """Solve variants of one scenario in order, each from the last one's loaded programme
    (``optimise.session.SolveSession``: a Monte Carlo draw changes only right-hand sides,
    so HiGHS re-solves from the previous basis: 0.078 s a draw instead of 0.123 s on the
    South East sample). The first is solved afresh. Where the optimum is not unique the
    plan found depends on the starting basis, so a chain's outcomes depend on the chain,
    never on the worker that solves it: callers fix the chains (``montecarlo``)."""
    if len(variants) == 1:
        return [solve_variant(model, variants[0], options, should_cancel)]
    from capacity_planner.optimise.session import SolveSession

    session: SolveSession | None = None
    out: list[Outcome] = []
    for variant in variants:
        started = time.perf_counter()
        try:
            m, scenario = variant_model(model, variant)
            if session is None or scenario != session.scenario:
                session = SolveSession(m, scenario, solver=options.solver,
                                       time_limit=options.time_limit,
                                       should_cancel=should_cancel)
                result = session.solve()
            else:
                result = session.resolve(m)
            outcome = summarise(result, m, name=variant.name)
            if not outcome.minimums:
                outcome = replace(outcome, minimums=minimums_of(m, scenario))
        except Exception as exc:  # noqa: BLE001 - reported as the draw's outcome
            session = None
            outcome = Outcome(variant.name, "error", f"{type(exc).__name__}: {exc}")
        out.append(replace(outcome, solve_s=time.perf_counter() - started))
    return out


def summarise(result, model: PlanningModel, *, name: str | None = None) -> Outcome:
    """The compact figures of a ``Result``."""
    status = str(getattr(result.status, "value", result.status))
    cov = result.coverage
    minimums: set[tuple[str, str]] = set()
    breaches: set[tuple[str, str]] = set()
    streams: list[StreamFigures] = []
    periods: list[PeriodFigures] = []
    # Figures only for a plan: an infeasible result's coverage (from an elastic re-solve)
    # says what cannot be met, not what a plan delivers.
    if len(cov) and result.solved:
        hourly = _hourly_cost(model)
        alloc = result.allocation
        spent: dict[str, float] = {}
        for stream, role, hours in zip(alloc["stream"], alloc["role"], alloc["hours"],
                                       strict=True):
            k = id_key(stream)
            spent[k] = spent.get(k, 0.0) + float(hours) * hourly.get(id_key(role), 0.0)
        by_stream = cov.groupby("stream", sort=False)[
            ["demand_hours", "delivered_hours", "unmet_hours"]].sum()
        for stream, row in by_stream.iterrows():
            streams.append(StreamFigures(str(stream), float(row["demand_hours"]),
                                         float(row["delivered_hours"]),
                                         float(row["unmet_hours"]),
                                         spent.get(id_key(stream), 0.0)))
        costs = {id_key(p): float(c) for p, c in zip(result.costs["period"],
                                                     result.costs["total_gbp"], strict=True)}
        by_period = cov.groupby("period", sort=False)[["demand_hours", "unmet_hours"]].sum()
        for period, row in by_period.iterrows():
            periods.append(PeriodFigures(str(period), float(row["demand_hours"]),
                                         float(row["unmet_hours"]),
                                         costs.get(id_key(period), 0.0)))
        for unit, stream, minimum, breach in zip(cov["unit"], cov["stream"],
                                                 cov["min_service_pct"], cov["breach"],
                                                 strict=True):
            if float(minimum or 0) > 0:
                minimums.add((str(unit), str(stream)))
                if bool(breach):
                    breaches.add((str(unit), str(stream)))
    return Outcome(
        name=name or result.scenario, status=status, message=result.message,
        totals={k: float(v) for k, v in asdict(result.totals).items()},
        streams=tuple(streams), periods=tuple(periods),
        minimums=tuple(sorted(minimums)), breaches=tuple(sorted(breaches)))


def minimums_of(model: PlanningModel, scenario: str) -> tuple[tuple[str, str], ...]:
    """(unit, stream) pairs with a minimum service level, for a result with no coverage
    table (no plan): the minimums it was asked to meet."""
    m, _ = apply_scenario(model, scenario)
    return tuple(sorted({(d.unit_id, d.stream_id) for d in m.demand
                         if d.hours > 0 and m.demand_min_service(d) > 0}))


def _hourly_cost(model: PlanningModel) -> dict[str, float]:
    return {id_key(r.role_id): r.annual_cost_gbp / r.hours_per_fte
            for r in model.roles if r.hours_per_fte > 0}

"""Scenario comparison: every scenario's totals and per-stream figures side by side, with
the differences against the Baseline (DESIGN questions 3 and 4, and section 5's scenario
comparison chart). The Baseline is always solved, as the reference."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from capacity_planner.analysis.executor import (
    ALL_CORES,
    ExecutorSettings,
    Progress,
    ShouldCancel,
    run_variants,
)
from capacity_planner.analysis.variants import DEFAULT_OPTIONS, Outcome, SolveOptions, Variant
from capacity_planner.domain.ids import id_key
from capacity_planner.domain.model import BASELINE, PlanningModel

TOTAL_KEYS = ("demand_hours", "delivered_hours", "unmet_hours", "coverage_pct",
              "weighted_unmet", "recruited_fte", "new_fte", "overtime_hours", "cost_gbp")
TOTAL_COLUMNS = ("scenario", "status", *TOTAL_KEYS)
DIFF_KEYS = ("delivered_hours", "unmet_hours", "coverage_pct", "weighted_unmet",
             "recruited_fte", "new_fte", "overtime_hours", "cost_gbp")
DIFF_COLUMNS = ("scenario", *(f"{k}_vs_baseline" for k in DIFF_KEYS))
STREAM_COLUMNS = ("scenario", "stream", "demand_hours", "delivered_hours", "unmet_hours",
                  "coverage_pct", "deployed_cost_gbp", "unmet_hours_vs_baseline",
                  "coverage_pct_vs_baseline", "deployed_cost_gbp_vs_baseline")


class UnknownScenario(KeyError):
    pass


@dataclass
class Comparison:
    outcomes: list[Outcome]  # Baseline first, then the scenarios asked for, in order
    totals: pd.DataFrame  # TOTAL_COLUMNS, one row per scenario
    differences: pd.DataFrame  # DIFF_COLUMNS: scenario minus Baseline
    streams: pd.DataFrame  # STREAM_COLUMNS, per scenario and stream

    @property
    def not_optimal(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.optimal]

    def to_json(self) -> dict[str, Any]:
        return {"scenarios": _records(self.totals), "differences": _records(self.differences),
                "streams": _records(self.streams),
                "messages": {o.name: o.message for o in self.outcomes if o.message}}


def resolve_scenarios(model: PlanningModel, wanted: Sequence[str] | None) -> list[str]:
    """The Baseline and the scenarios asked for (all of them if none are), in the model's
    spelling; raises ``UnknownScenario`` naming the ones it does not have."""
    names = model.scenario_names
    by_key = {id_key(n): n for n in names}
    if not wanted:
        return names
    unknown = [w for w in wanted if id_key(w) not in by_key]
    if unknown:
        raise UnknownScenario(f"No scenario named {', '.join(map(repr, unknown))}; the model "
                              f"has {', '.join(names)}")
    chosen = [BASELINE] + [by_key[id_key(w)] for w in wanted]
    return list(dict.fromkeys(chosen))


def compare(model: PlanningModel, scenarios: Sequence[str] | None = None,
            options: SolveOptions = DEFAULT_OPTIONS,
            settings: ExecutorSettings = ALL_CORES, *,
            progress: Progress | None = None,
            should_cancel: ShouldCancel | None = None) -> Comparison:
    names = resolve_scenarios(model, scenarios)
    outcomes = run_variants(model, [Variant(n, n) for n in names], options, settings,
                            progress=progress, should_cancel=should_cancel, noun="scenarios")
    return comparison_of(outcomes)


def comparison_of(outcomes: Sequence[Outcome]) -> Comparison:
    """The tables for outcomes whose first is the Baseline."""
    base = outcomes[0]
    totals = pd.DataFrame([(o.name, o.status, *(o.total(k) for k in TOTAL_KEYS))
                           for o in outcomes], columns=list(TOTAL_COLUMNS))
    diffs = pd.DataFrame([(o.name, *(o.total(k) - base.total(k) for k in DIFF_KEYS))
                          for o in outcomes], columns=list(DIFF_COLUMNS))
    base_streams = {id_key(s.stream): s for s in base.streams}
    rows = []
    for o in outcomes:
        for s in o.streams:
            b = base_streams.get(id_key(s.stream))
            cov = _coverage(s.delivered_hours, s.demand_hours)
            rows.append((o.name, s.stream, s.demand_hours, s.delivered_hours, s.unmet_hours,
                         cov, s.deployed_cost_gbp,
                         s.unmet_hours - b.unmet_hours if b else float("nan"),
                         cov - _coverage(b.delivered_hours, b.demand_hours) if b
                         else float("nan"),
                         s.deployed_cost_gbp - b.deployed_cost_gbp if b else float("nan")))
    return Comparison(list(outcomes), totals, diffs,
                      pd.DataFrame(rows, columns=list(STREAM_COLUMNS)))


def _coverage(delivered: float, demand: float) -> float:
    return 100.0 * delivered / demand if demand else 100.0


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    for row in frame.to_dict(orient="records"):
        out.append({k: (None if isinstance(v, float) and v != v else v) for k, v in row.items()})
    return out

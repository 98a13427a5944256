"""Chart builders: matplotlib ``Figure``s for the app, the command line, the results
workbook and the bid pack (DESIGN section 5, issue 5).

Every chart in ``CHARTS`` is called the same way::

    fig = CHARTS["supply"](results, model, scenario="Baseline")

``results`` is every solved scenario (the comparison chart uses them all; the others draw
the one named by ``scenario``, or the first). ``into`` draws onto an existing figure or
subfigure (the bid pack puts two charts on one A4 page); ``source`` overrides the source
line (by default the model file and its date).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from capacity_planner.domain.ids import id_key
from capacity_planner.domain.model import PlanningModel
from capacity_planner.optimise.result import Result
from capacity_planner.reporting.charts.bid import (
    TITLE_E,
    TITLE_F,
    TITLE_G,
    comparison_chart,
    cost_chart,
    next_posts_chart,
)
from capacity_planner.reporting.charts.demand import (
    TITLE_B,
    TITLE_C,
    demand_chart,
    heatmap_chart,
)
from capacity_planner.reporting.charts.supply import (
    TITLE_A,
    TITLE_D,
    projection_chart,
    supply_chart,
)
from capacity_planner.reporting.style import Canvas, Source

SingleBuilder = Callable[..., Canvas]


@dataclass(frozen=True)
class Chart:
    """One chart: its key (file name), title (for pickers) and builder."""

    key: str
    title: str
    build: SingleBuilder
    compares: bool = False  # draws every scenario, not one
    tall: bool = False  # takes a whole A4 page in the bid pack

    def __call__(self, results: Sequence[Result], model: PlanningModel,
                 scenario: str | None = None, *, into: Canvas | None = None,
                 source: Source | None = None) -> Canvas:
        src = source or Source.of(model.source)
        if self.compares:
            return self.build(list(results), model, source=src, into=into)
        return self.build(pick(results, scenario), model, source=src, into=into)


def pick(results: Sequence[Result], scenario: str | None) -> Result:
    """The result for ``scenario`` (compared as IDs are), or the first."""
    if not results:
        raise ValueError("no results to chart")
    if scenario is None:
        return results[0]
    for r in results:
        if id_key(r.scenario) == id_key(scenario):
            return r
    raise KeyError(f"No result for scenario {scenario!r}")


CHARTS: dict[str, Chart] = {c.key: c for c in (
    Chart("supply_layers", TITLE_A, supply_chart, tall=True),
    Chart("demand_delivered", TITLE_B, demand_chart),
    Chart("coverage_heatmap", TITLE_C, heatmap_chart),
    Chart("projection", TITLE_D, projection_chart, tall=True),
    Chart("scenario_comparison", TITLE_E, comparison_chart, compares=True),
    Chart("cost_buildup", TITLE_F, cost_chart),
    Chart("next_posts", TITLE_G, next_posts_chart),
)}

__all__ = ["CHARTS", "Chart", "comparison_chart", "cost_chart", "demand_chart",
           "heatmap_chart", "next_posts_chart", "pick", "projection_chart", "supply_chart"]

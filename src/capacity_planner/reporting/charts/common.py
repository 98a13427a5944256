"""Helpers shared by the chart builders: the canvas, period axes, money axes."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.ticker import FixedLocator, FuncFormatter

from capacity_planner.domain.model import PlanningModel
from capacity_planner.domain.supply import period_starts
from capacity_planner.optimise.result import Result
from capacity_planner.reporting.style import (
    STANDARD_SIZE,
    Canvas,
    Source,
    house_style,
    literal,
    message_figure,
    new_figure,
    wrap,
)


def styled[**P, R](builder: Callable[P, R]) -> Callable[P, R]:
    """Build the chart inside the house style (rcParams are read as artists are made)."""
    @functools.wraps(builder)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with house_style():
            return builder(*args, **kwargs)
    return wrapper


def canvas(into: Canvas | None, size: tuple[float, float] = STANDARD_SIZE) -> Canvas:
    return into if into is not None else new_figure(size)


def no_plan(title: str, result: Result, source: Source, into: Canvas | None) -> Canvas:
    why = result.message or f"The solve ended {result.status.value}."
    return message_figure(title, result.scenario, source, f"No plan to show.\n{why}", into)


def year_starts(periods: Sequence[str], model: PlanningModel) -> list[int]:
    """Indexes of the periods that begin a plan year (every 12 months from the start)."""
    months = {p.period: p.months for p in model.plan_periods}
    starts = period_starts([months.get(p, 12.0) for p in periods])
    out: list[int] = []
    for i, s in enumerate(starts):
        year = int(s // 12 + 1e-9)
        if not out or int(starts[out[-1]] // 12 + 1e-9) != year:
            out.append(i)
    return out


def period_ticks(ax: Axes, periods: Sequence[str], model: PlanningModel,
                 labels: bool = True, narrow: bool = False) -> None:
    """A period axis that stays readable with 16 quarters: every period ticked, only the
    first period of each plan year labelled (all of them when there are 8 or fewer, or 4
    or fewer on a ``narrow`` panel, where labels also break at a space)."""
    n = len(periods)
    major = list(range(n)) if n <= (4 if narrow else 8) else year_starts(periods, model)
    ax.xaxis.set_major_locator(FixedLocator(major))
    ax.xaxis.set_minor_locator(FixedLocator(list(range(n))))
    names = [wrap(periods[i], 8, 2) if narrow else periods[i] for i in major]
    ax.xaxis.set_major_formatter(FuncFormatter(
        lambda v, _pos: _literal_at(names, major, v) if labels else ""))
    ax.tick_params(axis="x", which="major", labelbottom=labels, length=4,
                   labelsize=6.5 if narrow else 8)
    ax.tick_params(axis="x", which="minor", length=2)
    ax.set_xlim(-0.6, n - 0.4)


def _literal_at(names: list[str], major: list[int], v: float) -> str:
    idx = int(round(v))
    return literal(names[major.index(idx)]) if idx in major else ""


def money_unit(largest: float) -> tuple[float, str]:
    """Scale and label for an axis of pounds: £ million from £2m, else £ thousand."""
    return (1e6, "£ million") if abs(largest) >= 2e6 else (1e3, "£ thousand")


def money(v: float) -> str:
    """£ for a label: £1.23m, £456k, £789."""
    a = abs(v)
    if a >= 1e6:
        return f"£{v / 1e6:,.2f}m"
    if a >= 1e3:
        return f"£{v / 1e3:,.0f}k"
    return f"£{v:,.0f}"


def scaled_axis(axis: Axis, scale: float, decimals: int = 0) -> None:
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v / scale:,.{decimals}f}"))


def panel_grid(fig: Canvas, n: int, ncols: int = 3, **kwargs: object) -> tuple[
        list[Axes], list[Axes]]:
    """Small multiples: ``n`` panels in rows of ``ncols``, and the spare cells left over
    (switched off; a legend may use the first)."""
    nrows = max(1, -(-n // ncols))
    grid = fig.subplots(nrows, ncols, squeeze=False, **kwargs)  # type: ignore[call-overload]
    flat = [ax for row in grid for ax in row]
    for ax in flat[n:]:
        ax.set_axis_off()
    return flat[:n], flat[n:]

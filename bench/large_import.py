"""A valid planning workbook with three sheets of ``rows`` rows each (Establishment,
Demand, Sharing) for the import benchmark of ``bench/run.py``."""

from __future__ import annotations

from pathlib import Path

from capacity_planner.domain.entities import (
    DemandRow,
    EstablishmentRow,
    Period,
    Role,
    SharingRule,
    Skill,
    Stream,
    Unit,
)
from capacity_planner.domain.model import PlanningModel
from capacity_planner.io.writer import save_model

ROLES = 100
STREAMS = 25
PERIODS = 4


def model(rows: int) -> PlanningModel:
    """``rows`` establishment rows (units x 100 roles), as many demand rows (units x 25
    streams x 4 periods) and as many sharing rules (each unit lends to its next units)."""
    n_units = max(1, rows // ROLES)
    units = tuple(Unit(f"U{u:05d}", f"Unit {u}", "force", f"R{u % 10}")
                  for u in range(n_units))
    roles = tuple(Role(f"ROLE{r:03d}", 50_000 + 100 * r, 1_500, f"Role {r}")
                  for r in range(ROLES))
    streams = tuple(Stream(f"S{s:02d}", f"Stream {s}", "pursue", 1 + s % 3, 0)
                    for s in range(STREAMS))
    periods = tuple(Period(f"Q{t + 1}", 3) for t in range(PERIODS))
    establishment = tuple(
        EstablishmentRow(units[k // ROLES].unit_id, roles[k % ROLES].role_id,
                         10 + k % 7, 8 + k % 5, k % 2, k % 3 * 0.5, 5 + k % 20)
        for k in range(n_units * ROLES))
    per_unit = STREAMS * PERIODS
    demand = tuple(
        DemandRow(units[k // per_unit].unit_id, streams[k // PERIODS % STREAMS].stream_id,
                  periods[k % PERIODS].period, 100.0 + k % 997)
        for k in range(n_units * per_unit))
    lend = min(n_units - 1, rows // n_units)
    sharing = tuple(
        SharingRule(units[k // lend].unit_id,
                    units[(k // lend + 1 + k % lend) % n_units].unit_id, 10 + k % 30)
        for k in range(n_units * lend)) if lend > 0 else ()
    skills = tuple(Skill(roles[r].role_id, streams[r % STREAMS].stream_id, 0.9)
                   for r in range(ROLES))
    return PlanningModel(units=units, roles=roles, establishment=establishment,
                         streams=streams, demand=demand, skills=skills, sharing=sharing,
                         periods=periods)


def write(path: Path, rows: int) -> list[str]:
    """Write the workbook; returns the names of its three large sheets."""
    save_model(model(rows), path)
    return ["Establishment", "Demand", "Sharing"]

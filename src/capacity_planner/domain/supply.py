"""Supply rules (DESIGN section 4): the four supply layers, training phases, attrition and
available hours. Pure arithmetic, shared by the optimiser and the reports so that every
number a planner sees comes from one place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

from capacity_planner.domain.entities import EstablishmentRow, Role


def period_starts(months: Sequence[float]) -> list[float]:
    """Months elapsed before each period: ``start_t``."""
    return [0.0, *accumulate(months)][: len(months)]


def survival(attrition_pct: float, start_months: float) -> float:
    """Share of today's staff still in post at ``start_months``: (1 - a) ** (start / 12)."""
    return (1.0 - attrition_pct / 100.0) ** (start_months / 12.0)


def phase(length_months: float, from_months: float, start: float, months: float,
          trainee_effectiveness: float) -> float:
    """Average effectiveness over a period [start, start + months) of someone who is a
    trainee for ``length_months`` from ``from_months``: ``trainee_effectiveness`` for the
    part of the period inside the training window, 1 for the rest, pro rata by months."""
    if months <= 0:
        return 1.0
    end = start + months
    overlap = max(0.0, min(end, from_months + length_months) - max(start, from_months))
    share = overlap / months
    return 1.0 - (1.0 - trainee_effectiveness) * share


def existing_effective_fte(row: EstablishmentRow, role: Role, training_months_left: float,
                           months: Sequence[float]) -> list[float]:
    """Effective FTE of today's staff in each period, before abstraction:
    survive_t * (trained + in_training * phase(training_months_left, 0, t))."""
    trained = row.in_post_fte - row.absent_fte - row.in_training_fte
    out = []
    for start, m in zip(period_starts(months), months, strict=True):
        ph = phase(training_months_left, 0.0, start, m, role.trainee_effectiveness)
        out.append(survival(role.attrition_pct, start) * (trained + row.in_training_fte * ph))
    return out


def hire_effective_fte(role: Role, months: Sequence[float], tau: int, t: int) -> float:
    """Effective FTE in period ``t`` of one joiner who starts at the start of ``tau``:
    (survive_t / survive_tau) * phase(training_months, start_tau, t); 0 before ``tau``."""
    if t < tau:
        return 0.0
    starts = period_starts(months)
    keep = survival(role.attrition_pct, starts[t]) / survival(role.attrition_pct, starts[tau])
    return keep * phase(role.training_months, starts[tau], starts[t], months[t],
                        role.trainee_effectiveness)


def hours_factor(role: Role, abstraction_pct: float, months: float) -> float:
    """Available hours per effective FTE in a period: hours_per_fte * f_t * (1 - abstraction)."""
    return role.hours_per_fte * (months / 12.0) * (1.0 - abstraction_pct / 100.0)


def hiring_allowed(role: Role, start_months: float) -> bool:
    """Joiners can start only once the recruitment lead time has passed."""
    return start_months >= role.recruitment_months - 1e-9


@dataclass(frozen=True, slots=True)
class SupplyLayers:
    """Why budgeted posts are not deployable people, at the start of the plan."""

    funded_fte: float
    in_post_fte: float
    qualified_fte: float  # in post less trainees
    deployable_fte: float  # qualified less absence, plus trainees at their effectiveness,
    # after abstraction
    annual_hours: float  # deployable * hours_per_fte

    @property
    def vacant_fte(self) -> float:
        return max(0.0, self.funded_fte - self.in_post_fte)


def supply_layers(row: EstablishmentRow, role: Role) -> SupplyLayers:
    qualified = row.in_post_fte - row.in_training_fte
    working = qualified - row.absent_fte + row.in_training_fte * role.trainee_effectiveness
    deployable = working * (1.0 - row.abstraction_pct / 100.0)
    return SupplyLayers(row.funded_fte, row.in_post_fte, qualified, deployable,
                        deployable * role.hours_per_fte)

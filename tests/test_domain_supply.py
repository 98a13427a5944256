"""Supply rules of DESIGN section 4, each worked out by hand."""

from __future__ import annotations

import pytest

from capacity_planner.domain.entities import EstablishmentRow, Role
from capacity_planner.domain.supply import (
    existing_effective_fte,
    hire_effective_fte,
    hiring_allowed,
    hours_factor,
    period_starts,
    phase,
    supply_layers,
    survival,
)

ROLE = Role("DC", annual_cost_gbp=60_000, hours_per_fte=1_500, trainee_effectiveness=0.5,
            training_months=12)


def test_design_tiny_case_available_hours() -> None:
    """DESIGN's tiny case: 10 in post, 2 trainees at 0.5 with 12+ months left, 20 %
    abstraction, one 12-month period: (8 + 2 * 0.5) * 1500 * 0.8 = 10,800 hours."""
    row = EstablishmentRow("U", "DC", funded_fte=10, in_post_fte=10, in_training_fte=2,
                           abstraction_pct=20)
    eff = existing_effective_fte(row, ROLE, 12, [12])
    assert eff == [pytest.approx(9.0)]
    assert eff[0] * hours_factor(ROLE, 20, 12) == pytest.approx(10_800)


def test_phase_is_pro_rata_by_months() -> None:
    """Training ends 3 months into a 6-month period starting at month 6 (window 0..9):
    3 of 6 months at 0.5, 3 at 1 -> 0.75."""
    assert phase(9, 0, 6, 6, 0.5) == pytest.approx(0.75)
    assert phase(9, 0, 12, 6, 0.5) == 1.0  # after the window
    assert phase(0, 0, 0, 12, 0.5) == 1.0  # no training


def test_survival_over_quarters() -> None:
    """10 % a year: after 3 quarters (9 months) 0.9 ** 0.75 remain."""
    assert period_starts([3, 3, 3, 3]) == [0, 3, 6, 9]
    assert survival(10, 9) == pytest.approx(0.9 ** 0.75)


def test_hire_effectiveness_and_leavers() -> None:
    """A joiner at the start of quarter 1 (month 3) with 12 months' training at 0.5 and
    20 % attrition: in quarter 1 fully trainee (0.5); in quarter 5 (month 15) trained, with
    survival 0.8 ** (15/12) / 0.8 ** (3/12) = 0.8."""
    role = Role("FI", 50_000, 1_500, training_months=12, attrition_pct=20)
    months = [3] * 6
    assert hire_effective_fte(role, months, 1, 0) == 0.0
    assert hire_effective_fte(role, months, 1, 1) == pytest.approx(0.5)
    assert hire_effective_fte(role, months, 1, 5) == pytest.approx(0.8)


def test_recruitment_lead_time() -> None:
    role = Role("FI", 50_000, 1_500, recruitment_months=6)
    assert not hiring_allowed(role, 3)
    assert hiring_allowed(role, 6)


def test_four_supply_layers() -> None:
    """Sussex-like detectives: 430 funded, 373 in post, 99 trainees at 0.5, 10 absent, 5 %
    abstraction: qualified 274; deployable (274 - 10 + 49.5) * 0.95 = 297.825."""
    row = EstablishmentRow("SUSSEX", "DC", 430, 373, in_training_fte=99, absent_fte=10,
                           abstraction_pct=5)
    layers = supply_layers(row, ROLE)
    assert layers.qualified_fte == 274
    assert layers.deployable_fte == pytest.approx(297.825)
    assert layers.vacant_fte == 57

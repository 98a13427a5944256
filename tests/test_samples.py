"""The sample models: the South East region with the inspection's published figures, a
single force cut from it, and the generated national model."""

from __future__ import annotations

from collections import Counter

import pytest

from capacity_planner.domain.ids import id_key
from capacity_planner.domain.scenario import apply_scenario, check_scenarios
from capacity_planner.io.samples import (
    model_of_size,
    national_model,
    south_east_model,
    south_east_vacancies_frame,
)
from capacity_planner.io.samples.national import REGIONS


def _est(model, unit: str, role: str):
    return next(e for e in model.establishment if (e.unit_id, e.role_id) == (unit, role))


def test_south_east_shape() -> None:
    m = south_east_model()
    assert [u.unit_id for u in m.units] == ["HAMPSHIRE", "SURREY", "SUSSEX", "THAMES_VALLEY",
                                            "SE_ROCU"]
    assert len(m.roles) == 11 and len(m.streams) == 8
    assert [p.period for p in m.periods][:5] == ["2026/27 Q1", "2026/27 Q2", "2026/27 Q3",
                                                 "2026/27 Q4", "2027/28 Q1"]
    assert len(m.periods) == 16 and m.periods[-1].period == "2029/30 Q4"
    assert all(p.months == 3 for p in m.periods)
    assert {s.strand for s in m.streams} >= {"pursue", "prevent", "protect"}
    # every demand row names a known unit, stream and period, once
    keys = Counter((d.unit_id, d.stream_id, d.period) for d in m.demand)
    assert max(keys.values()) == 1
    assert {d.period for d in m.demand} == {p.period for p in m.periods}
    # the ROCU has no neighbourhood, PCSO or response demand; every force has all 8 streams
    assert len(m.demand) == 16 * (4 * 8 + 6)


def test_published_figures() -> None:
    m = south_east_model()
    sussex_dc = _est(m, "SUSSEX", "DC")
    assert (sussex_dc.funded_fte, sussex_dc.in_post_fte, sussex_dc.in_training_fte) == (
        430, 373, 99)
    sussex_soc = _est(m, "SUSSEX", "SOCU_DC")
    assert sussex_soc.funded_fte - sussex_soc.in_post_fte == 5 and sussex_soc.funded_fte == 18
    surrey = _est(m, "SURREY", "SOCU_DC")
    assert (surrey.funded_fte, surrey.in_post_fte) == (6, 3)
    assert _est(m, "THAMES_VALLEY", "SURV").funded_fte == 4 * 11
    assert _est(m, "THAMES_VALLEY", "SOCU_DC").funded_fte == 2 * 12
    assert _est(m, "HAMPSHIRE", "SURV").funded_fte == 11
    processing = _est(m, "HAMPSHIRE", "RESEARCHER")
    assert processing.in_post_fte == processing.funded_fte / 2
    assert {r.hours_per_fte for r in m.roles} == {round(1_768 * 0.70)} == {1_238}
    assert {r.attrition_pct for r in m.roles if r.workforce == "officer"} == {6.2}


def test_figures_are_plausible_and_consistent() -> None:
    m = south_east_model()
    for e in m.establishment:
        assert 0 <= e.in_training_fte + e.absent_fte <= e.in_post_fte <= e.funded_fte, e
        assert 0 <= e.abstraction_pct <= 85
    roles = {r.role_id: r for r in m.roles}
    assert roles["DC"].annual_cost_gbp == 60_000 and roles["ANALYST"].annual_cost_gbp == 45_000
    assert 12 <= roles["DC"].training_months <= 24 and 12 <= roles["FIN_INV"].training_months <= 24
    for r in m.roles:
        assert 30_000 <= r.annual_cost_gbp <= 70_000 and 1_000 <= r.recruitment_cost_gbp <= 10_000
    assert any(k.efficiency < 1 for k in m.skills)
    assert all(0 < k.efficiency <= 1 for k in m.skills)
    skilled = {k.stream_id for k in m.skills}
    assert skilled == {s.stream_id for s in m.streams}  # every stream has someone to do it


def test_sharing_surveillance_everywhere_and_rocu_specialists() -> None:
    m = south_east_model()
    lenders = {s.from_unit for s in m.sharing if s.role_id == "SURV"}
    assert lenders == {u.unit_id for u in m.units}
    rocu = {(s.role_id, s.to_unit) for s in m.sharing if s.from_unit == "SE_ROCU"}
    for role in ("FIN_INV", "CYBER"):
        assert {(role, f) for f in ("HAMPSHIRE", "SURREY", "SUSSEX", "THAMES_VALLEY")} <= rocu


def test_scenarios_are_valid_and_do_what_they_say() -> None:
    m = south_east_model()
    assert m.scenario_names == ["Baseline", "Fill detective vacancies",
                                "Protect neighbourhood policing", "SOC demand +20 %",
                                "Analyst and FI bid", "£2m a year for posts"]
    assert check_scenarios(m) == []
    _, fill = apply_scenario(m, "Fill detective vacancies")
    # each force's pipeline: about its leavers plus enough to close today's vacancies
    assert fill.recruit_fte_max[("sussex", "dc", id_key("2026/27 Q1"))] == 10
    assert fill.recruit_fte_max[("surrey", "dc", id_key("2026/27 Q1"))] == 7
    assert fill.recruit_fte_max[("thames_valley", "dc", id_key("2029/30 Q4"))] == 15
    assert fill.recruit_fte_max[("se_rocu", "socu_dc", id_key("2026/27 Q1"))] == 1
    assert not fill.allow_new_posts
    protected, _ = apply_scenario(m, "Protect neighbourhood policing")
    assert {e.abstraction_pct for e in protected.establishment if e.role_id == "NHOOD"} == {10}
    more, _ = apply_scenario(m, "SOC demand +20 %")
    assert sum(d.hours for d in more.demand) == pytest.approx(1.2 * sum(d.hours for d in m.demand))
    bid_model, bid = apply_scenario(m, "Analyst and FI bid")
    assert bid.objective == "min_cost" and bid.allow_new_posts and bid.budget_gbp is None
    assert bid.max_new_fte[("thames_valley", "analyst")] == 10
    assert not bid.recruit_fte_max  # the bid buys posts; filling vacancies is another lever
    raised = {"INTEL_ANALYSIS", "COMMS_DATA", "FIN_INVEST"}
    minimums = {d.min_service_pct for d in bid_model.demand
                if d.stream_id in raised and d.period >= "2027/28"}
    assert minimums == {80}
    # year one keeps each stream's own minimum (no override)
    assert {d.min_service_pct for d in bid_model.demand if d.period < "2027/28"} == {None}
    budget_model, budget = apply_scenario(m, "£2m a year for posts")
    assert budget.objective == "coverage" and budget.budget_gbp == 2_000_000
    assert budget_model == m  # only planning settings change
    caps = budget.max_new_fte
    assert caps[("hampshire", "analyst")] == 6 and caps[("sussex", "dc")] == 10
    # only the SOC specialist roles may grow; neighbourhood, response and PCSO posts not
    assert {k for k, v in caps.items() if v == 0} == {
        (id_key(e.unit_id), id_key(e.role_id)) for e in m.establishment
        if e.role_id in ("NHOOD", "RESPONSE", "PCSO")}


def test_overtime_is_rationed() -> None:
    """A few per cent for the SOC officer roles, at most 1 % for staff, none for
    neighbourhood, response and PCSO time (their overtime is not SOC work)."""
    roles = {r.role_id: r for r in south_east_model().roles}
    for r in roles.values():
        assert 0 <= r.overtime_cap_pct <= (3 if r.workforce == "officer" else 1), r
    assert {roles[r].overtime_cap_pct for r in ("NHOOD", "RESPONSE", "PCSO")} == {0}
    assert all(roles[r].overtime_cap_pct > 0 for r in ("DC", "SOCU_DC", "SURV"))


def test_notes_label_illustrative_figures_and_sources() -> None:
    text = "\n".join(n.text for n in south_east_model().notes)
    for phrase in ("430", "373", "99", "1,768", "70 %", "6.2 %", "ILLUSTRATIVE", "HMICFRS",
                   "Home Office", "Police workforce", "overtime caps"):
        assert phrase in text
    # every scenario is described, with the figures the Scenarios sheet uses
    m = south_east_model()
    for name in m.scenario_names[1:]:
        assert any(n.text.startswith(name) for n in m.notes), name
    assert "surveillance officers 3 %" in text and "SOCU constables 2 %" in text
    assert "10 detective constables a quarter (Surrey Police 7, Thames Valley Police 15)" in text
    assert "today's 225 detective constable vacancies" in text  # 52 + 38 + 57 + 78
    assert "intelligence analysts (up to 10 a unit)" in text
    assert "£2,000,000 a year" in text and "Overtime counts against the budget" in text
    assert all(n.text.strip() for n in south_east_model().notes)  # no blank rows to drop


def test_vacancies_frame_matches_the_establishment() -> None:
    m = south_east_model()
    frame = south_east_vacancies_frame()
    assert list(frame.columns) == ["unit_id", "role_id", "vacant_fte"]
    assert len(frame) == len(m.establishment)
    for row in frame.itertuples():
        e = _est(m, row.unit_id, row.role_id)
        in_post = e.funded_fte - row.vacant_fte
        assert 0 <= row.vacant_fte <= e.funded_fte
        assert e.in_training_fte + e.absent_fte <= in_post  # the merge stays valid
    changed = sum(1 for row in frame.itertuples()
                  if row.vacant_fte != _est(m, row.unit_id, row.role_id).funded_fte
                  - _est(m, row.unit_id, row.role_id).in_post_fte)
    assert 3 <= changed <= 8  # a month later: a few rows differ


def test_national_model_covers_england_and_wales() -> None:
    m = national_model()
    forces = [u for u in m.units if u.kind == "force"]
    rocus = [u for u in m.units if u.kind == "rocu"]
    assert len(forces) == 43 and len(rocus) == 9
    assert len({u.region for u in m.units}) == 10 == len(REGIONS)
    assert not [u for u in rocus if u.region == "London"]
    assert len(m.periods) == 16 and len(m.roles) == 11 and len(m.streams) == 8
    region = {u.unit_id: u.region for u in m.units}
    assert all(region[s.from_unit] == region[s.to_unit] for s in m.sharing)
    for e in m.establishment:
        assert 0 <= e.in_training_fte + e.absent_fte <= e.in_post_fte <= e.funded_fte, e
    assert check_scenarios(m) == []
    # the South East region is the sample itself
    se = south_east_model()
    assert [e for e in m.establishment if region[e.unit_id] == "South East"] == list(
        se.establishment)


def test_national_model_is_deterministic_and_scaled_by_force_size() -> None:
    a, b, c = national_model(), national_model(), national_model(seed=7)
    assert a == b and a != c

    def dcs(unit: str) -> float:
        return _est(a, unit, "DC").funded_fte

    assert dcs("METROPOLITAN") > 5 * dcs("KENT") > 5 * dcs("WARWICKSHIRE") / 2
    caps = {(r.unit_id, r.role_id): r.value for r in a.scenarios
            if r.parameter == "max_new_fte"}
    assert caps[("METROPOLITAN", "ANALYST")] > caps[("WARWICKSHIRE", "ANALYST")]


def test_sizes() -> None:
    force = model_of_size("force")
    assert [u.unit_id for u in force.units] == ["SUSSEX"] and force.sharing == ()
    assert {d.unit_id for d in force.demand} == {"SUSSEX"}
    assert check_scenarios(force) == []
    assert model_of_size("region") == south_east_model()
    assert len(model_of_size("national").units) == 52
    with pytest.raises(ValueError, match="force, region, national"):
        model_of_size("county")

"""What every sample model shares: the SOC roles, demand streams, skills and the four-year
quarterly plan horizon. Figures are illustrative unless the Notes sheet names a source.
"""

from __future__ import annotations

from capacity_planner.domain.entities import NoteRow, Period, Role, ScenarioRow, Skill, Stream

FIRST_YEAR = 2026  # financial year 2026/27
YEARS = 4
REGION = "South East"

# Published basis for hours: 1,768 contracted hours a year, about 70 % of them productive.
CONTRACTED_HOURS = 1_768
PRODUCTIVE_SHARE = 0.70
HOURS_PER_FTE = round(CONTRACTED_HOURS * PRODUCTIVE_SHARE)  # 1,238
OFFICER_LEAVER_PCT = 6.2  # published officer leaver rate


def quarter_periods(first_year: int = FIRST_YEAR, years: int = YEARS) -> tuple[Period, ...]:
    """Financial-year quarters: ``2026/27 Q1`` (April-June) onwards, three months each."""
    return tuple(Period(f"{y}/{(y + 1) % 100:02d} Q{q}", 3.0)
                 for y in range(first_year, first_year + years) for q in range(1, 5))


def _role(role_id: str, name: str, workforce: str, cost: float, training: float,
          trainee: float, recruitment: float, attrition: float, overtime: float,
          recruit_cost: float) -> Role:
    premium = 1.33 if workforce == "officer" else 1.5
    return Role(role_id, annual_cost_gbp=cost, hours_per_fte=HOURS_PER_FTE, name=name,
                workforce=workforce, training_months=training, trainee_effectiveness=trainee,
                recruitment_months=recruitment, attrition_pct=attrition,
                overtime_cap_pct=overtime, overtime_premium=premium,
                recruitment_cost_gbp=recruit_cost)


L = OFFICER_LEAVER_PCT
# role_id, name, workforce, annual on-cost, training months, trainee effectiveness,
# recruitment months, attrition % a year, overtime cap %, recruitment cost per joiner
ROLES: tuple[Role, ...] = (
    _role("ANALYST", "Intelligence analyst", "staff", 45_000, 6, 0.5, 6, 9.0, 5, 4_000),
    _role("RESEARCHER", "Intelligence researcher", "staff", 36_000, 3, 0.6, 3, 9.0, 5, 3_000),
    _role("FIN_INV", "Financial investigator", "staff", 52_000, 18, 0.4, 6, 8.0, 5, 7_500),
    _role("FIN_INTEL", "Financial intelligence officer", "staff", 41_000, 9, 0.5, 3, 9.0, 5,
          4_000),
    _role("DC", "Detective constable", "officer", 60_000, 24, 0.5, 3, L, 10, 6_000),
    _role("SURV", "Surveillance officer", "officer", 63_000, 6, 0.3, 6, L, 15, 9_000),
    _role("SOCU_DC", "SOCU constable", "officer", 64_000, 12, 0.5, 3, L, 10, 5_000),
    _role("NHOOD", "Neighbourhood officer", "officer", 55_000, 3, 0.6, 3, L, 5, 3_000),
    _role("PCSO", "Police community support officer", "staff", 34_000, 4, 0.5, 4, 10.0, 5,
          3_000),
    _role("RESPONSE", "Response officer", "officer", 53_000, 6, 0.5, 3, L, 10, 6_000),
    _role("CYBER", "Cyber investigator", "staff", 50_000, 12, 0.5, 6, 10.0, 5, 6_000),
)

STREAMS: tuple[Stream, ...] = (
    Stream("INTEL_ANALYSIS", "Intelligence analysis", "pursue", 3, 60),
    Stream("COMMS_DATA", "Communications data analysis", "pursue", 2, 50),
    Stream("FIN_INVEST", "Financial investigation", "pursue", 3, 50),
    Stream("SOC_INVEST", "SOC investigation", "pursue", 3, 70),
    Stream("SURVEILLANCE", "Surveillance deployment", "pursue", 2, 60),
    Stream("COMMUNITY", "Community intelligence and prevent", "prevent", 2, 50),
    Stream("RESPONSE_SUPPORT", "Response support to SOC operations", "protect", 1, 80),
    Stream("CYBER", "Cyber crime investigation and protect", "protect", 2, 40),
)

# role, stream, efficiency (how well suited the role is), max share of the role's hours
SKILLS: tuple[Skill, ...] = (
    Skill("ANALYST", "INTEL_ANALYSIS", 1.0),
    Skill("ANALYST", "COMMS_DATA", 0.9, 40),
    Skill("RESEARCHER", "INTEL_ANALYSIS", 0.6, 50),
    Skill("RESEARCHER", "COMMS_DATA", 1.0),
    Skill("FIN_INV", "FIN_INVEST", 1.0),
    Skill("FIN_INV", "SOC_INVEST", 0.6, 25),
    Skill("FIN_INTEL", "FIN_INVEST", 0.7),
    Skill("FIN_INTEL", "INTEL_ANALYSIS", 0.6, 30),
    Skill("DC", "SOC_INVEST", 0.85),
    Skill("SURV", "SURVEILLANCE", 1.0),
    Skill("SURV", "SOC_INVEST", 0.6, 20),
    Skill("SOCU_DC", "SOC_INVEST", 1.0),
    Skill("SOCU_DC", "FIN_INVEST", 0.5, 10),
    Skill("NHOOD", "COMMUNITY", 1.0),
    Skill("NHOOD", "RESPONSE_SUPPORT", 0.9, 30),
    Skill("NHOOD", "SOC_INVEST", 0.4, 10),
    Skill("PCSO", "COMMUNITY", 0.8),
    Skill("RESPONSE", "RESPONSE_SUPPORT", 1.0),
    Skill("RESPONSE", "COMMUNITY", 0.5, 20),
    Skill("CYBER", "CYBER", 1.0),
    Skill("CYBER", "COMMS_DATA", 0.8, 30),
)

# Demand grows a little each quarter (illustrative trend of SOC demand, about 2 % a year),
# with a summer rise in community work and a winter rise in response support.
QUARTERLY_GROWTH = 0.005
SEASONAL = {
    "COMMUNITY": (1.00, 1.08, 0.97, 0.95),
    "RESPONSE_SUPPORT": (0.97, 1.00, 1.03, 1.00),
}


def demand_factor(stream_id: str, period_index: int) -> float:
    """Multiplier on a stream's first-quarter demand in a later quarter."""
    seasonal = SEASONAL.get(stream_id, (1.0, 1.0, 1.0, 1.0))[period_index % 4]
    return (1 + QUARTERLY_GROWTH) ** period_index * seasonal


def scenarios(bid_periods: tuple[str, ...]) -> tuple[ScenarioRow, ...]:
    """The sample's scenarios. ``bid_periods``: the periods in which the bid's minimum
    service applies (from year two: year one cannot be helped by posts still in
    recruitment and training)."""
    fill = "Fill detective vacancies"
    protect = "Protect neighbourhood policing"
    demand = "SOC demand +20 %"
    bid = "Analyst and FI bid"
    rows: list[ScenarioRow] = [
        ScenarioRow(fill, "recruit_fte_max", 6, role_id="DC"),
        ScenarioRow(fill, "recruit_fte_max", 1, role_id="SOCU_DC"),
        ScenarioRow(protect, "abstraction_pct", 10, role_id="NHOOD"),
        ScenarioRow(demand, "demand_change_pct", 20),
        ScenarioRow(bid, "objective", "min_cost"),
        ScenarioRow(bid, "max_new_fte", 8, role_id="ANALYST"),
        ScenarioRow(bid, "max_new_fte", 6, role_id="RESEARCHER"),
        ScenarioRow(bid, "max_new_fte", 6, role_id="FIN_INV"),
        ScenarioRow(bid, "max_new_fte", 4, role_id="FIN_INTEL"),
    ]
    for stream_id in ("INTEL_ANALYSIS", "FIN_INVEST"):
        rows.extend(ScenarioRow(bid, "min_service_pct", BID_MIN_SERVICE, stream_id=stream_id,
                                period=p) for p in bid_periods)
    return tuple(rows)


BID_MIN_SERVICE = 80

SOURCES: tuple[str, ...] = (
    "HMICFRS, An inspection of the South East regional response to serious and organised "
    "crime (justiceinspectorates.gov.uk).",
    "Home Office, Police workforce, England and Wales statistics and open data tables "
    "(gov.uk/government/collections/police-workforce-england-and-wales).",
)


def notes_rows(lines: tuple[str, ...]) -> tuple[NoteRow, ...]:
    return tuple(NoteRow(text) for text in lines)

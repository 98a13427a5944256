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
    _role("ANALYST", "Intelligence analyst", "staff", 45_000, 6, 0.5, 6, 9.0, 1, 4_000),
    _role("RESEARCHER", "Intelligence researcher", "staff", 36_000, 3, 0.6, 3, 9.0, 0, 3_000),
    _role("FIN_INV", "Financial investigator", "staff", 52_000, 18, 0.4, 6, 8.0, 1, 7_500),
    _role("FIN_INTEL", "Financial intelligence officer", "staff", 41_000, 9, 0.5, 3, 9.0, 0,
          4_000),
    _role("DC", "Detective constable", "officer", 60_000, 24, 0.5, 3, L, 1, 6_000),
    _role("SURV", "Surveillance officer", "officer", 63_000, 6, 0.3, 6, L, 3, 9_000),
    _role("SOCU_DC", "SOCU constable", "officer", 64_000, 12, 0.5, 3, L, 2, 5_000),
    _role("NHOOD", "Neighbourhood officer", "officer", 55_000, 3, 0.6, 3, L, 0, 3_000),
    _role("PCSO", "Police community support officer", "staff", 34_000, 4, 0.5, 4, 10.0, 0,
          3_000),
    _role("RESPONSE", "Response officer", "officer", 53_000, 6, 0.5, 3, L, 0, 6_000),
    _role("CYBER", "Cyber investigator", "staff", 50_000, 12, 0.5, 6, 10.0, 1, 6_000),
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
    Skill("RESEARCHER", "INTEL_ANALYSIS", 0.6, 25),
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
    Skill("RESPONSE", "COMMUNITY", 0.4, 20),
    Skill("CYBER", "CYBER", 1.0),
    Skill("CYBER", "COMMS_DATA", 0.8, 5),
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


# Scenario names, in the order the app and the CLI list them after the Baseline.
FILL = "Fill detective vacancies"
PROTECT = "Protect neighbourhood policing"
DEMAND_UP = "SOC demand +20 %"
BID = "Analyst and FI bid"
BUDGET = "£2m a year for posts"

# Fill detective vacancies: trainee detective constables each force can recruit a quarter
# (its pipeline; a unit-specific figure overrides it) and SOCU constables a quarter.
DC_PIPELINE = 10
SOCU_PIPELINE = 1
# Analyst and FI bid (min_cost): minimum service for intelligence analysis, communications
# data and financial investigation from year two (communications data too, or the cheapest
# plan would move researchers off it rather than buy posts), met by new posts within these
# caps (per unit over the plan).
BID_MIN_SERVICE = 80
BID_STREAMS = ("INTEL_ANALYSIS", "COMMS_DATA", "FIN_INVEST")
BID_POSTS = {"ANALYST": 10, "RESEARCHER": 6, "FIN_INV": 6, "FIN_INTEL": 4}
# £2m a year for posts: the money (new posts, their recruitment and any overtime count
# against it), and the SOC posts it may buy (per unit over the plan); no other role grows.
BUDGET_GBP = 2_000_000
BUDGET_POSTS = {"ANALYST": 6, "RESEARCHER": 4, "FIN_INV": 4, "FIN_INTEL": 3, "DC": 10,
                "SURV": 6, "SOCU_DC": 4, "CYBER": 3}


def scenarios(bid_periods: tuple[str, ...],
              dc_pipeline: dict[str, float] | None = None) -> tuple[ScenarioRow, ...]:
    """The sample's scenarios. ``bid_periods``: the periods in which the bid's minimum
    service applies (from year two: year one cannot be helped by posts still in
    recruitment and training). ``dc_pipeline``: unit -> detective constables a quarter,
    where a force's pipeline differs from ``DC_PIPELINE``."""
    rows: list[ScenarioRow] = [
        ScenarioRow(FILL, "recruit_fte_max", DC_PIPELINE, role_id="DC"),
        *(ScenarioRow(FILL, "recruit_fte_max", n, unit_id=u, role_id="DC")
          for u, n in (dc_pipeline or {}).items()),
        ScenarioRow(FILL, "recruit_fte_max", SOCU_PIPELINE, role_id="SOCU_DC"),
        ScenarioRow(PROTECT, "abstraction_pct", 10, role_id="NHOOD"),
        ScenarioRow(DEMAND_UP, "demand_change_pct", 20),
        ScenarioRow(BID, "objective", "min_cost"),
    ]
    for role_id, cap in BID_POSTS.items():
        rows.append(ScenarioRow(BID, "max_new_fte", cap, role_id=role_id))
    for stream_id in BID_STREAMS:
        rows.extend(ScenarioRow(BID, "min_service_pct", BID_MIN_SERVICE, stream_id=stream_id,
                                period=p) for p in bid_periods)
    rows.append(ScenarioRow(BUDGET, "budget_gbp", BUDGET_GBP))
    rows.append(ScenarioRow(BUDGET, "max_new_fte", 0))
    rows.extend(ScenarioRow(BUDGET, "max_new_fte", cap, role_id=role_id)
                for role_id, cap in BUDGET_POSTS.items())
    return tuple(rows)


SOURCES: tuple[str, ...] = (
    "HMICFRS, An inspection of the South East regional response to serious and organised "
    "crime (justiceinspectorates.gov.uk).",
    "Home Office, Police workforce, England and Wales statistics and open data tables "
    "(gov.uk/government/collections/police-workforce-england-and-wales).",
)


def notes_rows(lines: tuple[str, ...]) -> tuple[NoteRow, ...]:
    return tuple(NoteRow(text) for text in lines)

"""The South East sample's Notes sheet: which figures are published (with sources), which
are illustrative, and what each scenario asks. Scenario figures are written from the same
constants that build the Scenarios sheet, so the two cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping

from capacity_planner.io.samples import common


def _in_sentence(name: str) -> str:
    """"Intelligence analyst" -> "intelligence analyst"; "SOCU constable" as it is."""
    return name[0].lower() + name[1:] if name[1:2].islower() else name


NAMES = {r.role_id: _in_sentence(r.name or r.role_id) for r in common.ROLES}
STREAM_NAMES = {s.stream_id: _in_sentence(s.name or s.stream_id) for s in common.STREAMS}


def _posts(caps: Mapping[str, float]) -> str:
    parts = [f"{_plural(NAMES[r])} (up to {n:g} a unit)" if i == 0
             else f"{_plural(NAMES[r])} ({n:g})" for i, (r, n) in enumerate(caps.items())]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _plural(name: str) -> str:
    return name if name.endswith("s") else name + "s"


def _overtime() -> str:
    by_cap: dict[float, list[str]] = {}
    for r in common.ROLES:
        by_cap.setdefault(r.overtime_cap_pct, []).append(_plural(NAMES[r.role_id]))
    parts = [f"{', '.join(names)} {cap:g} %" for cap, names in sorted(by_cap.items(),
                                                                       reverse=True)]
    return "; ".join(parts)


def _weights() -> str:
    by_weight: dict[float, list[str]] = {}
    for st in common.STREAMS:
        by_weight.setdefault(st.weight, []).append(STREAM_NAMES[st.stream_id])
    return "; ".join(f"{', '.join(names)} {w:g}"
                     for w, names in sorted(by_weight.items(), reverse=True))


def scenario_notes(dc_pipeline: dict[str, float], unit_names: dict[str, str],
                   dc_vacancies: float, dc_leavers: float) -> tuple[str, ...]:
    """One line per scenario, in the order of the Scenarios sheet."""
    others = ", ".join(f"{unit_names[u]} {n:g}" for u, n in dc_pipeline.items())
    bid_streams = [STREAM_NAMES[s] for s in common.BID_STREAMS]
    return (
        f"{common.FILL} (recruitment into funded vacancies): each force can recruit and "
        f"start training up to {common.DC_PIPELINE:g} detective constables a quarter "
        f"({others}), about its leavers at {common.OFFICER_LEAVER_PCT} % a year plus "
        "enough to close today's vacancies within the plan, and every unit "
        f"{common.SOCU_PIPELINE:g} SOCU constable a quarter. Recruits fill only funded "
        f"vacancies: today's {dc_vacancies:,.0f} detective constable vacancies and those "
        f"that about {round(dc_leavers, -1):,.0f} leavers open over four years. The plan stops "
        "recruiting where SOC investigation demand is already met, so a force can recruit "
        "fewer than its pipeline allows.",
        f"{common.PROTECT}: neighbourhood officers' abstraction capped at 10 %.",
        f"{common.DEMAND_UP}: every demand stream 20 % higher.",
        f"{common.BID} (the cheapest bid): the cheapest plan that keeps "
        f"{', '.join(bid_streams[:-1])} and {bid_streams[-1]} at "
        f"{common.BID_MIN_SERVICE:g} % or more in every unit from 2027/28 (year one cannot "
        "be helped by posts still in recruitment and training), with every other minimum "
        f"service level kept, by buying new posts: {_posts(common.BID_POSTS)}. Being the "
        "cheapest, it pays for no overtime that a minimum does not need and may move people "
        "off streams that are above their minimum, so a stream outside the bid can fall "
        "a little below the Baseline.",
        f"{common.BUDGET} (what a fixed sum buys): the plan that meets "
        f"most risk-weighted demand with £{common.BUDGET_GBP:,.0f} a year of extra money, "
        f"choosing among new posts: {_posts(common.BUDGET_POSTS)}; no other role grows. A "
        "new post costs its annual cost every year from its start, plus its recruitment. "
        "Overtime counts against the budget too, so the plan may trade "
        "some of the Baseline's overtime for posts; the Baseline's overtime is kept well "
        "below the budget so that most of it can buy posts.",
    )


def notes(dc_pipeline: dict[str, float], unit_names: dict[str, str],
          dc_vacancies: float, dc_leavers: float) -> tuple[str, ...]:
    return (
        "South East region sample planning model: Hampshire and Isle of Wight, Surrey, "
        "Sussex, Thames Valley and the South East Regional Organised Crime Unit (ROCU), "
        "2026/27 to 2029/30 by quarter.",
        "PUBLISHED FIGURES (sources below)",
        "Sussex: 430 detective posts, 373 filled, 99 of them detectives still in training "
        "(Establishment DC row); its SOC team had 5 of 18 detective constable posts vacant "
        "(SOCU_DC row: 18 funded, 13 in post).",
        "Surrey: a proactive team of 6 constables had 3 vacancies (SOCU_DC row: 6 funded, 3 "
        "in post).",
        "Thames Valley: four dedicated surveillance teams, lending to the region (SURV row: "
        "44 funded, about 11 a team); two SOCUs, each of a detective inspector and 12 "
        "detective constables (SOCU_DC row: 24 funded; inspectors are not modelled).",
        "Hampshire: one surveillance team (SURV row: 11 funded) that tracks unmet demand; its "
        "intelligence processing team half vacant (RESEARCHER row: 20 funded, 10 in post).",
        f"Hours: {common.CONTRACTED_HOURS:,} contracted hours a year, about 70 % productive, "
        f"so hours_per_fte is {common.HOURS_PER_FTE:,} for every role.",
        f"Officer leaver rate {common.OFFICER_LEAVER_PCT} % a year (attrition_pct of every "
        "officer role).",
        "ILLUSTRATIVE FIGURES (not published; chosen to be plausible, replace with your own)",
        "Every other establishment, vacancy, training, absence and abstraction figure; all "
        "demand hours; costs (full on-cost per FTE: detective constable GBP 60,000, analyst "
        "GBP 45,000), recruitment costs, lead times, training months, efficiencies, sharing "
        "limits, weights and minimum service levels; staff attrition rates; overtime caps "
        "and premiums; every scenario figure below.",
        "abstraction_pct is the share of a role's time that goes to work outside this SOC "
        "model: detective constables 75 % (non-SOC casework), response officers 85 % "
        "(emergency response), neighbourhood officers 30-35 % (abstracted to response duty, "
        "which the inspection found cuts community intelligence and prevention).",
        "Overtime is rationed (overtime_cap_pct, a share of available hours): "
        f"{_overtime()}. Neighbourhood and response officers' overtime goes on events and "
        "response peaks rather than SOC work, so none is modelled. Premium: time and a "
        "third for officers, time and a half for staff.",
        f"Weights (how much an unmet hour matters): {_weights()}.",
        "Demand grows about 2 % a year; community work peaks in summer and response "
        "support in winter.",
        "SCENARIOS",
        *scenario_notes(dc_pipeline, unit_names, dc_vacancies, dc_leavers),
        "SOURCES",
        *common.SOURCES,
    )

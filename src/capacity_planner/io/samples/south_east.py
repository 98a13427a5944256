"""The South East sample: Hampshire and Isle of Wight, Surrey, Sussex, Thames Valley and the
South East ROCU, four years by quarter. The published figures are those of the HMICFRS
inspection of the region and Home Office workforce statistics (see ``NOTES``); every other
figure is illustrative, sized so that the Baseline shows the uneven shortfalls the
inspection describes.
"""

from __future__ import annotations

from capacity_planner.domain.entities import DemandRow, EstablishmentRow, SharingRule, Unit
from capacity_planner.domain.model import PlanningModel
from capacity_planner.io.samples import common, south_east_notes

HAMPSHIRE, SURREY, SUSSEX, THAMES_VALLEY, ROCU = (
    "HAMPSHIRE", "SURREY", "SUSSEX", "THAMES_VALLEY", "SE_ROCU")
FORCES = (HAMPSHIRE, SURREY, SUSSEX, THAMES_VALLEY)

UNITS: tuple[Unit, ...] = (
    Unit(HAMPSHIRE, "Hampshire and Isle of Wight Constabulary", "force", common.REGION),
    Unit(SURREY, "Surrey Police", "force", common.REGION),
    Unit(SUSSEX, "Sussex Police", "force", common.REGION),
    Unit(THAMES_VALLEY, "Thames Valley Police", "force", common.REGION),
    Unit(ROCU, "South East Regional Organised Crime Unit", "rocu", common.REGION),
)

# role -> unit -> (funded, in post, in training, absent, abstraction %[, training months left])
ESTABLISHMENT: dict[str, dict[str, tuple[float, ...]]] = {
    "ANALYST": {HAMPSHIRE: (22, 15, 2, 1, 10), SURREY: (14, 10, 1, 1, 10),
                SUSSEX: (20, 14, 2, 1, 10), THAMES_VALLEY: (30, 16, 3, 1, 10),
                ROCU: (16, 13, 1, 1, 5)},
    "RESEARCHER": {HAMPSHIRE: (20, 10, 2, 1, 10), SURREY: (10, 8, 1, 0, 10),
                   SUSSEX: (14, 11, 1, 1, 10), THAMES_VALLEY: (22, 17, 2, 1, 10),
                   ROCU: (10, 9, 0, 0, 5)},
    "FIN_INV": {HAMPSHIRE: (8, 6, 1, 0, 10), SURREY: (5, 3, 1, 0, 10), SUSSEX: (7, 5, 1, 0, 10),
                THAMES_VALLEY: (10, 7, 1, 0, 10), ROCU: (16, 12, 2, 1, 5, 9)},
    "FIN_INTEL": {HAMPSHIRE: (4, 3, 0, 0, 10), SURREY: (3, 2, 0, 0, 10),
                  SUSSEX: (4, 3, 1, 0, 10), THAMES_VALLEY: (6, 4, 1, 0, 10),
                  ROCU: (8, 6, 1, 0, 5)},
    "DC": {HAMPSHIRE: (480, 428, 70, 14, 75, 12), SURREY: (300, 262, 45, 9, 75, 12),
           SUSSEX: (430, 373, 99, 12, 75, 12), THAMES_VALLEY: (700, 622, 110, 20, 75, 12)},
    "SURV": {HAMPSHIRE: (11, 10, 1, 0, 10), SURREY: (11, 9, 1, 0, 10),
             SUSSEX: (11, 10, 0, 1, 10), THAMES_VALLEY: (44, 42, 2, 1, 10),
             ROCU: (22, 20, 2, 1, 5)},
    "SOCU_DC": {HAMPSHIRE: (20, 17, 2, 1, 10), SURREY: (6, 3, 0, 0, 10),
                SUSSEX: (18, 13, 1, 1, 10), THAMES_VALLEY: (24, 23, 2, 1, 10),
                ROCU: (40, 34, 3, 1, 5)},
    "NHOOD": {HAMPSHIRE: (420, 396, 20, 12, 30), SURREY: (250, 236, 12, 7, 30),
              SUSSEX: (330, 310, 16, 9, 35), THAMES_VALLEY: (480, 455, 25, 14, 30)},
    "PCSO": {HAMPSHIRE: (250, 212, 10, 8, 5), SURREY: (110, 96, 5, 3, 5),
             SUSSEX: (190, 161, 8, 6, 5), THAMES_VALLEY: (300, 257, 12, 9, 5)},
    "RESPONSE": {HAMPSHIRE: (1100, 1062, 90, 35, 85), SURREY: (620, 601, 50, 20, 85),
                 SUSSEX: (900, 868, 75, 28, 85), THAMES_VALLEY: (1500, 1452, 120, 45, 85)},
    "CYBER": {HAMPSHIRE: (6, 4, 1, 0, 10), SURREY: (4, 3, 0, 0, 10), SUSSEX: (5, 4, 1, 0, 10),
              THAMES_VALLEY: (8, 6, 1, 0, 10), ROCU: (14, 10, 2, 0, 5)},
}

# stream -> unit -> demand hours in the first quarter (grows by common.demand_factor)
DEMAND_Q1: dict[str, dict[str, float]] = {
    "INTEL_ANALYSIS": {HAMPSHIRE: 5_000, SURREY: 3_200, SUSSEX: 4_600, THAMES_VALLEY: 7_400,
                       ROCU: 4_500},
    "COMMS_DATA": {HAMPSHIRE: 3_200, SURREY: 1_900, SUSSEX: 2_500, THAMES_VALLEY: 3_900,
                   ROCU: 2_600},
    "FIN_INVEST": {HAMPSHIRE: 2_800, SURREY: 1_600, SUSSEX: 2_300, THAMES_VALLEY: 3_300,
                   ROCU: 4_400},
    "SOC_INVEST": {HAMPSHIRE: 29_000, SURREY: 20_500, SUSSEX: 30_000, THAMES_VALLEY: 40_000,
                   ROCU: 10_500},
    "SURVEILLANCE": {HAMPSHIRE: 6_800, SURREY: 2_600, SUSSEX: 2_800, THAMES_VALLEY: 8_200,
                     ROCU: 6_500},
    "COMMUNITY": {HAMPSHIRE: 124_000, SURREY: 69_000, SUSSEX: 92_000, THAMES_VALLEY: 150_000},
    "RESPONSE_SUPPORT": {HAMPSHIRE: 40_000, SURREY: 23_000, SUSSEX: 33_000,
                         THAMES_VALLEY: 54_000},
    "CYBER": {HAMPSHIRE: 1_100, SURREY: 720, SUSSEX: 980, THAMES_VALLEY: 1_530, ROCU: 2_550},
}


# Fill detective vacancies: trainee detective constables a quarter where a force's pipeline
# differs from common.DC_PIPELINE (sized to its leavers and vacancies).
DC_PIPELINE: dict[str, float] = {SURREY: 7, THAMES_VALLEY: 15}


def establishment() -> tuple[EstablishmentRow, ...]:
    rows = []
    for role_id, by_unit in ESTABLISHMENT.items():
        for unit_id, values in by_unit.items():
            funded, in_post, training, absent, abstraction, *left = values
            rows.append(EstablishmentRow(unit_id, role_id, funded, in_post, training, absent,
                                         abstraction, left[0] if left else None))
    return tuple(sorted(rows, key=lambda r: (_unit_order(r.unit_id), _role_order(r.role_id))))


def demand(periods: tuple[str, ...]) -> tuple[DemandRow, ...]:
    rows: list[DemandRow] = []
    for unit in UNITS:
        for stream in common.STREAMS:
            base = DEMAND_Q1[stream.stream_id].get(unit.unit_id)
            if base is None:
                continue
            rows.extend(DemandRow(unit.unit_id, stream.stream_id, period,
                                  float(round(base * common.demand_factor(stream.stream_id, i))))
                        for i, period in enumerate(periods))
    return tuple(rows)


def sharing() -> tuple[SharingRule, ...]:
    """Every unit can lend surveillance to the others (Thames Valley, with four teams, the
    most); the ROCU lends financial investigators, financial intelligence officers and
    cyber investigators to the forces."""
    rows: list[SharingRule] = []
    for lender in (*FORCES, ROCU):
        share = 30.0 if lender == THAMES_VALLEY else 20.0
        rows.extend(SharingRule(lender, borrower, share, "SURV", 0.85)
                    for borrower in (*FORCES, ROCU) if borrower != lender)
    for role_id, share in (("FIN_INV", 40.0), ("FIN_INTEL", 40.0), ("CYBER", 50.0)):
        rows.extend(SharingRule(ROCU, force, share, role_id, 0.95) for force in FORCES)
    return tuple(rows)


def _unit_order(unit_id: str) -> int:
    return [u.unit_id for u in UNITS].index(unit_id)


def _role_order(role_id: str) -> int:
    return [r.role_id for r in common.ROLES].index(role_id)


def _dc_vacancies_and_leavers() -> tuple[float, float]:
    """Detective constable vacancies today and leavers over the plan at the officer
    leaver rate (for the Notes' account of the Fill detective vacancies scenario)."""
    rows = ESTABLISHMENT["DC"].values()
    vacant = sum(r[0] - r[1] for r in rows)
    stay = (1 - common.OFFICER_LEAVER_PCT / 100) ** common.YEARS
    return vacant, sum(r[1] for r in rows) * (1 - stay)


NOTES: tuple[str, ...] = south_east_notes.notes(
    DC_PIPELINE, {u.unit_id: u.name for u in UNITS}, *_dc_vacancies_and_leavers())


def south_east_model() -> PlanningModel:
    periods = common.quarter_periods()
    names = tuple(p.period for p in periods)
    return PlanningModel(
        units=UNITS,
        roles=common.ROLES,
        establishment=establishment(),
        streams=common.STREAMS,
        demand=demand(names),
        skills=common.SKILLS,
        sharing=sharing(),
        periods=periods,
        scenarios=common.scenarios(bid_periods=names[4:], dc_pipeline=DC_PIPELINE),
        notes=common.notes_rows(NOTES),
    )

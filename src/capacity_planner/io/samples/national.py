"""National-scale models: the 43 territorial forces of England and Wales in their 10 regions,
with the 9 regional organised crime units (London has none: the Metropolitan Police does
that work), the sample's roles and streams and 16 quarters (issue 7).

The South East region is the sample itself. Every other force is generated from the South
East's figures per officer, scaled by the force's approximate number of officers and
varied by a seeded random jitter, so the same seed always gives the same model. ROCUs are
scaled by their region's officers. Officer numbers are rounded approximations of the Home
Office workforce statistics and, like everything generated here, illustrative.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import replace

from capacity_planner.domain.entities import (
    DemandRow,
    EstablishmentRow,
    NoteRow,
    ScenarioRow,
    SharingRule,
    Unit,
)
from capacity_planner.domain.ids import id_key
from capacity_planner.domain.model import PlanningModel
from capacity_planner.io.samples import common, south_east

DEFAULT_SEED = 2026

# region -> (ROCU id and name or None, [(force id, force name, approximate officers)])
REGIONS: dict[str, tuple[tuple[str, str] | None, tuple[tuple[str, str, int], ...]]] = {
    "North East": (("NE_ROCU", "North East Regional Special Operations Unit"), (
        ("CLEVELAND", "Cleveland Police", 1_500),
        ("DURHAM", "Durham Constabulary", 1_300),
        ("NORTHUMBRIA", "Northumbria Police", 3_700))),
    "North West": (("NW_ROCU", "North West Regional Organised Crime Unit"), (
        ("CHESHIRE", "Cheshire Constabulary", 2_300),
        ("CUMBRIA", "Cumbria Constabulary", 1_300),
        ("GREATER_MANCHESTER", "Greater Manchester Police", 8_000),
        ("LANCASHIRE", "Lancashire Constabulary", 3_400),
        ("MERSEYSIDE", "Merseyside Police", 4_100))),
    "Yorkshire and the Humber": (("YH_ROCU", "Yorkshire and the Humber Regional Organised "
                                              "Crime Unit"), (
        ("HUMBERSIDE", "Humberside Police", 2_200),
        ("NORTH_YORKSHIRE", "North Yorkshire Police", 1_600),
        ("SOUTH_YORKSHIRE", "South Yorkshire Police", 3_100),
        ("WEST_YORKSHIRE", "West Yorkshire Police", 6_000))),
    "East Midlands": (("EM_ROCU", "East Midlands Special Operations Unit"), (
        ("DERBYSHIRE", "Derbyshire Constabulary", 2_000),
        ("LEICESTERSHIRE", "Leicestershire Police", 2_300),
        ("LINCOLNSHIRE", "Lincolnshire Police", 1_300),
        ("NORTHAMPTONSHIRE", "Northamptonshire Police", 1_500),
        ("NOTTINGHAMSHIRE", "Nottinghamshire Police", 2_400))),
    "West Midlands": (("WM_ROCU", "West Midlands Regional Organised Crime Unit"), (
        ("STAFFORDSHIRE", "Staffordshire Police", 2_000),
        ("WARWICKSHIRE", "Warwickshire Police", 1_100),
        ("WEST_MERCIA", "West Mercia Police", 2_500),
        ("WEST_MIDLANDS", "West Midlands Police", 8_000))),
    "Eastern": (("EASTERN_ROCU", "Eastern Region Special Operations Unit"), (
        ("BEDFORDSHIRE", "Bedfordshire Police", 1_400),
        ("CAMBRIDGESHIRE", "Cambridgeshire Constabulary", 1_700),
        ("ESSEX", "Essex Police", 3_700),
        ("HERTFORDSHIRE", "Hertfordshire Constabulary", 2_300),
        ("KENT", "Kent Police", 4_100),
        ("NORFOLK", "Norfolk Constabulary", 1_900),
        ("SUFFOLK", "Suffolk Constabulary", 1_400))),
    "London": (None, (
        ("METROPOLITAN", "Metropolitan Police Service", 34_000),
        ("CITY_OF_LONDON", "City of London Police", 1_000))),
    common.REGION: ((south_east.ROCU, "South East Regional Organised Crime Unit"), (
        (south_east.HAMPSHIRE, "Hampshire and Isle of Wight Constabulary", 3_400),
        (south_east.SURREY, "Surrey Police", 2_200),
        (south_east.SUSSEX, "Sussex Police", 3_200),
        (south_east.THAMES_VALLEY, "Thames Valley Police", 5_000))),
    "South West": (("SW_ROCU", "South West Regional Organised Crime Unit"), (
        ("AVON_SOMERSET", "Avon and Somerset Police", 3_100),
        ("DEVON_CORNWALL", "Devon and Cornwall Police", 3_600),
        ("DORSET", "Dorset Police", 1_400),
        ("GLOUCESTERSHIRE", "Gloucestershire Constabulary", 1_300),
        ("WILTSHIRE", "Wiltshire Police", 1_100))),
    "Wales": (("WALES_ROCU", "Southern Wales and Tarian Regional Organised Crime Unit"), (
        ("DYFED_POWYS", "Dyfed-Powys Police", 1_300),
        ("GWENT", "Gwent Police", 1_500),
        ("NORTH_WALES", "North Wales Police", 1_600),
        ("SOUTH_WALES", "South Wales Police", 3_500))),
}

SIZES = ("force", "region", "national")


def national_model(seed: int = DEFAULT_SEED) -> PlanningModel:
    """All 43 forces and 9 ROCUs, 16 quarters; deterministic for a given ``seed``."""
    base = south_east.south_east_model()
    rng = random.Random(seed)
    periods = tuple(p.period for p in base.periods)
    se_officers = sum(n for _, _, n in REGIONS[common.REGION][1])
    force_profile, rocu_profile = _profiles(base, se_officers)
    units: list[Unit] = []
    establishment: list[EstablishmentRow] = []
    demand: list[DemandRow] = []
    sharing: list[SharingRule] = []
    scale: dict[str, float] = {}
    for region, (rocu, forces) in REGIONS.items():
        region_officers = sum(n for _, _, n in forces)
        members = [f for f, _, _ in forces] + ([rocu[0]] if rocu else [])
        if region == common.REGION:
            units.extend(base.units)
            establishment.extend(base.establishment)
            demand.extend(base.demand)
            sharing.extend(base.sharing)
            scale.update({u: 1.0 for u in members})
            continue
        for force_id, name, officers in forces:
            units.append(Unit(force_id, name, "force", region))
            k = officers / (se_officers / len(forces_of(common.REGION)))
            scale[force_id] = k
            establishment.extend(_establishment(force_id, force_profile, officers, rng))
            demand.extend(_demand(force_id, force_profile, officers, periods, rng))
        if rocu:
            rocu_id, rocu_name = rocu
            units.append(Unit(rocu_id, rocu_name, "rocu", region))
            k = region_officers / se_officers
            scale[rocu_id] = k
            establishment.extend(_establishment(rocu_id, rocu_profile, region_officers, rng))
            demand.extend(_demand(rocu_id, rocu_profile, region_officers, periods, rng))
        sharing.extend(_sharing([f for f, _, _ in forces], rocu[0] if rocu else None))
    return PlanningModel(
        units=tuple(units), roles=base.roles, establishment=tuple(establishment),
        streams=base.streams, demand=tuple(demand), skills=base.skills,
        sharing=tuple(sharing), periods=base.periods,
        scenarios=_scaled_scenarios(base.scenarios, scale),
        notes=tuple(NoteRow(t) for t in NATIONAL_NOTES))


def forces_of(region: str) -> tuple[str, ...]:
    return tuple(f for f, _, _ in REGIONS[region][1])


def model_of_size(size: str, seed: int = DEFAULT_SEED) -> PlanningModel:
    """``force``: Sussex alone; ``region``: the South East sample; ``national``: every
    force and ROCU of England and Wales."""
    if size == "region":
        return south_east.south_east_model()
    if size == "force":
        return subset_model(south_east.south_east_model(), (south_east.SUSSEX,))
    if size == "national":
        return national_model(seed)
    raise ValueError(f"Unknown model size {size!r}; expected one of {', '.join(SIZES)}")


def subset_model(model: PlanningModel, unit_ids: tuple[str, ...]) -> PlanningModel:
    """The model restricted to some units: their rows, the sharing among them and the
    scenario rows that target them or no unit in particular."""
    keep = {id_key(u) for u in unit_ids}

    def ok(unit_id: str) -> bool:
        return not unit_id or id_key(unit_id) in keep

    names = ", ".join(u.name or u.unit_id for u in model.units if id_key(u.unit_id) in keep)
    return replace(
        model,
        units=tuple(u for u in model.units if id_key(u.unit_id) in keep),
        establishment=tuple(e for e in model.establishment if id_key(e.unit_id) in keep),
        demand=tuple(d for d in model.demand if id_key(d.unit_id) in keep),
        sharing=tuple(s for s in model.sharing
                      if id_key(s.from_unit) in keep and id_key(s.to_unit) in keep),
        scenarios=tuple(s for s in model.scenarios if ok(s.unit_id)),
        notes=(NoteRow(f"Single-force model: {names}, cut from the South East sample "
                       "(the region's sharing with other units is left out)."),
               *model.notes),
    )


Profile = dict[str, tuple[float, ...]]


def _profiles(base: PlanningModel, se_officers: int) -> tuple[Profile, Profile]:
    """Per-officer figures of the South East forces (summed) and of its ROCU (per officer
    of the region): role -> (funded, in post, in training, absent per officer, abstraction
    %), and stream -> (first-quarter demand per officer,)."""
    forces = {id_key(f) for f in forces_of(common.REGION)}
    rocu = id_key(south_east.ROCU)
    force_sum: dict[str, list[float]] = defaultdict(lambda: [0.0] * 5)
    rocu_profile: Profile = {}
    for e in base.establishment:
        values = (e.funded_fte, e.in_post_fte, e.in_training_fte, e.absent_fte)
        if id_key(e.unit_id) in forces:
            acc = force_sum[e.role_id]
            for i, v in enumerate(values):
                acc[i] += v / se_officers
            acc[4] = e.abstraction_pct  # the same in every South East force but NHOOD
        elif id_key(e.unit_id) == rocu:
            rocu_profile[e.role_id] = (*(v / se_officers for v in values), e.abstraction_pct)
    force_profile: Profile = {k: tuple(v) for k, v in force_sum.items()}
    first = base.periods[0].period
    for d in base.demand:
        if d.period != first:
            continue
        target = force_profile if id_key(d.unit_id) in forces else rocu_profile
        key = f"demand:{d.stream_id}"
        target[key] = (target.get(key, (0.0,))[0] + d.hours / se_officers,)
    return force_profile, rocu_profile


def _establishment(unit_id: str, profile: Profile, officers: int,
                   rng: random.Random) -> list[EstablishmentRow]:
    rows = []
    for role in common.ROLES:
        if role.role_id not in profile:
            continue
        funded_rate, post_rate, training_rate, absent_rate, abstraction = profile[role.role_id]
        funded = max(1.0, float(round(funded_rate * officers * rng.uniform(0.85, 1.15))))
        fill = post_rate / funded_rate * rng.uniform(0.93, 1.05)
        in_post = float(min(funded, max(1.0, round(funded * fill))))
        training = float(round(in_post * training_rate / post_rate * rng.uniform(0.7, 1.3)))
        absent = float(round(in_post * absent_rate / post_rate * rng.uniform(0.7, 1.3)))
        training = min(training, in_post)
        absent = min(absent, in_post - training)
        if role.role_id == "NHOOD":
            abstraction = float(round(rng.uniform(22, 40)))
        left = 12.0 if role.role_id == "DC" else None
        rows.append(EstablishmentRow(unit_id, role.role_id, funded, in_post, training, absent,
                                     abstraction, left))
    return rows


def _demand(unit_id: str, profile: Profile, officers: int, periods: tuple[str, ...],
            rng: random.Random) -> list[DemandRow]:
    rows: list[DemandRow] = []
    for stream in common.STREAMS:
        rate = profile.get(f"demand:{stream.stream_id}")
        if rate is None:
            continue
        base = rate[0] * officers * rng.uniform(0.85, 1.15)
        rows.extend(DemandRow(unit_id, stream.stream_id, p,
                              float(round(base * common.demand_factor(stream.stream_id, i))))
                    for i, p in enumerate(periods))
    return rows


def _sharing(forces: list[str], rocu: str | None) -> list[SharingRule]:
    """As in the South East: surveillance lent between every pair of units in the region;
    the ROCU lends financial investigation and cyber capability to its forces."""
    members = [*forces, *([rocu] if rocu else [])]
    rows = [SharingRule(a, b, 20.0, "SURV", 0.85) for a in members for b in members if a != b]
    if rocu:
        for role_id, share in (("FIN_INV", 40.0), ("FIN_INTEL", 40.0), ("CYBER", 50.0)):
            rows.extend(SharingRule(rocu, f, share, role_id, 0.95) for f in forces)
    return rows


def _scaled_scenarios(rows: tuple[ScenarioRow, ...],
                      scale: dict[str, float]) -> tuple[ScenarioRow, ...]:
    """The sample's scenarios; caps given per unit (``recruit_fte_max``, ``max_new_fte``)
    become one row per unit, scaled by its size, so a large force is not held to a small
    force's pipeline. The region's budget grows with the nation (to whole £ millions, the
    scenario renamed to match): £2m a year spread over 52 units would be less than the
    overtime the national Baseline already pays, which counts against it."""
    factor = sum(scale.values()) / len(south_east.UNITS)
    millions = max(1, round(common.BUDGET_GBP * factor / 1e6))
    budget_name = f"£{millions}m a year for posts"
    out: list[ScenarioRow] = []
    for row in rows:
        if row.scenario == common.BUDGET:
            row = replace(row, scenario=budget_name)
            if id_key(row.parameter) == "budget_gbp":
                row = replace(row, value=millions * 1e6)
        if id_key(row.parameter) in ("recruit_fte_max", "max_new_fte") and not row.unit_id:
            for unit_id, k in scale.items():
                v = float(row.value)
                value = 0.0 if v == 0 else max(1.0, float(round(v * k)))
                out.append(replace(row, unit_id=unit_id, value=value))
        else:
            out.append(row)
    return tuple(out)


NATIONAL_NOTES: tuple[str, ...] = (
    "National-scale planning model: the 43 territorial police forces of England and Wales "
    "in their 10 regions and the 9 regional organised crime units, 2026/27 to 2029/30 by "
    "quarter. Generated for benchmarking and demonstration; not a description of any force.",
    "The South East region is the bundled South East sample, with its published figures "
    "(see that workbook's Notes). Every other force and ROCU is generated from the South "
    "East's establishment and demand per officer, scaled by the force's approximate number "
    "of officers (rounded, illustrative figures after the Home Office police workforce "
    "statistics) and varied by a seeded random jitter. All of it is illustrative.",
    "Sharing: surveillance between every pair of units in a region; each ROCU lends "
    "financial investigators, financial intelligence officers and cyber investigators to "
    "its forces. London has no ROCU.",
    "Scenario caps on recruitment and new posts are scaled by each unit's size, and the "
    "South East's budget scenario by the nation's size.",
    "SOURCES",
    *common.SOURCES,
)

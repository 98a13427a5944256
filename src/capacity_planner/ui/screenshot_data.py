"""Files the screenshots (and a planner trying the app) need that the sample does not ship:
an open data table in the Home Office layout for the South East forces, and a copy of the
sample with an Actuals sheet. No Qt here."""

from __future__ import annotations

import itertools
from pathlib import Path

import pandas as pd

from capacity_planner.domain.actuals import ActualRow
from capacity_planner.domain.ids import id_key
from capacity_planner.domain.model import PlanningModel
from capacity_planner.optimise.result import Result

OPEN_DATA_HEADERS = ["As at 31 March", "Geocode", "Force name", "Region", "Sex", "Rank",
                     "Worker type", "Total (Headcount)", "Total (FTE)"]
# published force name -> (geocode, region, unit_id in the sample, scale of the model's FTE)
FORCES = {
    "Hampshire": ("E23000030", "South East", "HAMPSHIRE", 1.04),
    "Surrey": ("E23000031", "South East", "SURREY", 0.97),
    "Sussex": ("E23000033", "South East", "SUSSEX", 1.01),
    "Thames Valley": ("E23000029", "South East", "THAMES_VALLEY", 1.06),
    "Kent": ("E23000032", "South East", "", 1.0),
}
OFFICER_ROLES = ("DC", "NHOOD", "RESPONSE")
RANKS = (("Constable", 0.8), ("Sergeant", 0.15), ("Inspector", 0.05))


def open_data_rows(model: PlanningModel, years: tuple[int, ...] = (2024, 2025)) -> list[tuple]:
    """Published lines whose officers and PCSOs are near the model's own in-post FTE."""
    in_post: dict[tuple[str, str], float] = {}
    for e in model.establishment:
        key = (id_key(e.unit_id), id_key(e.role_id))
        in_post[key] = in_post.get(key, 0.0) + e.in_post_fte
    rows = []
    for year, (force, (geo, region, unit, scale)) in itertools.product(years, FORCES.items()):
        drift = scale if year == years[-1] else 1.0
        unit_key = id_key(unit) if unit else ""
        officers = sum(in_post.get((unit_key, id_key(r)), 0.0) for r in OFFICER_ROLES) or 900
        pcsos = in_post.get((unit_key, "pcso"), 0.0) or 120
        for sex, share in (("Female", 0.42), ("Male", 0.58)):
            for rank, part in RANKS:
                fte = round(officers * drift * share * part, 2)
                rows.append((year, geo, force, region, sex, rank, "Police Officer",
                             round(fte * 1.03), fte))
            fte = round(pcsos * drift * share, 2)
            rows.append((year, geo, force, region, sex, "PCSO",
                         "Police Community Support Officer", round(fte * 1.05), fte))
            rows.append((year, geo, force, region, sex, "Police Staff", "Police Staff",
                         round(1500 * share), round(1400 * share, 2)))
    return rows


def write_open_data(path: Path, rows: list[tuple]) -> Path:
    """An ``.ods`` in the published layout: a cover sheet, then ``Data``."""
    with pd.ExcelWriter(path, engine="odf") as writer:
        pd.DataFrame([["Police workforce open data table"]]).to_excel(
            writer, sheet_name="Cover", index=False, header=False)
        pd.DataFrame(rows, columns=OPEN_DATA_HEADERS).to_excel(writer, sheet_name="Data",
                                                               index=False)
    return path


def actuals_of(result: Result, periods: int = 4,
               shortfall: dict[tuple[str, str], float] | None = None) -> list[ActualRow]:
    """The Baseline's delivery over its first ``periods`` periods as recorded actuals, with
    ``shortfall`` (unit, stream) -> fraction less recorded than modelled."""
    shortfall = shortfall or {}
    coverage = result.coverage
    first = list(dict.fromkeys(coverage["period"]))[:periods]
    rows = []
    for r in coverage[coverage["period"].isin(first)].itertuples():
        less = shortfall.get((str(r.unit), str(r.stream)), 0.0)
        rows.append(ActualRow(str(r.unit), str(r.stream), str(r.period),
                              round(float(r.delivered_hours) * (1 - less), 1)))
    return rows

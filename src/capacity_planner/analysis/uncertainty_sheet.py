"""The optional Uncertainty sheet of a planning workbook: one row per stream.

| column | meaning |
|---|---|
| stream_id* | a stream of the Streams sheet |
| distribution* | ``normal``, ``lognormal`` or ``triangular`` |
| cv_pct | normal and lognormal: coefficient of variation, % of the forecast |
| low_pct, mode_pct (0), high_pct | triangular: % change from the forecast, e.g. -20, 0, 30 |

The planning-workbook reader does not keep sheets it does not know, so this module reads
the sheet itself (calamine through pandas), after ``load_model`` has pre-flighted the file.
Headers follow the workbook's rules (case and spaces ignored, ``%`` reads as ``pct``,
brackets dropped; the header row is the first of the first 20 that holds the required
columns). Streams without a row use the run's ``--cv``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from capacity_planner.analysis.uncertainty import DISTRIBUTIONS, StreamUncertainty
from capacity_planner.domain.ids import clean_id, id_key
from capacity_planner.domain.model import PlanningModel
from capacity_planner.domain.problems import Location, Problem, error, note

SHEET = "Uncertainty"
REQUIRED = ("stream_id", "distribution")
NUMBERS = ("cv_pct", "low_pct", "mode_pct", "high_pct")
READABLE = (".xlsx", ".xlsm", ".ods")


def header_key(text: object) -> str:
    """``Low (%)`` -> ``low_pct``: the workbook's header rules."""
    t = str(text or "").strip().lower().replace("%", " pct ")
    t = re.sub(r"[()\[\]{}]", " ", t)
    return "_".join(t.split())


def read_uncertainty(path: str | Path, model: PlanningModel
                     ) -> tuple[list[StreamUncertainty], list[Problem]]:
    """The sheet's distributions (none if the workbook has no Uncertainty sheet)."""
    path = Path(path)
    if path.suffix.lower() not in READABLE:
        return [], []
    try:
        from python_calamine import CalamineWorkbook

        names = CalamineWorkbook.from_path(str(path)).sheet_names
    except Exception as exc:  # noqa: BLE001 - any reader failure is one problem
        return [], [error(f"Cannot read the workbook's sheets: {exc}", Location(str(path)))]
    sheet = next((n for n in names if header_key(n) == header_key(SHEET)), None)
    if sheet is None:
        return [], []
    try:
        raw = pd.read_excel(path, sheet_name=sheet, header=None, dtype=object,
                            engine="calamine")
    except Exception as exc:  # noqa: BLE001
        return [], [error(f"Cannot read the sheet: {exc}", Location(str(path), sheet))]
    return _parse(raw, model, Location(str(path), sheet))


def _parse(raw: pd.DataFrame, model: PlanningModel, where: Location
           ) -> tuple[list[StreamUncertainty], list[Problem]]:
    header_row = None
    for i in range(min(20, len(raw))):
        keys = [header_key(v) for v in raw.iloc[i].tolist()]
        if all(r in keys for r in REQUIRED):
            header_row, columns = i, keys
            break
    if header_row is None:
        return [], [error("The Uncertainty sheet has no header row with stream_id and "
                          "distribution", where, expected="columns " + ", ".join(REQUIRED))]
    col = {k: columns.index(k) for k in (*REQUIRED, *NUMBERS) if k in columns}
    problems: list[Problem] = []
    rows = raw.iloc[header_row + 1:]
    # Percent columns holding only values within [-1, 1] were typed as fractions
    # (a cell formatted 25 % holds 0.25): DESIGN section 3.
    fractions: set[str] = set()
    for name in NUMBERS:
        if name in col:
            found = [n for v in rows.iloc[:, col[name]].tolist()
                     if (n := _number(v)) is not None]
            if found and all(-1 <= v <= 1 for v in found) and any(v != 0 for v in found):
                fractions.add(name)
                problems.append(note(f"{name} values all lie within -1 to 1, so they are "
                                     "read as fractions (0.15 = 15 %)",
                                     _at(where, header_row + 1, name)))
    out: list[StreamUncertainty] = []
    seen: set[str] = set()
    for offset, (_, row) in enumerate(rows.iterrows()):
        excel_row = header_row + 2 + offset
        cells = row.tolist()
        if all(_blank(v) for v in cells):
            continue
        stream = clean_id(cells[col["stream_id"]])
        dist = id_key(cells[col["distribution"]])
        here = _at(where, excel_row, "stream_id")
        if id_key(stream) not in model.stream_by_key:
            problems.append(error("Unknown stream", here, stream, "a stream_id of Streams"))
            continue
        if id_key(stream) in seen:
            problems.append(error("Duplicate stream: one Uncertainty row per stream", here,
                                  stream))
            continue
        seen.add(id_key(stream))
        if dist not in DISTRIBUTIONS:
            problems.append(error("Unknown distribution", _at(where, excel_row,
                                  "distribution"), cells[col["distribution"]],
                                  " or ".join(DISTRIBUTIONS)))
            continue
        values: dict[str, float] = {}
        bad = False
        for name in NUMBERS:
            cell = cells[col[name]] if name in col else None
            if _blank(cell):
                continue
            v = _number(cell)
            if v is None:
                problems.append(error("Not a number", _at(where, excel_row, name), cell,
                                      "a percentage"))
                bad = True
                continue
            values[name] = v * 100 if name in fractions else v
        if bad:
            continue
        item, problem = _make(model.stream_by_key[id_key(stream)].stream_id, dist, values,
                              lambda name, r=excel_row: _at(where, r, name))
        if problem:
            problems.append(problem)
        else:
            out.append(item)
    return out, problems


def _make(stream: str, dist: str, v: dict[str, float], at
          ) -> tuple[StreamUncertainty, Problem | None]:
    if dist == "triangular":
        low, mode, high = v.get("low_pct"), v.get("mode_pct", 0.0), v.get("high_pct")
        item = StreamUncertainty(stream, dist, 0.0, low or 0.0, mode, high or 0.0)
        if low is None or high is None:
            missing = "low_pct" if low is None else "high_pct"
            return item, error("A triangular distribution needs low_pct and high_pct",
                               at(missing), None, "a % change, e.g. -20 and 30")
        if not low <= mode <= high:
            return item, error("Triangular limits out of order", at("mode_pct"), mode,
                               f"low_pct ({low:g}) <= mode_pct <= high_pct ({high:g})")
        if low < -100:
            return item, error("Demand cannot fall by more than 100 %", at("low_pct"), low,
                               "-100 or more")
        return item, None
    cv = v.get("cv_pct")
    item = StreamUncertainty(stream, dist, cv or 0.0)
    if cv is None:
        return item, error(f"A {dist} distribution needs cv_pct", at("cv_pct"), None,
                           "a percentage, e.g. 15")
    if cv < 0:
        return item, error("cv_pct cannot be negative", at("cv_pct"), cv, "0 or more")
    return item, None


def _at(where: Location, row: int, column: str) -> Location:
    return Location(where.file, where.sheet, row, column)


def _blank(v: object) -> bool:
    return v is None or (isinstance(v, float) and v != v) or str(v).strip() == ""


def _number(v: object) -> float | None:
    if _blank(v) or isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return float(v)
    text = str(v).strip().replace(",", "").removesuffix("%").strip()
    try:
        return float(text)
    except ValueError:
        return None

"""No exported workbook holds a formula, whatever the planner typed (DESIGN section 8):
text beginning with =, +, -, @, a tab, CR or LF, or written as an array formula {=...},
is written as text by the planning workbook writer, the results workbook and the analysis
tables; CSV cells that a spreadsheet would run are prefixed with '. The reader reports
control characters and over-long text with the cell named."""

from __future__ import annotations

import csv
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import openpyxl
import pandas as pd

from capacity_planner.analysis.export import write_tables
from capacity_planner.domain.entities import NoteRow
from capacity_planner.io import load_model
from capacity_planner.io.samples import south_east_model
from capacity_planner.io.writer import save_model
from capacity_planner.optimise import solve_scenario
from capacity_planner.reporting.workbook import write_results
from corpus import xlsx_book
from test_io_fixtures import minimal_sheets

HOSTILE = ("=1+1", "+44 1234", "-2 team", "@SUM(A1:A9)", "\tTabbed", "\rCarriage",
           "\nLine", "{=A1:A2*2}", '=HYPERLINK("http://example.invalid","click")',
           "=cmd|' /C calc'!A0")
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")


def formula_cells(path: Path) -> list[str]:
    """Every worksheet part that holds a formula tag (read as raw XML, not through a
    library that might hide one)."""
    with zipfile.ZipFile(path) as zf:
        return [n for n in zf.namelist() if n.startswith("xl/worksheets/")
                and _FORMULA.search(zf.read(n))]


def hostile_model():
    model = south_east_model()
    units = tuple(replace(u, name=HOSTILE[i % len(HOSTILE)]) for i, u in enumerate(model.units))
    streams = tuple(replace(s, name=HOSTILE[-1 - i % len(HOSTILE)])
                    for i, s in enumerate(model.streams))
    extras = {"Units": {"=Comment": list(HOSTILE[: len(units)])}}
    return replace(model, units=units, streams=streams,
                   notes=tuple(NoteRow(t) for t in HOSTILE), extra_columns=extras)


def test_planning_workbook_writes_text_never_formulas(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    model = hostile_model()
    save_model(model, path)
    assert formula_cells(path) == []
    back = load_model(path).model
    assert [u.name for u in back.units] == [u.name.strip() for u in model.units]
    assert [n.text for n in back.notes] == [t.strip() for t in HOSTILE]


def test_results_workbook_writes_text_never_formulas(tmp_path: Path) -> None:
    model = south_east_model()
    model = replace(model, units=(replace(model.units[0], name="=1+1"), *model.units[1:]),
                    streams=tuple(replace(s, name="@" + s.stream_id) for s in model.streams))
    result = solve_scenario(model)
    result.scenario = "=HYPERLINK(\"x\")"
    path = tmp_path / "results.xlsx"
    write_results([result], path, model=model)
    assert formula_cells(path) == []
    texts = {c.value for ws in openpyxl.load_workbook(path).worksheets
             for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert any("=1+1" in t for t in texts) and any(t.startswith("@") for t in texts)


def test_analysis_tables(tmp_path: Path) -> None:
    frame = pd.DataFrame({"scenario": list(HOSTILE), "value": range(len(HOSTILE))})
    xlsx = write_tables(tmp_path / "t.xlsx", {"Totals": frame}, notes=["=note"])
    assert formula_cells(xlsx) == []
    path = write_tables(tmp_path / "t.csv", {"Totals": frame})
    with open(path, newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    firsts = [row[0] for row in rows[1:]]
    assert all(cell.startswith("'") for cell in firsts if not cell.startswith("{")), firsts


def test_control_characters_and_long_text_reported(tmp_path: Path) -> None:
    """xlsxwriter stores control characters (as _x0007_); a CSV can hold any length."""
    sheets = minimal_sheets()
    sheets["Units"].append(["BAD\x07ID", "Bell in the ID", "team"])
    sheets["Streams"][1][1] = "Investigation\x1b[31m"
    sheets["Roles"].append(["R" * 150, 1, 1500, 0])
    result = load_model(xlsx_book(tmp_path / "m.xlsx", sheets))
    found = {(p.code, p.severity.value, p.where.sheet, p.where.row, p.where.column)
             for p in result.problems if p.code in ("control_characters", "too_long")}
    assert found == {("control_characters", "error", "Units", 4, "unit_id"),
                     ("control_characters", "warning", "Streams", 2, "name"),
                     ("too_long", "error", "Roles", 4, "role_id")}
    units = tmp_path / "units.csv"
    units.write_text("unit_id,name\nLONG," + "x" * 40_000 + "\n", encoding="utf-8")
    long = [p for p in load_model(units).problems if p.code == "too_long"]
    assert [(p.where.row, p.where.column) for p in long] == [(2, "name")]
    assert "40,000 characters" in long[0].message

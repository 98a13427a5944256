"""Analysis tables written to .xlsx (no formula cells) and .csv (formula text neutralised)."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from capacity_planner.analysis.export import write_tables

FRAME = pd.DataFrame({"scenario": ["Baseline", "=HYPERLINK(\"http://x\",\"y\")", "+1"],
                      "coverage_pct": [72.0, float("nan"), 80.5],
                      "cost_gbp": [0.0, 12_500.0, 1e6], "breach": [False, True, False]})


def test_xlsx_has_no_formulas_and_keeps_numbers(tmp_path: Path) -> None:
    path = write_tables(tmp_path / "out.xlsx", {"Totals": FRAME, "Streams": FRAME.head(1)},
                        notes=["Comparison of model.xlsx"])
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Totals", "Streams", "About"]
    ws = book["Totals"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("scenario", "coverage_pct", "cost_gbp", "breach")
    assert rows[2][0] == "=HYPERLINK(\"http://x\",\"y\")"
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    assert rows[1][1:] == (72, 0, False) and rows[2][1] is None
    assert ws.freeze_panes == "A2"
    assert ws["C2"].number_format == "£#,##0;-£#,##0"
    assert book["About"]["A1"].value == "Comparison of model.xlsx"


def test_csv_prefixes_formula_text(tmp_path: Path) -> None:
    path = write_tables(tmp_path / "out.csv", {"Totals": FRAME})
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert [r[0] for r in rows] == ["scenario", "Baseline", "'=HYPERLINK(\"http://x\",\"y\")",
                                    "'+1"]
    assert rows[2][1] == "" and math.isclose(float(rows[3][2]), 1e6)


def test_other_suffixes_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=".xlsx or .csv"):
        write_tables(tmp_path / "out.ods", {"Totals": FRAME})

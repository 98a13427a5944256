"""The South East vacancy extract: a month-later HR extract of vacant posts by unit and role,
in the kind of layout such extracts come in (a title above the table, headers written for
people, a column the planning model does not use), but valid for the vacancy import.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import xlsxwriter

from capacity_planner.io.atomic import atomic_write
from capacity_planner.io.samples import common, south_east
from capacity_planner.io.writer import WORKBOOK_OPTIONS

EXTRACT_DATE = "31 May 2026"
# Changes since the planning model's figures (unit, role) -> vacant FTE (illustrative).
CHANGES: dict[tuple[str, str], float] = {
    (south_east.HAMPSHIRE, "RESEARCHER"): 8,  # two intelligence researchers started
    (south_east.SUSSEX, "SOCU_DC"): 4,  # one SOC team vacancy filled
    (south_east.SURREY, "SOCU_DC"): 2,
    (south_east.THAMES_VALLEY, "ANALYST"): 15,  # one more analyst left
    (south_east.SUSSEX, "DC"): 52,
}
COLUMNS = ("unit_id", "role_id", "vacant_fte")


def south_east_vacancies_frame() -> pd.DataFrame:
    """Vacant FTE per unit and role (columns unit_id, role_id, vacant_fte)."""
    rows = []
    for e in south_east.establishment():
        vacant = CHANGES.get((e.unit_id, e.role_id), e.funded_fte - e.in_post_fte)
        rows.append((e.unit_id, e.role_id, float(vacant)))
    return pd.DataFrame(rows, columns=list(COLUMNS))


def write_vacancies_workbook(frame: pd.DataFrame, path: str | os.PathLike[str]) -> None:
    """Write the extract atomically, with a title above the table and people's headers."""
    names = {r.role_id: r.name for r in common.ROLES}

    def write(temp: Path) -> None:
        book = xlsxwriter.Workbook(str(temp), WORKBOOK_OPTIONS)
        try:
            bold = book.add_format({"bold": True})
            title = book.add_format({"bold": True, "font_size": 13})
            sheet = book.add_worksheet("Vacancies")
            sheet.write_string(0, 0, "South East region: vacant posts by unit and role "
                                     "(HR extract, illustrative figures)", title)
            sheet.write_string(1, 0, f"Extract date: {EXTRACT_DATE}")
            headers = ("Unit ID", "Role ID", "Role", "Vacant FTE", "Comment")
            for col, header in enumerate(headers):
                sheet.write_string(3, col, header, bold)
            for i, row in enumerate(frame.itertuples(index=False), start=4):
                sheet.write_string(i, 0, str(row.unit_id))
                sheet.write_string(i, 1, str(row.role_id))
                sheet.write_string(i, 2, names.get(str(row.role_id), ""))
                sheet.write_number(i, 3, float(row.vacant_fte))
                if (row.unit_id, row.role_id) in CHANGES:
                    sheet.write_string(i, 4, "changed since the planning model")
            sheet.set_column(0, 1, 16)
            sheet.set_column(2, 2, 34)
            sheet.set_column(3, 3, 11)
            sheet.set_column(4, 4, 32)
            sheet.freeze_panes(4, 0)
        finally:
            book.close()

    atomic_write(path, write)

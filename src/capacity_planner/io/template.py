"""A blank planning workbook to fill in: ``write_template(path)`` (issue 2 item 8).

An Instructions sheet generated from the schema (so it cannot drift from what the reader
expects), then every sheet with its headers frozen, a few example rows that form a tiny
valid model, sensible widths, header notes and drop-down lists: IDs pick from their own
sheet, enumerations from their allowed values.
"""

from __future__ import annotations

import os
from pathlib import Path

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from capacity_planner.domain.entities import (
    DemandRow,
    EstablishmentRow,
    NoteRow,
    Period,
    Role,
    ScenarioRow,
    SharingRule,
    Skill,
    Stream,
    Unit,
)
from capacity_planner.domain.model import PlanningModel
from capacity_planner.domain.scenario import PARAMETERS
from capacity_planner.domain.schema import ATTRIBUTE, TABLES, FieldSpec, Kind, TableSpec
from capacity_planner.io.atomic import atomic_write
from capacity_planner.io.writer import (
    WORKBOOK_OPTIONS,
    column_width,
    make_formats,
    print_setup,
    write_cell,
)

VALIDATION_ROWS = 5_000  # drop-downs and checks apply to this many rows of each sheet

SHEET_HELP = {
    "Units": "Forces, ROCUs, local policing areas or teams that hold staff or demand.",
    "Roles": "Kinds of people: cost, productive hours, training, recruitment and attrition.",
    "Establishment": "Funded posts and people in post for each unit and role.",
    "Streams": "Kinds of SOC demand, by 4P strand, with weights and minimum service levels.",
    "Demand": "Hours of demand for each unit, stream and period.",
    "Skills": "Which roles can work on which streams, and how efficiently (0 to 1).",
    "Sharing": "Which units may lend staff to which others (optional).",
    "Periods": "The planning periods in order and their length in months (optional).",
    "Scenarios": "What-if changes, one parameter per row; blank targets mean all (optional).",
    "Notes": "Free text: sources and caveats. Kept as it is.",
}

EXAMPLE = PlanningModel(
    units=(Unit("FORCE_A", "Example Constabulary", "force", "Example region"),
           Unit("ROCU", "Example regional organised crime unit", "rocu", "Example region")),
    roles=(Role("DC", 60_000, 1_238, "Detective constable", "officer", 24, 0.5, 3, 6.2, 10,
                1.33, 6_000),
           Role("ANALYST", 45_000, 1_238, "Intelligence analyst", "staff", 6, 0.5, 6, 9, 5,
                1.5, 4_000)),
    establishment=(EstablishmentRow("FORCE_A", "DC", 100, 90, 12, 3, 20, 12),
                   EstablishmentRow("FORCE_A", "ANALYST", 8, 6, 1, 0, 10),
                   EstablishmentRow("ROCU", "ANALYST", 6, 5, 0, 0, 5)),
    streams=(Stream("SOC_INVEST", "SOC investigation", "pursue", 3, 70),
             Stream("INTEL_ANALYSIS", "Intelligence analysis", "pursue", 3, 60)),
    demand=(DemandRow("FORCE_A", "SOC_INVEST", "2026/27", 75_000),
            DemandRow("FORCE_A", "INTEL_ANALYSIS", "2026/27", 8_000),
            DemandRow("ROCU", "INTEL_ANALYSIS", "2026/27", 6_000),
            DemandRow("FORCE_A", "SOC_INVEST", "2027/28", 78_000),
            DemandRow("FORCE_A", "INTEL_ANALYSIS", "2027/28", 8_300),
            DemandRow("ROCU", "INTEL_ANALYSIS", "2027/28", 6_200)),
    skills=(Skill("DC", "SOC_INVEST", 0.9), Skill("ANALYST", "INTEL_ANALYSIS", 1.0)),
    sharing=(SharingRule("ROCU", "FORCE_A", 30, "ANALYST", 0.95),),
    periods=(Period("2026/27", 12), Period("2027/28", 12)),
    scenarios=(ScenarioRow("Demand +10 %", "demand_change_pct", 10),
               ScenarioRow("Two more analysts", "in_post_change_fte", 2, unit_id="FORCE_A",
                           role_id="ANALYST")),
    notes=(NoteRow("Example rows: replace them with your own. Sources and caveats go here."),),
)


def write_template(path: str | os.PathLike[str]) -> None:
    """Write the template workbook atomically (the previous file is kept as ``.bak``)."""
    atomic_write(Path(path), _write)


def _write(path: Path) -> None:
    book = xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS)
    try:
        formats = make_formats(book)
        example = book.add_format({"italic": True, "font_color": "#1F4E79"})
        _instructions(book.add_worksheet("Instructions"), book)
        for spec in TABLES:
            sheet = book.add_worksheet(spec.sheet)
            records = getattr(EXAMPLE, ATTRIBUTE[spec.sheet])
            for col, f in enumerate(spec.fields):
                sheet.write_string(0, col, f.name, formats.header)
                sheet.write_comment(0, col, _describe(f), {"x_scale": 2, "y_scale": 1.2})
                values = [getattr(r, f.name) for r in records]
                for row, value in enumerate(values, start=1):
                    write_cell(sheet, row, col, value, formats)
                textual = f.kind in (Kind.ID, Kind.TEXT, Kind.ENUM)
                width = 110 if spec.sheet == "Notes" else column_width(f.name, values)
                sheet.set_column(col, col, width, formats.text if textual else None)
                _validate(sheet, col, f)
            for row in range(1, len(records) + 1):
                sheet.set_row(row, None, example)
            sheet.freeze_panes(1, 0)
            print_setup(sheet)
    finally:
        book.close()


def _instructions(sheet: Worksheet, book: xlsxwriter.Workbook) -> None:
    title = book.add_format({"bold": True, "font_size": 14})
    heading = book.add_format({"bold": True, "font_size": 12, "top": 1})
    bold = book.add_format({"bold": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, 12)
    sheet.set_column(2, 2, 14)
    sheet.set_column(3, 3, 90, wrap)
    lines = [
        "Fill in one sheet per table. Keep the header row (row 1) as it is; add rows below it.",
        "Required columns are marked 'required'; blank optional cells take the default shown.",
        "IDs are short codes (e.g. SUSSEX, DC) compared without regard to case; the drop-downs "
        "offer the IDs already entered on their own sheet.",
        "Percentages: write 25 for 25 % (a cell formatted as a percentage also works).",
        "Do not add total rows: totals are computed by the planner and would be counted twice.",
        "The blue italic rows are an example model: overwrite or delete them.",
        "Check the workbook with: capacity-planner validate THIS_FILE.xlsx",
    ]
    sheet.write_string(0, 0, "Capacity Planner: planning workbook template", title)
    row = 2
    for line in lines:
        sheet.write_string(row, 0, line)
        row += 1
    for spec in TABLES:
        row += 1
        sheet.write_string(row, 0, spec.sheet, heading)
        for col in range(1, 4):
            sheet.write_blank(row, col, None, heading)
        optional = " (optional sheet)" if spec.optional_sheet else ""
        sheet.write_string(row, 3, SHEET_HELP[spec.sheet] + optional, heading)
        row += 1
        for col, label in enumerate(("column", "required", "default", "meaning")):
            sheet.write_string(row, col, label, bold)
        row += 1
        for f in spec.fields:
            sheet.write_string(row, 0, f.name)
            sheet.write_string(row, 1, "required" if f.required else "")
            default = None if f.required else f.default
            if isinstance(default, int | float):
                sheet.write_number(row, 2, float(default))
            elif isinstance(default, str) and default:
                sheet.write_string(row, 2, default)
            sheet.write_string(row, 3, _describe(f))
            row += 1
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.activate()


def _choices(f: FieldSpec) -> tuple[str, ...]:
    if f.kind is Kind.ENUM and f.name == "parameter":
        return tuple(PARAMETERS)
    return f.choices


def _describe(f: FieldSpec) -> str:
    parts = [f.help] if f.help else []
    if f.refers_to and f.refers_to != "":
        parts.append(f"An ID from the {f.refers_to} sheet.")
    if f.kind is Kind.PCT:
        parts.append("Percent, 0 to 100.")
    elif f.kind is Kind.NUMBER:
        if f.maximum is not None:
            parts.append(f"A number above 0, at most {f.maximum:g}." if f.positive
                         else f"A number from 0 to {f.maximum:g}.")
        else:
            parts.append("A number above 0." if f.positive else "A number, 0 or more.")
    elif f.kind is Kind.ID and not f.refers_to:
        parts.append("A unique short code.")
    elif f.kind is Kind.ANY:
        parts.append("A number, or text for objective (coverage or min_cost).")
    choices = _choices(f)
    if choices:
        parts.append("One of: " + ", ".join(choices) + ".")
    if f.name == "training_months_left":
        parts.append("Blank: the role's training_months.")
    if f.name in ("weight", "min_service_pct") and f.default is None:
        parts.append("Blank: the stream's value.")
    return " ".join(parts)


def _validate(sheet: Worksheet, col: int, f: FieldSpec) -> None:
    """Drop-downs for IDs and enumerations, range checks for numbers. Warnings, not stops:
    a planner may paste IDs before filling the sheet they come from."""
    first, last = 1, VALIDATION_ROWS
    choices = _choices(f)
    options: dict[str, object]
    if choices:
        options = {"validate": "list", "source": list(choices)}
    elif f.refers_to:
        ref = next(t for t in TABLES if t.sheet == f.refers_to)
        options = {"validate": "list", "source": f"={_key_range(ref)}"}
    elif f.kind is Kind.PCT:
        options = {"validate": "decimal", "criteria": "between", "minimum": 0, "maximum": 100}
    elif f.kind is Kind.NUMBER:
        if f.maximum is not None:
            options = {"validate": "decimal", "criteria": "between", "minimum": 0,
                       "maximum": f.maximum}
        else:
            options = {"validate": "decimal", "criteria": ">=", "value": 0}
    else:
        return
    options.update({"error_type": "warning", "error_title": f.name,
                    "error_message": _describe(f)[:255], "ignore_blank": True})
    sheet.data_validation(first, col, last, col, options)


def _key_range(spec: TableSpec) -> str:
    return f"'{spec.sheet}'!$A$2:$A${VALIDATION_ROWS + 1}"

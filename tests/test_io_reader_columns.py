"""The reader works a column at a time: ``reader_grid.cut`` takes a table's columns from
the grid, the model keeps the columns its tables were read with, and validation reads
those columns (and proves distinct keys from set sizes) instead of visiting records. Each
shortcut must give exactly what the record-by-record path gives."""

from __future__ import annotations

import gc
from dataclasses import replace
from operator import attrgetter
from pathlib import Path

from capacity_planner.domain.entities import (
    DemandRow,
    EstablishmentRow,
    Period,
    Role,
    SharingRule,
    Skill,
    Stream,
    Unit,
)
from capacity_planner.domain.model import PlanningModel
from capacity_planner.domain.problems import Location
from capacity_planner.domain.schema import ATTRIBUTE, TABLES
from capacity_planner.domain.validate import validate
from capacity_planner.io.reader import read_workbook
from capacity_planner.io.reader_grid import cut
from capacity_planner.io.reader_load import FREEZE_AFTER, load_model
from capacity_planner.io.reader_origins import Ahead
from capacity_planner.io.writer import save_model


def test_cut_drops_rows_blank_in_the_table_columns_and_finds_totals() -> None:
    """Columns 0 and 2 are the table's; column 1 is not (no header). Offsets below the
    header: 0 data; 1 blank in the table's columns (the stray "x" in column 1 does not
    count); 2 blank but forced (an error cell calamine shows blank); 3 a totals row whose
    first table cell is blank and whose second says "Grand total"; 4 short (ragged), read
    as blank-padded data."""
    body = [["A", "", 1.0], ["", "x", ""], ["", "", ""], ["", "", "Grand total"], ["B"]]
    table = cut(body, [0, 2], forced=[2])
    assert table.offsets == [0, 2, 4]
    assert [list(c) for c in table.columns] == [["A", "", "B"], [1.0, "", ""]]
    assert table.totals == [(3, "Grand total")]


def test_cut_of_numbers_alone_keeps_zero_rows() -> None:
    """0.0 is a value, not a blank: only the empty string is blank."""
    table = cut([[0.0, 0.0], ["", ""], [2.0, ""]], [0, 1])
    assert table.offsets == [0, 2] and [list(c) for c in table.columns] == [[0.0, 2.0],
                                                                          [0.0, ""]]


def _model() -> PlanningModel:
    """Two units, SURREY written again in lower case (the same ID) and SUSSEX again in
    full-width letters (a near-duplicate), a duplicate Establishment key, a self-sharing
    rule, and Demand rows with and without a weight."""
    return PlanningModel(
        units=(Unit("SURREY"), Unit("SUSSEX"), Unit("surrey"), Unit("ＳＵＳＳＥＸ")),
        roles=(Role("DC", 60_000, 1_500), Role("PC", 50_000, 1_500)),
        establishment=(EstablishmentRow("SURREY", "DC", 6, 3, 1, 0),
                       EstablishmentRow("SUSSEX", "DC", 4, 5),
                       EstablishmentRow("SURREY", "DC", 2, 2)),
        streams=(Stream("SOC"), Stream("CYBER")),
        demand=(DemandRow("SURREY", "SOC", "Y1", 1000),
                DemandRow("SUSSEX", "CYBER", "Y1", 500, weight=2.0)),
        skills=(Skill("DC", "SOC"),),
        sharing=(SharingRule("SURREY", "SUSSEX", 20), SharingRule("SUSSEX", "SUSSEX", 10)),
        periods=(Period("Y1", 12),),
    )


def _read(model: PlanningModel, tmp_path: Path) -> PlanningModel:
    path = tmp_path / "model.xlsx"
    save_model(model, path)
    read, problems = read_workbook(path)
    assert read is not None, problems
    return read


def test_read_columns_are_the_records_values(tmp_path: Path) -> None:
    model = _read(_model(), tmp_path)
    assert model.read_columns  # the reader kept them
    for spec in TABLES:
        attribute = ATTRIBUTE[spec.sheet]
        records = getattr(model, attribute)
        for f in spec.fields:
            assert model.column(attribute, f.name) == list(map(attrgetter(f.name), records))


def test_an_edited_table_is_read_from_its_records(tmp_path: Path) -> None:
    """The kept columns belong to the tuple they were read with: after an edit the model's
    table is a new tuple and ``column`` reads the new records."""
    model = _read(_model(), tmp_path)
    edited = model.with_table("units", (Unit("KENT"),))
    assert edited.read_columns is model.read_columns  # carried over by replace ...
    assert edited.column("units", "unit_id") == ["KENT"]  # ... but not used for the edit
    assert edited.column("roles", "role_id") == ["DC", "PC"]


def test_validation_from_columns_equals_validation_from_records(tmp_path: Path) -> None:
    """Worked by hand: IDs compare case-insensitively, so "surrey" (Units row 4) is a
    duplicate of SURREY and full-width SUSSEX (row 5) a near-duplicate; a duplicate key
    (SURREY/DC at Establishment row 4, first at row 2); over-establishment (SUSSEX 5 in post of
    4 funded), a stream with demand but no skill (CYBER), a unit sharing with itself
    (Sharing row 3). The same problems, in the same order, with or without the columns."""
    model = _read(_model(), tmp_path)
    from_columns = validate(model)
    from_records = validate(replace(model, read_columns={}))
    assert from_columns == from_records
    got = [(p.code, p.where.sheet, p.where.row) for p in from_columns]
    assert got == [("duplicate_key", "Units", 4), ("near_duplicate_key", "Units", 5),
                   ("duplicate_key", "Establishment", 4),
                   ("over_establishment", "Establishment", 3),
                   ("stream_without_skill", "Streams", 3),
                   ("self_sharing", "Sharing", 3)]


def test_a_clean_large_table_is_proven_distinct_without_the_full_check(tmp_path: Path) -> None:
    """600 Establishment rows, 6 units x 100 roles, all distinct: no problem either way."""
    units = tuple(Unit(f"U{u}") for u in range(6))
    roles = tuple(Role(f"R{r:03d}", 50_000, 1_500) for r in range(100))
    model = replace(_model(), units=units, roles=roles, sharing=(), demand=(
        DemandRow("U0", "SOC", "Y1", 10),), skills=(Skill("R000", "SOC"),),
        streams=(Stream("SOC"),), establishment=tuple(
            EstablishmentRow(u.unit_id, r.role_id, 2, 1) for u in units for r in roles))
    read = _read(model, tmp_path)
    assert validate(read) == validate(replace(read, read_columns={})) == []


def test_origins_made_ahead_are_used_only_where_they_fit() -> None:
    """Made for rows 2..6 of sheet D: rows 2..4 (header in row 1, nothing skipped) take
    the first three; rows 2, 4, 5 (row 3 was blank) and rows 3..5 (header in row 2) do
    not fit; rows 2..7 are more than were made."""
    ahead = Ahead("book.xlsx", "D", 6)
    while not ahead.done:
        ahead.step()
    assert len(ahead.made) == 5
    taken = ahead.take([2, 3, 4])
    assert taken == [Location("book.xlsx", "D", r, "", r - 2) for r in (2, 3, 4)]
    assert ahead.take([2, 4, 5]) is None and ahead.take([3, 4, 5]) is None
    assert ahead.take(list(range(2, 8))) is None and ahead.take([]) is None


def test_a_large_read_leaves_its_records_out_of_the_collectors_walks(tmp_path: Path) -> None:
    """A read that makes more than FREEZE_AFTER objects moves them to the collector's
    permanent generation (its records are long-lived and hold no cycles); a small read
    does not. 30,000 Establishment rows make 60,000 records and origins at least."""
    small = tmp_path / "small.xlsx"
    save_model(_model(), small)
    frozen = gc.get_freeze_count()
    assert load_model(small).model is not None
    assert gc.get_freeze_count() == frozen
    units = tuple(Unit(f"U{u}") for u in range(300))
    roles = tuple(Role(f"R{r:03d}", 50_000, 1_500) for r in range(100))
    large = tmp_path / "large.xlsx"
    save_model(replace(_model(), units=units, roles=roles, sharing=(), establishment=tuple(
        EstablishmentRow(u.unit_id, r.role_id, 2, 1) for u in units for r in roles)), large)
    read = load_model(large)
    assert read.model is not None and len(read.model.establishment) == 30_000
    assert gc.get_freeze_count() - frozen >= 2 * 30_000 > FREEZE_AFTER
    gc.unfreeze()

"""The Home Office open data table: read from real .ods files written in the published
layout, summed per force, matched to a model's units and used to seed in-post FTE."""

from __future__ import annotations

import itertools
from pathlib import Path

import pandas as pd
import pytest

from capacity_planner.domain.entities import (
    DemandRow,
    EstablishmentRow,
    Role,
    Skill,
    Stream,
    Unit,
)
from capacity_planner.domain.model import PlanningModel
from capacity_planner.domain.opendata import RoleLink, WorkforceMapping, default_mapping
from capacity_planner.io.opendata import COLUMNS, read_open_data
from capacity_planner.io.opendata_import import (
    import_open_data,
    load_mapping,
    mapping_from_pairs,
    save_mapping,
)

HEADERS = list(COLUMNS.values())
FORCES = {  # published name -> (geocode, region)
    "Hampshire": ("E23000030", "South East"),
    "Surrey": ("E23000031", "South East"),
    "Thames Valley": ("E23000029", "South East"),
    "London, City of": ("E23000034", "London"),
    "Devon & Cornwall": ("E23000035", "South West"),
    "Kent": ("E23000032", "South East"),
}
OFFICER_RANKS = ("Constable", "Sergeant", "Inspector", "Chief Inspector")
LINES = (("Police Officer", OFFICER_RANKS), ("Police Staff", ("Police Staff",)),
         ("Police Community Support Officer", ("PCSO",)),
         ("Designated Officer", ("Designated Officer",)))


def published_rows(years: tuple[int, ...] = (2024, 2025)) -> list[tuple]:
    """Every force x year x sex x worker type x rank, with FTE that differ in every line
    (so a wrong grouping cannot give the right sum by accident)."""
    rows = []
    counter = itertools.count(1)
    for year, (force, (geo, region)), sex in itertools.product(years, FORCES.items(),
                                                               ("Female", "Male")):
        for worker_type, ranks in LINES:
            for rank in ranks:
                n = next(counter)
                rows.append((year, geo, force, region, sex, rank, worker_type, n + 1,
                             n + 0.25 * (n % 4)))
    return rows


def write_ods(path: Path, rows: list[tuple], title: bool = False) -> Path:
    frame = pd.DataFrame(rows, columns=HEADERS)
    with pd.ExcelWriter(path, engine="odf") as writer:
        pd.DataFrame([["Police workforce open data table"]]).to_excel(
            writer, sheet_name="Cover", index=False, header=False)
        frame.to_excel(writer, sheet_name="Data", index=False, startrow=2 if title else 0)
    return path


@pytest.fixture(scope="module")
def ods(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_ods(tmp_path_factory.mktemp("od") / "workforce.ods", published_rows())


def expected_fte(rows: list[tuple], year: int) -> dict[tuple[str, str], float]:
    out: dict[tuple[str, str], float] = {}
    for y, _geo, force, _region, _sex, _rank, worker_type, _head, fte in rows:
        if y == year:
            out[(force, worker_type)] = out.get((force, worker_type), 0.0) + fte
    return out


def test_per_force_fte_equals_independent_sums(ods: Path) -> None:
    read = read_open_data(ods)
    assert read.ok, read.problems
    assert read.problems == []
    assert read.table is not None
    assert read.table.years == [2024, 2025]
    table = read.table.fte_by_force(2025)
    expected = expected_fte(published_rows(), 2025)
    assert sorted(table.index) == sorted(FORCES)
    for (force, worker_type), fte in expected.items():
        assert table.loc[force, worker_type] == pytest.approx(fte)
    for force in FORCES:
        total = sum(v for (f, _w), v in expected.items() if f == force)
        assert table.loc[force, "Total"] == pytest.approx(total)
    assert list(table.columns) == [w for w, _ in LINES] + ["Total"]


def test_published_lines_sum_over_sex(ods: Path) -> None:
    read = read_open_data(ods)
    assert read.table is not None
    lines = {(p.force, p.worker_type, p.rank): p.fte for p in read.table.published(2024)}
    rows = [r for r in published_rows() if r[0] == 2024 and r[2] == "Kent" and r[5] == "Sergeant"]
    assert len(rows) == 2  # female and male
    assert lines[("Kent", "Police Officer", "Sergeant")] == pytest.approx(rows[0][8] + rows[1][8])


def test_title_rows_bad_values_and_total_lines_are_located(tmp_path: Path) -> None:
    """A title above the header moves the table down two rows: the header is Excel row 3
    and the first data line row 4. A text FTE is a warning at its own row; a Total line
    is left out (it would count people twice)."""
    rows = published_rows((2025,))
    rows[0] = (*rows[0][:8], "n/a")
    rows.append((2025, "", "Total", "", "", "", "Police Officer", 99999, 99999.0))
    path = write_ods(tmp_path / "titled.ods", rows, title=True)
    read = read_open_data(path)
    assert read.table is not None and read.ok
    bad = [p for p in read.problems if "FTE is not a number" in p.message]
    assert len(bad) == 1
    assert (bad[0].where.file, bad[0].where.sheet, bad[0].where.row, bad[0].where.column) == (
        "titled.ods", "Data", 4, "Total (FTE)")
    assert any("total lines" in p.message for p in read.problems)
    table = read.table.fte_by_force(2025)
    assert "Total" not in table.index
    # the "n/a" line (Hampshire, a constable) counts as 0
    assert rows[0][2] == "Hampshire" and rows[0][6] == "Police Officer"
    assert table.loc["Hampshire", "Police Officer"] == pytest.approx(
        sum(r[8] for r in rows[1:-1] if r[2] == "Hampshire" and r[6] == "Police Officer"))


def test_missing_sheet_and_not_a_spreadsheet_are_problems_not_tracebacks(
        tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.ods"
    pd.DataFrame({"a": [1]}).to_excel(wrong, sheet_name="Table 1", index=False, engine="odf")
    read = read_open_data(wrong)
    assert read.table is None
    assert "no sheet named Data" in read.problems[0].message
    assert read.problems[0].where.file == "wrong.ods"

    text = tmp_path / "text.ods"
    text.write_text("As at 31 March,Force name\n2025,Kent\n")
    read = read_open_data(text)
    assert read.table is None and read.problems and read.problems[0].is_error


def _model() -> PlanningModel:
    units = (Unit("HAMPSHIRE", "Hampshire and Isle of Wight Constabulary"),
             Unit("COL", "City of London Police"),
             Unit("DEVON", "Devon and Cornwall Police"),
             Unit("ESSEX", "Essex Police"),
             Unit("SE_ROCU", "South East ROCU", kind="rocu"))
    roles = (Role("DC", 60_000, 1_238, "Detective constable"),
             Role("NHOOD", 55_000, 1_238, "Neighbourhood officer"),
             Role("DS", 70_000, 1_238, "Detective sergeant"),
             Role("PCSO", 34_000, 1_238, "Police community support officer", "staff"))
    est = (EstablishmentRow("HAMPSHIRE", "DC", 40, 30, in_training_fte=5, absent_fte=2),
           EstablishmentRow("HAMPSHIRE", "NHOOD", 20, 10),
           EstablishmentRow("HAMPSHIRE", "DS", 5, 4),
           EstablishmentRow("HAMPSHIRE", "PCSO", 12, 10),
           EstablishmentRow("COL", "DC", 10, 0),
           EstablishmentRow("COL", "NHOOD", 10, 0),
           EstablishmentRow("DEVON", "PCSO", 30, 25, in_training_fte=3))
    return PlanningModel(units=units, roles=roles, establishment=est,
                         streams=(Stream("SOC", "SOC investigation"),),
                         demand=(DemandRow("HAMPSHIRE", "SOC", "2025/26", 1_000),),
                         skills=(Skill("DC", "SOC"),))


def test_default_mapping_takes_pcsos_only() -> None:
    assert default_mapping(_model()).links == (
        RoleLink("Police Community Support Officer", "PCSO"),)


def test_seeding_shares_published_fte_pro_rata(ods: Path) -> None:
    """Mapping: Police Officer -> DC and NHOOD, Police Officer/Sergeant -> DS (the sergeants
    go to DS only), PCSO -> PCSO. For Hampshire in 2025 the group {DC, NHOOD} gets all
    officer ranks except sergeants; the model has 30 + 10 = 40 in post, so DC gets 3/4
    of the published figure and NHOOD 1/4. City of London has 0 in post in both, so the
    split falls back to funded posts (10 and 10: half each)."""
    mapping, problems = mapping_from_pairs(["Police Officer=DC", "Police Officer=NHOOD",
                                            "Police Officer/Sergeant=DS", "PCSO=PCSO"])
    assert problems == []
    model = _model()
    result = import_open_data(model, ods, 2025, mapping)
    assert result.ok, result.problems
    rows = [r for r in published_rows() if r[0] == 2025]
    officers_not_sgt = {f: sum(r[8] for r in rows if r[2] == f and r[6] == "Police Officer"
                               and r[5] != "Sergeant") for f in FORCES}
    sergeants = {f: sum(r[8] for r in rows if r[2] == f and r[5] == "Sergeant") for f in FORCES}
    pcsos = {f: sum(r[8] for r in rows if r[2] == f and r[6].endswith("Support Officer"))
             for f in FORCES}
    lines = {(line.unit_id, line.roles): line for line in result.lines}
    hants = lines[("HAMPSHIRE", ("DC", "NHOOD"))]
    assert hants.published_fte == pytest.approx(officers_not_sgt["Hampshire"])
    assert hants.model_fte == 40
    assert dict((r, new) for r, _o, new in hants.changes) == pytest.approx(
        {"DC": 0.75 * officers_not_sgt["Hampshire"], "NHOOD": 0.25 * officers_not_sgt["Hampshire"]})
    assert lines[("HAMPSHIRE", ("DS",))].published_fte == pytest.approx(sergeants["Hampshire"])
    col = lines[("COL", ("DC", "NHOOD"))]
    assert [new for _r, _o, new in col.changes] == pytest.approx(
        [officers_not_sgt["London, City of"] / 2] * 2)
    assert lines[("DEVON", ("PCSO",))].published_fte == pytest.approx(pcsos["Devon & Cornwall"])
    assert "nothing to seed" in lines[("DEVON", ("DC", "NHOOD"))].note

    seeded = {(e.unit_id, e.role_id): e for e in result.seeded.establishment}
    assert seeded[("HAMPSHIRE", "PCSO")].in_post_fte == pytest.approx(pcsos["Hampshire"])
    assert seeded[("HAMPSHIRE", "DC")].in_training_fte == 5  # kept: below new strength
    assert model.establishment[0].in_post_fte == 30  # the model passed in is unchanged
    # Never dropped silently: Surrey, Thames Valley and Kent are published but not modelled;
    # Essex is modelled but not published.
    messages = " | ".join(p.message for p in result.problems)
    assert "3 published forces match no unit" in messages
    assert "Kent" in messages and "Thames Valley" in messages and "Surrey" in messages
    assert result.matches.unmatched_units == ("ESSEX",)


def test_unknown_year_and_unknown_role_are_errors(ods: Path) -> None:
    result = import_open_data(_model(), ods, 2019)
    assert not result.ok
    assert any("no figures for that year" in p.message and p.value == 2019
               for p in result.problems)
    bad = WorkforceMapping((RoleLink("Police Officer", "NOPE"),))
    result = import_open_data(_model(), ods, 2025, bad)
    assert not result.ok
    assert any(p.is_error and p.value == "NOPE" for p in result.problems)


def test_mapping_file_round_trip(tmp_path: Path) -> None:
    mapping = WorkforceMapping((RoleLink("Police Officer", "DC"),
                                RoleLink("Police Officer", "NHOOD"),
                                RoleLink("Police Officer", "DS", "Sergeant")))
    path = tmp_path / "map.json"
    save_mapping(mapping, path)
    loaded, problems = load_mapping(path)
    assert problems == []
    assert loaded == mapping
    (tmp_path / "bad.json").write_text('{"Police Officer": 3}')
    _mapping, problems = load_mapping(tmp_path / "bad.json")
    assert problems and problems[0].is_error and problems[0].where.file == "bad.json"

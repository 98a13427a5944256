"""Round trip through our own reader: load_model(save_model(m)) == m (records compare
equal; where a record was read from is not part of equality), and the samples and the
template load with no errors."""

from __future__ import annotations

import string
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
from capacity_planner.domain.problems import Severity
from capacity_planner.io import load_model
from capacity_planner.io.samples import model_of_size, south_east_model
from capacity_planner.io.template import EXAMPLE, write_template
from capacity_planner.io.writer import save_model

ROOT = Path(__file__).resolve().parents[1]


def _round_trip(model: PlanningModel, path: Path) -> PlanningModel:
    save_model(model, path)
    result = load_model(path)
    assert result.model is not None, [str(p) for p in result.problems]
    return result.model


def test_south_east_round_trip(tmp_path: Path) -> None:
    model = south_east_model()
    again = _round_trip(model, tmp_path / "se.xlsx")
    assert again == model
    assert again.notes == model.notes


def test_national_round_trip(tmp_path: Path) -> None:
    model = model_of_size("national")
    assert _round_trip(model, tmp_path / "national.xlsx") == model


def test_formula_like_text_leading_zeros_blanks_and_extras_round_trip(tmp_path: Path) -> None:
    model = PlanningModel(
        units=(Unit("=A1", "=1+1"), Unit("+44", "+44 20 7946 0000"), Unit("-1", "-1 team"),
               Unit("@X", "@SUM(A1)"), Unit("00123", "Zero", "team", "Region", "=A1")),
        roles=(Role("DC", 60_000, 1_238, "Detective constable", "officer", 24, 0.5, 3, 6.2,
                    10, 1.33, 6_000),
               Role("ANALYST", 45_000, 1_238, attrition_pct=0.5)),
        establishment=(EstablishmentRow("00123", "DC", 10, 9, 1, 0.5, 25, None),
                       EstablishmentRow("=A1", "ANALYST", 3, 3, 0, 0, 0, 4.5)),
        streams=(Stream("SOC", "=cmd|' /C calc'!A0", "pursue", 3, 70),),
        demand=(DemandRow("00123", "SOC", "2026/27 Q1", 1_500.25),
                DemandRow("00123", "SOC", "2026/27 Q2", 1_600, weight=2, min_service_pct=50)),
        skills=(Skill("DC", "SOC", 0.85, 40),),
        sharing=(SharingRule("=A1", "00123", 20, "", 0.9),),
        periods=(Period("2026/27 Q1", 3), Period("2026/27 Q2", 3)),
        scenarios=(ScenarioRow("Bid", "objective", "min_cost"),
                   ScenarioRow("Bid", "budget_gbp", 250_000, unit_id="00123")),
        notes=(NoteRow("=not a formula"), NoteRow("Source: HMICFRS")),
        extra_columns={"Units": {"Comment": ["a", None, 3.0, None, "=B2"]}},
    )
    again = _round_trip(model, tmp_path / "m.xlsx")
    assert again == model
    comment = {k.casefold(): v for k, v in again.extra_columns.get("Units", {}).items()}
    assert comment["comment"] == ["a", None, 3.0, None, "=B2"]


def test_samples_and_template_load_without_errors(tmp_path: Path) -> None:
    sample = load_model(ROOT / "sample_data" / "south_east.xlsx",
                        vacancies=ROOT / "sample_data" / "south_east_vacancies.xlsx")
    assert sample.ok and not sample.warnings, [str(p) for p in sample.problems]
    template = tmp_path / "template.xlsx"
    write_template(template)
    result = load_model(template)
    assert result.ok and not result.of(Severity.WARNING), [str(p) for p in result.problems]
    assert result.model == EXAMPLE


_ID = st.text(string.ascii_uppercase + string.digits + "_", min_size=1, max_size=8)
_TEXT = st.one_of(
    st.sampled_from(["=1+1", "+x", "-y", "@z", "0012", "Thames Valley", "£1,000"]),
    st.text(string.ascii_letters + string.digits + " ,.=+-@/%()'\"", min_size=1,
            max_size=20).map(str.strip).filter(bool))
_NUMBER = st.one_of(st.integers(0, 10_000_000).map(float),
                    st.decimals(0, 100_000, places=2).map(float))
_PCT = st.one_of(st.integers(0, 100).map(float), st.decimals(0, 100, places=1).map(float))


@st.composite
def _models(draw: st.DrawFn) -> PlanningModel:
    ids = draw(st.lists(_ID, min_size=1, max_size=4, unique_by=str.casefold))
    units = tuple(Unit(i, draw(_TEXT), draw(st.sampled_from(("force", "rocu", "team"))))
                  for i in ids)
    roles = (Role("R", draw(_NUMBER), draw(_NUMBER.filter(bool)), draw(_TEXT),
                  attrition_pct=draw(_PCT), overtime_cap_pct=draw(_PCT)),)
    est = tuple(EstablishmentRow(i, "R", f, f, 0, 0, draw(_PCT),
                                 draw(st.one_of(st.none(), _NUMBER)))
                for i in ids for f in [draw(_NUMBER)])
    demand = tuple(DemandRow(i, "S", "P1", draw(_NUMBER),
                             draw(st.one_of(st.none(), _NUMBER)),
                             draw(st.one_of(st.none(), _PCT))) for i in ids)
    notes = tuple(NoteRow(t) for t in draw(st.lists(_TEXT, max_size=3)))
    return PlanningModel(units=units, roles=roles, establishment=est,
                         streams=(Stream("S", draw(_TEXT)),), demand=demand,
                         skills=(Skill("R", "S"),), periods=(Period("P1", 12),), notes=notes)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(model=_models())
def test_round_trip_property(tmp_path: Path, model: PlanningModel) -> None:
    assert _round_trip(model, tmp_path / "p.xlsx") == model


def test_small_percents_round_trip_exactly(tmp_path: Path) -> None:
    """Every overtime cap and attrition rate below 1 %: read as plain numbers they would
    be taken for fractions (0.9 as 90 %), so the writer stores them as percentage-formatted
    fractions (0.009 shown as 0.9 %), and the reader turns those back into 0.9, not the
    0.9000000000000001 that 0.009 x 100 gives in floating point (a case hypothesis found)."""
    roles = (Role("DC", 60_000, 1_500, attrition_pct=0.9, overtime_cap_pct=0.3),
             Role("ANALYST", 45_000, 1_238, attrition_pct=0.7, overtime_cap_pct=0.1))
    model = PlanningModel(units=(Unit("U"),), roles=roles, streams=(Stream("SOC"),),
                          establishment=(EstablishmentRow("U", "DC", 10, 10),
                                         EstablishmentRow("U", "ANALYST", 4, 3)),
                          skills=(Skill("DC", "SOC"),), demand=(DemandRow("U", "SOC", "Y1", 9),))
    back = _round_trip(model, tmp_path / "small.xlsx")
    assert back == model
    assert [(r.attrition_pct, r.overtime_cap_pct) for r in back.roles] == [(0.9, 0.3),
                                                                          (0.7, 0.1)]


def test_a_first_note_that_reads_like_a_header_is_kept(tmp_path: Path) -> None:
    """The Notes sheet is written under a ``text`` header; a first note that says just
    "Notes" is the planner's, not a second header (a case hypothesis found)."""
    model = PlanningModel(units=(Unit("U"),), roles=(Role("DC", 60_000, 1_500),),
                          streams=(Stream("SOC"),),
                          establishment=(EstablishmentRow("U", "DC", 10, 10),),
                          skills=(Skill("DC", "SOC"),), demand=(DemandRow("U", "SOC", "Y1", 9),),
                          notes=(NoteRow("Notes"), NoteRow("Sources: HMICFRS 2024")))
    assert [n.text for n in _round_trip(model, tmp_path / "n.xlsx").notes] == [
        "Notes", "Sources: HMICFRS 2024"]

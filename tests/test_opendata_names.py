"""Lenient force-name matching (DESIGN section 3): the spellings published tables and
planners' workbooks really use, and the names that must not match."""

from __future__ import annotations

import pytest

from capacity_planner.domain.entities import Unit
from capacity_planner.domain.forcenames import force_key, match_forces, same_force


@pytest.mark.parametrize(("published", "model"), [
    ("Hampshire", "Hampshire and Isle of Wight"),
    ("Hampshire", "Hampshire & Isle of Wight Constabulary"),
    ("London, City of", "City of London"),
    ("London, City of", "City of London Police"),
    ("Devon & Cornwall", "Devon and Cornwall"),
    ("Devon & Cornwall", "Devon and Cornwall Police"),
    ("Thames Valley", "Thames Valley Police"),
    ("Thames Valley", "THAMES_VALLEY"),
    ("Dyfed-Powys", "Dyfed Powys Police"),
    ("Metropolitan Police", "Metropolitan Police Service"),
    ("Avon & Somerset", "  avon and  SOMERSET constabulary "),
])
def test_spellings_of_one_force_match(published: str, model: str) -> None:
    assert same_force(published, model)


@pytest.mark.parametrize(("a", "b"), [
    ("Devon & Cornwall", "Cornwall"),
    ("Sussex", "Surrey"),
    ("City of London", "Metropolitan Police"),
    ("North Yorkshire", "South Yorkshire"),
    ("", ""),
])
def test_different_forces_do_not_match(a: str, b: str) -> None:
    assert not same_force(a, b)


def test_key_folds_word_order_punctuation_and_suffixes() -> None:
    assert force_key("London, City of") == "city of london"
    assert force_key("Hampshire and Isle of Wight Constabulary") == "hampshire"
    assert force_key("St. Helens & District Police") == "st helens and district"


def test_match_forces_lists_what_it_could_not_pair() -> None:
    """Published: four names. Model: three forces and a ROCU. Kent matches no unit; the
    model's Essex has no published figures; the ROCU is not a force, so it is not listed."""
    units = [Unit("HAMPSHIRE", "Hampshire and Isle of Wight Constabulary"),
             Unit("COL", "City of London Police"),
             Unit("ESSEX", "Essex Police"),
             Unit("SE_ROCU", "South East ROCU", kind="rocu")]
    found = match_forces(["Hampshire", "London, City of", "Kent", "Kent"], units)
    assert found.unit_of == {"Hampshire": "HAMPSHIRE", "London, City of": "COL"}
    assert found.unmatched_names == ("Kent",)
    assert found.unmatched_units == ("ESSEX",)
    assert found.ambiguous == ()


def test_a_unit_claimed_by_two_names_is_ambiguous_and_not_used() -> None:
    """Both the old and new name of Hampshire in the same year would count it twice."""
    units = [Unit("HANTS", "Hampshire")]
    found = match_forces(["Hampshire", "Hampshire and Isle of Wight"], units)
    assert found.unit_of == {}
    assert found.ambiguous == (("HANTS", ("Hampshire", "Hampshire and Isle of Wight")),)


def test_a_name_matching_two_units_is_ambiguous() -> None:
    units = [Unit("SURREY", "Surrey Police"), Unit("SURREY_2", "Surrey")]
    found = match_forces(["Surrey"], units)
    assert found.unit_of == {}
    assert found.ambiguous == (("Surrey", ("SURREY", "SURREY_2")),)

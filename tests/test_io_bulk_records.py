"""``domain.bulk``: the reader's fast constructor gives records indistinguishable from
those built by calling the dataclass."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from capacity_planner.domain.bulk import bulk
from capacity_planner.domain.entities import EstablishmentRow
from capacity_planner.domain.problems import Location


def test_bulk_record_is_an_ordinary_frozen_record() -> None:
    place = bulk(Location)("book.xlsx", "Establishment", 7, "", 5)
    built = bulk(EstablishmentRow)("U1", "DC", 10.0, 8.0, 1.0, 0.5, 5.0, None, place)
    plain = EstablishmentRow("U1", "DC", 10.0, 8.0, 1.0, 0.5, 5.0, None,
                             Location("book.xlsx", "Establishment", 7, "", 5))
    assert type(built) is EstablishmentRow and type(built.origin) is Location
    assert built == plain and hash(built) == hash(plain) and repr(built) == repr(plain)
    assert built.origin == plain.origin and built.origin.row == 7 and built.origin.index == 5
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.unit_id = "U2"  # type: ignore[misc]
    assert dataclasses.replace(built, unit_id="U2").unit_id == "U2"
    assert pickle.loads(pickle.dumps(built)) == plain


def test_bulk_refuses_a_class_without_matching_slots() -> None:
    @dataclasses.dataclass(frozen=True)
    class NoSlots:
        a: int

    with pytest.raises(TypeError):
        bulk(NoSlots)


def test_problems_are_made_by_bulk_and_behave_as_records() -> None:
    """``error``/``warning``/``note`` build ``Problem`` records with ``domain.bulk``: equal
    to, hashed and printed like ``Problem(...)``, and still frozen."""
    from capacity_planner.domain.problems import Problem, Severity, warning

    place = Location("book.xlsx", "Establishment", 3, "in_post_fte")
    made = warning("Over", place, 8.0, "at most 6", code="over_establishment")
    plain = Problem(Severity.WARNING, "Over", place, 8.0, "at most 6", "over_establishment")
    assert type(made) is Problem and made == plain and hash(made) == hash(plain)
    assert str(made) == str(plain) and not made.is_error
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.message = "x"  # type: ignore[misc]

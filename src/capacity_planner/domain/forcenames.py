"""Lenient matching of police force names (DESIGN section 3, the open data table).

Published tables and planners' workbooks spell forces differently: ``Hampshire`` and
``Hampshire and Isle of Wight`` (renamed in 2022), ``London, City of`` and ``City of
London``, ``Devon & Cornwall`` and ``Devon and Cornwall``, ``Thames Valley Police`` and
``Thames Valley``. ``force_key`` folds those differences into one comparison key; the
matcher pairs published names with the model's units and lists every name it could not
pair, so nothing is dropped silently.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from capacity_planner.domain.entities import Unit

# Words that name the kind of organisation, not the force.
_NOISE_WORDS = frozenset({"police", "constabulary", "service", "force", "the"})
# Known renames and short forms, as keys (after folding) -> the key they equal.
ALIASES: dict[str, str] = {
    "hampshire and isle of wight": "hampshire",
    "hampshire and iow": "hampshire",
    "met": "metropolitan",
    "metropolitan london": "metropolitan",
    "london metropolitan": "metropolitan",
}
_PUNCTUATION = re.compile(r"[^\w\s]|_")
# "London, City of" -> "City of London"; "Manchester, Greater" is not a real form.
_TRAILING_OF = re.compile(r"^(?P<place>[^,]+),\s*(?P<head>.+\bof|the)\s*$", re.IGNORECASE)


def force_key(name: object) -> str:
    """The comparison key of a force name: case, ``&``/``and``, punctuation, word order of
    ``X, City of``, the words police/constabulary/service and known renames folded."""
    text = unicodedata.normalize("NFKC", "" if name is None else str(name)).strip()
    moved = _TRAILING_OF.match(text)
    if moved:
        text = f"{moved['head']} {moved['place']}"
    text = text.casefold().replace("&", " and ")
    words = [w for w in _PUNCTUATION.sub(" ", text).split() if w not in _NOISE_WORDS]
    key = " ".join(words)
    return ALIASES.get(key, key)


def same_force(a: object, b: object) -> bool:
    key = force_key(a)
    return bool(key) and key == force_key(b)


@dataclass(frozen=True)
class ForceMatches:
    """How published force names pair with the model's units.

    ``unit_of`` maps each matched published name to a unit_id; ``unmatched_names`` are
    published names with no unit; ``unmatched_units`` are the model's force units that no
    published name matched; ``ambiguous`` lists names (published or unit) that matched more
    than one partner and were therefore not used, with what they matched.
    """

    unit_of: dict[str, str] = field(default_factory=dict)
    unmatched_names: tuple[str, ...] = ()
    unmatched_units: tuple[str, ...] = ()
    ambiguous: tuple[tuple[str, tuple[str, ...]], ...] = ()


def _unit_keys(unit: Unit) -> set[str]:
    return {k for k in (force_key(unit.name), force_key(unit.unit_id)) if k}


def match_forces(names: Iterable[str], units: Sequence[Unit]) -> ForceMatches:
    """Pair each published force name with at most one unit, and each unit with at most one
    name. Units of every kind are candidates (a model may call a force a ``team``), but only
    units of kind ``force`` are reported as unmatched: ROCUs and teams are not published."""
    published = list(dict.fromkeys(n for n in names if str(n).strip()))
    candidates: dict[str, list[str]] = {}
    for name in published:
        key = force_key(name)
        candidates[name] = [u.unit_id for u in units if key in _unit_keys(u)]
    names_of_unit: dict[str, list[str]] = {}
    for name, found in candidates.items():
        for unit_id in found:
            names_of_unit.setdefault(unit_id, []).append(name)

    ambiguous: list[tuple[str, tuple[str, ...]]] = []
    unit_of: dict[str, str] = {}
    unmatched: list[str] = []
    for name, found in candidates.items():
        if not found:
            unmatched.append(name)
        elif len(found) > 1:
            ambiguous.append((name, tuple(found)))
        elif len(names_of_unit[found[0]]) > 1:
            continue  # reported once, for the unit, below
        else:
            unit_of[name] = found[0]
    for unit_id, several in names_of_unit.items():
        if len(several) > 1:
            ambiguous.append((unit_id, tuple(several)))
    matched_units = set(unit_of.values()) | set(names_of_unit)
    unmatched_units = tuple(u.unit_id for u in units
                            if u.kind == "force" and u.unit_id not in matched_units)
    return ForceMatches(unit_of, tuple(unmatched), unmatched_units, tuple(ambiguous))

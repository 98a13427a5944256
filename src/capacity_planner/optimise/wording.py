"""How the explanations word things: user-facing names of units, roles and streams, hours,
percentages and sets of periods. Shared by the narrative of every solve
(``optimise/narrative.py``) and the infeasibility explanation (``optimise/infeasible.py``).
"""

from __future__ import annotations

from collections.abc import Iterable

from capacity_planner.domain.ids import id_key
from capacity_planner.optimise.index import Index

TOP = 3  # how many of each kind of finding the narrative names


def hours(h: float) -> str:
    return f"{h:,.0f}"


def pct(part: float, whole: float) -> str:
    return f"{100.0 * part / whole:.0f} %" if whole > 0 else "0 %"


def periods(ix: Index, ts: Iterable[int]) -> str:
    ts = sorted(set(int(t) for t in ts))
    if len(ts) == ix.n_periods and len(ts) > 1:
        return f"in all {len(ts)} periods"
    names = [ix.periods[t] for t in ts]
    if len(names) <= 3:
        return "in " + ", ".join(names)
    return f"in {len(names)} of {ix.n_periods} periods, from {names[0]}"


def per_period(ix: Index) -> str:
    months = {float(m) for m in ix.months}
    if len(months) == 1:
        return {1.0: "a month", 3.0: "a quarter", 12.0: "a year"}.get(months.pop(),
                                                                      "a period")
    return "a period"


class Names:
    """User-facing names: a unit's, role's or stream's name where given, else its ID."""

    def __init__(self, ix: Index) -> None:
        self.unit = {id_key(u): n for u, n in zip(ix.units, ix.unit_names, strict=True)}
        self.stream = {id_key(s): n for s, n in zip(ix.streams, ix.stream_names,
                                                     strict=True)}
        self.role = {id_key(r.role_id): r.name or r.role_id for r in ix.roles}

    def u(self, unit_id: str) -> str:
        return self.unit.get(id_key(unit_id), unit_id)

    def s(self, stream_id: str) -> str:
        """A stream's name as it reads inside a sentence."""
        return in_sentence(self.stream.get(id_key(stream_id), stream_id))

    def s_first(self, stream_id: str) -> str:
        """A stream's name as written, for the start of a line."""
        return self.stream.get(id_key(stream_id), stream_id)

    def r(self, role_id: str) -> str:
        return in_sentence(self.role.get(id_key(role_id), role_id))

    def rs(self, role_id: str) -> str:
        """A role's name in the plural ("intelligence analysts"); IDs stay as they are."""
        return plural(self.r(role_id))

    def r_first(self, role_id: str) -> str:
        return self.role.get(id_key(role_id), role_id)


def in_sentence(name: str) -> str:
    """"Intelligence analyst" reads "intelligence analyst" mid-sentence; IDs and acronyms
    ("SOCU constable", "PCSO") keep their capitals."""
    if len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def plural(name: str) -> str:
    if not name or not name[-1].islower():
        return name  # an ID or acronym: "DC", "PCSO"
    if name.endswith(("s", "x", "ch", "sh")):
        return name + "es"
    return name + "s"

"""Seeding in-post strength from published workforce figures (DESIGN section 3).

The Home Office table gives FTE by force, worker type and rank (and sex); a model's roles
are narrower (detective constable, PCSO, analyst). A ``WorkforceMapping`` says which
published worker types (optionally one rank of them) feed which roles. Selectors and roles
linked to each other form a group: the group's published FTE is compared with the model's
in-post FTE of its roles at the matched unit, and seeding shares the published figure
among the group's roles in proportion to their current strength. Pure rules: reading the
table is ``io.opendata``'s job.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from capacity_planner.domain.entities import NO_ORIGIN
from capacity_planner.domain.forcenames import ForceMatches
from capacity_planner.domain.ids import clean_id, id_key
from capacity_planner.domain.model import PlanningModel
from capacity_planner.domain.problems import Location, Problem, error, note, warning

WORKER_TYPES = ("Police Officer", "Police Staff", "Police Community Support Officer",
                "Designated Officer")
_LABEL_ALIASES = {
    "pcso": "police community support officer",
    "pcsos": "police community support officer",
    "police officers": "police officer",
    "officer": "police officer",
    "officers": "police officer",
    "staff": "police staff",
    "designated officers": "designated officer",
}
_NOT_WORD = re.compile(r"[^\w]+")


def label_key(text: object) -> str:
    """Worker types and ranks compared leniently: case, spaces, punctuation, ``&``."""
    key = " ".join(_NOT_WORD.sub(" ", str(text or "").casefold().replace("&", " and ")).split())
    return _LABEL_ALIASES.get(key, key)


@dataclass(frozen=True)
class RoleLink:
    """Published worker type (and optionally one rank of it) -> one model role."""

    worker_type: str
    role_id: str
    rank: str = ""  # blank: every rank

    @property
    def selector(self) -> str:
        return f"{self.worker_type}/{self.rank}" if self.rank else self.worker_type

    @property
    def selector_key(self) -> tuple[str, str]:
        return label_key(self.worker_type), label_key(self.rank)


def parse_link(text: str) -> RoleLink:
    """``"Police Officer=DC"`` or ``"Police Officer/Sergeant=DS"``; ValueError if malformed."""
    selector, sep, role = str(text).partition("=")
    worker_type, _, rank = selector.partition("/")
    if not sep or not worker_type.strip() or not role.strip():
        raise ValueError(f"{text!r} is not WORKER TYPE[/RANK]=ROLE_ID "
                         "(for example \"Police Officer=DC\")")
    return RoleLink(worker_type.strip(), clean_id(role), rank.strip())


@dataclass(frozen=True)
class WorkforceMapping:
    links: tuple[RoleLink, ...] = ()

    def selector_of(self, worker_type: str, rank: str) -> tuple[str, str] | None:
        """The most specific selector that takes a published line: a rank-specific link
        wins over a whole worker type, so a line is never counted twice."""
        wt, rk = label_key(worker_type), label_key(rank)
        keys = {link.selector_key for link in self.links}
        if (wt, rk) in keys and rk:
            return wt, rk
        if (wt, "") in keys:
            return wt, ""
        return None

    def describe(self) -> list[str]:
        return [f"{link.selector} = {link.role_id}" for link in self.links]


def default_mapping(model: PlanningModel) -> WorkforceMapping:
    """What can be mapped without asking: PCSOs to a PCSO role and designated officers to a
    designated-officer role, found by role ID or name. Police officers and police staff
    are not mapped by default: a model's officer roles are a part of a force's officers."""
    links = []
    for role in model.roles:
        keys = {label_key(role.role_id), label_key(role.name)}
        if "police community support officer" in keys or any("pcso" in k for k in keys):
            links.append(RoleLink("Police Community Support Officer", role.role_id))
        elif any("designated officer" in k for k in keys):
            links.append(RoleLink("Designated Officer", role.role_id))
    return WorkforceMapping(tuple(links))


def check_mapping(mapping: WorkforceMapping, model: PlanningModel,
                  where: Location = NO_ORIGIN) -> list[Problem]:
    problems: list[Problem] = []
    published = {label_key(w) for w in WORKER_TYPES}
    for link in mapping.links:
        if id_key(link.role_id) not in model.role_by_key:
            problems.append(error("The mapping names a role that is not in the model", where,
                                  link.role_id, "a role_id from the Roles sheet"))
        if label_key(link.worker_type) not in published:
            problems.append(warning("The mapping names a worker type the open data table "
                                    "does not use", where, link.worker_type,
                                    " or ".join(WORKER_TYPES)))
    return problems


@dataclass(frozen=True)
class PublishedFte:
    """One force, worker type and rank of the published table in one year, summed over sex."""

    force: str
    worker_type: str
    rank: str
    fte: float
    headcount: float = 0.0


@dataclass(frozen=True)
class SeedLine:
    """One unit and mapping group: the published figure next to the model's, and what
    seeding would set each role's in-post FTE to (``(role_id, old, new)``)."""

    unit_id: str
    force: str
    selectors: tuple[str, ...]
    roles: tuple[str, ...]
    published_fte: float
    model_fte: float
    changes: tuple[tuple[str, float, float], ...] = ()
    note: str = ""

    @property
    def difference_fte(self) -> float:
        """Model less published: positive when the model has more people than published."""
        return self.model_fte - self.published_fte


def _groups(mapping: WorkforceMapping) -> list[tuple[list[RoleLink], list[str]]]:
    """Connected selector/role groups (union-find over links), in mapping order."""
    parent: dict[object, object] = {}

    def find(x: object) -> object:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for link in mapping.links:
        parent[find(("s", link.selector_key))] = find(("r", id_key(link.role_id)))
    groups: dict[object, tuple[list[RoleLink], list[str]]] = {}
    for link in mapping.links:
        links, roles = groups.setdefault(find(("r", id_key(link.role_id))), ([], []))
        links.append(link)
        if id_key(link.role_id) not in {id_key(r) for r in roles}:
            roles.append(link.role_id)
    return list(groups.values())


def compare_in_post(model: PlanningModel, published: Iterable[PublishedFte],
                    mapping: WorkforceMapping, matches: ForceMatches) -> list[SeedLine]:
    """Per matched unit and mapping group: published FTE against the model's in-post FTE,
    and the seeded value of each role (published shared pro rata to current strength, or
    to funded posts, or equally, whichever is first not all zero)."""
    totals: dict[tuple[str, tuple[str, str]], float] = {}
    for line in published:
        unit_id = matches.unit_of.get(line.force)
        selector = mapping.selector_of(line.worker_type, line.rank)
        if unit_id is None or selector is None:
            continue
        key = (id_key(unit_id), selector)
        totals[key] = totals.get(key, 0.0) + line.fte
    force_of = {id_key(u): f for f, u in matches.unit_of.items()}
    out: list[SeedLine] = []
    for unit_id in dict.fromkeys(matches.unit_of.values()):
        ukey = id_key(unit_id)
        for links, roles in _groups(mapping):
            selectors = tuple(dict.fromkeys(link.selector for link in links))
            sel_keys = {link.selector_key for link in links}
            fte = sum(totals.get((ukey, k), 0.0) for k in sel_keys)
            role_keys = {id_key(r) for r in roles}
            rows = [e for e in model.establishment
                    if id_key(e.unit_id) == ukey and id_key(e.role_id) in role_keys]
            model_fte = sum(e.in_post_fte for e in rows)
            if not rows:
                out.append(SeedLine(unit_id, force_of[ukey], selectors, tuple(roles), fte,
                                    0.0, (), "no Establishment row for these roles at this "
                                    "unit: nothing to seed"))
                continue
            out.append(SeedLine(unit_id, force_of[ukey], selectors, tuple(roles), fte,
                                model_fte, _share(rows, fte)))
    return out


def _share(rows: Sequence, total: float) -> tuple[tuple[str, float, float], ...]:
    for basis in ([e.in_post_fte for e in rows], [e.funded_fte for e in rows],
                  [1.0 for _ in rows]):
        weight = sum(basis)
        if weight > 0:
            return tuple((e.role_id, e.in_post_fte, total * b / weight)
                         for e, b in zip(rows, basis, strict=True))
    return ()


def seed_in_post(model: PlanningModel, lines: Iterable[SeedLine]) -> tuple[PlanningModel,
                                                                            list[Problem]]:
    """The model with each seeded role's in-post FTE set. Trainees and absence are kept but
    capped at the new strength (a warning says so), so the seeded model stays valid."""
    new: dict[tuple[str, str], float] = {}
    for line in lines:
        for role_id, _old, value in line.changes:
            new[(id_key(line.unit_id), id_key(role_id))] = value
    problems: list[Problem] = []
    rows = []
    for e in model.establishment:
        key = (id_key(e.unit_id), id_key(e.role_id))
        if key not in new:
            rows.append(e)
            continue
        value = new[key]
        training = min(e.in_training_fte, value)
        absent = min(e.absent_fte, value - training)
        if (training, absent) != (e.in_training_fte, e.absent_fte):
            problems.append(warning(
                f"{e.unit_id} {e.role_id}: published strength {value:,.1f} FTE is below "
                f"trainees plus absence; they were capped at it", e.origin,
                e.in_training_fte + e.absent_fte, f"at most {value:,.1f}"))
        rows.append(replace(e, in_post_fte=value, in_training_fte=training, absent_fte=absent))
    if new:
        problems.append(note(f"In-post FTE seeded from published figures for {len(new)} "
                             "establishment rows"))
    return model.with_table("establishment", tuple(rows)), problems

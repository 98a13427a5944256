"""What an import changes, for the wizard's preview, without Qt.

A vacancy import shows the Establishment rows the engine's merge changed (the model before
and the merged model after, compared row by row: the figures are the merge's, never
recomputed here); an import that replaces a table shows the imported rows and how many
rows the table had and will have.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from capacity_planner.domain.ids import id_key
from capacity_planner.domain.model import PlanningModel

if TYPE_CHECKING:
    from capacity_planner.io.vacancies import VacancyRow

# the Establishment figures a vacancy row can change, and their headings
FIGURES = {"in_post_fte": "In post", "in_training_fte": "In training", "absent_fte": "Absent"}
SAME = 1e-9  # FTE: closer than this is the same figure
CHANGE = "change_"  # prefix of a difference column (shown with its sign)


@dataclass(frozen=True)
class Changes:
    frame: pd.DataFrame  # the rows to show
    line: str  # one sentence on what the rows are
    headers: dict[str, str] = field(default_factory=dict)  # column -> heading
    named: dict[str, str] = field(default_factory=dict)  # column -> "units" / "roles"
    matched: int = 0  # vacancy import: Establishment rows the extract matched
    unchanged: int = 0  # ... of which the figures stay as they were


def _rows(n: int) -> str:
    return f"{n} row" + ("" if n == 1 else "s")


def vacancy_changes(before: PlanningModel, after: PlanningModel,
                    rows: Sequence[VacancyRow]) -> Changes:
    """The Establishment rows whose figures differ between ``before`` and ``after`` (the
    merged model), among those the vacancy ``rows`` match: unit and role, then each figure
    before, after and the difference. In training and absent are shown only when the
    extract gives them."""
    shown = ["in_post_fte", *(f for f in ("in_training_fte", "absent_fte")
                              if any(getattr(r, f) is not None for r in rows))]
    keys = {(id_key(r.unit_id), id_key(r.role_id)) for r in rows}
    matched, out = 0, []
    for old, new in zip(before.establishment, after.establishment, strict=True):
        if (id_key(old.unit_id), id_key(old.role_id)) not in keys:
            continue
        matched += 1
        if all(abs(getattr(new, f) - getattr(old, f)) <= SAME for f in FIGURES):
            continue
        row: dict[str, object] = {"unit_id": old.unit_id, "unit": old.unit_id,
                                  "role_id": old.role_id, "role": old.role_id}
        for f in shown:
            was, now = getattr(old, f), getattr(new, f)
            row[f"before_{f}"], row[f"after_{f}"], row[f"{CHANGE}{f}"] = was, now, now - was
        out.append(row)
    headers = {"unit_id": "Unit ID", "unit": "Unit", "role_id": "Role ID", "role": "Role"}
    for f in shown:
        headers |= {f"before_{f}": f"{FIGURES[f]} before", f"after_{f}": f"{FIGURES[f]} after",
                    f"{CHANGE}{f}": f"{FIGURES[f]} change"}
    unchanged = matched - len(out)
    if out:
        line = f"{_rows(len(out))} of the Establishment change"
    else:
        line = "No Establishment row changes"
    if unchanged:
        line += (f"; {_rows(unchanged)} matched by the extract already "
                 f"{'hold' if unchanged != 1 else 'holds'} these figures and "
                 f"{'are' if unchanged != 1 else 'is'} not listed")
    return Changes(pd.DataFrame(out, columns=list(headers)), line + ".", headers,
                   {"unit": "units", "role": "roles"}, matched, unchanged)


def replaced(before: PlanningModel, after: PlanningModel, attribute: str,
             sheet: str) -> Changes:
    """The rows of the table ``attribute`` after an import that replaced it, and how many
    rows it had before."""
    old, new = getattr(before, attribute), getattr(after, attribute)
    frame = pd.DataFrame([{k: v for k, v in asdict(r).items() if k != "origin"} for r in new])
    line = (f"The {sheet} table has {_rows(len(old))} now and will have {_rows(len(new))} "
            f"after the import: the imported rows, which replace it, are listed.")
    return Changes(frame, line)

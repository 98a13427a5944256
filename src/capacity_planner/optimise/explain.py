"""Plain-English explanations of a solve, where callers import them from: the narrative of
every solve (``optimise/narrative.py``) and, for a ``min_cost`` scenario that cannot meet
its minimums, which streams, units and periods fall short and why
(``optimise/infeasible.py``). The wording they share is in ``optimise/wording.py``.
"""

from __future__ import annotations

from capacity_planner.optimise.infeasible import MAX_SHORTFALLS, explain_infeasible
from capacity_planner.optimise.narrative import narrative
from capacity_planner.optimise.wording import TOP

__all__ = ["MAX_SHORTFALLS", "TOP", "explain_infeasible", "narrative"]

"""The PuLP model, its solve with HiGHS (or CBC), and results. No Qt.

``solve_scenario`` and ``solve_all`` are the entry points; ``Result`` is what they return.
"""

from __future__ import annotations

from capacity_planner.optimise.result import Result, Status
from capacity_planner.optimise.solve import solve_all, solve_scenario

__all__ = ["Result", "Status", "solve_all", "solve_scenario"]

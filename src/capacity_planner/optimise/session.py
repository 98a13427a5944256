"""Re-solving one scenario as the model is edited, fast enough for a live slider.

``SolveSession`` keeps the last solve's programme loaded in HiGHS. After an edit,
``resolve`` applies the scenario to the new model and builds its arrays (a few
milliseconds regionally), and when the programme has the same structure as the loaded
one (the same columns, rows and coefficient positions; a changed Demand hours value or
in_post_fte changes only right-hand sides) it sends HiGHS only the bounds and
coefficients that changed and starts from the last first-stage basis: a handful of
dual simplex iterations instead of a solve from scratch. Anything else (a row that
appears or disappears, a whole-posts MILP, CBC) is solved afresh, with the same answer.

The answer equals a fresh ``solve_scenario``: the same optimum of each stage. Where the
optimum is not unique, the plan may be another optimal plan (as a fresh solve of a
slightly different model might be).
"""

from __future__ import annotations

from capacity_planner.domain.model import BASELINE, PlanningModel
from capacity_planner.optimise.result import Result
from capacity_planner.optimise.solve import (
    Progress,
    ShouldCancel,
    prepare,
    solve_prepared,
)
from capacity_planner.optimise.solvers import HighsSession
from capacity_planner.optimise.stages import Session


class SolveSession:
    """One scenario of a model that changes by edits, solved again after each.

    ``solve()`` solves the model given at construction; ``resolve(model)`` solves an
    edited model, reusing the loaded programme where it can (``last_was_incremental``
    says whether it did). ``progress`` and ``should_cancel`` are as for
    ``solve_scenario``; a cancelled re-solve leaves the session usable.
    """

    def __init__(self, model: PlanningModel, scenario: str = BASELINE, *,
                 solver: str = "highs", time_limit: float | None = None,
                 progress: Progress | None = None,
                 should_cancel: ShouldCancel | None = None) -> None:
        self.model = model
        self.scenario = scenario
        self.solver = solver
        self.time_limit = time_limit
        self.progress = progress
        self.should_cancel = should_cancel
        self.last_was_incremental = False
        self._session: Session | None = None
        self._objective = ""

    def solve(self) -> Result:
        """Solve the current model from scratch (and keep it loaded)."""
        self._session = None
        return self.resolve(self.model)

    def resolve(self, model: PlanningModel) -> Result:
        """Solve ``model`` (an edited copy of the last one), incrementally when the
        programme's structure is unchanged."""
        self.model = model
        report = self.progress or (lambda fraction, message: None)
        prepared = prepare(model, self.scenario, self.solver, report, self.should_cancel)
        if isinstance(prepared, Result):
            return prepared
        objective = prepared.settings.objective
        first = "cost" if objective == "min_cost" else "weighted"
        session = self._session
        reused = (isinstance(session, HighsSession) and objective == self._objective
                  and session.reload(prepared.program, prepared.program.objectives[first]))
        result, kept = solve_prepared(prepared, solver=self.solver,
                                      time_limit=self.time_limit, report=report,
                                      should_cancel=self.should_cancel,
                                      session=session if reused else None)
        self.last_was_incremental = bool(reused)
        self._session, self._objective = kept, objective
        return result

"""Helpers of ``bench/run.py``: the engine's programme as HiGHS sees it (an MPS file
written from the builder's arrays), HiGHS's own read and run of that file with the
engine's options, the same LP through PuLP's modelling layer, and calamine's raw read.
"""

from __future__ import annotations

import time
from pathlib import Path

import highspy
import numpy as np
import pulp
import python_calamine

from capacity_planner.domain.scenario import apply_scenario
from capacity_planner.optimise.build import build_program
from capacity_planner.optimise.index import build_index
from capacity_planner.optimise.program import Program
from capacity_planner.optimise.pulp_model import to_pulp
from capacity_planner.optimise.solvers import HighsSession


def first_stage(model, scenario: str = "Baseline") -> tuple[Program, np.ndarray]:
    """The programme of ``scenario`` and its first-stage objective, as the engine builds
    them (``coverage``: weighted unmet with soft minimums; ``min_cost``: cost)."""
    changed, settings = apply_scenario(model, scenario)
    program, _ = build_program(build_index(changed, settings),
                               soft_service=settings.objective == "coverage")
    key = "cost" if settings.objective == "min_cost" else "weighted"
    return program, program.objectives[key]


def _highs_lp(program: Program, objective: np.ndarray) -> highspy.HighsLp:
    inf = highspy.kHighsInf
    lp = highspy.HighsLp()
    lp.num_col_ = program.n_cols
    lp.num_row_ = program.n_rows
    lp.col_cost_ = objective.astype(float)
    lp.col_lower_ = np.where(np.isinf(program.col_lower), -inf, program.col_lower)
    lp.col_upper_ = np.where(np.isinf(program.col_upper), inf, program.col_upper)
    lp.row_lower_ = np.where(np.isinf(program.row_lower), -inf, program.row_lower)
    lp.row_upper_ = np.where(np.isinf(program.row_upper), inf, program.row_upper)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_ = program.n_cols
    lp.a_matrix_.num_row_ = program.n_rows
    lp.a_matrix_.start_ = program.starts.astype(np.int32)
    lp.a_matrix_.index_ = program.index.astype(np.int32)
    lp.a_matrix_.value_ = program.value.astype(float)
    if program.is_mip:
        lp.integrality_ = [highspy.HighsVarType.kInteger if i else
                           highspy.HighsVarType.kContinuous for i in program.integer]
    return lp


class RawHighs:
    """The programme written to MPS once; each ``run`` is a fresh ``Highs`` that reads the
    file and solves it with the options of the engine's own HiGHS session."""

    def __init__(self, program: Program, objective: np.ndarray, folder: Path) -> None:
        self.mps = folder / "programme.mps"
        writer = highspy.Highs()
        writer.setOptionValue("output_flag", False)
        writer.passModel(_highs_lp(program, objective))
        writer.writeModel(str(self.mps))
        # the engine's options (log off, gaps, threads), copied from a real session
        self.options = HighsSession(program, objective).h.getOptions()

    def run(self) -> dict[str, float]:
        h = highspy.Highs()
        h.passOptions(self.options)
        began = time.perf_counter()
        h.readModel(str(self.mps))
        read = time.perf_counter()
        h.run()
        done = time.perf_counter()
        info = h.getInfo()
        return {"read": read - began, "run": done - read, "raw": done - began,
                "objective": info.objective_function_value,
                "iterations": info.simplex_iteration_count}


def pulp_run(program: Program, objective: np.ndarray) -> dict[str, float]:
    """The same first-stage LP built as a PuLP problem and solved by ``pulp.HiGHS``
    (PuLP's own loader walks each constraint's terms in Python)."""
    began = time.perf_counter()
    lp, _, _ = to_pulp(program, objective)
    built = time.perf_counter()
    lp.solve(pulp.HiGHS(msg=False))
    done = time.perf_counter()
    highs_s = lp.solverModel.getRunTime()  # type: ignore[attr-defined]
    return {"model": built - began, "solve": done - built, "total": done - began,
            "highs": highs_s, "objective": pulp.value(lp.objective)}


def engine_one_stage(model, scenario: str = "Baseline") -> dict[str, float]:
    """The engine's path for the same single LP: scenario, index and arrays, one
    ``addRows`` load into HiGHS (through PuLP's adapter for the options), one run."""
    began = time.perf_counter()
    program, objective = first_stage(model, scenario)
    built = time.perf_counter()
    session = HighsSession(program, objective)
    loaded = time.perf_counter()
    out = session.run(None)
    done = time.perf_counter()
    return {"build": built - began, "load": loaded - built, "run": done - loaded,
            "total": done - began, "objective": out.objective or 0.0}


def calamine_read(path: Path) -> tuple[float, int]:
    """Seconds for calamine to read every sheet of ``path`` into Python lists, and rows."""
    began = time.perf_counter()
    wb = python_calamine.load_workbook(str(path))
    rows = sum(len(wb.get_sheet_by_name(name).to_python()) for name in wb.sheet_names)
    return time.perf_counter() - began, rows

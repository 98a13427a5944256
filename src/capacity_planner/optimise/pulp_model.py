"""The programme as a PuLP problem: for CBC (``COIN_CMD``) and for writing an ``.lp`` or
``.mps`` file that a support engineer can open in any solver.

Each row's terms go into PuLP's Rust core in one call (``add_term_ids_coeffs`` with numpy
buffers) rather than one Python call per term. Names are index-based (``capacity_17``) so
two user IDs that PuLP would sanitise to the same name cannot collide; ``Program.families``
maps each row back to the user's IDs.
"""

from __future__ import annotations

import math

import numpy as np
import pulp

from capacity_planner.optimise.program import Program


def to_pulp(program: Program, objective: np.ndarray, name: str = "capacity_plan",
            ) -> tuple[pulp.LpProblem, list[pulp.LpVariable], list[pulp.LpConstraint | None]]:
    """A PuLP problem equal to ``program`` minimising ``objective``; its variables in
    column order and its constraints in row order (None for a row with no bounds, which
    constrains nothing and is left out)."""
    lp = pulp.LpProblem(name, pulp.LpMinimize)
    variables: list[pulp.LpVariable] = []
    for block, cols in sorted(program.blocks.items(), key=lambda kv: kv[1].start):
        n = cols.stop - cols.start
        if n:
            made = lp.add_variable_dict(block, range(n), lowBound=0)
            variables.extend(made[k] for k in range(n))
    for j in np.flatnonzero(np.isfinite(program.col_upper) | (program.col_lower != 0)):
        variables[j].lowBound = float(program.col_lower[j])
        if math.isfinite(program.col_upper[j]):
            variables[j].upBound = float(program.col_upper[j])
    for j in np.flatnonzero(program.integer):
        variables[j].cat = "Integer"
    ids = np.array([v.id for v in variables], dtype=np.uint64)
    core = variables[0]._var.containing_model() if variables else None

    def expression(cols: np.ndarray, vals: np.ndarray) -> pulp.LpAffineExpression:
        expr = pulp.LpAffineExpression.empty()
        if len(cols) and core is not None:
            expr._expr.add_term_ids_coeffs(core, np.ascontiguousarray(ids[cols]),
                                           np.ascontiguousarray(vals, dtype=np.float64))
        return expr

    constraints: list[pulp.LpConstraint | None] = []
    names = program.row_names()
    for i in range(program.n_rows):
        a, b = program.starts[i], program.starts[i + 1]
        expr = expression(program.index[a:b], program.value[a:b])
        lo, hi = float(program.row_lower[i]), float(program.row_upper[i])
        if math.isinf(lo) and math.isinf(hi):
            constraints.append(None)
            continue
        if lo == hi:
            row = expr == hi
        elif math.isinf(lo):
            row = expr <= hi
        elif math.isinf(hi):
            row = expr >= lo
        else:
            raise ValueError(f"ranged row {names[i]} is not supported")
        constraints.append(lp.addConstraint(row, names[i]))
    nz = np.flatnonzero(objective)
    lp.setObjective(expression(nz, objective[nz]))
    return lp, variables, constraints

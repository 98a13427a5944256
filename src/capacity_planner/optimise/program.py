"""The linear programme as plain sparse arrays: columns with bounds, rows in compressed
sparse row form, objectives as cost vectors.

This is the model of record. The HiGHS session loads it in one call, the CBC session and
``to_pulp`` turn it into a PuLP problem, and the residual check multiplies it out with
numpy, so all three see the same rows. Solver names are index-based (``capacity_17``,
``x_204``) so two user IDs that a solver would sanitise alike can never collide; each
family keeps a table of the user's own IDs per row (``labels``) for messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

INF = float("inf")


@dataclass(frozen=True)
class Family:
    """A block of rows of one constraint family, with the user's IDs of each row."""

    name: str
    start: int
    count: int
    labels: pd.DataFrame  # one row per constraint: unit, role, stream, period, ...

    @property
    def rows(self) -> slice:
        return slice(self.start, self.start + self.count)


@dataclass(frozen=True)
class Program:
    col_lower: np.ndarray
    col_upper: np.ndarray
    integer: np.ndarray  # bool per column
    blocks: dict[str, slice]  # variable family -> its columns
    starts: np.ndarray  # CSR row starts (n_rows + 1)
    index: np.ndarray  # CSR column indices
    value: np.ndarray  # CSR coefficients
    row_lower: np.ndarray
    row_upper: np.ndarray
    families: dict[str, Family]
    objectives: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def n_cols(self) -> int:
        return len(self.col_lower)

    @property
    def n_rows(self) -> int:
        return len(self.row_lower)

    @property
    def is_mip(self) -> bool:
        return bool(self.integer.any())

    def block(self, name: str) -> slice:
        return self.blocks.get(name, slice(0, 0))

    def family(self, name: str) -> Family | None:
        return self.families.get(name)

    def row_ids(self) -> np.ndarray:
        """The row of each stored coefficient (COO form of the CSR arrays)."""
        return np.repeat(np.arange(self.n_rows), np.diff(self.starts))

    def activity(self, values: np.ndarray) -> np.ndarray:
        """Each row's left-hand side at ``values``."""
        return np.bincount(self.row_ids(), weights=self.value * values[self.index],
                           minlength=self.n_rows)

    def col_name(self, j: int) -> str:
        for name, cols in self.blocks.items():
            if cols.start <= j < cols.stop:
                return f"{name}_{j - cols.start}"
        raise IndexError(j)

    def row_name(self, i: int) -> str:
        fam = self.family_of(i)
        return f"{fam.name}_{i - fam.start}"

    def family_of(self, i: int) -> Family:
        for fam in self.families.values():
            if fam.start <= i < fam.start + fam.count:
                return fam
        raise IndexError(i)

    def row_names(self) -> list[str]:
        names: list[str] = []
        for fam in sorted(self.families.values(), key=lambda f: f.start):
            names.extend(f"{fam.name}_{k}" for k in range(fam.count))
        return names

    def col_names(self) -> list[str]:
        names: list[str] = []
        for name, cols in sorted(self.blocks.items(), key=lambda kv: kv[1].start):
            names.extend(f"{name}_{k}" for k in range(cols.stop - cols.start))
        return names

    def with_rows(self, family: str, rows: np.ndarray, cols: np.ndarray, vals: np.ndarray,
                  lower: np.ndarray, upper: np.ndarray, labels: pd.DataFrame) -> Program:
        """A copy with one more family of rows appended (``rows`` are 0-based within it)."""
        extra = _csr(rows, cols, vals, len(lower))
        offset = self.n_rows
        fam = Family(family, offset, len(lower), labels.reset_index(drop=True))
        return replace(
            self,
            starts=np.concatenate([self.starts, extra[0][1:] + self.starts[-1]]),
            index=np.concatenate([self.index, extra[1]]),
            value=np.concatenate([self.value, extra[2]]),
            row_lower=np.concatenate([self.row_lower, lower]),
            row_upper=np.concatenate([self.row_upper, upper]),
            families={**self.families, family: fam},
        )

    def rows_of(self, family: str) -> tuple[np.ndarray, np.ndarray, np.ndarray,
                                             np.ndarray, np.ndarray]:
        """CSR arrays (starts from 0), lower and upper bounds of one family's rows."""
        fam = self.families[family]
        a, b = self.starts[fam.start], self.starts[fam.start + fam.count]
        return (self.starts[fam.start:fam.start + fam.count + 1] - a, self.index[a:b],
                self.value[a:b], self.row_lower[fam.rows], self.row_upper[fam.rows])


class ProgramBuilder:
    """Collects columns by block and rows by family, then packs them into a Program."""

    def __init__(self) -> None:
        self._lower: list[np.ndarray] = []
        self._upper: list[np.ndarray] = []
        self._integer: list[np.ndarray] = []
        self.blocks: dict[str, slice] = {}
        self.n_cols = 0
        self._rows: list[tuple[str, int, np.ndarray, np.ndarray, np.ndarray, np.ndarray,
                               np.ndarray, pd.DataFrame]] = []
        self.n_rows = 0

    def add_columns(self, block: str, lower: np.ndarray, upper: np.ndarray,
                    integer: bool = False) -> int:
        """Adds a block of columns; returns the first column's index."""
        n = len(lower)
        first = self.n_cols
        self.blocks[block] = slice(first, first + n)
        self._lower.append(np.asarray(lower, dtype=float))
        self._upper.append(np.asarray(upper, dtype=float))
        self._integer.append(np.full(n, integer))
        self.n_cols += n
        return first

    def add_rows(self, family: str, rows: np.ndarray, cols: np.ndarray, vals: np.ndarray,
                 lower: np.ndarray, upper: np.ndarray, labels: pd.DataFrame) -> int:
        """Adds a family of ``len(lower)`` rows from coefficient triplets (``rows`` are
        0-based within the family); returns the first row's index."""
        first = self.n_rows
        if len(lower):
            self._rows.append((family, first, np.asarray(rows, dtype=np.int64),
                               np.asarray(cols, dtype=np.int64),
                               np.asarray(vals, dtype=float), np.asarray(lower, dtype=float),
                               np.asarray(upper, dtype=float), labels))
            self.n_rows += len(lower)
        return first

    def build(self, objectives: dict[str, np.ndarray]) -> Program:
        families = {}
        all_rows, all_cols, all_vals, lows, ups = [], [], [], [], []
        for family, first, rows, cols, vals, lower, upper, labels in self._rows:
            families[family] = Family(family, first, len(lower), labels.reset_index(drop=True))
            keep = vals != 0
            all_rows.append(rows[keep] + first)
            all_cols.append(cols[keep])
            all_vals.append(vals[keep])
            lows.append(lower)
            ups.append(upper)
        cat = _cat
        starts, index, value = _csr(cat(all_rows, np.int64), cat(all_cols, np.int64),
                                    cat(all_vals, float), self.n_rows)
        return Program(
            col_lower=cat(self._lower, float),
            col_upper=cat(self._upper, float),
            integer=cat(self._integer, bool),
            blocks=dict(self.blocks),
            starts=starts,
            index=index,
            value=value,
            row_lower=cat(lows, float),
            row_upper=cat(ups, float),
            families=families,
            objectives={k: np.asarray(v, dtype=float) for k, v in objectives.items()},
        )


def _cat(parts: list[np.ndarray], dtype: type) -> np.ndarray:
    return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype=dtype)


def _csr(rows: np.ndarray, cols: np.ndarray, vals: np.ndarray,
         n_rows: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """CSR arrays from triplets; duplicate (row, column) pairs are summed."""
    rows = np.asarray(rows, dtype=np.int64)
    cols = np.asarray(cols, dtype=np.int64)
    vals = np.asarray(vals, dtype=float)
    if len(rows):
        order = np.lexsort((cols, rows))
        rows, cols, vals = rows[order], cols[order], vals[order]
        new = np.ones(len(rows), dtype=bool)
        new[1:] = (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])
        if not new.all():
            group = np.cumsum(new) - 1
            vals = np.bincount(group, weights=vals)
            rows, cols = rows[new], cols[new]
        keep = vals != 0
        rows, cols, vals = rows[keep], cols[keep], vals[keep]
    starts = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n_rows), out=starts[1:])
    return starts, cols, vals

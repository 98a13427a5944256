"""Each record's origin (file, sheet, Excel row, position), made while the reader waits.

A 50,000-row table needs 50,000 ``Location`` records, a quarter of the cost of making its
records. They depend only on where the table's rows are, not on their cells, so the
reader makes them while it waits for calamine to finish parsing the sheet (pre-flight
already knows the sheet's last row): for a table whose header is row 1 and whose rows
are all kept, the records then take these instead of having new ones made.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from capacity_planner.domain.bulk import bulk
from capacity_planner.domain.problems import Location

CHUNK = 10_000  # origins made per step, so the reader looks at its parses again soon
MOST = 250_000  # a sheet whose cells reach further is left to the records as they come
FIRST_ROW = 2  # the first data row below a header in row 1


class Ahead:
    """Origins of the rows ``FIRST_ROW``.. of a sheet, made a chunk at a time."""

    def __init__(self, file: str, sheet: str, last_row: int) -> None:
        self.file, self.sheet = file, sheet
        self.wanted = max(0, min(last_row, MOST + FIRST_ROW - 1) - FIRST_ROW + 1)
        self.made: list[Location] = []

    @property
    def done(self) -> bool:
        return len(self.made) >= self.wanted

    def step(self) -> None:
        """Make the next chunk."""
        start = len(self.made)
        stop = min(self.wanted, start + CHUNK)
        self.made.extend(make(self.file, self.sheet, range(start + FIRST_ROW,
                                                           stop + FIRST_ROW), start))

    def take(self, rows: Sequence[int]) -> list[Location] | None:
        """The origins of ``rows`` if they are rows ``FIRST_ROW``.. without a gap and all
        made; None otherwise."""
        n = len(rows)
        if n == 0 or n > len(self.made) or rows[0] != FIRST_ROW or rows[-1] != n + 1:
            return None
        return self.made[:n]


def make(file: str, sheet: str, rows: Sequence[int], first_index: int = 0) -> list[Location]:
    """Origins of ``rows``, indexed from ``first_index``, built by ``domain.bulk``."""
    return list(map(bulk(Location), itertools.repeat(file), itertools.repeat(sheet), rows,
                    itertools.repeat(""), range(first_index, first_index + len(rows))))

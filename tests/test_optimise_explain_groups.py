"""The narrative's array grouping (optimise/grouping.py) groups exactly as pandas'
``groupby(sort=False)`` does, which the narrative's wording relies on: groups in order of
first appearance, rows with a missing key left out, and the same totals.

Worked case: keys (b, 2), (a, 1), (b, 2), (a, NaN), (a, 1) make group 0 = (b, 2) first
seen at row 0, group 1 = (a, 1) first seen at row 1; row 3 has a missing key and belongs
to no group; values 1..5 give totals 1 + 3 = 4 and 2 + 5 = 7.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from capacity_planner.optimise.grouping import codes, groups, sums


def test_worked_case() -> None:
    letters = codes(np.array(["b", "a", "b", "a", "a"], dtype=object))[0]
    numbers = codes(np.array([2.0, 1.0, 2.0, np.nan, 1.0]))[0]
    group, first = groups(letters, numbers)
    assert group.tolist() == [0, 1, 0, -1, 1]
    assert first.tolist() == [0, 1]
    assert sums(group, len(first), np.arange(1.0, 6.0)).tolist() == [4.0, 7.0]


keys = st.lists(st.tuples(st.sampled_from(["x", "y", "z", "w"]),
                          st.sampled_from([0.5, 1.0, 2.5, float("nan")]),
                          st.integers(0, 3)), min_size=1, max_size=40)


@settings(max_examples=200, deadline=None)
@given(keys)
def test_same_groups_as_pandas(rows: list[tuple[str, float, int]]) -> None:
    frame = pd.DataFrame(rows, columns=["s", "f", "i"])
    frame["v"] = np.arange(len(frame), dtype=float)
    group, first = groups(*(codes(frame[c].to_numpy())[0] for c in ("s", "f", "i")))
    expected = frame.groupby(["s", "f", "i"], sort=False)
    assert [tuple(frame.loc[r, ["s", "f", "i"]]) for r in first] == list(expected.groups)
    assert sums(group, len(first), frame.v.to_numpy()).tolist() == expected.v.sum().tolist()
    for g, (_, members) in enumerate(expected):
        assert np.flatnonzero(group == g).tolist() == members.index.tolist()
    assert (group == -1).tolist() == frame.f.isna().tolist()

"""Grouping on arrays, as pandas' ``groupby(sort=False)`` groups but without its
per-call cost: keys as integer codes in order of first appearance, groups numbered in
that order, rows with a missing key in no group, totals by ``np.bincount``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def codes(values: object) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes of ``values`` in order of first appearance (-1 for a missing value)
    and the distinct values."""
    found, uniques = pd.factorize(np.asarray(values, dtype=object), sort=False)
    return found.astype(np.int64, copy=False), np.asarray(uniques, dtype=object)


def groups(*keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's group of the combined key codes, groups numbered in order of first
    appearance, and the first row of each group. Rows with a missing key (code -1) are in
    group -1, as ``groupby`` drops them."""
    if not len(keys[0]):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    key = np.zeros(len(keys[0]), dtype=np.int64)
    missing = np.zeros(len(keys[0]), dtype=bool)
    for c in keys:
        key = key * (int(c.max()) + 1) + np.maximum(c, 0)
        missing |= c < 0
    key = np.where(missing, -1, key)
    uniq, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    if len(uniq) and uniq[0] == -1:
        first[0] = np.iinfo(np.int64).max  # the missing keys' group sorts last
    order = np.argsort(first, kind="stable")
    rank = np.empty(len(uniq), dtype=np.int64)
    rank[order] = np.arange(len(uniq))
    group = rank[inverse.ravel()]
    n = len(uniq)
    if len(uniq) and uniq[0] == -1:
        group = np.where(group == n - 1, -1, group)
        order = order[:-1]
    return group, first[order]


def sums(group: np.ndarray, n: int, weights: np.ndarray) -> np.ndarray:
    """The total of ``weights`` in each of ``n`` groups (rows in group -1 left out)."""
    keep = group >= 0
    return np.bincount(group[keep], weights=weights[keep], minlength=n)


def descending(values: np.ndarray) -> np.ndarray:
    """Positions from largest to smallest, ties in their order (a stable descending sort,
    as ``sort_values(ascending=False, kind="stable")``)."""
    return np.argsort(-values, kind="stable")

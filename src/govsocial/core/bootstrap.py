"""The cluster bootstrap shared by the engagement, sentiment and theme-share intervals.

Posts of one account are not independent (same audience, same staff), so intervals
resample accounts with all their posts (Cameron, Gelbach & Miller 2008): sum each
account's rows once, then each bootstrap draw is a multinomial weighting of those sums.

Example
-------
>>> import numpy as np
>>> totals = cluster_totals(np.array([[1.0], [2.0], [3.0]]), ["a", "a", "b"])
>>> totals.ravel().tolist()
[3.0, 3.0]
>>> resample_totals(totals, 4, np.random.default_rng(0)).shape
(4, 1)
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

__all__ = ["cluster_totals", "resample_totals"]


def cluster_totals(values: np.ndarray, clusters: Sequence[Any] | np.ndarray, *, single_by_rows: bool = False) -> np.ndarray:
    """Column sums of ``values`` (rows × columns) within each cluster, clusters in sorted order.

    With ``single_by_rows``, data from a single cluster are returned row by row, so the
    bootstrap resamples rows (posts) instead of degenerating to one unit.

    Example
    -------
    >>> cluster_totals(np.array([[1.0], [2.0]]), ["a", "a"], single_by_rows=True).ravel().tolist()
    [1.0, 2.0]
    """
    values = np.asarray(values, dtype=np.float64)
    units, codes = np.unique(np.asarray(clusters).astype(str), return_inverse=True)
    if single_by_rows and len(units) == 1:
        return values.copy()
    totals = np.zeros((len(units), values.shape[1]))
    np.add.at(totals, codes, values)
    return totals


def resample_totals(totals: np.ndarray, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """``n_boot`` bootstrap totals: units drawn with replacement, their rows summed.

    Example
    -------
    >>> resample_totals(np.array([[1.0], [1.0]]), 3, np.random.default_rng(1)).ravel().tolist()
    [2.0, 2.0, 2.0]
    """
    n = len(totals)
    draws = rng.multinomial(n, np.full(n, 1.0 / n), size=int(n_boot))
    return draws @ totals

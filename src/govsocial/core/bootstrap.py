"""The cluster bootstrap shared by the engagement, sentiment, topic- and theme-share intervals,
and the interval convention of every table.

**The interval convention.** A table that gives an estimate with its interval names the
columns ``estimate, low, high, level, n`` (:data:`INTERVAL_COLUMNS`): the estimate, the
interval's bounds (NaN when no interval was computed, e.g. ``n_boot=0``), the interval's
level (0.95) and the number of units the estimate is computed from (posts, requests).
A table of several measures per group is long: one row per group and ``measure``
(``t.pivot(index="group", columns="measure", values="estimate")`` makes it wide).

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

#: the columns of an estimate with its interval, in every table the library returns
INTERVAL_COLUMNS = ["estimate", "low", "high", "level", "n"]

__all__ = [
    "INTERVAL_COLUMNS",
    "cluster_totals",
    "resample_counts",
    "resample_totals",
    "percentile_interval",
    "share_interval",
]


def cluster_totals(
    values: np.ndarray, clusters: Sequence[Any] | np.ndarray, *, single_by_rows: bool = False
) -> np.ndarray:
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


def resample_counts(n_units: int, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """How often each of ``n_units`` units is drawn in each of ``n_boot`` resamples with
    replacement (``n_boot`` × ``n_units``, rows summing to ``n_units``): the weights of
    :func:`resample_totals`, for statistics that are not sums (a Kaplan–Meier median).

    Example
    -------
    >>> counts = resample_counts(4, 3, np.random.default_rng(0))
    >>> counts.shape, counts.sum(axis=1).tolist()
    ((3, 4), [4, 4, 4])
    """
    return rng.multinomial(n_units, np.full(n_units, 1.0 / n_units), size=int(n_boot))


def resample_totals(totals: np.ndarray, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """``n_boot`` bootstrap totals: units drawn with replacement, their rows summed.

    Example
    -------
    >>> resample_totals(np.array([[1.0], [1.0]]), 3, np.random.default_rng(1)).ravel().tolist()
    [2.0, 2.0, 2.0]
    """
    return resample_counts(len(totals), n_boot, rng) @ totals


def percentile_interval(
    draws: np.ndarray, level: float, *, axis: int = 0, ignore_nan: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """The percentile interval at ``level`` of bootstrap ``draws`` along ``axis``: the
    ``(1 - level) / 2`` and ``1 - (1 - level) / 2`` quantiles (``ignore_nan``: of the finite draws).

    Example
    -------
    >>> low, high = percentile_interval(np.arange(101.0), 0.9)
    >>> round(float(low), 9), round(float(high), 9)
    (5.0, 95.0)
    """
    tail = (1 - level) / 2 * 100
    low, high = (np.nanpercentile if ignore_nan else np.percentile)(draws, [tail, 100 - tail], axis=axis)
    return low, high


def share_interval(
    counts: np.ndarray,
    n_boot: int,
    rng: np.random.Generator,
    *,
    level: float = 0.95,
    percentiles: tuple[float, float] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Shares of categories from per-unit counts (units × categories, e.g. accounts' posts per
    theme): the point shares and percentile intervals from ``n_boot`` resamples of the units
    (NaN intervals when ``n_boot`` is 0). ``percentiles`` overrides the two percentiles of ``level``.

    Example
    -------
    >>> point, low, high = share_interval(np.array([[3.0, 1.0], [1.0, 3.0]]), 200, np.random.default_rng(0))
    >>> point.tolist(), bool((low <= point).all() and (point <= high).all())
    ([0.5, 0.5], True)
    """
    point = counts.sum(axis=0) / counts.sum()
    if not n_boot:
        return point, np.full(counts.shape[1], np.nan), np.full(counts.shape[1], np.nan)
    draws = resample_totals(counts, n_boot, rng)
    shares = draws / draws.sum(axis=1, keepdims=True)
    if percentiles is None:
        low, high = percentile_interval(shares, level)
    else:
        low, high = np.percentile(shares, list(percentiles), axis=0)
    return point, low, high

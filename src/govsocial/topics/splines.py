"""Cubic B-spline bases as R's ``splines::bs`` builds them, for stm's smooth term ``s(x)``.

stm's ``s(x, df)`` calls ``bs(x, df)``: ``df - 3`` interior knots at the quantiles of ``x``
(R's type 7), boundary knots at its range, no intercept column.
:func:`spline_knots` places the knots, :func:`spline_basis` evaluates the basis;
:mod:`govsocial.topics.formula` uses both for ``s(x)`` terms.

Example
-------
>>> import numpy as np
>>> knots, lo, hi = spline_knots(np.arange(1.0, 8.0), df=6)
>>> spline_basis(np.array([1.0, 7.0]), knots, lo, hi).shape
(2, 6)
"""

from __future__ import annotations

import numpy as np

__all__ = ["spline_basis", "spline_knots"]


def spline_knots(x: np.ndarray, df: int, degree: int = 3) -> tuple[np.ndarray, float, float]:
    """Interior knots and boundary knots of R's ``splines::bs(x, df)`` (no intercept).

    Example
    -------
    >>> knots, lo, hi = spline_knots(np.arange(1.0, 8.0), df=6)
    >>> knots.tolist(), lo, hi
    ([2.5, 4.0, 5.5], 1.0, 7.0)
    """
    x = np.asarray(x, dtype=np.float64)
    n_inner = max(int(df) - (degree + 1) + 1, 0)
    probs = np.linspace(0.0, 1.0, n_inner + 2)[1:-1]
    knots = np.quantile(x, probs) if n_inner else np.empty(0)
    return knots, float(x.min()), float(x.max())


def spline_basis(x: np.ndarray, knots: np.ndarray, lower: float, upper: float, degree: int = 3) -> np.ndarray:
    """R's ``splineDesign`` on ``sort(c(rep(c(lower, upper), degree + 1), knots))``, first column dropped.

    Values must lie in ``[lower, upper]`` (the range the basis was built on).

    Example
    -------
    >>> B = spline_basis(np.array([1.0, 4.0, 7.0]), np.array([2.5, 4.0, 5.5]), 1.0, 7.0)
    >>> B.shape, B[0].tolist(), float(B[2, -1])
    ((3, 6), [0.0, 0.0, 0.0, 0.0, 0.0, 0.0], 1.0)
    """
    from scipy.interpolate import BSpline

    x = np.asarray(x, dtype=np.float64)
    if x.size and (x.min() < lower or x.max() > upper):
        bad = x[(x < lower) | (x > upper)][0]
        raise ValueError(
            f"value {bad:g} is outside the range [{lower:g}, {upper:g}] the spline basis was built on; "
            "stay inside the range of the data the model was fitted on"
        )
    t = np.sort(np.concatenate([np.repeat([lower, upper], degree + 1), knots]))
    n_basis = len(t) - degree - 1
    B = np.zeros((x.size, n_basis))
    for j in range(n_basis):
        coef = np.zeros(n_basis)
        coef[j] = 1.0
        B[:, j] = BSpline(t, coef, degree, extrapolate=False)(x)
    # the right boundary belongs to the last interval (R evaluates the left limit there)
    at_upper = x == upper
    if at_upper.any():
        B[at_upper] = 0.0
        B[at_upper, -1] = 1.0
    return np.nan_to_num(B[:, 1:])

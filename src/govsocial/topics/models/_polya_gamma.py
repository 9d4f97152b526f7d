"""Pólya-Gamma draws for CovariateDMM's coefficient step (Polson, Scott & Windle 2013): PG(h, c)
by its series, the first terms exactly and the rest by a normal with the rest's exact mean and
variance (``_cdmm_kernels.pg_draw``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["pg_moments", "polya_gamma", "gamma_draws"]


def pg_moments(c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and variance of PG(1, c): ``tanh(c/2)/(2c)`` and ``(2 tanh(c/2) − c/cosh²(c/2)) / (4c³)``.

    Example
    -------
    >>> [round(float(v), 6) for v in pg_moments(np.array(0.0))]  # PG(1, 0): 1/4 and 1/24
    [0.25, 0.041667]
    """
    c = np.abs(np.asarray(c, dtype=np.float64))
    small = c < 1e-2
    safe = np.where(small, 1.0, c)
    mean = np.where(small, 0.25 - c**2 / 48, np.tanh(safe / 2) / (2 * safe))
    var = np.where(
        small,
        1 / 24 - c**2 / 120,
        (2 * np.tanh(safe / 2) - safe / np.cosh(np.minimum(safe, 700) / 2) ** 2) / (4 * safe**3),
    )
    return mean, var


def polya_gamma(c: np.ndarray, rng: np.random.Generator, terms: int = 20, h: Any = 1.0) -> np.ndarray:
    """Draws of PG(h, c), elementwise: the first ``terms`` terms of the series
    :math:`\\frac{1}{2\\pi^2}\\sum_k g_k / ((k-\\frac12)^2 + c^2/(4\\pi^2))`, :math:`g_k\\sim\\mathrm{Gamma}(h, 1)`,
    exactly, plus a normal draw for the rest with the rest's exact mean and variance (clipped
    at 0). PG(h, c) is the law of the sum of h independent PG(1, c) draws, so posts sharing a
    covariate row (and so ``c``) need one PG(h, c) draw, h = their number.

    Example
    -------
    >>> draws = polya_gamma(np.full(40000, 2.0), np.random.default_rng(0))
    >>> mean, var = pg_moments(np.array(2.0))
    >>> bool(abs(draws.mean() / mean - 1) < 0.01 and abs(draws.var() / var - 1) < 0.03)
    True
    """
    from ._cdmm_kernels import pg_draws

    c = np.asarray(c, dtype=np.float64)
    flat = c.ravel()
    h = np.broadcast_to(np.asarray(h, dtype=np.float64), c.shape).ravel()
    head = rng.standard_gamma(np.repeat(h[:, None], terms, axis=1))
    return pg_draws(flat, np.ascontiguousarray(h), head, rng.standard_normal(flat.shape[0])).reshape(c.shape)


def gamma_draws(sizes: np.ndarray, n_topics: int, terms: int, rng: np.random.Generator) -> np.ndarray:
    """Gamma(n_g, 1) draws, (n_topics, rows, terms): rows of one post (a covariate row no other
    post shares) by numpy's faster exponential sampler, the same law."""
    single = sizes == 1
    if not single.any():
        return rng.standard_gamma(np.broadcast_to(sizes[None, :, None], (n_topics, len(sizes), terms)))
    head = np.empty((n_topics, len(sizes), terms))
    head[:, single] = rng.standard_exponential((n_topics, int(single.sum()), terms))
    if not single.all():
        head[:, ~single] = rng.standard_gamma(
            np.broadcast_to(sizes[None, ~single, None], (n_topics, int((~single).sum()), terms))
        )
    return head

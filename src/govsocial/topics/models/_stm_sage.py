"""Content covariates for the STM: the SAGE topic-word model and its M-step (stm's R/STMmnreg.R).

With a categorical content covariate of A levels ("aspects"), each aspect a has its own
topic-word distributions (Eisenstein, Ahmed & Xing 2011; Roberts, Stewart & Airoldi 2016, §3)

.. math::

    \\beta_{a,k,v} \\propto \\exp(m_v + \\kappa^{(t)}_{k,v} + \\kappa^{(c)}_{a,v} + \\kappa^{(i)}_{a,k,v}),

with :math:`m_v` the log share of word v in the corpus (fixed). stm's default M-step
(``kappa.prior = "L1"``) is a distributed multinomial regression (Taddy 2015): for every word
v, a Poisson regression of the expected counts :math:`y_{a,k,v}` of the A·K (aspect, topic)
cells on one-hot indicators of the topic, the aspect and (with ``interactions``) the cell,
with offset :math:`m_v + \\log \\sum_w y_{a,k,w}`, no intercept and an L1 penalty,

.. math::

    \\min_b\\; \\frac1n\\sum_{a,k}\\big(\\mu_{a,k} - y_{a,k}\\log\\mu_{a,k}\\big) + \\lambda\\lVert b\\rVert_1,
    \\qquad \\log\\mu_{a,k} = o_{a,k} + b^{(t)}_k + b^{(c)}_a + b^{(i)}_{a,k},\\quad n = AK,

solved (as stm does with glmnet) along a path of ``N_LAMBDA`` values of λ from the smallest
that keeps every coefficient at zero down to ``LAMBDA_MIN_RATIO`` of it, each from the
previous solution; the λ kept is the one minimising the information criterion
deviance + ``IC_K`` · (number of non-zero coefficients) (``ic.k = 2``: AIC).

Here each coordinate step is exact: every indicator column is 0/1 and a coefficient
enters all of its cells' log means additively, so the one-dimensional problem has the
closed-form soft-thresholded solution :math:`b = \\log\\big((Y \\mp n\\lambda)/M_0\\big)` (Y:
the coefficient's cells' counts, :math:`M_0`: their means without it) or 0 — where glmnet
runs iteratively reweighted least squares. Words run in parallel (``prange``), each on its
own column, so results do not depend on the number of threads.
"""

from __future__ import annotations

import warnings

import numpy as np
from numba import njit, prange

__all__ = ["N_LAMBDA", "LAMBDA_MIN_RATIO", "IC_K", "CD_TOL", "baseline", "mnreg", "sage_beta"]

#: stm's ``tau`` settings (R/stm.R): nlambda, lambda.min.ratio, ic.k, tol, maxit
N_LAMBDA = 250
LAMBDA_MIN_RATIO = 0.001
IC_K = 2.0
CD_TOL = 1e-5
MAX_SWEEPS = 10_000
#: glmnet's path stops: fewer than 5 λ are never stopped early; stop when the deviance
#: explained grows by less than FDEV of itself, or exceeds DEVMAX (glmnet.control defaults)
_MNLAM, _FDEV, _DEVMAX = 5, 1e-5, 0.999


def baseline(word_counts: np.ndarray) -> np.ndarray:
    """m: the log share of each word in the corpus (stm's fixed intercept); a word that never
    occurs gets a finite value far below the others (its probability underflows to 0).

    Example
    -------
    >>> np.round(baseline(np.array([3.0, 1.0])), 4).tolist()
    [-0.2877, -1.3863]
    """
    counts = np.asarray(word_counts, dtype=np.float64)
    return np.log(np.maximum(counts, 1e-300)) - np.log(counts.sum())


@njit(cache=True)
def _coordinate(j, Y, mu, ecoef, n_lam, cell_ptr, cells):
    """Exact minimisation over coefficient j, kept as e^b; updates mu of its cells; returns M_j·(Δb)²
    (with Δb ≈ e^Δb − 1, the step's size)."""
    lo, hi = cell_ptr[j], cell_ptr[j + 1]
    M = 0.0
    for r in range(lo, hi):
        M += mu[cells[r]]
    old = ecoef[j]
    M0 = M / old
    if M0 <= 0.0:
        return 0.0
    if Y - n_lam > M0:
        new = (Y - n_lam) / M0
    elif Y + n_lam < M0:
        new = (Y + n_lam) / M0
    else:
        new = 1.0  # b = 0
    if new == old:
        return 0.0
    ecoef[j] = new
    factor = new / old
    for r in range(lo, hi):
        mu[cells[r]] *= factor
    step = factor - 1.0
    return max(M, M * factor) * step * step


@njit(cache=True)
def _word_start(y, off, cell_ptr, cells, mu, Y):
    """At b = 0: mu = e^offset, Y_j = the counts of coefficient j's cells; returns Σ y (log y − offset),
    Σ y and λ_max = max_j |Y_j − M_j| / n, the smallest λ at which every coefficient is 0."""
    y_logy_off = 0.0
    y_total = 0.0
    for c in range(y.shape[0]):
        mu[c] = np.exp(off[c])
        y_total += y[c]
        if y[c] > 0.0:
            y_logy_off += y[c] * (np.log(y[c]) - off[c])
    lam_max = 0.0
    for j in range(Y.shape[0]):
        M = 0.0
        for r in range(cell_ptr[j], cell_ptr[j + 1]):
            Y[j] += y[cells[r]]
            M += mu[cells[r]]
        lam_max = max(lam_max, abs(Y[j] - M) / y.shape[0])
    return y_logy_off, y_total, lam_max


@njit(cache=True)
def _word_path(y, off, cell_ptr, cells, n_lambda, ratio, ic_k, tol, max_sweeps, best):
    """The L1 path of one word's Poisson regression over the cells (y, off: one value per cell;
    coefficient j enters cells[cell_ptr[j]:cell_ptr[j + 1]]); writes the coefficients with the
    smallest information criterion into ``best``; returns False if a λ hit ``max_sweeps``.

    The deviance uses the linearity of log μ in the 0/1 design:
    Σ y log μ = Σ y·offset + Σ_j Y_j b_j, with Y_j the counts of coefficient j's cells.
    """
    n_cells = y.shape[0]
    P = best.shape[0]
    n = float(n_cells)
    ecoef = np.ones(P)
    mu = np.empty(n_cells)
    Y = np.zeros(P)
    y_logy_off, y_total, lam_max = _word_start(y, off, cell_ptr, cells, mu, Y)
    mu_total = mu.sum()
    for j in range(P):
        best[j] = 0.0
    null_dev = 2.0 * (y_logy_off - y_total + mu_total)
    best_ic = null_dev
    if lam_max <= 0.0 or null_dev <= 0.0:
        return True
    thresh = tol * null_dev
    ok = True
    rsq_old = 0.0
    for step in range(n_lambda):
        n_lam = n * lam_max * ratio ** (step / (n_lambda - 1.0))
        converged = False
        for _ in range(max_sweeps):
            worst = 0.0
            for j in range(P):
                worst = max(worst, _coordinate(j, Y[j], mu, ecoef, n_lam, cell_ptr, cells))
            if worst < thresh:
                converged = True
                break
        ok = ok and converged
        mu_total = 0.0
        for c in range(n_cells):
            mu_total += mu[c]
        y_b = 0.0
        df = 0
        for j in range(P):
            if ecoef[j] != 1.0:
                df += 1
                y_b += Y[j] * np.log(ecoef[j])
        dev = 2.0 * (y_logy_off - y_b - y_total + mu_total)
        ic = dev + ic_k * df
        if ic < best_ic:
            best_ic = ic
            for j in range(P):
                best[j] = np.log(ecoef[j]) if ecoef[j] != 1.0 else 0.0
        rsq = 1.0 - dev / null_dev
        if step + 1 >= _MNLAM and (rsq - rsq_old < _FDEV * rsq or rsq > _DEVMAX):
            break
        rsq_old = rsq
    return ok


@njit(parallel=True, cache=True)
def _mnreg_kernel(stats, log_totals, m, cell_ptr, cells, n_lambda, ratio, ic_k, tol, max_sweeps, coefs):
    """Every word's path (words in parallel); coefs (V, P); returns the number of words that hit max_sweeps."""
    A, V, K = stats.shape
    failed = np.zeros(V, dtype=np.int64)
    for v in prange(V):
        y = np.empty(A * K)  # cell (a, k) is a * K + k
        off = np.empty(A * K)
        total = 0.0
        for a in range(A):
            for k in range(K):
                y[a * K + k] = stats[a, v, k]
                off[a * K + k] = m[v] + log_totals[a, k]
                total += stats[a, v, k]
        best = coefs[v]
        if total <= 0.0:
            for j in range(best.shape[0]):
                best[j] = 0.0
            continue
        if not _word_path(y, off, cell_ptr, cells, n_lambda, ratio, ic_k, tol, max_sweeps, best):
            failed[v] = 1
    return failed.sum()


def _cells(K: int, A: int, interactions: bool) -> tuple[np.ndarray, np.ndarray]:
    """For each coefficient (topics, aspects, interactions), the cells a·K + k it enters, as
    (pointers, cells): coefficient j enters cells[ptr[j]:ptr[j + 1]]."""
    groups = [[a * K + k for a in range(A)] for k in range(K)]
    groups += [[a * K + k for k in range(K)] for a in range(A)]
    if interactions:
        groups += [[c] for c in range(A * K)]
    ptr = np.cumsum([0] + [len(g) for g in groups]).astype(np.int64)
    return ptr, np.array([c for g in groups for c in g], dtype=np.int64)


def sage_beta(m: np.ndarray, topic: np.ndarray, aspect: np.ndarray, interaction: np.ndarray | None) -> np.ndarray:
    """β (A, K, V): the softmax over words of m + κ_topic + κ_aspect (+ κ_interaction).

    Example
    -------
    >>> beta = sage_beta(np.log([0.5, 0.5]), np.zeros((2, 2)), np.array([[1.0, 0.0], [0.0, 0.0]]), None)
    >>> np.round(beta[:, 0], 3).tolist()
    [[0.731, 0.269], [0.5, 0.5]]
    """
    logit = m[None, None, :] + topic[None, :, :] + aspect[:, None, :]
    if interaction is not None:
        logit = logit + interaction
    logit = logit - logit.max(axis=2, keepdims=True)
    beta = np.exp(logit)
    return beta / beta.sum(axis=2, keepdims=True)


def mnreg(
    stats: np.ndarray,
    m: np.ndarray,
    *,
    interactions: bool = True,
    n_lambda: int = N_LAMBDA,
    lambda_min_ratio: float = LAMBDA_MIN_RATIO,
    ic_k: float = IC_K,
    tol: float = CD_TOL,
    max_sweeps: int = MAX_SWEEPS,
) -> tuple[np.ndarray, dict[str, np.ndarray | None]]:
    """stm's L1 M-step for κ from the expected counts ``stats`` (A, V, K) and the baseline m (V,):
    returns β (A, K, V) and κ as ``{"topic": (K, V), "aspect": (A, V), "interaction": (A, K, V) or None}``.

    Example
    -------
    >>> rng = np.random.default_rng(0)
    >>> truth = np.array([[[0.7, 0.2, 0.1], [0.1, 0.2, 0.7]], [[0.4, 0.5, 0.1], [0.1, 0.5, 0.4]]])  # A, K, V
    >>> stats = np.transpose(truth * 2000.0, (0, 2, 1))  # expected counts, (A, V, K)
    >>> beta, kappa = mnreg(stats, baseline(stats.sum(axis=(0, 2))))
    >>> bool(np.abs(beta - truth).max() < 0.02), kappa["interaction"].shape
    (True, (2, 2, 3))
    """
    A, V, K = stats.shape
    cell_ptr, cells = _cells(K, A, interactions)
    P = cell_ptr.shape[0] - 1
    totals = stats.sum(axis=1)  # (A, K)
    log_totals = np.log(np.maximum(totals, 1e-300))
    coefs = np.empty((V, P))
    failed = _mnreg_kernel(
        np.ascontiguousarray(stats, dtype=np.float64),
        log_totals,
        np.ascontiguousarray(m, dtype=np.float64),
        cell_ptr,
        cells,
        int(n_lambda),
        float(lambda_min_ratio),
        float(ic_k),
        float(tol),
        int(max_sweeps),
        coefs,
    )
    if failed:
        warnings.warn(
            f"the content-covariate regression (SAGE) did not converge within {max_sweeps} sweeps at some "
            f"penalty for {failed} of {V} words; their coefficients are the last ones reached",
            RuntimeWarning,
            stacklevel=3,
        )
    kappa: dict[str, np.ndarray | None] = {
        "topic": np.ascontiguousarray(coefs[:, :K].T),
        "aspect": np.ascontiguousarray(coefs[:, K : K + A].T),
        "interaction": (np.ascontiguousarray(coefs[:, K + A :].T.reshape(A, K, V)) if interactions else None),
    }
    beta = sage_beta(m, kappa["topic"], kappa["aspect"], kappa["interaction"])  # type: ignore[arg-type]
    return beta, kappa

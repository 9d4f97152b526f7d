"""The structural topic model's M-step for the prevalence prior (stm's R/STMmu.R and R/STMsigma.R).

* ``opt_mu``: with covariates, γ by stm's default ``gamma.prior = "Pooled"``: for each of
  the K−1 dimensions of η, a variational Bayesian linear regression of λ on X with a
  Normal prior on the coefficients (except the intercept) whose precision has a
  half-Cauchy(1, 1) hyperprior, and a Gamma prior on the noise precision (stm's
  ``vb.variational.reg``); μ = Xγ. Without covariates, μ is the mean of λ (stm's "CTM").
* ``opt_sigma``: :math:`\\Sigma = \\frac1N\\big(\\sum_d \\nu_d + (\\lambda-\\mu)^\\top(\\lambda-\\mu)\\big)`,
  shrunk towards its diagonal by ``sigma_prior`` (0 by default, as stm).
"""

from __future__ import annotations

import warnings

import numpy as np
from numba import njit

from ._stm_kernels import _add_inverse, _cholesky

__all__ = ["vb_regression", "opt_mu", "opt_sigma"]


def vb_regression(
    Y: np.ndarray, X: np.ndarray, XtX: np.ndarray, *, max_iter: int = 1000, tol: float = 1e-4
) -> np.ndarray:
    """Coefficients of stm's variational linear regression with a pooled, half-Cauchy-regularised prior.

    One regression per column of ``Y``, each stopping when its coefficients change by less
    than ``tol`` in L1 norm, as stm's ``vb.variational.reg`` (hyperparameters b0 = d0 = 1);
    the first column of X is the (unpenalised) intercept. Runs in numba (``_stm_kernels``).

    Example
    -------
    >>> rng = np.random.default_rng(0)
    >>> X = np.column_stack([np.ones(200), rng.normal(size=200)])
    >>> y = 1.0 + 2.0 * X[:, 1] + rng.normal(scale=0.1, size=200)
    >>> np.round(vb_regression(y[:, None], X, X.T @ X), 1).ravel().tolist()
    [1.0, 2.0]
    """
    W = np.empty((Y.shape[1], X.shape[1]))
    failed = _vb_kernel(
        np.ascontiguousarray(X, dtype=np.float64),
        np.ascontiguousarray(Y, dtype=np.float64),
        np.ascontiguousarray(XtX, dtype=np.float64),
        np.ascontiguousarray(X.T @ Y, dtype=np.float64),
        int(max_iter),
        float(tol),
        W,
    )
    if failed:
        warnings.warn(
            f"the prevalence regression did not converge in {max_iter} iterations for {failed} of "
            f"{Y.shape[1]} topic dimensions; the covariates may be collinear: simplify the prevalence "
            "formula",
            RuntimeWarning,
            stacklevel=3,
        )
    return W.T


def opt_mu(lam: np.ndarray, X: np.ndarray | None, XtX: np.ndarray | None) -> tuple[np.ndarray, np.ndarray | None]:
    """Prior means (one row per document, or one shared row) and γ (covariates × K−1, or None).

    Example
    -------
    >>> mu, gamma = opt_mu(np.array([[1.0], [3.0]]), None, None)
    >>> mu.tolist(), gamma
    ([[2.0]], None)
    """
    if X is None or XtX is None:
        return lam.mean(axis=0, keepdims=True), None
    gamma = vb_regression(lam, X, XtX)
    return X @ gamma, gamma


def opt_sigma(nu_sum: np.ndarray, lam: np.ndarray, mu: np.ndarray, prior: float = 0.0) -> np.ndarray:
    """Σ = (Σ_d ν_d + (λ − μ)'(λ − μ)) / N, shrunk towards its diagonal by ``prior``.

    Example
    -------
    >>> opt_sigma(np.eye(1) * 2.0, np.array([[1.0], [3.0]]), np.array([[2.0]])).tolist()
    [[2.0]]
    """
    resid = lam - mu
    sigma = (resid.T @ resid + nu_sum) / lam.shape[0]
    if prior:
        sigma = prior * np.diag(np.diag(sigma)) + (1.0 - prior) * sigma
    return sigma


@njit(cache=True)
def _vb_kernel(X, Y, XtX, XtY, max_iter, tol, W):
    """stm's ``vb.variational.reg`` for every column of Y (see ``vb_regression``); W (M × D) out.

    Returns the number of columns that did not converge within ``max_iter`` iterations.
    """
    N, D = X.shape
    an = (1.0 + N) / 2.0
    cn = float(D)
    prec = np.empty((D, D))
    L = np.empty((D, D))
    V = np.empty((D, D))
    col = np.empty(D)
    work = np.empty(D)
    w = np.empty(D)
    failed = 0
    for m in range(Y.shape[1]):
        error_prec, ba, Ea = 1.0, 1.0, cn
        for j in range(D):
            W[m, j] = 0.0
        done = False
        for _ in range(max_iter):
            for i in range(D):
                for j in range(D):
                    prec[i, j] = error_prec * XtX[i, j] + (Ea if i == j and i > 0 else 0.0)
            _cholesky(prec, L, 0.0)
            V[:, :] = 0.0
            _add_inverse(L, V, col, work)
            for i in range(D):
                s = 0.0
                for j in range(D):
                    s += V[i, j] * XtY[j, m]
                w[i] = error_prec * s
            sse = 0.0
            for n in range(N):
                r = -Y[n, m]
                for j in range(D):
                    r += X[n, j] * w[j]
                sse += r * r
            trace = 0.0
            for i in range(D):
                for j in range(D):
                    trace += XtX[i, j] * V[j, i]
            bn = 0.5 * (sse + trace) + ba
            error_prec = an / bn
            ba = 1.0 / (error_prec + 1.0)
            da = 2.0 / (Ea + 1.0)
            ww = 0.0
            for j in range(1, D):
                ww += w[j] * w[j] + V[j, j]
            Ea = cn / (2.0 * da + ww)
            change = 0.0
            for j in range(D):
                change += abs(w[j] - W[m, j])
                W[m, j] = w[j]
            if change <= tol:
                done = True
                break
        if not done:
            failed += 1
    return failed


def precision(sigma: np.ndarray) -> tuple[np.ndarray, float]:
    """Σ⁻¹ and ½ log|Σ| (stm: by Cholesky, or by solve and determinant when that fails)."""
    try:
        L = np.linalg.cholesky(sigma)
        inv_L = np.linalg.inv(L)
        return np.ascontiguousarray(inv_L.T @ inv_L), float(np.sum(np.log(np.diag(L))))
    except np.linalg.LinAlgError:
        sign, logdet = np.linalg.slogdet(sigma)
        return np.ascontiguousarray(np.linalg.inv(sigma)), 0.5 * float(logdet)

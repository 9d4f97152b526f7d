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

import logging
import warnings

import numpy as np

__all__ = ["vb_regression", "opt_mu", "opt_sigma"]

log = logging.getLogger(__name__)


def vb_regression(Y: np.ndarray, X: np.ndarray, XtX: np.ndarray, *, b0: float = 1.0, d0: float = 1.0,
                  max_iter: int = 1000, tol: float = 1e-4) -> np.ndarray:
    """Coefficients of stm's variational linear regression with a pooled, half-Cauchy-regularised prior.

    One regression per column of ``Y`` (run side by side, each stopping on its own when its
    coefficients change by less than ``tol`` in L1 norm, as stm's ``vb.variational.reg``);
    the first column of X is the (unpenalised) intercept.

    Example
    -------
    >>> rng = np.random.default_rng(0)
    >>> X = np.column_stack([np.ones(200), rng.normal(size=200)])
    >>> y = 1.0 + 2.0 * X[:, 1] + rng.normal(scale=0.1, size=200)
    >>> np.round(vb_regression(y[:, None], X, X.T @ X), 1).ravel().tolist()
    [1.0, 2.0]
    """
    N, D = X.shape
    M = Y.shape[1]
    XtY = X.T @ Y  # D × M
    an = (1.0 + N) / 2.0
    W = np.zeros((M, D))
    error_prec, ba = np.ones(M), np.ones(M)
    cn = float(D)  # the intercept's -1 and the update's +1 cancel (stm)
    Ea = np.full(M, cn)
    active = np.ones(M, dtype=bool)
    penalty = np.ones(D)
    penalty[0] = 0.0
    for _ in range(max_iter):
        a = np.flatnonzero(active)
        prec = error_prec[a, None, None] * XtX[None] + Ea[a, None, None] * np.diag(penalty)[None]
        V = np.linalg.inv(prec)
        w = error_prec[a, None] * np.einsum("mij,jm->mi", V, XtY[:, a])
        sse = np.sum((X @ w.T - Y[:, a]) ** 2, axis=0)
        bn = 0.5 * (sse + np.einsum("ij,mji->m", XtX, V)) + ba[a]
        error_prec[a] = an / bn
        ba[a] = 1.0 / (error_prec[a] + b0)
        da = 2.0 / (Ea[a] + d0)
        dn = 2.0 * da + (np.sum(w[:, 1:] ** 2, axis=1) + np.einsum("mii->m", V) - V[:, 0, 0])
        Ea[a] = cn / dn
        change = np.sum(np.abs(w - W[a]), axis=1)
        W[a] = w
        active[a[change <= tol]] = False
        if not active.any():
            break
    else:
        warnings.warn(f"the prevalence regression did not converge in {max_iter} iterations; the covariates may be "
                      "collinear: simplify the prevalence formula", RuntimeWarning, stacklevel=3)
    return W.T


def opt_mu(lam: np.ndarray, X: np.ndarray | None, XtX: np.ndarray | None) -> tuple[np.ndarray, np.ndarray | None]:
    """Prior means (one row per document, or one shared row) and γ (covariates × K−1, or None).

    Example
    -------
    >>> mu, gamma = opt_mu(np.array([[1.0], [3.0]]), None, None)
    >>> mu.tolist(), gamma
    ([[2.0]], None)
    """
    if X is None:
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

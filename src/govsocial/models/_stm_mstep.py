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


def vb_regression(Y: np.ndarray, X: np.ndarray, XtX: np.ndarray, *, max_iter: int = 1000,
                  tol: float = 1e-4) -> np.ndarray:
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
    from ._stm_kernels import vb_regression as kernel

    W = np.empty((Y.shape[1], X.shape[1]))
    failed = kernel(np.ascontiguousarray(X, dtype=np.float64), np.ascontiguousarray(Y, dtype=np.float64),
                    np.ascontiguousarray(XtX, dtype=np.float64), np.ascontiguousarray(X.T @ Y, dtype=np.float64),
                    int(max_iter), float(tol), W)
    if failed:
        warnings.warn(f"the prevalence regression did not converge in {max_iter} iterations for {failed} of "
                      f"{Y.shape[1]} topic dimensions; the covariates may be collinear: simplify the prevalence "
                      "formula", RuntimeWarning, stacklevel=3)
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

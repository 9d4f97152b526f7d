"""The STM's variational EM loop (Roberts, Stewart & Airoldi 2016; stm 1.3.7's ``stm.control``):
E-step in numba (``_stm_kernels``), M-step for Γ, Σ and β (``_stm_mstep``), until the relative
change of the approximate bound falls below ``tol``.
"""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from typing import Any, Iterator

import numpy as np
import scipy.sparse as sp

__all__ = ["NEWTON_MAX_ITER", "NEWTON_GTOL", "threads", "run_em"]

# the STM's messages keep the model module's logger
log = logging.getLogger(f"{__package__}.stm")

NEWTON_MAX_ITER = 500
NEWTON_GTOL = 1e-8
_PARALLEL_WORK = 1e6  # below about this many (non-zeros × K²), one thread is faster than two


@contextmanager
def threads(work: float) -> Iterator[None]:
    """numba's parallel kernels on one thread for small problems, BLAS on one thread always.

    The M-step's matrix products are small: BLAS threads only add contention (measured: a
    5,000 × 19 cross-product took 0.45 s with two OpenBLAS threads on a busy two-core
    machine, 1.6 ms with one). Results do not depend on either setting.

    Example
    -------
    >>> import numba
    >>> with threads(0):
    ...     numba.get_num_threads()
    1
    """
    import numba
    from threadpoolctl import threadpool_limits

    before = numba.get_num_threads()
    if work < _PARALLEL_WORK:
        numba.set_num_threads(1)
    try:
        with threadpool_limits(limits=1, user_api="blas"):
            yield
    finally:
        numba.set_num_threads(before)


def _progress(model: Any) -> Any:
    if not model.verbose:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=int(model.max_iter), desc="STM", unit="iteration", leave=False)


def _report(progress: Any, it: int, bound: float, e_time: float, m_time: float) -> None:
    if progress is not None:
        progress.update(1)
        progress.set_postfix(bound=f"{bound:.2f}")
    log.info("STM iteration %d: bound %.4f (E-step %.2f s, M-step %.2f s)", it + 1, bound, e_time, m_time)


def _kernel_inputs(Xc: sp.csr_matrix) -> tuple[np.ndarray, ...]:
    """Rows (indptr, indices, counts) and columns (col_ptr, rows, counts) of the counts for the kernels."""
    csc = Xc.tocsc()
    return (
        Xc.indptr.astype(np.int64),
        Xc.indices.astype(np.int64),
        Xc.data.astype(np.float64),
        csc.indptr.astype(np.int64),
        csc.indices.astype(np.int64),
        csc.data.astype(float),
    )


class _Topics:
    """β for each level of the content covariate (one level without), the expected counts the
    E-step fills, and β's M-step: the normalised counts, or stm's SAGE regression with content."""

    def __init__(self, Xc: sp.csr_matrix, beta: np.ndarray, aspect: np.ndarray | None, interactions: bool) -> None:
        from ._stm_sage import baseline

        n_docs, V = Xc.shape
        K = beta.shape[-2]
        A = 1 if aspect is None else int(aspect.max()) + 1
        self.doc_aspect = np.zeros(n_docs, dtype=np.int64) if aspect is None else np.asarray(aspect, dtype=np.int64)
        self.betas = np.array(np.broadcast_to(beta, (A, K, V)), dtype=np.float64)
        self.m = None if aspect is None else baseline(np.asarray(Xc.sum(axis=0), dtype=np.float64).ravel())
        self.stats = np.empty((A, V, K))
        self.interactions = interactions
        self.kappa: dict[str, Any] = {}

    def m_step(self) -> None:
        from ._stm_sage import mnreg

        if self.m is None:
            stats = self.stats[0]
            self.betas[0] = stats.T / stats.T.sum(axis=1, keepdims=True)
        else:
            self.betas, self.kappa = mnreg(self.stats, self.m, interactions=self.interactions)

    def store(self, model: Any) -> None:
        """Set the content covariate's fitted attributes (nothing without one): β per level, κ, and
        the marginal β (the levels' β weighted by their shares of the documents, as stm's sageLabels)."""
        if self.m is None:
            return
        A, K, V = self.betas.shape
        shares = np.bincount(self.doc_aspect, minlength=A) / self.doc_aspect.shape[0]
        model.aspect_components_ = self.betas
        model.components_ = np.tensordot(shares, self.betas, axes=1)
        model.aspects_ = self.doc_aspect
        model.kappa_m_ = self.m
        model.kappa_topic_, model.kappa_aspect_ = self.kappa["topic"], self.kappa["aspect"]
        interaction = self.kappa["interaction"]
        model.kappa_interaction_ = np.zeros((0, K, V)) if interaction is None else interaction


def run_em(
    model: Any,
    Xc: sp.csr_matrix,
    design: np.ndarray | None,
    beta: np.ndarray,
    start: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
    aspect: np.ndarray | None = None,
) -> None:
    """EM from β for an STM ``model`` (sets its fitted attributes); ``start`` = (λ, μ, Σ) continues
    a fit (stm's restart) instead of λ = 0, μ = 0, Σ = 20·I.

    ``aspect`` (one level index per document, 0 … A − 1) fits a content covariate: each
    level has its own β (A, K, V), ``beta`` starting every level (as stm's initialisation),
    and the M-step for β is stm's L1 SAGE regression (``_stm_sage.mnreg``).

    Example
    -------
    >>> from govsocial.topics.models import STM
    >>> X = sp.csr_matrix(np.array([[3, 1, 0], [0, 1, 3], [2, 2, 1], [1, 0, 2]]))
    >>> m = STM(n_components=2, max_iter=3)
    >>> run_em(m, X, None, np.array([[0.6, 0.3, 0.1], [0.1, 0.3, 0.6]])); m.n_iter_ <= 3
    True
    """
    from ._stm_kernels import CHUNK, e_step, word_stats
    from ._stm_mstep import opt_mu, opt_sigma, precision

    n_docs, V = Xc.shape
    K = beta.shape[-2]
    topics = _Topics(Xc, beta, aspect, bool(model.interactions))
    indptr, indices, counts, col_ptr, rows, col_counts = _kernel_inputs(Xc)
    XtX = None if design is None else design.T @ design
    lam = np.zeros((n_docs, K - 1))
    mu, sigma, gamma = np.zeros((1, K - 1)), np.diag(np.full(K - 1, 20.0)), None
    if start is not None:
        lam, mu, sigma = (np.array(a, dtype=np.float64) for a in start)
    bound, theta = np.empty(n_docs), np.empty((n_docs, K))
    nu_chunks = np.empty(((n_docs + CHUNK - 1) // CHUNK, K - 1, K - 1))
    history: list[float] = []
    converged = False
    progress = _progress(model)
    for it in range(int(model.max_iter)):
        started = time.perf_counter()
        siginv, entropy = precision(sigma)
        beta_t = np.ascontiguousarray(topics.betas.transpose(0, 2, 1))
        e_step(
            indptr,
            indices,
            counts,
            beta_t,
            topics.doc_aspect,
            np.ascontiguousarray(mu),
            siginv,
            entropy,
            lam,
            bound,
            theta,
            nu_chunks,
            NEWTON_MAX_ITER,
            NEWTON_GTOL,
        )
        e_time = time.perf_counter() - started
        word_stats(col_ptr, rows, col_counts, beta_t, topics.doc_aspect, theta, topics.stats)
        nu_sum = nu_chunks.sum(axis=0)
        mu, gamma = opt_mu(lam, design, XtX)
        sigma = opt_sigma(nu_sum, lam, mu, float(model.sigma_prior))
        topics.m_step()
        history.append(float(bound.sum()))
        _report(progress, it, history[-1], e_time, time.perf_counter() - started - e_time)
        if it > 0 and model.tol > 0 and (history[-1] - history[-2]) / abs(history[-2]) < model.tol:
            converged = True  # stm also stops on a decrease (allow.neg.change = TRUE)
            break
    if progress is not None:
        progress.close()
    _store(model, theta, lam, topics.betas[0], gamma, mu, sigma, nu_sum / n_docs)
    topics.store(model)
    model.bound_history_ = np.asarray(history)
    model.bound_, model.n_iter_, model.converged_ = history[-1], len(history), converged


def _store(
    model: Any,
    theta: np.ndarray,
    lam: np.ndarray,
    beta: np.ndarray,
    gamma: np.ndarray | None,
    mu: np.ndarray,
    sigma: np.ndarray,
    nu_mean: np.ndarray,
) -> None:
    """Set the fitted STM's attributes from the EM's final state."""
    model.theta_, model.eta_, model.components_ = theta, lam, beta
    model.gamma_ = gamma if gamma is not None else np.zeros((0, lam.shape[1]))
    model.mu_ = mu.mean(axis=0)
    model.sigma_, model.nu_mean_ = sigma, nu_mean

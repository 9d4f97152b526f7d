"""Draws of document-topic proportions from each model's posterior (stm's ``thetaPosterior``).

The method of composition (``govsocial.topics.effects``) regresses such draws on covariates.
What a draw is depends on the model:

* **STM** — :math:`\\eta_d \\sim N(\\lambda_d, \\nu)`, :math:`\\theta_d = \\mathrm{softmax}(\\eta_d, 0)`.
  ``"global"`` uses one covariance for every document, the average Laplace covariance
  :math:`\\bar\\nu = \\frac1N\\sum_d \\nu_d` (stm's "Global": :math:`\\Sigma` minus the spread of
  λ around μ, which equals :math:`\\bar\\nu`); ``"local"`` each document's own
  :math:`\\nu_d = H_d^{-1}`, recomputed from its words (give ``dtm``; stm's "Local");
  ``"none"`` the point estimates ``theta_``.
* **LDA** (and SeededLDA) — :math:`\\theta_d \\sim \\mathrm{Dirichlet}(n_{dk} + \\alpha_k)`, the
  posterior given the sampler's topic counts, recovered as ``doc_topic_`` × (post length + Σα)
  (give ``dtm`` for the lengths); "global" and "local" are the same here.
* **DMM** (and SeededDMM) — one topic per post: :math:`z_d \\sim \\mathrm{Cat}(p_d)` with
  :math:`p_d` the posterior membership probabilities (``transform(dtm)``), θ_d the indicator
  of :math:`z_d`; ``"none"`` uses :math:`p_d` itself.
* **CovariateDMM** — one topic per post, its topic probabilities a multinomial logit of the
  post's covariates: draw *s* takes one of the sampler's kept coefficient draws
  :math:`b^{(s)}` at random and :math:`z_d \\sim p(z_d \\mid \\text{words}, x_d, b^{(s)})`, θ_d the
  indicator of :math:`z_d` (:meth:`~govsocial.topics.models.cdmm.CovariateDMM.posterior_draws`:
  the regression's and the assignment's uncertainty); ``"none"`` the membership
  probabilities at the posterior-mean coefficients. The training posts' covariates are kept
  in the model, so only ``dtm`` is needed.
* **NMF** and other models without a posterior — the normalised rows of ``transform(dtm)``
  for every draw: no uncertainty (asking for some warns).
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ..core.validation import check_random_state
from ..text.dtm import DocTermMatrix
from .models import DMM, LDA, STM, CovariateDMM
from .models.base import check_counts
from .models.stm_laplace import laplace_covariances

__all__ = ["theta_draws", "UNCERTAINTY"]

UNCERTAINTY = ("global", "local", "none")


def _softmax0(eta: np.ndarray) -> np.ndarray:
    full = np.concatenate([eta, np.zeros(eta.shape[:-1] + (1,))], axis=-1)
    full -= full.max(axis=-1, keepdims=True)
    np.exp(full, out=full)
    return full / full.sum(axis=-1, keepdims=True)


def _counts(dtm: Any, model: Any, why: str) -> Any:
    if dtm is None:
        raise ValueError(
            f"{type(model).__name__}: {why} needs the documents the model was fitted on: pass dtm= "
            "(the DocTermMatrix or count matrix, rows in the order of the covariates)"
        )
    Xc, _, _ = check_counts(dtm, integer=not _is_nmf(model))
    return Xc


def _is_nmf(model: Any) -> bool:
    return not isinstance(model, (STM, LDA, DMM, CovariateDMM))


def theta_draws(
    model: Any,
    n_sims: int = 1,
    *,
    uncertainty: str = "global",
    dtm: Any = None,
    random_state: int | np.random.Generator | None = None,
) -> np.ndarray:
    """``n_sims`` draws of the training documents' topic proportions: an array (n_sims, N, K).

    Example
    -------
    >>> import scipy.sparse as sp
    >>> X = sp.csr_matrix(np.array([[3, 1, 0], [0, 1, 3], [2, 2, 1], [1, 0, 2]]))
    >>> draws = theta_draws(STM(n_components=2).fit(X), 5, random_state=0)
    >>> draws.shape, bool(np.allclose(draws.sum(axis=2), 1.0))
    ((5, 4, 2), True)
    """
    if uncertainty not in UNCERTAINTY:
        raise ValueError(f"uncertainty must be one of {UNCERTAINTY}; got {uncertainty!r}")
    if not isinstance(n_sims, (int, np.integer)) or isinstance(n_sims, bool) or n_sims < 1:
        raise ValueError(f"n_sims must be an int in [1, inf); got {n_sims!r}")
    model._check_fitted()
    rng = check_random_state(random_state)
    if isinstance(model, STM):
        return _stm_draws(model, n_sims, uncertainty, dtm, rng)
    if isinstance(model, LDA):
        theta = np.asarray(model.doc_topic_, dtype=np.float64)
        if uncertainty == "none":
            return np.broadcast_to(theta, (n_sims,) + theta.shape).copy()
        Xc = _counts(dtm, model, "a Dirichlet posterior")
        _check_rows(Xc.shape[0], theta.shape[0], model)
        concentration = theta * (np.asarray(Xc.sum(axis=1)).ravel() + np.sum(model.alpha_))[:, None]
        gammas = rng.standard_gamma(np.broadcast_to(concentration, (n_sims,) + theta.shape))
        return gammas / gammas.sum(axis=2, keepdims=True)
    if isinstance(model, CovariateDMM):
        Xc = _counts(dtm, model, "its posts' topic draws")
        _check_rows(Xc.shape[0], len(model.train_group_), model)
        if uncertainty == "none":
            return np.broadcast_to(model.training_membership(Xc), (n_sims, Xc.shape[0], model.n_components)).copy()
        return model.posterior_draws(Xc, n_sims, rng)
    Xc = _counts(dtm, model, "its document-topic shares")
    probs = np.asarray(model.transform(dtm if isinstance(dtm, DocTermMatrix) else Xc), dtype=np.float64)
    probs = probs / probs.sum(axis=1, keepdims=True)
    if isinstance(model, DMM) and uncertainty != "none":
        u = rng.random((n_sims, probs.shape[0], 1))
        z = (u > np.cumsum(probs, axis=1)[None]).sum(axis=2)
        z = np.minimum(z, probs.shape[1] - 1)
        return (z[..., None] == np.arange(probs.shape[1])).astype(np.float64)
    if _is_nmf(model) and uncertainty != "none":
        warnings.warn(
            f"{type(model).__name__} has no posterior over topic shares: uncertainty={uncertainty!r} uses "
            "the point estimates (as 'none'), so intervals ignore topic-estimation uncertainty",
            UserWarning,
            stacklevel=2,
        )
    return np.broadcast_to(probs, (n_sims,) + probs.shape).copy()


def _check_rows(n_dtm: int, n_model: int, model: Any) -> None:
    if n_dtm != n_model:
        raise ValueError(
            f"dtm has {n_dtm} documents but the {type(model).__name__} was fitted on {n_model}; pass "
            "the training documents"
        )


def _stm_draws(model: STM, n_sims: int, uncertainty: str, dtm: Any, rng: np.random.Generator) -> np.ndarray:
    theta = np.asarray(model.theta_, dtype=np.float64)
    if uncertainty == "none":
        return np.broadcast_to(theta, (n_sims,) + theta.shape).copy()
    eta = np.asarray(model.eta_, dtype=np.float64)
    z = rng.standard_normal((n_sims,) + eta.shape)
    if uncertainty == "global":
        chol = np.linalg.cholesky(np.asarray(model.nu_mean_, dtype=np.float64))
        return _softmax0(eta[None] + z @ chol.T)
    chols = np.linalg.cholesky(laplace_covariances(model, dtm))
    return _softmax0(eta[None] + np.einsum("dij,sdj->sdi", chols, z))

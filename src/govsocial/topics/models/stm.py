"""The structural topic model with prevalence and content covariates (Roberts, Stewart & Airoldi 2016).

Generative model: topic proportions :math:`\\theta_d = \\mathrm{softmax}(\\eta_d, 0)` with
:math:`\\eta_d \\sim N(\\Gamma^\\top x_d, \\Sigma)` (K−1 dimensions, :math:`x_d` the document's row of
the prevalence design matrix), each word's topic :math:`z \\sim \\mathrm{Cat}(\\theta_d)` and the
word :math:`w \\sim \\mathrm{Cat}(\\beta_z)`. Fitted by stm's variational EM: a Laplace
approximation :math:`q(\\eta_d) = N(\\lambda_d, \\nu_d)` per document (E-step, in numba, see
``_stm_kernels``), then Γ, Σ and β (M-step, ``_stm_mstep``), until the relative change of
the approximate bound falls below ``tol``. Initialised by anchor words (``_spectral``).
With a content covariate, each of its levels ("aspects") has its own β, a SAGE model fitted
by stm's L1 multinomial regression (``_stm_sage``).
The algorithm follows stm 1.3.7 (R/stm.control.R, R/STMestep.R, src/STMCfuns.cpp).
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ...core.validation import check_random_state
from ..formula import Design
from ._stm_covariates import align_covariates, content_aspects, doc_betas, prevalence_design
from ._stm_em import NEWTON_GTOL, NEWTON_MAX_ITER, run_em, threads
from .base import TopicModel, check_counts
from .constraints import Instance, Int, OneOf, Real

__all__ = ["STM", "align_covariates"]

log = logging.getLogger(__name__)


class STM(TopicModel):
    """Structural topic model with prevalence and content covariates, fitted by stm's variational EM.

    Parameters
    ----------
    n_components: number of topics K (at least 2).
    prevalence: a formula for the topic-prevalence covariates, such as
        ``"~ treatment + s(pid_rep)"`` (see :mod:`govsocial.topics.formula`; ``s()`` is stm's
        spline), evaluated on ``fit(..., covariates=frame)``. ``None``: no formula — then
        ``covariates`` may be a ready design matrix (an array; an intercept column is added
        when its first column is not all ones, as stm does) or absent (intercept only).
    content: one categorical covariate whose levels ("aspects") get their own topic-word
        distributions (stm's ``content = ~ rating``; SAGE): ``"~ rating"`` or the column name
        ``"rating"`` (``"~ C(year)"`` makes a numeric column categorical). ``None``: one β.
    interactions: with ``content``, include the topic × aspect terms κ⁽ⁱ⁾ (stm's
        ``interactions``, True).
    max_iter: most EM iterations (stm's ``max.em.its``, 500).
    tol: stop when the relative change of the bound is below this (stm's ``emtol``, 1e-5).
    init: ``"spectral"`` (anchor words, deterministic; stm's default) or ``"random"``
        (stm's "Random": Gamma(0.1) topic-word weights, uses ``random_state``).
    sigma_prior: in [0, 1]: shrinkage of Σ towards its diagonal (stm's ``sigma.prior``, 0).
    max_init_vocab: the spectral initialisation uses at most this many most frequent words
        (stm's ``maxV``, 10,000).
    random_state: seed for ``init="random"`` (the spectral fit uses no random numbers).
    verbose: log the bound every iteration and show a progress bar.

    Attributes
    ----------
    theta_: (N, K) topic proportions of the training documents (softmax of ``eta_``).
    eta_: (N, K−1) variational means λ.
    components_: (K, V) topic-word probabilities β (with ``content``, the marginal β: the
        aspects' β weighted by their shares of the training documents, as stm's ``sageLabels``).
    aspect_components_: (A, K, V) β of each level of the content covariate (None without).
    aspect_levels_, content_variable_: the content covariate's levels (as text) and column.
    aspects_: (N,) each training document's level index.
    kappa_: the SAGE parameters ``{"m": (V,), "topic": (K, V), "aspect": (A, V),
        "interaction": (A, K, V)}`` (log scale; also ``kappa_m_``, ``kappa_topic_``, …); None
        without ``content``.
    gamma_: (P, K−1) prevalence coefficients Γ (None without covariates: see ``mu_``).
    mu_: (K−1,) the average prior mean.
    sigma_: (K−1, K−1) covariance Σ.
    nu_mean_: (K−1, K−1) the average Laplace covariance of the documents, Σ_d ν_d / N.
    bound_: the final approximate bound; ``bound_history_``: the bound at every iteration.
    n_iter_, converged_: EM iterations run and whether ``tol`` was met.
    covariate_names_: the design matrix's column names.
    topic_sizes_: expected training posts per topic, Σ_d θ_dk. ``topic_prior_`` is None (the
        prior depends on the covariates: see :meth:`prior_mean`), so held-out scoring gives NaN.

    Example
    -------
    >>> X = sp.csr_matrix(np.array([[4, 3, 0, 0, 1], [3, 4, 1, 0, 0], [0, 0, 4, 3, 1], [0, 1, 3, 4, 0]] * 5))
    >>> m = STM(n_components=2).fit(X)
    >>> bool(m.labels_[0] == m.labels_[1] != m.labels_[2] == m.labels_[3])
    True
    >>> m.converged_, m.theta_.shape
    (True, (20, 2))
    """

    _array_attrs = (
        "components_",
        "labels_",
        "theta_",
        "eta_",
        "gamma_",
        "mu_",
        "sigma_",
        "nu_mean_",
        "bound_history_",
        "anchors_",
        "aspect_components_",
        "aspects_",
        "kappa_m_",
        "kappa_topic_",
        "kappa_aspect_",
        "kappa_interaction_",
    )
    #: arrays only a model with a content covariate has (files without them load as None)
    _optional_arrays = _array_attrs[-6:]
    _json_attrs = (
        "design_state_",
        "covariate_names_",
        "n_iter_",
        "converged_",
        "bound_",
        "aspect_levels_",
        "content_variable_",
    )
    #: shapes ("K" topics, "K1" = K − 1, "V" terms, "D" documents, "*" any), kind and value rule of
    #: the arrays only STM has
    _array_specs = {
        "theta_": ((("D", "K"),), "f", "distribution"),
        "eta_": ((("D", "K1"),), "f", "finite"),
        "gamma_": ((("*", "K1"),), "f", "finite"),
        "mu_": ((("K1",),), "f", "finite"),
        "sigma_": ((("K1", "K1"),), "f", "finite"),
        "nu_mean_": ((("K1", "K1"),), "f", "finite"),
        "bound_history_": ((("*",),), "f", "finite"),
        "anchors_": ((("K",), (0,)), "i", "non-negative"),
        "aspect_components_": ((("*", "K", "V"),), "f", "distribution"),
        "aspects_": ((("D",),), "i", "non-negative"),
        "kappa_m_": ((("V",),), "f", "finite"),
        "kappa_topic_": ((("K", "V"),), "f", "finite"),
        "kappa_aspect_": ((("*", "V"),), "f", "finite"),
        "kappa_interaction_": ((("*", "K", "V"),), "f", "finite"),
    }

    _constraints = {
        "n_components": Int(2, why="the STM needs at least two topics"),
        "max_iter": Int(1),
        "max_init_vocab": Int(2),
        "tol": Real(0),
        "sigma_prior": Real(0, 1),
        "init": (
            OneOf("spectral", "spectral_exact", "random"),
            Instance((np.ndarray, list, tuple), "an array of topic-word weights"),
        ),
        "prevalence": (Instance((str,), "a formula string such as '~ treatment + s(pid_rep)'"), OneOf(None)),
        "content": (Instance((str,), "a column name or a formula of one variable such as '~ rating'"), OneOf(None)),
        "interactions": OneOf(True, False),
    }

    def __init__(
        self,
        n_components: int = 10,
        *,
        prevalence: str | None = None,
        content: str | None = None,
        interactions: bool = True,
        max_iter: int = 500,
        tol: float = 1e-5,
        init: str = "spectral",
        sigma_prior: float = 0.0,
        max_init_vocab: int = 10000,
        random_state: int | np.random.Generator | None = None,
        verbose: bool = False,
    ) -> None:
        self.n_components = n_components
        self.prevalence = prevalence
        self.content = content
        self.interactions = interactions
        self.max_iter = max_iter
        self.tol = tol
        self.init = init
        self.sigma_prior = sigma_prior
        self.max_init_vocab = max_init_vocab
        self.random_state = random_state
        self.verbose = verbose

    def _design(self, covariates: Any, X: Any, n_docs: int) -> np.ndarray | None:
        """Fit the prevalence design on the training covariates; None means no covariates."""
        return prevalence_design(self, covariates, X, n_docs)

    def _aspects(self, covariates: Any, X: Any, n_docs: int) -> np.ndarray | None:
        """Learn the content covariate's levels; each document's level index (None without content)."""
        return content_aspects(self, covariates, X, n_docs)

    @property
    def kappa_(self) -> dict[str, np.ndarray] | None:
        """The SAGE parameters (log scale) of a model with a content covariate, else None.

        Example
        -------
        >>> X = sp.csr_matrix(np.array([[3, 1, 0], [0, 1, 3], [2, 2, 1], [1, 0, 2]]))
        >>> STM(n_components=2).fit(X).kappa_ is None
        True
        """
        self._check_fitted()
        if getattr(self, "kappa_topic_", None) is None:
            return None
        return {
            "m": self.kappa_m_,
            "topic": self.kappa_topic_,
            "aspect": self.kappa_aspect_,
            "interaction": self.kappa_interaction_,
        }

    # ------------------------------------------------------------------ fitting
    def fit(self, X: Any, y: Any = None, covariates: Any = None) -> "STM":
        """Fit on a DocTermMatrix or sparse count matrix, with covariates (one row per document).

        Example
        -------
        >>> X = sp.csr_matrix(np.array([[3, 1, 0], [0, 1, 3], [2, 2, 1], [1, 0, 2]]))
        >>> STM(n_components=2).fit(X).theta_.shape
        (4, 2)
        """
        self._validate_params()
        Xc, terms, display = check_counts(X)
        n_docs, V = Xc.shape
        design = self._design(covariates, X, n_docs)
        aspect = self._aspects(covariates, X, n_docs)
        K = int(self.n_components)
        with threads(Xc.nnz * K * K):
            beta = self._initial_beta(Xc, K)
            self._run_em(Xc, design, beta, aspect=aspect)
        self.labels_ = self.theta_.argmax(axis=1)
        self._remember_terms(terms, display, V)
        return self

    def _initial_beta(self, Xc: sp.csr_matrix, K: int) -> np.ndarray:
        self.anchors_ = np.zeros(0, dtype=np.int64)
        if isinstance(self.init, str) and self.init in ("spectral", "spectral_exact"):
            from ._spectral import spectral_init

            beta, self.anchors_ = spectral_init(
                Xc, K, max_vocab=int(self.max_init_vocab), exact=self.init == "spectral_exact"
            )
            return beta
        if isinstance(self.init, str):
            rng = check_random_state(self.random_state)
            beta = rng.gamma(0.1, size=(K, Xc.shape[1]))
            return beta / beta.sum(axis=1, keepdims=True)
        beta = np.asarray(self.init, dtype=np.float64)
        if (
            beta.shape != (K, Xc.shape[1])
            or not np.all(np.isfinite(beta))
            or beta.min() < 0
            or not np.all(beta.sum(axis=1) > 0)
        ):
            raise ValueError(
                f"init as an array must hold non-negative topic-word weights of shape (n_components, "
                f"n_terms) = {(K, Xc.shape[1])}; got shape {beta.shape}"
            )
        return beta / beta.sum(axis=1, keepdims=True)

    def _run_em(
        self,
        Xc: sp.csr_matrix,
        design: np.ndarray | None,
        beta: np.ndarray,
        start: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
        aspect: np.ndarray | None = None,
    ) -> None:
        """EM from β; ``start`` = (λ, μ, Σ) continues a fit (stm's restart) instead of λ = 0, μ = 0, Σ = 20·I;
        ``aspect``: each document's level of the content covariate."""
        run_em(self, Xc, design, beta, start, aspect)

    def _topic_sizes(self) -> np.ndarray:
        return np.asarray(self.theta_).sum(axis=0)

    # ------------------------------------------------------------------ inference
    def prior_mean(self, covariates: Any = None, X: Any = None, n_docs: int | None = None) -> np.ndarray:
        """Prior means of η for documents with these covariates (rows × K−1); without: the average prior.

        Example
        -------
        >>> X = sp.csr_matrix(np.array([[3, 1, 0], [0, 1, 3], [2, 2, 1], [1, 0, 2]]))
        >>> STM(n_components=2).fit(X).prior_mean().shape
        (1, 1)
        """
        self._check_fitted()
        state = getattr(self, "design_state_", None)
        if covariates is None or (state is None and not len(self.gamma_)):
            return np.asarray(self.mu_, dtype=np.float64)[None, :]
        n = n_docs if n_docs is not None else len(covariates)
        if state is not None:
            frame = align_covariates(pd.DataFrame(covariates), X, n)
            design = Design.from_dict(state).transform(frame)
        else:
            design = np.asarray(align_covariates(np.asarray(covariates, dtype=np.float64), X, n), dtype=np.float64)
            if design.shape[1] == self.gamma_.shape[0] - 1:
                design = np.column_stack([np.ones(len(design)), design])
        if design.shape[1] != self.gamma_.shape[0]:
            raise ValueError(
                f"the covariates give {design.shape[1]} design columns but the model was fitted with "
                f"{self.gamma_.shape[0]} ({self.covariate_names_})"
            )
        return design @ self.gamma_

    def transform(self, X: Any, covariates: Any = None) -> np.ndarray:
        """Topic proportions of documents: the mode of η given the fitted β, Σ and prior (rows sum to 1).

        With ``covariates``, each document's prior mean is Γᵀx (stm's ``fitNewDocuments`` with
        ``prevalencePrior="Covariate"``); without, the average prior mean ("Average"). A model with
        a content covariate needs ``covariates`` with its column: each document is read with its
        level's β (``aspect_components_``).

        Example
        -------
        >>> X = sp.csr_matrix(np.array([[3, 1, 0], [0, 1, 3], [2, 2, 1], [1, 0, 2]]))
        >>> STM(n_components=2).fit(X).transform(X).sum(axis=1).round(6).tolist()
        [1.0, 1.0, 1.0, 1.0]
        """
        from ._stm_kernels import CHUNK, e_step
        from ._stm_mstep import precision

        Xc = self._check_transform_input(X)
        n_docs = Xc.shape[0]
        beta_t, aspect = doc_betas(self, covariates, X, n_docs)
        mu = np.ascontiguousarray(self.prior_mean(covariates, X, n_docs))
        lam = np.ascontiguousarray(np.broadcast_to(mu, (n_docs, mu.shape[1])), dtype=np.float64).copy()
        theta = np.empty((n_docs, mu.shape[1] + 1))
        siginv, entropy = precision(np.asarray(self.sigma_))
        nu_chunks = np.empty(((n_docs + CHUNK - 1) // CHUNK, mu.shape[1], mu.shape[1]))
        with threads(Xc.nnz * mu.shape[1] ** 2):
            e_step(
                Xc.indptr.astype(np.int64),
                Xc.indices.astype(np.int64),
                Xc.data.astype(np.float64),
                beta_t,
                aspect,
                mu,
                siginv,
                entropy,
                lam,
                np.empty(n_docs),
                theta,
                nu_chunks,
                NEWTON_MAX_ITER,
                NEWTON_GTOL,
            )
        return theta

    def fit_transform(self, X: Any, y: Any = None, **fit_params: Any) -> np.ndarray:
        """``fit(X, covariates=covariates).transform(X, covariates=covariates)``.

        Example
        -------
        >>> X = sp.csr_matrix(np.array([[3, 1, 0], [0, 1, 3], [2, 2, 1], [1, 0, 2]]))
        >>> STM(n_components=2).fit_transform(X).shape
        (4, 2)
        """
        covariates = fit_params.pop("covariates", None)
        if fit_params:
            raise TypeError(
                f"fit_transform got unexpected keyword argument(s) {sorted(fit_params)}; it takes covariates"
            )
        return self.fit(X, covariates=covariates).transform(X, covariates=covariates)

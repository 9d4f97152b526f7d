"""Covariate Dirichlet-multinomial mixture: one topic per post, topic probabilities a
multinomial-logit function of the post's covariates.

For post *d* with covariate row :math:`x_d` (the design matrix of ``prevalence``):

.. math:: z_d \\sim \\mathrm{Cat}(\\pi_d),\\quad \\pi_{dk} = \\frac{e^{x_d^\\top b_k}}{\\sum_j e^{x_d^\\top b_j}},
   \\quad b_K = 0,\\quad b_k \\sim N(0, s^2 I),\\quad \\varphi_k \\sim \\mathrm{Dir}(\\beta),
   \\quad w_{dn} \\sim \\mathrm{Cat}(\\varphi_{z_d}).

Gibbs sampling alternates (1) a block of posts, each post's topic given the others, with φ
integrated out: DMM's conditional (Yin & Wang 2014) with the prior factor
:math:`m_k + \\alpha` replaced by :math:`\\pi_{dk}`, held fixed during the block — DMM's own
kernel (``_dmm_kernels.gibbs_weighted``), the word factor and start state identical — and
(2) one pass over the topics' coefficients given the topics (``coef_updates`` blocks and
passes per sweep, so π follows the topics within a sweep), by Pólya-Gamma augmentation of
the multinomial logit (Polson, Scott & Windle 2013, section 3.3; Holmes & Held 2006). Posts
that share a covariate row *g* (``n_g`` of them, ``h_gk`` in topic *k*) share π, so with
:math:`C_{gk} = \\log\\sum_{j\\ne k} e^{x_g^\\top b_j}` and :math:`\\psi_{gk} = x_g^\\top b_k - C_{gk}`,
one :math:`\\omega_{gk} \\sim PG(n_g, \\psi_{gk})` — the law of the sum of the posts' PG(1, ψ) —
stands for them all: :math:`b_k \\sim N(m_k, V_k)`, :math:`V_k = (R^\\top\\Omega_k R + s^{-2}I)^{-1}`,
:math:`m_k = V_k R^\\top(\\kappa_k + \\Omega_k C_k)`, :math:`\\kappa_{gk} = h_{gk} - n_g/2`, R the distinct
rows (``_cdmm_kernels.coefficient_pass``). The second half of the sweeps are kept as draws.

**Approximation, stated:** PG(h, c) is drawn from its series representation
:math:`\\frac{1}{2\\pi^2}\\sum_{k\\ge1} g_k / ((k-\\frac12)^2 + c^2/(4\\pi^2))`, :math:`g_k\\sim\\mathrm{Gamma}(h, 1)`:
the first ``pg_terms`` = 20 terms exactly, the rest by a normal draw with the rest's exact
mean and variance, clipped at 0 (so every draw has PG's exact first two moments; the rest
carries about 1 % of the mean and 3·10⁻⁶ of the variance), not by Devroye's exact sampler.

Example
-------
>>> import scipy.sparse as sp
>>> rng = np.random.default_rng(0)
>>> gov = rng.integers(0, 2, 300)
>>> z = (rng.random(300) < np.where(gov == 1, 0.85, 0.15)).astype(int)
>>> X = sp.csr_matrix(rng.poisson(np.where(z[:, None] == 1, [3, 3, 0.1, 0.1], [0.1, 0.1, 3, 3])) + 1)
>>> m = CovariateDMM(n_components=2, prevalence="~ gov", n_iter=60, random_state=0).fit(
...     X, covariates=pd.DataFrame({"gov": gov}))
>>> p = m.topic_probabilities(pd.DataFrame({"gov": [0, 1]})).mean(axis=0)  # (gov=0, gov=1) × topics
>>> k = int(p[1].argmax()); bool(p[1, k] > 0.75 and p[0, k] < 0.25)
True
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.special import logsumexp

from ...core.validation import check_random_state
from ..formula import Design
from ._polya_gamma import gamma_draws, pg_moments, polya_gamma
from .base import TopicModel, check_counts, sweeps
from .constraints import Int, OneOf, Real
from .stm import align_covariates

__all__ = ["CovariateDMM", "polya_gamma", "pg_moments"]


def _softmax(eta: np.ndarray) -> np.ndarray:
    """Row-wise softmax, C-contiguous (the kernels' topic probabilities)."""
    p = np.exp(eta - eta.max(axis=1, keepdims=True))
    return np.ascontiguousarray(p / p.sum(axis=1, keepdims=True))


class CovariateDMM(TopicModel):
    """One topic per post with covariate-dependent topic probabilities (multinomial logit), by Gibbs sampling.

    Parameters: ``n_components`` topics; ``prevalence`` a formula (``"~ gov + s(month)"``,
    :mod:`govsocial.topics.formula`) or None (intercept only: a DMM whose mixing weights are
    learned); ``beta`` the topic-word Dirichlet; ``prior_scale`` the sd *s* of the
    coefficients' normal prior; ``n_iter`` sweeps, the second half kept as posterior draws of
    the coefficients (``coef_draws_``: draws × topics × columns, topic K − 1 the reference at 0);
    ``pg_terms`` the Pólya-Gamma series terms drawn exactly (module docs); ``coef_updates`` the
    coefficient passes per sweep (the sweep is cut into that many blocks of posts, the
    coefficients drawn after each, so π follows the topics within a sweep; None: up to 20 while
    a pass costs less than a quarter of the block's sweep).

    Learned: ``components_`` (φ from the final counts), ``labels_`` (most probable topic of each
    training post given its words and covariates), ``last_sample_`` (each post's topic in the
    last sweep), ``coef_`` (posterior mean), ``covariate_names_``, ``design_state_`` (the fitted
    design, JSON); ``train_rows_`` the training posts' distinct covariate rows and
    ``train_group_`` each post's row; ``n_kw_``, ``m_k_``, ``n_k_`` the final counts;
    ``topic_sizes_``: posts in each topic in the last sweep (``m_k_``), ``occupied_topics_`` the
    topics with at least one. ``topic_prior_`` is None (π depends on the covariates).
    :meth:`topic_probabilities` gives π for new covariate rows, one array per draw, so effects
    get credible intervals; :meth:`posterior_draws` the training posts' topics drawn from the
    posterior (what ``estimate_effect`` and ``prevalence`` use).

    Example
    -------
    >>> X = sp.csr_matrix(np.array([[3, 1, 0, 0], [2, 2, 0, 0], [0, 0, 2, 3], [0, 1, 3, 2]]))
    >>> CovariateDMM(n_components=2, n_iter=20, random_state=0).fit(X).coef_.shape
    (2, 1)
    """

    _array_attrs = (
        "components_",
        "labels_",
        "coef_",
        "coef_draws_",
        "n_kw_",
        "m_k_",
        "n_k_",
        "last_sample_",
        "train_rows_",
        "train_group_",
    )
    _json_attrs = ("design_state_", "covariate_names_")
    #: shapes ("K" topics, "D" training posts, "*" any), kind and value rule of the arrays only CovariateDMM has
    _array_specs = {
        "coef_": ((("K", "P"),), "f", "finite"),
        "coef_draws_": ((("*", "K", "*"),), "f", "finite"),
        "train_rows_": ((("*", "P"),), "f", "finite"),
        "train_group_": ((("D",),), "i", "row"),
    }
    _array_sizes = {"P": ("coef_draws_", 2), "G": ("train_rows_", 0)}  # covariate columns, distinct rows
    _constraints = {
        "n_components": Int(2),
        "n_iter": Int(2),
        "pg_terms": Int(1),
        "coef_updates": (OneOf(None, why="None: as many as keep the pass cheap, up to 20"), Int(1)),
        "beta": Real(0, low_open=True),
        "prior_scale": Real(0, low_open=True),
    }
    membership = "single"

    def __init__(
        self,
        n_components: int = 20,
        *,
        prevalence: str | None = None,
        beta: float = 0.1,
        prior_scale: float = 2.0,
        n_iter: int = 200,
        pg_terms: int = 20,
        coef_updates: int | None = None,
        random_state: int | np.random.Generator | None = None,
        verbose: bool = False,
    ) -> None:
        self.n_components = n_components
        self.prevalence = prevalence
        self.beta = beta
        self.prior_scale = prior_scale
        self.n_iter = n_iter
        self.pg_terms = pg_terms
        self.coef_updates = coef_updates
        self.random_state = random_state
        self.verbose = verbose

    def _design(self, covariates: Any, X: Any, n_docs: int, fit: bool) -> np.ndarray:
        """The design matrix of ``prevalence`` for these covariate rows (fit: learn it, its levels and knots)."""
        if self.prevalence is None:
            if fit:
                self.design_state_: dict[str, Any] | None = None
                self.covariate_names_ = ["(Intercept)"]
            return np.ones((n_docs, 1))
        if covariates is None:
            raise ValueError(f"prevalence={self.prevalence!r} needs covariates=, one row per post")
        frame = align_covariates(pd.DataFrame(covariates), X, n_docs)
        if fit:
            design = Design(self.prevalence).fit(frame)
            self.design_state_, self.covariate_names_ = design.to_dict(), list(design.columns)
        elif self.design_state_ is None:
            raise ValueError(f"this model has no fitted design for prevalence={self.prevalence!r}; fit it again")
        else:
            design = Design.from_dict(self.design_state_)
        return np.asarray(design.transform(frame), dtype=np.float64)

    def fit(self, X: Any, y: Any = None, covariates: Any = None) -> "CovariateDMM":
        """Fit by Gibbs sampling; ``covariates`` holds the ``prevalence`` formula's variables.

        Example
        -------
        >>> X = sp.csr_matrix(np.eye(3, dtype=int) + 1)
        >>> CovariateDMM(n_components=2, n_iter=4, random_state=0).fit(X).labels_.shape
        (3,)
        """
        from ._dmm_kernels import gibbs_weighted
        from .dmm import _csr_parts, _initial_counts

        self._validate_params()
        Xc, terms, display = check_counts(X)
        design = self._design(covariates, X, Xc.shape[0], fit=True)
        rng = check_random_state(self.random_state)
        K, (n_docs, V) = int(self.n_components), Xc.shape
        # posts with the same covariate row share π and, summed, one PG(h, c) draw
        rows, group, sizes = np.unique(design, axis=0, return_inverse=True, return_counts=True)
        group = group.ravel().astype(np.int64)
        parts = _csr_parts(Xc)
        z, m_k, n_k, n_kw = _initial_counts(Xc, K, rng, None)
        B = np.zeros((design.shape[1], K))
        keep = int(self.n_iter) // 2
        draws = np.empty((int(self.n_iter) - keep, K, design.shape[1]))
        beta_sum = np.full(K, V * float(self.beta))
        uniforms = rng.random((int(self.n_iter), n_docs))
        edges = np.linspace(0, n_docs, self._updates(n_docs, len(rows)) + 1).astype(np.int64)
        indptr, indices, counts, doc_len = parts
        for it in sweeps(int(self.n_iter), self.verbose, type(self).__name__):
            for a, b in zip(edges[:-1], edges[1:]):  # posts a..b−1 given π, then the coefficients given z
                gibbs_weighted(
                    indptr[a : b + 1],
                    indices,
                    counts,
                    doc_len[a:b],
                    z[a:b],
                    m_k,
                    n_k,
                    n_kw,
                    float(self.beta),
                    beta_sum,
                    uniforms[it : it + 1, a:b],
                    _softmax(rows @ B),
                    group[a:b],
                )
                hits = np.bincount(group * K + z, minlength=len(rows) * K).reshape(len(rows), K)
                B = self._coefficients(rows, sizes, hits, B, rng)
            if it >= keep:
                draws[it - keep] = B.T
        self.n_kw_, self.m_k_, self.n_k_, self.last_sample_ = n_kw, m_k, n_k, z
        self.train_rows_, self.train_group_ = rows, group
        self.coef_draws_ = draws
        self.coef_ = draws.mean(axis=0)
        self.components_ = (n_kw + self.beta) / (n_k[:, None] + V * self.beta)
        self._remember_terms(terms, display, V)
        self.labels_ = self._membership(Xc, design).argmax(axis=1)
        return self

    def _topic_sizes(self) -> np.ndarray:
        return np.asarray(self.m_k_)

    def _updates(self, n_docs: int, n_rows: int) -> int:
        """Coefficient passes per sweep: ``coef_updates``, or (None) n_docs // (4 × distinct rows)
        clipped to [1, 20] — a pass costs about one draw per distinct row and topic, a sweep one
        word factor per post and topic — and never more than the posts."""
        wanted = min(20, max(1, n_docs // (4 * n_rows))) if self.coef_updates is None else int(self.coef_updates)
        return max(1, min(wanted, n_docs))

    def _coefficients(
        self, rows: np.ndarray, sizes: np.ndarray, hits: np.ndarray, B: np.ndarray, rng: np.random.Generator
    ) -> np.ndarray:
        """One Pólya-Gamma Gibbs pass over the topics' coefficients (topic K − 1 stays the reference).

        ``rows`` are the distinct covariate rows, ``sizes`` their numbers of posts and ``hits``
        (rows × topics) the posts of each row in each topic: the coefficients' conditional
        depends on the posts only through these sums (``_cdmm_kernels.coefficient_pass``).
        """
        from ._cdmm_kernels import coefficient_pass

        G, P = rows.shape
        K = B.shape[1]
        head = gamma_draws(np.asarray(sizes, dtype=np.float64), K - 1, int(self.pg_terms), rng)
        B = np.array(B, dtype=np.float64, order="C")
        coefficient_pass(
            np.ascontiguousarray(rows, dtype=np.float64),
            np.asarray(sizes, dtype=np.float64),
            np.ascontiguousarray(hits, dtype=np.float64),
            B,
            1.0 / float(self.prior_scale) ** 2,
            head,
            rng.standard_normal((K - 1, G)),
            rng.standard_normal((K - 1, P)),
        )
        return B

    def _membership(self, Xc: sp.csr_matrix, design: np.ndarray) -> np.ndarray:
        rows, group = np.unique(design, axis=0, return_inverse=True)
        return self._word_posterior(Xc, _softmax(rows @ np.asarray(self.coef_).T), group.ravel().astype(np.int64))

    def _word_posterior(self, Xc: sp.csr_matrix, weights: np.ndarray, group: np.ndarray) -> np.ndarray:
        """p(z_d = k | words, final counts) ∝ weights[group[d], k] × DMM's word factor (rows sum to 1)."""
        from ._dmm_kernels import posterior_weighted
        from .dmm import _csr_parts

        K, V = self.n_kw_.shape
        out = np.empty((Xc.shape[0], K))
        posterior_weighted(
            *_csr_parts(Xc),
            np.asarray(self.n_k_, dtype=np.int64),
            np.asarray(self.n_kw_, dtype=np.int64),
            float(self.beta),
            np.full(K, V * float(self.beta)),
            out,
            np.ascontiguousarray(weights, dtype=np.float64),
            np.asarray(group, dtype=np.int64),
        )
        return out

    def _training_posts(self, X: Any) -> tuple[sp.csr_matrix, np.ndarray]:
        self._check_fitted()
        Xc = self._check_transform_input(X)
        group = np.asarray(self.train_group_, dtype=np.int64)
        if Xc.shape[0] != len(group):
            raise ValueError(
                f"X has {Xc.shape[0]} posts but the CovariateDMM was fitted on {len(group)}; pass the training posts"
            )
        return Xc, group

    def training_membership(self, X: Any) -> np.ndarray:
        """p(topic | words, covariates) of each training post at the posterior-mean coefficients
        (rows sum to 1; ``transform`` without passing the covariates again).

        Example
        -------
        >>> X = sp.csr_matrix(np.array([[3, 1, 0], [0, 1, 3], [2, 2, 0]]))
        >>> m = CovariateDMM(n_components=2, n_iter=10, random_state=0).fit(X)
        >>> bool(np.allclose(m.training_membership(X), m.transform(X)))
        True
        """
        Xc, group = self._training_posts(X)
        return self._word_posterior(Xc, _softmax(np.asarray(self.train_rows_) @ np.asarray(self.coef_).T), group)

    def posterior_draws(self, X: Any, n_sims: int, rng: np.random.Generator) -> np.ndarray:
        """Draws of the training posts' topics as one-hot rows: an array (n_sims, posts, topics).

        Draw *s* takes a kept coefficient draw :math:`b^{(s)}` at random and, for each post,
        :math:`z_d \\sim p(z_d = k \\mid \\text{words}, x_d, b^{(s)}) \\propto \\pi_{dk}(b^{(s)})\\,
        \\text{(DMM's word factor at the final counts)}`, so the draws carry both the regression's
        and the assignment's uncertainty. ``X`` must be the training posts (their covariate rows
        are kept as ``train_rows_`` and ``train_group_``).

        Example
        -------
        >>> X = sp.csr_matrix(np.array([[3, 1, 0], [0, 1, 3], [2, 2, 0]]))
        >>> m = CovariateDMM(n_components=2, n_iter=10, random_state=0).fit(X)
        >>> draws = m.posterior_draws(X, 4, np.random.default_rng(0))
        >>> draws.shape, bool((draws.sum(axis=2) == 1).all())
        ((4, 3, 2), True)
        """
        Xc, group = self._training_posts(X)
        K = self.n_kw_.shape[0]
        words = self._word_posterior(Xc, np.ones((1, K)), np.zeros(len(group), dtype=np.int64))
        chosen = rng.integers(0, len(self.coef_draws_), n_sims)
        u = rng.random((n_sims, len(group), 1))
        out = np.zeros((n_sims, len(group), K))
        for s, j in enumerate(chosen):
            p = words * _softmax(np.asarray(self.train_rows_) @ np.asarray(self.coef_draws_[j]).T)[group]
            cum = np.cumsum(p / p.sum(axis=1, keepdims=True), axis=1)
            z = np.minimum((u[s] > cum).sum(axis=1), K - 1)
            out[s, np.arange(len(group)), z] = 1.0
        return out

    def fit_transform(self, X: Any, y: Any = None, **fit_params: Any) -> np.ndarray:
        """``fit(X, covariates=...)``, then p(topic | words, covariates) of the training posts.

        Example
        -------
        >>> X = sp.csr_matrix(np.array([[3, 1, 0], [0, 1, 3], [2, 2, 0]]))
        >>> frame = pd.DataFrame({"gov": [1, 0, 1]})
        >>> m = CovariateDMM(n_components=2, prevalence="~ gov", n_iter=10, random_state=0)
        >>> bool(np.allclose(m.fit_transform(X, covariates=frame), m.transform(X, covariates=frame)))
        True
        """
        return self.fit(X, y, **fit_params).training_membership(X)

    def transform(self, X: Any, covariates: Any = None) -> np.ndarray:
        """p(topic | words, covariates) of each post (rows sum to 1), at the posterior-mean coefficients.

        Example
        -------
        >>> X = sp.csr_matrix(np.array([[3, 1, 0, 0], [2, 2, 0, 0], [0, 0, 2, 3], [0, 1, 3, 2]]))
        >>> CovariateDMM(n_components=2, n_iter=10, random_state=0).fit(X).transform(X).sum(axis=1).round(6).tolist()
        [1.0, 1.0, 1.0, 1.0]
        """
        Xc = self._check_transform_input(X)
        return self._membership(Xc, self._design(covariates, X, Xc.shape[0], fit=False))

    def topic_probabilities(self, covariates: Any = None) -> np.ndarray:
        """π at covariate rows for every kept draw of the coefficients: an array (draws, rows, topics).

        Posterior draws, not a summary: an array like :meth:`posterior_draws` and ``coef_draws_``,
        so contrasts are taken draw by draw (``p[:, 1] - p[:, 0]``) before their percentiles.
        The tidy tables with intervals are :func:`govsocial.estimate_effect` and :func:`govsocial.prevalence`.

        Example
        -------
        >>> X = sp.csr_matrix(np.array([[3, 1, 0], [0, 1, 3]]))
        >>> m = CovariateDMM(n_components=2, n_iter=6, random_state=0).fit(X)
        >>> m.topic_probabilities().shape
        (3, 1, 2)
        """
        self._check_fitted()
        n = 1 if covariates is None else len(covariates)
        design = self._design(covariates, None, n, fit=False)
        eta = np.einsum("np,skp->snk", design, self.coef_draws_)
        return np.exp(eta - logsumexp(eta, axis=2, keepdims=True))

"""The Dirichlet multinomial mixture for short texts (GSDMM; Yin & Wang, KDD 2014).

Each post belongs to exactly one topic. Collapsed Gibbs sampling draws each post's
topic from

.. math::

    p(z_d = k \\mid z_{-d}, X) \\propto (m_k + \\alpha)
    \\frac{\\prod_{w \\in d} \\prod_{j=1}^{N_{dw}} (n_{kw} + \\beta + j - 1)}
         {\\prod_{i=1}^{N_d} (n_k + V\\beta + i - 1)}

where :math:`m_k` counts posts in topic *k*, :math:`n_{kw}` occurrences of word *w* in
topic *k*, :math:`n_k` words in topic *k* (all without post *d*), :math:`N_{dw}` the
count of *w* in *d* and *V* the vocabulary size. ``n_components`` is an upper bound:
topics that lose all their posts die off. ``engine="dask"`` distributes the sampler over
Dask workers (approximate distributed sampling as in AD-LDA, Newman et al. 2009; see
``docs/scaling.md``).
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import scipy.sparse as sp

from ...core.validation import check_random_state
from ._distributed import SharesClient, check_engine_options
from .base import TopicModel, check_counts_or_blocks, sweeps
from .constraints import Int, OneOf, Real

__all__ = ["DMM"]

log = logging.getLogger(__name__)


class DMM(SharesClient, TopicModel):
    """Dirichlet multinomial mixture (one topic per post), fitted by collapsed Gibbs sampling.

    Parameters
    ----------
    n_components: upper bound on the number of topics (K).
    alpha: Dirichlet prior on topic sizes (> 0).
    beta: Dirichlet prior on topic-word distributions (> 0).
    n_iter: Gibbs sweeps over all posts.
    background: also fit a background word distribution shared by all posts (False by
        default): each word of a post comes from its topic or from the background, so the
        words every kind of post uses — a group's turns of phrase, boilerplate — stop pulling
        posts together (Chemudugunta, Smyth & Steyvers 2006; Zhao et al. 2011). Gibbs engine only.
    random_state: seed (int), numpy Generator or None.
    verbose: show a progress bar over the sweeps (stderr) and log the number of occupied
        topics every 10 sweeps.
    engine: ``"gibbs"`` (one process) or ``"dask"`` (shards of posts sampled on Dask workers,
        counts merged every ``sync_every`` sweeps; needs ``govsocial[dask]``).
    n_jobs, n_shards, sync_every, client: ``engine="dask"`` only: worker processes of the
        LocalCluster started (and closed) when there is no current client; blocks of posts
        (default ``n_jobs``; results are reproducible for a given ``n_shards`` and seed);
        sweeps between merges; a ``dask.distributed.Client`` or scheduler address.

    Attributes
    ----------
    components_: (K, V) topic-word probabilities (n_kw + β) / (n_k + Vβ).
    labels_: each training post's most probable topic given the final counts,
        ``transform(X).argmax(axis=1)`` (a less noisy point estimate than the last sample).
    last_sample_: each training post's topic in the sampler's last sweep.
    n_kw_, m_k_, n_k_: the sampler's final counts.
    occupied_: number of non-empty topics after each sweep (``engine="dask"``: after each merge).
    n_occupied_: topics with at least one post at the end.
    topic_sizes_: posts in each topic in the sampler's last sweep (``m_k_``); ``occupied_topics_``:
        the topics with at least one (topics that lost all their posts are dead).
    topic_prior_: (m_k + α) / (N + Kα), a new post's topic shares before its words are seen.
    background_, background_share_: with ``background=True``: the background word
        probabilities (b_w + β) / (b + Vβ) and the share of words drawn from it,
        (b + 1) / (words + 2); ``b_w_`` and ``n_switch_`` (topic words, background words) are
        the sampler's counts. ``components_`` and ``n_kw_`` then count topic words only.

    Example
    -------
    >>> X = sp.csr_matrix(np.array([[2, 1, 0, 0], [3, 1, 0, 0], [0, 0, 2, 2], [0, 0, 1, 3]]))
    >>> m = DMM(n_components=4, n_iter=30, random_state=1).fit(X)
    >>> bool(m.labels_[0] == m.labels_[1] and m.labels_[2] == m.labels_[3] and m.labels_[0] != m.labels_[2])
    True
    >>> m.transform(X).sum(axis=1).round(6).tolist()
    [1.0, 1.0, 1.0, 1.0]
    """

    _array_attrs = (
        "components_",
        "labels_",
        "n_kw_",
        "m_k_",
        "n_k_",
        "occupied_",
        "beta_extra_",
        "last_sample_",
        "b_w_",
        "n_switch_",
    )
    _optional_arrays = ("b_w_", "n_switch_")  # only with background=True
    _per_post_attrs = ("labels_", "last_sample_")
    _array_specs = {"b_w_": ((("V",),), "i", "non-negative"), "n_switch_": (((2,),), "i", "non-negative")}
    _constraints = {
        "n_components": Int(1),
        "alpha": Real(0, low_open=True),
        "beta": Real(0, low_open=True),
        "n_iter": Int(1),
        "background": OneOf(True, False),
    }
    b_w_: np.ndarray | None = None
    n_switch_: np.ndarray | None = None
    membership = "single"

    def __init__(
        self,
        n_components: int = 20,
        *,
        alpha: float = 0.1,
        beta: float = 0.1,
        n_iter: int = 50,
        background: bool = False,
        random_state: int | np.random.Generator | None = None,
        verbose: bool = False,
        engine: str = "gibbs",
        n_jobs: int = 1,
        n_shards: int | None = None,
        sync_every: int = 1,
        client: Any = None,
    ) -> None:
        self.n_components = n_components
        self.alpha = alpha
        self.beta = beta
        self.n_iter = n_iter
        self.background = background
        self.random_state = random_state
        self.verbose = verbose
        self.engine = engine
        self.n_jobs = n_jobs
        self.n_shards = n_shards
        self.sync_every = sync_every
        self.client = client

    def fit(self, X: Any, y: Any = None) -> "DMM":
        """Fit by collapsed Gibbs sampling; ``X`` is a DocTermMatrix or a sparse count matrix (with
        ``engine="dask"`` also a :class:`~govsocial.text.dask.DaskDocTermMatrix`, whose blocks are
        dealt into shards on the workers: the same fit as on its ``.compute()``, without gathering
        the corpus on the client).

        Example
        -------
        >>> DMM(n_components=2, n_iter=5, random_state=0).fit(sp.csr_matrix(np.eye(3, dtype=int))).labels_.shape
        (3,)
        """
        self._validate_params()
        check_engine_options(self, ("gibbs", "dask"))
        if self.engine == "gibbs" and self.n_jobs != 1:
            raise ValueError(
                f"n_jobs={self.n_jobs!r} is used only with engine='dask'; pass engine='dask' to "
                "sample on several processes, or leave n_jobs=1"
            )
        Xc, terms, display, n_terms = check_counts_or_blocks(X, self.engine)
        if self.engine == "dask" and self.background:
            raise ValueError("background=True runs on the Gibbs engine only; pass engine='gibbs' or background=False")
        if self.engine == "dask":
            from ._distributed import fit_dmm

            fit_dmm(self, Xc, int(self.n_components))
        else:
            self._fit_counts(Xc, int(self.n_components), None)
        self._remember_terms(terms, display, n_terms)
        return self

    def _fit_counts(self, Xc: sp.csr_matrix, K: int, beta_extra: np.ndarray | None) -> None:
        """Run the sampler; ``beta_extra`` (K × V) adds seed priors (seeded posts start in their topic)."""
        from ._dmm_kernels import gibbs

        rng = check_random_state(self.random_state)
        indptr, indices, counts, doc_len = _csr_parts(Xc)
        extra = np.zeros((0, 0)) if beta_extra is None else np.ascontiguousarray(beta_extra, dtype=np.float64)
        z, m_k, n_k, n_kw = _initial_counts(Xc, K, rng, extra if beta_extra is not None else None)
        beta_sum = Xc.shape[1] * self.beta + (extra.sum(axis=1) if beta_extra is not None else np.zeros(K))
        self.b_w_ = self.n_switch_ = None  # set again by a background fit
        if self.background:
            return self._fit_background(Xc, z, m_k, n_k, n_kw, extra, beta_sum, rng)
        has_extra = (extra.sum(axis=1) > 0) if beta_extra is not None else np.zeros(K, dtype=np.bool_)
        uniforms = rng.random((int(self.n_iter), Xc.shape[0]))
        if self.verbose:  # one kernel call per sweep, same draws: identical results
            occupied = np.empty(int(self.n_iter), dtype=np.int64)
            for it in sweeps(int(self.n_iter), True, type(self).__name__):
                occupied[it] = gibbs(
                    indptr,
                    indices,
                    counts,
                    doc_len,
                    z,
                    m_k,
                    n_k,
                    n_kw,
                    float(self.alpha),
                    float(self.beta),
                    extra,
                    beta_sum,
                    has_extra,
                    uniforms[it : it + 1],
                )[0]
                if (it + 1) % 10 == 0:
                    log.info("DMM sweep %d: %d occupied topics", it + 1, occupied[it])
        else:
            occupied = gibbs(
                indptr,
                indices,
                counts,
                doc_len,
                z,
                m_k,
                n_k,
                n_kw,
                float(self.alpha),
                float(self.beta),
                extra,
                beta_sum,
                has_extra,
                uniforms,
            )
        self.m_k_, self.n_k_, self.n_kw_ = m_k, n_k, n_kw
        self.beta_extra_ = extra
        self.last_sample_ = z
        # the point estimate of each post's topic: the most probable topic given the final
        # counts (as tweetopic reads it out), less noisy than the last sample alone
        self.labels_ = self._posterior(Xc, beta_sum).argmax(axis=1)
        self.occupied_ = occupied
        self.n_occupied_ = int((m_k > 0).sum())
        prior = self.beta + (extra if beta_extra is not None else 0.0)
        self.components_ = (n_kw + prior) / (n_k[:, None] + beta_sum[:, None])

    def _fit_background(
        self,
        Xc: sp.csr_matrix,
        z: np.ndarray,
        m_k: np.ndarray,
        n_k: np.ndarray,
        n_kw: np.ndarray,
        extra: np.ndarray,
        beta_sum: np.ndarray,
        rng: np.random.Generator,
    ) -> None:
        """The sampler with a background distribution (:func:`._dmm_background.sample`)."""
        from ._dmm_background import sample

        self.b_w_, self.n_switch_, self.occupied_ = sample(
            self, _csr_parts(Xc), z, m_k, n_k, n_kw, extra, beta_sum, rng
        )
        self.m_k_, self.n_k_, self.n_kw_ = m_k, n_k, n_kw
        self.beta_extra_ = extra
        self.last_sample_ = z
        self.n_occupied_ = int((m_k > 0).sum())
        self.components_ = (n_kw + self.beta + (extra if extra.size else 0.0)) / (n_k[:, None] + beta_sum[:, None])
        self.labels_ = self._posterior_background(Xc).argmax(axis=1)

    @property
    def background_(self) -> np.ndarray:
        """Background word probabilities (b_w + β) / (b + Vβ) (``background=True`` only)."""
        if self.b_w_ is None:
            raise AttributeError("background_ exists only for a model fitted with background=True")
        b_w = np.asarray(self.b_w_, dtype=np.float64)
        return (b_w + self.beta) / (b_w.sum() + len(b_w) * self.beta)

    @property
    def background_share_(self) -> float:
        """The share of words drawn from the background, (b + 1) / (words + 2) (``background=True`` only)."""
        if self.n_switch_ is None:
            raise AttributeError("background_share_ exists only for a model fitted with background=True")
        return float((self.n_switch_[1] + 1.0) / (self.n_switch_.sum() + 2.0))

    def _word_distributions(self) -> np.ndarray:
        """Each topic's word probabilities as a post's words see them: with a background,
        share · ψ + (1 − share) · φ_k."""
        if self.b_w_ is None:
            return super()._word_distributions()
        share = self.background_share_
        return share * self.background_[None, :] + (1.0 - share) * np.asarray(self.components_, dtype=np.float64)

    def _posterior_background(self, Xc: sp.csr_matrix) -> np.ndarray:
        """p(z_d = k | words) ∝ π_k Π_w (λψ_w + (1 − λ)φ_kw)^{N_dw}: DMM's posterior with each
        topic's words mixed with the background (:meth:`_word_distributions`)."""
        log_joint = np.asarray(Xc @ np.log(self._word_distributions()).T) + np.log(self._topic_prior())
        log_joint -= log_joint.max(axis=1, keepdims=True)
        probs = np.exp(log_joint)
        return probs / probs.sum(axis=1, keepdims=True)

    def _topic_sizes(self) -> np.ndarray:
        return np.asarray(self.m_k_)

    def _topic_prior(self) -> np.ndarray:
        prior = np.asarray(self.m_k_, dtype=np.float64) + self.alpha
        return prior / prior.sum()

    def transform(self, X: Any) -> np.ndarray:
        """Posterior topic probabilities of each post given the fitted counts (rows sum to 1).

        Example
        -------
        >>> X = sp.csr_matrix(np.array([[3, 0], [0, 3]]))
        >>> DMM(n_components=2, n_iter=10, random_state=0).fit(X).transform(X).shape
        (2, 2)
        """
        Xc = self._check_transform_input(X)
        if self.b_w_ is not None:
            return self._posterior_background(Xc)
        K, V = self.n_kw_.shape
        extra = np.asarray(getattr(self, "beta_extra_", np.zeros((0, 0))), dtype=np.float64)
        return self._posterior(Xc, V * self.beta + (extra.sum(axis=1) if extra.size else np.zeros(K)))

    def _posterior(self, Xc: sp.csr_matrix, beta_sum: np.ndarray) -> np.ndarray:
        from ._dmm_kernels import posterior

        K = self.n_kw_.shape[0]
        extra = np.asarray(self.beta_extra_, dtype=np.float64)
        out = np.empty((Xc.shape[0], K))
        posterior(
            Xc.indptr.astype(np.int64),
            Xc.indices.astype(np.int64),
            Xc.data.astype(np.int64),
            np.asarray(Xc.sum(axis=1)).ravel().astype(np.int64),
            np.asarray(self.m_k_, dtype=np.int64),
            np.asarray(self.n_k_, dtype=np.int64),
            np.asarray(self.n_kw_, dtype=np.int64),
            float(self.alpha),
            float(self.beta),
            np.ascontiguousarray(extra),
            beta_sum,
            out,
        )
        return out


def _csr_parts(Xc: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """indptr, indices, counts and post lengths of a count matrix, as int64 arrays for the kernels."""
    return (
        Xc.indptr.astype(np.int64),
        Xc.indices.astype(np.int64),
        Xc.data.astype(np.int64),
        np.asarray(Xc.sum(axis=1)).ravel().astype(np.int64),
    )


def _initial_counts(
    Xc: sp.csr_matrix, K: int, rng: np.random.Generator, extra: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The sampler's start: a random topic per post (a post holding seed words of ``extra``
    starts in the seeded topic whose seed words it holds most of) and its counts z, m_k, n_k, n_kw."""
    indptr, indices, counts, doc_len = _csr_parts(Xc)
    z = rng.integers(0, K, size=Xc.shape[0]).astype(np.int64)
    if extra is not None:
        seed_hits = np.asarray(Xc @ (extra > 0).T.astype(np.int64))
        z = np.where(seed_hits.max(axis=1) > 0, seed_hits.argmax(axis=1), z).astype(np.int64)
    m_k = np.bincount(z, minlength=K).astype(np.int64)
    n_k = np.bincount(z, weights=doc_len, minlength=K).astype(np.int64)
    n_kw = np.zeros((K, Xc.shape[1]), dtype=np.int64)
    np.add.at(n_kw, (np.repeat(z, np.diff(indptr)), indices), counts)
    return z, m_k, n_k, n_kw

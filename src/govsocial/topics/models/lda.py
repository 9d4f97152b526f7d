"""Latent Dirichlet allocation (Blei, Ng & Jordan 2003) with two engines.

``engine="gibbs"`` (default): collapsed Gibbs sampling (Griffiths & Steyvers 2004),
written with numba,

.. math::

    p(z_i = k \\mid z_{-i}, w) \\propto (n_{dk} + \\alpha_k)\\,\\frac{n_{kw} + \\beta}{n_k + V\\beta},

bit-reproducible for a seed. Every ``optimize_interval`` sweeps the asymmetric
document-topic prior is re-estimated by Minka's (2000) fixed-point iteration, as
MALLET (``--optimize-interval``) and tomotopy (``optim_interval``) do,

.. math::

    \\alpha_k \\leftarrow \\alpha_k\\,\\frac{\\sum_d \\psi(n_{dk} + \\alpha_k) - \\psi(\\alpha_k)}
    {\\sum_d \\psi(n_d + \\alpha_0) - \\psi(\\alpha_0)}, \\qquad \\alpha_0 = \\textstyle\\sum_k \\alpha_k,

computed from histograms of the counts (Wallach 2008). ``engine="dask"``: the same sampler
distributed over Dask workers by approximate distributed Gibbs sampling (AD-LDA; Newman et
al. 2009), see ``docs/scaling.md``. ``engine="gensim"``: gensim's online
variational Bayes ``LdaModel`` (Hoffman, Blei & Bach 2010), or ``LdaMulticore`` when ``n_jobs > 1``
(not bit-reproducible). Measured here, gensim's variational LDA with default
settings collapses on short posts (it used 6–7 of 152 topics on GoogleNews), which
is why the sampler is the default.
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

__all__ = ["LDA"]

log = logging.getLogger(__name__)


def _flat_tokens(X: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    rows = np.repeat(np.arange(X.shape[0], dtype=np.int64), np.diff(X.indptr))
    doc_of = np.repeat(rows, X.data.astype(np.int64))
    word_of = np.repeat(X.indices.astype(np.int64), X.data.astype(np.int64))
    return doc_of, word_of


class LDA(SharesClient, TopicModel):
    """Latent Dirichlet allocation behind the govsocial interface.

    Parameters
    ----------
    n_components: number of topics K.
    alpha: document-topic prior: a float (symmetric), an array of K values (asymmetric),
        or ``"auto"`` (gensim engine only: learned asymmetric prior). Default 0.1.
    beta: topic-word prior (``eta`` in gensim); a float, or ``"auto"`` with gensim. Default 0.01.
    n_iter: Gibbs sweeps (gibbs) or passes over the corpus (gensim).
    n_iter_transform: sweeps to fold in documents in ``transform`` (gibbs).
    optimize_interval: with the Gibbs engine, re-estimate an asymmetric alpha (starting
        from ``alpha``) every this many sweeps; 0 keeps alpha fixed. Default 10.
    engine: ``"gibbs"``, ``"dask"`` (AD-LDA on Dask workers; needs ``govsocial[dask]``) or ``"gensim"``.
    n_jobs: worker processes for ``engine="gensim"`` (LdaMulticore when > 1), or of the
        LocalCluster that ``engine="dask"`` starts (and closes) when there is no current client.
    n_shards: ``engine="dask"``: blocks of documents sampled in parallel (default: ``n_jobs``);
        results are reproducible for a given ``n_shards`` and seed, whatever the workers.
    sync_every: ``engine="dask"``: sweeps between merges of the shards' counts (default 1).
    client: ``engine="dask"``: a ``dask.distributed.Client`` or a scheduler address; None uses
        the current client, or a LocalCluster of ``n_jobs`` processes.
    verbose: show a progress bar over the sweeps (stderr); results do not change.
    random_state: seed, Generator or None.

    Attributes
    ----------
    components_: (K, V) topic-word probabilities; ``doc_topic_``: (N, K) topic shares of the
        training posts; ``labels_``: each training post's largest share; ``alpha_``: the final prior.
    topic_sizes_: expected training posts per topic, Σ_d θ_dk (the columns of ``doc_topic_``).
    topic_prior_: α_k / Σα, a new post's topic shares before its words are seen.

    Example
    -------
    >>> X = sp.csr_matrix(np.array([[3, 2, 0, 0], [2, 3, 0, 0], [0, 0, 3, 2], [0, 0, 2, 3]]))
    >>> m = LDA(n_components=2, n_iter=200, random_state=0).fit(X)
    >>> bool(m.labels_[0] == m.labels_[1] != m.labels_[2] == m.labels_[3])
    True
    """

    _array_attrs = ("components_", "labels_", "n_kw_", "doc_topic_", "alpha_")
    _per_post_attrs = ("labels_", "doc_topic_")
    _constraints = {
        "n_components": Int(1),
        "engine": OneOf("gibbs", "dask", "gensim"),
        "n_iter": Int(1),
        "n_iter_transform": Int(1),
        "n_jobs": Int(1),
        "optimize_interval": Int(0, why="0 keeps alpha fixed"),
        "beta": (Real(0, low_open=True), OneOf("auto")),
    }

    def __init__(
        self,
        n_components: int = 20,
        *,
        alpha: Any = 0.1,
        beta: Any = 0.01,
        n_iter: int = 500,
        n_iter_transform: int = 50,
        optimize_interval: int = 10,
        engine: str = "gibbs",
        n_jobs: int = 1,
        random_state: int | np.random.Generator | None = None,
        verbose: bool = False,
        n_shards: int | None = None,
        sync_every: int = 1,
        client: Any = None,
    ) -> None:
        self.n_components = n_components
        self.alpha = alpha
        self.beta = beta
        self.n_iter = n_iter
        self.n_iter_transform = n_iter_transform
        self.optimize_interval = optimize_interval
        self.engine = engine
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose
        self.n_shards = n_shards
        self.sync_every = sync_every
        self.client = client

    def _alpha_vector(self, K: int) -> np.ndarray | str:
        """alpha as K floats (or "auto"), after the rules that tie alpha and beta to the engine and to K."""
        if isinstance(self.alpha, str):
            if self.alpha != "auto" or self.engine != "gensim":
                raise ValueError(
                    f"alpha='auto' (a learned prior) needs engine='gensim'; got alpha={self.alpha!r} "
                    f"with engine={self.engine!r}"
                )
            alpha: np.ndarray | str = "auto"
        else:
            alpha = (
                np.broadcast_to(np.asarray(self.alpha, dtype=np.float64), (K,)).copy()
                if np.ndim(self.alpha) == 0
                else np.asarray(self.alpha, dtype=np.float64)
            )
            if alpha.shape != (K,) or not np.all(alpha > 0):
                raise ValueError(f"alpha must be > 0: one float or {K} floats (one per topic); got {self.alpha!r}")
        if isinstance(self.beta, str) and self.engine != "gensim":
            raise ValueError(f"beta='auto' needs engine='gensim'; got beta={self.beta!r}")
        return alpha

    def _topic_sizes(self) -> np.ndarray:
        return np.asarray(self.doc_topic_).sum(axis=0)

    def _topic_prior(self) -> np.ndarray:
        prior = np.asarray(self.alpha_, dtype=np.float64).copy()
        return prior / prior.sum()

    def fit(self, X: Any, y: Any = None) -> "LDA":
        """Fit on a DocTermMatrix or sparse count matrix (with ``engine="dask"`` also a
        :class:`~govsocial.text.dask.DaskDocTermMatrix`, dealt into shards on the workers: the same
        fit as on its ``.compute()``).

        Example
        -------
        >>> LDA(n_components=2, n_iter=5, random_state=0).fit(sp.csr_matrix(np.eye(3, dtype=int))).components_.shape
        (2, 3)
        """
        self._validate_params()
        alpha = self._alpha_vector(int(self.n_components))
        check_engine_options(self, ("gibbs", "gensim", "dask"))
        Xc, terms, display, n_terms = check_counts_or_blocks(X, self.engine)
        if self.engine == "gensim":
            self._fit_gensim(Xc, alpha)
        elif self.engine == "dask":
            from ._distributed import fit_lda

            fit_lda(self, Xc, alpha)  # type: ignore[arg-type]
        else:
            self._fit_gibbs(Xc, alpha)  # type: ignore[arg-type]
        self.labels_ = self.doc_topic_.argmax(axis=1)
        self._remember_terms(terms, display, n_terms)
        return self

    def _fit_gibbs(self, X: sp.csr_matrix, alpha: np.ndarray, beta_extra: np.ndarray | None = None) -> None:
        from ._lda_kernels import sweep

        rng = check_random_state(self.random_state)
        K, (n_docs, V) = len(alpha), X.shape
        beta = float(self.beta)
        extra = np.zeros((0, 0)) if beta_extra is None else np.ascontiguousarray(beta_extra, dtype=np.float64)
        beta_sum = V * beta + (extra.sum(axis=1) if beta_extra is not None else np.zeros(K))
        doc_of, word_of = _flat_tokens(X)
        z = rng.integers(0, K, size=len(doc_of)).astype(np.int64)
        if beta_extra is not None:
            # seed words start in their seeded topic (the first one, if a word seeds several)
            seeded = extra.max(axis=0) > 0
            start = np.where(seeded, extra.argmax(axis=0), -1)[word_of]
            z = np.where(start >= 0, start, z).astype(np.int64)
        n_dk = np.zeros((n_docs, K), dtype=np.int64)
        n_kw = np.zeros((K, V), dtype=np.int64)
        np.add.at(n_dk, (doc_of, z), 1)
        np.add.at(n_kw, (z, word_of), 1)
        n_k = n_kw.sum(axis=1)
        alpha = alpha.copy()
        interval = int(self.optimize_interval)
        for it in sweeps(int(self.n_iter), self.verbose, type(self).__name__):
            sweep(doc_of, word_of, z, n_dk, n_kw, n_k, alpha, beta, extra, beta_sum, rng.random(len(doc_of)), True)
            if interval and (it + 1) % interval == 0:
                alpha = minka_alpha(n_dk, alpha)
            if (it + 1) % 100 == 0:
                log.info("LDA sweep %d of %d", it + 1, self.n_iter)
        self.n_kw_ = n_kw
        self.alpha_ = alpha
        prior = beta + (extra if beta_extra is not None else 0.0)
        self.components_ = (n_kw + prior) / (n_k[:, None] + beta_sum[:, None])
        self.doc_topic_ = (n_dk + alpha) / (n_dk.sum(axis=1, keepdims=True) + alpha.sum())

    def _fit_gensim(self, X: sp.csr_matrix, alpha: np.ndarray | str) -> None:
        from gensim.models import LdaModel, LdaMulticore

        corpus = _bow(X)
        seed = int(check_random_state(self.random_state).integers(2**31 - 1))
        common = dict(
            corpus=corpus,
            num_topics=int(self.n_components),
            id2word={j: str(j) for j in range(X.shape[1])},
            passes=int(self.n_iter),
            iterations=400,
            eta=self.beta,
            random_state=seed,
        )
        if self.n_jobs > 1:
            if isinstance(alpha, str):
                raise ValueError("alpha='auto' is not available with n_jobs > 1 (gensim's LdaMulticore)")
            model = LdaMulticore(alpha=alpha, workers=int(self.n_jobs), **common)
        else:
            model = LdaModel(alpha=alpha, **common)
        self.gensim_model_ = model
        self.alpha_ = np.asarray(model.alpha, dtype=np.float64)
        self.components_ = model.get_topics()
        self.n_kw_ = np.zeros((0, 0), dtype=np.int64)
        theta = np.zeros((len(corpus), int(self.n_components)))
        for d, doc in enumerate(corpus):
            for k, p in model.get_document_topics(doc, minimum_probability=0.0):
                theta[d, k] = p
        self.doc_topic_ = theta / theta.sum(axis=1, keepdims=True)

    def transform(self, X: Any) -> np.ndarray:
        """Document-topic proportions (rows sum to 1) by Gibbs fold-in with the topics held fixed:
        p(z_i = k) ∝ (n_dk + α_k) φ_kw, the same for both engines.

        Example
        -------
        >>> X = sp.csr_matrix(np.array([[3, 0], [0, 3]]))
        >>> LDA(n_components=2, n_iter=50, random_state=0).fit(X).transform(X).sum(axis=1).round(6).tolist()
        [1.0, 1.0]
        """
        from ._lda_kernels import fold_in

        Xc = self._check_transform_input(X)
        rng = check_random_state(self.random_state)
        K = self.components_.shape[0]
        doc_of, word_of = _flat_tokens(Xc)
        phi = np.ascontiguousarray(self.components_, dtype=np.float64)
        z = phi[:, word_of].argmax(axis=0).astype(np.int64)
        n_dk = np.zeros((Xc.shape[0], K), dtype=np.int64)
        np.add.at(n_dk, (doc_of, z), 1)
        alpha = np.asarray(self.alpha_, dtype=np.float64)
        for _ in range(int(self.n_iter_transform)):
            fold_in(doc_of, word_of, z, n_dk, phi, alpha, rng.random(len(doc_of)))
        return (n_dk + alpha) / (n_dk.sum(axis=1, keepdims=True) + alpha.sum())


def minka_alpha(n_dk: np.ndarray, alpha: np.ndarray, n_steps: int = 20, floor: float = 1e-5) -> np.ndarray:
    """Re-estimate an asymmetric Dirichlet prior from document-topic counts by Minka's
    fixed-point iteration, using count histograms so each step costs O(K · max n_d).

    Example
    -------
    >>> counts = np.array([[9, 1], [8, 2], [10, 0], [7, 3]])
    >>> a = minka_alpha(counts, np.array([1.0, 1.0]))
    >>> bool(a[0] > a[1])
    True
    """
    from ._shards import topic_histograms

    n_dk = np.asarray(n_dk)
    if not n_dk.size or int(n_dk.sum(axis=1).max()) == 0:
        return np.asarray(alpha, dtype=np.float64).copy()
    hist, len_hist = topic_histograms(n_dk)
    return minka_from_histograms(hist, len_hist, alpha, n_steps, floor)


def minka_from_histograms(
    hist: np.ndarray, len_hist: np.ndarray, alpha: np.ndarray, n_steps: int = 20, floor: float = 1e-5
) -> np.ndarray:
    """Minka's fixed point from count histograms: ``hist[k, c-1]`` documents with c tokens in
    topic k and ``len_hist[n-1]`` documents of length n (histograms of shards add up, so the
    distributed engine re-estimates alpha without gathering the document-topic counts).

    Example
    -------
    >>> hist = np.array([[0.0, 1.0], [0.0, 0.0]]); lengths = np.array([0.0, 1.0])  # one post, 2 tokens in topic 0
    >>> a = minka_from_histograms(hist, lengths, np.array([1.0, 1.0]))
    >>> bool(a[0] > a[1])
    True
    """
    from scipy.special import digamma

    alpha = np.asarray(alpha, dtype=np.float64).copy()
    top = hist.shape[1]
    if top == 0 or not len_hist.any():
        return alpha
    c = np.arange(1, top + 1, dtype=np.float64)
    for _ in range(n_steps):
        a0 = alpha.sum()
        denominator = len_hist @ (digamma(c + a0) - digamma(a0))
        numerator = (hist * (digamma(c[None, :] + alpha[:, None]) - digamma(alpha)[:, None])).sum(axis=1)
        new = np.maximum(alpha * numerator / denominator, floor)
        if np.allclose(new, alpha, rtol=1e-6, atol=0):
            return new
        alpha = new
    return alpha


def _bow(X: sp.csr_matrix) -> list[list[tuple[int, int]]]:
    return [
        list(
            zip(
                X.indices[X.indptr[i] : X.indptr[i + 1]].tolist(),
                X.data[X.indptr[i] : X.indptr[i + 1]].astype(int).tolist(),
            )
        )
        for i in range(X.shape[0])
    ]

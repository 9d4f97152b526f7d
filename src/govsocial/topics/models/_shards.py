"""What one Dask worker does in approximate distributed Gibbs sampling (AD-LDA).

A *shard* is a block of documents with its own sampler state: topic assignments,
(for LDA) document-topic counts, and the state of its own random generator. A step
receives the merged topic-word counts, sweeps the shard with a private copy of them
using the single-process numba kernels, and returns a new shard (the old one is not
changed, so a re-run task gives the same answer) and the *change* it made to the
counts, as a sparse :class:`Delta`. :class:`ShardActor` keeps a shard on a worker (as a
Dask actor) between rounds: only counts travel; documents stay where they are.

Nothing here imports Dask, so the functions run (and are tested) without it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

__all__ = [
    "Delta",
    "Shard",
    "ShardActor",
    "lda_start",
    "lda_step",
    "lda_finish",
    "dmm_start",
    "dmm_step",
    "dmm_finish",
    "topic_histograms",
]


@dataclass(frozen=True)
class Delta:
    """A shard's change to the topic–word counts: ``n_kw.ravel()[idx] += val`` (and ``m_k += m_k``
    for DMM); ``hist`` holds the shard's (topic-count, length) histograms for Minka's update.

    Example
    -------
    >>> d = Delta.between(np.array([[1, 2], [3, 4]]), np.array([[1, 0], [3, 6]]))
    >>> d.idx.tolist(), d.val.tolist()
    ([1, 3], [2, -2])
    """

    idx: np.ndarray
    val: np.ndarray
    m_k: np.ndarray | None = None
    hist: tuple[np.ndarray, np.ndarray] | None = None

    @staticmethod
    def between(after: np.ndarray, before: np.ndarray, **extra: Any) -> "Delta":
        """The sparse difference ``after − before`` of two count matrices of the same shape.

        Example
        -------
        >>> Delta.between(np.zeros((2, 2), int), np.zeros((2, 2), int)).idx.size
        0
        """
        diff = (after - before).ravel()
        idx = np.flatnonzero(diff)
        return Delta(idx, diff[idx], **extra)


@dataclass(frozen=True)
class Shard:
    """One block of documents (rows ``rows`` of the corpus) and its sampler state.

    Example
    -------
    >>> X = sp.csr_matrix(np.array([[2, 0], [0, 1]]))
    >>> s, d = dmm_start((np.array([0, 1]), X), 2, np.random.SeedSequence(0))
    >>> s.z.shape, int(d.val.sum())
    ((2,), 3)
    """

    # DMM's shards hold their documents once, as the kernels' int64 arrays (converted at the
    # start, not in every step), and LDA's as flat token arrays; neither keeps the CSR matrix.

    rows: np.ndarray
    X: sp.csr_matrix | None  # LDA's documents (DMM keeps its int64 arrays instead)
    z: np.ndarray
    rng_state: Any  # the PCG64 state dict
    n_dk: np.ndarray | None = None
    doc_of: np.ndarray | None = None
    word_of: np.ndarray | None = None
    arrays: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None  # DMM: indptr, indices, counts, lengths

    def generator(self) -> np.random.Generator:
        """A generator continuing this shard's random stream (the shard itself is not changed).

        Example
        -------
        >>> s, _ = dmm_start((np.array([0]), sp.csr_matrix(np.array([[1]]))), 1, np.random.SeedSequence(3))
        >>> float(s.generator().random()) == float(s.generator().random())
        True
        """
        bits = np.random.PCG64()
        bits.state = self.rng_state
        return np.random.Generator(bits)


def topic_histograms(n_dk: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Histograms of document-topic counts for Minka's update: ``hist[k, c-1]`` documents with
    c tokens in topic k, ``lengths[n-1]`` documents of length n. Histograms of shards add up.

    Example
    -------
    >>> h, n = topic_histograms(np.array([[2, 0], [1, 1]]))
    >>> h.tolist(), n.tolist()
    ([[1.0, 1.0], [1.0, 0.0]], [0.0, 2.0])
    """
    n_dk = np.asarray(n_dk)
    K = n_dk.shape[1]
    lengths = n_dk.sum(axis=1)
    top = int(lengths.max()) if lengths.size else 0
    hist = np.bincount((np.arange(K)[None, :] * (top + 1) + n_dk).ravel(), minlength=K * (top + 1))
    hist = hist.reshape(K, top + 1)[:, 1:].astype(np.float64)
    return hist, np.bincount(lengths, minlength=top + 1)[1:].astype(np.float64)


# --------------------------------------------------------------------------- LDA


def lda_start(piece: tuple[np.ndarray, sp.csr_matrix], K: int, seed: np.random.SeedSequence) -> tuple[Shard, Delta]:
    """Random initial topics for every token of a shard; the delta is the shard's counts.

    Example
    -------
    >>> s, d = lda_start((np.array([0]), sp.csr_matrix(np.array([[2, 1]]))), 2, np.random.SeedSequence(0))
    >>> int(d.val.sum()), s.n_dk.sum()
    (3, np.int64(3))
    """
    from .lda import _flat_tokens

    rows, X = piece
    rng = np.random.Generator(np.random.PCG64(seed))
    doc_of, word_of = _flat_tokens(X)
    z = rng.integers(0, K, size=len(doc_of)).astype(np.int64)
    n_dk = np.zeros((X.shape[0], K), dtype=np.int64)
    n_kw = np.zeros((K, X.shape[1]), dtype=np.int64)
    np.add.at(n_dk, (doc_of, z), 1)
    np.add.at(n_kw, (z, word_of), 1)
    shard = Shard(rows, None, z, rng.bit_generator.state, n_dk=n_dk, doc_of=doc_of, word_of=word_of)
    return shard, Delta.between(n_kw, np.zeros_like(n_kw))


def lda_step(
    previous: tuple[Shard, Delta], n_kw: np.ndarray, alpha: np.ndarray, beta: float, n_sweeps: int, histograms: bool
) -> tuple[Shard, Delta]:
    """``n_sweeps`` Gibbs sweeps of the shard of the ``previous`` step against a private copy of the
    merged counts.

    Example
    -------
    >>> s, d = lda_start((np.array([0]), sp.csr_matrix(np.array([[2, 1]]))), 2, np.random.SeedSequence(0))
    >>> n_kw = np.zeros((2, 2), np.int64); n_kw.ravel()[d.idx] += d.val
    >>> s2, d2 = lda_step((s, d), n_kw, np.array([0.1, 0.1]), 0.01, 3, True)
    >>> int(d2.val.sum()), d2.hist[1].tolist()
    (0, [0.0, 0.0, 1.0])
    """
    from ._lda_kernels import sweep

    shard = previous[0]
    K, V = n_kw.shape
    local = n_kw.copy()
    n_k = local.sum(axis=1)
    z, n_dk = shard.z.copy(), shard.n_dk.copy()  # type: ignore[union-attr]
    rng = shard.generator()
    extra, beta_sum = np.zeros((0, 0)), np.full(K, V * beta)
    for _ in range(n_sweeps):
        sweep(shard.doc_of, shard.word_of, z, n_dk, local, n_k, alpha, beta, extra, beta_sum, rng.random(len(z)), True)
    new = Shard(shard.rows, shard.X, z, rng.bit_generator.state, n_dk=n_dk, doc_of=shard.doc_of, word_of=shard.word_of)
    return new, Delta.between(local, n_kw, hist=topic_histograms(n_dk) if histograms else None)


def lda_finish(previous: tuple[Shard, Delta]) -> tuple[np.ndarray, np.ndarray]:
    """The shard's document rows and document-topic counts.

    Example
    -------
    >>> rows, n_dk = lda_finish(lda_start((np.array([4]), sp.csr_matrix(np.array([[2, 1]]))), 2,
    ...                                   np.random.SeedSequence(0)))
    >>> rows.tolist(), int(n_dk.sum())
    ([4], 3)
    """
    shard = previous[0]
    return shard.rows, shard.n_dk  # type: ignore[return-value]


# --------------------------------------------------------------------------- DMM


_POSTERIOR_BLOCK = 65_536  # posts whose topic posterior dmm_finish holds at once


def _dmm_arrays(X: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    return (
        X.indptr.astype(np.int64),
        X.indices.astype(np.int64),
        X.data.astype(np.int64),
        np.asarray(X.sum(axis=1)).ravel().astype(np.int64),
    )


def dmm_start(piece: tuple[np.ndarray, sp.csr_matrix], K: int, seed: np.random.SeedSequence) -> tuple[Shard, Delta]:
    """Random initial topics for the posts of a shard; the delta is the shard's counts.

    Example
    -------
    >>> s, d = dmm_start((np.array([0, 1]), sp.csr_matrix(np.array([[2, 0], [0, 1]]))), 3,
    ...                  np.random.SeedSequence(0))
    >>> int(d.m_k.sum()), int(d.val.sum())
    (2, 3)
    """
    rows, X = piece
    rng = np.random.Generator(np.random.PCG64(seed))
    z = rng.integers(0, K, size=X.shape[0]).astype(np.int64)
    arrays = _dmm_arrays(X)
    indptr, indices, counts, _ = arrays
    n_kw = np.zeros((K, X.shape[1]), dtype=np.int64)
    np.add.at(n_kw, (np.repeat(z, np.diff(indptr)), indices), counts)
    m_k = np.bincount(z, minlength=K).astype(np.int64)
    shard = Shard(rows, None, z, rng.bit_generator.state, arrays=arrays)
    return shard, Delta.between(n_kw, np.zeros_like(n_kw), m_k=m_k)


def dmm_step(
    previous: tuple[Shard, Delta], n_kw: np.ndarray, m_k: np.ndarray, alpha: float, beta: float, n_sweeps: int
) -> tuple[Shard, Delta]:
    """``n_sweeps`` Gibbs sweeps of the posts of the ``previous`` step's shard against a private copy
    of the merged counts.

    Example
    -------
    >>> s, d = dmm_start((np.array([0, 1]), sp.csr_matrix(np.array([[2, 0], [0, 1]]))), 2,
    ...                  np.random.SeedSequence(0))
    >>> n_kw = np.zeros((2, 2), np.int64); n_kw.ravel()[d.idx] += d.val
    >>> s2, d2 = dmm_step((s, d), n_kw, d.m_k, 0.1, 0.1, 2)
    >>> int(d2.val.sum()), int(d2.m_k.sum())
    (0, 0)
    """
    from ._dmm_kernels import gibbs

    shard = previous[0]
    K, V = n_kw.shape
    local, local_m = n_kw.copy(), m_k.copy()
    n_k = local.sum(axis=1)
    z = shard.z.copy()
    rng = shard.generator()
    indptr, indices, counts, doc_len = shard.arrays  # type: ignore[misc]
    gibbs(
        indptr,
        indices,
        counts,
        doc_len,
        z,
        local_m,
        n_k,
        local,
        float(alpha),
        float(beta),
        np.zeros((0, 0)),
        np.full(K, V * beta),
        np.zeros(K, dtype=np.bool_),
        rng.random((n_sweeps, len(z))),
    )
    new = Shard(shard.rows, None, z, rng.bit_generator.state, arrays=shard.arrays)
    return new, Delta.between(local, n_kw, m_k=local_m - m_k)


def dmm_finish(
    previous: tuple[Shard, Delta], n_kw: np.ndarray, m_k: np.ndarray, alpha: float, beta: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The shard's rows, last sampled topics and most probable topics given the final merged counts.

    Example
    -------
    >>> s, d = dmm_start((np.array([0, 1]), sp.csr_matrix(np.array([[2, 0], [0, 1]]))), 2,
    ...                  np.random.SeedSequence(0))
    >>> n_kw = np.zeros((2, 2), np.int64); n_kw.ravel()[d.idx] += d.val
    >>> rows, z, labels = dmm_finish((s, d), n_kw, d.m_k, 0.1, 0.1)
    >>> rows.tolist(), bool(np.array_equal(z, s.z)), labels.shape
    ([0, 1], True, (2,))
    """
    from ._dmm_kernels import posterior

    shard = previous[0]
    K, V = n_kw.shape
    indptr, indices, counts, doc_len = shard.arrays  # type: ignore[misc]
    n_k, beta_sum, none = n_kw.sum(axis=1), np.full(K, V * beta), np.zeros((0, 0))
    labels = np.empty(len(doc_len), dtype=np.int64)
    # the posterior of a block of posts at a time: K floats per post for the whole shard
    # (hundreds of MB at millions of posts) would set the worker's peak memory
    for a in range(0, len(doc_len), _POSTERIOR_BLOCK):
        b = min(a + _POSTERIOR_BLOCK, len(doc_len))
        lo, hi = indptr[a], indptr[b]
        out = np.empty((b - a, K))
        posterior(
            indptr[a : b + 1] - lo,
            indices[lo:hi],
            counts[lo:hi],
            doc_len[a:b],
            m_k,
            n_k,
            n_kw,
            float(alpha),
            float(beta),
            none,
            beta_sum,
            out,
        )
        labels[a:b] = out.argmax(axis=1)
    return shard.rows, shard.z, labels


# --------------------------------------------------------------------------- on a worker


class ShardActor:
    """A shard living on a Dask worker (a Dask actor): it keeps its documents and sampler state
    between rounds, so a round costs one message per shard each way, carrying counts only.

    ``kind`` is ``"lda"`` or ``"dmm"``; each method runs the pure function of that name.

    Example
    -------
    >>> a = ShardActor("dmm", (np.array([0, 1]), sp.csr_matrix(np.array([[2, 0], [0, 1]]))), 2,
    ...                np.random.SeedSequence(0))
    >>> d = a.start(); n_kw = np.zeros((2, 2), np.int64); n_kw.ravel()[d.idx] += d.val
    >>> int(a.step(n_kw, d.m_k, 0.1, 0.1, 2).val.sum())
    0
    """

    def __init__(
        self, kind: str, piece: tuple[np.ndarray, sp.csr_matrix], K: int, seed: np.random.SeedSequence
    ) -> None:
        self.kind = kind
        self.state = (lda_start if kind == "lda" else dmm_start)(piece, K, seed)

    def start(self) -> Delta:
        """The shard's initial counts (as a change from zero)."""
        return self.state[1]

    def step(self, *args: Any) -> Delta:
        """Sweep with the merged counts; keep the new state, return the change to the counts."""
        self.state = (lda_step if self.kind == "lda" else dmm_step)(self.state, *args)
        return self.state[1]

    def finish(self, *args: Any) -> tuple[np.ndarray, ...]:
        """What the fitted model needs from this shard."""
        return (lda_finish if self.kind == "lda" else dmm_finish)(self.state, *args)

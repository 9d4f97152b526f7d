"""Spectral initialisation of topic-word distributions by anchor words (Arora et al. 2013).

Deterministic, as stm's default ``init.type = "Spectral"`` (Roberts, Stewart & Tingley
2016), following stm's R/spectral.R and R/STMinit.R step by step:

1. the word co-occurrence (Gram) matrix from documents of two or more tokens,
   :math:`Q = \\tilde H^\\top \\tilde H - \\mathrm{diag}(\\sum_d c_d / (n_d(n_d-1)))` with
   :math:`\\tilde H_d = c_d / \\sqrt{n_d(n_d-1)}`, words whose row sums to zero set aside,
   rows normalised to sum to one (:math:`\\bar Q`); with more than ``max_vocab`` words only
   the most frequent are used, as stm's ``maxV`` (10,000);
2. K anchor words by stabilised Gram-Schmidt on the rows of :math:`\\bar Q` (stm's
   ``fastAnchor``): each step takes the row of largest remaining norm and projects it out;
3. RecoverL2: every word's row is written as a convex combination of the anchor rows
   (exponentiated gradient, stm's ``expgrad``), giving :math:`p(z \\mid w)`; Bayes' rule with
   the word frequencies turns it into :math:`\\beta_{kw} = p(w \\mid z = k)`;
4. words set aside in 1 come back with probability 0.001/V added to every word, as stm does.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

__all__ = ["spectral_init", "gram", "fast_anchor", "recover_l2"]


def gram(X: sp.csr_matrix) -> np.ndarray:
    """The (unnormalised) word co-occurrence matrix of documents with at least two tokens.

    Every entry is summed over documents in order (as stm's sparse ``crossprod`` does), so
    the result does not depend on BLAS or threads.

    Example
    -------
    >>> Q = gram(sp.csr_matrix(np.array([[1, 1], [2, 0]])))
    >>> np.round(Q, 12).tolist()
    [[1.0, 0.5], [0.5, -0.0]]
    """
    X = sp.csr_matrix(X, dtype=np.float64)
    X.sort_indices()
    nd = np.asarray(X.sum(axis=1)).ravel()
    M = X[nd >= 2]
    div = nd[nd >= 2] * (nd[nd >= 2] - 1.0)
    rows = np.repeat(np.arange(M.shape[0]), np.diff(M.indptr))
    H = sp.csr_matrix((M.data / np.sqrt(div)[rows], M.indices, M.indptr), shape=M.shape)  # as R: mat / sqrt(div)
    # scipy's sparse product sums every entry over documents in order, as stm's crossprod does
    Q = (H.T.tocsr() @ H).toarray()
    diag = sp.csr_matrix((M.data / div[rows], M.indices, M.indptr), shape=M.shape).tocsc()
    Q[np.diag_indices_from(Q)] -= np.array(
        [
            diag.data[diag.indptr[j] : diag.indptr[j + 1]].cumsum()[-1] if diag.indptr[j + 1] > diag.indptr[j] else 0.0
            for j in range(Q.shape[0])
        ]
    )
    return Q


def _row_sums(A: np.ndarray) -> np.ndarray:
    """Row sums accumulated in order in extended precision, as R's ``rowSums`` (long double)."""
    return np.cumsum(A.astype(np.longdouble), axis=1)[:, -1].astype(np.float64)


def fast_anchor(Qbar: np.ndarray, K: int) -> np.ndarray:
    """K anchor rows of the row-normalised Gram matrix (stm's ``fastAnchor``); ``Qbar`` is not changed.

    Example
    -------
    >>> fast_anchor(np.array([[1.0, 0.0], [0.0, 0.5], [0.5, 0.5]]), 2).tolist()
    [0, 1]
    """
    from ._spectral_kernels import project_out

    Q = np.array(Qbar, dtype=np.float64, copy=True, order="C")
    row_sq = np.einsum("ij,ij->i", Q, Q)
    chosen = np.zeros(Q.shape[0], dtype=np.bool_)
    basis: list[int] = []
    for _ in range(K):
        b = int(np.argmax(row_sq))
        basis.append(b)
        chosen[b] = True
        Q[b] *= 1.0 / np.sqrt(row_sq[b])
        project_out(Q, b, chosen, row_sq)
    return np.asarray(basis, dtype=np.int64)


def recover_l2(
    Qbar: np.ndarray,
    anchors: np.ndarray,
    wprob: np.ndarray,
    *,
    exact: bool = False,
    max_iter: int = 500,
    tol: float = 1e-7,
) -> np.ndarray:
    """Topic-word probabilities (K × V) from anchor words by RecoverL2 (stm's ``recoverL2``, ``expgrad``).

    Example
    -------
    >>> Qbar = np.array([[0.9, 0.1, 0.0], [0.0, 0.1, 0.9], [0.45, 0.1, 0.45]])
    >>> beta = recover_l2(Qbar, np.array([0, 1]), np.array([0.4, 0.4, 0.2]))
    >>> beta.sum(axis=1).round(6).tolist()
    [1.0, 1.0]
    """
    from ._spectral_kernels import anchor_products, expgrad, recover_exact

    K = len(anchors)
    XtX = np.empty((K, K))
    ytx = np.empty((Qbar.shape[0], K))
    anchor_products(np.ascontiguousarray(Qbar), np.asarray(anchors, dtype=np.int64), XtX, ytx)
    anchor_of = np.full(Qbar.shape[0], -1, dtype=np.int64)
    anchor_of[anchors] = np.arange(K)
    weights = np.empty((Qbar.shape[0], K))
    if exact:
        recover_exact(ytx, XtX, anchor_of, weights)
    else:
        expgrad(ytx, XtX, anchor_of, weights, int(max_iter), float(tol))
    A = weights * wprob[:, None]
    return A.T / _row_sums(A.T)[:, None]


def spectral_init(
    X: sp.csr_matrix, K: int, *, max_vocab: int = 10000, exact: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Initial topic-word probabilities (K × V) and the anchor words' column indices.

    Example
    -------
    >>> X = sp.csr_matrix(np.array([[3, 2, 0, 0], [2, 3, 0, 0], [0, 0, 3, 2], [0, 0, 2, 3], [1, 1, 1, 1]]))
    >>> beta, anchors = spectral_init(X, 2)
    >>> beta.shape, sorted(int(a) // 2 for a in anchors)
    ((2, 4), [0, 1])
    """
    V = X.shape[1]
    if K >= V:
        raise ValueError(
            f"the spectral initialisation needs fewer topics than terms; got n_components={K} with "
            f"{V} terms; use fewer topics or init='random'"
        )
    counts = np.asarray(X.sum(axis=0)).ravel().astype(np.float64)
    wprob = counts / counts.sum()
    keep = np.arange(V)
    if V > max_vocab:
        keep = np.argsort(-wprob, kind="stable")[:max_vocab]
    Q = gram(X[:, keep])
    sums = _row_sums(Q)
    nonzero = sums != 0
    Q, sums, keep = Q[np.ix_(nonzero, nonzero)], sums[nonzero], keep[nonzero]
    if len(keep) <= K:
        raise ValueError(
            f"the spectral initialisation found only {len(keep)} terms that co-occur in posts of two or "
            f"more tokens, not more than n_components={K}; use fewer topics or init='random'"
        )
    Qbar = Q / sums[:, None]
    anchors = fast_anchor(Qbar, K)
    beta = recover_l2(Qbar, anchors, wprob[keep], exact=exact)
    if len(keep) < V:
        full = np.zeros((K, V))
        full[:, keep] = beta
        full += 0.001 / V
        beta = full / full.sum(axis=1, keepdims=True)
    return beta, keep[anchors]

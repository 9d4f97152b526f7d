"""numba kernels of the covariate Dirichlet-multinomial mixture (collapsed Gibbs sampling).

Pure functions: the caller draws every random number and passes it in.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def _doc_loglik(d, indptr, indices, counts, doc_len, n_k, n_kw, beta, beta_sum, out):
    """out[k] = log of Π_w Π_j (n_kw + β + j − 1) / Π_i (n_k + Vβ + i − 1) for post d (Yin & Wang 2014, eq. 4)."""
    K = n_k.shape[0]
    for k in range(K):
        value = 0.0
        for p in range(indptr[d], indptr[d + 1]):
            base = n_kw[k, indices[p]] + beta
            for j in range(counts[p]):
                value += np.log(base + j)
        denom = n_k[k] + beta_sum
        for i in range(doc_len[d]):
            value -= np.log(denom + i)
        out[k] = value


@njit(cache=True)
def _move(d, k, sign, indptr, indices, counts, doc_len, m_k, n_k, n_kw):
    m_k[k] += sign
    n_k[k] += sign * doc_len[d]
    for p in range(indptr[d], indptr[d + 1]):
        n_kw[k, indices[p]] += sign * counts[p]


@njit(cache=True)
def sweep(indptr, indices, counts, doc_len, z, m_k, n_k, n_kw, log_prior, beta, beta_sum, u):
    """One Gibbs sweep over the posts: z_d ~ p(z_d = k | z_-d, words, x_d) ∝ π_dk · (word likelihood).

    ``log_prior[d, k]`` = log π_dk, the multinomial-logit topic probabilities of post d.
    """
    K = m_k.shape[0]
    logp = np.empty(K)
    for d in range(z.shape[0]):
        _move(d, z[d], -1, indptr, indices, counts, doc_len, m_k, n_k, n_kw)
        _doc_loglik(d, indptr, indices, counts, doc_len, n_k, n_kw, beta, beta_sum, logp)
        top = -np.inf
        for k in range(K):
            logp[k] += log_prior[d, k]
            if logp[k] > top:
                top = logp[k]
        total = 0.0
        for k in range(K):
            logp[k] = np.exp(logp[k] - top)
            total += logp[k]
        target = u[d] * total
        acc = 0.0
        new = K - 1
        for k in range(K):
            acc += logp[k]
            if acc >= target:
                new = k
                break
        z[d] = new
        _move(d, new, 1, indptr, indices, counts, doc_len, m_k, n_k, n_kw)


@njit(cache=True)
def loglik(indptr, indices, counts, doc_len, n_k, n_kw, beta, beta_sum):
    """The word log-likelihood of every post under every topic given the counts (posts × topics)."""
    out = np.empty((indptr.shape[0] - 1, n_k.shape[0]))
    row = np.empty(n_k.shape[0])
    for d in range(out.shape[0]):
        _doc_loglik(d, indptr, indices, counts, doc_len, n_k, n_kw, beta, beta_sum, row)
        out[d] = row
    return out

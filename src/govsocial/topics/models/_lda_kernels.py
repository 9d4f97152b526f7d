"""numba kernels of latent Dirichlet allocation by collapsed Gibbs sampling.

Pure functions: the caller draws the uniform random numbers and passes them in. They release
the GIL (nogil), so a Dask worker running a long sweep still answers its scheduler.
Tokens are laid out flat: ``doc_of[i]`` and ``word_of[i]`` for token ``i``.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def _pick(cumulative, target):
    """First index whose cumulative weight reaches ``target``."""
    K = cumulative.shape[0]
    for t in range(K):
        if cumulative[t] >= target:
            return t
    return K - 1


@njit(cache=True, nogil=True)
def sweep(doc_of, word_of, z, n_dk, n_kw, n_k, alpha, beta, beta_extra, beta_sum, uniforms, update_topics):
    """One sweep over all tokens: p(z_i = k) ∝ (n_dk + α_k)(n_kw + β + e_kw)/(n_k + Σ_w(β + e_kw)).

    ``beta_extra`` (K × V) holds extra prior mass for seed words, or has shape (0, 0)
    for plain LDA; ``beta_sum[k]`` is the topic's total prior. With
    ``update_topics=False`` the topic-word counts stay fixed.
    """
    K = n_k.shape[0]
    seeded = beta_extra.shape[0] > 0
    probs = np.empty(K)
    for i in range(doc_of.shape[0]):
        d = doc_of[i]
        w = word_of[i]
        k = z[i]
        n_dk[d, k] -= 1
        if update_topics:
            n_kw[k, w] -= 1
            n_k[k] -= 1
        total = 0.0
        for t in range(K):
            b = beta + beta_extra[t, w] if seeded else beta
            total += (n_dk[d, t] + alpha[t]) * (n_kw[t, w] + b) / (n_k[t] + beta_sum[t])
            probs[t] = total
        k = _pick(probs, uniforms[i] * total)
        z[i] = k
        n_dk[d, k] += 1
        if update_topics:
            n_kw[k, w] += 1
            n_k[k] += 1


@njit(cache=True, nogil=True)
def fold_in(doc_of, word_of, z, n_dk, phi, alpha, uniforms):
    """One sweep of fold-in sampling with fixed topics: p(z_i = k) ∝ (n_dk + α_k) φ_kw."""
    K = phi.shape[0]
    probs = np.empty(K)
    for i in range(doc_of.shape[0]):
        d = doc_of[i]
        w = word_of[i]
        n_dk[d, z[i]] -= 1
        total = 0.0
        for t in range(K):
            total += (n_dk[d, t] + alpha[t]) * phi[t, w]
            probs[t] = total
        k = _pick(probs, uniforms[i] * total)
        z[i] = k
        n_dk[d, k] += 1

"""numba kernels of the Dirichlet multinomial mixture (collapsed Gibbs sampling).

Pure functions: every random number is drawn by the caller and passed in, so the
kernels hold no random state and results depend only on the seed.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def log_conditional(d, indptr, indices, counts, doc_len, m_k, n_k, n_kw, alpha, beta, beta_extra, beta_sum, out):
    """``log_conditional_weighted`` with DMM's prior factor m_k + α."""
    log_conditional_weighted(
        d,
        indptr,
        indices,
        counts,
        doc_len,
        m_k,
        n_k,
        n_kw,
        alpha,
        beta,
        beta_extra,
        beta_sum,
        out,
        np.zeros((0, 0)),
        np.zeros(0, dtype=np.int64),
    )


@njit(cache=True, nogil=True)
def log_conditional_weighted(
    d, indptr, indices, counts, doc_len, m_k, n_k, n_kw, alpha, beta, beta_extra, beta_sum, out, weights, group
):
    """log p(z_d = k | z_-d, X) + const for every k, with document d already removed.

    p ∝ (m_k + α) · Π_w Π_{j=1..N_dw} (n_kw + β_kw + j − 1) / Π_{i=1..N_d} (n_k + Σ_w β_kw + i − 1)

    with β_kw = β + e_kw (``beta_extra`` holds seed priors e_kw, or has shape (0, 0);
    ``beta_sum[k]`` = Σ_w β_kw). Repeated words use rising factorials of *their own*
    counts (Yin & Wang 2014, eq. 4). When ``weights`` is not empty (G × K), the prior
    factor m_k + α is replaced by ``weights[group[d], k]`` (CovariateDMM's π_dk; posts
    with the same covariate row share a group).
    """
    K = m_k.shape[0]
    start = indptr[d]
    end = indptr[d + 1]
    n_d = doc_len[d]
    seeded = beta_extra.shape[0] > 0
    weighted = weights.shape[0] > 0
    for k in range(K):
        value = np.log(weights[group[d], k]) if weighted else np.log(m_k[k] + alpha)
        for p in range(start, end):
            w = indices[p]
            base = n_kw[k, w] + beta + (beta_extra[k, w] if seeded else 0.0)
            for j in range(counts[p]):
                value += np.log(base + j)
        denom = n_k[k] + beta_sum[k]
        for i in range(n_d):
            value -= np.log(denom + i)
        out[k] = value


@njit(cache=True, nogil=True)
def conditional(d, indptr, indices, counts, doc_len, m_k, n_k, n_kw, alpha, beta, beta_extra, beta_sum, has_extra, out):
    """``conditional_weighted`` with DMM's prior factor m_k + α."""
    return conditional_weighted(
        d,
        indptr,
        indices,
        counts,
        doc_len,
        m_k,
        n_k,
        n_kw,
        alpha,
        beta,
        beta_extra,
        beta_sum,
        has_extra,
        out,
        np.zeros((0, 0)),
        np.zeros(0, dtype=np.int64),
    )


@njit(cache=True, nogil=True)
def conditional_weighted(
    d,
    indptr,
    indices,
    counts,
    doc_len,
    m_k,
    n_k,
    n_kw,
    alpha,
    beta,
    beta_extra,
    beta_sum,
    has_extra,
    out,
    weights,
    group,
):
    """The same conditional as ``log_conditional_weighted``, unnormalised, without logarithms.

    Numerator and denominator factors are paired, so the running product stays in
    range for short posts; all empty topics share one word factor, computed once. Returns
    False when the product underflows (very long posts), so the caller can use logs.
    """
    K = m_k.shape[0]
    start = indptr[d]
    end = indptr[d + 1]
    seeded = beta_extra.shape[0] > 0
    weighted = weights.shape[0] > 0
    empty_value = -1.0
    top = 0.0
    for k in range(K):
        plain = not has_extra[k]
        if m_k[k] == 0 and plain and empty_value >= 0.0:
            out[k] = empty_value * weights[group[d], k] if weighted else empty_value
            if out[k] > top:
                top = out[k]
            continue
        r = 1.0 if weighted else m_k[k] + alpha
        denom = n_k[k] + beta_sum[k]
        i = 0
        for p in range(start, end):
            w = indices[p]
            base = n_kw[k, w] + beta + (beta_extra[k, w] if seeded else 0.0)
            for j in range(counts[p]):
                r *= (base + j) / (denom + i)
                i += 1
        if m_k[k] == 0 and plain:
            empty_value = r
        if weighted:
            r *= weights[group[d], k]
        out[k] = r
        if r > top:
            top = r
    return top > 1e-290


@njit(cache=True, nogil=True)
def _draw(probs, u):
    K = probs.shape[0]
    total = 0.0
    for k in range(K):
        total += probs[k]
    target = u * total
    acc = 0.0
    for k in range(K):
        acc += probs[k]
        if acc >= target:
            return k
    return K - 1


@njit(cache=True, nogil=True)
def _sample(logp, u):
    K = logp.shape[0]
    top = logp[0]
    for k in range(1, K):
        if logp[k] > top:
            top = logp[k]
    for k in range(K):
        logp[k] = np.exp(logp[k] - top)
    return _draw(logp, u)


@njit(cache=True, nogil=True)
def _move(d, k, sign, indptr, indices, counts, doc_len, m_k, n_k, n_kw):
    m_k[k] += sign
    n_k[k] += sign * doc_len[d]
    for p in range(indptr[d], indptr[d + 1]):
        n_kw[k, indices[p]] += sign * counts[p]


@njit(cache=True, nogil=True)
def gibbs(indptr, indices, counts, doc_len, z, m_k, n_k, n_kw, alpha, beta, beta_extra, beta_sum, has_extra, uniforms):
    """Run ``uniforms.shape[0]`` sweeps over all documents; update z and counts in place.

    Returns the number of non-empty clusters after each sweep.
    """
    no_weights = np.zeros((0, 0))
    no_group = np.zeros(0, dtype=np.int64)
    return _gibbs(
        indptr,
        indices,
        counts,
        doc_len,
        z,
        m_k,
        n_k,
        n_kw,
        alpha,
        beta,
        beta_extra,
        beta_sum,
        has_extra,
        uniforms,
        no_weights,
        no_group,
    )


@njit(cache=True, nogil=True)
def gibbs_weighted(indptr, indices, counts, doc_len, z, m_k, n_k, n_kw, beta, beta_sum, uniforms, weights, group):
    """``gibbs`` with the prior factor m_k + α replaced by ``weights[group[d], k]`` (fixed during the sweeps).

    The word factor is DMM's; CovariateDMM passes its topic probabilities π as ``weights``.
    """
    K = m_k.shape[0]
    return _gibbs(
        indptr,
        indices,
        counts,
        doc_len,
        z,
        m_k,
        n_k,
        n_kw,
        0.0,
        beta,
        np.zeros((0, 0)),
        beta_sum,
        np.zeros(K, dtype=np.bool_),
        uniforms,
        weights,
        group,
    )


@njit(cache=True, nogil=True)
def _pick(
    d,
    u,
    indptr,
    indices,
    counts,
    doc_len,
    m_k,
    n_k,
    n_kw,
    alpha,
    beta,
    beta_extra,
    beta_sum,
    has_extra,
    logp,
    weights,
    group,
):
    """Post d's new topic (d already removed from the counts) for the uniform draw u."""
    args = (indptr, indices, counts, doc_len, m_k, n_k, n_kw, alpha, beta, beta_extra, beta_sum)
    if conditional_weighted(d, *args, has_extra, logp, weights, group):
        return _draw(logp, u)
    log_conditional_weighted(d, *args, logp, weights, group)
    return _sample(logp, u)


@njit(cache=True, nogil=True)
def _gibbs(
    indptr,
    indices,
    counts,
    doc_len,
    z,
    m_k,
    n_k,
    n_kw,
    alpha,
    beta,
    beta_extra,
    beta_sum,
    has_extra,
    uniforms,
    weights,
    group,
):
    n_iter, n_docs = uniforms.shape
    K = m_k.shape[0]
    logp = np.empty(K)
    occupied = np.empty(n_iter, dtype=np.int64)
    for it in range(n_iter):
        for d in range(n_docs):
            _move(d, z[d], -1, indptr, indices, counts, doc_len, m_k, n_k, n_kw)
            k = _pick(
                d,
                uniforms[it, d],
                indptr,
                indices,
                counts,
                doc_len,
                m_k,
                n_k,
                n_kw,
                alpha,
                beta,
                beta_extra,
                beta_sum,
                has_extra,
                logp,
                weights,
                group,
            )
            z[d] = k
            _move(d, k, 1, indptr, indices, counts, doc_len, m_k, n_k, n_kw)
        c = 0
        for k in range(K):
            if m_k[k] > 0:
                c += 1
        occupied[it] = c
    return occupied


@njit(cache=True, nogil=True)
def posterior(indptr, indices, counts, doc_len, m_k, n_k, n_kw, alpha, beta, beta_extra, beta_sum, out):
    """p(z_d = k | trained counts) for new documents (rows of ``out`` sum to 1)."""
    _posterior(
        indptr,
        indices,
        counts,
        doc_len,
        m_k,
        n_k,
        n_kw,
        alpha,
        beta,
        beta_extra,
        beta_sum,
        out,
        np.zeros((0, 0)),
        np.zeros(0, dtype=np.int64),
    )


@njit(cache=True, nogil=True)
def posterior_weighted(indptr, indices, counts, doc_len, n_k, n_kw, beta, beta_sum, out, weights, group):
    """``posterior`` with the prior factor m_k + α replaced by ``weights[group[d], k]``."""
    _posterior(
        indptr, indices, counts, doc_len, n_k, n_k, n_kw, 0.0, beta, np.zeros((0, 0)), beta_sum, out, weights, group
    )


@njit(cache=True, nogil=True)
def _posterior(
    indptr, indices, counts, doc_len, m_k, n_k, n_kw, alpha, beta, beta_extra, beta_sum, out, weights, group
):
    n_docs = doc_len.shape[0]
    K = m_k.shape[0]
    logp = np.empty(K)
    for d in range(n_docs):
        log_conditional_weighted(
            d, indptr, indices, counts, doc_len, m_k, n_k, n_kw, alpha, beta, beta_extra, beta_sum, logp, weights, group
        )
        top = logp.max()
        total = 0.0
        for k in range(K):
            logp[k] = np.exp(logp[k] - top)
            total += logp[k]
        for k in range(K):
            out[d, k] = logp[k] / total

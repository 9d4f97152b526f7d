"""The DMM with a background word distribution (``DMM(background=True)``): its sampler and kernels."""

import logging
from typing import Any

import numpy as np
from numba import njit

from ._dmm_kernels import _draw, _sample
from .base import sweeps

log = logging.getLogger(__name__)


def sample(
    model: Any,
    parts: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    z: np.ndarray,
    m_k: np.ndarray,
    n_k: np.ndarray,
    n_kw: np.ndarray,
    extra: np.ndarray,
    beta_sum: np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Run ``model.n_iter`` sweeps of :func:`gibbs_background` from the posts' topics ``z``;
    every token starts in its post's topic or in the background with probability 1/2. Updates
    z, m_k, n_k, n_kw in place; returns the background counts ``b_w``, ``n_switch`` (topic words,
    background words) and the occupied topics after each sweep."""
    indptr, indices, counts, doc_len = parts
    K, V = n_kw.shape
    words = np.repeat(indices, counts)
    doc_ptr = np.concatenate([[0], np.cumsum(doc_len)]).astype(np.int64)
    switch = (rng.random(len(words)) < 0.5).astype(np.int64)
    token_topic = np.repeat(z, doc_len)
    topic_side = switch == 0
    m_k[:] = np.bincount(z, minlength=K)
    n_k[:] = np.bincount(token_topic[topic_side], minlength=K)
    n_kw[:] = 0
    np.add.at(n_kw, (token_topic[topic_side], words[topic_side]), 1)
    b_w = np.bincount(words[~topic_side], minlength=V).astype(np.int64)
    n_switch = np.array([topic_side.sum(), (~topic_side).sum()], dtype=np.int64)
    has_extra = extra.sum(axis=1) > 0 if extra.size else np.zeros(K, dtype=np.bool_)
    occupied = np.empty(int(model.n_iter), dtype=np.int64)
    for it in sweeps(int(model.n_iter), model.verbose, type(model).__name__):
        gibbs_background(
            doc_ptr,
            words,
            z,
            switch,
            m_k,
            n_k,
            n_kw,
            b_w,
            n_switch,
            float(model.alpha),
            float(model.beta),
            extra,
            beta_sum,
            has_extra,
            1.0,  # γ: a uniform Beta(1, 1) prior on the background share
            rng.random(len(z) + len(words)),
        )
        occupied[it] = int((m_k > 0).sum())
        if model.verbose and (it + 1) % 10 == 0:
            log.info("DMM sweep %d: %d occupied topics", it + 1, occupied[it])
    return b_w, n_switch, occupied


@njit(cache=True, nogil=True)
def gibbs_background(
    doc_ptr,
    words,
    z,
    switch,
    m_k,
    n_k,
    n_kw,
    b_w,
    n_switch,
    alpha,
    beta,
    beta_extra,
    beta_sum,
    has_extra,
    gamma,
    uniforms,
):
    """One sweep of the DMM with a background word distribution; updates everything in place.

    Tokens are listed post by post (``words[doc_ptr[d]:doc_ptr[d+1]]``, repeats of a word next to
    each other); ``switch[i]`` is 1 when token *i* comes from the background, 0 when from its
    post's topic. ``n_kw``/``n_k`` count topic tokens only, ``b_w`` background tokens per word and
    ``n_switch`` = (topic tokens, background tokens). For each post: its topic given its topic
    tokens (DMM's conditional, repeats by rising factorials), then each token's switch given the
    topic,

        p(s_i = 1) ∝ (n_switch[1] + γ) (b_w + β) / (n_switch[1] + Vβ),
        p(s_i = 0) ∝ (n_switch[0] + γ) (n_kw + β + e_kw) / (n_k + Σ_w β_kw),

    all counts without token *i*. ``uniforms`` holds one draw per post, then one per token
    (posts + tokens in all).
    """
    D = doc_ptr.shape[0] - 1
    K = m_k.shape[0]
    V = b_w.shape[0]
    seeded = beta_extra.shape[0] > 0
    logp = np.empty(K)
    next_token = D
    for d in range(D):
        start = doc_ptr[d]
        end = doc_ptr[d + 1]
        k_old = z[d]
        m_k[k_old] -= 1
        for i in range(start, end):
            if switch[i] == 0:
                n_kw[k_old, words[i]] -= 1
                n_k[k_old] -= 1
        args = (m_k, n_k, n_kw, alpha, beta, beta_extra, beta_sum)
        if _ratio_conditional(start, end, words, switch, *args, has_extra, logp):
            k_new = _draw(logp, uniforms[d])
        else:
            _log_conditional(start, end, words, switch, *args, logp)
            k_new = _sample(logp, uniforms[d])
        z[d] = k_new
        m_k[k_new] += 1
        for i in range(start, end):
            w = words[i]
            if switch[i] == 1:
                b_w[w] -= 1
                n_switch[1] -= 1
            else:
                n_switch[0] -= 1
            p_topic = (
                (n_switch[0] + gamma)
                * (n_kw[k_new, w] + beta + (beta_extra[k_new, w] if seeded else 0.0))
                / (n_k[k_new] + beta_sum[k_new])
            )
            p_back = (n_switch[1] + gamma) * (b_w[w] + beta) / (n_switch[1] + V * beta)
            if uniforms[next_token] * (p_topic + p_back) < p_back:
                switch[i] = 1
                b_w[w] += 1
                n_switch[1] += 1
            else:
                switch[i] = 0
                n_kw[k_new, w] += 1
                n_k[k_new] += 1
                n_switch[0] += 1
            next_token += 1


@njit(cache=True, nogil=True)
def _ratio_conditional(start, end, words, switch, m_k, n_k, n_kw, alpha, beta, beta_extra, beta_sum, has_extra, out):
    """DMM's conditional over a post's topic words (tokens ``start..end`` with switch 0), as a
    product of paired ratios without logarithms (as ``_dmm_kernels.conditional_weighted``); all
    empty unseeded topics share one value. False when the product underflows (the caller then
    uses :func:`_log_conditional`)."""
    K = m_k.shape[0]
    seeded = beta_extra.shape[0] > 0
    empty_value = -1.0
    top = 0.0
    for k in range(K):
        plain = not has_extra[k]
        if m_k[k] == 0 and plain and empty_value >= 0.0:
            out[k] = empty_value
            continue
        r = m_k[k] + alpha
        denom = n_k[k] + beta_sum[k]
        j = 0
        rep = 0
        last = -1
        for i in range(start, end):
            if switch[i] == 1:
                continue
            w = words[i]
            rep = rep + 1 if w == last else 0
            last = w
            r *= (n_kw[k, w] + beta + (beta_extra[k, w] if seeded else 0.0) + rep) / (denom + j)
            j += 1
        if m_k[k] == 0 and plain:
            empty_value = r
        out[k] = r
        if r > top:
            top = r
    return top > 1e-290


@njit(cache=True, nogil=True)
def _log_conditional(start, end, words, switch, m_k, n_k, n_kw, alpha, beta, beta_extra, beta_sum, out):
    """The same conditional in logarithms (long posts)."""
    K = m_k.shape[0]
    seeded = beta_extra.shape[0] > 0
    for k in range(K):
        value = np.log(m_k[k] + alpha)
        j = 0
        rep = 0
        last = -1
        for i in range(start, end):
            if switch[i] == 1:
                continue
            w = words[i]
            rep = rep + 1 if w == last else 0
            last = w
            value += np.log(n_kw[k, w] + beta + (beta_extra[k, w] if seeded else 0.0) + rep)
            value -= np.log(n_k[k] + beta_sum[k] + j)
            j += 1
        out[k] = value

"""numba kernels of the structural topic model's E-step (Laplace-approximate variational inference).

For one document with word counts :math:`c_w` (:math:`N = \\sum_w c_w`), topic-word
probabilities :math:`\\beta`, prior mean :math:`\\mu_d` and precision :math:`\\Sigma^{-1}`,
the E-step minimises over :math:`\\eta \\in \\mathbb{R}^{K-1}` (:math:`\\eta_K = 0`)

.. math::

    f(\\eta) = -\\sum_w c_w \\log \\sum_k e^{\\eta_k}\\beta_{kw} + N \\log \\sum_k e^{\\eta_k}
               + \\tfrac12 (\\eta - \\mu_d)^\\top \\Sigma^{-1} (\\eta - \\mu_d)

(stm's ``lhoodcpp``), with gradient :math:`-\\sum_w c_w \\phi_w + N\\theta + \\Sigma^{-1}(\\eta-\\mu_d)`
and Hessian :math:`\\sum_w c_w(\\phi_w\\phi_w^\\top - \\mathrm{diag}\\,\\phi_w) + N(\\mathrm{diag}\\,\\theta
- \\theta\\theta^\\top) + \\Sigma^{-1}` (first K−1 rows and columns), where
:math:`\\phi_{kw} \\propto e^{\\eta_k}\\beta_{kw}` sums to one over k and :math:`\\theta` is the
softmax of η (stm's ``gradcpp`` and ``hpbcpp``, src/STMCfuns.cpp). stm minimises with R's
BFGS; here a damped Newton method with a backtracking line search does it, to a tighter
tolerance. At the optimum the Hessian H is the precision of the Laplace approximation
:math:`q(\\eta) = N(\\lambda, \\nu = H^{-1})` and the document's contribution to the bound is

.. math::

    \\sum_w c_w \\log(\\theta^\\top\\beta_{\\cdot w}) - \\tfrac12\\log|H|
    - \\tfrac12(\\lambda-\\mu_d)^\\top\\Sigma^{-1}(\\lambda-\\mu_d) - \\tfrac12\\log|\\Sigma|

exactly as stm computes it; when H is not positive definite its diagonal is raised to
diagonal dominance first, as stm does.

The E-step runs documents in parallel (``prange``) over fixed chunks of 64 documents; each
chunk sums its own ν in document order and the chunks are added in order afterwards, so
results do not depend on the number of threads; the expected word counts are summed
serially in document order. Kernels hold no random state.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

CHUNK = 64


@njit(cache=True)
def _scaled_exp(eta, out):
    """out[k] = exp(eta_k − m) (eta_K = 0), m = max(0, max eta); returns the sum."""
    Km1 = eta.shape[0]
    m = 0.0
    for k in range(Km1):
        if eta[k] > m:
            m = eta[k]
    total = 0.0
    for k in range(Km1):
        out[k] = np.exp(eta[k] - m)
        total += out[k]
    out[Km1] = np.exp(-m)
    return total + out[Km1]


@njit(cache=True)
def _quad(eta, mu, siginv, diff, sdiff):
    """0.5 (eta − mu)' Σ⁻¹ (eta − mu); fills diff and sdiff = Σ⁻¹ diff."""
    Km1 = eta.shape[0]
    for k in range(Km1):
        diff[k] = eta[k] - mu[k]
    q = 0.0
    for k in range(Km1):
        s = 0.0
        for j in range(Km1):
            s += siginv[k, j] * diff[j]
        sdiff[k] = s
        q += diff[k] * s
    return 0.5 * q


@njit(cache=True)
def _objective(eta, mu, siginv, beta_t, idx, cnt, ntok, expo, diff, sdiff):
    """f(eta): the negative log posterior (up to constants), stm's lhoodcpp."""
    K = beta_t.shape[1]
    total = _scaled_exp(eta, expo)
    ll = 0.0
    for p in range(idx.shape[0]):
        w = idx[p]
        s = 0.0
        for k in range(K):
            s += expo[k] * beta_t[w, k]
        if s > 0.0:
            ll += cnt[p] * np.log(s)
    ll -= ntok * np.log(total)
    return -ll + _quad(eta, mu, siginv, diff, sdiff)


@njit(cache=True)
def _grad_hess(eta, mu, siginv, beta_t, idx, cnt, ntok, expo, phi, phisum, theta, diff, sdiff, grad, hess, want_hess):
    """Objective and gradient at eta (and the Hessian, if ``want_hess``); returns (f, log-likelihood term)."""
    K = beta_t.shape[1]
    Km1 = K - 1
    total = _scaled_exp(eta, expo)
    for k in range(K):
        theta[k] = expo[k] / total
        phisum[k] = 0.0
    if want_hess:
        for k in range(Km1):
            for j in range(k + 1):
                hess[k, j] = 0.0
    ll = 0.0
    for p in range(idx.shape[0]):
        w = idx[p]
        c = cnt[p]
        s = 0.0
        for k in range(K):
            phi[k] = expo[k] * beta_t[w, k]
            s += phi[k]
        if s <= 0.0:
            continue
        ll += c * np.log(s)
        inv = 1.0 / s
        for k in range(K):
            phi[k] *= inv
            phisum[k] += c * phi[k]
        if want_hess:
            for k in range(Km1):
                ck = c * phi[k]
                for j in range(k + 1):
                    hess[k, j] += ck * phi[j]
    ll -= ntok * np.log(total)
    q = _quad(eta, mu, siginv, diff, sdiff)
    for k in range(Km1):
        grad[k] = -phisum[k] + ntok * theta[k] + sdiff[k]
    if want_hess:
        for k in range(Km1):
            for j in range(k + 1):
                h = hess[k, j] - ntok * theta[k] * theta[j] + siginv[k, j]
                if j == k:
                    h += ntok * theta[k] - phisum[k]
                hess[k, j] = h
                hess[j, k] = h
    return -ll + q, ll


@njit(cache=True)
def _cholesky(A, L, shift):
    """Lower Cholesky factor of A + shift·I into L; False if not positive definite."""
    n = A.shape[0]
    for i in range(n):
        for j in range(i + 1):
            s = A[i, j] + (shift if i == j else 0.0)
            for k in range(j):
                s -= L[i, k] * L[j, k]
            if i == j:
                if s <= 0.0 or not np.isfinite(s):
                    return False
                L[i, i] = np.sqrt(s)
            else:
                L[i, j] = s / L[j, j]
        for j in range(i + 1, n):
            L[i, j] = 0.0
    return True


@njit(cache=True)
def _solve(L, b, out):
    """Solve (L L') out = b."""
    n = L.shape[0]
    for i in range(n):
        s = b[i]
        for k in range(i):
            s -= L[i, k] * out[k]
        out[i] = s / L[i, i]
    for i in range(n - 1, -1, -1):
        s = out[i]
        for k in range(i + 1, n):
            s -= L[k, i] * out[k]
        out[i] = s / L[i, i]


@njit(cache=True)
def _add_inverse(L, acc, col, work):
    """acc += (L L')⁻¹, column by column."""
    n = L.shape[0]
    for j in range(n):
        for i in range(n):
            col[i] = 1.0 if i == j else 0.0
        _solve(L, col, work)
        for i in range(n):
            acc[i, j] += work[i]


@njit(cache=True)
def _factor(hess, L):
    """Cholesky factor of the Hessian, shifted towards gradient descent where it is not positive definite."""
    shift = 0.0
    ok = _cholesky(hess, L, shift)
    while not ok and shift < 1e20:
        shift = 1e-6 if shift == 0.0 else shift * 10.0
        ok = _cholesky(hess, L, shift)
    return ok


@njit(cache=True)
def optimize_doc(eta, mu, siginv, beta_t, idx, cnt, ntok, max_iter, gtol, s):
    """Minimise f from eta (updated in place) by Newton's method with a backtracking line search.

    The Hessian is reused while steps with it keep reducing the gradient fast (a chord
    method: a gradient costs K operations per word, a Hessian K²/2) and recomputed when
    they do not. ``s`` is a tuple of scratch arrays (expo, phi, phisum, theta, diff, sdiff,
    grad, hess, L, step, trial); on return theta, grad and hess hold the values at the
    final eta. Returns the log-likelihood term Σ_w c_w log θ'β_w there.
    """
    expo, phi, phisum, theta, diff, sdiff, grad, hess, L, step, trial = s
    Km1 = eta.shape[0]
    f, ll = _grad_hess(eta, mu, siginv, beta_t, idx, cnt, ntok, expo, phi, phisum, theta, diff, sdiff, grad, hess, True)
    fresh = True  # the Hessian (and L) belong to the current eta
    if not _factor(hess, L):
        return ll
    gnorm_old = np.inf
    for _ in range(max_iter):
        gmax = 0.0
        for k in range(Km1):
            gmax = max(gmax, abs(grad[k]))
        if gmax < gtol:
            break
        if not fresh and gmax > 0.25 * gnorm_old:  # the old Hessian no longer pulls its weight
            f, ll = _grad_hess(
                eta, mu, siginv, beta_t, idx, cnt, ntok, expo, phi, phisum, theta, diff, sdiff, grad, hess, True
            )
            fresh = True
            if not _factor(hess, L):
                break
        gnorm_old = gmax
        _solve(L, grad, step)
        slope = 0.0
        for k in range(Km1):
            step[k] = -step[k]
            slope += grad[k] * step[k]
        if -slope < 2e-12 * (1.0 + abs(f)):  # Newton decrement: f is within 1e-12·|f| of its minimum
            break
        a = 1.0
        while True:
            for k in range(Km1):
                trial[k] = eta[k] + a * step[k]
            ft = _objective(trial, mu, siginv, beta_t, idx, cnt, ntok, expo, diff, sdiff)
            if ft <= f + 1e-4 * a * slope or a < 1e-10:
                break
            a *= 0.5
        if ft >= f:
            if fresh:  # no descent possible in floating point: converged as far as it goes
                break
            gnorm_old = 0.0  # retry with a fresh Hessian
            continue
        for k in range(Km1):
            eta[k] = trial[k]
        f, ll = _grad_hess(
            eta, mu, siginv, beta_t, idx, cnt, ntok, expo, phi, phisum, theta, diff, sdiff, grad, hess, False
        )
        fresh = False
    if not fresh:  # the bound and ν need the Hessian at the final eta
        f, ll = _grad_hess(
            eta, mu, siginv, beta_t, idx, cnt, ntok, expo, phi, phisum, theta, diff, sdiff, grad, hess, True
        )
    return ll


@njit(cache=True)
def laplace_bound(eta, mu, siginv, sigma_entropy, ll, s, nu_acc, col, work):
    """The document's bound at eta (stm's hpbcpp), from the Hessian in ``s`` (as optimize_doc leaves it);
    adds ν = H⁻¹ to nu_acc."""
    expo, phi, phisum, theta, diff, sdiff, grad, hess, L, step, trial = s
    Km1 = eta.shape[0]
    if not _cholesky(hess, L, 0.0):
        # stm: make the Hessian diagonally dominant, then factor
        for i in range(Km1):
            off = 0.0
            for j in range(Km1):
                if j != i:
                    off += abs(hess[i, j])
            if hess[i, i] < off:
                hess[i, i] = off
        if not _cholesky(hess, L, 0.0):
            _cholesky(hess, L, 1e-8 + np.abs(hess).max() * 1e-10)
    half_logdet = 0.0
    for i in range(Km1):
        half_logdet += np.log(L[i, i])
    q = _quad(eta, mu, siginv, diff, sdiff)
    _add_inverse(L, nu_acc, col, work)
    return ll - half_logdet - q - sigma_entropy


@njit(cache=True)
def _scratch(K):
    Km1 = K - 1
    return (
        np.empty(K),
        np.empty(K),
        np.empty(K),
        np.empty(K),
        np.empty(Km1),
        np.empty(Km1),
        np.empty(Km1),
        np.empty((Km1, Km1)),
        np.empty((Km1, Km1)),
        np.empty(Km1),
        np.empty(Km1),
    )


@njit(cache=True)
def _e_step_chunk(
    c, indptr, indices, counts, beta_t, aspect, mu, siginv, sigma_entropy, lam, bound, theta, nu_chunks, max_iter, gtol
):
    n_docs, Km1 = lam.shape
    K = Km1 + 1
    s = _scratch(K)
    col = np.empty(Km1)
    work = np.empty(Km1)
    eta = np.empty(Km1)
    acc = nu_chunks[c]
    acc[:, :] = 0.0
    for d in range(c * CHUNK, min((c + 1) * CHUNK, n_docs)):
        idx = indices[indptr[d] : indptr[d + 1]]
        cnt = counts[indptr[d] : indptr[d + 1]]
        ntok = 0.0
        for p in range(cnt.shape[0]):
            ntok += cnt[p]
        mu_d = mu[0] if mu.shape[0] == 1 else mu[d]
        for k in range(Km1):
            eta[k] = lam[d, k]
        ll = optimize_doc(eta, mu_d, siginv, beta_t[aspect[d]], idx, cnt, ntok, max_iter, gtol, s)
        bound[d] = laplace_bound(eta, mu_d, siginv, sigma_entropy, ll, s, acc, col, work)
        for k in range(Km1):
            lam[d, k] = eta[k]
        for k in range(K):
            theta[d, k] = s[3][k]


@njit(parallel=True, cache=True)
def e_step(
    indptr, indices, counts, beta_t, aspect, mu, siginv, sigma_entropy, lam, bound, theta, nu_chunks, max_iter, gtol
):
    """One E-step over all documents: updates lam (N × K−1) in place; fills bound (N), theta (N × K)
    and nu_chunks (one summed ν per chunk of CHUNK documents). ``beta_t`` is (A, V, K): the
    transposed topic-word probabilities of each aspect (A = 1 without a content covariate), and
    document d uses ``beta_t[aspect[d]]``. ``mu`` has one row, or one per document."""
    for c in prange(nu_chunks.shape[0]):
        _e_step_chunk(
            c,
            indptr,
            indices,
            counts,
            beta_t,
            aspect,
            mu,
            siginv,
            sigma_entropy,
            lam,
            bound,
            theta,
            nu_chunks,
            max_iter,
            gtol,
        )


@njit(cache=True)
def word_stats(col_ptr, rows, col_counts, beta_t, aspect, theta, out):
    """Expected topic-word counts per aspect: out[a, w, k] = Σ_{d in aspect a} c_dw θ_dk β_akw /
    Σ_j θ_dj β_ajw (documents in order); ``beta_t`` and ``out`` are (A, V, K)."""
    A, V, K = out.shape
    for w in range(V):
        for a in range(A):
            for k in range(K):
                out[a, w, k] = 0.0
        for p in range(col_ptr[w], col_ptr[w + 1]):
            d = rows[p]
            a = aspect[d]
            s = 0.0
            for k in range(K):
                s += theta[d, k] * beta_t[a, w, k]
            if s <= 0.0:
                continue
            f = col_counts[p] / s
            for k in range(K):
                out[a, w, k] += f * theta[d, k] * beta_t[a, w, k]


@njit(cache=True)
def local_nu(eta, mu, siginv, beta_t, idx, cnt, ntok, out):
    """ν = H⁻¹ of one document at eta (as in laplace_bound), written to out (for effect uncertainty)."""
    K = beta_t.shape[1]
    s = _scratch(K)
    out[:, :] = 0.0
    _, ll = _grad_hess(eta, mu, siginv, beta_t, idx, cnt, ntok, s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], True)
    laplace_bound(eta, mu, siginv, 0.0, ll, s, out, np.empty(K - 1), np.empty(K - 1))

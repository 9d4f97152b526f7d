"""numba kernels of the covariate Dirichlet-multinomial mixture: the Pólya-Gamma Gibbs pass over
the topics' coefficients. (The topic-assignment sweep is DMM's kernel, ``_dmm_kernels.gibbs_weighted``.)

Pure functions: the caller draws every random number and passes it in.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def pg_moments_one(c):
    """Mean and variance of PG(1, c) (Polson, Scott & Windle 2013): tanh(c/2)/(2c) and
    (2 tanh(c/2) − c/cosh²(c/2)) / (4c³), by their Taylor series near 0."""
    c = abs(c)
    if c < 1e-2:
        return 0.25 - c * c / 48.0, 1.0 / 24.0 - c * c / 120.0
    t = np.tanh(c / 2.0)
    sech2 = 0.0 if c > 1400.0 else 1.0 / np.cosh(c / 2.0) ** 2
    return t / (2.0 * c), (2.0 * t - c * sech2) / (4.0 * c**3)


@njit(cache=True, nogil=True)
def pg_draw(c, h, head, tail_normal):
    """One PG(h, c) draw from ``head[t]`` ~ Gamma(h, 1), t < T, and one standard normal.

    PG(h, c) = (1/2π²) Σ_t g_t / ((t − ½)² + c²/(4π²)), g_t ~ Gamma(h, 1): the first T terms
    exactly, the rest by a normal with the rest's exact mean and variance (clipped at 0), so
    the draw has PG's exact first two moments. With T = 20 the rest carries about 1 % of the
    mean and 3·10⁻⁶ of the variance, so its shape does not matter.
    """
    q = c * c / (4.0 * np.pi**2)
    total = 0.0
    mean_head = 0.0
    var_head = 0.0
    for t in range(head.shape[0]):
        a = 1.0 / (((t + 0.5) ** 2 + q) * 2.0 * np.pi**2)
        total += head[t] * a
        mean_head += a
        var_head += a * a
    mean, var = pg_moments_one(c)
    tail_mean = h * max(mean - mean_head, 0.0)
    tail_sd = np.sqrt(h * max(var - var_head, 0.0))
    return total + max(tail_mean + tail_sd * tail_normal, 0.0)


@njit(cache=True, nogil=True)
def pg_draws(c, h, head, tail_normals):
    """``pg_draw`` elementwise: c, h, tail_normals of length n, head (n, T)."""
    out = np.empty(c.shape[0])
    for i in range(c.shape[0]):
        out[i] = pg_draw(c[i], h[i], head[i], tail_normals[i])
    return out


@njit(cache=True, nogil=True)
def _row_sums(eta, g):
    """The row's largest value and Σ_j e^{η_gj − max}."""
    top = eta[g, 0]
    for j in range(1, eta.shape[1]):
        top = max(top, eta[g, j])
    total = 0.0
    for j in range(eta.shape[1]):
        total += np.exp(eta[g, j] - top)
    return top, total


@njit(cache=True, nogil=True)
def coefficient_pass(rows, sizes, hits, B, prior_precision, head, tail_normals, normals):
    """One Pólya-Gamma Gibbs pass over the coefficients of topics 0..K−2 (topic K − 1 the reference);
    updates ``B`` (columns × topics) in place.

    ``rows`` (G × P) are the distinct covariate rows, ``sizes`` their numbers of posts and
    ``hits`` (G × K) their posts in each topic. For topic k, with C_g = log Σ_{j≠k} e^{η_gj}:
    ω_g ~ PG(n_g, η_gk − C_g) (the sum of the posts' PG(1, ·) draws), then
    b_k ~ N(m, V), V⁻¹ = Rᵀ Ω R + prior_precision·I, m = V Rᵀ (κ + Ω C), κ_g = hits_gk − n_g/2.
    Random numbers: ``head`` (K−1, G, T) Gamma(n_g, 1) draws, ``tail_normals`` (K−1, G) and
    ``normals`` (K−1, P) standard normals.
    """
    G, P = rows.shape
    K = B.shape[1]
    eta = rows @ B
    shift = np.empty(G)
    total = np.empty(G)
    for g in range(G):
        shift[g], total[g] = _row_sums(eta, g)
    omega = np.empty(G)
    C = np.empty(G)
    for k in range(K - 1):
        for g in range(G):
            own = np.exp(eta[g, k] - shift[g])
            rest = total[g] - own
            if rest < 1e-8 * total[g]:  # topic k dominates the row: sum the others directly
                top = -np.inf
                for j in range(K):
                    if j != k:
                        top = max(top, eta[g, j])
                rest_sum = 0.0
                for j in range(K):
                    if j != k:
                        rest_sum += np.exp(eta[g, j] - top)
                C[g] = top + np.log(rest_sum)
            else:
                C[g] = shift[g] + np.log(rest)
            omega[g] = pg_draw(eta[g, k] - C[g], sizes[g], head[k, g], tail_normals[k, g])
        precision = np.eye(P) * prior_precision
        rhs = np.zeros(P)
        for g in range(G):
            kappa = hits[g, k] - sizes[g] / 2.0
            for a in range(P):
                rhs[a] += rows[g, a] * (kappa + omega[g] * C[g])
                for b in range(P):
                    precision[a, b] += rows[g, a] * omega[g] * rows[g, b]
        chol = np.linalg.cholesky(precision)
        mean = np.linalg.solve(precision, rhs)
        noise = np.linalg.solve(chol.T, normals[k])  # covariance precision⁻¹
        for a in range(P):
            B[a, k] = mean[a] + noise[a]
        for g in range(G):
            old = np.exp(eta[g, k] - shift[g])
            value = 0.0
            for a in range(P):
                value += rows[g, a] * B[a, k]
            eta[g, k] = value
            if value - shift[g] > 50.0 or old > 0.5 * total[g]:  # keep e^{η − shift} in range, no cancellation
                shift[g], total[g] = _row_sums(eta, g)
            else:
                total[g] += np.exp(value - shift[g]) - old

"""numba kernels of the spectral initialisation (stm's R/spectral.R), in a fixed summation order.

Every sum runs in a fixed order without BLAS, as R's reference arithmetic sums, so the
result does not depend on threads or on the BLAS library. Kernels hold no random state.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def _accurate_sum(x):
    """Σx with Neumaier's compensation: as R's sum(), which accumulates in extended precision."""
    s = 0.0
    c = 0.0
    for i in range(x.shape[0]):
        t = s + x[i]
        if abs(s) >= abs(x[i]):
            c += (s - t) + x[i]
        else:
            c += (x[i] - t) + s
        s = t
    return s + c


@njit(cache=True)
def expgrad(ytx, XtX, anchor_of, out, max_iter, tol):
    """stm's RecoverL2 by exponentiated gradient (R/spectral.R ``expgrad``), one word per row.

    For each non-anchor word w (``anchor_of[w] < 0``; ``ytx[w] = X Q_w`` with X the anchor rows),
    the weights a ≥ 0, Σa = 1 minimising ‖Q_w − a'X‖² start at 1/K and take multiplicative steps
    a ← a·exp(100·g − max(100·g)), g = X Q_w − XtX a, until the change in ‖g‖ falls below ``tol``
    or after ``max_iter`` steps; weights ≤ 0 become machine epsilon. An anchor word gets weight 1
    on its own topic.
    """
    V, K = ytx.shape
    for w in range(V):
        if anchor_of[w] >= 0:
            for k in range(K):
                out[w, k] = 1.0 if k == anchor_of[w] else 0.0
            continue
        alpha = np.full(K, 1.0 / K)
        grad = np.empty(K)
        sse_old = np.inf
        sq = np.empty(K)
        for it in range(max_iter):
            for k in range(K):
                z = 0.0
                for j in range(K):
                    z += XtX[j, k] * alpha[j]
                grad[k] = ytx[w, k] - z
                sq[k] = grad[k] * grad[k]
            sse = _accurate_sum(sq)
            top = -np.inf
            for k in range(K):
                grad[k] = 100.0 * grad[k]
                if grad[k] > top:
                    top = grad[k]
            for k in range(K):
                alpha[k] = alpha[k] * np.exp(grad[k] - top)
            total = _accurate_sum(alpha)
            for k in range(K):
                alpha[k] = alpha[k] / total
            if abs(np.sqrt(sse_old) - np.sqrt(sse)) < tol:
                break
            sse_old = sse
        for k in range(K):
            out[w, k] = alpha[k] if alpha[k] > 0.0 else 2.220446049250313e-16


@njit(cache=True)
def anchor_products(Qbar, anchors, XtX, ytx):
    """X = Qbar[anchors]: XtX = X X' and ytx = Qbar X', each entry summed over words in order."""
    K = anchors.shape[0]
    V = Qbar.shape[1]
    for i in range(K):
        for j in range(K):
            s = 0.0
            for v in range(V):
                s += Qbar[anchors[j], v] * Qbar[anchors[i], v]
            XtX[i, j] = s
    for w in range(Qbar.shape[0]):
        for k in range(K):
            s = 0.0
            for v in range(V):
                s += Qbar[anchors[k], v] * Qbar[w, v]
            ytx[w, k] = s


@njit(cache=True)
def project_out(Q, b, basis_mask, row_sq):
    """One Gram-Schmidt step of stm's ``fastAnchor``: rows (except chosen anchors) lose their component
    along the normalised anchor row b; row_sq gets the new squared row norms (0 for anchors)."""
    V = Q.shape[1]
    for i in range(Q.shape[0]):
        if basis_mask[i]:
            row_sq[i] = 0.0
            continue
        ip = 0.0
        for j in range(V):
            ip += Q[i, j] * Q[b, j]
        s = 0.0
        for j in range(V):
            Q[i, j] = Q[i, j] - ip * Q[b, j]
            s += Q[i, j] * Q[i, j]
        row_sq[i] = s


@njit(cache=True)
def _gauss_solve(M, rhs, n, x):
    """Solve the n × n system M[:n, :n] x = rhs[:n] by Gaussian elimination with partial pivoting (in place)."""
    for i in range(n):
        piv = i
        for r in range(i + 1, n):
            if abs(M[r, i]) > abs(M[piv, i]):
                piv = r
        if piv != i:
            for j in range(n):
                M[i, j], M[piv, j] = M[piv, j], M[i, j]
            rhs[i], rhs[piv] = rhs[piv], rhs[i]
        for r in range(i + 1, n):
            f = M[r, i] / M[i, i]
            for j in range(i, n):
                M[r, j] -= f * M[i, j]
            rhs[r] -= f * rhs[i]
    for i in range(n - 1, -1, -1):
        v = rhs[i]
        for j in range(i + 1, n):
            v -= M[i, j] * x[j]
        x[i] = v / M[i, i]


@njit(cache=True)
def _simplex_qp(G, b, a, free, idx, M, rhs, x):
    """min ½a'Ga − b'a subject to a ≥ 0, Σa = 1, by a primal active-set method (G positive definite)."""
    K = b.shape[0]
    for k in range(K):
        a[k] = 1.0 / K
        free[k] = True
    for _ in range(50 * K):
        # minimiser on the free set with Σ = 1: [G_ff 1; 1' 0][x; nu] = [b_f; 1]
        n = 0
        for k in range(K):
            if free[k]:
                idx[n] = k
                n += 1
        for i in range(n):
            for j in range(n):
                M[i, j] = G[idx[i], idx[j]]
            M[i, n] = 1.0
            M[n, i] = 1.0
            rhs[i] = b[idx[i]]
        M[n, n] = 0.0
        rhs[n] = 1.0
        _gauss_solve(M, rhs, n + 1, x)
        feasible = True
        for i in range(n):
            if x[i] < 0.0:
                feasible = False
        if feasible:
            for k in range(K):
                a[k] = 0.0
            for i in range(n):
                a[idx[i]] = x[i]
            # a fixed weight enters when its reduced gradient is negative
            best, enter = -1e-14, -1
            for k in range(K):
                if not free[k]:
                    g = x[n] - b[k]
                    for j in range(K):
                        g += G[k, j] * a[j]
                    if g < best:
                        best, enter = g, k
            if enter < 0:
                return
            free[enter] = True
        else:
            # move from a towards x until a weight reaches zero; that weight leaves the free set
            t, leave = 1.0, -1
            for i in range(n):
                k = idx[i]
                if x[i] < 0.0 and a[k] - x[i] > 0.0:
                    ti = a[k] / (a[k] - x[i])
                    if ti < t:
                        t, leave = ti, k
            for i in range(n):
                k = idx[i]
                a[k] = a[k] + t * (x[i] - a[k])
            if leave >= 0:
                a[leave] = 0.0
                free[leave] = False


@njit(cache=True)
def recover_exact(ytx, XtX, anchor_of, out):
    """RecoverL2 solved exactly (stm's ``recoverEG = FALSE``, quadprog): one simplex-constrained least squares per word."""
    V, K = ytx.shape
    for w in range(V):
        if anchor_of[w] >= 0:
            for k in range(K):
                out[w, k] = 1.0 if k == anchor_of[w] else 0.0
            continue
        a = np.empty(K)
        _simplex_qp(
            XtX,
            ytx[w],
            a,
            np.empty(K, dtype=np.bool_),
            np.empty(K, dtype=np.int64),
            np.empty((K + 1, K + 1)),
            np.empty(K + 1),
            np.empty(K + 1),
        )
        for k in range(K):
            out[w, k] = a[k] if a[k] > 0.0 else 2.220446049250313e-16

"""Theme shares corrected for the scorer's misclassification, measured on hand-coded posts.

A scorer's share of posts in a theme ("classify and count") is biased whenever it confuses
themes: a theme it over-predicts gains the posts of the themes it takes them from. With
coded posts, the misclassification matrix
$M_{ij} = P(\\text{predicted}=j \\mid \\text{true}=i)$ is estimated from the coded posts'
(out-of-fold) predictions, and the observed shares $q$ of the scored posts satisfy
$q = M^\\top p$ for the true shares $p$. *Adjusted classify and count* (Forman 2008;
Hopkins & King 2010 for the same identity in text analysis) solves it for $p$; here as
non-negative least squares with the shares summing to one (a heavily weighted extra
row), which keeps $p$ in the simplex where the unconstrained inverse would leave it.

Intervals carry both uncertainties: each bootstrap replicate resamples the accounts (the
observed shares, as the unadjusted intervals do) *and* the coded posts (the matrix), and
solves again; percentile intervals. The correction assumes the scorer errs on the scored
posts as it erred on the coded ones: code a random sample of the same posts (not an
actively chosen one, whose posts are harder than the rest), and treat group-level
corrections (by agency, by month) as assuming the same error rates in every group.

Example
-------
>>> classes = ["a", "b"]
>>> pred = np.array(["a"] * 60 + ["b"] * 40)          # the scorer's labels of 100 posts
>>> coded_pred = np.array(["a", "a", "a", "b"] * 10)   # on 40 coded posts it called a quarter of true a's "b"
>>> gold = np.array(["a"] * 40)
>>> t = adjusted_shares(pred, classes, coded_pred, gold, n_boot=0)
>>> t[["theme", "unadjusted", "estimate"]].round(3).values.tolist()
[['a', 0.6, 0.8], ['b', 0.4, 0.2]]
"""

from __future__ import annotations

from typing import Any, Sequence, cast

import numpy as np
import pandas as pd
from scipy.optimize import nnls

from ...core.bootstrap import cluster_totals, resample_totals
from ...core.validation import check_random_state

__all__ = ["adjusted_shares", "misclassification_matrix"]


def misclassification_matrix(predicted: Sequence[Any], gold: Sequence[Any], classes: Sequence[Any]) -> np.ndarray:
    """$M_{ij}$ = share of coded posts of true class ``classes[i]`` predicted as ``classes[j]``
    (a class nobody coded: the identity row, i.e. no correction for it).

    Example
    -------
    >>> misclassification_matrix(["a", "b", "b"], ["a", "a", "b"], ["a", "b"]).tolist()
    [[0.5, 0.5], [0.0, 1.0]]
    """
    index = {c: i for i, c in enumerate(classes)}
    bad = sorted({str(v) for v in list(predicted) + list(gold) if v not in index})
    if bad:
        raise ValueError(f"labels {bad} are not among the classes {list(classes)}")
    k = len(classes)
    counts = np.zeros((k, k))
    np.add.at(counts, ([index[g] for g in gold], [index[p] for p in predicted]), 1.0)
    return _rows(counts)


def _rows(counts: np.ndarray) -> np.ndarray:
    """Row-normalised counts (stacked ``... × k × k``); empty rows become identity rows."""
    totals = counts.sum(axis=-1, keepdims=True)
    eye = np.broadcast_to(np.eye(counts.shape[-1]), counts.shape)
    return np.where(totals > 0, counts / np.where(totals > 0, totals, 1.0), eye)


def _solve(M: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Shares ``p >= 0`` summing to 1 that best satisfy ``M.T @ p = q``."""
    k = len(q)
    weight = 1e3
    A = np.vstack([M.T, np.full((1, k), weight)])
    b = np.concatenate([q, [weight]])
    p, _ = nnls(A, b)
    total = p.sum()
    return p / total if total > 0 else np.full(k, 1.0 / k)


def adjusted_shares(
    labels: Sequence[Any],
    classes: Sequence[Any],
    coded_predicted: Sequence[Any],
    coded_gold: Sequence[Any],
    *,
    accounts: Sequence[Any] | None = None,
    n_boot: int = 1000,
    level: float = 0.95,
    random_state: int | np.random.Generator | None = None,
) -> pd.DataFrame:
    """Shares of ``classes`` among ``labels`` (the scorer's labels of all posts), corrected by the
    misclassification the coded posts show (``coded_predicted`` against ``coded_gold``).

    Returns ``theme, unadjusted, estimate, low, high, level, n`` (``n``: posts scored); the
    interval resamples ``accounts`` (posts when none are given) and the coded posts together.

    Example
    -------
    >>> t = adjusted_shares(["a", "b", "a", "a"], ["a", "b"], ["a", "a", "b"], ["a", "b", "b"], n_boot=50,
    ...                     random_state=0)
    >>> bool(t["estimate"].sum().round(6) == 1.0), bool((t["low"] <= t["high"]).all())
    (True, True)
    """
    classes = list(classes)
    index = {c: i for i, c in enumerate(classes)}
    labels = list(labels)
    unknown = sorted({str(v) for v in labels if v not in index})
    if unknown:
        raise ValueError(f"labels {unknown} are not among the classes {classes}")
    if len(coded_predicted) != len(coded_gold) or not len(coded_gold):
        raise ValueError(
            f"give one prediction per coded post: {len(coded_predicted)} predictions, {len(coded_gold)} coded labels"
        )
    onehot = np.zeros((len(labels), len(classes)))
    onehot[np.arange(len(labels)), [index[v] for v in labels]] = 1.0
    units = cluster_totals(
        onehot, cast(Sequence[Any], accounts if accounts is not None else np.arange(len(labels))), single_by_rows=True
    )
    q = units.sum(axis=0) / units.sum()
    M = misclassification_matrix(coded_predicted, coded_gold, classes)
    p = _solve(M, q)
    low = high = np.full(len(classes), np.nan)
    if n_boot:
        rng = check_random_state(random_state)
        draws = resample_totals(units, int(n_boot), rng)
        qs = draws / draws.sum(axis=1, keepdims=True)
        pairs = np.array([[index[g], index[c]] for g, c in zip(coded_gold, coded_predicted)])
        picks = rng.integers(0, len(pairs), size=(int(n_boot), len(pairs)))
        counts = np.zeros((int(n_boot), len(classes), len(classes)))
        for b in range(int(n_boot)):
            np.add.at(counts[b], (pairs[picks[b], 0], pairs[picks[b], 1]), 1.0)
        Ms = _rows(counts)
        boot = np.array([_solve(Ms[b], qs[b]) for b in range(int(n_boot))])
        tail = (1 - float(level)) / 2 * 100
        low, high = np.percentile(boot, [tail, 100 - tail], axis=0)
    return pd.DataFrame(
        {
            "theme": classes,
            "unadjusted": q,
            "estimate": p,
            "low": low,
            "high": high,
            "level": float(level),
            "n": len(labels),
        }
    )

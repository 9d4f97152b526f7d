"""Agreement between a scorer and a human coder, with bootstrap intervals.

Krippendorff's alpha for nominal data (Krippendorff 2004, *Content Analysis*, ch. 11):
with the coincidence matrix :math:`o_{ck}` of the two coders' values over all posts,
:math:`n_c = \\sum_k o_{ck}` and :math:`n = \\sum_c n_c`,

.. math::

    \\alpha = 1 - (n - 1)\\,\\frac{\\sum_{c \\ne k} o_{ck}}{\\sum_{c \\ne k} n_c n_k}.

Example
-------
>>> round(krippendorff_alpha(["a", "a", "b", "b"], ["a", "a", "b", "a"]), 3)
0.533
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import pandas as pd
from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support

from ...core.validation import check_random_state

__all__ = ["krippendorff_alpha", "classification_agreement"]


def krippendorff_alpha(coder_a: Sequence[Any], coder_b: Sequence[Any]) -> float:
    """Krippendorff's alpha (nominal) between two coders who coded the same posts.

    Example
    -------
    >>> krippendorff_alpha(["x", "y", "x"], ["x", "y", "x"])
    1.0
    """
    a, b = np.asarray(coder_a, dtype=object), np.asarray(coder_b, dtype=object)
    if len(a) != len(b):
        raise ValueError(f"the coders coded different numbers of posts ({len(a)} and {len(b)})")
    values = sorted(set(a) | set(b), key=str)
    index = {v: i for i, v in enumerate(values)}
    o = np.zeros((len(values), len(values)))
    for x, y in zip(a, b):  # each pair contributes both ordered pairs (m_u - 1 = 1)
        o[index[x], index[y]] += 1
        o[index[y], index[x]] += 1
    n_c = o.sum(axis=1)
    n = n_c.sum()
    disagree_observed = o.sum() - np.trace(o)
    disagree_expected = (np.outer(n_c, n_c).sum() - (n_c ** 2).sum())
    if disagree_expected == 0:
        return 1.0 if disagree_observed == 0 else float("nan")
    return float(1.0 - (n - 1) * disagree_observed / disagree_expected)


def classification_agreement(truth: Sequence[Any], predicted: Sequence[Any], *, n_boot: int = 1000,
                             level: float = 0.95, random_state: int | np.random.Generator | None = 0
                             ) -> dict[str, pd.DataFrame]:
    """Macro-F1, accuracy and Krippendorff's alpha, per-class precision/recall/F1, and the
    confusion matrix; each score with a percentile bootstrap interval over posts.

    Returns ``{"summary", "per_class", "confusion"}``.

    Example
    -------
    >>> out = classification_agreement(["a", "b", "a", "b"], ["a", "b", "b", "b"], n_boot=50)
    >>> float(out["summary"].set_index("metric").loc["accuracy", "estimate"])
    0.75
    """
    y, p = np.asarray(truth, dtype=object), np.asarray(predicted, dtype=object)
    if len(y) != len(p):
        raise ValueError(f"{len(y)} coded labels but {len(p)} predictions")
    if len(y) == 0:
        raise ValueError("no posts to compare")
    classes = sorted(set(y), key=str)
    rng = check_random_state(random_state)

    def summary_of(yy: np.ndarray, pp: np.ndarray) -> list[float]:
        return [f1_score(yy, pp, labels=classes, average="macro", zero_division=0), float(np.mean(yy == pp)),
                krippendorff_alpha(yy, pp)]

    def per_class_of(yy: np.ndarray, pp: np.ndarray) -> np.ndarray:
        prf = precision_recall_fscore_support(yy, pp, labels=classes, zero_division=0)[:3]
        return np.vstack(prf).T  # classes × (precision, recall, f1)

    point_s, point_c = summary_of(y, p), per_class_of(y, p)
    boots_s, boots_c = [], []
    for _ in range(int(n_boot)):
        idx = rng.integers(0, len(y), len(y))
        boots_s.append(summary_of(y[idx], p[idx]))
        boots_c.append(per_class_of(y[idx], p[idx]))
    tail = (1 - level) / 2 * 100
    bs, bc = np.asarray(boots_s), np.asarray(boots_c)
    lo_s, hi_s = (np.nanpercentile(bs, [tail, 100 - tail], axis=0) if n_boot else
                  (np.full(3, np.nan), np.full(3, np.nan)))
    summary = pd.DataFrame({"metric": ["macro_f1", "accuracy", "krippendorff_alpha"], "estimate": point_s,
                            "low": lo_s, "high": hi_s})
    rows = []
    for i, c in enumerate(classes):
        for j, metric in enumerate(("precision", "recall", "f1")):
            lo, hi = (np.percentile(bc[:, i, j], [tail, 100 - tail]) if n_boot else (np.nan, np.nan))
            rows.append({"class": c, "metric": metric, "estimate": float(point_c[i, j]), "low": float(lo),
                         "high": float(hi), "support": int((y == c).sum())})
    labels = classes + sorted(set(p) - set(classes), key=str)
    confusion = pd.DataFrame(confusion_matrix(y, p, labels=labels), index=pd.Index(labels, name="coded"),
                             columns=pd.Index(labels, name="predicted"))
    return {"summary": summary, "per_class": pd.DataFrame(rows), "confusion": confusion}

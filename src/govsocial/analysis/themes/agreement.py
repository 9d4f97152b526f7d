"""Agreement between a scorer and a human coder, with bootstrap intervals.

Krippendorff's alpha for nominal data (Krippendorff 2004, *Content Analysis*, ch. 11):
with the coincidence matrix :math:`o_{ck}` of the two coders' values over all posts,
:math:`n_c = \\sum_k o_{ck}` and :math:`n = \\sum_c n_c`,

.. math::

    \\alpha = 1 - (n - 1)\\,\\frac{\\sum_{c \\ne k} o_{ck}}{\\sum_{c \\ne k} n_c n_k}.

For two coders the coincidence matrix is the confusion matrix plus its transpose,
:math:`o = C + C^\\top`, so every statistic here is a function of the confusion matrix.
The bootstrap uses that: resampling the :math:`N` posts with replacement makes the
resampled confusion matrix a multinomial draw of :math:`N` posts over its cells with
probabilities :math:`C_{gp}/N` (the same distribution as drawing post indices), so
1,000 resamples are one ``multinomial`` call and a few array operations.

Example
-------
>>> round(krippendorff_alpha(["a", "a", "b", "b"], ["a", "a", "b", "a"]), 3)
0.533
"""

from __future__ import annotations

import warnings
from typing import Any, Iterable, Mapping

import numpy as np
import pandas as pd

from ...core.validation import check_random_state

__all__ = ["krippendorff_alpha", "classification_agreement", "apply_mapping"]


def krippendorff_alpha(coder_a: Iterable[Any], coder_b: Iterable[Any]) -> float:
    """Krippendorff's alpha (nominal) between two coders who coded the same posts.

    Example
    -------
    >>> krippendorff_alpha(["x", "y", "x"], ["x", "y", "x"])
    1.0
    """
    a, b = np.asarray(list(coder_a), dtype=object), np.asarray(list(coder_b), dtype=object)
    if len(a) != len(b):
        raise ValueError(f"the coders coded different numbers of posts ({len(a)} and {len(b)})")
    values = sorted(set(a) | set(b), key=str)
    return float(_alpha(_confusion(a, b, values)[None])[0])


def apply_mapping(labels: Iterable[Any], mapping: Mapping[Any, Any], *, what: str = "predicted") -> np.ndarray:
    """Map fine labels onto a coarser scheme: a label that is a key of ``mapping`` becomes its
    value, a label that already is one of the coarse values stays; any other label is an
    error that names it.

    Example
    -------
    >>> apply_mapping(["news", "survey", "info"], {"news": "info", "survey": "ask"}).tolist()
    ['info', 'ask', 'info']
    """
    values = np.asarray(list(labels), dtype=object)
    coarse = set(mapping.values())
    unknown = sorted({v for v in values if v not in mapping and v not in coarse}, key=str)
    if unknown:
        raise ValueError(
            f"{what} label(s) {unknown} are neither keys of the mapping nor among its coarse labels "
            f"{sorted(coarse, key=str)}; add them to the mapping"
        )
    return np.asarray([mapping.get(v, v) for v in values], dtype=object)


def classification_agreement(
    predicted: Iterable[Any],
    gold: Iterable[Any],
    mapping: Mapping[Any, Any] | None = None,
    n_boot: int = 1000,
    random_state: int | np.random.Generator | None = None,
    *,
    level: float = 0.95,
) -> dict[str, pd.DataFrame]:
    """How well predicted labels agree with a coder's (gold) labels, for any classifier.

    Macro-F1 (over the gold classes), accuracy and Krippendorff's alpha; per-class
    precision, recall and F1; each with a percentile bootstrap interval over posts
    (``n_boot`` resamples, ``level`` coverage; ``n_boot=0`` gives no interval); and the
    confusion matrix (rows: gold, columns: predicted). Scores with no denominator (a
    class never predicted) are 0, as in scikit-learn with ``zero_division=0``.

    ``mapping`` (``{fine label: coarse label}``) maps ``predicted`` onto a coarser scheme
    first, and ``gold`` too where it holds fine labels (gold labels that are already
    coarse stay); a label that is neither a key nor a coarse value is an error naming it.

    Returns ``{"summary", "per_class", "confusion"}`` tables; ``summary`` has columns
    ``measure, estimate, low, high, level, n`` (``n``: posts compared; ``measure`` as in the
    other tables of govsocial); ``per_class`` has
    ``class`` first and ``n`` = the class's coded posts (also as ``support``, its earlier name).
    The bootstrap of 8,900 posts × 1,000 resamples takes milliseconds (see
    ``experiments/benchmarks/bench_agreement.py``).

    Example
    -------
    >>> out = classification_agreement(["a", "b", "b", "b"], ["a", "b", "a", "b"], n_boot=200, random_state=0)
    >>> s = out["summary"].set_index("measure")
    >>> float(s.loc["accuracy", "estimate"])
    0.75
    >>> bool(s.loc["macro_f1", "low"] <= s.loc["macro_f1", "estimate"] <= s.loc["macro_f1", "high"])
    True
    >>> six_to_two = {"news": "inform", "services": "inform", "survey": "ask"}
    >>> out = classification_agreement(["news", "services", "survey"], ["inform", "inform", "inform"], six_to_two,
    ...                                n_boot=0)
    >>> out["confusion"].loc["inform"].tolist()  # gold "inform": predicted inform twice, ask once
    [2, 1]
    """
    p, y = np.asarray(list(predicted), dtype=object), np.asarray(list(gold), dtype=object)
    _check_inputs(p, y, level, n_boot)
    if mapping is not None:
        p, y = apply_mapping(p, mapping, what="predicted"), apply_mapping(y, mapping, what="gold")
    classes = sorted(set(y), key=str)
    labels = classes + sorted(set(p) - set(classes), key=str)
    confusion = _confusion(y, p, labels)
    k = len(classes)
    point = _metrics(confusion[None], k)
    boots = _metrics(_resample(confusion, int(n_boot), check_random_state(random_state)), k) if n_boot else None
    tail = (1 - float(level)) / 2 * 100

    def interval(metric: str) -> tuple[np.ndarray, np.ndarray]:
        if boots is None:
            nan = np.full(point[metric].shape[1:], np.nan)
            return nan, nan
        with warnings.catch_warnings():  # alpha is undefined in a resample that holds one class only
            warnings.simplefilter("ignore", RuntimeWarning)
            low, high = np.nanpercentile(boots[metric], [tail, 100 - tail], axis=0)
        return low, high

    names = ["macro_f1", "accuracy", "krippendorff_alpha"]
    bounds = [interval(m) for m in names]
    summary = pd.DataFrame(
        {
            "measure": names,
            "estimate": [float(point[m][0]) for m in names],
            "low": [float(b[0]) for b in bounds],
            "high": [float(b[1]) for b in bounds],
            "level": float(level),
            "n": len(y),
        }
    )
    metrics = ("precision", "recall", "f1")
    per_bounds = {m: interval(m) for m in metrics}
    support = confusion.sum(axis=1)
    per_class = pd.DataFrame(
        [
            {
                "class": c,
                "measure": m,
                "estimate": float(point[m][0, i]),
                "low": float(per_bounds[m][0][i]),
                "high": float(per_bounds[m][1][i]),
                "level": float(level),
                "n": int(support[i]),
                "support": int(support[i]),
            }
            for i, c in enumerate(classes)
            for m in metrics
        ]
    )
    table = pd.DataFrame(confusion, index=pd.Index(labels, name="coded"), columns=pd.Index(labels, name="predicted"))
    return {"summary": summary, "per_class": per_class, "confusion": table}


def _check_inputs(p: np.ndarray, y: np.ndarray, level: float, n_boot: int) -> None:
    """One prediction per coded label, some posts, a level in (0, 1) and n_boot >= 0."""
    if len(y) != len(p):
        raise ValueError(f"{len(p)} predictions but {len(y)} coded (gold) labels; pass one of each per post")
    if len(y) == 0:
        raise ValueError("no posts to compare: predicted and gold are empty")
    if not 0 < float(level) < 1:
        raise ValueError(f"level must be in (0, 1); got {level!r}")
    if int(n_boot) < 0:
        raise ValueError(f"n_boot must be an int >= 0; got {n_boot!r}")


def _confusion(gold: np.ndarray, predicted: np.ndarray, labels: list[Any]) -> np.ndarray:
    """Counts of (gold, predicted) pairs over ``labels`` (rows gold), via one bincount."""
    index = {v: i for i, v in enumerate(labels)}
    k = len(labels)
    codes = np.fromiter((index[g] * k + index[q] for g, q in zip(gold, predicted)), dtype=np.int64, count=len(gold))
    return np.bincount(codes, minlength=k * k).reshape(k, k)


def _resample(confusion: np.ndarray, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """``n_boot`` confusion matrices of posts resampled with replacement (multinomial over cells)."""
    n = int(confusion.sum())
    cells = confusion.ravel() / n
    return rng.multinomial(n, cells, size=n_boot).reshape(n_boot, *confusion.shape)


def _safe_divide(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    out = np.zeros(np.broadcast_shapes(num.shape, den.shape))
    np.divide(num, den, out=out, where=den > 0)
    return out


def _metrics(conf: np.ndarray, k: int) -> dict[str, np.ndarray]:
    """Scores of a stack of confusion matrices (``B × L × L``; the first ``k`` labels are the gold
    classes): arrays of length B (summary) or B × k (per class)."""
    conf = conf.astype(np.float64)
    tp = np.diagonal(conf, axis1=1, axis2=2)[:, :k]
    gold_n, pred_n = conf.sum(axis=2)[:, :k], conf.sum(axis=1)[:, :k]
    f1 = _safe_divide(2 * tp, gold_n + pred_n)
    return {
        "precision": _safe_divide(tp, pred_n),
        "recall": _safe_divide(tp, gold_n),
        "f1": f1,
        "macro_f1": f1.mean(axis=1),
        "accuracy": np.trace(conf, axis1=1, axis2=2) / conf.sum(axis=(1, 2)),
        "krippendorff_alpha": _alpha(conf),
    }


def _alpha(conf: np.ndarray) -> np.ndarray:
    """Krippendorff's alpha (nominal) of each confusion matrix in a ``B × L × L`` stack."""
    o = conf + np.swapaxes(conf, 1, 2)  # coincidences: each post gives both ordered pairs
    n_c = o.sum(axis=2)
    n = n_c.sum(axis=1)
    observed = n - np.trace(o, axis1=1, axis2=2)
    expected = n**2 - (n_c**2).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = 1.0 - (n - 1) * observed / expected
    return np.where(expected == 0, np.where(observed == 0, 1.0, np.nan), alpha)

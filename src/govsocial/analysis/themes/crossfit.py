"""Out-of-fold predictions: validating a scorer on the posts it was trained on, never in-sample.

When the same hand-coded posts train a scorer and validate it, agreement measured on the
training posts flatters it. k-fold cross-fitting splits the coded posts into ``folds``
parts (stratified by label when every label has at least ``folds`` posts); each part is
predicted by a fresh copy of the scorer that was fitted with that part's labels hidden —
for ``method="semi"`` the hidden posts stay in the fit as uncoded posts (they shape the
representation, as every uncoded post does), for ``"supervised"`` they are left out.
Every coded post thus gets one prediction from a model that never saw its label
(Hastie, Tibshirani & Friedman 2009, §7.10; Chernozhukov et al. 2018 call the same
sample splitting *cross-fitting*).

Example
-------
>>> from govsocial.analysis.themes.scorer import ThemeScorer
>>> posts = ["road closed", "take our survey", "road works", "survey open", "road shut", "survey now"] * 2
>>> labels = ["info", "ask", "info", "ask", "info", "ask"] * 2
>>> out = cross_fit(ThemeScorer(None, "supervised", random_state=0), posts, labels, folds=3, random_state=0)
>>> float((out == np.asarray(labels, dtype=object)).mean())
1.0
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import pandas as pd
from sklearn.base import clone

from ...core.validation import check_random_state

__all__ = ["cross_fit", "fold_of"]


def _coded(labels: Sequence[Any]) -> np.ndarray:
    return np.array(
        [v is not None and v is not pd.NA and not (isinstance(v, float) and np.isnan(v)) for v in labels], dtype=bool
    )


def fold_of(labels: Sequence[Any], folds: int = 5, random_state: int | np.random.Generator | None = None) -> np.ndarray:
    """The fold (0 … ``folds`` − 1) of each coded post, −1 for uncoded ones (``None``/NaN):
    stratified by label when every label has at least ``folds`` posts, otherwise plain
    shuffled folds; deterministic given ``random_state``.

    Example
    -------
    >>> fold_of(["a", "b", None, "a", "b", "a"], folds=2, random_state=0).tolist().count(-1)
    1
    """
    from sklearn.model_selection import KFold, StratifiedKFold

    folds = int(folds)
    labels = list(labels)
    coded = np.flatnonzero(_coded(labels))
    if folds < 2 or folds > len(coded):
        raise ValueError(f"folds must be between 2 and the number of coded posts ({len(coded)}); got {folds}")
    y = np.asarray([str(labels[i]) for i in coded], dtype=object)
    seed = int(check_random_state(random_state).integers(2**31 - 1))
    smallest = pd.Series(y).value_counts().min()
    splitter = (
        StratifiedKFold(folds, shuffle=True, random_state=seed)
        if smallest >= folds
        else KFold(folds, shuffle=True, random_state=seed)
    )
    out = np.full(len(labels), -1, dtype=np.int64)
    for k, (_, held) in enumerate(splitter.split(np.zeros(len(y)), y)):
        out[coded[held]] = k
    return out


def _take(posts: Any, rows: np.ndarray) -> Any:
    if isinstance(posts, (pd.DataFrame, pd.Series)):
        return posts.iloc[rows]
    return [posts[i] for i in rows]


def cross_fit(
    scorer: Any,
    posts: Any,
    labels: Sequence[Any],
    *,
    folds: int = 5,
    random_state: int | np.random.Generator | None = None,
) -> np.ndarray:
    """Out-of-fold predicted labels of the coded posts (``None`` for uncoded posts).

    ``scorer`` is an unfitted estimator with ``method`` ``"semi"`` or ``"supervised"``
    (a :class:`~govsocial.ThemeScorer`, or any classifier taking posts); it is cloned for
    each fold. ``labels`` holds one label per post, ``None`` for posts nobody coded.

    Example
    -------
    >>> from govsocial.analysis.themes.scorer import ThemeScorer
    >>> posts = ["road closed", "survey open", "road works", "take the survey", "thanks"] * 2
    >>> labels = ["info", "ask", "info", "ask", None] * 2
    >>> s = ThemeScorer(None, "semi", n_topics=2, n_iter=5, random_state=0)
    >>> pred = cross_fit(s, posts, labels, folds=2, random_state=0)
    >>> pred[4] is None, len(pred)
    (True, 10)
    """
    labels = list(labels)
    if len(labels) != len(posts):
        raise ValueError(f"{len(posts)} posts but {len(labels)} labels; give one label (or None) per post")
    fold = fold_of(labels, folds, random_state)
    semi = getattr(scorer, "method", None) == "semi"
    out = np.full(len(labels), None, dtype=object)
    for k in range(int(folds)):
        held = np.flatnonzero(fold == k)
        model = clone(scorer)
        if semi:
            model.fit(posts, [None if fold[i] == k else v for i, v in enumerate(labels)])
        else:
            train = np.flatnonzero((fold >= 0) & (fold != k))
            model.fit(_take(posts, train), [labels[i] for i in train])
        out[held] = model.predict(_take(posts, held))
    return out

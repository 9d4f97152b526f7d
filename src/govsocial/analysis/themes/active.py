"""Which posts to code next: batch-mode active learning by uncertainty with diversity.

Uncertainty sampling (Lewis & Gale 1994; survey: Settles 2009, *Active Learning
Literature Survey*, University of Wisconsin–Madison CS TR 1648) asks the coder about the
posts the current classifier is least sure of. Asking for a *batch* of the most
uncertain posts wastes effort on near-copies (government accounts repeat templates), so
the batch is spread out: the ``pool`` × ``n`` most uncertain posts (one per distinct text)
are clustered into ``n`` groups by k-means (k-means++ initialisation, each post weighted
by its uncertainty) in the classifier's own representation, and the post nearest each
centre is chosen — "diverse mini-batch active learning" (Zhdanov 2019, arXiv:1901.05954);
Ein-Dor et al. (2020, *Active Learning for BERT: An Empirical Study*, EMNLP) found such
diversity-aware batches help most when labels are few and classes imbalanced.

Uncertainty of a post with class probabilities :math:`p_{(1)} \\ge p_{(2)} \\ge \\dots`:
``"margin"`` :math:`u = 1 - (p_{(1)} - p_{(2)})`; ``"entropy"``
:math:`u = -\\sum_c p_c \\log p_c / \\log C`. Both lie in [0, 1].

Example
-------
>>> import numpy as np
>>> proba = np.array([[0.9, 0.1], [0.5, 0.5], [0.6, 0.4], [0.55, 0.45]])
>>> uncertainty(proba).round(2).tolist()
[0.2, 1.0, 0.8, 0.9]
>>> X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.1], [0.0, 1.0]])
>>> select_batch(X, uncertainty(proba), 2, keys=["a", "b", "c", "b"], random_state=0).tolist()
[1, 2]
"""

from __future__ import annotations

import hashlib
import re
from typing import Any, Sequence

import numpy as np
import scipy.sparse as sp

from ...core.validation import check_random_state

__all__ = ["STRATEGIES", "text_keys", "uncertainty", "select_batch"]

STRATEGIES = ("margin", "entropy", "random")
_NOISE = re.compile(r"https?://\S+|www\.\S+|@\w+|[^\w#]+", re.UNICODE)


def text_keys(texts: Sequence[str]) -> np.ndarray:
    """A key per text that is equal for copies of one template: lower-cased, without links,
    mentions and punctuation, hashed (so no text is kept).

    Example
    -------
    >>> k = text_keys(["Road closed! https://t.co/x", "road closed https://t.co/y", "Road open"])
    >>> bool(k[0] == k[1]), bool(k[0] == k[2])
    (True, False)
    """
    out = [
        hashlib.blake2b(" ".join(_NOISE.sub(" ", t.lower()).split()).encode("utf-8"), digest_size=12).hexdigest()
        for t in texts
    ]
    return np.asarray(out, dtype=object)


def uncertainty(proba: np.ndarray, strategy: str = "margin") -> np.ndarray:
    """How unsure a classifier is about each post, in [0, 1] (1: no idea).

    Example
    -------
    >>> uncertainty(np.array([[1.0, 0.0], [0.5, 0.5]]), "entropy").tolist()
    [0.0, 1.0]
    """
    proba = np.asarray(proba, dtype=np.float64)
    if proba.ndim != 2 or proba.shape[1] < 2:
        return np.ones(len(proba))
    if strategy == "margin":
        top = -np.sort(-proba, axis=1)
        return 1.0 - (top[:, 0] - top[:, 1])
    if strategy == "entropy":
        logs = np.log(proba, out=np.zeros_like(proba), where=proba > 0)
        return np.abs((proba * logs).sum(axis=1)) / np.log(proba.shape[1])
    raise ValueError(f"strategy must be one of {STRATEGIES}; got {strategy!r}")


def select_batch(
    X: Any,
    scores: np.ndarray,
    n: int,
    *,
    keys: Sequence[Any] | np.ndarray | None = None,
    exclude: np.ndarray | None = None,
    pool: int = 10,
    random_state: int | np.random.Generator | None = None,
) -> np.ndarray:
    """Positions of ``n`` posts to code next: the ``pool × n`` most uncertain posts (one per
    key), spread by uncertainty-weighted k-means in the rows of ``X``, the post nearest each
    centre; returned most uncertain first. ``exclude`` (boolean per post) removes posts,
    and every post whose key an excluded post has. Fewer than ``n`` posts are returned
    when fewer distinct ones are left.

    Example
    -------
    >>> X = np.eye(4)
    >>> select_batch(X, np.array([0.1, 0.9, 0.8, 0.7]), 2, exclude=np.array([0, 1, 0, 0], bool),
    ...              random_state=0).tolist()
    [2, 3]
    """
    from sklearn.cluster import KMeans
    from sklearn.preprocessing import normalize

    scores = np.asarray(scores, dtype=np.float64)
    total = len(scores)
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 1:
        raise ValueError(f"n must be an int >= 1 (posts to code next); got {n!r}")
    keys_arr = np.asarray(keys, dtype=object) if keys is not None else np.arange(total).astype(object)
    blocked = np.zeros(total, dtype=bool) if exclude is None else np.asarray(exclude, dtype=bool)
    blocked = blocked | np.isin(keys_arr, keys_arr[blocked])
    order = np.lexsort((np.arange(total), -scores))  # most uncertain first; ties by position
    order = order[~blocked[order]]
    _, first = np.unique(keys_arr[order], return_index=True)
    order = order[np.sort(first)]  # one post per key, still most uncertain first
    candidates = order[: max(int(n), int(pool) * int(n))]
    if len(candidates) <= n:
        return candidates
    rows = normalize(sp.csr_matrix(X)[candidates] if sp.issparse(X) else np.asarray(X, dtype=np.float64)[candidates])
    seed = int(check_random_state(random_state).integers(2**31 - 1))
    weights = np.maximum(scores[candidates], 1e-6)
    km = KMeans(n_clusters=int(n), n_init=3, random_state=seed).fit(rows, sample_weight=weights)
    chosen = []
    distance = km.transform(rows)  # candidates × centres
    for c in range(int(n)):
        members = np.flatnonzero(km.labels_ == c)
        if len(members):
            chosen.append(members[np.argmin(distance[members, c])])
    picked = set(chosen)
    for j in range(len(candidates)):  # an empty cluster: fill with the next most uncertain
        if len(picked) >= n:
            break
        picked.add(j)
    return candidates[np.sort(np.fromiter(picked, dtype=np.int64))]


def query(
    posts: Any,
    texts: Sequence[str],
    X: Any,
    proba: np.ndarray,
    n: int,
    *,
    coded: Any = None,
    known: Any = (),
    strategy: str = "margin",
    pool: int = 10,
    random_state: int | np.random.Generator | None = None,
) -> np.ndarray:
    """The next ``n`` posts to code, as positions, or as post ids for a posts table with a
    ``post_id`` column (what :meth:`ThemeScorer.query` returns).

    ``coded`` names posts already coded (a boolean mask, positions, or post ids); ``known``
    holds the :func:`text_keys` of posts coded earlier (the scorer's training posts):
    neither they nor copies of their text are proposed. ``strategy="random"`` draws
    distinct texts at random (the baseline to compare with).

    Example
    -------
    >>> texts = ["road closed", "survey open", "thanks jo", "road closed"]
    >>> proba = np.array([[0.9, 0.1], [0.5, 0.5], [0.6, 0.4], [0.9, 0.1]])
    >>> query(texts, texts, np.eye(4), proba, 2, coded=[1], random_state=0).tolist()
    [2, 0]
    """
    if strategy not in STRATEGIES:
        raise ValueError(f"strategy must be one of {STRATEGIES}; got {strategy!r}")
    ids = _post_ids(posts)
    exclude = _coded_mask(coded, len(texts), ids)
    keys = text_keys(texts)
    exclude |= np.isin(keys, np.asarray(list(known), dtype=object))
    if strategy == "random":
        rng = check_random_state(random_state)
        scores = rng.random(len(texts))
        positions = select_batch(X, scores, n, keys=keys, exclude=exclude, pool=1)
    else:
        positions = select_batch(
            X, uncertainty(proba, strategy), n, keys=keys, exclude=exclude, pool=pool, random_state=random_state
        )
    return positions if ids is None else ids[positions]


def _post_ids(posts: Any) -> np.ndarray | None:
    import pandas as pd

    if isinstance(posts, pd.DataFrame) and "post_id" in posts.columns:
        return posts["post_id"].to_numpy()
    return None


def _coded_mask(coded: Any, total: int, ids: np.ndarray | None) -> np.ndarray:
    """A boolean mask from a mask, positions or post ids (post ids need a posts table)."""
    if coded is None:
        return np.zeros(total, dtype=bool)
    values = np.asarray(list(coded), dtype=object)
    if len(values) == total and all(isinstance(v, (bool, np.bool_)) for v in values):
        return values.astype(bool)
    if ids is not None:
        unknown = sorted(set(values) - set(ids), key=str)
        if unknown:
            raise ValueError(f"coded names {len(unknown)} post id(s) not in the posts table, e.g. {unknown[:3]}")
        return np.isin(ids, values)
    if not all(isinstance(v, (int, np.integer)) and 0 <= v < total for v in values):
        raise ValueError(
            f"coded must be a boolean mask of {total} posts or positions in [0, {total}); "
            "post ids need a posts table with a post_id column"
        )
    mask = np.zeros(total, dtype=bool)
    mask[values.astype(np.int64)] = True
    return mask

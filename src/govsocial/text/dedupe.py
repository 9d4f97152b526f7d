"""Near-duplicate posts: templated posts, retweets, copy-paste campaigns.

Method: each post is normalised (a leading ``RT @handle:`` removed; URLs,
@mentions, digits and capitalised words inside a sentence — place, street and
month names — replaced by placeholders, so posts that differ only in a link, a
handle, a number or a name coincide; case folded) and cut into word *n*-gram
shingles.
MinHash signatures (Broder 1997) estimate the Jaccard similarity of shingle sets;
locality-sensitive hashing in ``bands`` × ``rows`` buckets (Indyk & Motwani 1998;
Leskovec, Rajaraman & Ullman, *Mining of Massive Datasets*, ch. 3) proposes
pairs, each bucket linking its members to its first member, so the work grows
linearly with the number of posts. Proposed links whose estimated similarity is
below ``threshold`` are dropped; groups are the connected components of the rest.

Example
-------
>>> texts = ["Road closed on Wattle St in Kelbrook from 9pm tonight, allow extra time",
...          "Road closed on Wattle St in Dunford from 10pm tonight, allow extra time",
...          "RT @roads: Road closed on Wattle St in Kelbrook from 9pm tonight, allow extra time",
...          "Flu clinics open this week"]
>>> near_duplicates(texts).tolist()
[0, 0, 0, 1]
"""

from __future__ import annotations

import re
from typing import Iterable, Sequence

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from ..core.validation import check_float, check_int, check_random_state

__all__ = ["near_duplicates", "dedupe_table", "shingle_ids"]

_RT = re.compile(r"^\s*RT\s+@\w+:?\s*", re.IGNORECASE)
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_MENTION = re.compile(r"@\w+")
_DIGITS = re.compile(r"\d+")
_WORD = re.compile(r"\w+")
_PRIME = np.uint64((1 << 61) - 1)
_MAX32 = np.uint64((1 << 32) - 1)


_NAME = re.compile(r"(?<=[\w,;:)] )[A-Z][a-zA-Z'’-]+")


def _normalise(text: str) -> str:
    text = _RT.sub("", text)
    text = _URL.sub(" urlx ", text)
    text = _MENTION.sub(" userx ", text)
    text = _NAME.sub("namex", text)  # capitalised words inside a sentence: places, streets, months
    return _DIGITS.sub("0", text.casefold())


def shingle_ids(texts: Sequence[str], ngram: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Word n-gram shingles of each text as 64-bit hashes: ``(hashes, doc_offsets)``.

    Token ids come from a dictionary filled in order of appearance and shingles
    are combined arithmetically, so results do not depend on Python's per-process
    string hashing. A text shorter than ``ngram`` words is one shingle.

    Example
    -------
    >>> h, off = shingle_ids(["a b c d", "a b c"], ngram=3)
    >>> off.tolist(), bool(h[0] == h[2])
    ([0, 2, 3], True)
    """
    vocab: dict[str, int] = {}
    ids: list[int] = []
    lengths = np.zeros(len(texts), dtype=np.int64)
    setdefault = vocab.setdefault
    for i, text in enumerate(texts):
        words = _WORD.findall(_normalise(text if isinstance(text, str) else ""))
        lengths[i] = len(words)
        ids.extend(setdefault(w, len(vocab) + 1) for w in words)
    tokens = np.asarray(ids, dtype=np.uint64)
    starts = np.concatenate([[0], np.cumsum(lengths)])
    n_shingles = np.maximum(lengths - ngram + 1, 1)
    offsets = np.concatenate([[0], np.cumsum(n_shingles)]).astype(np.int64)
    total = int(offsets[-1])
    # position of the first token of each shingle
    doc_of = np.repeat(np.arange(len(texts)), n_shingles)
    first = starts[doc_of] + (np.arange(total) - offsets[doc_of])
    hashes = np.zeros(total, dtype=np.uint64)
    mult = np.uint64(0x9E3779B97F4A7C15)
    with np.errstate(over="ignore"):
        for k in range(ngram):
            pos = first + k
            valid = pos < starts[doc_of] + lengths[doc_of]
            part = np.where(valid, tokens[np.minimum(pos, max(len(tokens) - 1, 0))] if len(tokens) else 0, 0)
            hashes = hashes * mult + part.astype(np.uint64) + np.uint64(k + 1)
    return hashes, offsets


def _minhash(hashes: np.ndarray, offsets: np.ndarray, a: np.ndarray, b: np.ndarray, chunk: int = 1 << 17) -> np.ndarray:
    """MinHash signatures: for each permutation (a*x + b) mod p, the minimum over a document's shingles."""
    n_docs = len(offsets) - 1
    k = len(a)
    sig = np.empty((n_docs, k), dtype=np.uint32)
    x = (hashes % _PRIME).astype(np.uint64)
    doc_start = 0
    while doc_start < n_docs:
        # documents whose shingles fit in one chunk
        doc_end = int(np.searchsorted(offsets, offsets[doc_start] + chunk, side="right")) - 1
        doc_end = max(doc_end, doc_start + 1)
        doc_end = min(doc_end, n_docs)
        lo, hi = offsets[doc_start], offsets[doc_end]
        xs = x[lo:hi, None]
        with np.errstate(over="ignore"):
            # 32-bit universal hashing on the low and high halves keeps products inside 64 bits
            h = ((xs & _MAX32) * a[None, :] + (xs >> np.uint64(32)) * b[None, :] + a[None, :]) % np.uint64(
                (1 << 32) - 5
            )
        sig[doc_start:doc_end] = np.minimum.reduceat(h, (offsets[doc_start:doc_end] - lo), axis=0)
        doc_start = doc_end
    return sig


def near_duplicates(
    texts: Sequence[str] | pd.Series,
    *,
    threshold: float = 0.7,
    ngram: int = 3,
    num_perm: int = 64,
    bands: int = 16,
    random_state: int | np.random.Generator | None = 0,
) -> np.ndarray | pd.Series:
    """Group near-duplicate texts; return a group id per text (0, 1, ... in order of first member).

    Parameters
    ----------
    texts: the posts' texts (a Series keeps its index, e.g. ``post_id``, in the result).
    threshold: estimated Jaccard similarity of shingle sets above which two posts are linked.
    ngram: words per shingle (3 by default; 2 for very short posts).
    num_perm: MinHash permutations; ``bands`` must divide it (rows per band = num_perm / bands).
    random_state: seed of the hash permutations (results are identical for the same seed).

    Example
    -------
    >>> s = pd.Series(["Bins out late today in Ashdale", "Bins out late today in Carvale", "Other news"],
    ...               index=["p1", "p2", "p3"])
    >>> near_duplicates(s, threshold=0.5).to_dict()
    {'p1': 0, 'p2': 0, 'p3': 1}
    """
    if isinstance(texts, str):
        raise TypeError("near_duplicates expects many texts; got one string")
    threshold = check_float("threshold", threshold, low=0.0, high=1.0, low_open=True)
    ngram = check_int("ngram", ngram, low=1)
    num_perm = check_int("num_perm", num_perm, low=2)
    bands = check_int("bands", bands, low=1, high=num_perm)
    if num_perm % bands:
        raise ValueError(f"bands must divide num_perm; got bands={bands}, num_perm={num_perm}")
    index = texts.index if isinstance(texts, pd.Series) else None
    values = list(texts)
    n = len(values)
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return pd.Series(empty, index=index, name="dup_group") if index is not None else empty
    rng = check_random_state(random_state)
    a = rng.integers(1, (1 << 32) - 5, size=num_perm, dtype=np.uint64)
    b = rng.integers(0, (1 << 32) - 5, size=num_perm, dtype=np.uint64)
    hashes, offsets = shingle_ids(values, ngram)
    sig = _minhash(hashes, offsets, a, b)
    rows = num_perm // bands
    src: list[np.ndarray] = []
    dst: list[np.ndarray] = []
    order_ids = np.arange(n)
    for band in range(bands):
        block = np.ascontiguousarray(sig[:, band * rows : (band + 1) * rows])
        keys = block.view(np.dtype((np.void, block.dtype.itemsize * rows))).ravel()
        _, first_idx, inverse = np.unique(keys, return_index=True, return_inverse=True)
        rep = first_idx[inverse.ravel()]
        linked = rep != order_ids
        if linked.any():
            src.append(order_ids[linked])
            dst.append(rep[linked])
    labels = np.arange(n)
    if src:
        s = np.concatenate(src)
        d = np.concatenate(dst)
        pairs = np.unique(np.stack([s, d], axis=1), axis=0)
        s, d = pairs[:, 0], pairs[:, 1]
        similarity = (sig[s] == sig[d]).mean(axis=1)
        keep = similarity >= threshold
        graph = coo_matrix((np.ones(int(keep.sum())), (s[keep], d[keep])), shape=(n, n))
        _, labels = connected_components(graph, directed=False)
    # relabel by order of first appearance: deterministic and readable
    _, first = np.unique(labels, return_index=True)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first)] = np.arange(len(first))
    groups = rank[np.searchsorted(np.unique(labels), labels)]
    return pd.Series(groups, index=index, name="dup_group") if index is not None else groups


def dedupe_table(posts: pd.DataFrame, groups: Iterable[int] | None = None, **options: object) -> pd.DataFrame:
    """Per post: ``dup_group``, ``group_size`` and ``is_representative`` (first post of its group).

    Train topic models on the representatives (weighting each by ``group_size``
    if wanted) and keep every post for engagement analyses.

    Example
    -------
    >>> import govsocial.core.schema as schema
    >>> posts = schema.conform({"post_id": ["a", "b", "c"], "platform": ["x"] * 3,
    ...     "text": ["Pool open all weekend in Kinford", "Pool open all weekend in Marford", "Other"]})
    >>> dedupe_table(posts, threshold=0.5)[["post_id", "group_size", "is_representative"]].values.tolist()
    [['a', 2, True], ['b', 2, False], ['c', 1, True]]
    """
    if groups is None:
        groups = near_duplicates(posts["text"].tolist(), **options)  # type: ignore[arg-type]
    g = np.asarray(list(groups), dtype=np.int64)
    if len(g) != len(posts):
        raise ValueError(f"groups has {len(g)} values for {len(posts)} posts")
    size = np.bincount(g)[g] if len(g) else g
    first = np.zeros(len(g), dtype=bool)
    if len(g):
        _, idx = np.unique(g, return_index=True)
        first[idx] = True
    return pd.DataFrame(
        {"post_id": posts["post_id"].to_numpy(), "dup_group": g, "group_size": size, "is_representative": first}
    )

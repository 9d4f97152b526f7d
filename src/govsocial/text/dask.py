"""The document-term matrix on Dask: tokenising and counting per partition, one global
vocabulary by tree reduction, equal to :class:`~govsocial.text.dtm.Vectorizer` on the same data.

:class:`DaskVectorizer` takes a dask DataFrame of posts or a dask Series of texts indexed
by post id (not token lists: Dask turns a column of lists into strings). Each partition is
tokenised once on a worker (its tokens kept there while fitting); phrases, when asked for, are learned from the merged bigram counts of the first
``phrase_sample`` posts (as the single-machine vectorizer learns them); document frequencies
and counts are merged pairwise up a tree, the vocabulary is pruned once on the client, and
each partition is counted into a sparse block. :class:`DaskDocTermMatrix` holds those blocks
where they were computed; ``.compute()`` stacks them into the usual
:class:`~govsocial.text.dtm.DocTermMatrix`, rows in partition order.

Dask is optional: ``pip install "govsocial[dask]"``.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..core.exceptions import MissingDependencyError
from .documents import _TEXTS, _Input
from .dtm import DocTermMatrix, Vectorizer

__all__ = ["DaskVectorizer", "DaskDocTermMatrix"]


def _dask() -> Any:
    try:
        import dask
    except ImportError:
        raise MissingDependencyError("dask", extra="dask") from None
    return dask


def _compute(client: Any, *values: Any) -> tuple[Any, ...]:
    if client is not None:
        return tuple(client.compute(list(values), sync=True))
    return tuple(_dask().compute(*values))


def _persist(client: Any, values: list[Any]) -> list[Any]:
    if client is not None:
        return list(client.persist(values))
    return list(_dask().persist(*values))


# --------------------------------------------------------------------------- per partition
def _tokenise(v: Vectorizer, part: Any) -> tuple[list[str], list[list[str]], Counter, Counter, bool]:
    source = _Input(
        part,
        _TEXTS,
        "DaskVectorizer",
        "DaskVectorizer reads texts; give token lists in memory to gs.Vectorizer().fit_transform",
    )
    return (*v._collect(source), source.texts)


def _n_docs(tok: tuple[Any, ...]) -> int:
    return len(tok[1])


def _phrase_counts(v: Vectorizer, tok: tuple[Any, ...], n: int) -> tuple[Counter, int]:
    model = v._learn_phrases(tok[1][:n])
    return Counter(model.vocab), int(model.corpus_word_count)


def _add_phrase_counts(a: tuple[Counter, int], b: tuple[Counter, int]) -> tuple[Counter, int]:
    return a[0] + b[0], a[1] + b[1]


def _stats(v: Vectorizer, tok: tuple[Any, ...]) -> tuple[Counter, Counter, int, Counter, Counter, bool]:
    docs = v._apply_phrases(tok[1])
    df: Counter = Counter()
    counts: Counter = Counter()
    for doc in docs:
        counts.update(doc)
        df.update(set(doc))
    return df, counts, len(docs), tok[2], tok[3], tok[4]


def _add_stats(a: tuple[Any, ...], b: tuple[Any, ...]) -> tuple[Any, ...]:
    return a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3], a[4] + b[4], a[5] or b[5]


def _count(v: Vectorizer, tok: tuple[Any, ...]) -> tuple[list[str], sp.csr_matrix]:
    return tok[0], v._count(v._apply_phrases(tok[1]))


def _kept(block: tuple[list[str], sp.csr_matrix], drop: bool) -> sp.csr_matrix:
    """A block's rows as :meth:`DaskDocTermMatrix.compute` keeps them (posts with no terms dropped
    when the vectorizer drops them)."""
    X = block[1]
    return X[np.diff(X.indptr) > 0] if drop else X


def _block_sizes(block: tuple[list[str], sp.csr_matrix], drop: bool) -> tuple[int, int]:
    """(rows kept, kept rows with no terms) of one block."""
    X = block[1]
    with_terms = int((np.diff(X.indptr) > 0).sum())
    return (with_terms, 0) if drop else (X.shape[0], X.shape[0] - with_terms)


def _deal_slice(block: tuple[list[str], sp.csr_matrix], drop: bool, offset: int, p: int, n: int) -> sp.csr_matrix:
    """The rows of one block that fall to piece ``p`` of ``n`` (global rows p, p + n, ...)."""
    return _kept(block, drop)[(p - offset) % n :: n]


def _stack_piece(p: int, n: int, n_rows: int, n_terms: int, *parts: sp.csr_matrix) -> tuple[np.ndarray, sp.csr_matrix]:
    rows = np.arange(p, n_rows, n)
    X = sp.vstack(parts, format="csr") if parts else sp.csr_matrix((0, n_terms), dtype=np.int64)
    return rows, X


def _tree(dask: Any, parts: list[Any], combine: Any) -> Any:
    """Combine delayed values pairwise, level by level (a tree of depth log2 of the partitions)."""
    while len(parts) > 1:
        parts = [
            dask.delayed(combine)(parts[i], parts[i + 1]) if i + 1 < len(parts) else parts[i]
            for i in range(0, len(parts), 2)
        ]
    return parts[0]


class DaskDocTermMatrix:
    """Sparse count blocks, one per partition, kept where Dask computed them, with the vocabulary.

    ``blocks`` are delayed ``(post_ids, csr_matrix)`` pairs; :meth:`compute` stacks them into a
    :class:`~govsocial.text.dtm.DocTermMatrix` (dropping empty posts if the vectorizer does).

    Example
    -------
    >>> import dask, dask.dataframe as dd, pandas as pd
    >>> s = dd.from_pandas(pd.Series(["flu clinic", "bus stop", "flu jab"], index=["a", "b", "c"]), npartitions=2)
    >>> with dask.config.set(scheduler="sync"):
    ...     m = DaskVectorizer(min_df=2, max_df=1.0, phrases=False).fit_transform(s)
    ...     dtm = m.compute()
    >>> m.terms, list(dtm.post_ids)
    (['flu'], ['a', 'c'])
    """

    def __init__(self, blocks: list[Any], vectorizer: Vectorizer, client: Any = None) -> None:
        self.blocks = blocks
        self.vectorizer = vectorizer
        self.client = client

    @property
    def terms(self) -> list[str]:
        return self.vectorizer.vocab_["term"].tolist()

    @property
    def display(self) -> list[str]:
        return self.vectorizer.vocab_["display"].tolist()

    def deal(self, n_pieces: int) -> tuple[tuple[int, int], list[Any]]:
        """The rows of :meth:`compute`'s matrix dealt round-robin into ``n_pieces`` (piece p holds
        rows p, p + n, p + 2n, ...), each built on the workers from the blocks, never gathered on
        the client: returns the matrix's shape and one delayed ``(rows, csr_matrix)`` per
        non-empty piece, equal to ``(rows, dtm.compute().X[rows])``. Raises ValueError when kept
        posts have no terms (a vectorizer with ``drop_empty=False``).

        Example
        -------
        >>> import dask, dask.dataframe as dd, pandas as pd
        >>> s = dd.from_pandas(pd.Series(["flu jab", "bus", "flu clinic", "bus stop", "flu"]), npartitions=2)
        >>> with dask.config.set(scheduler="sync"):
        ...     m = DaskVectorizer(min_df=1, max_df=1.0, phrases=False).fit_transform(s)
        ...     shape, pieces = m.deal(2)
        ...     rows, X = pieces[1].compute()
        >>> shape, rows.tolist(), X.shape
        ((5, 5), [1, 3], (2, 5))
        """
        dask = _dask()
        drop = bool(self.vectorizer.drop_empty)
        sizes = _compute(self.client, *[dask.delayed(_block_sizes)(b, drop) for b in self.blocks])
        empty = sum(e for _, e in sizes)
        if empty:
            raise ValueError(
                f"the matrix has {empty} post(s) with no terms; drop them (DaskVectorizer(drop_empty=True) "
                "does) before fitting"
            )
        offsets = np.concatenate([[0], np.cumsum([n for n, _ in sizes])]).astype(int)
        shape = (int(offsets[-1]), len(self.vectorizer.vocabulary_))
        pieces = []
        for p in range(min(n_pieces, shape[0])):
            parts = [
                dask.delayed(_deal_slice)(b, drop, int(o), p, n_pieces)
                for b, o, (n, _) in zip(self.blocks, offsets, sizes)
                if n
            ]
            pieces.append(dask.delayed(_stack_piece)(p, n_pieces, shape[0], shape[1], *parts))
        return shape, pieces

    def compute(self) -> DocTermMatrix:
        """Gather the blocks into one :class:`~govsocial.text.dtm.DocTermMatrix` (see the class example)."""
        parts = _compute(self.client, *self.blocks) if self.blocks else ()
        ids = [i for part_ids, _ in parts for i in part_ids]
        n_terms = len(self.vectorizer.vocabulary_)
        X = sp.vstack([X for _, X in parts], format="csr") if parts else sp.csr_matrix((0, n_terms), dtype=np.int64)
        return self.vectorizer._finish(ids, X)


class DaskVectorizer(Vectorizer):
    """:class:`~govsocial.text.dtm.Vectorizer` over a dask DataFrame of posts or a dask Series of texts.

    Same parameters and the same result (vocabulary, display forms, report, counts) as the
    single-machine vectorizer's :meth:`~govsocial.text.dtm.Vectorizer.from_posts` on the same rows; ``n_jobs`` is ignored (the workers are the
    parallelism). ``client``: a ``dask.distributed.Client`` (default: Dask's current scheduler).

    Example
    -------
    >>> import dask, dask.dataframe as dd, pandas as pd
    >>> s = dd.from_pandas(pd.Series(["Road closed", "Road open", "Flu jab"]), npartitions=2)
    >>> with dask.config.set(scheduler="sync"):
    ...     v = DaskVectorizer(min_df=1, max_df=1.0, phrases=False).fit(s)
    >>> v.vocab_["term"].tolist() == Vectorizer(min_df=1, max_df=1.0, phrases=False).from_posts(s.compute()).terms
    True
    """

    def __init__(
        self,
        tokenizer: Any = None,
        *,
        phrases: bool = True,
        phrase_min_count: int = 10,
        phrase_threshold: float = 0.5,
        phrase_sample: int = 200_000,
        min_df: float = 2,
        max_df: float = 0.5,
        max_features: int | None = None,
        drop_empty: bool = True,
        n_jobs: int = 1,
        batch_size: int = 50_000,
        client: Any = None,
    ) -> None:
        super().__init__(
            tokenizer,
            phrases=phrases,
            phrase_min_count=phrase_min_count,
            phrase_threshold=phrase_threshold,
            phrase_sample=phrase_sample,
            min_df=min_df,
            max_df=max_df,
            max_features=max_features,
            drop_empty=drop_empty,
            n_jobs=n_jobs,
            batch_size=batch_size,
        )
        self.client = client

    def _local(self) -> Vectorizer:
        """A single-machine twin with the learned state, shipped to the workers (one process each)."""
        params = {k: v for k, v in self.get_params(deep=False).items() if k != "client"}
        twin = Vectorizer(**dict(params, n_jobs=1))
        for name in ("phrases_", "vocabulary_", "vocab_", "report_"):
            if name in self.__dict__:
                setattr(twin, name, self.__dict__[name])
        return twin

    def _tokens(self, data: Any) -> list[Any]:
        dask = _dask()
        if not hasattr(data, "to_delayed"):
            raise TypeError(
                f"expected a dask DataFrame or Series; got {type(data).__name__} "
                "(use govsocial.Vectorizer for in-memory data)"
            )
        twin = self._local()
        return [dask.delayed(_tokenise, pure=True)(twin, part) for part in data.to_delayed()]

    def _fit_tokens(self, tok: list[Any]) -> None:
        dask = _dask()
        self._check_params()
        self._set_phrases(None)
        if self.phrases:
            lengths = _compute(self.client, *[dask.delayed(_n_docs)(t) for t in tok])
            before = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(int)
            take = np.clip(self.phrase_sample - before, 0, lengths).astype(int)
            twin = self._local()
            partial = [dask.delayed(_phrase_counts)(twin, t, int(n)) for t, n in zip(tok, take)]
            vocab, words = _compute(self.client, _tree(dask, partial, _add_phrase_counts))[0]
            model = self._learn_phrases([])
            model.vocab, model.corpus_word_count = dict(vocab), words
            self._set_phrases(model)
        twin = self._local()
        stats = _tree(dask, [dask.delayed(_stats)(twin, t) for t in tok], _add_stats)
        df, counts, n_docs, surface, found, texts = _compute(self.client, stats)[0]
        self._select(df, counts, n_docs, surface, found, texts)

    def fit(self, data: Any, y: Any = None) -> "DaskVectorizer":
        """Learn phrases, the vocabulary and display forms from a dask collection (see the class example)."""
        tok = _persist(self.client, self._tokens(data))
        self._fit_tokens(tok)
        return self

    def fit_transform(self, data: Any, y: Any = None) -> DaskDocTermMatrix:  # type: ignore[override]
        """Fit and count, tokenising each partition once (see :class:`DaskDocTermMatrix`).

        The count blocks are computed and kept on the workers, and the token lists they were
        counted from are released: counts take a small fraction of the tokens' memory, which
        at millions of posts decides whether a worker stays within its memory limit.
        """
        tok = _persist(self.client, self._tokens(data))
        self._fit_tokens(tok)
        matrix = self._blocks(tok)
        matrix.blocks = _persist(self.client, matrix.blocks)
        return matrix

    def transform(self, data: Any) -> DaskDocTermMatrix:  # type: ignore[override]
        """Count a dask collection on the learned vocabulary (unknown terms ignored).

        Example
        -------
        >>> import dask, dask.dataframe as dd, pandas as pd
        >>> s = dd.from_pandas(pd.Series(["flu clinic", "bus"]), npartitions=1)
        >>> with dask.config.set(scheduler="sync"):
        ...     v = DaskVectorizer(min_df=1, max_df=1.0, phrases=False).fit(s)
        ...     X = v.transform(dd.from_pandas(pd.Series(["new flu clinic"]), npartitions=1)).compute().X
        >>> X.toarray().tolist()
        [[0, 1, 1]]
        """
        if not hasattr(self, "vocabulary_"):
            from sklearn.exceptions import NotFittedError

            raise NotFittedError("this DaskVectorizer is not fitted yet; call fit or fit_transform first")
        return self._blocks(self._tokens(data))

    def _blocks(self, tok: list[Any]) -> DaskDocTermMatrix:
        dask = _dask()
        twin = self._local()
        return DaskDocTermMatrix([dask.delayed(_count)(twin, t) for t in tok], twin, self.client)

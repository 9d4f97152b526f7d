"""The document-term matrix that every topic model takes: CSR counts with the ``post_id``
of each row, the vocabulary with readable display forms, and a report of what was dropped.

Example
-------
>>> m = DocTermMatrix(sp.csr_matrix(np.array([[1, 2]])), np.array(["p"]), pd.DataFrame({"term": ["a", "b"]}))
>>> m.shape, m.terms
((1, 2), ['a', 'b'])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

__all__ = ["DocTermMatrix"]


@dataclass
class DocTermMatrix:
    """A CSR count matrix with its row ids, its vocabulary and a report.

    ``X[i, j]`` counts term ``vocab.term[j]`` in post ``post_ids[i]``; ``vocab``
    has columns ``term``, ``display`` (readable form), ``df`` (documents) and
    ``count`` (occurrences).

    Example
    -------
    >>> m = DocTermMatrix(sp.csr_matrix(np.array([[1, 0], [2, 1]])), np.array(["p1", "p2"]),
    ...                   pd.DataFrame({"term": ["flu", "bus"], "display": ["flu", "bus"]}))
    >>> m.shape, m.terms
    ((2, 2), ['flu', 'bus'])
    """

    X: sp.csr_matrix
    post_ids: np.ndarray
    vocab: pd.DataFrame
    report: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.X = sp.csr_matrix(self.X)
        self.post_ids = np.asarray(self.post_ids, dtype=object)
        if self.X.shape[0] != len(self.post_ids):
            raise ValueError(f"X has {self.X.shape[0]} rows but there are {len(self.post_ids)} post_ids")
        if self.X.shape[1] != len(self.vocab):
            raise ValueError(f"X has {self.X.shape[1]} columns but the vocabulary has {len(self.vocab)} terms")
        if "display" not in self.vocab.columns:
            self.vocab = self.vocab.assign(display=self.vocab["term"])
        if "df" not in self.vocab.columns:
            self.vocab = self.vocab.assign(df=np.bincount(self.X.indices, minlength=self.X.shape[1]))
        if "count" not in self.vocab.columns:
            self.vocab = self.vocab.assign(count=np.asarray(self.X.sum(axis=0)).ravel())

    @property
    def shape(self) -> tuple[int, int]:
        return self.X.shape

    @property
    def terms(self) -> list[str]:
        return self.vocab["term"].tolist()

    @property
    def display(self) -> list[str]:
        return self.vocab["display"].tolist()

    def __len__(self) -> int:
        return self.X.shape[0]

    def __repr__(self) -> str:
        return f"DocTermMatrix({self.X.shape[0]} posts × {self.X.shape[1]} terms, {self.X.nnz} non-zeros)"

    def to_gensim(self) -> tuple[Any, list[list[tuple[int, int]]]]:
        """A gensim ``Dictionary`` and bag-of-words corpus with the same term ids as ``X``.

        Example
        -------
        >>> m = DocTermMatrix(sp.csr_matrix(np.array([[1, 0], [2, 1]])), np.array(["p1", "p2"]),
        ...                   pd.DataFrame({"term": ["flu", "bus"]}))
        >>> d, corpus = m.to_gensim()
        >>> d.token2id["bus"], corpus[1]
        (1, [(0, 2), (1, 1)])
        """
        from gensim.corpora import Dictionary

        dictionary = Dictionary()
        dictionary.token2id = {t: i for i, t in enumerate(self.terms)}
        dictionary.id2token = {}
        dictionary.dfs = {i: int(v) for i, v in enumerate(self.vocab["df"])}
        dictionary.cfs = {i: int(v) for i, v in enumerate(self.vocab["count"])}
        dictionary.num_docs = self.X.shape[0]
        dictionary.num_pos = int(self.X.sum())
        dictionary.num_nnz = int(self.X.nnz)
        X = self.X
        corpus = [
            list(
                zip(
                    X.indices[X.indptr[i] : X.indptr[i + 1]].tolist(),
                    X.data[X.indptr[i] : X.indptr[i + 1]].astype(int).tolist(),
                )
            )
            for i in range(X.shape[0])
        ]
        return dictionary, corpus

    def texts(self) -> list[list[str]]:
        """Each post as its list of kept terms (repeated by count), e.g. for coherence.

        Example
        -------
        >>> m = DocTermMatrix(sp.csr_matrix(np.array([[1, 2]])), np.array(["p"]), pd.DataFrame({"term": ["a", "b"]}))
        >>> m.texts()
        [['a', 'b', 'b']]
        """
        terms = np.asarray(self.terms, dtype=object)
        X = self.X
        return [
            np.repeat(
                terms[X.indices[X.indptr[i] : X.indptr[i + 1]]], X.data[X.indptr[i] : X.indptr[i + 1]].astype(int)
            ).tolist()
            for i in range(X.shape[0])
        ]

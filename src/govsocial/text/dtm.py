"""Document-term matrices: tokens → phrases → pruned vocabulary → CSR counts.

:class:`Vectorizer` follows scikit-learn's conventions (``fit``, ``transform``,
``fit_transform``; parameters only stored in ``__init__``) and returns a
:class:`DocTermMatrix`: the CSR count matrix together with the ``post_id`` of each
row, the vocabulary with display forms, and a report of what was dropped and why.

``fit``, ``fit_transform`` and ``transform`` take **tokens** — the Series of token
lists that :func:`~govsocial.text.batch.tokenize` returns — and use them as given.
Raw posts go through :meth:`Vectorizer.from_posts` (fit) and
:meth:`Vectorizer.transform_posts`, which tokenise with the vectorizer's ``tokenizer``
and also record readable display forms and redaction counts.

Example
-------
>>> import govsocial.core.schema as schema
>>> from govsocial.text.batch import tokenize
>>> posts = schema.conform({"post_id": ["a", "b", "c"], "platform": ["x"] * 3,
...     "text": ["Flu vaccines free at clinics", "Flu vaccine clinic open", "Bus delays"]})
>>> tokens, _ = tokenize(posts)
>>> dtm = Vectorizer(min_df=2, max_df=1.0, phrases=False).fit_transform(tokens)
>>> dtm.terms, dtm.display, list(dtm.post_ids)
(['clinic', 'flu', 'vaccin'], ['clinic', 'flu', 'vaccin'], ['a', 'b'])
>>> Vectorizer(min_df=2, max_df=1.0, phrases=False).from_posts(posts).display
['clinics', 'flu', 'vaccines']
"""

from __future__ import annotations

import numbers
from collections import Counter
from typing import Any, Iterable

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator

from .documents import _AUTO, _TEXTS, _Input
from .matrix import DocTermMatrix
from .phrases import add_documents, apply_phrases, learn_phrases, phrase_pairs
from .tokenizer import Tokenizer
from .vocabulary import prune

__all__ = ["DocTermMatrix", "Vectorizer"]


class Vectorizer(BaseEstimator):
    """Tokens → document-term matrix, with phrases, pruning and a report.

    Parameters
    ----------
    tokenizer: the :class:`~govsocial.text.Tokenizer` that :meth:`from_posts` and
        :meth:`transform_posts` tokenise raw posts with (default settings when None).
        Tokens given to ``fit``/``transform`` are used as they are.
    phrases: join collocations (``mental_health``) with gensim's ``Phrases`` (NPMI scoring).
        Hashtags, emoji, links and handles never take part in phrases.
    phrase_min_count: minimum count of a bigram to become a phrase.
    phrase_threshold: NPMI threshold in (-1, 1] (gensim's ``npmi`` scorer).
    phrase_sample: learn phrases on at most this many posts (the first ones), then apply to all.
    min_df: drop terms in fewer documents (int) or a smaller share of documents (float).
    max_df: drop terms in more documents (int) or a larger share (float).
    max_features: keep at most this many terms, the most frequent.
    drop_empty: drop posts left without terms (they are listed in the report).
    n_jobs: processes for tokenising raw posts (``-1``: all cores).
    batch_size: posts per tokenising chunk.

    Tokens (``fit``, ``fit_transform``, ``transform``) may be a Series of token lists
    indexed by post id (what :func:`~govsocial.text.batch.tokenize` returns), a table with
    ``post_id`` and ``tokens`` columns (what ``govsocial tokenize`` writes), a list of
    token lists, or — for corpora larger than memory — a *callable* returning a fresh
    iterator of chunks of those; it is read twice by ``fit`` and once by ``transform``,
    and only counts are kept. Raw posts (:meth:`from_posts`, :meth:`transform_posts`) may
    be a posts table, a Series of texts indexed by post id, a list of texts, or a callable
    returning chunks of those. Raw texts given to ``fit``/``fit_transform``/``transform``
    still work, with a ``FutureWarning``: they will raise in the next release.

    Display forms (``vocab_["display"]``): from raw posts, the most frequent surface form of
    each term (``clinics`` for ``clinic``); from tokens, which carry no surface forms, the
    term itself, a phrase's parts joined by a space (``mental health``). The report's
    ``redacted`` and ``tokenizer`` are None from tokens (see :func:`tokenize`'s report).

    Example
    -------
    >>> v = Vectorizer(min_df=1, max_df=1.0, phrases=False)
    >>> m = v.fit_transform([["road", "close"], ["road", "open"]])
    >>> m.terms, v.transform([["close", "road", "again"]]).X.toarray().tolist()
    (['close', 'open', 'road'], [[1, 0, 1]])
    """

    def __init__(
        self,
        tokenizer: Tokenizer | None = None,
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
    ) -> None:
        self.tokenizer = tokenizer
        self.phrases = phrases
        self.phrase_min_count = phrase_min_count
        self.phrase_threshold = phrase_threshold
        self.phrase_sample = phrase_sample
        self.min_df = min_df
        self.max_df = max_df
        self.max_features = max_features
        self.drop_empty = drop_empty
        self.n_jobs = n_jobs
        self.batch_size = batch_size

    # ------------------------------------------------------------------ helpers
    def _tokenizer(self) -> Tokenizer:
        return self.tokenizer if self.tokenizer is not None else Tokenizer()

    def _check_params(self) -> None:
        def frac_or_count(name: str, value: Any) -> None:
            ok = (isinstance(value, numbers.Integral) and not isinstance(value, bool) and int(value) >= 1) or (
                isinstance(value, float) and 0.0 < value <= 1.0
            )
            if not ok:
                raise ValueError(f"{name} must be an int >= 1 (documents) or a float in (0, 1] (share); got {value!r}")

        frac_or_count("min_df", self.min_df)
        frac_or_count("max_df", self.max_df)
        if self.max_features is not None and (
            not isinstance(self.max_features, numbers.Integral) or self.max_features < 1
        ):
            raise ValueError(f"max_features must be None or an int >= 1; got {self.max_features!r}")
        if not -1.0 < float(self.phrase_threshold) <= 1.0:
            raise ValueError(f"phrase_threshold must be a float in (-1, 1] (NPMI); got {self.phrase_threshold!r}")
        if not isinstance(self.phrase_min_count, numbers.Integral) or self.phrase_min_count < 1:
            raise ValueError(f"phrase_min_count must be an int >= 1; got {self.phrase_min_count!r}")

    def _learn_phrases(self, docs: Iterable[list[str]]) -> Any:
        return learn_phrases(docs, min_count=self.phrase_min_count, threshold=self.phrase_threshold)

    def _apply_phrases(self, docs: list[list[str]]) -> list[list[str]]:
        pairs = self.__dict__.get("_pairs")
        if pairs is None:
            pairs = self.__dict__["_pairs"] = phrase_pairs(getattr(self, "phrases_", None))
        return apply_phrases(docs, pairs)

    def _set_phrases(self, model: Any) -> None:
        self.phrases_ = None if model is None else model.freeze()
        self.__dict__.pop("_pairs", None)

    # ------------------------------------------------------------------ public verbs
    def fit(self, tokens: Any, y: Any = None) -> "Vectorizer":
        """Learn phrases, the vocabulary and display forms from token lists.

        Example
        -------
        >>> Vectorizer(min_df=1, phrases=False).fit([["flu", "clinic"], ["bus"]]).vocabulary_
        {'bus': 0, 'clinic': 1, 'flu': 2}
        """
        self._fit(_Input(tokens, _AUTO, "fit"))
        return self

    def fit_transform(self, tokens: Any, y: Any = None) -> DocTermMatrix:
        """Fit and return the document-term matrix of token lists (see the class for what they may be).

        Example
        -------
        >>> import pandas as pd
        >>> tokens = pd.Series([["flu", "jab"], ["flu"]], index=pd.Index(["p1", "p2"], name="post_id"))
        >>> dtm = Vectorizer(min_df=1, max_df=1.0, phrases=False).fit_transform(tokens)
        >>> int(dtm.X.sum()), list(dtm.post_ids)
        (3, ['p1', 'p2'])
        """
        return self._fit_transform(_Input(tokens, _AUTO, "fit_transform"))

    def transform(self, tokens: Any) -> DocTermMatrix:
        """Map token lists onto the learned vocabulary (unknown terms are ignored).

        Example
        -------
        >>> v = Vectorizer(min_df=1, max_df=1.0, phrases=False).fit([["flu", "clinic"], ["bus"]])
        >>> v.transform([["new", "flu", "clinic"]]).X.toarray().tolist()
        [[0, 1, 1]]
        """
        return self._transform(_Input(tokens, _AUTO, "transform"))

    def from_posts(self, posts: Any) -> DocTermMatrix:
        """Tokenise raw posts with ``tokenizer``, fit, and return their document-term matrix.

        ``posts``: a posts table, a Series of texts indexed by post id, a list of texts, or a
        callable returning a fresh iterator of chunks of those (read three times). Display
        forms are the most frequent surface forms; the report counts what was redacted.

        Example
        -------
        >>> v = Vectorizer(min_df=1, max_df=1.0, phrases=False)
        >>> m = v.from_posts(["Roads closed", "Road open"])
        >>> m.terms, m.display
        (['close', 'open', 'road'], ['closed', 'open', 'roads'])
        """
        return self._fit_transform(_Input(posts, _TEXTS, "Vectorizer.from_posts"))

    def transform_posts(self, posts: Any) -> DocTermMatrix:
        """Tokenise new raw posts with ``tokenizer`` and map them onto the learned vocabulary.

        Example
        -------
        >>> v = Vectorizer(min_df=1, max_df=1.0, phrases=False)
        >>> _ = v.from_posts(["flu clinic", "bus"])
        >>> v.transform_posts(["New flu clinics"]).X.toarray().tolist()
        [[0, 1, 1]]
        """
        return self._transform(_Input(posts, _TEXTS, "Vectorizer.transform_posts"))

    # ------------------------------------------------------------------ fitting
    def _fit(self, source: _Input) -> None:
        if callable(source.data):
            self._fit_streaming(source)
        else:
            self._fit_memory(source)

    def _fit_transform(self, source: _Input) -> DocTermMatrix:
        if callable(source.data):
            self._fit_streaming(source)
            return self._transform(source)
        ids, docs = self._fit_memory(source)
        return self._finish(ids, self._count(docs))

    def _collect(self, source: _Input) -> tuple[list[str], list[list[str]], Counter, Counter]:
        """Post ids, token lists and the surface/found counters of every chunk of ``source``."""
        ids: list[str] = []
        docs: list[list[str]] = []
        surface: Counter = Counter()
        found: Counter = Counter()
        for chunk_ids, tokens, chunk_surface, chunk_found in source.pieces(self):
            ids.extend(chunk_ids)
            docs.extend(tokens)
            surface.update(chunk_surface)
            found.update(chunk_found)
        return ids, docs, surface, found

    def _fit_memory(self, source: _Input) -> tuple[list[str], list[list[str]]]:
        self._check_params()
        ids, docs, surface, found = self._collect(source)
        self._set_phrases(self._learn_phrases(docs[: self.phrase_sample]) if self.phrases else None)
        docs = self._apply_phrases(docs)
        df: Counter = Counter()
        counts: Counter = Counter()
        for doc in docs:
            counts.update(doc)
        for doc in docs:
            df.update(set(doc))
        self._select(df, counts, len(docs), surface, found, source.texts)
        return ids, docs

    def _fit_streaming(self, source: _Input) -> None:
        self._check_params()
        surface: Counter = Counter()
        found: Counter = Counter()
        self._set_phrases(None)
        if self.phrases:
            model = self._learn_phrases([])
            seen = 0
            for _, tokens, chunk_surface, chunk_found in source.pieces(self):
                surface.update(chunk_surface)
                found.update(chunk_found)
                if seen < self.phrase_sample:
                    add_documents(model, tokens[: self.phrase_sample - seen])
                    seen += len(tokens)
            self._set_phrases(model)
        df: Counter = Counter()
        counts: Counter = Counter()
        n_docs = 0
        for _, tokens, chunk_surface, chunk_found in source.pieces(self):
            if not self.phrases:
                surface.update(chunk_surface)
                found.update(chunk_found)
            docs = self._apply_phrases(tokens)
            n_docs += len(docs)
            for doc in docs:
                counts.update(doc)
                df.update(set(doc))
        self._select(df, counts, n_docs, surface, found, source.texts)

    def _select(self, df: Counter, counts: Counter, n_docs: int, surface: Counter, found: Counter, texts: bool) -> None:
        """Prune the vocabulary and record display forms and the report."""
        self.vocab_, report = prune(
            df, counts, n_docs, surface, min_df=self.min_df, max_df=self.max_df, max_features=self.max_features
        )
        self.vocabulary_ = {t: i for i, t in enumerate(self.vocab_["term"])}
        self.report_ = dict(
            report,
            phrases=0 if self.phrases_ is None else len(self.phrases_.phrasegrams),
            redacted=dict(sorted(found.items())) if texts else None,
            tokenizer=repr(self._tokenizer()) if texts else None,
        )

    # ------------------------------------------------------------------ transforming
    def _transform(self, source: _Input) -> DocTermMatrix:
        if not hasattr(self, "vocabulary_"):
            from sklearn.exceptions import NotFittedError

            raise NotFittedError(
                f"this {type(self).__name__} is not fitted yet; call fit, fit_transform or from_posts first"
            )
        ids: list[str] = []
        blocks: list[sp.csr_matrix] = []
        for chunk_ids, tokens, _, _ in source.pieces(self):
            ids.extend(chunk_ids)
            blocks.append(self._count(self._apply_phrases(tokens)))
        X = sp.vstack(blocks, format="csr") if blocks else sp.csr_matrix((0, len(self.vocabulary_)), dtype=np.int64)
        return self._finish(ids, X)

    def _count(self, docs: list[list[str]]) -> sp.csr_matrix:
        vocab = self.vocabulary_
        indptr = [0]
        indices: list[int] = []
        for doc in docs:
            indices.extend(i for i in map(vocab.get, doc) if i is not None)
            indptr.append(len(indices))
        X = sp.csr_matrix(
            (
                np.ones(len(indices), dtype=np.int64),
                np.asarray(indices, dtype=np.int64),
                np.asarray(indptr, dtype=np.int64),
            ),
            shape=(len(docs), len(vocab)),
        )
        X.sum_duplicates()
        return X

    def _finish(self, ids: list[str], X: sp.csr_matrix) -> DocTermMatrix:
        report = dict(self.report_)
        post_ids = np.asarray(ids, dtype=object)
        empty = np.diff(X.indptr) == 0
        report["posts"] = len(ids)
        report["empty_posts"] = int(empty.sum())
        report["empty_post_ids"] = post_ids[empty][:1000].tolist()
        if self.drop_empty and empty.any():
            X = X[~empty]
            post_ids = post_ids[~empty]
        report["posts_kept"] = len(post_ids)
        vocab = self.vocab_.copy()
        return DocTermMatrix(X, post_ids, vocab, report)

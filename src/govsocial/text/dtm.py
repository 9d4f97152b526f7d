"""Document-term matrices: posts → tokens → phrases → pruned vocabulary → CSR counts.

:class:`Vectorizer` follows scikit-learn's conventions (``fit``, ``transform``,
``fit_transform``; parameters only stored in ``__init__``) and returns a
:class:`DocTermMatrix`: the CSR count matrix together with the ``post_id`` of each
row, the vocabulary with readable display forms, and a report of what was dropped
and why.

Example
-------
>>> import govsocial.core.schema as schema
>>> posts = schema.conform({"post_id": ["a", "b", "c"], "platform": ["x"] * 3,
...     "text": ["Flu vaccines free at clinics", "Flu vaccine clinic open", "Bus delays"]})
>>> dtm = Vectorizer(min_df=2, max_df=1.0, phrases=False).fit_transform(posts)
>>> dtm.terms, dtm.display, list(dtm.post_ids)
(['clinic', 'flu', 'vaccin'], ['clinics', 'flu', 'vaccines'], ['a', 'b'])
>>> dtm.report["empty_posts"]
1
"""

from __future__ import annotations

import numbers
from collections import Counter
from typing import Any, Callable, Iterable, Iterator

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator

from .batch import texts_and_ids, tokenize_chunks
from .matrix import DocTermMatrix
from .tokenizer import Tokenizer

__all__ = ["DocTermMatrix", "Vectorizer"]

_SPECIAL = ("#", "@", "url:", "emoji_")


def _identity(doc: list[str]) -> list[str]:
    return doc


def _is_special(token: str) -> bool:
    return token.startswith(_SPECIAL)


def _split_special(doc: list[str]) -> tuple[list[str], list[str]]:
    words = [t for t in doc if not t.startswith(_SPECIAL)]
    if len(words) == len(doc):
        return words, []
    return words, [t for t in doc if t.startswith(_SPECIAL)]


class Vectorizer(BaseEstimator):
    """Posts → document-term matrix, with phrases, pruning and a report.

    Parameters
    ----------
    tokenizer: a :class:`~govsocial.text.Tokenizer` (default settings when None).
    phrases: join collocations (``mental_health``) with gensim's ``Phrases`` (NPMI scoring).
        Hashtags, emoji, links and handles never take part in phrases.
    phrase_min_count: minimum count of a bigram to become a phrase.
    phrase_threshold: NPMI threshold in (-1, 1] (gensim's ``npmi`` scorer).
    phrase_sample: learn phrases on at most this many posts (the first ones), then apply to all.
    min_df: drop terms in fewer documents (int) or a smaller share of documents (float).
    max_df: drop terms in more documents (int) or a larger share (float).
    max_features: keep at most this many terms, the most frequent.
    drop_empty: drop posts left without terms (they are listed in the report).
    n_jobs: processes for tokenising (``-1``: all cores).
    batch_size: posts per tokenising chunk.

    Data may be a posts table, a Series of texts indexed by post id, a list of
    texts, or — for corpora larger than memory — a *callable* returning a fresh
    iterator of chunks (each a posts table, Series or list); it is read twice
    by ``fit`` and once by ``transform``, and only counts are kept.

    Example
    -------
    >>> v = Vectorizer(min_df=1, max_df=1.0, phrases=False)
    >>> m = v.fit_transform(["Road closed", "Road open"])
    >>> m.terms, v.transform(["closed road again"]).X.toarray().tolist()
    (['close', 'open', 'road'], [[1, 0, 1]])
    """

    def __init__(self, tokenizer: Tokenizer | None = None, *, phrases: bool = True, phrase_min_count: int = 10,
                 phrase_threshold: float = 0.5, phrase_sample: int = 200_000, min_df: float = 2,
                 max_df: float = 0.5, max_features: int | None = None, drop_empty: bool = True, n_jobs: int = 1,
                 batch_size: int = 50_000) -> None:
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
                isinstance(value, float) and 0.0 < value <= 1.0)
            if not ok:
                raise ValueError(f"{name} must be an int >= 1 (documents) or a float in (0, 1] (share); got {value!r}")

        frac_or_count("min_df", self.min_df)
        frac_or_count("max_df", self.max_df)
        if self.max_features is not None and (not isinstance(self.max_features, numbers.Integral)
                                              or self.max_features < 1):
            raise ValueError(f"max_features must be None or an int >= 1; got {self.max_features!r}")
        if not -1.0 < float(self.phrase_threshold) <= 1.0:
            raise ValueError(f"phrase_threshold must be a float in (-1, 1] (NPMI); got {self.phrase_threshold!r}")
        if not isinstance(self.phrase_min_count, numbers.Integral) or self.phrase_min_count < 1:
            raise ValueError(f"phrase_min_count must be an int >= 1; got {self.phrase_min_count!r}")

    def _sources(self, data: Any) -> Iterator[tuple[list[str], list[list[str]], Counter, Counter]]:
        """Yield (post_ids, tokens, surface counts, redaction counts) per chunk."""
        chunks: Iterable[Any] = data() if callable(data) else [data]
        for chunk in chunks:
            texts, ids = texts_and_ids(chunk)
            start = 0
            for tokens, surface, found in tokenize_chunks(self._tokenizer(), texts, n_jobs=self.n_jobs,
                                                          batch_size=self.batch_size):
                yield ids[start:start + len(tokens)], tokens, surface, found
                start += len(tokens)

    def _learn_phrases(self, docs: Iterable[list[str]]) -> Any:
        from gensim.models.phrases import Phrases

        model = Phrases(min_count=self.phrase_min_count, threshold=self.phrase_threshold, scoring="npmi",
                        connector_words=frozenset())
        model.add_vocab(_split_special(d)[0] for d in docs)
        return model

    def _phrase_pairs(self) -> dict[tuple[str, str], str]:
        pairs = self.__dict__.get("_pairs")
        if pairs is None:
            frozen = getattr(self, "phrases_", None)
            pairs = {}
            for gram in (frozen.phrasegrams if frozen is not None else {}):
                parts = gram.split("_")
                if len(parts) == 2:  # a word with "_" inside cannot be told apart from a phrase; skipped
                    pairs[(parts[0], parts[1])] = gram
            self.__dict__["_pairs"] = pairs
        return pairs

    def _apply_phrases(self, docs: list[list[str]]) -> list[list[str]]:
        """Join learned bigrams left to right, as gensim's ``FrozenPhrases`` does, only faster."""
        pairs = self._phrase_pairs()
        if not pairs:
            return docs
        get = pairs.get
        out = []
        for doc in docs:
            n = len(doc)
            if n < 2:
                out.append(doc)
                continue
            new: list[str] = []
            i = 0
            while i < n - 1:
                gram = get((doc[i], doc[i + 1]))
                if gram is not None:
                    new.append(gram)
                    i += 2
                else:
                    new.append(doc[i])
                    i += 1
            if i == n - 1:
                new.append(doc[i])
            out.append(new)
        return out

    # ------------------------------------------------------------------ fitting
    def fit(self, data: Any, y: Any = None) -> "Vectorizer":
        """Learn phrases, the vocabulary and display forms.

        Example
        -------
        >>> Vectorizer(min_df=1, phrases=False).fit(["flu clinic", "bus"]).vocabulary_
        {'bus': 0, 'clinic': 1, 'flu': 2}
        """
        if callable(data):
            self._fit_streaming(data)
        else:
            self._fit_memory(data)
        return self

    def fit_transform(self, data: Any, y: Any = None) -> DocTermMatrix:
        """Fit and return the document-term matrix of ``data`` (tokenising only once in memory).

        Example
        -------
        >>> int(Vectorizer(min_df=1, max_df=1.0, phrases=False).fit_transform(["a flu", "flu"]).X.sum())
        2
        """
        if callable(data):
            return self.fit(data).transform(data)
        ids, docs = self._fit_memory(data)
        return self._finish(ids, self._count(docs))

    def _collect(self, data: Any) -> tuple[list[str], list[list[str]], Counter, Counter]:
        """Post ids, token lists and the surface/found counters of every chunk of ``data``."""
        ids: list[str] = []
        docs: list[list[str]] = []
        surface: Counter = Counter()
        found: Counter = Counter()
        for chunk_ids, tokens, chunk_surface, chunk_found in self._sources(data):
            ids.extend(chunk_ids)
            docs.extend(tokens)
            surface.update(chunk_surface)
            found.update(chunk_found)
        return ids, docs, surface, found

    def _fit_memory(self, data: Any) -> tuple[list[str], list[list[str]]]:
        self._check_params()
        ids, docs, surface, found = self._collect(data)
        self.phrases_ = None
        self.__dict__.pop("_pairs", None)
        if self.phrases:
            self.phrases_ = self._learn_phrases(docs[: self.phrase_sample]).freeze()
        docs = self._apply_phrases(docs)
        df: Counter = Counter()
        counts: Counter = Counter()
        for doc in docs:
            counts.update(doc)
        for doc in docs:
            df.update(set(doc))
        self._select(df, counts, len(docs), surface, found)
        return ids, docs

    def _fit_streaming(self, data: Callable[[], Iterable[Any]]) -> None:
        self._check_params()
        surface: Counter = Counter()
        found: Counter = Counter()
        self.phrases_ = None
        self.__dict__.pop("_pairs", None)
        if self.phrases:
            from gensim.models.phrases import Phrases

            model = Phrases(min_count=self.phrase_min_count, threshold=self.phrase_threshold, scoring="npmi",
                            connector_words=frozenset())
            seen = 0
            for _, tokens, chunk_surface, chunk_found in self._sources(data):
                surface.update(chunk_surface)
                found.update(chunk_found)
                if seen < self.phrase_sample:
                    model.add_vocab(_split_special(d)[0] for d in tokens[: self.phrase_sample - seen])
                    seen += len(tokens)
            self.phrases_ = model.freeze()
        df: Counter = Counter()
        counts: Counter = Counter()
        n_docs = 0
        for _, tokens, chunk_surface, chunk_found in self._sources(data):
            if not self.phrases:
                surface.update(chunk_surface)
                found.update(chunk_found)
            docs = self._apply_phrases(tokens)
            n_docs += len(docs)
            for doc in docs:
                counts.update(doc)
                df.update(set(doc))
        self._select(df, counts, n_docs, surface, found)

    def _select(self, df: Counter, counts: Counter, n_docs: int, surface: Counter, found: Counter) -> None:
        """Prune the vocabulary and record display forms and the report."""
        if n_docs == 0:
            raise ValueError("no documents to learn a vocabulary from (the input is empty)")
        terms = np.array(sorted(df), dtype=object)
        dfs = np.array([df[t] for t in terms], dtype=np.int64)
        cnt = np.array([counts[t] for t in terms], dtype=np.int64)
        min_docs = self.min_df if isinstance(self.min_df, numbers.Integral) else int(np.ceil(self.min_df * n_docs))
        max_docs = self.max_df if isinstance(self.max_df, numbers.Integral) else int(np.floor(self.max_df * n_docs))
        low = dfs < min_docs
        high = (dfs > max_docs) & ~low
        keep = ~low & ~high
        beyond = np.zeros_like(keep)
        if self.max_features is not None and keep.sum() > self.max_features:
            idx = np.flatnonzero(keep)
            order = idx[np.lexsort((terms[idx].astype(str), -cnt[idx]))]
            beyond[order[self.max_features:]] = True
            keep &= ~beyond
        if not keep.any():
            raise ValueError(
                f"no terms left after pruning {len(terms)} terms (min_df={self.min_df!r} → at least {min_docs} "
                f"documents, max_df={self.max_df!r} → at most {max_docs}); lower min_df or raise max_df")
        kept = terms[keep]
        self.vocabulary_ = {t: i for i, t in enumerate(kept)}
        best: dict[str, tuple[int, str]] = {}
        for (norm, form), n in surface.items():
            if form and (norm not in best or (n, form) > best[norm]):
                best[norm] = (n, form)
        display = [self._display(t, best) for t in kept]
        self.vocab_ = pd.DataFrame({"term": kept.astype(str), "display": display, "df": dfs[keep],
                                    "count": cnt[keep]})

        def examples(mask: np.ndarray) -> list[str]:
            idx = np.flatnonzero(mask)
            top = idx[np.argsort(-cnt[idx], kind="stable")][:10]
            return terms[top].astype(str).tolist()

        self.report_ = {
            "documents": n_docs,
            "terms_seen": len(terms),
            "terms_kept": int(keep.sum()),
            "dropped_terms": {
                f"in fewer than {min_docs} documents (min_df={self.min_df!r})": int(low.sum()),
                f"in more than {max_docs} documents (max_df={self.max_df!r})": int(high.sum()),
                f"beyond max_features={self.max_features!r}": int(beyond.sum()),
            },
            "dropped_examples": {"min_df": examples(low), "max_df": examples(high), "max_features": examples(beyond)},
            "phrases": 0 if self.phrases_ is None else len(self.phrases_.phrasegrams),
            "redacted": dict(sorted(found.items())),
            "tokenizer": repr(self._tokenizer()),
        }

    @staticmethod
    def _display(term: str, best: dict[str, tuple[int, str]]) -> str:
        if _is_special(term):
            return term
        parts = term.split("_") if "_" in term and term not in best else [term]
        return " ".join(best.get(p, (0, p))[1] for p in parts)

    # ------------------------------------------------------------------ transforming
    def transform(self, data: Any) -> DocTermMatrix:
        """Map posts onto the learned vocabulary (unknown terms are ignored).

        Example
        -------
        >>> v = Vectorizer(min_df=1, max_df=1.0, phrases=False).fit(["flu clinic", "bus"])
        >>> v.transform(["new flu clinic"]).X.toarray().tolist()
        [[0, 1, 1]]
        """
        if not hasattr(self, "vocabulary_"):
            from sklearn.exceptions import NotFittedError

            raise NotFittedError("this Vectorizer is not fitted yet; call fit or fit_transform first")
        ids: list[str] = []
        blocks: list[sp.csr_matrix] = []
        for chunk_ids, tokens, _, _ in self._sources(data):
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
        X = sp.csr_matrix((np.ones(len(indices), dtype=np.int64), np.asarray(indices, dtype=np.int64),
                           np.asarray(indptr, dtype=np.int64)), shape=(len(docs), len(vocab)))
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

"""What the text verbs read: raw texts or token lists, each with its post id.

One place turns the shapes users hand over into lists (and reads a call's data chunk by
chunk, tokenising raw texts, for the :class:`~govsocial.text.dtm.Vectorizer`): :func:`texts_and_ids` (a posts
table, a Series of texts indexed by post id, a list of texts) for the tokeniser, and
:func:`tokens_and_ids` (a Series of token lists indexed by post id, as
:func:`~govsocial.text.batch.tokenize` returns, a table with ``post_id`` and ``tokens``
columns, as ``govsocial tokenize`` writes, or a list of token lists) for the
:class:`~govsocial.text.dtm.Vectorizer`. :func:`holds_tokens` tells the two apart.

Example
-------
>>> import pandas as pd
>>> tokens = pd.Series([["flu", "clinic"], ["bus"]], index=pd.Index(["a", "b"], name="post_id"))
>>> holds_tokens(tokens), holds_tokens(["Flu clinic", "Bus"])
(True, False)
>>> tokens_and_ids(tokens)
([['flu', 'clinic'], ['bus']], ['a', 'b'])
"""

from __future__ import annotations

import sys
import warnings
from collections import Counter
from itertools import chain
from types import FrameType
from typing import Any, Iterable, Iterator

import numpy as np
import pandas as pd

__all__ = ["texts_and_ids", "tokens_and_ids", "holds_tokens", "as_collection"]

_AUTO, _TEXTS = "auto", "texts"  # what a call reads: tokens (raw texts deprecated), or raw texts
_Piece = tuple[list[str], list[list[str]], Counter, Counter]  # post ids, tokens, surface and redaction counts

_TOKEN_LISTS = (list, tuple, np.ndarray)


def as_collection(data: Any) -> Any:
    """``data`` itself when it can be read twice (a table, Series, list, tuple or array), else a list of it.

    Example
    -------
    >>> as_collection(t for t in ["a", "b"])
    ['a', 'b']
    """
    if isinstance(data, str):
        raise TypeError(
            "expected many documents (a posts table, a Series or a list); got one string — wrap it in a list"
        )
    if isinstance(data, (pd.DataFrame, pd.Series, list, tuple, np.ndarray)):
        return data
    return list(data)


def holds_tokens(data: Any, *, empty: bool = True) -> bool:
    """Whether ``data`` holds token lists (True) or raw texts (False); ``empty`` is the answer for no documents.

    A table holds tokens when it has a ``tokens`` column; a Series or a list when its first
    document that is not missing is a list (or tuple, or array) rather than a string.

    Example
    -------
    >>> holds_tokens([["road", "close"]]), holds_tokens(["Road closed"]), holds_tokens([], empty=False)
    (True, False, False)
    """
    data = as_collection(data)
    if isinstance(data, pd.DataFrame):
        return "tokens" in data.columns
    values = data.array if isinstance(data, pd.Series) else data
    for value in values:
        if isinstance(value, _TOKEN_LISTS):
            return True
        if not _missing(value):  # the first document that is not missing decides
            return False
    return empty


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def _ids(data: Any, n: int) -> list[str]:
    if isinstance(data, pd.DataFrame):
        return data["post_id"].astype(str).tolist() if "post_id" in data.columns else [str(i) for i in data.index]
    if isinstance(data, pd.Series):
        return [str(i) for i in data.index]
    return [str(i) for i in range(n)]


def texts_and_ids(data: Any) -> tuple[list[str], list[str]]:
    """Texts and post ids from a posts table, a Series (index = post id) or a list of texts.

    Example
    -------
    >>> texts_and_ids(["a", "b"])
    (['a', 'b'], ['0', '1'])
    """
    data = as_collection(data)
    if isinstance(data, pd.DataFrame):
        if "text" not in data.columns:
            raise ValueError("the table has no 'text' column; pass a posts table (see docs/schema.md)")
        texts = data["text"].tolist()
    else:
        texts = data.tolist() if isinstance(data, (pd.Series, np.ndarray)) else list(data)
    return texts, _ids(data, len(texts))


def tokens_and_ids(data: Any) -> tuple[list[list[str]], list[str]]:
    """Token lists and post ids from a Series of token lists (index = post id), a table with
    ``post_id`` and ``tokens`` columns, or a list of token lists; the lists are used as given.

    Example
    -------
    >>> import pandas as pd
    >>> tokens_and_ids(pd.DataFrame({"post_id": ["a"], "tokens": [("flu", "jab")]}))
    ([['flu', 'jab']], ['a'])
    >>> tokens_and_ids([["flu"], "flu jab"])
    Traceback (most recent call last):
    TypeError: document 1 is a str, not a list of tokens; tokenise texts first (gs.tokenize) or pass posts to Vectorizer.from_posts
    """
    data = as_collection(data)
    if isinstance(data, pd.DataFrame):
        if "tokens" not in data.columns:
            raise ValueError("the table has no 'tokens' column; pass the Series that gs.tokenize returns")
        docs = data["tokens"].tolist()
    else:
        docs = data.tolist() if isinstance(data, (pd.Series, np.ndarray)) else list(data)
    ids = _ids(data, len(docs))
    for i, doc in enumerate(docs):
        if type(doc) is not list:
            if not isinstance(doc, _TOKEN_LISTS):
                raise TypeError(
                    f"document {ids[i]} is a {type(doc).__name__}, not a list of tokens; tokenise texts "
                    "first (gs.tokenize) or pass posts to Vectorizer.from_posts"
                )
            docs[i] = doc.tolist() if isinstance(doc, np.ndarray) else list(doc)
    odd = [t for t in set(map(type, chain.from_iterable(docs))) if not issubclass(t, str)]
    if odd:  # one pass over all tokens at C speed; the slow search only when something is wrong
        i, token = next((i, t) for i, doc in enumerate(docs) for t in doc if isinstance(t, tuple(odd)))
        raise TypeError(f"document {ids[i]} holds {token!r} ({type(token).__name__}); tokens must be strings")
    return docs, ids


def _warn_texts(method: str) -> None:
    """The deprecation of raw texts in fit/fit_transform/transform, pointed at the caller's line."""
    frame: FrameType | None = sys._getframe(1)
    level = 2
    while frame is not None and str(frame.f_globals.get("__name__", "")).startswith("govsocial.text."):
        frame, level = frame.f_back, level + 1
    posts = "transform_posts(posts)" if method == "transform" else "Vectorizer(...).from_posts(posts)"
    warnings.warn(
        f"Vectorizer.{method} got raw texts: tokenising inside fit, fit_transform and transform is "
        f"deprecated and will raise in the next release; use {posts}, or tokens, report = "
        f"gs.tokenize(posts) and then {method}(tokens)",
        FutureWarning,
        stacklevel=level,
    )


class _Input:
    """The data of one call, read chunk by chunk as (post ids, tokens, surface counts, redaction counts)."""

    def __init__(
        self, data: Any, expect: str, method: str, hint: str = "pass them to fit_transform (or fit, transform) instead"
    ) -> None:
        self.data = data if callable(data) else as_collection(data)
        self.expect, self.method, self.hint = expect, method, hint
        self.texts = False  # raw texts were read (and tokenised)

    def pieces(self, v: Any) -> Iterator[_Piece]:
        """The chunks of the data; texts are tokenised with ``v``'s tokenizer, ``n_jobs`` and ``batch_size``."""
        from .batch import tokenize_chunks

        chunks: Iterable[Any] = self.data() if callable(self.data) else [self.data]
        tokenizer = None
        for chunk in chunks:
            chunk = as_collection(chunk)
            if holds_tokens(chunk, empty=self.expect != _TEXTS):
                if self.expect == _TEXTS:
                    raise TypeError(
                        f"{self.method} reads raw posts (a posts table, or texts); these are token lists: {self.hint}"
                    )
                docs, ids = tokens_and_ids(chunk)
                yield ids, docs, Counter(), Counter()
                continue
            if self.expect == _AUTO and not self.texts:
                _warn_texts(self.method)
            self.texts = True
            tokenizer = tokenizer or v._tokenizer()  # one per reading: its token cache serves every chunk
            texts, ids = texts_and_ids(chunk)
            start = 0
            for tokens, surface, found in tokenize_chunks(tokenizer, texts, n_jobs=v.n_jobs, batch_size=v.batch_size):
                yield ids[start : start + len(tokens)], tokens, surface, found
                start += len(tokens)

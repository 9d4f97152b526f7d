"""Tokenising many posts: chunked, optionally on several processes, keyed by ``post_id``."""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Iterator, Sequence

import pandas as pd

from .tokenizer import Tokenizer

__all__ = ["tokenize", "texts_and_ids", "tokenize_chunks"]

_WORKER: dict[str, Tokenizer] = {}


def texts_and_ids(data: Any) -> tuple[list[str], list[str]]:
    """Texts and post ids from a posts table, a Series (index = post id) or a list of texts.

    Example
    -------
    >>> texts_and_ids(["a", "b"])
    (['a', 'b'], ['0', '1'])
    """
    if isinstance(data, str):
        raise TypeError("expected many texts (a posts table, a Series or a list); got one string — wrap it in a list")
    if isinstance(data, pd.DataFrame):
        if "text" not in data.columns:
            raise ValueError("the table has no 'text' column; pass a posts table (see docs/schema.md)")
        ids = data["post_id"].astype(str).tolist() if "post_id" in data.columns else [str(i) for i in data.index]
        return data["text"].tolist(), ids
    if isinstance(data, pd.Series):
        return data.tolist(), [str(i) for i in data.index]
    texts = list(data)
    return texts, [str(i) for i in range(len(texts))]


def _init(tokenizer: Tokenizer) -> None:
    _WORKER["tokenizer"] = tokenizer


def _work(texts: list[str]) -> tuple[str, Counter, Counter]:
    tokens, surface, found = _WORKER["tokenizer"].tokenize_many(texts, return_surface=True)  # type: ignore[misc]
    # tokens never contain whitespace, so one string carries the chunk cheaply between processes
    return "\n".join(" ".join(t) for t in tokens), surface, found


def _unpack(block: str) -> list[list[str]]:
    was_enabled = gc.isenabled()
    gc.disable()  # millions of small lists, no cycles
    try:
        return [line.split(" ") if line else [] for line in block.split("\n")]
    finally:
        if was_enabled:
            gc.enable()


def tokenize_chunks(tokenizer: Tokenizer, texts: Sequence[str], *, n_jobs: int = 1, batch_size: int = 50_000
                    ) -> Iterator[tuple[list[list[str]], Counter, Counter]]:
    """Yield ``(tokens, surface_counts, redaction_counts)`` chunk by chunk, in order.

    Example
    -------
    >>> chunks = list(tokenize_chunks(Tokenizer(), ["Flu clinic", "Bus delays"], batch_size=1))
    >>> [c[0] for c in chunks]
    [[['flu', 'clinic']], [['bus', 'delay']]]
    """
    n_jobs = _n_jobs(n_jobs)
    if batch_size < 1:
        raise ValueError(f"batch_size must be an int in [1, inf); got {batch_size}")
    chunks = [texts[i:i + batch_size] for i in range(0, len(texts), batch_size)]
    if n_jobs == 1 or len(chunks) < 2:
        for chunk in chunks:
            yield tokenizer.tokenize_many(list(chunk), return_surface=True)  # type: ignore[misc]
        return
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    # Freeze the parent's objects before forking so the workers' garbage collector
    # does not touch (and so copy) every page the parent holds.
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=n_jobs, mp_context=context, initializer=_init,
                                 initargs=(tokenizer,)) as pool:
            for block, surface, found in pool.map(_work, chunks):
                yield _unpack(block), surface, found
    finally:
        gc.unfreeze()


def _n_jobs(n_jobs: int) -> int:
    if not isinstance(n_jobs, int) or n_jobs == 0 or n_jobs < -1:
        raise ValueError(f"n_jobs must be a positive int or -1 (all cores); got {n_jobs!r}")
    return (os.cpu_count() or 1) if n_jobs == -1 else n_jobs


def tokenize(data: Any, tokenizer: Tokenizer | None = None, *, n_jobs: int = 1, batch_size: int = 50_000
             ) -> tuple[pd.Series, dict[str, Any]]:
    """Tokenise posts: a Series of token lists indexed by ``post_id``, and a report.

    The report counts posts, tokens, posts left without tokens (listed by id)
    and the personal information redacted, by type.

    Example
    -------
    >>> import govsocial.schema as schema
    >>> posts = schema.conform({"post_id": ["a", "b"], "platform": ["x", "x"],
    ...                         "text": ["Free #FluVax clinic", "call me on 0491 570 156"]})
    >>> tokens, report = tokenize(posts)
    >>> tokens["a"], tokens["b"], report["redacted"]
    (['free', '#fluvax', 'flu', 'vax', 'clinic'], [], {'phone': 1})
    """
    tokenizer = tokenizer or Tokenizer()
    texts, ids = texts_and_ids(data)
    out: list[list[str]] = []
    found: Counter = Counter()
    for tokens, _, redacted in tokenize_chunks(tokenizer, texts, n_jobs=n_jobs, batch_size=batch_size):
        out.extend(tokens)
        found.update(redacted)
    series = pd.Series(out, index=pd.Index(ids, name="post_id"), name="tokens", dtype=object)
    empty = [i for i, t in zip(ids, out) if not t]
    report = {
        "posts": len(out),
        "tokens": int(sum(map(len, out))),
        "empty_posts": len(empty),
        "empty_post_ids": empty[:1000],
        "redacted": dict(sorted(found.items())),
        "tokenizer": repr(tokenizer),
    }
    return series, report

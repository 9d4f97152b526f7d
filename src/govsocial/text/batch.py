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


def _work(texts: list[str], surface: bool = True) -> tuple[str, Counter, Counter]:
    tokenizer = _WORKER["tokenizer"]
    if surface:
        tokens, counts, found = tokenizer.tokenize_many(texts, return_surface=True)  # type: ignore[misc]
    else:
        tokens, counts, found = tokenizer.tokenize_many(texts), Counter(), Counter()  # type: ignore[assignment]
    # tokens never contain whitespace, so one string carries the chunk cheaply between processes
    return "\n".join(" ".join(t) for t in tokens), counts, found


def _warm(tokenizer: Tokenizer) -> None:
    """Load the tokeniser's data (stopwords, stemmer, emoji names, word counts) once, before forking."""
    from .emoji import emoji_names
    from .hashtags import _unigrams

    tokenizer._state()
    emoji_names()
    if tokenizer.hashtags in ("split", "words"):
        _unigrams()


def _unpack(block: str) -> list[list[str]]:
    was_enabled = gc.isenabled()
    gc.disable()  # millions of small lists, no cycles
    try:
        return [line.split(" ") if line else [] for line in block.split("\n")]
    finally:
        if was_enabled:
            gc.enable()


def tokenize_chunks(tokenizer: Tokenizer, texts: Sequence[str], *, n_jobs: int = 1, batch_size: int = 50_000,
                    surface: bool = True) -> Iterator[tuple[list[list[str]], Counter, Counter]]:
    """Yield ``(tokens, surface_counts, redaction_counts)`` chunk by chunk, in order.

    With ``surface=False`` the surface-form and redaction counts are skipped (empty),
    which saves work when only tokens are needed.

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
            if surface:
                yield tokenizer.tokenize_many(list(chunk), return_surface=True)  # type: ignore[misc]
            else:
                yield tokenizer.tokenize_many(list(chunk)), Counter(), Counter()  # type: ignore[misc]
        return
    _warm(tokenizer)
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    # The calling process is one of the n_jobs: it tokenises every n_jobs-th chunk itself
    # (no copying of results for those) while n_jobs - 1 workers take the others.
    # Freezing the parent's objects before forking keeps the workers' garbage collector
    # from touching (and so copying) every page the parent holds.
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=n_jobs - 1, mp_context=context, initializer=_init,
                                 initargs=(tokenizer,)) as pool:
            yield from _schedule(pool, tokenizer, chunks, surface, in_flight=2 * (n_jobs - 1))
    finally:
        gc.unfreeze()


def _schedule(pool: ProcessPoolExecutor, tokenizer: Tokenizer, chunks: list[Sequence[str]], surface: bool,
              in_flight: int) -> Iterator[tuple[list[list[str]], Counter, Counter]]:
    """Workers take chunks from the front, the calling process from the back; yield in order."""

    def local(chunk: Sequence[str]) -> tuple[list[list[str]], Counter, Counter]:
        if surface:
            return tokenizer.tokenize_many(list(chunk), return_surface=True)  # type: ignore[return-value]
        return tokenizer.tokenize_many(list(chunk)), Counter(), Counter()  # type: ignore[return-value]

    front, back = 0, len(chunks)  # chunks[front:back] are neither submitted nor done locally
    futures: dict[int, Any] = {}
    results: dict[int, tuple[list[list[str]], Counter, Counter]] = {}

    def refill() -> None:
        nonlocal front
        while len(futures) < in_flight and front < back:
            futures[front] = pool.submit(_work, chunks[front], surface)
            front += 1

    refill()
    for i in range(len(chunks)):
        while i not in results:
            future = futures.get(i)
            if future is not None and (future.done() or front >= back):
                block, counts, found = futures.pop(i).result()
                results[i] = (_unpack(block), counts, found)
                refill()
            elif front < back:
                back -= 1
                results[back] = local(chunks[back])
            else:  # pragma: no cover - every index is either submitted or computed locally
                raise RuntimeError("tokenise scheduler lost a chunk")
        yield results.pop(i)


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
    >>> import govsocial.core.schema as schema
    >>> posts = schema.conform({"post_id": ["a", "b"], "platform": ["x", "x"],
    ...                         "text": ["Free #FluVax clinic", "call me on 0491 570 156"]})
    >>> tokens, report = tokenize(posts)
    >>> tokens["a"], tokens["b"], report["redacted"]
    (['free', '#fluvax', 'flu', 'vax', 'clinic'], ['call'], {'phone': 1})
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

"""Tokenising many posts: chunked, optionally on several processes, keyed by ``post_id``."""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from itertools import chain, islice
from typing import Any, Iterator, Sequence

import pandas as pd

from .documents import texts_and_ids
from .tokenizer import Tokenizer

__all__ = ["tokenize", "texts_and_ids", "tokenize_chunks"]

_WORKER: dict[str, Tokenizer] = {}


_Result = tuple[list[list[str]], Counter, Counter]
_TASK_MAX = 10_000  # texts per task of the parallel path; smaller tasks balance the processes better
_PRIME = 1_000  # texts the calling process tokenises before it forks the workers (see tokenize_chunks)
_TASKS_PER_JOB = 16  # tasks per process at least: smaller tasks leave less to wait for at the end


def _init(tokenizer: Tokenizer) -> None:
    _WORKER["tokenizer"] = tokenizer


def _work(texts: Sequence[str], surface: bool, known: list[tuple[bytes, str | None]]) -> bytes:
    """A worker's task: ``known`` token-cache entries from the parent in, tokens and new entries out.

    The result is pickled here, so that the parent unpickles it when it is ready to (with
    the garbage collector paused), not in the pool's result thread.
    """
    tokenizer = _WORKER["tokenizer"]
    norm = tokenizer._state()["norm"]
    norm.update(known)
    before, clears = len(norm), norm.clears
    tokens, counts, found = _local(tokenizer, texts, surface)
    fresh = _newest(norm, len(norm) - before) if norm.clears == clears else list(norm.items())
    return pickle.dumps((tokens, counts, found, fresh), protocol=pickle.HIGHEST_PROTOCOL)


def _newest(cache: dict[bytes, str | None], count: int) -> list[tuple[bytes, str | None]]:
    """The last ``count`` entries added to a cache (dicts keep insertion order), without walking the others."""
    return list(islice(reversed(cache.items()), count))[::-1] if count > 0 else []


def _local(tokenizer: Tokenizer, texts: Sequence[str], surface: bool) -> _Result:
    if surface:
        return tokenizer.tokenize_many(list(texts), return_surface=True)  # type: ignore[return-value]
    return tokenizer.tokenize_many(list(texts)), Counter(), Counter()  # type: ignore[return-value]


def _warm(tokenizer: Tokenizer) -> None:
    """Load the tokeniser's data (stopwords, stemmer, emoji names, word counts) once, before forking."""
    from .emoji import emoji_names
    from .hashtags import _unigrams

    tokenizer._state()
    emoji_names()
    if tokenizer.hashtags in ("split", "words"):
        _unigrams()


def _loads(payload: bytes) -> tuple[list[list[str]], Counter, Counter, list[tuple[bytes, str | None]]]:
    was_enabled = gc.isenabled()
    gc.disable()  # millions of small lists, no cycles
    try:
        return pickle.loads(payload)
    finally:
        if was_enabled:
            gc.enable()


def tokenize_chunks(
    tokenizer: Tokenizer, texts: Sequence[str], *, n_jobs: int = 1, batch_size: int = 50_000, surface: bool = True
) -> Iterator[_Result]:
    """Yield ``(tokens, surface_counts, redaction_counts)`` chunk by chunk, in order.

    With ``surface=False`` the surface-form and redaction counts are skipped (empty),
    which saves work when only tokens are needed. With ``n_jobs > 1`` the chunks are cut
    into tasks of at most 10,000 texts shared between the calling process and
    ``n_jobs - 1`` workers, which exchange what their token caches learn; the calling
    process tokenises the first 1,000 texts before it forks the workers, which so start
    with its caches. The chunks are the same as with one process.

    Example
    -------
    >>> chunks = list(tokenize_chunks(Tokenizer(), ["Flu clinic", "Bus delays"], batch_size=1))
    >>> [c[0] for c in chunks]
    [[['flu', 'clinic']], [['bus', 'delay']]]
    """
    n_jobs = _n_jobs(n_jobs)
    if batch_size < 1:
        raise ValueError(f"batch_size must be an int in [1, inf); got {batch_size}")
    chunks = [texts[i : i + batch_size] for i in range(0, len(texts), batch_size)]
    size = min(batch_size, _TASK_MAX, max(500, -(-len(texts) // (_TASKS_PER_JOB * n_jobs))))
    if n_jobs == 1 or len(texts) <= size:
        for chunk in chunks:
            yield _local(tokenizer, chunk, surface)
        return
    # tasks: (chunk index, texts); every chunk is cut into tasks of at most `size` texts
    tasks = [(c, chunk[i : i + size]) for c, chunk in enumerate(chunks) for i in range(0, len(chunk), size)]
    _warm(tokenizer)
    # The calling process tokenises the first texts before the workers are forked (at the first
    # submit): they start with the caches those texts filled (the commonest words and hashtags)
    # instead of each normalising, stemming and segmenting them again.
    c0, first = tasks[0]
    tasks = ([(c0, first[_PRIME:])] if len(first) > _PRIME else []) + tasks[1:]
    primed = (c0, _local(tokenizer, first[:_PRIME], surface))
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    # Freezing the parent's objects before forking keeps the workers' garbage collector
    # from touching (and so copying) every page the parent holds.
    gc.freeze()
    try:
        with ProcessPoolExecutor(
            max_workers=n_jobs - 1, mp_context=context, initializer=_init, initargs=(tokenizer,)
        ) as pool:
            done = _schedule(pool, tokenizer, tasks, surface, in_flight=2 * (n_jobs - 1))
            yield from _assemble(chain([primed], done))
    finally:
        gc.unfreeze()


def _assemble(done: Iterator[tuple[int, _Result]]) -> Iterator[_Result]:
    """Join consecutive task results of the same chunk into that chunk's result."""
    current = -1
    parts: list[_Result] = []
    for chunk, result in done:
        if chunk != current and parts:
            yield _join(parts)
            parts = []
        current = chunk
        parts.append(result)
    if parts:
        yield _join(parts)


def _join(parts: list[_Result]) -> _Result:
    if len(parts) == 1:
        return parts[0]
    tokens: list[list[str]] = []
    counts: Counter = Counter()
    found: Counter = Counter()
    for t, c, f in parts:
        tokens.extend(t)
        counts.update(c)
        found.update(f)
    return tokens, counts, found


def _schedule(
    pool: ProcessPoolExecutor,
    tokenizer: Tokenizer,
    tasks: list[tuple[int, Sequence[str]]],
    surface: bool,
    in_flight: int,
) -> Iterator[tuple[int, _Result]]:
    """Workers take tasks from the front, the calling process from the back; yield in order.

    The calling process tokenises a task of its own whenever the next result is not
    ready. Each submitted task carries the token-cache entries the calling process has
    learnt since the previous one, and each result brings back the worker's new entries.
    """
    norm = tokenizer._state()["norm"]
    front, back = 0, len(tasks)  # tasks[front:back] are neither submitted nor done locally
    futures: dict[int, Any] = {}
    results: dict[int, _Result] = {}
    # norm's first `sent` entries are known to the workers (forked at the first submit, they start with all of them)
    sent, clears = len(norm), norm.clears

    def refill() -> None:
        nonlocal front, sent, clears
        while len(futures) < in_flight and front < back:
            if norm.clears != clears:
                sent, clears = 0, norm.clears
            known = _newest(norm, len(norm) - sent)
            sent = len(norm)
            futures[front] = pool.submit(_work, tasks[front][1], surface, known)
            front += 1

    refill()
    for i in range(len(tasks)):
        while i not in results:
            future = futures.get(i)
            if future is not None and (future.done() or front >= back):
                tokens, counts, found, fresh = _loads(futures.pop(i).result())
                up_to_date = sent == len(norm) and clears == norm.clears
                norm.update(fresh)
                if up_to_date:  # what the worker sent back need not go out again
                    sent = len(norm)
                results[i] = (tokens, counts, found)
                refill()
            elif front < back:
                back -= 1
                results[back] = _local(tokenizer, tasks[back][1], surface)
            else:  # pragma: no cover - every index is either submitted or computed locally
                raise RuntimeError("tokenise scheduler lost a chunk")
        yield tasks[i][0], results.pop(i)


def _n_jobs(n_jobs: int) -> int:
    if not isinstance(n_jobs, int) or n_jobs == 0 or n_jobs < -1:
        raise ValueError(f"n_jobs must be a positive int or -1 (all cores); got {n_jobs!r}")
    return (os.cpu_count() or 1) if n_jobs == -1 else n_jobs


def tokenize(
    data: Any, tokenizer: Tokenizer | None = None, *, n_jobs: int = 1, batch_size: int = 50_000, progress: bool = False
) -> tuple[pd.Series, dict[str, Any]]:
    """Tokenise posts: a Series of token lists indexed by ``post_id``, and a report.

    ``data``: a posts table, a Series of texts indexed by post id, or a list of texts.
    ``tokenizer``: the :class:`~govsocial.text.Tokenizer` to use (default settings when None);
    ``n_jobs`` processes tokenise chunks of ``batch_size`` posts; ``progress`` shows a bar.
    The report counts posts, tokens, posts left without tokens (listed by id)
    and the personal information redacted, by type, and names the tokenizer.
    The tokens go to :meth:`Vectorizer.fit_transform <govsocial.text.dtm.Vectorizer.fit_transform>`.

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
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(texts), unit="posts", desc="tokenise", leave=False)
    for tokens, _, redacted in tokenize_chunks(tokenizer, texts, n_jobs=n_jobs, batch_size=batch_size):
        out.extend(tokens)
        found.update(redacted)
        if bar is not None:
            bar.update(len(tokens))
    if bar is not None:
        bar.close()
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

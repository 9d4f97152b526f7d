"""Tokenising many posts: chunked, optionally on several processes, keyed by ``post_id``."""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import shutil
import tempfile
from collections import Counter
from itertools import islice
from multiprocessing.connection import Connection, wait
from typing import Any, Iterator, Sequence, cast

import pandas as pd

from .documents import texts_and_ids
from .tokenizer import Tokenizer

__all__ = ["tokenize", "texts_and_ids", "tokenize_chunks"]

_Result = tuple[list[list[str]], Counter, Counter]
_TASK_MAX = 10_000  # texts per task of the parallel path; smaller tasks balance the processes better
_TASKS_PER_JOB = 16  # tasks per process at least: smaller tasks leave less to wait for at the end
_AHEAD = 8  # tasks per worker that the workers may run ahead of the results taken in order
_FRONT, _BACK, _LIMIT = 0, 1, 2  # the shared counters: next task from the front, end of the tasks left, front's bound


def _claim(counters: Any, lock: Any, front: bool) -> int | None:
    """The next task from the front (a worker) or the back (the calling process); None when none is left.

    A worker gets -1 while it is too far ahead of the results taken (it waits, then asks again).
    """
    with lock:
        if counters[_FRONT] >= counters[_BACK]:
            return None
        if not front:
            counters[_BACK] -= 1
            return int(counters[_BACK])
        if counters[_FRONT] >= counters[_LIMIT]:
            return -1
        counters[_FRONT] += 1
        return int(counters[_FRONT]) - 1


def _worker(
    tokenizer: Tokenizer, tasks: list[tuple[int, Sequence[str]]], surface: bool, shared: tuple, conn: Connection
) -> None:
    """A forked worker: tasks from the front until none is left, each result to a file, its index to ``conn``.

    The tasks are the parent's list, inherited at the fork (nothing is sent); each result
    carries the token-cache entries the task added, for the parent's cache.
    """
    import time

    gc.disable()  # short-lived: millions of small objects and no cycles
    counters, lock, folder = shared
    norm = tokenizer._state()["norm"]
    try:
        while (i := _claim(counters, lock, front=True)) is not None:
            if i < 0:
                time.sleep(0.002)
                continue
            before, clears = len(norm), norm.clears
            tokens, counts, found = _local(tokenizer, tasks[i][1], surface)
            fresh = _newest(norm, len(norm) - before) if norm.clears == clears else list(norm.items())
            with open(os.path.join(folder, f"{i}.pickle"), "wb") as f:
                pickle.dump((tokens, counts, found, fresh), f, protocol=pickle.HIGHEST_PROTOCOL)
            conn.send(i)
        conn.send(None)
    except BaseException as e:  # the parent re-raises it
        conn.send(f"{type(e).__name__}: {e}")


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


def _load(path: str) -> tuple[list[list[str]], Counter, Counter, list[tuple[bytes, str | None]]]:
    """A worker's result, read and removed (with the garbage collector paused: millions of small lists, no cycles)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        with open(path, "rb") as f:
            result = pickle.load(f)
    finally:
        if was_enabled:
            gc.enable()
    os.remove(path)
    return result


def tokenize_chunks(
    tokenizer: Tokenizer, texts: Sequence[str], *, n_jobs: int = 1, batch_size: int = 50_000, surface: bool = True
) -> Iterator[_Result]:
    """Yield ``(tokens, surface_counts, redaction_counts)`` chunk by chunk, in order.

    With ``surface=False`` the surface-form and redaction counts are skipped (empty),
    which saves work when only tokens are needed. With ``n_jobs > 1`` the chunks are cut
    into tasks of at most 10,000 texts shared between the calling process (from the
    back) and ``n_jobs - 1`` forked workers (from the front), which inherit the tasks and
    the tokeniser's caches, write each result to a file and send back what their token
    caches learnt. The chunks are the same as with one process. Without the ``fork``
    start method (Windows) the texts are tokenised in the calling process.

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
    if n_jobs == 1 or len(texts) <= size or "fork" not in multiprocessing.get_all_start_methods():
        for chunk in chunks:
            yield _local(tokenizer, chunk, surface)
        return
    # tasks: (chunk index, texts); every chunk is cut into tasks of at most `size` texts
    tasks = [(c, chunk[i : i + size]) for c, chunk in enumerate(chunks) for i in range(0, len(chunk), size)]
    _warm(tokenizer)
    yield from _assemble(_parallel(tokenizer, tasks, surface, n_jobs - 1))


def _parallel(
    tokenizer: Tokenizer, tasks: list[tuple[int, Sequence[str]]], surface: bool, workers: int
) -> Iterator[tuple[int, _Result]]:
    """Fork the workers, share the tasks with them, yield ``(chunk, result)`` task by task in order."""
    context = multiprocessing.get_context("fork")
    ahead = _AHEAD * workers
    counters = context.RawArray("q", [0, len(tasks), ahead])
    lock = context.Lock()
    shm = "/dev/shm"  # files in memory where there is such a place
    folder = tempfile.mkdtemp(prefix="govsocial-tokens-", dir=shm if os.access(shm, os.W_OK) else None)
    conns, procs = [], []
    # Freezing the parent's objects before forking (until the end) keeps the garbage collector of
    # either process from touching, and so copying, every page they share.
    gc.freeze()
    try:
        for _ in range(workers):
            reader, writer = context.Pipe(duplex=False)
            proc = context.Process(
                target=_worker, args=(tokenizer, tasks, surface, (counters, lock, folder), writer), daemon=True
            )
            proc.start()
            writer.close()
            conns.append(reader)
            procs.append(proc)
        results: dict[int, _Result] = {}
        ready: set[int] = set()
        norm = tokenizer._state()["norm"]
        for i in range(len(tasks)):
            while i not in results:
                _poll(conns, procs, ready, block=False)
                if i in ready:
                    ready.remove(i)
                    tokens, counts, found, fresh = _load(os.path.join(folder, f"{i}.pickle"))
                    norm.update(fresh)  # what the worker's cache learnt
                    results[i] = (tokens, counts, found)
                elif (j := _claim(counters, lock, front=False)) is not None:
                    results[j] = _local(tokenizer, tasks[j][1], surface)
                else:  # task i is a worker's, not done yet
                    _poll(conns, procs, ready, block=True)
            with lock:
                counters[_LIMIT] = i + 1 + ahead
            yield tasks[i][0], results.pop(i)
    finally:
        gc.unfreeze()
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
            proc.join()
        shutil.rmtree(folder, ignore_errors=True)


def _poll(conns: list[Connection], procs: list[Any], ready: set[int], block: bool) -> None:
    """Add the indices of the tasks the workers have finished to ``ready``; wait for one if ``block``."""
    timeout = 1.0 if block else 0.0
    while True:
        if not conns:
            if block:  # a worker ended without sending every index it claimed
                raise RuntimeError("the tokenising workers ended before every task was done; run with n_jobs=1")
            return
        waiting = wait(conns, timeout=timeout)
        if not waiting:
            if not block:
                return
            if not all(p.is_alive() for p in procs):
                raise RuntimeError("a tokenising worker ended without its results; run again with n_jobs=1")
            continue
        for conn in waiting:
            conn = cast(Connection, conn)
            try:
                message = conn.recv()
            except EOFError:
                message = None
            if message is None:  # the worker is done
                conns.remove(conn)
            elif isinstance(message, str):
                raise RuntimeError(f"a tokenising worker failed: {message}")
            else:
                ready.add(int(message))
        timeout, block = 0.0, False


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

"""``engine="dask"``: approximate distributed Gibbs sampling of LDA and DMM (AD-LDA).

Newman, Asuncion, Smyth & Welling (2009), "Distributed algorithms for topic models",
*JMLR* 10: 1801–1828. The documents are split into P shards, each kept on a Dask
worker for the whole fit. In a round, every shard runs ``sync_every`` Gibbs sweeps with
its own copy of the topic–word counts (and topic totals; for DMM also the topic sizes),
then the copies are merged,

.. math::

    n_{kw} \\leftarrow n_{kw} + \\sum_{p=1}^{P} \\left(n^{(p)}_{kw} - n_{kw}\\right),

and the merged counts are broadcast for the next round. Only count matrices travel
(sparse changes back, the merged matrix out); documents and assignments stay on the
workers. Merged counts are exact tallies of the current assignments; the approximation
is that a shard does not see the others' moves until the next merge. Each shard lives in
a Dask actor (``_shards.ShardActor``) on one worker, so a round costs one message per
shard each way; a worker lost during the fit fails it (fit again).

Each shard draws its random numbers from its own stream, seeded from ``random_state``
and the shard index (``SeedSequence(seed).spawn(P)``), so a fit is deterministic for a
given number of shards whatever the number, order or placement of the workers.
"""

from __future__ import annotations

import contextlib
from typing import Any, Iterator

import numpy as np
import scipy.sparse as sp

from ...core.exceptions import MissingDependencyError
from ...core.validation import check_random_state
from . import _shards
from .base import sweeps
from .constraints import Int, OneOf, Rule, check_params

__all__ = [
    "SharesClient",
    "check_engine_options",
    "check_dask_params",
    "shard_rows",
    "shard_seeds",
    "merge",
    "dask_client",
    "fit_lda",
    "fit_dmm",
]


_DASK_OPTIONS = {"n_shards": None, "sync_every": 1, "client": None}
#: the rules of the Dask engine's parameters, checked only with engine="dask"
_DASK_CONSTRAINTS: dict[str, Rule | tuple[Rule, ...]] = {
    "n_jobs": Int(1),
    "sync_every": Int(1),
    "n_shards": (OneOf(None, why="None: n_jobs shards"), Int(1)),
}


def check_engine_options(model: Any, engines: tuple[str, ...]) -> None:
    """Check ``model.engine``; refuse the Dask options (``n_shards``, ``sync_every``, ``client``)
    with another engine, where they would be silently ignored.

    Example
    -------
    >>> from types import SimpleNamespace as NS
    >>> check_engine_options(NS(engine="gibbs", n_shards=4, sync_every=1, client=None), ("gibbs", "dask"))
    Traceback (most recent call last):
    ...
    ValueError: n_shards=4 is used only with engine='dask'; got engine='gibbs': pass engine='dask' or leave n_shards at its default
    """
    if model.engine not in engines:
        raise ValueError(f"engine must be one of {', '.join(map(repr, engines))}; got {model.engine!r}")
    if model.engine == "dask":
        return
    for name, default in _DASK_OPTIONS.items():
        value = getattr(model, name, default)
        if value is not default and value != default:
            raise ValueError(
                f"{name}={value!r} is used only with engine='dask'; got engine={model.engine!r}: "
                f"pass engine='dask' or leave {name} at its default"
            )


class SharesClient:
    """Mixin for models with a ``client`` parameter: ``sklearn.base.clone`` gives the clone the
    same live Dask client (a connection cannot be deep-copied) and copies everything else.

    Example
    -------
    >>> from sklearn.base import clone
    >>> from govsocial.topics.models import DMM
    >>> live = object()  # stands for a dask.distributed.Client
    >>> clone(DMM(engine="dask", client=live)).client is live
    True
    """

    def __sklearn_clone__(self) -> Any:
        client = getattr(self, "client", None)
        if client is None or isinstance(client, str):
            return super().__sklearn_clone__()  # type: ignore[misc]
        self.client = None
        try:
            new = super().__sklearn_clone__()  # type: ignore[misc]
        finally:
            self.client = client
        new.client = client
        return new


def _require_dask() -> None:
    for package in ("dask", "distributed"):
        try:
            __import__(package)
        except ImportError:
            raise MissingDependencyError(package, extra="dask") from None


def check_dask_params(model: Any) -> tuple[int, int]:
    """Check ``n_jobs``, ``n_shards``, ``sync_every`` and ``client`` of a model with ``engine="dask"``;
    return (number of shards, sweeps between merges). Raises MissingDependencyError without Dask.

    Example
    -------
    >>> from types import SimpleNamespace as NS
    >>> check_dask_params(NS(n_jobs=2, n_shards=None, sync_every=1, client=None))  # doctest: +SKIP
    (2, 1)
    >>> check_dask_params(NS(n_jobs=2, n_shards=0, sync_every=1, client=None))
    Traceback (most recent call last):
    ...
    ValueError: n_shards must be None or an int in [1, inf); got 0 (None: n_jobs shards)
    """
    check_params(model, _DASK_CONSTRAINTS)
    n_shards = model.n_shards
    _require_dask()
    from distributed import Client

    if model.client is not None and not isinstance(model.client, (str, Client)):
        raise ValueError(
            f"client must be None (the current Dask client, or a LocalCluster of n_jobs processes), "
            f"a dask.distributed.Client or a scheduler address; got {type(model.client).__name__}"
        )
    return int(n_shards if n_shards is not None else model.n_jobs), int(model.sync_every)


def shard_rows(n_docs: int, n_shards: int) -> list[np.ndarray]:
    """Documents of each shard, dealt round-robin (shard p gets p, p + P, p + 2P, ...),
    so shards are mixed even when the corpus is sorted; empty shards are dropped.

    Example
    -------
    >>> [r.tolist() for r in shard_rows(5, 2)]
    [[0, 2, 4], [1, 3]]
    """
    return [rows for rows in (np.arange(p, n_docs, n_shards) for p in range(n_shards)) if rows.size]


def shard_seeds(random_state: Any, n_shards: int) -> list[np.random.SeedSequence]:
    """One independent seed per shard, derived from ``random_state`` and the shard index.

    Example
    -------
    >>> a, b = shard_seeds(7, 2), shard_seeds(7, 2)
    >>> a[1].generate_state(2).tolist() == b[1].generate_state(2).tolist() != a[0].generate_state(2).tolist()
    True
    """
    entropy = int(check_random_state(random_state).integers(2**63))
    return np.random.SeedSequence(entropy).spawn(n_shards)


def merge(n_kw: np.ndarray, deltas: list[_shards.Delta], m_k: np.ndarray | None = None) -> None:
    """Add every shard's change to the merged counts, in place: n ← n + Σ_p (n⁽ᵖ⁾ − n).

    Example
    -------
    >>> n = np.array([[1, 1], [0, 2]])
    >>> merge(n, [_shards.Delta(np.array([0, 1]), np.array([1, -1])), _shards.Delta(np.array([3]), np.array([-1]))])
    >>> n.tolist()
    [[2, 0], [0, 1]]
    """
    flat = n_kw.reshape(-1)
    for d in deltas:
        flat[d.idx] += d.val  # indices are unique within one delta
        if m_k is not None and d.m_k is not None:
            m_k += d.m_k


@contextlib.contextmanager
def dask_client(client: Any, n_workers: int) -> Iterator[Any]:
    """The client to run on: ``client`` itself, a connection to a scheduler address, the current
    client, or else a LocalCluster of ``n_workers`` single-threaded processes that is closed
    on exit.

    Example
    -------
    >>> with dask_client(None, 1) as c:  # doctest: +SKIP
    ...     len(c.scheduler_info()["workers"])
    1
    """
    from distributed import Client, LocalCluster, get_client

    if isinstance(client, Client):
        with client.as_current():  # actor handles find their client through the current one
            yield client
        return
    if isinstance(client, str):
        with Client(client, set_as_default=False) as connected, connected.as_current():
            yield connected
        return
    try:
        current = get_client()
    except ValueError:  # no current client
        current = None
    if current is not None:
        yield current
        return
    with (
        LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster,
        Client(cluster, set_as_default=False) as own,
        own.as_current(),
    ):
        yield own


def _pieces(client: Any, X: Any, n_shards: int, homes: list[str]) -> tuple[tuple[int, int], list[Any]]:
    """The corpus's shape and one future ``(rows, csr_matrix)`` per shard (posts dealt round-robin):
    scattered from the client for an in-memory matrix (shard p to worker ``homes[p]``), built on
    the workers from the count blocks of a :class:`~govsocial.text.dask.DaskDocTermMatrix` (the
    same pieces as from its ``.compute()``, without gathering the corpus on the client)."""
    if sp.issparse(X):
        rows = shard_rows(X.shape[0], n_shards)
        return X.shape, [client.scatter([(r, X[r])], workers=[homes[p]])[0] for p, r in enumerate(rows)]
    shape, pieces = X.deal(n_shards)
    return shape, client.compute(pieces)


def _start_shards(
    client: Any, X: Any, kind: str, K: int, n_shards: int, random_state: Any
) -> tuple[tuple[int, int], list[Any], list[_shards.Delta]]:
    """Place the shards once and start one actor per shard, shard p on worker p mod W (sorted
    addresses): the shards spread evenly whatever Dask would pick; return the corpus's shape,
    the actors and their initial counts."""
    workers = sorted(client.scheduler_info()["workers"])
    homes = [workers[p % len(workers)] for p in range(n_shards)]
    shape, pieces = _pieces(client, X, n_shards, homes)
    seeds = shard_seeds(random_state, n_shards)
    made = [
        client.submit(_shards.ShardActor, kind, p, K, s, actor=True, workers=[home])
        for p, s, home in zip(pieces, seeds, homes)
    ]
    actors = [f.result() for f in made]
    del pieces, made
    return shape, actors, _all(a.start() for a in actors)


def _all(calls: Any) -> list[Any]:
    """Results of actor calls made in parallel (all are sent before the first is awaited)."""
    return [c.result() for c in list(calls)]


def fit_lda(model: Any, X: Any, alpha: np.ndarray) -> None:
    """Fit ``model`` (an LDA) by AD-LDA; set the same attributes as the single-process sampler.
    Minka's update of alpha (every ``optimize_interval`` sweeps, at the next merge) uses the
    shards' count histograms, which add up to the whole corpus's.

    Example
    -------
    >>> import govsocial as gs
    >>> X = sp.csr_matrix(np.array([[3, 2, 0, 0], [2, 3, 0, 0], [0, 0, 3, 2], [0, 0, 2, 3]]))
    >>> m = gs.LDA(n_components=2, n_iter=50, engine="dask", n_jobs=2).fit(X)  # doctest: +SKIP
    """
    from .lda import minka_from_histograms

    n_shards, sync_every = check_dask_params(model)
    K = len(alpha)
    beta, interval, n_iter = float(model.beta), int(model.optimize_interval), int(model.n_iter)
    alpha = alpha.copy()
    with dask_client(model.client, int(model.n_jobs)) as client:
        (n_docs, V), actors, deltas = _start_shards(client, X, "lda", K, n_shards, model.random_state)
        n_kw = np.zeros((K, V), dtype=np.int64)
        merge(n_kw, deltas)
        done = 0
        for _ in sweeps(-(-n_iter // sync_every), model.verbose, f"{type(model).__name__} (dask)"):
            n = min(sync_every, n_iter - done)
            due = bool(interval) and (done + n) // interval > done // interval
            deltas = _all(a.step(n_kw, alpha, beta, n, due) for a in actors)
            merge(n_kw, deltas)
            if due:
                alpha = minka_from_histograms(*_add_histograms([d.hist for d in deltas if d.hist is not None]), alpha)
            done += n
        finals = _all(a.finish() for a in actors)
        del actors
    n_dk = np.zeros((n_docs, K), dtype=np.int64)
    for rows, part in finals:
        n_dk[rows] = part
    n_k = n_kw.sum(axis=1)
    model.n_kw_, model.alpha_ = n_kw, alpha
    model.components_ = (n_kw + beta) / (n_k[:, None] + V * beta)
    model.doc_topic_ = (n_dk + alpha) / (n_dk.sum(axis=1, keepdims=True) + alpha.sum())


def _add_histograms(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    top = max(h.shape[1] for h, _ in parts)
    hist = np.zeros((parts[0][0].shape[0], top))
    lengths = np.zeros(top)
    for h, n in parts:
        hist[:, : h.shape[1]] += h
        lengths[: n.shape[0]] += n
    return hist, lengths


def fit_dmm(model: Any, X: Any, K: int) -> None:
    """Fit ``model`` (a DMM) by AD-LDA-style distributed sampling (topic sizes m_k are merged like
    n_kw); set the same attributes as the single-process sampler. ``occupied_`` is recorded
    after each merge.

    Example
    -------
    >>> import govsocial as gs
    >>> X = sp.csr_matrix(np.array([[2, 1, 0, 0], [3, 1, 0, 0], [0, 0, 2, 2], [0, 0, 1, 3]]))
    >>> m = gs.DMM(n_components=4, n_iter=30, engine="dask", n_jobs=2).fit(X)  # doctest: +SKIP
    """
    n_shards, sync_every = check_dask_params(model)
    alpha, beta, n_iter = float(model.alpha), float(model.beta), int(model.n_iter)
    occupied = []
    with dask_client(model.client, int(model.n_jobs)) as client:
        (n_docs, V), actors, deltas = _start_shards(client, X, "dmm", K, n_shards, model.random_state)
        n_kw, m_k = np.zeros((K, V), dtype=np.int64), np.zeros(K, dtype=np.int64)
        merge(n_kw, deltas, m_k)
        done = 0
        for _ in sweeps(-(-n_iter // sync_every), model.verbose, f"{type(model).__name__} (dask)"):
            n = min(sync_every, n_iter - done)
            merge(n_kw, _all(a.step(n_kw, m_k, alpha, beta, n) for a in actors), m_k)
            occupied.append(int((m_k > 0).sum()))
            done += n
        finals = _all(a.finish(n_kw, m_k, alpha, beta) for a in actors)
        del actors
    z, labels = np.zeros(n_docs, dtype=np.int64), np.zeros(n_docs, dtype=np.int64)
    for rows, part_z, part_labels in finals:
        z[rows], labels[rows] = part_z, part_labels
    n_k = n_kw.sum(axis=1)
    model.m_k_, model.n_k_, model.n_kw_ = m_k, n_k, n_kw
    model.beta_extra_ = np.zeros((0, 0))
    model.last_sample_, model.labels_ = z, labels
    model.occupied_ = np.asarray(occupied, dtype=np.int64)
    model.n_occupied_ = int((m_k > 0).sum())
    model.components_ = (n_kw + beta) / (n_k[:, None] + V * beta)

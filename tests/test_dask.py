"""engine="dask" of LDA and DMM (AD-LDA) on a LocalCluster of 2 worker processes, against the
single-process sampler; and the optional-dependency contract (these run without Dask too)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.metrics import normalized_mutual_info_score as nmi

import govsocial as gs
from govsocial.core.exceptions import MissingDependencyError
from govsocial.topics.models import _shards
from govsocial.topics.models._distributed import merge, shard_rows, shard_seeds


def planted(n_docs: int = 240, K: int = 4, V: int = 60, length: int = 8, seed: int = 0):
    """Posts whose words come from their topic's own block of the vocabulary, plus one random word."""
    rng = np.random.default_rng(seed)
    topic = rng.integers(0, K, n_docs)
    block = V // K
    words = [np.r_[rng.integers(k * block, (k + 1) * block, length), rng.integers(0, V, 1)] for k in topic]
    rows = np.repeat(np.arange(n_docs), length + 1)
    X = sp.csr_matrix((np.ones(len(rows), dtype=np.int64), (rows, np.concatenate(words))), shape=(n_docs, V))
    X.sum_duplicates()
    return X, topic


# --------------------------------------------------------------------------- without Dask


def test_importing_govsocial_does_not_import_dask():
    code = (
        "import sys, govsocial, govsocial.topics.models; "
        "bad = [m for m in ('dask', 'distributed') if m in sys.modules]; assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("model", [gs.LDA(n_components=2, engine="dask"), gs.DMM(n_components=2, engine="dask")])
def test_engine_dask_without_dask_names_the_pip_line(model, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # makes `import distributed` fail
    with pytest.raises(MissingDependencyError, match=r'pip install "govsocial\[dask\]"'):
        model.fit(sp.csr_matrix(np.eye(3, dtype=np.int64)))


@pytest.mark.parametrize("option", [{"n_shards": 2}, {"sync_every": 3}, {"client": "tcp://127.0.0.1:8786"}])
@pytest.mark.parametrize("cls", [gs.LDA, gs.DMM])
def test_dask_options_with_another_engine_are_refused(cls, option):
    with pytest.raises(ValueError, match="only with engine='dask'"):
        cls(n_components=2, **option).fit(sp.csr_matrix(np.eye(3, dtype=np.int64)))


def test_bad_dask_options_say_which_and_what():
    with pytest.raises(ValueError, match=r"sync_every must be an int in \[1, inf\); got 0"):
        gs.DMM(n_components=2, engine="dask", sync_every=0).fit(sp.csr_matrix(np.eye(3, dtype=np.int64)))


def test_shards_deal_every_document_once():
    parts = shard_rows(11, 3)
    assert sorted(np.concatenate(parts).tolist()) == list(range(11))
    assert [len(p) for p in parts] == [4, 4, 3]


@pytest.mark.parametrize("kind", ["lda", "dmm"])
def test_merged_counts_equal_a_fresh_tally_of_the_assignments(kind):
    """Run the AD-LDA rounds in this process (no Dask): after each merge, the counts must equal
    the counts tallied directly from every shard's current topic assignments."""
    X, _ = planted(n_docs=60)
    K, V = 4, X.shape[1]
    start, step = (_shards.lda_start, _shards.lda_step) if kind == "lda" else (_shards.dmm_start, _shards.dmm_step)
    states = [start((rows, X[rows]), K, s) for rows, s in zip(shard_rows(60, 3), shard_seeds(5, 3))]
    n_kw, m_k = np.zeros((K, V), dtype=np.int64), np.zeros(K, dtype=np.int64)
    merge(n_kw, [d for _, d in states], m_k)
    for _ in range(3):
        args = (n_kw, np.full(K, 0.1), 0.01, 2, False) if kind == "lda" else (n_kw, m_k.copy(), 0.1, 0.1, 2)
        states = [step(s, *args) for s in states]
        merge(n_kw, [d for _, d in states], m_k)
        tally = np.zeros((K, V), dtype=np.int64)
        for shard, _ in states:
            if kind == "lda":
                np.add.at(tally, (shard.z, shard.word_of), 1)
            else:
                Xs = X[shard.rows].tocoo()  # the shard's posts, from the corpus itself
                np.add.at(tally, (shard.z[Xs.row], Xs.col), Xs.data)
        np.testing.assert_array_equal(n_kw, tally)
        if kind == "dmm":
            np.testing.assert_array_equal(m_k, np.bincount(np.concatenate([s.z for s, _ in states]), minlength=K))
    assert n_kw.sum() == X.sum()


def test_dmm_finish_labels_block_by_block_equal_the_whole_posterior(monkeypatch):
    """dmm_finish computes the posterior a block of posts at a time; blocks of 7 posts must give the
    argmax of the posterior of the whole shard computed in one call of the kernel."""
    from govsocial.topics.models._dmm_kernels import posterior

    X, _ = planted(n_docs=50)
    K, V = 4, X.shape[1]
    state = _shards.dmm_start((np.arange(50), X), K, np.random.SeedSequence(1))
    n_kw = np.zeros((K, V), dtype=np.int64)
    merge(n_kw, [state[1]])
    m_k = state[1].m_k
    state = _shards.dmm_step(state, n_kw, m_k, 0.1, 0.1, 3)
    merge(n_kw, [state[1]], m_k)
    monkeypatch.setattr(_shards, "_POSTERIOR_BLOCK", 7)
    _, _, labels = _shards.dmm_finish(state, n_kw, m_k, 0.1, 0.1)
    whole = np.empty((50, K))
    lengths = np.asarray(X.sum(axis=1)).ravel().astype(np.int64)
    args = (X.indptr.astype(np.int64), X.indices.astype(np.int64), X.data.astype(np.int64), lengths)
    posterior(*args, m_k, n_kw.sum(axis=1), n_kw, 0.1, 0.1, np.zeros((0, 0)), np.full(K, V * 0.1), whole)
    np.testing.assert_array_equal(labels, whole.argmax(axis=1))


# --------------------------------------------------------------------------- on a LocalCluster


@pytest.fixture(scope="module")
def client(request):
    """The session's LocalCluster (tests/conftest.py), shared with the other Dask tests: one
    cluster to start and stop instead of two."""
    pytest.importorskip("distributed")
    X, _ = planted(n_docs=20)  # compile the kernels here first, so the workers load them from numba's cache
    gs.LDA(n_components=2, n_iter=2).fit(X)
    gs.DMM(n_components=2, n_iter=2).fit(X)
    return request.getfixturevalue("dask_client")


@pytest.mark.parametrize("cls, kw, sync", [(gs.LDA, dict(n_iter=40), 4), (gs.DMM, dict(n_iter=15), 1)])
def test_dask_recovers_the_planted_topics_as_well_as_one_process(client, cls, kw, sync):
    X, truth = planted()
    single = cls(n_components=4, random_state=3, **kw).fit(X)
    dask = cls(n_components=4, random_state=3, engine="dask", n_shards=2, sync_every=sync, client=client, **kw).fit(X)
    assert nmi(truth, dask.labels_) >= nmi(truth, single.labels_) - 0.05
    assert nmi(truth, dask.labels_) > 0.9


def test_lda_counts_add_up_after_merging(client):
    X, _ = planted()
    m = gs.LDA(
        n_components=4,
        n_iter=21,
        optimize_interval=5,
        sync_every=2,
        random_state=1,
        engine="dask",
        n_shards=3,
        client=client,
    ).fit(X)
    np.testing.assert_array_equal(m.n_kw_.sum(axis=0), np.asarray(X.sum(axis=0)).ravel())  # every token, once
    lengths = np.asarray(X.sum(axis=1)).ravel()
    n_dk = m.doc_topic_ * (lengths + m.alpha_.sum())[:, None] - m.alpha_  # the shards' document-topic counts
    np.testing.assert_allclose(n_dk.sum(axis=0), m.n_kw_.sum(axis=1), atol=1e-6)
    assert not np.allclose(m.alpha_, 0.1)  # Minka's update ran on the merged histograms
    np.testing.assert_allclose(m.components_.sum(axis=1), 1.0)


def test_dmm_counts_equal_a_tally_of_the_last_sample(client):
    X, _ = planted()
    m = gs.DMM(n_components=6, n_iter=10, random_state=2, engine="dask", n_shards=3, client=client).fit(X)
    tally = np.zeros_like(m.n_kw_)
    Xc = X.tocoo()
    np.add.at(tally, (m.last_sample_[Xc.row], Xc.col), Xc.data)
    np.testing.assert_array_equal(m.n_kw_, tally)
    np.testing.assert_array_equal(m.m_k_, np.bincount(m.last_sample_, minlength=6))
    assert m.occupied_.shape == (10,) and m.n_occupied_ == m.occupied_[-1]


@pytest.mark.slow
@pytest.mark.parametrize("cls, kw", [(gs.LDA, dict(n_iter=20)), (gs.DMM, dict(n_iter=10))])
def test_same_shards_same_result_whatever_the_workers(client, cls, kw):
    """3 shards on 2 worker processes, then on 1 worker process: identical fits. (The single
    worker is a process too: an in-process LocalCluster beside the session's cluster hung
    about one run in two at this test.)"""
    from distributed import Client, LocalCluster

    X, _ = planted(n_docs=90)
    a = cls(n_components=4, random_state=9, engine="dask", n_shards=3, client=client, **kw).fit(X)
    with (
        LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0") as one,
        Client(one, set_as_default=False) as c1,
    ):
        b = cls(n_components=4, random_state=9, engine="dask", n_shards=3, client=c1, **kw).fit(X)
    np.testing.assert_array_equal(a.n_kw_, b.n_kw_)
    np.testing.assert_array_equal(a.labels_, b.labels_)
    np.testing.assert_array_equal(a.components_, b.components_)
    c = cls(n_components=4, random_state=9, engine="dask", n_shards=2, client=client, **kw).fit(X)
    assert not np.array_equal(a.n_kw_, c.n_kw_)  # the shard count is part of the result


@pytest.mark.slow
def test_fit_starts_and_closes_its_own_cluster():
    """With no current client, fit starts a LocalCluster of n_jobs processes and closes it."""
    pytest.importorskip("distributed")
    psutil = pytest.importorskip("psutil")
    from distributed import Client

    me = psutil.Process()
    before = {p.pid for p in me.children(recursive=True)}
    X, truth = planted(n_docs=80)
    m = gs.DMM(n_components=4, n_iter=10, random_state=0, engine="dask", n_jobs=2).fit(X)
    assert nmi(truth, m.labels_) > 0.8
    with pytest.raises(ValueError):
        Client.current()  # no client left behind
    alive = [
        p
        for p in me.children(recursive=True)
        if p.pid not in before
        and p.is_running()
        and p.status() != psutil.STATUS_ZOMBIE
        and "resource_tracker" not in " ".join(p.cmdline())
    ]  # multiprocessing's one per parent
    assert not alive, f"processes left running: {[p.cmdline() for p in alive]}"


def test_clone_keeps_the_client_and_the_clone_fits(client):
    from sklearn.base import clone

    X, _ = planted(n_docs=40)
    model = gs.DMM(n_components=3, n_iter=3, random_state=0, engine="dask", n_shards=2, client=client)
    copy = clone(model)
    assert copy.client is client and copy is not model
    np.testing.assert_array_equal(copy.fit(X).n_kw_, model.fit(X).n_kw_)


def test_dask_model_saves_and_loads_without_the_client(client, tmp_path):
    X, _ = planted(n_docs=40)
    m = gs.DMM(n_components=3, n_iter=5, random_state=0, engine="dask", n_shards=2, client=client).fit(X)
    loaded = gs.load_model(m.save(tmp_path / "dmm"))
    assert loaded.client is None and loaded.engine == "dask"
    np.testing.assert_array_equal(loaded.transform(X), m.transform(X))

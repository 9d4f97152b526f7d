"""DMM: the sampler's conditional against the formula, recovery of planted clusters, the estimator contract."""

import json
import math

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.metrics import normalized_mutual_info_score

from govsocial.topics.models import DMM, MODELS, load_model
from govsocial.topics.models._dmm_kernels import log_conditional


def planted_dmm(n_docs=600, K=6, V=300, seed=0):
    """Posts drawn from a known DMM: one cluster per post, words from that cluster's distribution."""
    rng = np.random.default_rng(seed)
    phi = rng.dirichlet(np.full(V, 0.05), size=K)
    labels = rng.integers(0, K, size=n_docs)
    rows = []
    for k in labels:
        length = rng.integers(6, 16)
        rows.append(np.bincount(rng.choice(V, size=length, p=phi[k]), minlength=V))
    return sp.csr_matrix(np.array(rows)), labels


def test_recovers_planted_clusters():
    X, labels = planted_dmm()
    model = DMM(n_components=12, n_iter=40, random_state=3).fit(X)
    assert normalized_mutual_info_score(labels, model.labels_) >= 0.9
    assert model.n_occupied_ <= 12 and model.occupied_.shape == (40,)


def test_conditional_matches_the_formula_with_repeated_words():
    # three posts; post 0 repeats word 1 three times
    X = sp.csr_matrix(np.array([[1, 3, 0, 0], [0, 2, 1, 0], [0, 0, 1, 2]]))
    z = np.array([0, 0, 1])
    K, V, alpha, beta = 2, 4, 0.3, 0.2
    d = 0
    # counts without post d
    keep = [i for i in range(3) if i != d]
    m_k = np.bincount(z[keep], minlength=K).astype(np.int64)
    n_kw = np.zeros((K, V), dtype=np.int64)
    for i in keep:
        n_kw[z[i]] += X[i].toarray()[0]
    n_k = n_kw.sum(axis=1)
    out = np.empty(K)
    log_conditional(
        d,
        X.indptr.astype(np.int64),
        X.indices.astype(np.int64),
        X.data.astype(np.int64),
        np.asarray(X.sum(axis=1)).ravel().astype(np.int64),
        m_k,
        n_k,
        n_kw,
        alpha,
        beta,
        np.zeros((0, 0)),
        np.full(K, V * beta),
        out,
    )
    row = X[d].toarray()[0]
    expected = []
    for k in range(K):
        value = math.log(m_k[k] + alpha)
        for w in range(V):
            value += math.lgamma(n_kw[k, w] + beta + row[w]) - math.lgamma(n_kw[k, w] + beta)
        value -= math.lgamma(n_k[k] + V * beta + row.sum()) - math.lgamma(n_k[k] + V * beta)
        expected.append(value)
    np.testing.assert_allclose(out, expected, rtol=1e-12)


def test_same_seed_same_model_and_transform_agrees_with_labels():
    X, _ = planted_dmm(n_docs=300, seed=1)
    a = DMM(n_components=8, n_iter=20, random_state=7).fit(X)
    b = DMM(n_components=8, n_iter=20, random_state=7).fit(X)
    np.testing.assert_array_equal(a.components_, b.components_)
    np.testing.assert_array_equal(a.labels_, b.labels_)
    c = DMM(n_components=8, n_iter=20, random_state=8).fit(X)
    assert not np.array_equal(a.labels_, c.labels_)
    theta = a.transform(X)
    np.testing.assert_allclose(theta.sum(axis=1), 1.0)
    assert (theta.argmax(axis=1) == a.labels_).mean() >= 0.95
    assert a.fit_transform(X).shape == (300, 8)


def test_tiny_obvious_corpus_and_readable_top_words(small_corpus):
    import govsocial as gs

    docs = ["flu vaccine clinic flu", "vaccine clinic flu shots", "bus train delays", "train bus timetable delays"]
    dtm = gs.Vectorizer(min_df=1, max_df=1.0, phrases=False).from_posts(docs)
    model = DMM(n_components=4, n_iter=30, random_state=0).fit(dtm)
    assert model.labels_[0] == model.labels_[1] != model.labels_[2] == model.labels_[3]
    words = {w for topic in model.top_words(2) for w in topic}
    assert "flu" in words or "vaccine" in words
    posts, _ = gs.read_posts(small_corpus / "posts.jsonl.gz")
    big = gs.Vectorizer(min_df=3).fit_transform(gs.tokenize(posts)[0])
    fitted = DMM(n_components=24, n_iter=10, random_state=0).fit(big)
    assert len(fitted.top_words(5)) == 24 and all(len(t) == 5 for t in fitted.top_words(5))


def test_save_load_round_trip_and_version_check(tmp_path):
    X, _ = planted_dmm(n_docs=100, seed=2)
    model = DMM(n_components=5, n_iter=5, random_state=0).fit(X)
    path = model.save(tmp_path / "dmm")
    again = load_model(path)
    for name in ("components_", "labels_", "n_kw_", "m_k_", "n_k_"):
        np.testing.assert_array_equal(getattr(again, name), getattr(model, name))
    np.testing.assert_array_equal(again.transform(X), model.transform(X))
    assert again.get_params() == model.get_params()
    meta = json.loads(path.read_text())
    meta["format_version"] = 99
    path.write_text(json.dumps(meta))
    with pytest.raises(ValueError, match="newer than this govsocial reads"):
        load_model(path)


@pytest.mark.parametrize(
    "params, match",
    [
        ({"n_components": 0}, "n_components must be an int in \\[1, inf\\); got 0"),
        ({"alpha": -1.0}, "alpha must be a float in \\(0, inf\\)"),
        ({"beta": 0}, "beta must be a float"),
        ({"n_iter": 0}, "n_iter"),
    ],
)
def test_invalid_parameters(params, match):
    with pytest.raises(ValueError, match=match):
        DMM(**params).fit(sp.csr_matrix(np.eye(3, dtype=int)))


def test_invalid_data_says_what_to_change():
    with pytest.raises(ValueError, match="empty"):
        DMM().fit(sp.csr_matrix((0, 5)))
    with pytest.raises(ValueError, match="no terms.*drop them"):
        DMM().fit(sp.csr_matrix(np.array([[1, 0], [0, 0]])))
    with pytest.raises(ValueError, match="non-negative"):
        DMM().fit(sp.csr_matrix(np.array([[1, -1]])))
    with pytest.raises(ValueError, match="TF-IDF"):
        DMM().fit(sp.csr_matrix(np.array([[0.5, 1.0]])))
    with pytest.raises(TypeError, match="Vectorizer"):
        DMM().fit(["a list of texts"])
    model = DMM(n_components=2, n_iter=2, random_state=0).fit(sp.csr_matrix(np.eye(3, dtype=int)))
    with pytest.raises(ValueError, match="same Vectorizer"):
        model.transform(sp.csr_matrix(np.eye(4, dtype=int)))


def test_clone_keeps_every_parameter():
    model = DMM(n_components=7, alpha=0.2, random_state=5)
    assert clone(model).get_params() == model.get_params()
    assert MODELS["dmm"] is DMM


def test_fast_conditional_is_proportional_to_the_log_one():
    from govsocial.topics.models._dmm_kernels import conditional

    X, _ = planted_dmm(n_docs=50, K=3, V=40, seed=4)
    rng = np.random.default_rng(0)
    z = rng.integers(0, 5, size=50)
    z[z == 4] = 3  # topic 4 stays empty
    K, V = 5, 40
    args = (
        X.indptr.astype(np.int64),
        X.indices.astype(np.int64),
        X.data.astype(np.int64),
        np.asarray(X.sum(axis=1)).ravel().astype(np.int64),
    )
    for d in range(5):
        keep = np.arange(50) != d
        m_k = np.bincount(z[keep], minlength=K).astype(np.int64)
        n_kw = np.zeros((K, V), dtype=np.int64)
        for i in np.flatnonzero(keep):
            n_kw[z[i]] += X[i].toarray()[0]
        n_k = n_kw.sum(axis=1)
        logp, p = np.empty(K), np.empty(K)
        plain = (np.zeros((0, 0)), np.full(K, V * 0.1))
        log_conditional(d, *args, m_k, n_k, n_kw, 0.1, 0.1, *plain, logp)
        assert conditional(d, *args, m_k, n_k, n_kw, 0.1, 0.1, *plain, np.zeros(K, dtype=bool), p)
        np.testing.assert_allclose(p / p.sum(), np.exp(logp - logp.max()) / np.exp(logp - logp.max()).sum(), rtol=1e-9)
        # with seed priors on topic 1: both forms still agree
        extra = np.zeros((K, V))
        extra[1, :3] = 2.0
        seeded = (extra, V * 0.1 + extra.sum(axis=1))
        log_conditional(d, *args, m_k, n_k, n_kw, 0.1, 0.1, *seeded, logp)
        assert conditional(d, *args, m_k, n_k, n_kw, 0.1, 0.1, *seeded, extra.sum(axis=1) > 0, p)
        np.testing.assert_allclose(p / p.sum(), np.exp(logp - logp.max()) / np.exp(logp - logp.max()).sum(), rtol=1e-9)


def test_progress_bar_does_not_change_results(capsys):
    from govsocial.topics.models import LDA

    X, _ = planted_dmm(n_docs=60, K=3, seed=3)
    for cls, kw in ((DMM, {"n_iter": 12}), (LDA, {"n_iter": 12})):
        quiet = cls(n_components=3, random_state=1, **kw).fit(X)
        loud = cls(n_components=3, random_state=1, verbose=True, **kw).fit(X)
        np.testing.assert_array_equal(quiet.components_, loud.components_)
    assert "sweep" in capsys.readouterr().err

"""LDA: both engines behind the interface; determinism, fold-in, persistence, parameter rules."""

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.metrics import normalized_mutual_info_score

from govsocial.topics.models import LDA, MODELS, load_model
from govsocial.topics.models.lda import minka_alpha

from .test_models_dmm import planted_dmm


def test_gibbs_recovers_planted_topics_and_is_reproducible():
    X, labels = planted_dmm(n_docs=400, K=5, seed=9)
    a = LDA(n_components=5, n_iter=150, random_state=2).fit(X)
    b = LDA(n_components=5, n_iter=150, random_state=2).fit(X)
    np.testing.assert_array_equal(a.components_, b.components_)
    assert normalized_mutual_info_score(labels, a.labels_) >= 0.8
    np.testing.assert_allclose(a.components_.sum(axis=1), 1.0)
    theta = a.transform(X)
    np.testing.assert_allclose(theta.sum(axis=1), 1.0)
    assert (theta.argmax(axis=1) == a.labels_).mean() >= 0.9
    assert MODELS["lda"] is LDA


@pytest.mark.slow
def test_gensim_engine_and_asymmetric_priors():
    X, labels = planted_dmm(n_docs=200, K=3, seed=10)
    model = LDA(n_components=3, engine="gensim", n_iter=5, alpha="auto", random_state=0).fit(X)
    assert model.components_.shape == (3, X.shape[1]) and model.alpha_.shape == (3,)
    assert model.transform(X).shape == (200, 3)
    asym = LDA(n_components=3, alpha=[0.5, 0.1, 0.1], n_iter=20, optimize_interval=0, random_state=0).fit(X)
    np.testing.assert_array_equal(asym.alpha_, [0.5, 0.1, 0.1])
    learned = LDA(n_components=3, n_iter=20, random_state=0).fit(X)
    assert learned.alpha_.shape == (3,) and not np.allclose(learned.alpha_, 0.1)


def test_minka_fixed_point_recovers_a_known_dirichlet():
    rng = np.random.default_rng(0)
    truth = np.array([0.8, 0.3, 0.1, 0.05])
    theta = rng.dirichlet(truth, size=4000)
    counts = np.array([rng.multinomial(60, p) for p in theta])
    estimate = minka_alpha(counts, np.ones(4), n_steps=500)
    np.testing.assert_allclose(estimate, truth, rtol=0.15)


def test_save_load_round_trip(tmp_path):
    X, _ = planted_dmm(n_docs=80, K=3, seed=11)
    model = LDA(n_components=3, n_iter=20, random_state=0).fit(X)
    again = load_model(model.save(tmp_path / "lda"))
    np.testing.assert_array_equal(again.components_, model.components_)
    np.testing.assert_array_equal(again.transform(X), model.transform(X))
    assert clone(model).get_params() == model.get_params()


@pytest.mark.parametrize(
    "params, match",
    [
        ({"n_components": 0}, "n_components must be an int in \\[1, inf\\); got 0"),
        ({"alpha": -0.1}, "alpha must be > 0"),
        ({"alpha": [0.1, 0.2]}, "one float or 3 floats"),
        ({"alpha": "auto"}, "needs engine='gensim'"),
        ({"beta": 0.0}, "beta must be a float in \\(0, inf\\)"),
        ({"engine": "mallet"}, "engine must be"),
        ({"n_iter": 0}, "n_iter"),
        ({"optimize_interval": -1}, "optimize_interval must be an int in \\[0, inf\\)"),
    ],
)
def test_invalid_parameters(params, match):
    with pytest.raises(ValueError, match=match):
        LDA(**{"n_components": 3, **params}).fit(sp.csr_matrix(np.eye(3, dtype=int)))

"""NMF baseline: obvious structure, determinism, persistence, errors."""

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.metrics import normalized_mutual_info_score

from govsocial.topics.models import NMF, load_model

from .test_models_dmm import planted_dmm


def test_recovers_planted_clusters_reasonably_and_is_deterministic():
    X, labels = planted_dmm(n_docs=400, K=5, seed=5)
    a = NMF(n_components=5, random_state=0).fit(X)
    b = NMF(n_components=5, random_state=0).fit(X)
    np.testing.assert_array_equal(a.components_, b.components_)
    assert normalized_mutual_info_score(labels, a.labels_) >= 0.8
    theta = a.transform(X)
    np.testing.assert_allclose(theta.sum(axis=1), 1.0)
    assert (theta.argmax(axis=1) == a.labels_).mean() >= 0.95
    np.testing.assert_allclose(a.components_.sum(axis=1), 1.0)


def test_save_load_round_trip(tmp_path):
    X, _ = planted_dmm(n_docs=100, K=3, seed=6)
    model = NMF(n_components=3, random_state=0).fit(X)
    again = load_model(model.save(tmp_path / "nmf"))
    np.testing.assert_array_equal(again.components_, model.components_)
    np.testing.assert_allclose(again.transform(X), model.transform(X))


def test_errors():
    with pytest.raises(ValueError, match="n_components must be an int in \\[1, inf\\); got 0"):
        NMF(n_components=0).fit(sp.csr_matrix(np.eye(3, dtype=int)))
    with pytest.raises(ValueError, match="no terms"):
        NMF().fit(sp.csr_matrix(np.array([[1, 0], [0, 0]])))

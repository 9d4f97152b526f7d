"""Evaluation measures on hand-built cases whose answers are known."""

import math

import numpy as np
import pytest

from govsocial.topics.evaluate import agreement, coherence, diversity, purity, stability, topic_words
from govsocial.topics.models import DMM

from .test_models_dmm import planted_dmm

TEXTS = [["flu", "vaccine", "clinic"], ["flu", "vaccine", "nurse"], ["vaccine", "clinic", "flu"]] * 5 + [
    ["bus", "train", "delay"],
    ["train", "bus", "timetable"],
    ["delay", "bus", "train"],
] * 5


@pytest.mark.parametrize("measure", ["c_npmi", "u_mass", "c_v"])
def test_coherent_topics_score_higher(measure):
    good = coherence([["flu", "vaccine", "clinic"], ["bus", "train", "delay"]], TEXTS, measure=measure, top_n=3)
    bad = coherence([["flu", "bus", "nurse"], ["train", "clinic", "timetable"]], TEXTS, measure=measure, top_n=3)
    assert good["coherence"].mean() > bad["coherence"].mean()


def test_coherence_guards_missing_words_and_bad_measures():
    table = coherence([["flu", "vaccine"], ["unseen", "words"], ["flu", "nowhere"]], TEXTS, top_n=2)
    assert not math.isnan(table.loc[0, "coherence"])
    assert math.isnan(table.loc[1, "coherence"]) and table.loc[1, "missing"] == 2
    assert math.isnan(table.loc[2, "coherence"]) and table.loc[2, "missing"] == 1
    with pytest.raises(ValueError, match="measure must be one of"):
        coherence([["a", "b"]], TEXTS, measure="c_fancy")
    with pytest.raises(ValueError, match="empty"):
        coherence([["a", "b"]], [])


def test_diversity_and_purity_by_hand():
    assert diversity([["a", "b", "c"], ["a", "d", "e"]]) == pytest.approx(5 / 6)
    assert purity(["x", "x", "y", "y", "y"], [0, 0, 0, 1, 1]) == pytest.approx(4 / 5)
    scores = agreement([0, 0, 1, 1], [0, 0, 1, 1])
    assert scores == {"nmi": 1.0, "ari": 1.0, "purity": 1.0}
    with pytest.raises(ValueError, match="has 2 values"):
        agreement([0, 1], [0, 1, 1])


def test_stability_matches_topics_by_hungarian_assignment():
    a = [["a", "b"], ["c", "d"], ["e", "f"]]
    assert stability([a, list(reversed(a))])["mean"].tolist() == [1.0]
    table = stability([a, [["a", "b"], ["c", "x"], ["y", "z"]], a])
    assert len(table) == 3 and table.loc[0, "worst"] == 0.0
    with pytest.raises(ValueError, match="at least two"):
        stability([a])


def test_with_fitted_models_empty_dmm_topics_are_left_out():
    X, _ = planted_dmm(n_docs=200, K=3, seed=12)
    runs = [DMM(n_components=8, n_iter=30, random_state=s).fit(X) for s in (0, 1)]
    words = topic_words(runs[0], 5)
    assert len(words) == runs[0].n_occupied_ < 8
    assert stability(runs, top_n=5)["mean"].iloc[0] > 0.5
    texts = [[f"term_{j}" for j in X[i].indices for _ in range(X[i, j])] for i in range(X.shape[0])]
    assert coherence(runs[0], texts, top_n=5)["coherence"].notna().all()
    assert np.isfinite(diversity(runs[0]))


def test_stability_by_cosine_matches_permuted_topics():
    import scipy.sparse as sp

    from govsocial.topics.models import NMF

    rng = np.random.default_rng(0)
    X = sp.csr_matrix(rng.poisson(1.0, (40, 12)) + np.eye(40, 12, dtype=int))
    a = NMF(n_components=3, random_state=0).fit(X)
    b = NMF(n_components=3, random_state=0).fit(X)
    b.components_ = b.components_[[2, 0, 1]]  # same topics, another order
    table = stability([a, b], method="cosine")
    assert table["worst"].iloc[0] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="needs fitted models"):
        stability([[["a"]], [["a"]]], method="cosine")

"""Held-out likelihood and select_k."""

import math

import numpy as np
import pytest

import govsocial as gs
from govsocial.topics.selection import held_out_log_likelihood, select_k

from .test_models_dmm import planted_dmm


def test_held_out_likelihood_prefers_the_true_number_of_topics():
    X, labels = planted_dmm(n_docs=600, K=4, V=120, seed=5)
    train, test = X[:450], X[450:]
    per_token = {}
    for k in (1, 4):
        model = gs.DMM(n_components=k, n_iter=30, random_state=0).fit(train)
        per_token[k] = held_out_log_likelihood(model, test)["per_token"]
    assert per_token[4] > per_token[1]
    lda = gs.LDA(n_components=4, n_iter=50, random_state=0).fit(train)
    result = held_out_log_likelihood(lda, test)
    assert result["per_token"] < 0 and result["perplexity"] == pytest.approx(math.exp(-result["per_token"]))
    assert result["tokens"] < test.sum()  # only the held-back half is scored


def test_held_out_likelihood_matches_a_direct_computation_for_lda():
    X, _ = planted_dmm(n_docs=50, K=2, V=30, seed=6)
    model = gs.LDA(n_components=2, n_iter=20, random_state=0).fit(X)
    from govsocial.core.validation import check_random_state
    from govsocial.topics.selection import _split_tokens

    observed, held = _split_tokens(X.astype(np.int64), 0.5, check_random_state(3))
    result = held_out_log_likelihood(model, X, random_state=3)
    theta = np.tile(model.alpha_ / model.alpha_.sum(), (X.shape[0], 1))
    rows = np.diff(observed.indptr) > 0
    observed.eliminate_zeros()
    theta[rows] = model.transform(observed[rows])
    dense = held.toarray()
    direct = float((dense * np.log(theta @ model.components_)).sum())
    assert result["log_likelihood"] == pytest.approx(direct, rel=1e-9)


def test_nmf_has_no_likelihood():
    X, _ = planted_dmm(n_docs=40, K=2, V=30, seed=7)
    assert math.isnan(held_out_log_likelihood(gs.NMF(n_components=2, random_state=0).fit(X), X)["per_token"])


def test_select_k_table(small_dtm_and_labels):
    dtm, labels = small_dtm_and_labels
    table = select_k(gs.DMM(n_iter=15), dtm, ks=[2, 6], seeds=[0, 1], labels=labels)
    assert len(table) == 4 and table["k"].tolist() == [2, 2, 6, 6]
    assert table[["held_out_per_token", "coherence", "diversity", "stability_mean", "nmi"]].notna().all().all()
    again = select_k(gs.DMM(n_iter=15), dtm, ks=[2, 6], seeds=[0, 1], labels=labels)
    assert table.drop(columns="fit_seconds").equals(again.drop(columns="fit_seconds"))


def test_select_k_errors():
    X, _ = planted_dmm(n_docs=40, K=2, V=30, seed=7)
    with pytest.raises(ValueError, match="ks must be"):
        select_k(gs.DMM(), X, ks=[0])
    with pytest.raises(ValueError, match="labels has 3 values"):
        select_k(gs.DMM(), X, ks=[2], labels=[1, 2, 3])
    with pytest.raises(TypeError, match="govsocial topic model"):
        select_k(object(), X)


@pytest.fixture
def small_dtm_and_labels():
    rng = np.random.default_rng(0)
    words = {
        "health": ["flu", "vaccine", "clinic", "nurse", "hospital"],
        "transport": ["bus", "train", "delay", "timetable", "tram"],
    }
    posts, labels = [], []
    for i in range(120):
        topic = "health" if i % 2 else "transport"
        posts.append(" ".join(rng.choice(words[topic], size=4)))
        labels.append(topic)
    dtm = gs.Vectorizer(min_df=1, max_df=1.0, phrases=False).from_posts(posts)
    return dtm, np.asarray(labels)[dtm.post_ids.astype(int)]


def test_select_k_figure_draws_one_panel_per_metric(small_dtm_and_labels, tmp_path):
    from govsocial.output.plotting import select_k_figure

    dtm, labels = small_dtm_and_labels
    table = select_k(gs.LDA(n_iter=20), dtm, ks=[2, 3], seeds=[0, 1], labels=labels)
    fig = select_k_figure(table)
    assert len(fig.axes) == 6
    fig.savefig(tmp_path / "k.png")
    assert (tmp_path / "k.png").stat().st_size > 1000
    with pytest.raises(ValueError, match="no column"):
        select_k_figure(table, metrics=["nope"])

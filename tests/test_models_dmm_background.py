"""DMM(background=True): a background word distribution takes the words every post uses; the
fitted parts are consistent, reproducible and saved."""

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.special import logsumexp
from sklearn.metrics import normalized_mutual_info_score

import govsocial as gs
from govsocial.topics.models import DMM, SeededDMM, load_model


def _styled_posts(n=400, seed=0):
    """Four topics (words 0–23, six each) and eight common words (24–31) every post uses: each
    post has three words of its topic and four common ones."""
    rng = np.random.default_rng(seed)
    topic = rng.integers(0, 4, n)
    rows = []
    for t in topic:
        row = np.zeros(32, dtype=np.int64)
        np.add.at(row, rng.integers(0, 6, 3) + 6 * t, 1)
        np.add.at(row, rng.integers(24, 32, 4), 1)
        rows.append(row)
    return sp.csr_matrix(np.array(rows)), topic, None


def test_the_background_takes_the_common_words_and_the_topics_the_rest():
    X, topic, _ = _styled_posts()
    m = DMM(n_components=4, n_iter=60, background=True, random_state=1).fit(X)
    assert normalized_mutual_info_score(topic, m.labels_) > 0.95
    assert m.background_[24:].sum() > 0.95 and abs(m.background_.sum() - 1) < 1e-12
    assert 0.4 < m.background_share_ < 0.65  # four of seven words in each post
    assert m.components_[:, 24:].sum(axis=1).max() < 0.2  # topics keep their own words


def test_posterior_and_likelihood_use_the_mixture():
    """transform and log_likelihood, recomputed here from the fitted parts."""
    X, _, _ = _styled_posts(120, seed=1)
    m = DMM(n_components=3, n_iter=20, background=True, random_state=0).fit(X)
    share, psi, phi = m.background_share_, m.background_, m.components_
    words = np.log(share * psi[None, :] + (1 - share) * phi)  # K × V
    prior = (m.m_k_ + m.alpha) / (m.m_k_.sum() + 3 * m.alpha)
    log_joint = X.toarray() @ words.T + np.log(prior)
    expected = np.exp(log_joint - logsumexp(log_joint, axis=1, keepdims=True))
    np.testing.assert_allclose(m.transform(X), expected, rtol=1e-9, atol=1e-12)
    assert (m.labels_ == expected.argmax(axis=1)).all()
    np.testing.assert_allclose(m.log_likelihood(X), logsumexp(log_joint, axis=1).sum(), rtol=1e-9)
    assert m.n_switch_.sum() == X.sum() and m.b_w_.sum() == m.n_switch_[1] and m.n_k_.sum() == m.n_switch_[0]
    assert (m.n_kw_.sum(axis=1) == m.n_k_).all() and m.m_k_.sum() == X.shape[0]


def test_same_seed_same_fit_and_save_load(tmp_path):
    X, _, _ = _styled_posts(150, seed=2)
    a = DMM(n_components=3, n_iter=15, background=True, random_state=5).fit(X)
    b = DMM(n_components=3, n_iter=15, background=True, random_state=5).fit(X)
    assert (a.b_w_ == b.b_w_).all() and (a.last_sample_ == b.last_sample_).all()
    loaded = load_model(a.save(tmp_path / "bg"))
    assert loaded.background is True
    np.testing.assert_array_equal(loaded.transform(X), a.transform(X))
    plain = load_model(DMM(n_components=3, n_iter=5, random_state=5).fit(X).save(tmp_path / "plain"))
    assert plain.b_w_ is None
    with pytest.raises(AttributeError, match="background=True"):
        plain.background_share_


def test_background_is_refused_on_the_dask_engine_and_must_be_a_bool():
    X, _, _ = _styled_posts(20)
    with pytest.raises(ValueError, match="Gibbs engine only"):
        DMM(n_components=2, background=True, engine="dask").fit(X)
    with pytest.raises(ValueError, match="background"):
        DMM(n_components=2, background="yes").fit(X)


def test_seeded_dmm_with_a_background_names_its_topics():
    posts = ["flu vaccine clinic honestly", "vaccine clinic open honestly", "bus train delay honestly"] * 6
    posts += ["train bus timetable literally", "flu vaccine booster literally"] * 6
    dtm = gs.Vectorizer(min_df=1, max_df=1.0, phrases=False).from_posts(posts)
    m = SeededDMM(
        {"health": ["vaccine"], "transport": ["train"]}, n_components=2, n_iter=30, background=True, random_state=0
    ).fit(dtm)
    names = [m.topic_names_[k] for k in m.labels_]
    assert names[:3] == ["health", "health", "transport"] and names[-2:] == ["transport", "health"]

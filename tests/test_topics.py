"""Topic tables: FREX and relevance by hand, tidy tables keyed by post_id, redacted representative posts."""

import numpy as np
import pytest

import govsocial as gs
from govsocial.core import schema
from govsocial.topics.models.base import TopicModel
from govsocial.topics.tables import doc_topics, frex, relevance, representative_posts, topic_labels, topic_terms


class Fixed(TopicModel):
    def transform(self, X):
        return np.full((X.shape[0], self.components_.shape[0]), 1.0 / self.components_.shape[0])


def _model():
    m = Fixed()
    # "care" is frequent in both topics, so FREX prefers the exclusive words
    m.components_ = np.array([[0.40, 0.35, 0.20, 0.05], [0.38, 0.02, 0.10, 0.50]])
    m._remember_terms(["care", "vaccin", "clinic", "bus"], ["care", "vaccines", "clinic", "bus"], 4)
    return m


def test_frex_prefers_exclusive_words_and_probability_does_not():
    m = _model()
    by_prob = topic_terms(m, top_n=1, by="prob")
    by_frex = topic_terms(m, top_n=1, by="frex")
    assert by_prob["term"].tolist() == ["care", "bus"]
    assert by_frex["term"].tolist() == ["vaccin", "bus"]
    assert frex(m, weight=0.0).argmax(axis=1).tolist() == [0, 3]  # weight 0: frequency only


def test_relevance_by_hand():
    m = _model()
    share = np.array([0.4, 0.2, 0.2, 0.2])
    expected = 0.6 * np.log(m.components_) + 0.4 * np.log(m.components_ / share)
    np.testing.assert_allclose(relevance(m, share), expected)
    with pytest.raises(ValueError, match="lam"):
        relevance(m, lam=2)
    with pytest.raises(ValueError, match="by must be"):
        topic_terms(m, by="lift")


def test_labels_use_display_forms():
    assert topic_labels(_model(), n=2, by="frex") == ["vaccines / clinic", "bus / care"]


def test_doc_topics_and_representative_posts_are_keyed_and_redacted():
    posts = schema.conform(
        {
            "post_id": ["a", "b", "c"],
            "platform": ["x"] * 3,
            "text": ["flu clinic call 0491 570 156", "bus stop delays", "flu shots clinic"],
        }
    )
    dtm = gs.Vectorizer(min_df=1, max_df=1.0, phrases=False).from_posts(posts)
    model = gs.NMF(n_components=2, random_state=0).fit(dtm)
    table = doc_topics(model, dtm)
    assert list(table.index) == ["a", "b", "c"] and "topic" in table.columns
    np.testing.assert_allclose(table.drop(columns="topic").sum(axis=1), 1.0)
    reps = representative_posts(model, dtm, posts, n=2)
    assert len(reps) == 4 and not reps["text"].str.contains("0491").any()
    assert reps["text"].str.contains("<PHONE>").any()


def test_seeded_topic_names_carry_into_tables():
    dtm = gs.Vectorizer(min_df=1, max_df=1.0, phrases=False).from_posts(
        ["flu vaccine clinic", "vaccine clinic open", "bus train delay", "train bus timetable"] * 5
    )
    model = gs.SeededDMM({"health": ["vaccine"]}, n_components=2, n_iter=10, random_state=0).fit(dtm)
    assert set(topic_terms(model)["name"]) == {"health", "free_1"}
    assert list(doc_topics(model, dtm).columns[:2]) == ["health", "free_1"]


def test_pyldavis_data_is_consistent_and_prepare_runs_when_installed():
    import importlib.util

    import govsocial as gs
    from govsocial.core.exceptions import MissingDependencyError
    from govsocial.topics.tables import pyldavis_data, to_pyldavis

    posts = ["flu vaccine clinic", "vaccine clinic open", "bus train delay", "train bus timetable"] * 5
    dtm = gs.Vectorizer(min_df=1, max_df=1.0, phrases=False).from_posts(posts)
    model = gs.DMM(n_components=6, n_iter=20, random_state=0).fit(dtm)
    data = pyldavis_data(model, dtm)
    K = int((model.m_k_ > 0).sum())
    assert data["topic_term_dists"].shape == (K, len(dtm.display))
    assert data["doc_topic_dists"].shape == (dtm.X.shape[0], K)
    np.testing.assert_allclose(data["doc_topic_dists"].sum(axis=1), 1.0)
    assert data["term_frequency"].sum() == data["doc_lengths"].sum() == dtm.X.sum()
    if importlib.util.find_spec("pyLDAvis") is None:
        with pytest.raises(MissingDependencyError, match=r"govsocial\[pyldavis\]"):
            to_pyldavis(model, dtm)
    else:
        assert to_pyldavis(model, dtm).to_json()

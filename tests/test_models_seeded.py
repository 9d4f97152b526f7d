"""SeededLDA: seeds steer named topics, unmatched seeds are reported, persistence keeps names."""

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.metrics import f1_score

import govsocial as gs
from govsocial.topics.models import SeededLDA, load_model
from govsocial.topics.models.seeded import match_seeds

SEEDS = {
    "health": ["hospital", "vaccine", "clinic", "patient"],
    "transport": ["train", "bus", "road", "traffic"],
    "tax": ["tax", "return", "scam", "income"],
}


@pytest.fixture(scope="module")
def fitted(small_corpus):
    posts, _ = gs.read_posts(small_corpus / "posts.jsonl.gz")
    dtm = gs.Vectorizer(min_df=3).fit_transform(gs.tokenize(posts)[0])
    model = SeededLDA(SEEDS, n_components=10, n_iter=50, random_state=0).fit(dtm)
    return dtm, model


def test_seeds_name_the_topics_they_steer(fitted):
    dtm, model = fitted
    assert model.topic_names_[:3] == list(SEEDS) and model.topic_names_[3] == "free_1"
    assert (model.seed_report_["status"] == "matched").all()
    top = dict(zip(model.topic_names_, model.top_words(6, display=False)))
    assert {"vaccin", "hospit"} <= set(top["health"]) and {"train", "bus"} <= set(top["transport"])


def test_seeded_topics_recover_planted_clusters():
    """Posts from a known mixture; each named topic is seeded with three of its cluster's top words."""
    from .test_models_dmm import planted_dmm

    X, labels = planted_dmm(n_docs=400, K=4, V=200, seed=21)
    terms = [f"w{j}" for j in range(X.shape[1])]
    from govsocial.text.dtm import DocTermMatrix

    dtm = DocTermMatrix(X, np.array([str(i) for i in range(X.shape[0])]), pd.DataFrame({"term": terms}))
    seeds = {}
    for k in range(3):  # seed three of the four clusters; the fourth is left to a free topic
        counts = np.asarray(X[labels == k].sum(axis=0)).ravel() - np.asarray(X[labels != k].sum(axis=0)).ravel()
        seeds[f"c{k}"] = [terms[j] for j in np.argsort(-counts)[:3]]
    model = SeededLDA(seeds, n_components=4, n_iter=150, tokenizer=gs.Tokenizer(normalize="none"), random_state=0).fit(
        dtm
    )
    assigned = np.array(model.topic_names_)[model.labels_]
    for k in range(3):
        assert f1_score(labels == k, assigned == f"c{k}") >= 0.8


def test_unmatched_seeds_are_reported_not_dropped_silently(fitted):
    dtm, _ = fitted
    with pytest.warns(UserWarning, match="matched no term"):
        model = SeededLDA({"health": ["vaccine", "zzzunknown", "the"]}, n_components=3, n_iter=5, random_state=0).fit(
            dtm
        )
    report = model.seed_report_.set_index("seed")["status"]
    assert report["vaccine"] == "matched"
    assert report["zzzunknown"] == "not in the vocabulary"
    assert report["the"].startswith("removed by the tokeniser")


def test_match_seeds_phrases_and_prefixes():
    table = match_seeds({"t": ["mental health", "vacc*", "bus"]}, ["mental_health", "vaccin", "vaccine", "bus"])
    assert table["terms"].tolist() == ["mental_health", "vaccin vaccine", "bus"]
    with pytest.raises(ValueError, match="list of words"):
        match_seeds({"t": "vaccine"}, ["vaccin"])


def test_errors_and_persistence(fitted, tmp_path):
    dtm, model = fitted
    with pytest.raises(ValueError, match="bare matrix"):
        SeededLDA(SEEDS).fit(sp.csr_matrix(np.eye(3, dtype=int)))
    with pytest.raises(ValueError, match="number of seeded topics \\(3\\)"):
        SeededLDA(SEEDS, n_components=2).fit(dtm)
    with pytest.raises(ValueError, match="seed_weight"):
        SeededLDA(SEEDS, seed_weight=0).fit(dtm)
    again = load_model(model.save(tmp_path / "seeded"))
    assert again.topic_names_ == model.topic_names_ and again.get_params()["seeds"] == SEEDS
    np.testing.assert_array_equal(again.components_, model.components_)


def test_seeded_dmm_recovers_planted_clusters_and_round_trips(tmp_path):
    from govsocial.text.dtm import DocTermMatrix
    from govsocial.topics.models import SeededDMM

    from .test_models_dmm import planted_dmm

    X, labels = planted_dmm(n_docs=400, K=4, V=200, seed=22)
    terms = [f"w{j}" for j in range(X.shape[1])]
    dtm = DocTermMatrix(X, np.array([str(i) for i in range(X.shape[0])]), pd.DataFrame({"term": terms}))
    seeds = {}
    for k in range(3):
        counts = np.asarray(X[labels == k].sum(axis=0)).ravel() - np.asarray(X[labels != k].sum(axis=0)).ravel()
        seeds[f"c{k}"] = [terms[j] for j in np.argsort(-counts)[:3]]
    model = SeededDMM(seeds, n_components=6, tokenizer=gs.Tokenizer(normalize="none"), random_state=0).fit(dtm)
    assigned = np.array(model.topic_names_)[model.labels_]
    for k in range(3):
        assert f1_score(labels == k, assigned == f"c{k}") >= 0.8
    again = load_model(model.save(tmp_path / "sdmm"))
    np.testing.assert_array_equal(again.transform(dtm), model.transform(dtm))
    assert again.topic_names_ == model.topic_names_

"""The explicit TopicModel interface (issue 11, point 6): declared parameter rules, topic sizes,
occupancy, log-likelihood, feature names, the seeded models' tokenizer, and model files saved
before the interface existed."""

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

import govsocial as gs
from govsocial.topics.evaluate import topic_words
from govsocial.topics.models import MODELS, load_model
from govsocial.topics.models.seeded import match_seeds
from govsocial.topics.selection import held_out_log_likelihood
from govsocial.topics.tables import pyldavis_data

OLD_FILES = Path(__file__).parent / "fixtures" / "models_fc2e9bd"
# the posts, vectorizer and models with which govsocial at commit fc2e9bd saved the files in OLD_FILES
OLD_POSTS = [
    "flu vaccine clinic open",
    "vaccine clinic nurses",
    "bus train delay today",
    "train bus timetable change",
    "flu clinic nurses vaccine",
    "train delay timetable",
] * 4
OLD_SEEDS = {"health": ["vaccine"], "transport": ["train"]}
OLD_MODELS = {
    "dmm": lambda: gs.DMM(n_components=3, n_iter=10, random_state=0),
    "lda": lambda: gs.LDA(n_components=2, n_iter=20, random_state=0),
    "nmf": lambda: gs.NMF(n_components=2, random_state=0),
    "seeded_dmm": lambda: gs.SeededDMM(OLD_SEEDS, n_components=3, n_iter=10, random_state=0),
    "seeded_lda": lambda: gs.SeededLDA(OLD_SEEDS, n_components=3, n_iter=20, random_state=0),
    "stm": lambda: gs.STM(n_components=2, max_iter=10),
}


@pytest.fixture(scope="module")
def old_dtm():
    return gs.Vectorizer(min_df=1, max_df=1.0, phrases=False).from_posts(OLD_POSTS)


def _two_clusters(n=40, seed=0):
    rng = np.random.default_rng(seed)
    half = n // 2
    a = np.hstack([rng.poisson(3, (half, 4)), rng.poisson(0.05, (half, 4))])
    b = np.hstack([rng.poisson(0.05, (half, 4)), rng.poisson(3, (half, 4))])
    X = np.vstack([a, b])
    X[X.sum(axis=1) == 0, 0] = 1
    return sp.csr_matrix(X)


# registered after fc2e9bd: no file of theirs predates the interface (their first format is today's)
NEWER_MODELS = {"covariate_dmm"}


def test_every_registered_model_has_a_file_saved_before_the_interface():
    assert sorted(OLD_MODELS) == sorted(set(MODELS) - NEWER_MODELS)
    assert all((OLD_FILES / f"{name}.json").exists() and (OLD_FILES / f"{name}.npz").exists() for name in OLD_MODELS)


@pytest.mark.parametrize("name", sorted(OLD_MODELS))
def test_files_saved_before_the_interface_load_and_offer_it(name, old_dtm):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # seeds that match no term
        old = load_model(OLD_FILES / f"{name}.json")
        fresh = OLD_MODELS[name]().fit(old_dtm)
    # same data, same seed: the model refitted today is the model saved then (to the last bits of
    # floating point: NMF's solver is scikit-learn's, whose rounding differs between releases, and
    # sums of shares round differently with the CPU's vector width, e.g. AVX-512 or not)
    np.testing.assert_allclose(old.components_, fresh.components_, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(old.transform(old_dtm), fresh.transform(old_dtm), rtol=1e-12, atol=1e-15)
    assert old.feature_names_in_.dtype == object and old.feature_names_in_.tolist() == old_dtm.terms
    np.testing.assert_allclose(old.topic_sizes_, fresh.topic_sizes_, rtol=1e-12, atol=1e-15)
    assert old.topic_sizes_.sum() == pytest.approx(len(OLD_POSTS))
    same_ll = old.log_likelihood(old_dtm), fresh.log_likelihood(old_dtm)
    assert same_ll[0] == same_ll[1] or (np.isnan(same_ll[0]) and name == "nmf")


@pytest.mark.parametrize(
    "make",
    [
        lambda: gs.DMM(n_components=6, n_iter=20, random_state=0),
        lambda: gs.CovariateDMM(n_components=4, n_iter=10, random_state=0),
    ],
)
def test_single_membership_sizes_count_the_posts_of_the_last_sweep(make):
    X = _two_clusters()
    model = make().fit(X)
    assert model.membership == "single"
    # each post sits in one topic: rebuild the counts from the sampler's counts of words per topic
    words_per_topic = np.asarray(model.n_kw_).sum(axis=1)
    assert model.topic_sizes_.sum() == X.shape[0]
    np.testing.assert_array_equal(model.topic_sizes_ > 0, words_per_topic > 0)
    np.testing.assert_array_equal(model.occupied_topics_, words_per_topic > 0)


def test_dead_dmm_topics_leave_tables_and_word_lists():
    X = _two_clusters()
    model = gs.DMM(n_components=8, n_iter=30, random_state=0).fit(X)
    alive = np.bincount(model.last_sample_, minlength=8) > 0
    assert not alive.all()
    np.testing.assert_array_equal(model.occupied_topics_, alive)
    np.testing.assert_array_equal(model.topic_sizes_, np.bincount(model.last_sample_, minlength=8))
    assert len(topic_words(model, 3)) == alive.sum() and len(topic_words(model, 3, occupied_only=False)) == 8
    assert (
        pyldavis_data(
            model,
            gs.DocTermMatrix(X, np.arange(X.shape[0]).astype(str), pd.DataFrame({"term": [f"w{j}" for j in range(8)]})),
        )["topic_term_dists"].shape[0]
        == alive.sum()
    )


@pytest.mark.parametrize(
    "make, shares",
    [
        (lambda: gs.LDA(n_components=3, n_iter=50, random_state=0), "doc_topic_"),
        (lambda: gs.STM(n_components=3, max_iter=20), "theta_"),
    ],
)
def test_mixed_membership_sizes_are_expected_posts_and_every_topic_is_occupied(make, shares):
    X = _two_clusters()
    model = make().fit(X)
    assert model.membership == "mixed"
    np.testing.assert_allclose(model.topic_sizes_, getattr(model, shares).sum(axis=0))
    assert model.topic_sizes_.sum() == pytest.approx(X.shape[0])
    assert model.occupied_topics_.tolist() == [True, True, True]


def test_nmf_sizes_count_largest_shares_and_it_has_no_likelihood():
    X = _two_clusters()
    model = gs.NMF(n_components=3, random_state=0).fit(X)
    largest = model.transform(X).argmax(axis=1)
    np.testing.assert_array_equal(model.topic_sizes_, np.bincount(largest, minlength=3))
    assert np.isnan(model.log_likelihood(X)) and model.topic_prior_ is None


def test_dmm_log_likelihood_is_the_mixture_likelihood():
    X = _two_clusters(12)
    model = gs.DMM(n_components=3, n_iter=20, random_state=0).fit(X)
    phi, dense = np.asarray(model.components_), X.toarray()
    prior = (np.asarray(model.m_k_) + model.alpha) / (model.m_k_.sum() + 3 * model.alpha)
    expected = 0.0
    for row in dense:  # log Σ_k π_k Π_w φ_kw^n_w, one post at a time
        expected += np.log(sum(prior[k] * np.prod(phi[k] ** row) for k in range(3)))
    assert model.log_likelihood(X) == pytest.approx(expected, rel=1e-10)
    np.testing.assert_allclose(model.topic_prior_, prior)


def test_lda_log_likelihood_mixes_topics_per_token():
    X = _two_clusters(12)
    model = gs.LDA(n_components=2, n_iter=30, random_state=0).fit(X)
    theta, phi, dense = model.transform(X), np.asarray(model.components_), X.toarray()
    expected = sum(dense[d, w] * np.log(theta[d] @ phi[:, w]) for d in range(12) for w in range(8) if dense[d, w])
    assert model.log_likelihood(X) == pytest.approx(expected, rel=1e-10)
    assert model.log_likelihood(X, doc_topic=theta) == pytest.approx(expected, rel=1e-10)
    with pytest.raises(ValueError, match="doc_topic must have shape"):
        model.log_likelihood(X, doc_topic=theta[:, :1])


def test_held_out_score_of_a_covariate_dmm_is_nan_not_an_error():
    X = _two_clusters()
    model = gs.CovariateDMM(n_components=2, n_iter=6, random_state=0).fit(X)
    assert model.topic_prior_ is None
    assert np.isnan(held_out_log_likelihood(model, X)["per_token"])


def test_feature_names_in_are_the_terms():
    dtm = gs.Vectorizer(min_df=1, max_df=1.0, phrases=False).from_posts(OLD_POSTS)
    model = gs.DMM(n_components=2, n_iter=5, random_state=0)
    assert not hasattr(model, "feature_names_in_")
    model.fit(dtm)
    assert isinstance(model.feature_names_in_, np.ndarray) and model.feature_names_in_.dtype == object
    assert model.feature_names_in_.tolist() == dtm.terms == model.terms_
    bare = gs.NMF(n_components=2, random_state=0).fit(_two_clusters())
    assert bare.feature_names_in_.tolist() == [f"term_{j}" for j in range(8)]


def test_nmf_takes_a_numpy_generator():
    X = _two_clusters()
    a = gs.NMF(n_components=2, random_state=np.random.default_rng(5)).fit(X)
    b = gs.NMF(n_components=2, random_state=np.random.default_rng(5)).fit(X)
    np.testing.assert_array_equal(a.components_, b.components_)
    with pytest.raises(ValueError, match="random_state must be an int in \\[0, inf\\) or None or a numpy Generator"):
        gs.NMF(random_state="seven").fit(X)


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: gs.DMM(n_iter=2.5), "n_iter must be an int in [1, inf); got 2.5"),
        (
            lambda: gs.LDA(optimize_interval=-1),
            "optimize_interval must be an int in [0, inf); got -1 (0 keeps alpha fixed)",
        ),
        (lambda: gs.LDA(beta="flat"), "beta must be a float in (0, inf) or 'auto'; got 'flat'"),
        (lambda: gs.SeededDMM(OLD_SEEDS, seed_weight=0), "seed_weight must be a float in (0, inf); got 0"),
        (lambda: gs.SeededLDA(OLD_SEEDS, n_components=0), "n_components must be an int in [1, inf) or None; got 0"),
        (lambda: gs.STM(tol=-1.0), "tol must be a float in [0, inf); got -1.0"),
        (lambda: gs.STM(n_components=1), "n_components must be an int in [2, inf); got 1 (the STM needs at least two"),
        (
            lambda: gs.STM(init=5),
            "init must be one of 'spectral', 'spectral_exact', 'random' or an array of topic-word",
        ),
        (
            lambda: gs.STM(prevalence=3),
            "prevalence must be a formula string such as '~ treatment + s(pid_rep)' or None",
        ),
        (lambda: gs.CovariateDMM(pg_terms=0), "pg_terms must be an int in [1, inf); got 0"),
        (lambda: gs.NMF(max_iter=0), "max_iter must be an int in [1, inf); got 0"),
    ],
)
def test_parameter_errors_name_the_parameter_the_rule_and_the_value(make, message, old_dtm):
    with pytest.raises(ValueError) as caught:
        make().fit(old_dtm)
    assert message in str(caught.value)


def test_prefix_seeds_are_normalised_by_the_tokenizer():
    # the default tokenizer stems: "nurse*" must find the stem "nurs" of nurse/nurses/nursing
    assert match_seeds({"health": ["nurse*"]}, ["nurs", "nurseri", "nut"])["terms"].tolist() == ["nurs nurseri"]

    def tokenizer(text):  # a user's own tokenizer: prefixes its tokens with "t:"
        return ["t:" + word for word in text.lower().split()]

    posts = ["nurses vaccine clinic", "nurses clinic", "bus train", "train bus delay"] * 3
    dtm = gs.Vectorizer(tokenizer=gs.Tokenizer(normalize="none"), min_df=1, max_df=1.0, phrases=False).from_posts(posts)
    renamed = gs.DocTermMatrix(dtm.X, dtm.post_ids, dtm.vocab.assign(term="t:" + dtm.vocab["term"]))
    model = gs.SeededDMM(
        {"health": ["nurse*"], "transport": ["train"]}, n_components=2, n_iter=5, tokenizer=tokenizer, random_state=0
    ).fit(renamed)
    assert model.seed_report_["terms"].tolist() == ["t:nurses", "t:train"]

"""The public verbs ThemeScorer is composed of, each alone, and ThemeScorer rebuilt from them."""

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

import govsocial as gs

WORDS = {
    "info": ["road", "closed", "update", "advice", "latest", "works", "tonight"],
    "ask": ["survey", "feedback", "views", "tell", "ideas", "consultation", "poll"],
    "reply": ["sorry", "hear", "message", "team", "patience", "directly", "resolved"],
}


def _posts(n=60, seed=0):
    """Posts of three kinds, four words each from the kind's list; every third reply opens with a mention."""
    rng = np.random.default_rng(seed)
    texts, kinds = [], []
    for i in range(n):
        kind = list(WORDS)[i % 3]
        words = " ".join(rng.choice(WORDS[kind], 4, replace=False))
        texts.append(("@sam " if kind == "reply" and i % 2 else "") + words.capitalize())
        kinds.append(kind)
    return texts, np.asarray(kinds, dtype=object)


def _docs(texts, tokenizer):
    return [t + [f"{a}_{b}" for a, b in zip(t, t[1:])] for t in (tokenizer(x) for x in texts)]


# ---------------------------------------------------------------------------- ThemeFeatures
def test_theme_features_stack_words_cues_and_evidence_in_order():
    texts, _ = _posts()
    features = gs.ThemeFeatures(codebook="oecd").fit(texts)
    X = features.transform(texts)
    words = TfidfVectorizer(analyzer=lambda d: d, sublinear_tf=True).fit_transform(_docs(texts, gs.Tokenizer()))
    cues = gs.structural_cues(texts).to_numpy(dtype=float)
    evidence = np.log1p(np.maximum(gs.keyword_evidence(texts, "oecd").to_numpy(), 0))
    expected = np.hstack([words.toarray(), cues, evidence])
    assert X.shape == expected.shape
    np.testing.assert_allclose(X.toarray(), expected, rtol=0, atol=1e-12)
    names = features.get_feature_names_out()
    assert len(names) == X.shape[1]
    assert names[words.shape[1]] == "cue__is_reply" and names[-1] == "evidence__collaborating"


def test_theme_features_words_only_and_tfidf_by_hand():
    features = gs.ThemeFeatures(cues=False).fit(["road closed", "survey open"])
    # every term is in one of two posts: idf = ln(3 / 2) + 1 for all, so a row is 1/sqrt(terms)
    row = features.transform(["road closed again"]).toarray()[0]
    names = list(features.get_feature_names_out())
    assert names == ["close", "open", "road", "road_close", "survey", "survey_open"]
    assert row == pytest.approx([3**-0.5, 0, 3**-0.5, 3**-0.5, 0, 0])


def test_theme_features_topic_shares_of_each_run():
    texts, _ = _posts(45)
    texts = texts + ["!!!"]  # no terms: zeros
    features = gs.ThemeFeatures(cues=False, n_topics=3, topic_runs=2, n_iter=5, random_state=0).fit(texts)
    X = features.transform(texts).toarray()
    shares = X[:, -6:]
    assert len(features.topic_models_) == 2
    np.testing.assert_allclose(shares[:-1, :3].sum(axis=1), 1.0)
    np.testing.assert_allclose(shares[:-1, 3:].sum(axis=1), 1.0)
    assert not shares[-1].any()
    again = gs.ThemeFeatures(cues=False, n_topics=3, topic_runs=2, n_iter=5, random_state=0).fit(texts)
    assert (again.transform(texts) != features.transform(texts)).nnz == 0  # same seed, same features
    assert list(features.get_feature_names_out()[-2:]) == ["dmm1__topic1", "dmm1__topic2"]


def test_theme_features_is_a_scikit_learn_transformer():
    texts, kinds = _posts()
    pipe = make_pipeline(gs.ThemeFeatures(codebook="oecd"), LogisticRegression(max_iter=1000))
    assert (pipe.fit(texts, kinds).predict(texts) == kinds).mean() > 0.9
    copy = clone(gs.ThemeFeatures("oecd", n_topics=4, tokenizer=gs.Tokenizer(normalize="none")))
    assert copy.get_params()["n_topics"] == 4 and copy.get_params()["tokenizer"].normalize == "none"


def test_theme_features_on_zero_posts():
    with pytest.raises(gs.InputError, match="no posts"):
        gs.ThemeFeatures().fit([])
    features = gs.ThemeFeatures(codebook="oecd").fit(["road closed", "survey open"])
    empty = features.transform([])
    assert sp.issparse(empty) and empty.shape == (0, len(features.get_feature_names_out()))
    with pytest.raises(ValueError, match="n_topics must be an int"):
        gs.ThemeFeatures(n_topics=-1).fit(["road closed"])


def test_theme_features_use_the_tokenizer_given():
    plain = gs.Tokenizer(normalize="none")
    features = gs.ThemeFeatures(codebook="oecd", tokenizer=plain).fit(["roads closed", "surveys open"])
    words = set(features.get_feature_names_out())
    assert {"roads", "closed", "surveys"} <= words and "road" not in words
    assert features.tokenizer_ is plain


# ---------------------------------------------------------------------------- evidence and rule labels
def test_keyword_evidence_uses_the_tokenizer_given():
    # the seed "survey": the stemmer maps "surveys" onto it; without stemming it is another word
    stemmed = gs.keyword_evidence(["surveys"], "oecd")["sourcing_ideas"].iloc[0]
    plain = gs.keyword_evidence(["surveys"], "oecd", tokenizer=gs.Tokenizer(normalize="none"))
    assert stemmed == 1.0 and plain["sourcing_ideas"].iloc[0] == 0.0


def test_rule_labels_and_training_mask_from_an_evidence_table():
    evidence = pd.DataFrame(
        {"info": [0.0, 0.0, 1.0, 0.5], "ask": [3.0, 1.0, 1.0, 0.0]},
        index=pd.Index(["a", "b", "c", "d"], name="post_id"),
    )
    labels = gs.rule_labels(evidence, min_evidence=1.5)
    # a: 3 >= 1.5 -> ask; b: 1 < 1.5 -> default (info); c: tie below 1.5 -> info; d: 0.5 -> info
    assert labels.to_dict() == {"a": "ask", "b": "info", "c": "info", "d": "info"}
    assert gs.rule_labels(evidence, min_evidence=1.0).to_dict() == {"a": "ask", "b": "ask", "c": "info", "d": "info"}
    mask = gs.training_mask(evidence, 1.5)
    # a leads by 3 >= 1.5; b, c, d have less than 1.5: left in the default, taught
    assert mask.to_dict() == {"a": True, "b": True, "c": True, "d": True}
    mask = gs.training_mask(evidence, 1.0)
    # b leads by 1 (taught); c ties (not taught); d has 0.5 < 1 (default, taught)
    assert mask.to_dict() == {"a": True, "b": True, "c": False, "d": True}
    with pytest.raises(ValueError, match="theme names"):
        gs.rule_labels(evidence.to_numpy())
    with pytest.raises(ValueError, match="one column per name"):
        gs.rule_labels(evidence.to_numpy(), ["info"])


# ---------------------------------------------------------------------------- themes from the corpus
def test_seeded_topic_shares_are_indexed_like_the_posts():
    texts, _ = _posts(30)
    posts = pd.DataFrame({"text": texts + [""]}, index=pd.RangeIndex(100, 131))
    shares, model = gs.seeded_topic_shares(posts, "oecd", n_iter=5, random_state=0)
    assert list(shares.index) == list(range(100, 131))
    assert list(shares.columns) == gs.load_codebook("oecd").names
    assert not shares.iloc[-1].any()  # no terms
    assert bool((shares.iloc[:-1].sum(axis=1) <= 1 + 1e-9).all()) and model.n_components == 11
    plain = gs.Tokenizer(normalize="none")
    _, model = gs.seeded_topic_shares(texts, "oecd", tokenizer=plain, n_iter=5, random_state=0)
    assert model.tokenizer is plain


def test_corpus_association_significant_marks_z_above_the_quantile():
    texts, _ = _posts()
    lss = gs.corpus_association(texts, "oecd", min_df=2, random_state=0)
    assert (lss.significant().to_numpy() == (lss.scores.to_numpy() > 1.6448536269514722)).all()
    assert lss.significant().to_numpy().any()


# ---------------------------------------------------------------------------- ThemeScorer from the verbs
def _classifier():
    # lbfgs ignores random_state: the scorer's seed for it does not change the fit
    return LogisticRegression(C=1.0, max_iter=5000, class_weight="balanced")


def test_seeded_scorer_is_its_verbs_composed():
    texts, _ = _posts()
    scorer = gs.ThemeScorer("oecd", "seeded", random_state=0).fit(texts)
    evidence = gs.keyword_evidence(texts, "oecd") + gs.corpus_association(texts, "oecd", random_state=0).significant()
    labels = gs.rule_labels(evidence, min_evidence=gs.load_codebook("oecd").min_evidence)
    train = gs.training_mask(evidence, 1.5, labels=labels)
    features = gs.ThemeFeatures(cues=False)
    X = features.fit_transform(texts)
    model = _classifier().fit(X[train.to_numpy()], labels[train])
    expected = pd.DataFrame(model.predict_proba(features.transform(texts)), columns=model.classes_)
    np.testing.assert_array_equal(scorer.evidence_, evidence.to_numpy())
    assert (scorer.rule_labels_ == labels.to_numpy()).all()
    got = scorer.predict_proba(texts)
    np.testing.assert_array_equal(got[list(model.classes_)].to_numpy(), expected.to_numpy())
    assert not got.drop(columns=list(model.classes_)).to_numpy().any()  # themes the rule never gave


def test_supervised_and_semi_scorers_are_their_verbs_composed():
    texts, kinds = _posts()
    scorer = gs.ThemeScorer("oecd", "supervised", random_state=0).fit(texts, kinds)
    features = gs.ThemeFeatures("oecd")
    model = _classifier().fit(features.fit_transform(texts), kinds)
    np.testing.assert_array_equal(
        scorer.predict_proba(texts).to_numpy(), model.predict_proba(features.transform(texts))
    )
    coded = np.arange(len(texts)) % 4 == 0
    partial = [k if c else None for k, c in zip(kinds, coded)]
    scorer = gs.ThemeScorer("oecd", "semi", n_topics=3, n_iter=5, random_state=0).fit(texts, partial)
    features = gs.ThemeFeatures("oecd", n_topics=3, n_iter=5, random_state=0)
    model = _classifier().fit(features.fit_transform(texts)[coded], kinds[coded])
    np.testing.assert_array_equal(
        scorer.predict_proba(texts).to_numpy(), model.predict_proba(features.transform(texts))
    )


def test_one_tokenizer_reaches_every_step_of_the_scorer():
    texts, _ = _posts()
    texts = [t.replace("survey", "surveys") for t in texts]
    plain = gs.Tokenizer(normalize="none")
    scorer = gs.ThemeScorer("oecd", "seeded", tokenizer=plain, random_state=0).fit(texts)
    assert scorer.tokenizer_ is plain and scorer.features_.tokenizer_ is plain
    assert "surveys" in set(scorer.features_.get_feature_names_out())  # representation
    evidence = (
        gs.keyword_evidence(texts, "oecd", tokenizer=plain)  # evidence: "surveys" is no seed now
        + gs.corpus_association(texts, "oecd", tokenizer=plain, random_state=0).significant()
    )
    np.testing.assert_array_equal(scorer.evidence_, evidence.to_numpy())
    assert "surveys" in scorer.corpus_association_.words  # expansion
    lda = gs.ThemeScorer("oecd", "seeded", expansion="seeded_lda", n_iter=5, tokenizer=plain, random_state=0)
    assert lda.fit(texts).topic_model_.tokenizer is plain  # the seeds are matched with it too
    default = gs.ThemeScorer("oecd", "seeded", random_state=0).fit(texts)
    assert "surveys" not in set(default.features_.get_feature_names_out())
    with pytest.raises(TypeError, match="tokenizer must be"):
        gs.ThemeScorer(tokenizer=str.split).fit(texts)


def test_a_run_scores_themes_and_its_matrix_with_its_one_tokenizer():
    texts, _ = _posts()
    texts = [t.replace("survey", "surveys") for t in texts]
    n = len(texts)
    posts = gs.conform(
        {
            "post_id": [str(i) for i in range(n)],
            "platform": ["x"] * n,
            "text": texts,
            "account_id": ["gov"] * n,
            "account_type": ["government"] * n,
        }
    )
    data = gs.StudyData(gs.Config(), posts, posts.iloc[:0])
    assert data.tokenizer.get_params() == gs.Tokenizer().get_params()  # no tokenizer options in [text]
    data.tokenizer = gs.Tokenizer(normalize="none")
    expected = (
        gs.ThemeScorer(
            "oecd",
            "seeded",
            n_iter=int(data.config.themes.n_iter),
            tokenizer=data.tokenizer,
            random_state=data.config.seed,
        )
        .fit(data.gov)
        .predict_proba(data.gov)
    )
    default = (
        gs.ThemeScorer("oecd", "seeded", n_iter=int(data.config.themes.n_iter), random_state=data.config.seed)
        .fit(data.gov)
        .predict_proba(data.gov)
    )
    assert not np.array_equal(expected.to_numpy(), default.to_numpy())  # the tokenizer matters here
    pd.testing.assert_frame_equal(data.themes("oecd"), expected)
    assert "closed" in set(data.matrix.vocab["term"])  # not stemmed to "close"

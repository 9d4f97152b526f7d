"""The acceptance points every registered model must meet, checked for each one."""

import json

import numpy as np
import pytest
import scipy.sparse as sp

import pandas as pd

import govsocial as gs
from govsocial.text.dtm import DocTermMatrix
from govsocial.topics.models import MODELS, load_model

POSTS = ["flu vaccine clinic flu", "vaccine clinic booster", "flu booster vaccine clinic",
         "bus train delay", "train bus timetable delay", "bus timetable train"] * 4
SEEDS = {"health": ["vaccine"], "transport": ["train"]}


def _model(name, **extra):
    params = {"dmm": {"n_iter": 30}, "lda": {"n_iter": 100}, "nmf": {},
              "seeded_lda": {"seeds": SEEDS, "n_iter": 100}, "seeded_dmm": {"seeds": SEEDS, "n_iter": 30}}[name]
    return MODELS[name](**{"n_components": 2, "random_state": 3, **params, **extra})


@pytest.fixture(scope="module")
def dtm():
    return gs.Vectorizer(min_df=1, max_df=1.0, phrases=False).fit_transform(POSTS)


@pytest.mark.parametrize("name", sorted(MODELS))
def test_tiny_obvious_corpus(name, dtm):
    model = _model(name).fit(dtm)
    health = np.array([i % 6 < 3 for i in range(len(POSTS))])[dtm.post_ids.astype(int)]
    labels = model.labels_
    assert len(set(labels[health])) == 1 and len(set(labels[~health])) == 1 and labels[health][0] != labels[~health][0]
    assert (model.transform(dtm).argmax(axis=1) == labels).all()


@pytest.mark.parametrize("name", sorted(MODELS))
def test_same_seed_same_components_and_exact_round_trip(name, dtm, tmp_path):
    a, b = _model(name).fit(dtm), _model(name).fit(dtm)
    np.testing.assert_array_equal(a.components_, b.components_)
    path = a.save(tmp_path / name)
    again = load_model(path)
    np.testing.assert_array_equal(again.components_, a.components_)
    np.testing.assert_array_equal(again.transform(dtm), a.transform(dtm))
    doc = json.loads(path.read_text())
    doc["format_version"] += 1
    path.write_text(json.dumps(doc))
    with pytest.raises(ValueError, match="newer than this govsocial reads"):
        load_model(path)


@pytest.mark.parametrize("name", sorted(MODELS))
@pytest.mark.parametrize("change, data, match", [
    ({"n_components": 0}, None, "n_components must be an int"),
    ({}, sp.csr_matrix((0, 5)), "empty"),
    ({}, sp.csr_matrix(np.array([[1, 2], [0, 0]])), "no terms"),
])
def test_invalid_input_says_what_to_change(name, dtm, change, data, match):
    model = _model(name, **change) if change else _model(name)
    target = dtm if data is None else data
    if name.startswith("seeded") and data is not None and data.shape[0]:
        target = DocTermMatrix(data, np.arange(data.shape[0]).astype(str),
                               pd.DataFrame({"term": ["vaccin", "train", "bus", "flu", "clinic"][:data.shape[1]]}))
    with pytest.raises(ValueError, match=match):
        model.fit(target)


@pytest.mark.parametrize("name, prior", [("dmm", "alpha"), ("dmm", "beta"), ("lda", "alpha"), ("lda", "beta"),
                                         ("seeded_lda", "beta"), ("seeded_dmm", "alpha")])
def test_negative_priors_are_refused(name, prior, dtm):
    with pytest.raises(ValueError, match=prior):
        _model(name, **{prior: -0.1}).fit(dtm)

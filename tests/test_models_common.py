"""The acceptance points every registered model must meet, checked for each one."""

import json

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

import govsocial as gs
from govsocial.text.dtm import DocTermMatrix
from govsocial.topics.models import MODELS, load_model

POSTS = [
    "flu vaccine clinic flu",
    "vaccine clinic booster",
    "flu booster vaccine clinic",
    "bus train delay",
    "train bus timetable delay",
    "bus timetable train",
] * 4
SEEDS = {"health": ["vaccine"], "transport": ["train"]}


def _model(name, **extra):
    params = {
        "dmm": {"n_iter": 30},
        "lda": {"n_iter": 100},
        "nmf": {},
        "seeded_lda": {"seeds": SEEDS, "n_iter": 100},
        "seeded_dmm": {"seeds": SEEDS, "n_iter": 30},
        "stm": {},
        "covariate_dmm": {"n_iter": 30},
    }[name]
    return MODELS[name](**{"n_components": 2, "random_state": 3, **params, **extra})


@pytest.fixture(scope="module")
def dtm():
    return gs.Vectorizer(min_df=1, max_df=1.0, phrases=False).from_posts(POSTS)


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
@pytest.mark.parametrize(
    "change, data, match",
    [
        ({"n_components": 0}, None, "n_components must be an int"),
        ({}, sp.csr_matrix((0, 5)), "empty"),
        ({}, sp.csr_matrix(np.array([[1, 2], [0, 0]])), "no terms"),
    ],
)
def test_invalid_input_says_what_to_change(name, dtm, change, data, match):
    model = _model(name, **change) if change else _model(name)
    target = dtm if data is None else data
    if name.startswith("seeded") and data is not None and data.shape[0]:
        target = DocTermMatrix(
            data,
            np.arange(data.shape[0]).astype(str),
            pd.DataFrame({"term": ["vaccin", "train", "bus", "flu", "clinic"][: data.shape[1]]}),
        )
    with pytest.raises(ValueError, match=match):
        model.fit(target)


@pytest.mark.parametrize(
    "name, prior",
    [
        ("dmm", "alpha"),
        ("dmm", "beta"),
        ("lda", "alpha"),
        ("lda", "beta"),
        ("seeded_lda", "beta"),
        ("seeded_dmm", "alpha"),
    ],
)
def test_negative_priors_are_refused(name, prior, dtm):
    with pytest.raises(ValueError, match=prior):
        _model(name, **{prior: -0.1}).fit(dtm)


# --------------------------------------------------------------- model files (issue 10, point 17)
def _saved(name, dtm, tmp_path, stem="model"):
    return _model(name).fit(dtm).save(tmp_path / stem)


@pytest.mark.parametrize("name", sorted(MODELS))
def test_save_appends_suffixes_so_dotted_names_do_not_collide(name, dtm, tmp_path):
    small = _model(name, n_components=2).fit(dtm)
    large = _model(name, n_components=3).fit(dtm)
    folder = tmp_path / "not" / "yet" / "there"
    small.save(folder / f"{name}.k2")
    large.save(folder / f"{name}.k3")
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"{name}.{k}.{ext}" for k in ("k2", "k3") for ext in ("json", "npz")
    )
    for stem, model in ((f"{name}.k2", small), (f"{name}.k3", large)):
        for given in (stem, f"{stem}.json", f"{stem}.npz"):
            again = gs.load_model(folder / given)
            assert again.components_.shape[0] == model.components_.shape[0]
            np.testing.assert_array_equal(again.components_, model.components_)


def _rewrite_npz(json_path, change):
    npz = json_path.with_name(json_path.name[: -len(".json")] + ".npz")
    with np.load(npz) as archive:
        arrays = {k: archive[k] for k in archive.files}
    change(arrays)
    np.savez_compressed(npz, **arrays)
    return npz


def _expect_input_error(path, source, field=None):
    with pytest.raises(gs.InputError) as caught:
        gs.load_model(path)
    assert caught.value.source == str(source) and source.name in str(caught.value)
    if field is not None:
        assert caught.value.field == field, str(caught.value)
    return caught.value


@pytest.mark.parametrize("name", sorted(MODELS))
def test_damaged_array_files_are_refused_naming_file_and_field(name, dtm, tmp_path):
    path = _saved(name, dtm, tmp_path)
    npz = path.with_suffix(".npz")
    original = npz.read_bytes()
    with np.load(npz) as archive:
        stored = {k: archive[k] for k in archive.files}
    for cut in (0, 10, len(original) // 3, len(original) // 2, len(original) - 1):  # truncated
        npz.write_bytes(original[:cut])
        _expect_input_error(path, npz)
    npz.write_bytes(b"this is not a zip archive\n" * 10)
    _expect_input_error(path, npz)
    np.save(npz.with_suffix(".npy"), stored["components_"])
    npz.write_bytes(npz.with_suffix(".npy").read_bytes())  # a bare .npy under the .npz name
    _expect_input_error(path, npz)
    npz.unlink()
    _expect_input_error(path, npz)
    for key in stored:  # each array missing in turn
        np.savez_compressed(npz, **{k: v for k, v in stored.items() if k != key})
        _expect_input_error(path, npz, key)
    np.savez_compressed(npz, **stored, extra_=np.zeros(2))
    _expect_input_error(path, npz, "extra_")
    for key, value in stored.items():
        if value.ndim == 2 and value.size:  # a wrong shape: one column too many
            wider = {**stored, key: np.hstack([value, value[:, :1]])}
            np.savez_compressed(npz, **wider)
            _expect_input_error(path, npz, key)
        if value.dtype.kind == "f" and value.size:
            bad = value.copy()
            bad.flat[0] = np.nan
            np.savez_compressed(npz, **{**stored, key: bad})
            _expect_input_error(path, npz, key)
    for spoil in (np.nan, -0.25, np.inf):
        bad = stored["components_"].copy()
        bad[0, 0] = spoil
        np.savez_compressed(npz, **{**stored, "components_": bad})
        _expect_input_error(path, npz, "components_")
    np.savez_compressed(npz, **{**stored, "components_": stored["components_"].astype(str)})
    _expect_input_error(path, npz, "components_")
    np.savez_compressed(npz, **{**stored, "labels_": np.full_like(stored["labels_"], 99)})
    _expect_input_error(path, npz, "labels_")
    np.savez_compressed(npz, **stored)
    assert gs.load_model(path).components_.shape == stored["components_"].shape


@pytest.mark.parametrize("name", sorted(MODELS))
@pytest.mark.parametrize(
    "field, spoil",
    [
        ("format_version", {"format_version": "1"}),
        ("format_version", {"format_version": 0}),
        ("format_version", {"format_version": -1}),
        ("format_version", {"format_version": 1.5}),
        ("format_version", {"format_version": None}),
        ("format_version", {"format_version": True}),
        ("format_version", {"format_version": 2}),
        ("model", {"model": "Word2Vec"}),
        ("model", {"model": None}),
        ("format", {"format": "something-else"}),
        ("terms", {"terms": "drop one"}),
        ("display", {"display": "drop one"}),
        ("terms", {"terms": "duplicate"}),
        ("params", {"params": [1, 2]}),
        ("params.not_a_parameter", {"params": "add one"}),
        ("params.n_components", {"params": "change K"}),
    ],
)
def test_damaged_metadata_is_refused_naming_file_and_field(name, dtm, tmp_path, field, spoil):
    path = _saved(name, dtm, tmp_path)
    meta = json.loads(path.read_text())
    key, value = next(iter(spoil.items()))
    if value == "drop one":
        value = meta[key][:-1]
    elif value == "duplicate":
        value = [meta[key][0]] * len(meta[key])
    elif value == "add one":
        value = {**meta["params"], "not_a_parameter": 1}
    elif value == "change K":
        value = {**meta["params"], "n_components": 7}
    meta[key] = value
    path.write_text(json.dumps(meta))
    error = _expect_input_error(path, path, field)
    if value == 2:
        assert "newer than this govsocial reads" in str(error)


@pytest.mark.parametrize("name", sorted(MODELS))
def test_unreadable_or_missing_metadata_is_an_input_error(name, dtm, tmp_path):
    path = _saved(name, dtm, tmp_path)
    text = path.read_text()
    path.write_text(text[: len(text) // 2])  # truncated JSON
    _expect_input_error(path, path)
    path.write_text("[1, 2, 3]")
    _expect_input_error(path, path, "format")
    path.unlink()
    _expect_input_error(tmp_path / "model", path)


def test_a_posts_table_or_its_texts_are_refused_with_the_way_to_a_matrix():
    """Fitting a model on posts (not a document-term matrix) names the fix and never echoes a post."""
    import govsocial as gs

    posts = gs.conform({"post_id": ["1", "2"], "platform": ["x"] * 2, "text": ["jo@example.org flu", "bus late"]})
    for given in (posts, posts["text"]):
        with pytest.raises(TypeError, match="Vectorizer") as info:
            gs.DMM(n_components=2).fit(given)
        assert "example.org" not in str(info.value)
    with pytest.raises(TypeError, match="pass the posts table"):
        gs.ThemeScorer("oecd").fit(gs.Vectorizer(min_df=1, max_df=1.0, phrases=False).from_posts(posts))

"""DaskVectorizer on a LocalCluster of 2 worker processes equals gs.Vectorizer on the same posts."""

from __future__ import annotations

import gzip
import warnings

import numpy as np
import pandas as pd
import pytest

import govsocial as gs

from .conftest import BUNDLED

dd = pytest.importorskip("dask.dataframe")
pytest.importorskip("distributed")
pytestmark = pytest.mark.slow  # a LocalCluster: several seconds on 2 shared cores


@pytest.fixture(scope="module")
def posts(tmp_path_factory):
    path = tmp_path_factory.mktemp("v") / "posts.jsonl"
    with gzip.open(BUNDLED / "posts.jsonl.gz", "rt", encoding="utf-8") as handle:
        path.write_text("".join(next(handle) for _ in range(6)), encoding="utf-8")
    frame, rejects = gs.read_posts(path)
    assert len(rejects) == 0 and len(frame) == 600
    return frame


def _same(a, b) -> None:
    assert list(a.post_ids) == list(b.post_ids)
    assert a.X.shape == b.X.shape and a.X.dtype == b.X.dtype and (a.X != b.X).nnz == 0
    pd.testing.assert_frame_equal(a.vocab, b.vocab)
    assert a.report == b.report


@pytest.mark.parametrize(
    "params",
    [
        {"min_df": 3, "max_df": 0.4, "phrases": False},
        # phrases learned from the first 250 posts: the sample ends inside the second partition
        {"min_df": 2, "max_df": 0.5, "phrases": True, "phrase_min_count": 3, "phrase_sample": 250},
        {"min_df": 0.01, "max_df": 0.9, "phrases": False, "max_features": 150},
    ],
)
def test_dask_vectorizer_equals_the_single_machine_vectorizer(posts, dask_client, params):
    single = gs.Vectorizer(**params).from_posts(posts)
    lazy = gs.DaskVectorizer(**params, client=dask_client).fit_transform(dd.from_pandas(posts, npartitions=3))
    assert len(lazy.blocks) == 3
    got = lazy.compute()
    _same(got, single)
    # the report agrees with the matrix: df and count are what the rows hold
    assert (got.vocab["df"].to_numpy() == np.bincount(got.X.indices, minlength=got.X.shape[1])).all()
    assert got.report["posts"] == len(posts)
    if params["phrases"]:
        assert got.report["phrases"] > 0 and any("_" in t for t in got.terms)


def test_dask_transform_and_series_input(posts, dask_client):
    params = {"min_df": 2, "max_df": 0.5, "phrases": False}
    texts = posts.set_index("post_id")["text"]
    fitted = gs.Vectorizer(**params)
    fitted.from_posts(texts.iloc[:300])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # texts are what a DaskVectorizer reads: no deprecation
        lazy = gs.DaskVectorizer(**params, client=dask_client).fit(dd.from_pandas(texts.iloc[:300], npartitions=2))
        assert lazy.vocabulary_ == fitted.vocabulary_
        new = lazy.transform(dd.from_pandas(texts.iloc[300:], npartitions=2)).compute()
    _same(new, fitted.transform_posts(texts.iloc[300:]))


def test_dask_vectorizer_refuses_in_memory_data(posts):
    with pytest.raises(TypeError, match="expected a dask DataFrame or Series"):
        gs.DaskVectorizer().fit(posts)

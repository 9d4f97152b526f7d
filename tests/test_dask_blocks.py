"""Topic models fitted on a DaskDocTermMatrix's blocks, where they are (no gathering on the
client), against the same models fitted on the gathered matrix."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import govsocial as gs

dd = pytest.importorskip("dask.dataframe")
pytest.importorskip("distributed")
pytestmark = pytest.mark.slow  # a LocalCluster: several seconds on 2 shared cores

WORDS = ["flu", "jab", "clinic", "bus", "stop", "lane", "road", "closed", "fire", "ban"]


def texts(n: int = 120, seed: int = 0) -> pd.Series:
    """Short posts from two word groups, with a few that keep no term (only stopwords)."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        if i % 17 == 5:
            out.append("the and of")
        else:
            group = WORDS[:5] if rng.random() < 0.5 else WORDS[5:]
            out.append(" ".join(rng.choice(group, 4)))
    return pd.Series(out, index=[f"p{i}" for i in range(n)])


def blocks(dask_client, drop_empty: bool = True, npartitions: int = 3):
    series = dd.from_pandas(texts(), npartitions=npartitions)
    vectorizer = gs.DaskVectorizer(min_df=1, max_df=1.0, phrases=False, drop_empty=drop_empty, client=dask_client)
    return vectorizer.fit_transform(series)


@pytest.mark.parametrize("n_pieces", [2, 7])
@pytest.mark.parametrize("npartitions", [1, 4])
def test_dealt_pieces_are_the_gathered_rows(dask_client, n_pieces, npartitions):
    dtm = blocks(dask_client, npartitions=npartitions)
    X = dtm.compute().X
    shape, pieces = dtm.deal(n_pieces)
    assert shape == X.shape
    got = dask_client.compute(pieces, sync=True)
    assert len(got) == n_pieces
    for p, (rows, part) in enumerate(got):
        np.testing.assert_array_equal(rows, np.arange(p, X.shape[0], n_pieces))
        assert (part != X[rows]).nnz == 0


def test_posts_without_terms_are_refused_where_they_would_be_in_memory(dask_client):
    dtm = blocks(dask_client, drop_empty=False)
    with pytest.raises(ValueError, match=r"post\(s\) with no terms.*drop_empty=True"):
        gs.DMM(n_components=2, n_iter=2, engine="dask", n_shards=2, client=dask_client).fit(dtm)


@pytest.mark.parametrize("cls, kw", [(gs.DMM, dict(n_iter=8)), (gs.LDA, dict(n_iter=8))])
def test_fit_on_blocks_equals_fit_on_the_gathered_matrix(dask_client, cls, kw):
    dtm = blocks(dask_client)
    params = dict(n_components=3, random_state=4, engine="dask", n_shards=2, client=dask_client, **kw)
    on_blocks = cls(**params).fit(dtm)
    gathered = cls(**params).fit(dtm.compute())
    np.testing.assert_array_equal(on_blocks.n_kw_, gathered.n_kw_)
    np.testing.assert_array_equal(on_blocks.labels_, gathered.labels_)
    np.testing.assert_array_equal(on_blocks.components_, gathered.components_)
    assert on_blocks.terms_ == gathered.terms_ and on_blocks.display_ == gathered.display_


@pytest.mark.parametrize("model", [gs.NMF(n_components=2), gs.DMM(n_components=2, n_iter=2)])
def test_other_engines_ask_for_the_gathered_matrix(dask_client, model):
    with pytest.raises(TypeError, match=r"DaskDocTermMatrix.*engine='dask'.*\.compute\(\)"):
        model.fit(blocks(dask_client))


@pytest.mark.parametrize("source", ["matrix", "blocks"])
def test_shards_are_spread_over_the_workers(dask_client, source):
    """Two shards on two workers: one each, from a scattered matrix and from the count blocks."""
    from govsocial.topics.models._distributed import _start_shards

    dtm = blocks(dask_client)
    X = dtm.compute().X if source == "matrix" else dtm
    with dask_client.as_current():
        shape, actors, deltas = _start_shards(dask_client, X, "dmm", 3, 2, 0)
    assert shape == dtm.compute().X.shape and len(deltas) == 2
    assert len({a._address for a in actors}) == 2

"""Aggregations on Dask (LocalCluster, 2 worker processes) against the single-process verbs and
against shares and bootstraps the test computes itself from the posts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import govsocial as gs
from govsocial.core.bootstrap import cluster_totals, resample_totals

dd = pytest.importorskip("dask.dataframe")
pytest.importorskip("distributed")
pytestmark = pytest.mark.slow  # a LocalCluster: several seconds on 2 shared cores


@pytest.fixture(scope="module")
def posts(small_corpus):
    frame, rejects = gs.read_posts(small_corpus / "posts.jsonl.gz", registry=small_corpus / "accounts.csv")
    assert len(rejects) == 0
    frame = frame.copy()
    frame.loc[frame.index[::97], "likes"] = pd.NA  # posts without all three counts are left out
    truth = pd.read_csv(small_corpus / "truth.csv.gz", dtype=str).set_index("post_id")
    frame["theme"] = frame["post_id"].map(truth["theme"]).fillna("(citizen)").to_numpy()
    return frame


@pytest.mark.parametrize("by, period", [(None, None), ("account", None), ("account_type", "M")])
def test_bonson_metrics_dask_equal_the_single_process_table(posts, dask_client, by, period):
    single = gs.bonson_metrics(posts, by=by, period=period, n_boot=200, random_state=3)
    lazy = gs.bonson_metrics_dask(
        dd.from_pandas(posts, npartitions=3), by=by, period=period, n_boot=200, random_state=3, client=dask_client
    )
    pd.testing.assert_frame_equal(lazy, single, check_exact=False, rtol=1e-9)
    assert lazy.attrs["posts_without_counts"] == len(posts.index[::97])
    if by == "account":  # one account per group: the bootstrap resamples that account's posts
        assert (lazy["n_accounts"] == 1).all() and lazy["low"].notna().any()


def _expected_shares(frame: pd.DataFrame, by: str, categories: list[str], n_boot: int, seed: int) -> pd.DataFrame:
    """Shares and account-bootstrap intervals computed here from the posts, one group at a time."""
    rng = np.random.default_rng(seed)
    parts = []
    for group, part in frame.groupby(by, sort=True):
        onehot = (part["theme"].to_numpy()[:, None] == np.array(categories)[None, :]).astype(float)
        units = cluster_totals(onehot, part["account_id"].astype(str).to_numpy(), single_by_rows=True)
        draws = resample_totals(units, n_boot, rng)
        low, high = np.percentile(draws / draws.sum(axis=1, keepdims=True), [2.5, 97.5], axis=0)
        counts = part["theme"].value_counts().reindex(categories, fill_value=0)
        parts.append(
            pd.DataFrame(
                {
                    "group": str(group),
                    "theme": categories,
                    "estimate": counts.to_numpy() / len(part),
                    "low": low,
                    "high": high,
                    "level": 0.95,
                    "n": len(part),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def test_theme_shares_dask_equal_shares_counted_here(posts, dask_client):
    frame = posts[["post_id", "account_id", "account_type", "theme"]].astype({"account_type": str})
    categories = sorted(frame["theme"].unique())
    got = gs.shares_dask(
        dd.from_pandas(frame, npartitions=4),
        "theme",
        by="account_type",
        n_boot=300,
        random_state=np.random.default_rng(5),
        client=dask_client,
    )
    expected = _expected_shares(frame, "account_type", categories, 300, 5)
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-12, check_dtype=False)
    assert got.groupby("group")["n"].first().sum() == len(frame)


def test_theme_labels_per_partition_equal_the_scorer_on_all_posts(posts, dask_client):
    train = posts[posts["theme"] != "(citizen)"].iloc[:300]
    scorer = gs.ThemeScorer(codebook=None, method="supervised").fit(train["text"].tolist(), train["theme"].tolist())
    got = dask_client.compute(gs.theme_labels_dask(dd.from_pandas(posts, npartitions=3), scorer), sync=True)
    assert got["post_id"].tolist() == posts["post_id"].tolist()
    assert got["theme"].tolist() == scorer.predict(posts).tolist()


def test_topic_labels_per_block_equal_the_model_on_the_whole_matrix(posts, dask_client):
    dtm = gs.DaskVectorizer(min_df=3, phrases=False, client=dask_client).fit_transform(
        dd.from_pandas(posts, npartitions=3)
    )
    whole = dtm.compute()
    model = gs.NMF(n_components=4, random_state=0).fit(whole)
    got = dask_client.compute(gs.topic_labels_dask(model, dtm), sync=True)
    assert got["post_id"].tolist() == list(whole.post_ids)
    assert got["topic"].tolist() == np.asarray(model.transform(whole.X)).argmax(axis=1).tolist()


def test_aggregations_refuse_pandas_tables(posts):
    with pytest.raises(TypeError, match="takes a dask DataFrame"):
        gs.bonson_metrics_dask(posts)


def test_responses_dask_equal_the_single_process_responses(posts, dask_client):
    single = gs.responses(posts)
    assert single["answered"].any() and not single["answered"].all()  # the corpus has both kinds
    got = gs.responses_dask(dd.from_pandas(posts, npartitions=3), client=dask_client)
    pd.testing.assert_frame_equal(got, single)
    pd.testing.assert_frame_equal(gs.responsiveness(got), gs.responsiveness(single))


def test_shares_dask_without_groups_equal_gs_cluster_shares(posts, dask_client):
    frame = posts[["post_id", "account_id", "theme"]]
    categories = sorted(frame["theme"].unique())
    single = gs.cluster_shares(
        frame["theme"].to_numpy(), frame["account_id"].astype(str).to_numpy(), categories, 200, np.random.default_rng(9)
    )
    got = gs.shares_dask(
        dd.from_pandas(frame, npartitions=3),
        "theme",
        n_boot=200,
        random_state=np.random.default_rng(9),
        client=dask_client,
    )
    pd.testing.assert_frame_equal(got.drop(columns="group"), single, check_exact=False, rtol=1e-12, check_dtype=False)


def test_topic_labels_of_a_dask_engine_model_leave_its_client_behind(posts, dask_client):
    dtm = gs.DaskVectorizer(min_df=3, phrases=False, client=dask_client).fit_transform(
        dd.from_pandas(posts, npartitions=2)
    )
    whole = dtm.compute()
    model = gs.DMM(n_components=3, n_iter=3, engine="dask", n_shards=2, client=dask_client, random_state=0).fit(whole)
    got = dask_client.compute(gs.topic_labels_dask(model, dtm), sync=True)  # a live client cannot be pickled
    assert got["topic"].tolist() == np.asarray(model.transform(whole.X)).argmax(axis=1).tolist()
    assert model.client is dask_client

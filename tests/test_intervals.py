"""Issue 11, point 8: every table of an estimate with its interval has the columns estimate, low,
high, level, n — level the one asked for, n the units counted here, by hand."""

import numpy as np
import pandas as pd
import pytest

import govsocial as gs

CONVENTION = ["estimate", "low", "high", "level", "n"]


def _posts() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    n = 40
    return gs.conform(
        {
            "post_id": [str(i) for i in range(n)],
            "platform": ["x"] * n,
            "text": rng.choice(["great work", "awful delay", "open today"], n).tolist(),
            "account_id": [f"a{i % 5}" for i in range(n)],
            "account_type": ["government"] * 25 + ["citizen"] * 15,
            "likes": rng.integers(0, 9, n),
            "shares": rng.integers(0, 3, n),
            "replies": rng.integers(0, 4, n),
            "followers": [1000] * n,
        }
    )


def _contiguous(columns: list[str]) -> bool:
    at = columns.index("estimate")
    return columns[at : at + 5] == CONVENTION


def test_grouped_tables_follow_the_convention_with_n_counted_here() -> None:
    posts = _posts()
    counted = {"government": 25, "citizen": 15}  # as written above
    bonson = gs.bonson_metrics(posts, by="account_type", n_boot=50, level=0.9)
    sentiment = gs.sentiment_by(posts, "account_type", n_boot=50, level=0.9)
    labels = pd.Series(np.where(np.arange(40) % 3 == 0, "x", "y"), index=posts["post_id"])
    prevalence = gs.prevalence(labels, posts, by="account_type", n_boot=50, level=0.9, random_state=0)
    for name, table in (("bonson_metrics", bonson), ("sentiment_by", sentiment), ("prevalence", prevalence)):
        assert _contiguous(list(table.columns)), name
        assert (table["level"] == 0.9).all(), name
        assert table.groupby("group")["n"].first().to_dict() == counted, name
        assert ((table["low"] <= table["estimate"] + 1e-12) & (table["estimate"] <= table["high"] + 1e-12)).all()
    assert {"measure"} <= set(bonson.columns) and {"measure"} <= set(sentiment.columns)


def test_shares_and_regression_follow_the_convention() -> None:
    posts = _posts()
    labels = np.where(np.arange(40) % 4 == 0, "x", "y")
    shares = gs.cluster_shares(labels, posts["account_id"].to_numpy(), ["x", "y"], 50, np.random.default_rng(0))
    assert list(shares.columns) == ["theme", *CONVENTION]
    assert shares["n"].tolist() == [40, 40] and (shares["estimate"] * shares["n"]).round().tolist() == [10, 30]
    table = gs.engagement_regression(posts, controls=[], level=0.9)
    assert _contiguous(list(table.columns)) and (table["level"] == 0.9).all() and (table["n"] == 40).all()
    assert np.allclose(table["estimate"], np.exp(table["coef"]))


def test_cluster_shares_takes_a_seed_a_generator_or_none() -> None:
    posts = _posts()
    labels, accounts = np.where(np.arange(40) % 4 == 0, "x", "y"), posts["account_id"].to_numpy()
    by_seed = gs.cluster_shares(labels, accounts, ["x", "y"], 50, 3)
    by_generator = gs.cluster_shares(labels, accounts, ["x", "y"], 50, np.random.default_rng(3))
    pd.testing.assert_frame_equal(by_seed, by_generator)
    pd.testing.assert_frame_equal(by_seed, gs.cluster_shares(labels, accounts, ["x", "y"], 50, random_state=3))
    unseeded = gs.cluster_shares(labels, accounts, ["x", "y"], 50)
    assert unseeded["low"].notna().all() and unseeded["estimate"].tolist() == by_seed["estimate"].tolist()
    with pytest.raises(ValueError, match="random_state must be"):
        gs.cluster_shares(labels, accounts, ["x", "y"], 50, -1)


def test_responsiveness_is_long_with_the_convention() -> None:
    table = pd.DataFrame(
        {
            "post_id": list("abcde"),
            "agency": ["g"] * 3 + ["h"] * 2,
            "answered": [True, False, True, True, False],
            "latency_s": [60.0, np.nan, 120.0, 30.0, np.nan],
            "business_latency_s": [60.0, np.nan, 120.0, 30.0, np.nan],
            "duration_s": [60.0, 900.0, 120.0, 30.0, 900.0],
        }
    )
    got = gs.responsiveness(table, by="agency", level=0.9)
    assert list(got.columns) == ["group", "measure", *CONVENTION]
    rate = got[got["measure"] == "response_rate"].set_index("group")
    assert rate["n"].to_dict() == {"g": 3, "h": 2} and rate["estimate"].tolist() == [2 / 3, 1 / 2]
    assert (got["level"] == 0.9).all() and (rate["low"] < rate["estimate"]).all()

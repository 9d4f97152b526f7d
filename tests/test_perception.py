"""Sentiment and risk indicators."""

import warnings

import numpy as np
import pandas as pd
import pytest

import govsocial as gs
from govsocial.analysis.perception import is_correction, risk_indicators, sentiment, sentiment_by
from govsocial.core import schema

from .conftest import BUNDLED


def test_sentiment_labels_and_thresholds():
    table = sentiment(["This is great, thank you!", "Worst service ever 😡", "The office opens at 9"])
    assert table["label"].tolist() == ["positive", "negative", "neutral"]
    assert ((table["label"] == "positive") == (table["compound"] >= 0.05)).all()


def test_sentiment_by_clusters_on_accounts():
    posts = schema.conform(
        {
            "post_id": [str(i) for i in range(6)],
            "platform": ["x"] * 6,
            "account_id": ["a", "a", "a", "b", "c", "d"],
            "text": ["terrible", "awful", "horrible", "fine thanks", "great", "love it"],
        }
    )
    table = sentiment_by(posts, pd.Series(["g"] * 6, index=[str(i) for i in range(6)]), n_boot=300)
    assert table["measure"].tolist() == ["mean_compound", "negative_share", "positive_share"]
    row = table.set_index("measure").loc["negative_share"]
    assert row["estimate"] == 0.5 and row["n"] == 6 and row["n_accounts"] == 4 and row["level"] == 0.95
    assert row["low"] <= 0.5 <= row["high"]


def _posts():
    return schema.conform(
        {
            "post_id": ["g1", "g2", "c1", "c2", "c3", "c4"],
            "platform": ["x"] * 6,
            "account_id": ["g", "g", "c", "d", "e", "f"],
            "account_name": ["Council", "Council", "u1", "u2", "u3", "u4"],
            "account_type": ["government", "government", "citizen", "citizen", "citizen", "unknown"],
            "text": [
                "Pool opens Monday",
                "CORRECTION: the pool opens Tuesday, apologies for the confusion",
                "@Council call me on 0491 570 156 about my bin",
                "That is not correct, it opens Wednesday",
                "@Council thanks, great news",
                "@Council still waiting for a reply, terrible",
            ],
            "reply_to_post_id": [None, None, None, "g1", "g1", None],
            "reply_to_account_id": [None, None, None, "g", "g", None],
            "created_at": [
                "2024-01-01T00:00Z",
                "2024-01-02T00:00Z",
                "2024-01-03T00:00Z",
                "2024-01-04T00:00Z",
                "2024-01-05T00:00Z",
                "2024-01-06T00:00Z",
            ],
        }
    )


def test_risk_indicators_by_hand():
    table = risk_indicators(_posts()).set_index("indicator")
    assert table.loc["posts_with_personal_information", ["numerator", "denominator"]].tolist() == [1, 4]
    assert table.loc["posts_with_phone", "value"] == 0.25
    assert table.loc["disputed_replies_share", ["numerator", "denominator"]].tolist() == [1, 2]
    assert table.loc["corrections_share", "value"] == 0.5
    assert np.isnan(table.loc["negative_share_trend_per_month", "value"])  # one month of data: no trend
    assert 0 < table.loc["negative_share", "value"] < 1
    assert is_correction("Clarification: applies to Kelbrook only") and not is_correction("Correct change given")


@pytest.mark.slow
def test_risk_indicators_match_the_planted_corpus():
    posts, _ = gs.read_posts(BUNDLED / "posts.jsonl.gz", registry=BUNDLED / "accounts.csv")
    truth = pd.read_csv(BUNDLED / "truth.csv.gz", dtype={"post_id": str}).set_index("post_id")
    table = risk_indicators(posts)
    corrections = table[table["indicator"] == "corrections_share"]["numerator"].sum()
    assert corrections == (truth["is_correction"] == 1).sum()
    # personal information: every planted value in a request is found
    requests = truth[(truth["kind"] == "citizen_request") & truth["pii_types"].notna()]
    found = table[table["indicator"] == "posts_with_personal_information"]["numerator"].sum()
    assert found >= len(requests)
    disputes = table[table["indicator"] == "disputed_replies_share"]["numerator"].sum()
    planted = int((truth["is_dispute"] == 1).sum())
    assert abs(disputes - planted) / planted < 0.1


# ------------------------------------------------ silent empties and zero posts (issue 10, point 21)
def test_risk_indicators_without_a_registry_say_no_account_is_government(tmp_path):
    rows = [
        {
            "post_id": f"p{i}",
            "account_id": f"a{i % 3}",
            "account_name": f"user{i % 3}",
            "text": "@user0 still waiting, terrible",
            "created_at": f"2024-02-{1 + i:02d}T09:00:00Z",
        }
        for i in range(7)
    ]
    path = tmp_path / "export.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    posts, _ = gs.read_posts(path)  # no registry
    assert len(posts) == len(rows)
    with pytest.raises(gs.InputError) as caught:
        gs.risk_indicators(posts)
    assert caught.value.field == "account_type"
    assert str(caught.value).startswith(
        "field 'account_type': no government accounts: account_type is 'unknown' for 7 posts"
    )
    registered, _ = gs.read_posts(path, registry=pd.DataFrame({"platform": ["generic"], "account_id": ["a0"]}))
    table = gs.risk_indicators(registered).set_index("indicator")
    # a1's and a2's four posts mention user0 (a0); a0's own three posts mention itself and are its own posts
    assert table.loc["negative_share", ["numerator", "denominator"]].tolist() == [4, 4]


def test_sentiment_by_says_when_no_post_has_a_group():
    posts = schema.conform(
        {"post_id": ["1", "2"], "platform": ["x"] * 2, "account_id": ["a", "b"], "text": ["great", "awful"]}
    )
    with pytest.warns(UserWarning, match="none of the 2 posts has a group"):
        table = sentiment_by(posts, pd.Series({"not-a-post-id": "g"}), n_boot=10)
    assert set(table["group"]) == {"(missing)"} and set(table["n"]) == {2}
    assert list(table.columns) == ["group", "measure", "estimate", "low", "high", "level", "n", "n_accounts"]


def test_perception_verbs_on_zero_posts():
    empty = gs.empty_posts()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an empty table in, an empty table out, and nothing to warn about
        scores = gs.sentiment(empty)
        risks = gs.risk_indicators(empty)
        by_account = sentiment_by(empty, "account_id", n_boot=0)
    assert scores.empty and list(scores.columns) == ["neg", "neu", "pos", "compound", "label"]
    assert risks.empty and list(risks.columns) == [
        "account_id",
        "risk",
        "indicator",
        "value",
        "numerator",
        "denominator",
    ]
    assert by_account.empty and list(by_account.columns) == [
        "group",
        "measure",
        "estimate",
        "low",
        "high",
        "level",
        "n",
        "n_accounts",
    ]

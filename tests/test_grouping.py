"""Every by= grouping of the library makes the same groups and labels a missing group the same way."""

import warnings

import numpy as np
import pandas as pd

import govsocial as gs


def _posts() -> pd.DataFrame:
    # six posts by three accounts; post 6 has no theme in the Series and no account_type; post 5 is undated
    return gs.conform(
        {
            "post_id": [str(i) for i in range(1, 7)],
            "platform": ["x"] * 6,
            "text": ["great", "awful", "ok", "thanks", "bad", "fine"],
            "account_id": ["a", "a", "b", "b", "c", "c"],
            "account_type": ["government", "government", "citizen", "citizen", "citizen", None],
            "likes": [1, 2, 0, 3, 1, 1],
            "shares": [0] * 6,
            "replies": [0] * 6,
            "followers": [100] * 6,
            "created_at": [
                "2024-01-03T00:00Z",
                "2024-01-09T00:00Z",
                "2024-02-01T00:00Z",
                "2024-02-11T00:00Z",
                None,
                "2024-03-01T00:00Z",
            ],
        }
    )


THEMES = pd.Series({"1": "roads", "2": "health", "3": "roads", "4": "roads", "5": "health"})
# counted here, by hand: posts per group for each by=
EXPECTED = {
    "account_type": {"government": 2, "citizen": 3, "(missing)": 1},
    "theme": {"roads": 3, "health": 2, "(missing)": 1},
    "month": {"2024-01": 2, "2024-02": 2, "2024-03": 1, "(missing)": 1},
}


def _by(name: str) -> object:
    return THEMES if name == "theme" else name


def test_bonson_metrics_groups_every_post_and_labels_the_missing_group() -> None:
    posts = _posts()
    for name, expected in EXPECTED.items():
        table = gs.bonson_metrics(posts, by=_by(name), n_boot=0)
        sizes = table.drop_duplicates("group").set_index("group")
        assert sizes["n"].to_dict() == expected, name


def test_sentiment_by_groups_every_post_and_labels_the_missing_group() -> None:
    posts = _posts()
    for name, expected in EXPECTED.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            table = gs.sentiment_by(posts, _by(name), n_boot=0)
        sizes = table.drop_duplicates("group").set_index("group")
        assert sizes["n"].to_dict() == expected, name


def test_prevalence_groups_every_post_and_labels_the_missing_group() -> None:
    posts = _posts()
    labels = pd.Series(["x", "y", "x", "y", "x", "y"], index=posts["post_id"])
    for name, expected in EXPECTED.items():
        table = gs.prevalence(labels, posts, by=_by(name), n_boot=0)  # type: ignore[arg-type]
        assert table.drop_duplicates("group").set_index("group")["n"].to_dict() == expected, name


def test_responsiveness_groups_every_request_and_labels_the_missing_group() -> None:
    table = pd.DataFrame(
        {
            "post_id": list("abcd"),
            "agency": ["g", "g", None, "h"],
            "answered": [True, False, True, True],
            "latency_s": [3600.0, np.nan, 60.0, 60.0],
            "business_latency_s": [3600.0, np.nan, 60.0, 60.0],
            "duration_s": [3600.0, 9e4, 60, 60],
        }
    )
    for by, expected in (
        ("agency", {"g": 2, "h": 1, "(missing)": 1}),
        (pd.Series({"a": "roads", "b": "roads", "c": "health"}), {"roads": 2, "health": 1, "(missing)": 1}),
    ):
        got = gs.responsiveness(table, by=by)
        sizes = got[got["measure"] == "response_rate"].set_index("group")
        assert sizes["n"].to_dict() == expected

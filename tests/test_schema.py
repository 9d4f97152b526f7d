import pandas as pd
import pytest

from govsocial.core import schema
from govsocial.core.exceptions import SchemaError


def _posts(**overrides):
    base = {
        "post_id": ["1", "2"],
        "platform": ["twitter", "twitter"],
        "text": ["a", "b"],
        "account_type": ["government", "citizen"],
        "created_at": pd.to_datetime(["2023-01-01T00:00:00Z", "2023-01-02T00:00:00Z"], utc=True),
        "likes": [1, 2],
    }
    base.update(overrides)
    return schema.conform(base)


def test_empty_posts_has_every_column_and_validates():
    posts = schema.empty_posts()
    assert tuple(posts.columns) == schema.COLUMN_NAMES
    assert schema.validate(posts) is posts


def test_conform_fills_optional_columns_and_keeps_extras():
    posts = _posts(label=["x", "y"])
    assert posts["shares"].isna().all() and str(posts["shares"].dtype) == "Int64"
    assert posts["is_repost"].tolist() == [False, False]
    assert list(posts.columns)[-1] == "label"
    schema.validate(posts)


def test_validate_lists_every_problem_at_once():
    posts = _posts(post_id=["1", "1"], likes=[-1, 2])
    posts["created_at"] = posts["created_at"].dt.tz_localize(None)
    posts = posts.drop(columns=["lang"])
    with pytest.raises(SchemaError) as info:
        schema.validate(posts)
    problems = "\n".join(info.value.problems)
    assert len(info.value.problems) == 4
    assert "'lang' is missing" in problems
    assert "naive" in problems and "tz_localize" in problems
    assert "negative" in problems and "likes" in problems
    assert "post_id" in problems and "unique" in problems


def test_validate_rejects_wrong_dtype_missing_required_and_bad_account_type():
    posts = _posts()
    posts["likes"] = posts["likes"].astype("float64")
    posts.loc[0, "text"] = pd.NA
    posts["account_type"] = pd.Series(["government", "robot"], dtype="string")
    with pytest.raises(SchemaError) as info:
        schema.validate(posts)
    text = str(info.value)
    assert "'likes' must have dtype Int64" in text
    assert "'text' may not be missing" in text
    assert "outside" in text and "account_type" in text


def test_validate_requires_utc():
    posts = _posts()
    posts["created_at"] = posts["created_at"].dt.tz_convert("Australia/Sydney")
    with pytest.raises(SchemaError, match="tz_convert"):
        schema.validate(posts)


def test_validate_rejects_non_dataframe():
    with pytest.raises(SchemaError, match="DataFrame"):
        schema.validate([1, 2, 3])

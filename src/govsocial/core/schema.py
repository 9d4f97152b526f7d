"""The posts table: one documented schema that every stage reads.

A *posts table* is a :class:`pandas.DataFrame` with one row per post and the
columns in :data:`COLUMNS` (extra columns are allowed and carried along).
Readers in :mod:`govsocial.data.readers` produce it; :func:`validate` checks it and lists
every problem at once.

Example
-------
>>> import govsocial.core.schema as schema
>>> posts = schema.empty_posts()
>>> list(posts.columns)[:4]
['post_id', 'platform', 'account_id', 'account_name']
>>> schema.validate(posts) is posts
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np
import pandas as pd

from .exceptions import SchemaError

__all__ = ["Column", "COLUMNS", "COLUMN_NAMES", "COUNT_COLUMNS", "ACCOUNT_TYPES", "empty_posts", "conform", "validate"]

ACCOUNT_TYPES = ("government", "citizen", "unknown")
ACCOUNT_TYPE_DTYPE = pd.CategoricalDtype(list(ACCOUNT_TYPES))
TIMESTAMP_DTYPE = pd.DatetimeTZDtype(unit="ns", tz="UTC")


@dataclass(frozen=True)
class Column:
    """One column of the posts table: name, pandas dtype, nullability and meaning.

    Example
    -------
    >>> [c.name for c in COLUMNS if not c.nullable]
    ['post_id', 'platform', 'account_type', 'text', 'is_repost']
    """

    name: str
    dtype: Any
    nullable: bool
    description: str


COLUMNS: tuple[Column, ...] = (
    Column("post_id", "string", False, "Platform id of the post; unique in the table."),
    Column("platform", "string", False, "twitter, facebook, mastodon, or the name given to a generic reader."),
    Column("account_id", "string", True, "Platform id of the posting account."),
    Column("account_name", "string", True, "Handle (screen name, page user name, acct) of the posting account."),
    Column("account_type", ACCOUNT_TYPE_DTYPE, False, "government, citizen or unknown (from the account registry)."),
    Column("created_at", TIMESTAMP_DTYPE, True, "Time of posting, time-zone aware, in UTC."),
    Column("text", "string", False, "Full text of the post (for reposts, the text of the original)."),
    Column("lang", "string", True, "Language code reported by the platform."),
    Column("reply_to_post_id", "string", True, "Id of the post this one replies to."),
    Column("reply_to_account_id", "string", True, "Id of the account this one replies to."),
    Column("conversation_id", "string", True, "Id of the root post of the conversation."),
    Column("is_repost", "boolean", False, "True for retweets, shares and boosts."),
    Column("likes", "Int64", True, "Likes / favourites / reactions."),
    Column("shares", "Int64", True, "Retweets / shares / boosts."),
    Column("replies", "Int64", True, "Replies / comments."),
    Column("quotes", "Int64", True, "Quote posts."),
    Column("views", "Int64", True, "Views / impressions."),
    Column("followers", "Int64", True, "Followers of the account (at posting time where the source has it)."),
)
COLUMN_NAMES: tuple[str, ...] = tuple(c.name for c in COLUMNS)
COUNT_COLUMNS: tuple[str, ...] = ("likes", "shares", "replies", "quotes", "views", "followers")
_BY_NAME = {c.name: c for c in COLUMNS}


def empty_posts() -> pd.DataFrame:
    """Return a posts table with no rows and the schema's columns and dtypes.

    Example
    -------
    >>> empty_posts().dtypes["likes"]
    Int64Dtype()
    """
    return pd.DataFrame({c.name: pd.Series([], dtype=c.dtype) for c in COLUMNS})


def conform(frame: pd.DataFrame | Mapping[str, Any]) -> pd.DataFrame:
    """Cast columns to the schema's dtypes, add missing optional columns, order them.

    Values must already be of the right kind (strings, integers, UTC timestamps);
    ``conform`` only fixes dtypes and column order. Extra columns are kept, after
    the schema's columns.

    Example
    -------
    >>> t = conform({"post_id": ["1"], "platform": ["twitter"], "text": ["hi"],
    ...              "account_type": ["unknown"], "is_repost": [False]})
    >>> str(t["likes"].dtype), t.loc[0, "post_id"]
    ('Int64', '1')
    """
    frame = pd.DataFrame(frame)
    n = len(frame)
    out: dict[str, pd.Series] = {}
    for col in COLUMNS:
        if col.name in frame.columns:
            values = frame[col.name]
            if col.dtype is TIMESTAMP_DTYPE:
                out[col.name] = pd.to_datetime(values, utc=True).astype(TIMESTAMP_DTYPE)
            else:
                out[col.name] = values.astype(col.dtype)
        else:
            default: Any = pd.NA
            if col.name == "account_type":
                default = "unknown"
            elif col.name == "is_repost":
                default = False
            out[col.name] = pd.Series([default] * n, dtype=col.dtype, index=frame.index)
    result = pd.DataFrame(out, index=frame.index)
    extras = [c for c in frame.columns if c not in _BY_NAME]
    for name in extras:
        result[name] = frame[name]
    return result.reset_index(drop=True)


def validate(posts: pd.DataFrame, *, what: str = "posts table") -> pd.DataFrame:
    """Check a posts table against the schema; return it unchanged or raise.

    Checks column presence and dtypes, required values, unique ``post_id``,
    time-zone-aware UTC timestamps, non-negative counts and account types.
    Every problem found is listed in the :class:`~govsocial.core.exceptions.SchemaError`.

    Example
    -------
    >>> bad = empty_posts().drop(columns=["text"])
    >>> try:
    ...     validate(bad)
    ... except SchemaError as e:
    ...     print(e.problems[0])
    column 'text' is missing; every posts table needs it (see docs/schema.md)
    """
    if not isinstance(posts, pd.DataFrame):
        raise SchemaError([f"expected a pandas DataFrame, got {type(posts).__name__}"], what)
    problems: list[str] = []
    for col in COLUMNS:
        if col.name not in posts.columns:
            problems.append(f"column '{col.name}' is missing; every posts table needs it (see docs/schema.md)")
            continue
        series = posts[col.name]
        problems.extend(_check_column(col, series))
    if "post_id" in posts.columns:
        dup = posts["post_id"].duplicated(keep=False) & posts["post_id"].notna()
        if dup.any():
            ids = posts.loc[dup, "post_id"].astype(str).unique()
            problems.append(
                f"column 'post_id': {int(dup.sum())} rows share {len(ids)} post_id value(s) "
                f"(e.g. {', '.join(map(repr, ids[:3]))}); post ids must be unique — drop duplicates "
                "with posts.drop_duplicates('post_id')"
            )
    if problems:
        raise SchemaError(problems, what)
    return posts


def _rows(mask: pd.Series | np.ndarray, index: pd.Index, limit: int = 5) -> str:
    rows = list(index[np.asarray(mask, dtype=bool)][:limit])
    return ", ".join(map(str, rows))


def _check_column(col: Column, series: pd.Series) -> list[str]:
    problems: list[str] = []
    name = col.name
    expected = pd.api.types.pandas_dtype(col.dtype)
    if col.dtype is TIMESTAMP_DTYPE:
        dtype = series.dtype
        if not isinstance(dtype, pd.DatetimeTZDtype):
            if pd.api.types.is_datetime64_dtype(dtype):
                problems.append(
                    f"column '{name}' holds time-zone-naive timestamps; localise them, e.g. "
                    f"posts['{name}'] = posts['{name}'].dt.tz_localize('Australia/Sydney').dt.tz_convert('UTC')"
                )
            else:
                problems.append(f"column '{name}' must be datetime64[ns, UTC]; got {dtype}")
            return problems
        if str(dtype.tz) != "UTC":
            problems.append(f"column '{name}' is in time zone {dtype.tz}; convert with .dt.tz_convert('UTC')")
    elif name == "account_type":
        values = series.astype("string")
        bad = values.notna() & ~values.isin(ACCOUNT_TYPES)
        if bad.any():
            problems.append(
                f"column 'account_type' has values outside {ACCOUNT_TYPES} at rows {_rows(bad, series.index)}"
            )
    elif expected != series.dtype:
        problems.append(f"column '{name}' must have dtype {expected}; got {series.dtype} (use schema.conform)")
        return problems
    if not col.nullable:
        missing = series.isna()
        if missing.any():
            problems.append(
                f"column '{name}' may not be missing; {int(missing.sum())} missing at rows "
                f"{_rows(missing, series.index)}"
            )
    if name in COUNT_COLUMNS:
        negative = (series < 0).fillna(False)
        if negative.any():
            problems.append(
                f"column '{name}' has {int(negative.sum())} negative count(s) at rows "
                f"{_rows(negative, series.index)}; counts must be >= 0"
            )
    return problems

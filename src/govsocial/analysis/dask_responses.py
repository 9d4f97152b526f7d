"""Responses on Dask: the workers pick out the posts a response needs, the single-process
:func:`~govsocial.analysis.conversation.responses` links them on the client.

Example
-------
>>> "responses_dask" in __all__
True
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ._dask_common import _compute, _dask, _need

__all__ = ["responses_dask"]


def _government(part: pd.DataFrame) -> pd.DataFrame:
    gov = part[part["account_type"] == "government"]
    names = gov["account_name"] if "account_name" in gov.columns else pd.Series(pd.NA, index=gov.index)
    return pd.DataFrame({"account_id": gov["account_id"].to_numpy(), "account_name": names.to_numpy()})


def _government_rows(accounts: list[pd.DataFrame]) -> pd.DataFrame:
    """One stand-in government post per account, then one per handle with the account that held
    it last (as the single-process handle table, built row by row, ends up)."""
    frame = pd.concat(accounts, ignore_index=True)
    ids = frame["account_id"].dropna().astype(str).drop_duplicates()
    named = frame[frame["account_name"].notna()]
    last = named.assign(key=named["account_name"].astype(str).str.lower()).drop_duplicates("key", keep="last")
    rows = pd.DataFrame(
        {
            "account_id": pd.concat([ids, last["account_id"].astype(str)], ignore_index=True),
            "account_name": [pd.NA] * len(ids) + last["account_name"].tolist(),
        }
    )
    rows.insert(0, "post_id", [f"\0gov{i}" for i in range(len(rows))])
    rows["account_type"] = "government"
    rows["text"] = ""
    return rows


def _involved(part: pd.DataFrame, gov: pd.DataFrame) -> pd.DataFrame:
    """The posts of a partition that :func:`responses` looks at: addressed citizen posts and
    government replies."""
    import warnings

    from .conversation import addressed_posts

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        addressed = addressed_posts(pd.concat([part, gov], ignore_index=True)) if len(part) else None
    keep = part["post_id"].isin(addressed["post_id"]) if addressed is not None else pd.Series(False, index=part.index)
    if "reply_to_post_id" in part.columns:
        keep |= (part["account_type"] == "government") & part["reply_to_post_id"].notna()
    return part[keep.to_numpy()]


def responses_dask(
    posts: Any, *, timezones: Any = None, end: Any = None, hours: tuple[int, int] = (9, 17), client: Any = None
) -> pd.DataFrame:
    """:func:`~govsocial.analysis.conversation.responses` on a dask DataFrame of posts: the
    workers pick out the posts a response needs (requests to agencies and agencies' replies,
    found with the table's own government accounts and handles), and the single-process
    function links them on the client. The result is one row per request (small), the input
    of :func:`~govsocial.analysis.conversation.responsiveness`.

    Example
    -------
    >>> import dask, dask.dataframe as dd, govsocial.core.schema as schema
    >>> p = schema.conform({"post_id": ["0", "1", "2"], "platform": ["x"] * 3, "account_id": ["g", "c", "g"],
    ...     "account_name": ["Roads", "jo", "Roads"], "account_type": ["government", "citizen", "government"],
    ...     "text": ["Bridge closed", "@Roads is it open?", "Detour via Main St"],
    ...     "reply_to_post_id": [None, None, "1"],
    ...     "created_at": ["2023-12-31T00:00Z", "2024-01-01T00:00Z", "2024-01-01T01:00Z"]})
    >>> with dask.config.set(scheduler="sync"):
    ...     r = responses_dask(dd.from_pandas(p, npartitions=2))
    >>> r[["post_id", "answered", "latency_s"]].values.tolist()
    [['1', True, 3600.0]]
    """
    from .conversation import responses

    dask, dd = _dask()
    _need(posts, ["post_id", "account_id", "account_type", "text", "created_at"], "responses_dask")
    parts = posts.to_delayed()
    gov = dask.delayed(_government_rows)([dask.delayed(_government)(p) for p in parts])
    involved = dask.delayed(pd.concat)([dask.delayed(_involved)(p, gov) for p in parts], ignore_index=True)
    gov_rows, subset = _compute(client, gov, involved)
    end_time = _compute(client, posts["created_at"].max())[0] if end is None else end
    table = pd.concat([subset, gov_rows.astype({"account_type": subset["account_type"].dtype})], ignore_index=True)
    return responses(table, timezones=timezones, end=end_time, hours=hours)

"""A short description of a posts table: counts, period, accounts, engagement.

Example
-------
>>> import govsocial.core.schema as schema
>>> describe_posts(schema.empty_posts())["loaded"]
0
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..core.schema import ACCOUNT_TYPES

__all__ = ["describe_posts"]


def describe_posts(posts: pd.DataFrame, rejects: pd.DataFrame | None = None) -> dict[str, Any]:
    """Summarise a posts table (and its rejects) as a JSON-ready dict.

    Example
    -------
    >>> import govsocial.core.schema as schema
    >>> p = schema.conform({"post_id": ["1"], "platform": ["twitter"], "text": ["x"],
    ...                     "account_type": ["government"], "likes": [4]})
    >>> d = describe_posts(p)
    >>> d["by_account_type"]["government"], d["median_likes_government"]
    (1, 4.0)
    """
    n_rejects = 0 if rejects is None else len(rejects)
    created = posts["created_at"].dropna()
    gov_likes = posts.loc[posts["account_type"] == "government", "likes"].dropna()
    accounts = posts.dropna(subset=["account_id"]).drop_duplicates(["platform", "account_id"])
    return {
        "read": len(posts) + n_rejects,
        "loaded": len(posts),
        "rejected": n_rejects,
        "rejects_by_field": {}
        if rejects is None
        else {str(k): int(v) for k, v in rejects["field"].fillna("(record)").value_counts().items()},
        "platforms": {str(k): int(v) for k, v in posts["platform"].value_counts().items()},
        "period": {
            "first": created.min().isoformat() if len(created) else None,
            "last": created.max().isoformat() if len(created) else None,
        },
        "by_account_type": {k: int((posts["account_type"] == k).sum()) for k in ACCOUNT_TYPES},
        "accounts_by_type": {k: int((accounts["account_type"] == k).sum()) for k in ACCOUNT_TYPES},
        "replies": int(posts["reply_to_post_id"].notna().sum()),
        "reposts": int(posts["is_repost"].sum()),
        "median_likes_government": float(gov_likes.median()) if len(gov_likes) else None,
    }

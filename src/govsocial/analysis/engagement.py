"""How citizens engage with government posts: per-post engagement, the Bonsón et al.
page metrics with account-clustered bootstrap intervals, and a negative-binomial
regression of engagement counts on themes or topics.

Metrics (Bonsón & Ratkai 2013; Bonsón, Royo & Ratkai 2015, for local governments'
Facebook pages), for a set of posts with likes :math:`l_i`, comments (replies)
:math:`c_i`, shares :math:`s_i` and the posting account's followers :math:`f_i`:

* popularity: P1 = share of posts liked, P2 = likes per post, P3 = 1000 × mean(l_i / f_i);
* commitment: C1 = share of posts commented, C2 = comments per post, C3 = 1000 × mean(c_i / f_i);
* virality: V1 = share of posts shared, V2 = shares per post, V3 = 1000 × mean(s_i / f_i);
* engagement index: E = P3 + C3 + V3.

For one page, P3 = P2 / fans × 1000 as in the papers; across accounts the per-post ratio
averages pages of different sizes without letting the largest dominate.

Example
-------
>>> import govsocial.core.schema as schema
>>> posts = schema.conform({"post_id": ["1", "2"], "platform": ["x", "x"], "text": ["a", "b"],
...                         "account_id": ["g", "g"], "likes": [2, 0], "shares": [1, 0], "replies": [0, 0],
...                         "followers": [1000, 1000]})
>>> m = bonson_metrics(posts, n_boot=0).set_index("measure")["estimate"]
>>> float(m["P1"]), float(m["P2"]), float(m["P3"]), float(m["E"])
(0.5, 1.0, 1.0, 1.5)
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd

from ..core.bootstrap import INTERVAL_COLUMNS, cluster_totals, percentile_interval, resample_totals
from ..core.exceptions import InputError
from ..core.grouping import group_keys
from ..core.validation import check_random_state
from ._checks import METRICS, carry_hint, need_columns
from .regression import engagement_regression, post_features

__all__ = ["post_engagement", "bonson_metrics", "engagement_regression", "post_features", "METRICS"]

_BONSON = ("P1", "P2", "P3", "C1", "C2", "C3", "V1", "V2", "V3", "E")


def _check_bonson_input(posts: pd.DataFrame) -> None:
    """Refuse a table in which no post has all three counts; warn when followers or accounts are absent."""
    n = len(posts)
    counts = pd.DataFrame({m: pd.to_numeric(posts[m], errors="coerce") for m in METRICS})
    if n and counts.isna().any(axis=1).all():
        missing = counts.isna().sum()
        all_ = [repr(c) for c, k in missing.items() if k == n]
        said = ", ".join(
            [f"{', '.join(all_)} {'is' if len(all_) == 1 else 'are'} missing in every post"] * bool(all_)
            + [f"{c!r} in {k} posts" for c, k in missing.items() if 0 < k < n]
        )
        raise InputError(
            f"none of the {n} posts has all three engagement counts (likes, shares, replies): {said}",
            field=str(missing.idxmax()),
            hint="bonson_metrics needs the three counts of each post; " + carry_hint(*missing.index[missing > 0]),
        )
    if n and not (pd.to_numeric(posts["followers"], errors="coerce") > 0).any():
        warnings.warn(
            f"bonson_metrics: 'followers' is missing or zero in all {n} posts, so P3, C3, V3 and E (per "
            f"1,000 followers) are NaN; {carry_hint('followers')}",
            stacklevel=3,
        )
    if n and posts["account_id"].isna().all():
        warnings.warn(
            f"bonson_metrics: 'account_id' is missing in all {n} posts, so the intervals resample posts as "
            "if they were independent (n_accounts is 1); read an export that names the posting accounts",
            stacklevel=3,
        )


def post_engagement(posts: pd.DataFrame) -> pd.DataFrame:
    """Per-post likes, shares, replies, their sum, and each per 1,000 followers of the
    posting account (NaN where followers are unknown or zero), keyed by ``post_id``.

    Example
    -------
    >>> import govsocial.core.schema as schema
    >>> p = schema.conform({"post_id": ["1"], "platform": ["x"], "text": ["a"], "likes": [3], "shares": [1],
    ...                     "replies": [0], "followers": [2000]})
    >>> post_engagement(p)[["engagement", "engagement_per_1k"]].values.tolist()
    [[4.0, 2.0]]
    """
    need_columns(posts, ["post_id", *METRICS, "followers"], "post_engagement")
    out = pd.DataFrame({"post_id": posts["post_id"].to_numpy()})
    if "account_id" in posts.columns:
        out["account_id"] = posts["account_id"].to_numpy()
    followers = pd.to_numeric(posts["followers"], errors="coerce").astype("float64").to_numpy()
    followers = np.where(followers > 0, followers, np.nan)
    total = np.zeros(len(posts))
    for metric in METRICS:
        values = pd.to_numeric(posts[metric], errors="coerce").astype("float64").to_numpy()
        out[metric] = values
        out[f"{metric}_per_1k"] = 1000.0 * values / followers
        total = total + np.nan_to_num(values)
    out["engagement"] = total
    out["engagement_per_1k"] = 1000.0 * total / followers
    return out.set_index("post_id")


def _sums(frame: pd.DataFrame) -> np.ndarray:
    """Per-unit sums: n, liked, likes, l/f, commented, replies, c/f, shared, shares, s/f."""
    f = frame["followers"].to_numpy(dtype=np.float64)
    cols = [np.ones(len(frame))]
    for metric in ("likes", "replies", "shares"):
        v = frame[metric].to_numpy(dtype=np.float64)
        cols += [(v > 0).astype(np.float64), v, np.where(f > 0, v / np.where(f > 0, f, 1.0), np.nan)]
    return np.column_stack(cols)


def _metrics(s: np.ndarray) -> np.ndarray:
    """Bonsón metrics from summed columns (last axis)."""
    n = s[..., 0]
    with np.errstate(invalid="ignore", divide="ignore"):
        out = []
        for j in (1, 4, 7):  # likes, replies, shares blocks
            out += [s[..., j] / n, s[..., j + 1] / n, 1000.0 * s[..., j + 2] / n]
        out.append(out[2] + out[5] + out[8])
    return np.stack(out, axis=-1)


#: the columns of bonson_metrics and bonson_metrics_dask
COLUMNS = ["group", "measure", *INTERVAL_COLUMNS, "n_accounts"]


def bonson_group_rows(
    group: Any, totals: np.ndarray, n_posts: int, n_accounts: int, n_boot: int, rng: np.random.Generator, level: float
) -> list[dict[str, Any]]:
    """One group's rows from per-account totals (last column: posts with followers), bootstrapped."""
    point = _metrics_with_valid(totals[:, :-1].sum(axis=0), totals[:, -1].sum())
    boot = resample_totals(totals, n_boot, rng) if n_boot else None
    low, high = (
        percentile_interval(_metrics_with_valid(boot[:, :-1], boot[:, -1]), level, ignore_nan=True)
        if boot is not None
        else (np.full(len(_BONSON), np.nan),) * 2
    )
    return [
        {
            "group": group,
            "measure": m,
            "estimate": float(point[j]),
            "low": float(low[j]),
            "high": float(high[j]),
            "level": level,
            "n": n_posts,
            "n_accounts": n_accounts,
        }
        for j, m in enumerate(_BONSON)
    ]


def bonson_metrics(
    posts: pd.DataFrame,
    by: Any = None,
    *,
    period: str | None = None,
    n_boot: int = 1000,
    level: float = 0.95,
    random_state: int | np.random.Generator | None = 0,
) -> pd.DataFrame:
    """The Bonsón et al. metrics P1–P3, C1–C3, V1–V3 and E per group, with bootstrap intervals:
    ``group, measure, estimate, low, high, level, n, n_accounts`` (``measure`` the metric's
    name, ``n`` the group's posts; the interval convention of :mod:`govsocial.core.bootstrap`).

    ``by``: None (all posts), a posts column (``"account"`` for ``account_id``), a calendar
    unit (``"month"``), or a Series indexed by ``post_id`` (a theme or topic per post);
    ``period``: a pandas period alias (``"M"``, ``"Q"``) of ``created_at``, alone or
    combined with ``by``. Groups are made by :func:`govsocial.core.grouping.group_keys`: a
    post without a group is in the group ``"(missing)"``.
    Intervals are percentile bootstraps that resample **accounts** (all their posts in
    the group), since posts of one account are not independent; a group with a single
    account resamples its posts. Posts without followers are left out of P3/C3/V3 only;
    posts without one of the three counts are left out (their number is in
    ``.attrs["posts_without_counts"]``).

    A posts table with no rows gives an empty table. A table in which no post has all
    three counts raises an :class:`~govsocial.core.exceptions.InputError` naming the missing
    columns; when ``followers`` or ``account_id`` is missing in every post, a warning says
    what that does to the metrics and intervals.

    Example
    -------
    >>> import govsocial.core.schema as schema
    >>> p = schema.conform({"post_id": list("1234"), "platform": ["x"] * 4, "text": list("abcd"),
    ...                     "account_id": list("ggkk"), "likes": [2, 0, 1, 1], "shares": [0] * 4,
    ...                     "replies": [1, 0, 0, 0], "followers": [100] * 4})
    >>> t = bonson_metrics(p, by="account", n_boot=0)
    >>> t[t.measure == "C1"][["group", "estimate", "n"]].values.tolist()
    [['g', 0.5, 2], ['k', 0.0, 2]]
    """
    need_columns(posts, ["post_id", "account_id", *METRICS, "followers"], "bonson_metrics")
    if period is not None and "created_at" not in posts.columns:
        raise ValueError("period= needs the posts table's created_at column")
    _check_bonson_input(posts)
    frame = pd.DataFrame(
        {m: pd.to_numeric(posts[m], errors="coerce").astype("float64").to_numpy() for m in (*METRICS, "followers")}
    )
    frame["account_id"] = posts["account_id"].astype("string").fillna("(unknown)").to_numpy()
    frame["group"] = group_keys(posts, by, period=period).to_numpy()
    dropped = frame[list(METRICS)].isna().any(axis=1)
    frame = frame[~dropped]
    rng = check_random_state(random_state)
    rows = []
    for group, part in frame.groupby("group", sort=True):
        n_accounts = part["account_id"].nunique()
        per_post = _sums(part)
        rows_ = np.column_stack([np.nan_to_num(per_post), np.isfinite(per_post[:, 3]).astype(float)])
        totals = cluster_totals(rows_, part["account_id"].to_numpy(), single_by_rows=True)
        rows += bonson_group_rows(group, totals, len(part), n_accounts, n_boot, rng, level)
    table = pd.DataFrame(rows, columns=COLUMNS)
    table.attrs["posts_without_counts"] = int(dropped.sum())
    return table


def _metrics_with_valid(s: np.ndarray, valid: Any) -> np.ndarray:
    out = _metrics(s)
    n = s[..., 0]
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.where(np.asarray(valid) > 0, n / np.asarray(valid), np.nan)
    for j in (2, 5, 8):  # per-follower ratios averaged over posts with followers only
        out[..., j] = out[..., j] * scale
    out[..., 9] = out[..., 2] + out[..., 5] + out[..., 8]
    return out

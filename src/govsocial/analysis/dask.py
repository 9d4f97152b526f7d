"""Aggregations on Dask: engagement metrics and topic or theme shares as dask group-bys, with
the account-cluster bootstrap run on the client from per-account totals.

The cluster bootstrap (:mod:`govsocial.core.bootstrap`) needs only each account's column
sums within a group, so the posts never leave the workers: a group-by over
``(group, account)`` sums per-post rows on the workers, the small table of totals comes
back, and the draws are made exactly as in the single-process functions (same units in the
same order, same random stream). A group with a single account resamples its posts, as the
single-process code does; only those groups' per-post rows are gathered. Results equal the
single-process ones up to the order of floating-point additions.

Labels per post come from the same estimators, applied per partition:
:func:`theme_labels_dask` (a fitted :class:`~govsocial.analysis.themes.ThemeScorer`) and
:func:`topic_labels_dask` (a fitted topic model on a :class:`~govsocial.text.dask.DaskDocTermMatrix`).

Dask is optional: ``pip install "govsocial[dask]"``.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np
import pandas as pd

from ..core.bootstrap import share_interval
from ..core.exceptions import InputError
from ..core.grouping import group_keys
from ..core.validation import check_random_state
from ._dask_common import _compute, _dask, _need
from .dask_responses import responses_dask
from .engagement import COLUMNS, METRICS, _sums, bonson_group_rows

__all__ = [
    "bonson_metrics_dask",
    "shares_dask",
    "theme_labels_dask",
    "topic_labels_dask",
    "responses_dask",
    "unit_totals",
]


def unit_totals(rows: Any, columns: list[str], client: Any = None) -> dict[str, tuple[np.ndarray, int, int]]:
    """Per group: the bootstrap units' column totals (accounts in sorted order, or the posts of a
    group with a single account), its number of rows and of accounts.

    ``rows``: a dask DataFrame with ``group``, ``account_id`` (strings) and the numeric ``columns``.

    Example
    -------
    >>> import dask, dask.dataframe as dd
    >>> rows = dd.from_pandas(pd.DataFrame({"group": list("aaab"), "account_id": list("xyyz"),
    ...                                     "v": [1.0, 2.0, 3.0, 4.0]}), npartitions=2)
    >>> with dask.config.set(scheduler="sync"):
    ...     t = unit_totals(rows, ["v"])
    >>> t["a"][0].ravel().tolist(), t["b"][0].ravel().tolist(), t["a"][1:]
    ([1.0, 5.0], [4.0], (3, 2))
    """
    grouped = rows.groupby(["group", "account_id"])
    sums, sizes = _compute(client, grouped[columns].sum(), grouped.size())
    sums = sums.sort_index()
    out: dict[str, tuple[np.ndarray, int, int]] = {}
    singles = []
    for group, part in sums.groupby(level="group", sort=True):
        n_posts = int(sizes.loc[group].sum())
        if len(part) == 1:
            singles.append(group)
            out[group] = (np.empty((0, len(columns))), n_posts, 1)
        else:
            out[group] = (part.to_numpy(dtype=np.float64), n_posts, len(part))
    if singles:  # one account: the bootstrap resamples its posts, in the order they were read
        (posts,) = _compute(client, rows[rows["group"].isin(singles)][["group", *columns]])
        for group, part in posts.groupby("group", sort=True):
            out[group] = (part[columns].to_numpy(dtype=np.float64), out[group][1], 1)
    return out


def _engagement_rows(posts: pd.DataFrame, by: Any, period: str | None) -> pd.DataFrame:
    frame = pd.DataFrame(
        {m: pd.to_numeric(posts[m], errors="coerce").astype("float64").to_numpy() for m in (*METRICS, "followers")}
    )
    keep = ~frame[list(METRICS)].isna().any(axis=1).to_numpy()
    per_post = _sums(frame[keep])
    values = np.column_stack([np.nan_to_num(per_post), np.isfinite(per_post[:, 3]).astype(float)])
    out = pd.DataFrame(values, columns=[f"c{j}" for j in range(values.shape[1])])
    out.insert(0, "account_id", posts["account_id"].astype("string").fillna("(unknown)").to_numpy()[keep])
    out.insert(0, "group", group_keys(posts, by, period=period).to_numpy()[keep])
    out["dropped"] = 0.0
    if not keep.all():
        out = pd.concat(
            [out, pd.DataFrame({"group": ["(dropped)"], "account_id": [""], "dropped": [float((~keep).sum())]})],
            ignore_index=True,
        ).fillna({f"c{j}": 0.0 for j in range(values.shape[1])})
    return out


def bonson_metrics_dask(
    posts: Any,
    by: Any = None,
    *,
    period: str | None = None,
    n_boot: int = 1000,
    level: float = 0.95,
    random_state: int | np.random.Generator | None = 0,
    client: Any = None,
) -> pd.DataFrame:
    """:func:`~govsocial.analysis.engagement.bonson_metrics` on a dask DataFrame of posts: the same
    table (group, measure, estimate, low, high, level, n, n_accounts), from per-account totals.

    ``by``: None, a column, ``"account"``, or a Series indexed by ``post_id`` (sent to every
    partition); ``client``: a ``dask.distributed.Client`` (default: Dask's current scheduler).

    Example
    -------
    >>> import dask, dask.dataframe as dd, govsocial.core.schema as schema
    >>> p = schema.conform({"post_id": list("1234"), "platform": ["x"] * 4, "text": list("abcd"),
    ...                     "account_id": list("ggkk"), "likes": [2, 0, 1, 1], "shares": [0] * 4,
    ...                     "replies": [1, 0, 0, 0], "followers": [100] * 4})
    >>> with dask.config.set(scheduler="sync"):
    ...     t = bonson_metrics_dask(dd.from_pandas(p, npartitions=2), by="account", n_boot=0)
    >>> t[t.measure == "C1"][["group", "estimate"]].values.tolist()
    [['g', 0.5], ['k', 0.0]]
    """
    _need(posts, ["post_id", "account_id", *METRICS, "followers"], "bonson_metrics_dask")
    if period is not None and "created_at" not in posts.columns:
        raise ValueError("period= needs the posts table's created_at column")
    columns = [f"c{j}" for j in range(11)]
    meta = pd.DataFrame(
        {
            "group": pd.Series(dtype=object),
            "account_id": pd.Series(dtype="string"),
            **{c: pd.Series(dtype="float64") for c in [*columns, "dropped"]},
        }
    )
    rows = posts.map_partitions(_engagement_rows, by, period, meta=meta)
    totals = unit_totals(rows, [*columns, "dropped"], client)
    dropped = totals.pop("(dropped)", (np.zeros((1, 12)), 0, 0))[0][:, -1].sum()
    rng = check_random_state(random_state)
    out = []
    for group, (units, n_posts, n_accounts) in sorted(totals.items()):
        out += bonson_group_rows(group, units[:, :-1], n_posts, n_accounts, n_boot, rng, level)
    table = pd.DataFrame(out, columns=COLUMNS)
    table.attrs["posts_without_counts"] = int(dropped)
    return table


def _onehot(frame: pd.DataFrame, label: str, by: str | None, categories: list[Any]) -> pd.DataFrame:
    index = {c: j for j, c in enumerate(categories)}
    codes = frame[label].map(index)
    if codes.isna().any():
        bad = frame.loc[codes.isna(), label].iloc[0]
        raise InputError(
            f"label {bad!r} is not one of the categories {categories}",
            field=label,
            hint="pass categories= with every label, or leave it None to use the labels found",
        )
    values = np.zeros((len(frame), len(categories)))
    values[np.arange(len(frame)), codes.to_numpy(dtype=int)] = 1.0
    out = pd.DataFrame(values, columns=[f"k{j}" for j in range(len(categories))])
    out.insert(0, "account_id", frame["account_id"].astype("string").fillna("(unknown)").to_numpy())
    out.insert(0, "group", group_keys(frame, by).to_numpy())
    return out


def shares_dask(
    labels: Any,
    label: str = "theme",
    *,
    by: str | None = None,
    categories: Sequence[Any] | None = None,
    n_boot: int = 1000,
    level: float = 0.95,
    random_state: int | np.random.Generator | None = 0,
    client: Any = None,
) -> pd.DataFrame:
    """Share of each category of ``label`` (a theme or topic per post) within each group of ``by``,
    with percentile intervals from resampling accounts (their per-account category counts).

    ``labels``: a dask DataFrame with ``account_id``, ``label`` and (optionally) ``by`` columns; a
    row with no ``by`` value is in the group ``"(missing)"`` (:func:`govsocial.core.grouping.group_keys`).
    Returns ``group, <label>, estimate, low, high, level, n`` (``n`` the group's posts, so a
    category's posts are ``estimate * n``); categories default to the sorted labels.

    Example
    -------
    >>> import dask, dask.dataframe as dd
    >>> f = dd.from_pandas(pd.DataFrame({"account_id": list("aabb"), "theme": ["x", "y", "x", "x"]}), npartitions=2)
    >>> with dask.config.set(scheduler="sync"):
    ...     t = shares_dask(f, n_boot=0)
    >>> t[["theme", "estimate", "n"]].values.tolist()
    [['x', 0.75, 4], ['y', 0.25, 4]]
    """
    _need(labels, ["account_id", label, *([by] if by else [])], "shares_dask")
    if categories is None:
        (found,) = _compute(client, labels[label].drop_duplicates())
        categories = sorted(found.dropna().tolist())
    categories = list(categories)
    columns = [f"k{j}" for j in range(len(categories))]
    meta = pd.DataFrame(
        {
            "group": pd.Series(dtype=object),
            "account_id": pd.Series(dtype="string"),
            **{c: pd.Series(dtype="float64") for c in columns},
        }
    )
    rows = labels.map_partitions(_onehot, label, by, categories, meta=meta)
    rng = check_random_state(random_state)
    parts = []
    for group, (units, n_posts, _) in sorted(unit_totals(rows, columns, client).items()):
        point, low, high = share_interval(units, n_boot, rng, level=level)
        parts.append(
            pd.DataFrame(
                {
                    "group": group,
                    label: categories,
                    "estimate": point,
                    "low": low,
                    "high": high,
                    "level": level,
                    "n": n_posts,
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def _apply(posts: pd.DataFrame, predict: Callable[[pd.DataFrame], Any], name: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "post_id": posts["post_id"].to_numpy(),
            "account_id": posts["account_id"].to_numpy(),
            name: np.asarray(predict(posts), dtype=object),
        }
    )


def theme_labels_dask(posts: Any, scorer: Any) -> Any:
    """The most probable theme of each post (a fitted ``ThemeScorer``), scored partition by partition:
    a dask DataFrame ``post_id, account_id, theme``.

    Example
    -------
    >>> import dask, dask.dataframe as dd, govsocial.core.schema as schema
    >>> from govsocial.analysis.themes import ThemeScorer
    >>> s = ThemeScorer(codebook=None, method="supervised").fit(["road works", "take survey", "road closed",
    ...                                                          "survey open"], ["x", "y", "x", "y"])
    >>> p = schema.conform({"post_id": ["1", "2"], "platform": ["x"] * 2, "text": ["road", "survey"],
    ...                     "account_id": ["a", "b"]})
    >>> with dask.config.set(scheduler="sync"):
    ...     t = theme_labels_dask(dd.from_pandas(p, npartitions=2), s).compute()
    >>> t["theme"].tolist()
    ['x', 'y']
    """
    _need(posts, ["post_id", "account_id", "text"], "theme_labels_dask")
    meta = pd.DataFrame(
        {"post_id": pd.Series(dtype=object), "account_id": pd.Series(dtype=object), "theme": pd.Series(dtype=object)}
    )
    return posts.map_partitions(_apply, scorer.predict, "theme", meta=meta)


def _block_topics(block: tuple[list[str], Any], model: Any, drop_empty: bool) -> pd.DataFrame:
    ids, X = np.asarray(block[0], dtype=object), block[1]
    if drop_empty:
        keep = np.diff(X.indptr) > 0
        ids, X = ids[keep], X[keep]
    topic = np.asarray(model.transform(X)).argmax(axis=1) if X.shape[0] else np.zeros(0, dtype=np.int64)
    return pd.DataFrame({"post_id": ids, "topic": topic.astype(np.int64)})


def topic_labels_dask(model: Any, dtm: Any) -> Any:
    """The most probable topic of each post (``model.transform(X).argmax``), block by block of a
    :class:`~govsocial.text.dask.DaskDocTermMatrix`: a dask DataFrame ``post_id, topic``.

    Join ``account_id`` (and any group) from the posts before :func:`shares_dask`.

    Example
    -------
    >>> import dask, dask.dataframe as dd
    >>> from govsocial.text.dask import DaskVectorizer
    >>> from govsocial.topics.models import NMF
    >>> s = dd.from_pandas(pd.Series(["flu jab", "flu clinic", "bus stop", "bus lane"]), npartitions=2)
    >>> with dask.config.set(scheduler="sync"):
    ...     m = DaskVectorizer(min_df=1, max_df=1.0, phrases=False).fit_transform(s)
    ...     model = NMF(n_components=2, random_state=0).fit(m.compute())
    ...     t = topic_labels_dask(model, m).compute()
    >>> len(t), t["topic"].nunique()
    (4, 2)
    """
    import copy

    dask, dd = _dask()
    meta = pd.DataFrame({"post_id": pd.Series(dtype=object), "topic": pd.Series(dtype=np.int64)})
    drop = bool(dtm.vectorizer.drop_empty)
    # what travels to the workers, once (one key of the graph, not a copy per block): the model
    # without its live client and without its arrays of one entry per training post (at
    # millions of posts, tens of MB that transform never reads)
    model = copy.copy(model)
    if getattr(model, "client", None) is not None:
        model.client = None
    for name in getattr(model, "_per_post_attrs", ()):
        model.__dict__.pop(name, None)
    shipped = dask.delayed(model, pure=False)
    parts = [dask.delayed(_block_topics)(block, shipped, drop) for block in dtm.blocks]
    return dd.from_delayed(parts, meta=meta, verify_meta=False)

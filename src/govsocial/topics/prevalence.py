"""Topic and theme prevalence by group (month, agency, account type, ...) with intervals.

:func:`prevalence` takes a fitted topic model (with the ``DocTermMatrix`` it was fitted on),
one label per post (DMM clusters, a theme), or a table of shares per post (``doc_topics``,
a theme scorer's probabilities), and a posts table; it returns, per group and topic, the
mean share of the group's posts with an interval:

* ``interval="bootstrap"`` (default) — the account-cluster bootstrap of
  :mod:`govsocial.core.bootstrap`: accounts are resampled with all their posts (a group
  with one account resamples posts). For a model with a posterior (STM, LDA, DMM, CovariateDMM
  and the seeded models), replicate *b* also uses posterior draw *b* mod ``n_sims`` of the topic
  shares (:func:`govsocial.topics.posterior.theta_draws`, ``"global"``), so the interval
  carries both sampling and topic-estimation uncertainty.
* ``interval="posterior"`` — the posts fixed, only the posterior draws: how sure the model is
  of *these* posts' topic shares (a description of the corpus, not of a population).
* ``interval="none"`` — ``low`` and ``high`` are NaN.

Intervals are percentile intervals at ``level``. The estimate is the group mean of the
posts' shares: for a model with a posterior (and an interval) the mean over its draws — the
posterior mean, as stm's ``estimateEffect`` averages over draws; for STM it differs slightly
from the mean of ``theta_`` = softmax(λ), the mode, and only this keeps the estimate inside
its interval — otherwise the point shares (``theta_``, LDA's ``doc_topic_``, DMM's membership
probabilities, NMF's normalised ``transform``; a label counts 1 for its topic). Posts that the model has no row
for (dropped as empty by the vectorizer) are left out and counted in ``attrs["excluded"]``;
posts without a group (no date for ``by="month"``) are in the group ``"(missing)"``
(:func:`govsocial.core.grouping.group_keys`).

Example
-------
>>> import govsocial.core.schema as schema
>>> posts = schema.conform({"post_id": list("abcdef"), "platform": ["x"] * 6, "text": ["t"] * 6,
...                         "account_id": list("112233"), "account_type": ["government"] * 4 + ["citizen"] * 2})
>>> labels = pd.Series(["roads", "roads", "health", "roads", "health", "health"], index=posts["post_id"])
>>> table = prevalence(labels, posts, by="account_type", n_boot=200, random_state=0)
>>> table[["group", "topic", "estimate", "n"]].values.tolist()
[['citizen', 'health', 1.0, 2], ['citizen', 'roads', 0.0, 2], ['government', 'health', 0.25, 4], \
['government', 'roads', 0.75, 4]]
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pandas as pd

from ..core.bootstrap import cluster_totals, percentile_interval, resample_totals
from ..core.grouping import TIME_UNITS, group_keys
from ..core.validation import check_random_state
from ..text.dtm import DocTermMatrix
from .models import DMM, LDA, STM, CovariateDMM
from .models.base import TopicModel
from .posterior import theta_draws

__all__ = ["prevalence", "TIME_UNITS", "INTERVALS"]

logger = logging.getLogger(__name__)

INTERVALS = ("bootstrap", "posterior", "none")
COLUMNS = ["group", "topic", "estimate", "low", "high", "level", "n"]


def _from_model(
    model: TopicModel, dtm: Any, draws: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, list[Any]]:
    if not isinstance(dtm, DocTermMatrix):
        raise ValueError(
            f"prevalence of a {type(model).__name__} needs dtm=, the DocTermMatrix it was fitted on "
            "(its post ids join the topic shares to the posts)"
        )
    point = theta_draws(model, 1, uncertainty="none", dtm=dtm)[0]
    sims = None
    if draws and isinstance(model, (STM, LDA, DMM, CovariateDMM)):
        sims = theta_draws(model, draws, uncertainty="global", dtm=dtm, random_state=rng)
    return np.asarray(dtm.post_ids).astype(str), point, sims, list(range(point.shape[1]))


def _from_labels(labels: pd.Series) -> tuple[np.ndarray, np.ndarray, None, list[Any]]:
    labels = labels[labels.notna()]
    if isinstance(labels.dtype, pd.CategoricalDtype):
        names = list(labels.cat.categories)
    else:
        names = sorted(pd.unique(labels), key=lambda v: (str(type(v)), v))
    codes = pd.Categorical(labels, categories=names).codes
    onehot = np.zeros((len(labels), len(names)))
    onehot[np.arange(len(labels)), codes] = 1.0
    return labels.index.astype(str).to_numpy(), onehot, None, names


def _from_shares(shares: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, None, list[Any]]:
    if "post_id" in shares.columns:
        shares = shares.set_index("post_id")
    numeric = shares.select_dtypes("number")
    if numeric.shape[1] == 0:
        raise ValueError("the shares table has no numeric columns; pass one column of shares per topic or theme")
    values = numeric.to_numpy(dtype=np.float64)
    if not np.all(np.isfinite(values)):
        raise ValueError("the shares table has missing or infinite values; fill or drop those posts first")
    return numeric.index.astype(str).to_numpy(), values, None, list(numeric.columns)


def _clusters(posts: pd.DataFrame, cluster: str | None) -> np.ndarray:
    ids = posts["post_id"].astype(str)
    if cluster is None:
        return ("post:" + ids).to_numpy()
    if cluster not in posts.columns:
        raise ValueError(f"cluster={cluster!r} is not a column of posts; name the account column or pass None")
    values = posts[cluster].astype("string")
    return values.where(values.notna(), "post:" + ids).astype(str).to_numpy()  # unknown account: its own cluster


def _interval(
    point: np.ndarray,
    sims: np.ndarray | None,
    clusters: np.ndarray,
    interval: str,
    n_boot: int,
    level: float,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    K = point.shape[1]
    if interval == "none" or (interval == "bootstrap" and n_boot == 0):
        return np.full(K, np.nan), np.full(K, np.nan)
    if interval == "posterior":
        assert sims is not None
        low, high = percentile_interval(sims.mean(axis=1), level)
        return low, high
    layers = [point] if sims is None else list(sims)
    stacked = np.hstack([*layers, np.ones((len(point), 1))])  # every draw's shares, then a count column
    totals = cluster_totals(stacked, list(clusters), single_by_rows=True)
    draws = resample_totals(totals, n_boot, rng)  # (n_boot, S*K + 1): one weighting of units per replicate
    which = np.arange(n_boot) % len(layers)
    shares = draws[np.arange(n_boot)[:, None], which[:, None] * K + np.arange(K)[None]] / draws[:, -1:]
    low, high = percentile_interval(shares, level)
    return low, high


def prevalence(
    model_or_labels: Any,
    posts: pd.DataFrame,
    by: str | None = "month",
    *,
    dtm: Any = None,
    interval: str = "bootstrap",
    n_boot: int = 1000,
    n_sims: int = 25,
    level: float = 0.95,
    cluster: str | None = "account_id",
    random_state: int | np.random.Generator | None = None,
) -> pd.DataFrame:
    """Share of each topic (or theme) among each group's posts, with intervals: ``group, topic,
    estimate, low, high, level, n`` (``n`` the group's posts), groups in sorted order.

    Parameters
    ----------
    model_or_labels: a fitted topic model (give ``dtm``), a Series of labels indexed by
        ``post_id``, or a table of shares per post (``post_id`` index or column; its
        numeric columns are the topics or themes).
    posts: the posts table (``post_id``, the ``by`` column or ``created_at``, ``cluster``).
    by: ``"day"``, ``"week"``, ``"month"``, ``"quarter"``, ``"year"`` (of ``created_at``, UTC),
        a column of ``posts`` (``"account_type"``, ``"account_name"``; a column wins over a
        calendar unit of the same name), a Series indexed by ``post_id``, or None (all posts).
    interval: ``"bootstrap"``, ``"posterior"`` or ``"none"`` (module docs).
    n_boot: bootstrap replicates; n_sims: posterior draws (models with a posterior).
    cluster: the column whose units the bootstrap resamples (None: posts).

    Example
    -------
    >>> import govsocial as gs
    >>> posts = gs.empty_posts()
    >>> shares = pd.DataFrame({"post_id": [], "health": []})
    >>> prevalence(shares, posts, by=None).columns.tolist()
    ['group', 'topic', 'estimate', 'low', 'high', 'level', 'n']
    """
    if interval not in INTERVALS:
        raise ValueError(f"interval must be one of {INTERVALS}; got {interval!r}")
    if not 0 < level < 1:
        raise ValueError(f"level must be a float in (0, 1); got {level!r}")
    if not isinstance(n_boot, (int, np.integer)) or n_boot < 0:
        raise ValueError(f"n_boot must be an int in [0, inf); got {n_boot!r}")
    rng = check_random_state(random_state)
    if isinstance(model_or_labels, TopicModel):
        wanted = n_sims if interval != "none" else 0
        ids, point, sims, topics = _from_model(model_or_labels, dtm, wanted, rng)
        if interval == "posterior" and sims is None:
            raise ValueError(
                f"{type(model_or_labels).__name__} has no posterior over topic shares: use interval='bootstrap'"
            )
    elif isinstance(model_or_labels, pd.Series):
        ids, point, sims, topics = _from_labels(model_or_labels)
    elif isinstance(model_or_labels, pd.DataFrame):
        ids, point, sims, topics = _from_shares(model_or_labels)
    else:
        raise ValueError(
            "model_or_labels must be a fitted topic model, a Series of labels indexed by post_id, or a "
            f"table of shares per post; got {type(model_or_labels).__name__}"
        )
    if interval == "posterior" and sims is None:
        raise ValueError(
            "interval='posterior' needs a topic model with a posterior (STM, LDA, DMM, CovariateDMM); labels and share "
            "tables have none: use interval='bootstrap'"
        )
    if len(pd.Index(ids).unique()) != len(ids):
        raise ValueError("model_or_labels has repeated post ids; give one row per post")
    if "post_id" not in posts.columns:
        raise ValueError("posts needs a post_id column")
    row = pd.Index(ids).get_indexer(posts["post_id"].astype(str))
    groups = group_keys(posts.assign(post_id=posts["post_id"].astype(str)), by)
    grouped = row >= 0
    excluded = {"not_in_model": int((~grouped).sum())}
    if any(excluded.values()):
        logger.info("prevalence leaves out %s of %d posts", excluded, len(posts))
    clusters = _clusters(posts, cluster)
    records = []
    values = groups.to_numpy()
    for group in sorted(pd.unique(values[grouped]), key=lambda v: (str(type(v)), v)):
        mask = grouped & (values == group)
        idx = row[mask]
        part_sims = None if sims is None else sims[:, idx]
        low, high = _interval(point[idx], part_sims, clusters[mask], interval, n_boot, level, rng)
        estimate = point[idx].mean(axis=0) if part_sims is None else part_sims.mean(axis=(0, 1))
        records += [(group, t, estimate[k], low[k], high[k], level, int(mask.sum())) for k, t in enumerate(topics)]
    table = pd.DataFrame.from_records(records, columns=COLUMNS)
    table.attrs.update({"by": by, "interval": interval, "excluded": excluded})
    return table

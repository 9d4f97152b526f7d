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
>>> m = bonson_metrics(posts, n_boot=0).set_index("metric")["estimate"]
>>> float(m["P1"]), float(m["P2"]), float(m["P3"]), float(m["E"])
(0.5, 1.0, 1.0, 1.5)
"""

from __future__ import annotations

import math
import warnings
from typing import Any, Sequence

import numpy as np
import pandas as pd

from ..core.bootstrap import cluster_totals, percentile_interval, resample_totals
from ..core.exceptions import InputError
from ..core.grouping import group_keys
from ..core.validation import check_random_state

__all__ = ["post_engagement", "bonson_metrics", "engagement_regression", "post_features", "METRICS"]

METRICS = ("likes", "shares", "replies")
_BONSON = ("P1", "P2", "P3", "C1", "C2", "C3", "V1", "V2", "V3", "E")


def _carry(*columns: str) -> str:  # what to do when a column is missing
    mapping = ", ".join(f"{c!r}: ..." for c in columns)
    return (f"read an export that has {', '.join(columns)}, or name the CSV column(s) holding "
            f"{'it' if len(columns) == 1 else 'them'}: read_posts(..., columns={{{mapping}}})")


def _need(posts: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    if not isinstance(posts, pd.DataFrame):
        raise TypeError(f"{what} takes a posts table (pandas DataFrame); got {type(posts).__name__}")
    missing = [c for c in columns if c not in posts.columns]
    if missing:
        raise InputError(f"{what} needs the posts table's columns {missing}", field=missing[0],
                         hint="read posts with govsocial.read_posts (its table has every schema column)")


def _check_bonson_input(posts: pd.DataFrame) -> None:
    """Refuse a table in which no post has all three counts; warn when followers or accounts are absent."""
    n = len(posts)
    counts = pd.DataFrame({m: pd.to_numeric(posts[m], errors="coerce") for m in METRICS})
    if n and counts.isna().any(axis=1).all():
        missing = counts.isna().sum()
        all_ = [repr(c) for c, k in missing.items() if k == n]
        said = ", ".join([f"{', '.join(all_)} {'is' if len(all_) == 1 else 'are'} missing in every post"] * bool(all_)
                         + [f"{c!r} in {k} posts" for c, k in missing.items() if 0 < k < n])
        raise InputError(f"none of the {n} posts has all three engagement counts (likes, shares, replies): {said}",
                         field=str(missing.idxmax()), hint="bonson_metrics needs the three counts of each post; "
                                                           + _carry(*missing.index[missing > 0]))
    if n and not (pd.to_numeric(posts["followers"], errors="coerce") > 0).any():
        warnings.warn(f"bonson_metrics: 'followers' is missing or zero in all {n} posts, so P3, C3, V3 and E (per "
                      f"1,000 followers) are NaN; {_carry('followers')}", stacklevel=3)
    if n and posts["account_id"].isna().all():
        warnings.warn(f"bonson_metrics: 'account_id' is missing in all {n} posts, so the intervals resample posts as "
                      "if they were independent (n_accounts is 1); read an export that names the posting accounts",
                      stacklevel=3)


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
    _need(posts, ["post_id", *METRICS, "followers"], "post_engagement")
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


def bonson_group_rows(group: Any, totals: np.ndarray, n_posts: int, n_accounts: int, n_boot: int,
                      rng: np.random.Generator, level: float) -> list[dict[str, Any]]:
    """One group's rows from per-account totals (last column: posts with followers), bootstrapped."""
    point = _metrics_with_valid(totals[:, :-1].sum(axis=0), totals[:, -1].sum())
    boot = resample_totals(totals, n_boot, rng) if n_boot else None
    low, high = (percentile_interval(_metrics_with_valid(boot[:, :-1], boot[:, -1]), level, ignore_nan=True)
                 if boot is not None else (np.full(len(_BONSON), np.nan),) * 2)
    return [{"group": group, "metric": m, "estimate": float(point[j]), "low": float(low[j]), "high": float(high[j]),
             "n_posts": n_posts, "n_accounts": n_accounts} for j, m in enumerate(_BONSON)]


def bonson_metrics(posts: pd.DataFrame, by: Any = None, *, period: str | None = None, n_boot: int = 1000,
                   level: float = 0.95, random_state: int | np.random.Generator | None = 0) -> pd.DataFrame:
    """The Bonsón et al. metrics P1–P3, C1–C3, V1–V3 and E per group, with bootstrap intervals.

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
    >>> t[t.metric == "C1"][["group", "estimate"]].values.tolist()
    [['g', 0.5], ['k', 0.0]]
    """
    _need(posts, ["post_id", "account_id", *METRICS, "followers"], "bonson_metrics")
    if period is not None and "created_at" not in posts.columns:
        raise ValueError("period= needs the posts table's created_at column")
    _check_bonson_input(posts)
    frame = pd.DataFrame({m: pd.to_numeric(posts[m], errors="coerce").astype("float64").to_numpy()
                          for m in (*METRICS, "followers")})
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
    table = pd.DataFrame(rows, columns=["group", "metric", "estimate", "low", "high", "n_posts", "n_accounts"])
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


def post_features(posts: pd.DataFrame) -> pd.DataFrame:
    """Controls for engagement models, keyed by ``post_id``: log followers per 10,000,
    has_link, has_hashtag, has_mention, length (hundreds of characters), hour band of
    posting (UTC unless the table is converted first) and weekend.

    Example
    -------
    >>> import govsocial.core.schema as schema
    >>> p = schema.conform({"post_id": ["1"], "platform": ["x"], "text": ["See #Flu https://x.au"],
    ...                     "followers": [10000]})
    >>> post_features(p)[["log_followers_10k", "has_link", "has_hashtag"]].values.tolist()
    [[0.0, 1.0, 1.0]]
    """
    _need(posts, ["post_id", "text"], "post_features")
    text = posts["text"].astype("string").fillna("")
    out = pd.DataFrame(index=pd.Index(posts["post_id"].to_numpy(), name="post_id"))
    if "followers" in posts.columns:
        f = pd.to_numeric(posts["followers"], errors="coerce").astype("float64").to_numpy()
        out["log_followers_10k"] = np.log(np.where(f > 0, f, np.nan) / 10_000)
    out["has_link"] = text.str.contains(r"https?://|www\.", regex=True).astype(float).to_numpy()
    out["has_hashtag"] = text.str.contains(r"#\w", regex=True).astype(float).to_numpy()
    out["has_mention"] = text.str.contains(r"@\w", regex=True).astype(float).to_numpy()
    out["length_100"] = (text.str.len() / 100.0).astype(float).to_numpy()
    if "created_at" in posts.columns and posts["created_at"].notna().any():
        hour = posts["created_at"].dt.hour
        band = pd.cut(hour, [-1, 5, 11, 17, 23], labels=["night", "morning", "afternoon", "evening"])
        for name in ("morning", "afternoon", "evening"):  # night is the reference
            out[f"hour_{name}"] = (band == name).astype(float).to_numpy()
        out["weekend"] = (posts["created_at"].dt.day_of_week >= 5).astype(float).to_numpy()
    return out


def engagement_regression(posts: pd.DataFrame, shares: pd.DataFrame | None = None, *, outcome: str = "likes",
                          controls: Sequence[str] | None = None, reference: str | None = None,
                          account_effects: bool = False, level: float = 0.95) -> pd.DataFrame:
    """Negative binomial (NB2, log link) regression of a count on theme or topic shares
    and controls, with standard errors clustered by account; a tidy table of
    incidence-rate ratios.

    ``shares``: a table indexed by ``post_id`` with one column per theme or topic (e.g.
    ``ThemeScorer().predict_proba(posts)``, or one-hot planted themes); its
    ``reference`` column (default: the first) is left out, so each IRR compares a post
    wholly of that theme with one wholly of the reference. ``controls``: columns of
    :func:`post_features` (default: all of them except with ``account_effects``, which
    adds an indicator per account and drops follower counts, constant within accounts).
    Returns ``term, coef, se, irr, low, high, p_value`` with the number of posts,
    clusters and the estimated dispersion α in ``.attrs``. Posts with a missing value in
    the outcome or any term are left out (``.attrs["dropped_posts"]``).

    Errors say what is missing and what to pass: a table with no rows, an outcome or
    ``account_id`` missing in every post, a requested control whose source column is
    missing in every post, or too few usable posts (naming the columns that removed
    them) raise an :class:`~govsocial.core.exceptions.InputError`. A default control whose
    source is missing in every post (``log_followers_10k`` without ``followers``) is left
    out with a warning.

    Example
    -------
    >>> rng = np.random.default_rng(0)
    >>> import govsocial.core.schema as schema
    >>> n = 600
    >>> theme = rng.integers(0, 2, n)
    >>> posts = schema.conform({"post_id": [str(i) for i in range(n)], "platform": ["x"] * n,
    ...     "text": ["post"] * n, "account_id": [f"a{i % 12}" for i in range(n)],
    ...     "likes": rng.negative_binomial(2, 2 / (2 + np.exp(1 + 0.7 * theme))), "followers": [5000] * n})
    >>> shares = pd.DataFrame({"info": 1 - theme, "ask": theme}, index=posts["post_id"])
    >>> t = engagement_regression(posts, shares, controls=[]).set_index("term")
    >>> bool(t.loc["ask", "low"] < np.exp(0.7) < t.loc["ask", "high"])
    True
    """
    import statsmodels.api as sm

    _check_regression_input(posts, outcome)
    y = pd.to_numeric(posts[outcome], errors="coerce").astype("float64").to_numpy()
    features = post_features(posts)
    X = features[_controls(posts, features, controls, account_effects)].copy()
    if shares is not None:
        shares = pd.DataFrame(shares)
        ref = reference if reference is not None else shares.columns[0]
        if ref not in shares.columns:
            raise ValueError(f"reference {ref!r} is not a column of shares ({list(shares.columns)})")
        aligned = shares.reindex(X.index)
        if aligned.isna().all(axis=1).any():
            missing = int(aligned.isna().all(axis=1).sum())
            raise ValueError(f"{missing} post(s) have no row in shares; score every post or subset the posts first")
        X = pd.concat([aligned.drop(columns=[ref]).astype(float), X], axis=1)
    if account_effects:
        dummies = pd.get_dummies(posts["account_id"].astype("string").to_numpy(), prefix="account", drop_first=True,
                                 dtype=float)
        dummies.index = X.index
        X = pd.concat([X, dummies], axis=1)
    X.insert(0, "const", 1.0)
    keep = np.isfinite(y) & np.isfinite(X.to_numpy(dtype=float)).all(axis=1)
    if keep.sum() < X.shape[1] + 2:
        _too_few(y, X, outcome, int(keep.sum()))
    groups = pd.factorize(posts["account_id"].astype("string").fillna("(unknown)").to_numpy()[keep])[0]
    model = sm.NegativeBinomial(y[keep], X.to_numpy(dtype=float)[keep], loglike_method="nb2")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = model.fit(disp=0, maxiter=500, method="bfgs", cov_type="cluster", cov_kwds={"groups": groups})
    names = list(X.columns)
    params, se = np.asarray(result.params), np.asarray(result.bse)
    ci = np.asarray(result.conf_int(alpha=1 - level))
    table = pd.DataFrame({"term": names, "coef": params[:len(names)], "se": se[:len(names)],
                          "irr": np.exp(params[:len(names)]), "low": np.exp(ci[:len(names), 0]),
                          "high": np.exp(ci[:len(names), 1]), "p_value": np.asarray(result.pvalues)[:len(names)]})
    table.attrs.update({"outcome": outcome, "n_posts": int(keep.sum()), "n_clusters": int(len(np.unique(groups))),
                        "alpha": float(params[-1]), "converged": bool(result.mle_retvals.get("converged", True)),
                        "dropped_posts": int((~keep).sum())})
    if not math.isfinite(table.attrs["alpha"]):
        raise RuntimeError("the negative binomial fit did not converge; check the outcome counts")
    return table


def _check_regression_input(posts: pd.DataFrame, outcome: str) -> None:
    _need(posts, ["post_id", outcome, "account_id"], "engagement_regression")
    n = len(posts)
    if not n:
        raise InputError("no posts to fit on: the posts table has 0 rows",
                         hint="if you kept only government posts (account_type == 'government'), check that their "
                              "accounts are registered: read_posts(..., registry='accounts.csv'), or "
                              "read_posts(..., government='all') for a file of agencies' posts only")
    if pd.to_numeric(posts[outcome], errors="coerce").isna().all():
        other = [m for m in METRICS if m in posts.columns and m != outcome and posts[m].notna().any()]
        raise InputError(f"the outcome {outcome!r} is missing in all {n} posts", field=outcome,
                         hint=(f"choose an outcome the posts have (outcome={other[0]!r}), or " if other else "")
                         + _carry(outcome))
    if posts["account_id"].isna().all():
        raise InputError(f"standard errors are clustered by account, but 'account_id' is missing in all {n} posts",
                         field="account_id", hint="read an export that names the posting accounts")


_SOURCE = {"log_followers_10k": "followers", "hour_morning": "created_at", "hour_afternoon": "created_at",
           "hour_evening": "created_at", "weekend": "created_at"}


def _controls(posts: pd.DataFrame, features: pd.DataFrame, controls: Sequence[str] | None,
              account_effects: bool) -> list[str]:
    """The control columns to use: checked when given, the usable defaults otherwise."""
    n = len(posts)
    if controls is None:
        chosen = [c for c in features.columns if not (account_effects and c == "log_followers_10k")]
        empty = [c for c in chosen if features[c].isna().all()]
        if empty:
            warnings.warn(f"engagement_regression: {', '.join(f'{_SOURCE.get(c, c)!r}' for c in empty)} is missing in "
                          f"all {n} posts, so {empty} {'is' if len(empty) == 1 else 'are'} left out of the controls; "
                          f"{_carry(*(_SOURCE.get(c, c) for c in empty))}", stacklevel=3)
        return [c for c in chosen if c not in empty]
    unknown = [c for c in controls if c not in features.columns and c not in _SOURCE]
    if unknown:
        raise InputError(f"unknown controls {unknown}; available: {list(features.columns)}", field="controls",
                         hint="pass controls= a list of post_features columns")
    for c in controls:
        if c in features.columns and not features[c].isna().all():
            continue
        source = _SOURCE[c]
        raise InputError(f"control {c!r} needs {source!r}, which is missing (or zero) in all {n} posts",
                         field=source, hint=f"leave {c!r} out of controls=, or {_carry(source)}")
    return list(controls)


def _too_few(y: np.ndarray, X: pd.DataFrame, outcome: str, usable: int) -> None:
    missing = {outcome: int((~np.isfinite(y)).sum()),
               **{c: int((~np.isfinite(X[c].to_numpy(dtype=float))).sum()) for c in X.columns}}
    said = ", ".join(f"{c!r}" + (f" (from {_SOURCE[c]!r})" if c in _SOURCE else "") + f" is missing in {k}"
                     for c, k in missing.items() if k)
    raise InputError(f"only {usable} usable posts for {X.shape[1]} terms (at least {X.shape[1] + 2} needed)"
                     + (f": {said} of {len(y)} posts" if said else f" among {len(y)} posts"),
                     field=_SOURCE.get(worst := max(missing, key=lambda c: missing[c]), worst) if said else None,
                     hint="posts with a missing value in the outcome or a term are left out: leave out controls "
                          "with many missing values (controls=[...]) or use more posts")

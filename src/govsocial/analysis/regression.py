"""Engagement regression: a negative binomial (NB2) regression of likes, shares or replies on
theme or topic shares and post-level controls, standard errors clustered by account.

Example
-------
>>> import govsocial.core.schema as schema
>>> p = schema.conform({"post_id": ["1"], "platform": ["x"], "text": ["Read more https://x.au"]})
>>> post_features(p)["has_link"].tolist()
[1.0]
"""

from __future__ import annotations

import math
import warnings
from typing import Sequence

import numpy as np
import pandas as pd

from ..core.exceptions import InputError
from ._checks import METRICS, carry_hint, need_columns

__all__ = ["engagement_regression", "post_features"]


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
    need_columns(posts, ["post_id", "text"], "post_features")
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


def engagement_regression(
    posts: pd.DataFrame,
    shares: pd.DataFrame | None = None,
    *,
    outcome: str = "likes",
    controls: Sequence[str] | None = None,
    reference: str | None = None,
    account_effects: bool = False,
    level: float = 0.95,
) -> pd.DataFrame:
    """Negative binomial (NB2, log link) regression of a count on theme or topic shares
    and controls, with standard errors clustered by account; a tidy table of
    incidence-rate ratios.

    ``shares``: a table indexed by ``post_id`` with one column per theme or topic (e.g.
    ``ThemeScorer().predict_proba(posts)``, or one-hot planted themes); its
    ``reference`` column (default: the first) is left out, so each IRR compares a post
    wholly of that theme with one wholly of the reference. ``controls``: columns of
    :func:`post_features` (default: all of them except with ``account_effects``, which
    adds an indicator per account and drops follower counts, constant within accounts).
    Returns ``term, coef, se, estimate, low, high, level, n, p_value``: the estimate is the
    incidence-rate ratio exp(coef) with its interval at ``level`` and ``n`` the posts fitted on
    (the interval convention of :mod:`govsocial.core.bootstrap`); the number of
    clusters and the estimated dispersion α are in ``.attrs``. Posts with a missing value in
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
        dummies = pd.get_dummies(
            posts["account_id"].astype("string").to_numpy(), prefix="account", drop_first=True, dtype=float
        )
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
    table = pd.DataFrame(
        {
            "term": names,
            "coef": params[: len(names)],
            "se": se[: len(names)],
            "estimate": np.exp(params[: len(names)]),
            "low": np.exp(ci[: len(names), 0]),
            "high": np.exp(ci[: len(names), 1]),
            "level": level,
            "n": int(keep.sum()),
            "p_value": np.asarray(result.pvalues)[: len(names)],
        }
    )
    table.attrs.update(
        {
            "outcome": outcome,
            "n_posts": int(keep.sum()),
            "n_clusters": int(len(np.unique(groups))),
            "alpha": float(params[-1]),
            "converged": bool(result.mle_retvals.get("converged", True)),
            "dropped_posts": int((~keep).sum()),
        }
    )
    if not math.isfinite(table.attrs["alpha"]):
        raise RuntimeError("the negative binomial fit did not converge; check the outcome counts")
    return table


def _check_regression_input(posts: pd.DataFrame, outcome: str) -> None:
    need_columns(posts, ["post_id", outcome, "account_id"], "engagement_regression")
    n = len(posts)
    if not n:
        raise InputError(
            "no posts to fit on: the posts table has 0 rows",
            hint="if you kept only government posts (account_type == 'government'), check that their "
            "accounts are registered: read_posts(..., registry='accounts.csv'), or "
            "read_posts(..., government='all') for a file of agencies' posts only",
        )
    if pd.to_numeric(posts[outcome], errors="coerce").isna().all():
        other = [m for m in METRICS if m in posts.columns and m != outcome and posts[m].notna().any()]
        raise InputError(
            f"the outcome {outcome!r} is missing in all {n} posts",
            field=outcome,
            hint=(f"choose an outcome the posts have (outcome={other[0]!r}), or " if other else "")
            + carry_hint(outcome),
        )
    if posts["account_id"].isna().all():
        raise InputError(
            f"standard errors are clustered by account, but 'account_id' is missing in all {n} posts",
            field="account_id",
            hint="read an export that names the posting accounts",
        )


_SOURCE = {
    "log_followers_10k": "followers",
    "hour_morning": "created_at",
    "hour_afternoon": "created_at",
    "hour_evening": "created_at",
    "weekend": "created_at",
}


def _controls(
    posts: pd.DataFrame, features: pd.DataFrame, controls: Sequence[str] | None, account_effects: bool
) -> list[str]:
    """The control columns to use: checked when given, the usable defaults otherwise."""
    n = len(posts)
    if controls is None:
        chosen = [c for c in features.columns if not (account_effects and c == "log_followers_10k")]
        empty = [c for c in chosen if features[c].isna().all()]
        if empty:
            warnings.warn(
                f"engagement_regression: {', '.join(f'{_SOURCE.get(c, c)!r}' for c in empty)} is missing in "
                f"all {n} posts, so {empty} {'is' if len(empty) == 1 else 'are'} left out of the controls; "
                f"{carry_hint(*(_SOURCE.get(c, c) for c in empty))}",
                stacklevel=3,
            )
        return [c for c in chosen if c not in empty]
    unknown = [c for c in controls if c not in features.columns and c not in _SOURCE]
    if unknown:
        raise InputError(
            f"unknown controls {unknown}; available: {list(features.columns)}",
            field="controls",
            hint="pass controls= a list of post_features columns",
        )
    for c in controls:
        if c in features.columns and not features[c].isna().all():
            continue
        source = _SOURCE[c]
        raise InputError(
            f"control {c!r} needs {source!r}, which is missing (or zero) in all {n} posts",
            field=source,
            hint=f"leave {c!r} out of controls=, or {carry_hint(source)}",
        )
    return list(controls)


def _too_few(y: np.ndarray, X: pd.DataFrame, outcome: str, usable: int) -> None:
    missing = {
        outcome: int((~np.isfinite(y)).sum()),
        **{c: int((~np.isfinite(X[c].to_numpy(dtype=float))).sum()) for c in X.columns},
    }
    said = ", ".join(
        f"{c!r}" + (f" (from {_SOURCE[c]!r})" if c in _SOURCE else "") + f" is missing in {k}"
        for c, k in missing.items()
        if k
    )
    raise InputError(
        f"only {usable} usable posts for {X.shape[1]} terms (at least {X.shape[1] + 2} needed)"
        + (f": {said} of {len(y)} posts" if said else f" among {len(y)} posts"),
        field=_SOURCE.get(worst := max(missing, key=lambda c: missing[c]), worst) if said else None,
        hint="posts with a missing value in the outcome or a term are left out: leave out controls "
        "with many missing values (controls=[...]) or use more posts",
    )

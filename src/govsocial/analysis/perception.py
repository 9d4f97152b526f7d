"""Perception and risks: citizens' sentiment towards agencies, and indicators of the three
risks governments weigh against social media's benefits — privacy, quality of
information and public perception (OECD 2014).

Sentiment uses VADER (Hutto & Gilbert 2014, ICWSM), a rule-based lexicon tuned to social
media (emoji, capitals, "!!", negation, "but"), shipped with the ``vaderSentiment``
package — no download, no model. A post is positive when its compound score is ≥ 0.05,
negative when ≤ −0.05, neutral otherwise (the authors' thresholds).

Example
-------
>>> sentiment(["Thank you, great service!", "Still waiting. Terrible."])["label"].tolist()
['positive', 'negative']
"""

from __future__ import annotations

import re
import warnings
from typing import Any

import numpy as np
import pandas as pd

from ..core.bootstrap import INTERVAL_COLUMNS, cluster_totals, percentile_interval, resample_totals
from ..core.grouping import MISSING_GROUP, group_keys
from ..core.validation import check_random_state

__all__ = ["sentiment", "sentiment_by", "risk_indicators", "is_correction"]

#: the measures of sentiment_by, in the order of the table's rows
SENTIMENT_MEASURES = ("mean_compound", "negative_share", "positive_share")
_CORRECTION = re.compile(
    r"\b(?:correction|clarification|to clarify|we got this wrong|earlier (?:post|tweet|update)|"
    r"incorrectly (?:stated|said|listed)|apologies for (?:any|the) (?:confusion|error|mix-up)|"
    r"amended|corrected)\b",
    re.IGNORECASE,
)


def _analyser() -> Any:
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:  # pragma: no cover - a core dependency
        from ..core.exceptions import MissingDependencyError

        raise MissingDependencyError("vaderSentiment") from None
    return SentimentIntensityAnalyzer()


def sentiment(posts: Any) -> pd.DataFrame:
    """VADER scores of each post: ``neg, neu, pos, compound`` and ``label``, indexed by
    ``post_id`` for a posts table (else by position).

    Example
    -------
    >>> float(sentiment(["ok"])["compound"].iloc[0])
    0.296
    """
    if isinstance(posts, pd.DataFrame):
        if "text" not in posts.columns:
            raise ValueError("sentiment needs the posts table's 'text' column")
        texts = posts["text"].astype("string").fillna("").tolist()
        index = pd.Index(posts["post_id"], name="post_id") if "post_id" in posts.columns else posts.index
    else:
        texts = ["" if t is None else str(t) for t in posts]
        index = pd.RangeIndex(len(texts))
    analyser = _analyser()
    scores = [analyser.polarity_scores(t) for t in texts]
    table = pd.DataFrame(scores, index=index, columns=["neg", "neu", "pos", "compound"])
    table["label"] = np.where(
        table["compound"] >= 0.05, "positive", np.where(table["compound"] <= -0.05, "negative", "neutral")
    )
    return table


def sentiment_by(
    posts: pd.DataFrame,
    by: Any,
    *,
    scores: pd.DataFrame | None = None,
    n_boot: int = 1000,
    level: float = 0.95,
    random_state: int | np.random.Generator | None = 0,
) -> pd.DataFrame:
    """Mean compound score and the shares of negative and positive posts per group, with
    percentile bootstrap intervals that resample the posting accounts (a vocal account's
    posts are not independent): one row per group and ``measure`` (``mean_compound``,
    ``negative_share``, ``positive_share``), ``group, measure, estimate, low, high, level, n,
    n_accounts`` (``n`` the group's posts; the interval convention of
    :mod:`govsocial.core.bootstrap`; ``low`` and ``high`` are NaN when ``n_boot`` is 0).

    ``by``: a posts column, a calendar unit (``"month"``), or a Series indexed by
    ``post_id`` (the theme, topic or addressed agency of each post). Posts without a group
    are in the group ``"(missing)"`` (:func:`govsocial.core.grouping.group_keys`); when no
    post has one (``by`` matches none of the post ids), a warning says so. A posts table
    with no rows gives a table with no rows.

    Example
    -------
    >>> import govsocial.core.schema as schema
    >>> p = schema.conform({"post_id": ["1", "2", "3"], "platform": ["x"] * 3, "account_id": ["a", "b", "c"],
    ...                     "text": ["love it", "awful", "terrible"]})
    >>> t = sentiment_by(p, pd.Series({"1": "g", "2": "g", "3": "h"}), n_boot=0)
    >>> t[t.measure == "negative_share"][["group", "estimate", "n"]].values.tolist()
    [['g', 0.5, 2], ['h', 1.0, 1]]
    """
    scores = sentiment(posts) if scores is None else scores
    ids = posts["post_id"].astype("string").to_numpy(dtype=object)
    groups = group_keys(posts.assign(post_id=ids), by).to_numpy(dtype=object)
    accounts = (
        posts["account_id"].astype("string").fillna("(unknown)").to_numpy(dtype=object)
        if "account_id" in posts.columns
        else ids
    )
    frame = pd.DataFrame(
        {
            "group": groups,
            "account": accounts,
            "compound": scores["compound"].to_numpy(dtype=float),
            "negative": (scores["label"] == "negative").to_numpy(dtype=float),
            "positive": (scores["label"] == "positive").to_numpy(dtype=float),
        }
    )
    if len(posts) and (frame["group"] == MISSING_GROUP).all():
        warnings.warn(
            f"sentiment_by: none of the {len(posts)} posts has a group, so all are in the group "
            f"{MISSING_GROUP!r}; pass by= a posts column or a Series indexed by post_id",
            stacklevel=2,
        )
    rng = check_random_state(random_state)
    rows = []
    for group, part in frame.groupby("group", sort=True):
        sums = cluster_totals(
            np.column_stack([np.ones(len(part)), part[["compound", "negative", "positive"]]]),
            part["account"].to_numpy(dtype=str),
        )
        point = sums.sum(axis=0)
        draws = resample_totals(sums, n_boot, rng) if n_boot else None
        for j, measure in enumerate(SENTIMENT_MEASURES, start=1):
            low, high = percentile_interval(draws[:, j] / draws[:, 0], level) if draws is not None else (np.nan,) * 2
            rows.append(
                {
                    "group": group,
                    "measure": measure,
                    "estimate": point[j] / point[0],
                    "low": float(low),
                    "high": float(high),
                    "level": level,
                    "n": len(part),
                    "n_accounts": len(sums),
                }
            )
    return pd.DataFrame(rows, columns=["group", "measure", *INTERVAL_COLUMNS, "n_accounts"])


def is_correction(text: str) -> bool:
    """Whether an agency's post corrects or clarifies an earlier one.

    Example
    -------
    >>> is_correction("CLARIFICATION: the closure applies to Main St only"), is_correction("Road closed")
    (True, False)
    """
    return bool(_CORRECTION.search(text))


def risk_indicators(posts: pd.DataFrame, *, scores: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per government account, indicators of the three risks, as a tidy table
    ``account_id, risk, indicator, value, numerator, denominator``:

    * privacy — share of the public's posts addressed to the agency that carry personal
      information, overall and by type (from :func:`govsocial.text.privacy.find_pii` on the
      raw text; the values themselves never leave this function);
    * quality of information — share of the public's replies to the agency that dispute
      its information, and share of the agency's own posts that correct or clarify one;
    * perception — share of the public's posts to the agency with negative sentiment, and
      its trend (change in that share per month, least squares over calendar months).

    A posts table with no rows gives no rows; a non-empty table without any government
    account raises an :class:`~govsocial.core.exceptions.InputError` saying to apply a registry.

    Example
    -------
    >>> import govsocial.core.schema as schema
    >>> p = schema.conform({"post_id": ["1", "2"], "platform": ["x"] * 2, "account_id": ["g", "c"],
    ...     "account_name": ["Council", "jo"], "account_type": ["government", "citizen"],
    ...     "text": ["Bins out Monday", "@Council email me at jo@example.com, this is terrible"],
    ...     "created_at": ["2024-01-01T00:00Z", "2024-01-02T00:00Z"]})
    >>> t = risk_indicators(p).set_index("indicator")
    >>> float(t.loc["posts_with_personal_information", "value"]), float(t.loc["negative_share", "value"])
    (1.0, 1.0)
    """
    from ..text.privacy import find_pii
    from .conversation import addressed_posts, classify_message

    addressed = addressed_posts(posts)
    text_of = dict(zip(posts["post_id"].astype("string"), posts["text"].astype("string").fillna("")))
    scores = sentiment(posts) if scores is None else scores
    label_of = dict(zip(scores.index.astype("string"), scores["label"]))
    gov = posts[posts["account_type"] == "government"]
    rows: list[dict[str, Any]] = []

    def add(account: str, risk: str, indicator: str, numerator: float, denominator: float) -> None:
        value = numerator / denominator if denominator else np.nan
        rows.append(
            {
                "account_id": account,
                "risk": risk,
                "indicator": indicator,
                "value": value,
                "numerator": numerator,
                "denominator": denominator,
            }
        )

    by_agency = dict(tuple(addressed.groupby("addressed_account_id"))) if len(addressed) else {}
    for account in sorted(gov["account_id"].dropna().astype(str).unique()):
        part = by_agency.get(account, addressed.iloc[:0])
        n = len(part)
        found = [{kind for kind, *_ in find_pii(text_of[str(pid)])} for pid in part["post_id"]]
        add(account, "privacy", "posts_with_personal_information", sum(bool(f) for f in found), n)
        for kind in sorted(set().union(*found)) if found else []:
            add(account, "privacy", f"posts_with_{kind}", sum(kind in f for f in found), n)
        replies = part[part["via"] == "reply"]
        disputes = sum(classify_message(text_of[str(pid)]) == "dispute" for pid in replies["post_id"])
        add(account, "quality_of_information", "disputed_replies_share", disputes, len(replies))
        own = gov[gov["account_id"].astype(str) == account]
        corrections = sum(is_correction(t) for t in own["text"].astype("string").fillna(""))
        add(account, "quality_of_information", "corrections_share", corrections, len(own))
        negative = np.array([label_of.get(str(pid)) == "negative" for pid in part["post_id"]], dtype=float)
        add(account, "perception", "negative_share", float(negative.sum()), n)
        slope, months = np.nan, 0
        if n and part["created_at"].notna().any():
            month = pd.to_datetime(part["created_at"]).dt.tz_convert("UTC").dt.tz_localize(None).dt.to_period("M")
            monthly = pd.Series(negative, index=month.to_numpy()).groupby(level=0).mean()
            months = len(monthly)
            if months >= 3:
                x = np.array([(p - monthly.index[0]).n for p in monthly.index], dtype=float)
                slope = float(np.polyfit(x, monthly.to_numpy(), 1)[0])
        rows.append(
            {
                "account_id": account,
                "risk": "perception",
                "indicator": "negative_share_trend_per_month",
                "value": slope,
                "numerator": np.nan,
                "denominator": months,
            }
        )
    return pd.DataFrame(rows, columns=["account_id", "risk", "indicator", "value", "numerator", "denominator"])

"""Risks: personal information citizens expose to agencies, disputes and corrections of
agencies' information, and the sentiment of citizens' posts to agencies.

Example
-------
>>> STUDY.name, "VADER" in STUDY.methods_for(None)
('risks', True)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .base import Outputs, Study

if TYPE_CHECKING:
    from ..config import Config
    from ..data import StudyData

__all__ = ["STUDY", "overall_share", "with_intervals", "run"]

METHODS = (
    "Personal information is detected by govsocial.text.privacy (e-mail, phone, tax file and Medicare "
    "numbers, cards, street addresses) — only counts are reported. Disputes are replies that say "
    "the agency's information is wrong; corrections are agencies' posts that correct or clarify. "
    "Sentiment is VADER's (Hutto & Gilbert 2014), a transparent lexicon method, validated in "
    "docs/benchmarks.md. Each agency's shares have 95 % Wilson intervals (its posts taken as "
    "independent); shares of all agencies together have 95 % intervals from resampling the agencies."
)


def with_intervals(risks: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """The risk table (:func:`govsocial.risk_indicators`) in the interval convention of
    :mod:`govsocial.core.bootstrap`: ``value`` as ``estimate``, a Wilson interval at ``level``
    for each share, ``n`` its denominator (posts; months for the trend, which has no
    interval); ``numerator`` and ``denominator`` kept.

    Example
    -------
    >>> t = pd.DataFrame({"account_id": ["g"], "risk": ["privacy"], "indicator": ["posts_with_phone"],
    ...                   "value": [0.25], "numerator": [1], "denominator": [4]})
    >>> r = with_intervals(t).iloc[0]
    >>> float(r["estimate"]), round(float(r["low"]), 3), round(float(r["high"]), 3), int(r["n"])
    (0.25, 0.046, 0.699, 4)
    """
    from statsmodels.stats.proportion import proportion_confint

    share = risks["numerator"].notna() & (risks["denominator"] > 0)
    low, high = np.full(len(risks), np.nan), np.full(len(risks), np.nan)
    if share.any():
        num, den = risks.loc[share, "numerator"].to_numpy(float), risks.loc[share, "denominator"].to_numpy(float)
        wl, wh = proportion_confint(num, den, alpha=1 - level, method="wilson")
        # exact at the ends: Wilson's bound for 0 of n is 0 up to rounding (5.6e-17)
        low[share.to_numpy()], high[share.to_numpy()] = np.where(num == 0, 0.0, wl), np.where(num == den, 1.0, wh)
    out = risks.rename(columns={"value": "estimate"})
    at = list(out.columns).index("estimate") + 1
    for j, (name, values) in enumerate(
        (("low", low), ("high", high), ("level", level), ("n", risks["denominator"].to_numpy()))
    ):
        out.insert(at + j, name, values)
    return out


def overall_share(
    risks: pd.DataFrame, indicator: str, n_boot: int, random_state: int | np.random.Generator | None = None
) -> dict[str, float]:
    """One indicator's share over all agencies (the sum of numerators over the sum of
    denominators) with a 95 % percentile interval from ``n_boot`` resamples of the agencies
    (each with all its posts; its posts when only one agency has any): ``estimate, low, high,
    level, n`` (posts), ``numerator``, ``n_agencies`` (those with posts).

    Example
    -------
    >>> t = pd.DataFrame({"account_id": list("abc"), "indicator": ["pii"] * 3,
    ...                   "numerator": [1, 5, 0], "denominator": [10, 10, 0]})
    >>> r = overall_share(t, "pii", 200, random_state=0)
    >>> r["estimate"], r["n"], r["n_agencies"], bool(r["low"] <= 0.3 <= r["high"])
    (0.3, 20, 2, True)
    """
    from ...core.bootstrap import share_interval
    from ...core.validation import check_random_state

    rows = risks[(risks["indicator"] == indicator) & (risks["denominator"] > 0)]
    num, den = rows["numerator"].to_numpy(float), rows["denominator"].to_numpy(float)
    counts = np.column_stack([num, den - num])  # per agency: posts with it, posts without
    if len(rows) == 1:  # one agency: its posts are the units, as in govsocial.core.bootstrap.cluster_totals
        counts = np.repeat(np.eye(2), counts[0].astype(int), axis=0)
    point, low, high = share_interval(counts, n_boot, check_random_state(random_state), percentiles=(2.5, 97.5))
    return {
        "estimate": float(point[0]),
        "low": float(low[0]),
        "high": float(high[0]),
        "level": 0.95,
        "n": int(den.sum()),
        "numerator": int(num.sum()),
        "n_agencies": len(rows),
    }


def _sentiment(data: StudyData, config: Config, scores: pd.DataFrame, out: Outputs) -> None:
    """Negative sentiment of citizens' posts to agencies, by the theme of the post answered and by month."""
    from ...analysis.conversation import addressed_posts
    from ...analysis.perception import sentiment_by
    from ...output.plotting import interval_figure, lines_figure

    posts = data.posts
    citizen = posts[posts["post_id"].isin(set(addressed_posts(posts)["post_id"]))]
    if not len(citizen):
        return
    parent = posts.set_index("post_id")["reply_to_post_id"]
    theme = citizen["post_id"].map(parent).map(data.theme_labels())
    answering = citizen[theme.notna().to_numpy()]  # a mention answers no post, so it has no theme
    by_theme = sentiment_by(
        answering,
        pd.Series(theme.dropna().to_numpy(), index=answering["post_id"].to_numpy()),
        scores=scores.reindex(answering["post_id"]),
        n_boot=config.run.n_boot,
        random_state=config.seed,
    )
    out.tables["sentiment_by_theme.csv"] = by_theme
    negative = by_theme[by_theme["measure"] == "negative_share"]
    if len(negative) and negative["low"].notna().any():
        out.figures["negative_by_theme.png"] = interval_figure(
            negative,
            label="group",
            xlabel="share of citizens' replies with negative sentiment",
            title="Negative replies by theme of the agency's post",
        )
    dated = citizen[citizen["created_at"].notna().to_numpy()]
    monthly = sentiment_by(dated, "month", scores=scores.reindex(dated["post_id"]), n_boot=0)  # shares, no interval
    monthly = monthly[monthly["measure"] == "negative_share"].rename(columns={"group": "month"})
    monthly.insert(1, "group", "citizens' posts to agencies")
    monthly = monthly[["month", "group", "estimate", "low", "high", "level", "n"]].reset_index(drop=True)
    out.files["negative_share_by_month.csv"] = monthly
    out.figures["negative_by_month.png"] = lines_figure(
        monthly, x="month", y="estimate", group="group", ylabel="negative share", title="Negative sentiment over time"
    )


def run(data: StudyData, config: Config) -> Outputs:
    """Risk indicators per agency, sentiment by theme and month.

    Example
    -------
    >>> import inspect
    >>> list(inspect.signature(run).parameters)
    ['data', 'config']
    """
    from ...analysis.perception import risk_indicators, sentiment

    out = Outputs()
    posts = data.posts
    scores = sentiment(posts)
    risks = risk_indicators(posts, scores=scores)
    risks.insert(1, "agency", risks["account_id"].map(data.agency_names))
    out.tables["risk_indicators.csv"] = with_intervals(risks.drop(columns="account_id"))
    _sentiment(data, config, scores, out)
    totals = risks.groupby("indicator")[["numerator", "denominator"]].sum()
    if risks.loc[risks["indicator"] == "posts_with_personal_information", "denominator"].sum() > 0:
        pii = overall_share(risks, "posts_with_personal_information", config.run.n_boot, config.seed)
        out.summary.append(
            f"{pii['numerator']:,} of {pii['n']:,} citizen posts to {pii['n_agencies']:,} agencies "
            f"({pii['estimate']:.1%}; 95 % interval {pii['low']:.1%}–{pii['high']:.1%}, from resampling the agencies) "
            "carry personal information."
        )
    if data.truth is not None:
        corrections = int(totals.loc["corrections_share", "numerator"]) if "corrections_share" in totals.index else 0
        out.truth += data.truth.risks(
            corrections=corrections, disputes=int(totals.loc["disputed_replies_share", "numerator"])
        )
    out.caveats.append(
        "A lexicon reads wording, not sarcasm or context; use sentiment shares to compare groups and periods."
    )
    return out


STUDY = Study(
    "risks",
    "5. Risks: privacy, quality of information, perception",
    "How much personal information do citizens expose to agencies, how often is agencies' "
    "information disputed or corrected, and how do citizens feel?",
    METHODS,
    run,
)

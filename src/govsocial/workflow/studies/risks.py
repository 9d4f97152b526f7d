"""Risks: personal information citizens expose to agencies, disputes and corrections of
agencies' information, and the sentiment of citizens' posts to agencies.

Example
-------
>>> STUDY.name, "VADER" in STUDY.methods_for(None)
('risks', True)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from .base import Outputs, Study

if TYPE_CHECKING:
    from ..config import Config
    from ..data import StudyData

__all__ = ["STUDY", "run"]

METHODS = (
    "Personal information is detected by govsocial.text.privacy (e-mail, phone, tax file and Medicare "
    "numbers, cards, street addresses) — only counts are reported. Disputes are replies that say "
    "the agency's information is wrong; corrections are agencies' posts that correct or clarify. "
    "Sentiment is VADER's (Hutto & Gilbert 2014), a transparent lexicon method, validated in "
    "docs/benchmarks.md."
)


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
    out.tables["risk_indicators.csv"] = risks.drop(columns="account_id")
    _sentiment(data, config, scores, out)
    totals = risks.groupby("indicator")[["numerator", "denominator"]].sum()
    if "posts_with_personal_information" in totals.index:
        pii = totals.loc["posts_with_personal_information"]
        out.summary.append(
            f"{int(pii['numerator']):,} of {int(pii['denominator']):,} citizen posts to agencies "
            f"({pii['numerator'] / max(pii['denominator'], 1):.0%}) carry personal information."
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

"""Engagement: Bonsón metrics per agency and theme, and negative binomial regressions of
likes, shares and replies on the scored theme (the config's first codebook).

Example
-------
>>> from govsocial.workflow.config import Config
>>> STUDY.name, "scored OECD theme" in STUDY.methods_for(Config())
('engagement', True)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from .base import Outputs, Study

if TYPE_CHECKING:
    from ..config import Config
    from ..data import StudyData

__all__ = ["STUDY", "CONTROLS", "run", "with_resampled"]

#: controls of the regressions; mentions are left out because replying to or tagging
#: someone is part of what responding and collaborating are
CONTROLS = [
    "log_followers_10k",
    "has_link",
    "has_hashtag",
    "length_100",
    "hour_morning",
    "hour_afternoon",
    "hour_evening",
    "weekend",
]


def _codebook_name(config: Config) -> str:
    from ...analysis.themes import load_codebook

    return load_codebook(config.themes.primary).name


def _methods(config: Config) -> str:
    return (
        "Popularity, commitment and virality metrics of Bonsón & Ratkai (2013) per theme, with 95 % intervals "
        "from resampling accounts (each with all its posts of the theme), and per agency, with intervals from "
        "resampling that agency's posts (an agency is one account; an agency of several accounts resamples "
        "them) — the tables' resampled column names the unit of each row; negative binomial regressions "
        "(log link, NB2) of "
        f"likes, shares and replies on the posts' scored {_codebook_name(config).upper()} theme with controls "
        "for followers, links, hashtags, length, hour and weekend, standard errors clustered by account. "
        "Incidence-rate ratios compare a post wholly of a theme with one providing information."
    )


def with_resampled(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` (from :func:`govsocial.bonson_metrics`) with a ``resampled`` column: what its
    intervals resampled — ``accounts`` for a group of several accounts, ``posts`` for a group of
    one (as each agency is), since :func:`govsocial.core.bootstrap.cluster_totals` then
    resamples that account's posts.

    Example
    -------
    >>> t = pd.DataFrame({"group": ["a", "b"], "n_accounts": [1, 3]})
    >>> with_resampled(t)["resampled"].tolist()
    ['posts', 'accounts']
    """
    return table.assign(resampled=table["n_accounts"].gt(1).map({True: "accounts", False: "posts"}))


def _regressions(gov: pd.DataFrame, proba: pd.DataFrame, labels: pd.Series, reference: str) -> pd.DataFrame:
    """IRRs of each outcome on the scored theme of each post (one-hot): in checks against
    planted effects this was less attenuated than regressing on the probabilities."""
    from ...analysis.engagement import engagement_regression

    onehot = pd.get_dummies(labels).astype(float).reindex(columns=list(proba.columns), fill_value=0.0)
    rows, clusters = [], {}
    for outcome in ("likes", "shares", "replies"):
        table = engagement_regression(gov, onehot, outcome=outcome, reference=reference, controls=CONTROLS)
        table.insert(0, "outcome", outcome)
        rows.append(table)
        clusters[outcome] = table.attrs["n_clusters"]
    out = pd.concat(rows, ignore_index=True)
    out.attrs = {"n_clusters": clusters}  # accounts per outcome's regression
    return out


def run(data: StudyData, config: Config) -> Outputs:
    """Bonsón metrics and incidence-rate ratios by theme.

    Example
    -------
    >>> import inspect
    >>> list(inspect.signature(run).parameters)
    ['data', 'config']
    """
    from ...analysis.engagement import bonson_metrics
    from ...output.plotting import forest_figure, interval_figure

    out = Outputs()
    gov, n_boot, seed = data.gov, config.run.n_boot, config.seed
    proba, labels = data.themes(), data.theme_labels()
    by_theme = with_resampled(bonson_metrics(gov, by=labels, n_boot=n_boot, random_state=seed))
    out.tables["bonson_by_theme.csv"] = by_theme
    by_agency = bonson_metrics(gov, by="account_name", n_boot=n_boot, random_state=seed)
    out.tables["bonson_by_agency.csv"] = with_resampled(by_agency)
    e = by_theme[by_theme["measure"] == "E"].sort_values("estimate", ascending=False)
    out.figures["engagement_by_theme.png"] = interval_figure(
        e.rename(columns={"group": "theme"}),
        label="theme",
        xlabel="engagement index E (per 1,000 followers)",
        title="Engagement index by theme, 95 % intervals",
    )
    reference = str(proba.columns[0])  # the codebook's first theme (OECD: providing information)
    irr = _regressions(gov, proba, labels, reference)
    out.tables["irr.csv"] = irr
    themes_only = irr[irr["term"].isin(proba.columns)]
    out.figures["irr_forest.png"] = forest_figure(
        themes_only, title=f"Incidence-rate ratios vs {reference.replace('_', ' ')}"
    )
    best = themes_only[themes_only["outcome"] == "replies"].sort_values("estimate", ascending=False).iloc[0]
    accounts = irr.attrs["n_clusters"]["replies"]
    out.summary.append(
        f"Replies: posts {best['term'].replace('_', ' ')} draw {best['estimate']:.2f}× the replies of "
        f"informational posts (95 % interval {best['low']:.2f}–{best['high']:.2f}; "
        f"{int(best['n']):,} posts of {accounts:,} accounts, standard errors clustered by account)."
    )
    if data.truth is not None:
        out.truth += data.truth.engagement(themes_only)
    out.caveats.append(
        "Theme probabilities come from a scorer, not from coders; their errors pull the ratios "
        "towards 1. With few accounts, clustered intervals are optimistic."
    )
    return out


STUDY = Study(
    "engagement",
    "3. Which uses draw citizens in",
    "Which themes attract likes, shares and replies, once account size, links and hashtags are accounted for?",
    _methods,
    run,
)

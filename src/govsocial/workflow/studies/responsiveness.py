"""Immediacy and responsiveness: citizens' requests to agencies, response rates and
latency (Kaplan–Meier, business hours in each agency's time zone), by agency, by the
theme of the post answered and — when the topics study runs too — by topic.

Example
-------
>>> STUDY.name, STUDY.upstream
('responsiveness', ('topics',))
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ...core.bootstrap import percentile_interval, resample_counts
from ...core.validation import check_random_state
from ..pseudonyms import PseudonymKey, pseudonymise_ids
from .base import Outputs, Study

if TYPE_CHECKING:
    from ..config import Config
    from ..data import StudyData

__all__ = ["STUDY", "citizen_rows", "km_intervals", "run"]

METHODS = (
    "Citizen posts that reply to or mention an agency are classified by wording; questions and "
    "complaints are requests. A request is answered when the agency replies to it. Unanswered "
    "requests are censored at the end of the data, and the time to response is estimated by "
    "Kaplan & Meier (1958), so slow agencies are not made to look fast by dropping them. Latency is "
    "also counted in business hours (weekdays 9–17) of the agency's time zone."
)


def _hours(value: float) -> str:
    """Hours with one decimal, or "not reached" (fewer than half the requests answered)."""
    return f"{value:.1f} h" if np.isfinite(value) else "not reached"


def _hours_interval(low: float, high: float) -> str:
    """``low–high h``, or ``low h to not reached`` when the upper bound is never reached."""
    if np.isnan(low) or np.isnan(high):
        return "not computed"
    return f"{low:.1f}–{high:.1f} h" if np.isfinite(high) else f"{_hours(low)} to not reached"


def citizen_rows(table: pd.DataFrame, key: PseudonymKey) -> pd.DataFrame:
    """Requests as they may be published: a keyed pseudonym of the citizen's post id (no id
    without a key), the day instead of the exact time, and neither the citizen's account
    nor the agency's reply id (a reply's id leads to the post it answers).

    Example
    -------
    >>> t = pd.DataFrame({"post_id": ["1"], "account_id": ["2"], "response_post_id": ["3"],
    ...                   "created_at": pd.to_datetime(["2023-05-01T10:00:00+00:00"]), "answered": [True]})
    >>> citizen_rows(t, PseudonymKey(None, "none")).columns.tolist()
    ['date', 'answered']
    """
    rows = table.drop(columns=["post_id", "account_id", "response_post_id", "created_at"], errors="ignore")
    rows.insert(0, "date", table["created_at"].dt.tz_convert("UTC").dt.strftime("%Y-%m-%d").to_numpy())
    if key.key is not None:
        rows.insert(0, "request", pseudonymise_ids(table["post_id"], key.key))
    return rows


def km_intervals(
    table: pd.DataFrame, n_boot: int, random_state: int | np.random.Generator | None = None, level: float = 0.95
) -> pd.DataFrame:
    """Percentile intervals of the Kaplan–Meier median time to response (hours) and share
    answered within 24 h of all requests in ``table`` (:func:`govsocial.responses`), from
    ``n_boot`` resamples of the addressed agencies, each with all its requests (of the
    requests when one agency is addressed): ``measure, low, high, level, n, n_agencies``.
    A resample in which fewer than half the requests are answered has no median: it counts as
    longer than any time observed, so a bound can be ``inf`` (not reached). NaN bounds when
    ``n_boot`` is 0.

    Example
    -------
    >>> t = pd.DataFrame({"addressed_account_id": list("aabbcc"), "answered": [True] * 5 + [False],
    ...                   "duration_s": [3600.0, 7200.0, 1800.0, 36000.0, 5400.0, 90000.0]})
    >>> r = km_intervals(t, 200, random_state=0).set_index("measure")
    >>> bool(r.loc["km_median_h", "low"] <= 1.5 <= r.loc["km_median_h", "high"]), int(r.loc["km_median_h", "n"])
    (True, 6)
    """
    from statsmodels.duration.survfunc import SurvfuncRight

    from ...analysis.survival import km_quantile, survival_at

    hours = table["duration_s"].to_numpy(dtype=float) / 3600.0
    ok = np.isfinite(hours)
    hours, status = hours[ok], table["answered"].to_numpy(dtype=float)[ok]
    agencies = table["addressed_account_id"].astype(str).to_numpy()[ok]
    units, codes = np.unique(agencies, return_inverse=True)
    if len(units) == 1:  # one agency: its requests are the units
        codes = np.arange(len(hours))
    draws = np.full((int(n_boot), 2), np.nan)
    if n_boot and len(hours):
        rng = check_random_state(random_state)
        for b, counts in enumerate(resample_counts(int(codes.max()) + 1, n_boot, rng)):
            weight = counts[codes]
            keep = weight > 0
            if status[keep].sum() == 0:  # no request answered: no median, none within 24 h
                draws[b] = np.inf, 0.0
                continue
            sf = SurvfuncRight(hours[keep], status[keep], freq_weights=weight[keep].astype(float))
            median = km_quantile(sf, 0.5)
            draws[b] = np.inf if np.isnan(median) else median, 1.0 - survival_at(sf, 24.0)
    low, high = np.full(2, np.nan), np.full(2, np.nan)
    if n_boot and len(hours):
        low[1], high[1] = percentile_interval(draws[:, 1], level)
        tail = (1 - level) / 2  # the median's draws may be inf: quantiles that are draws, not interpolated
        low[0], high[0] = np.quantile(draws[:, 0], [tail, 1 - tail], method="inverted_cdf")
    return pd.DataFrame(
        {
            "measure": ["km_median_h", "answered_24h"],
            "low": low,
            "high": high,
            "level": level,
            "n": len(hours),
            "n_agencies": len(units),
        }
    )


def run(data: StudyData, config: Config, topics: Outputs | None = None) -> Outputs:
    """Requests and their answers; with ``topics``, response rates by topic too.

    Example
    -------
    >>> import inspect
    >>> list(inspect.signature(run).parameters)
    ['data', 'config', 'topics']
    """
    from ...analysis.conversation import responses, responsiveness
    from ...output.plotting import km_figure

    out = Outputs()
    posts = data.posts
    table = responses(posts, timezones=data.timezones)
    if table.empty:
        out.summary.append("No citizen requests to agencies were found in these data.")
        return out
    table["agency"] = table["addressed_account_id"].map(data.agency_names).fillna(table["addressed_account_id"])
    out.tables["requests.csv"] = citizen_rows(table, data.key)
    out.tables["responsiveness_by_agency.csv"] = responsiveness(table, by="agency")
    if topics is not None and "topic_of_post" in topics.values:
        out.tables["responsiveness_by_topic.csv"] = responsiveness(table, by=topics.values["topic_of_post"])
    parent = posts.set_index("post_id")["reply_to_post_id"]
    request_theme = table["post_id"].map(parent).map(data.theme_labels())
    out.tables["responsiveness_by_theme.csv"] = responsiveness(
        table.assign(theme=request_theme.fillna("(a mention, no post)")), by="theme"
    )
    overall = responsiveness(table, by=None).set_index("measure")
    out.figures["km_curves.png"] = km_figure(table, by="agency", title="Time to response (Kaplan–Meier)")
    rate = overall.loc["response_rate"]
    times = km_intervals(table, config.run.n_boot, config.seed).set_index("measure")
    median, day = times.loc["km_median_h"], times.loc["answered_24h"]
    agencies = table["addressed_account_id"].nunique()
    timed = "" if int(median["n"]) == len(table) else f" ({int(median['n']):,} requests with a time)"
    out.summary.append(
        f"{len(table):,} requests to {agencies:,} agencies; {rate['estimate']:.0%} answered (95 % interval "
        f"{rate['low']:.0%}–{rate['high']:.0%}, Wilson); Kaplan–Meier median time to response "
        f"{_hours(overall.loc['km_median_h', 'estimate'])} (95 % interval "
        f"{_hours_interval(median['low'], median['high'])}); {overall.loc['answered_24h', 'estimate']:.0%} answered "
        f"within 24 h (95 % interval {day['low']:.0%}–{day['high']:.0%}); the intervals of the times resample the "
        f"agencies, each with all its requests{timed}."
    )
    if data.truth is not None:
        out.truth += data.truth.response_rates(table)
    out.caveats.append(
        "Requests are found by wording rules (docs/engagement.md); an answer by phone or direct "
        "message is invisible here."
    )
    return out


STUDY = Study(
    "responsiveness",
    "4. Immediacy and responsiveness",
    "How often, and how fast, do agencies answer citizens' questions and complaints?",
    METHODS,
    run,
    upstream=("topics",),
)

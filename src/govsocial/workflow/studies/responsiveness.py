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

import pandas as pd

from ..pseudonyms import PseudonymKey, pseudonymise_ids
from .base import Outputs, Study

if TYPE_CHECKING:
    from ..config import Config
    from ..data import StudyData

__all__ = ["STUDY", "citizen_rows", "run"]

METHODS = (
    "Citizen posts that reply to or mention an agency are classified by wording; questions and "
    "complaints are requests. A request is answered when the agency replies to it. Unanswered "
    "requests are censored at the end of the data, and the time to response is estimated by "
    "Kaplan & Meier (1958), so slow agencies are not made to look fast by dropping them. Latency is "
    "also counted in business hours (weekdays 9–17) of the agency's time zone."
)


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
    out.summary.append(
        f"{len(table):,} requests; {rate['estimate']:.0%} answered (95 % interval "
        f"{rate['low']:.0%}–{rate['high']:.0%}); Kaplan–Meier median time to response "
        f"{overall.loc['km_median_h', 'estimate']:.1f} h; "
        f"{overall.loc['answered_24h', 'estimate']:.0%} answered within 24 h."
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

"""Responsiveness: response rates (Wilson intervals) and Kaplan–Meier times to response per
agency, theme or topic, from the table of :func:`govsocial.analysis.conversation.responses`.

Example
-------
>>> t = pd.DataFrame({"post_id": ["a", "b"], "agency": ["g", "g"], "answered": [True, False],
...                   "latency_s": [60.0, np.nan], "business_latency_s": [60.0, np.nan], "duration_s": [60.0, 600.0]})
>>> r = responsiveness(t, by="agency").iloc[0]
>>> r["measure"], float(r["estimate"]), int(r["n"])
('response_rate', 0.5, 2)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..core.bootstrap import INTERVAL_COLUMNS
from ..core.grouping import group_keys
from ._checks import need_table
from .survival import km_quantile, survival_at

__all__ = ["responsiveness"]

#: the measures of each group, in the order of the table's rows
MEASURES = [
    "response_rate",
    "km_median_h",
    "km_p90_h",
    "answered_24h",
    "median_answered_h",
    "p90_answered_h",
    "median_answered_business_h",
]
COLUMNS = ["group", "measure", *INTERVAL_COLUMNS]


def responsiveness(table: pd.DataFrame, by: Any = "addressed_account_id", *, level: float = 0.95) -> pd.DataFrame:
    """Response rate and time to response per group, from :func:`responses`' table: one row per
    group and ``measure``, ``group, measure, estimate, low, high, level, n`` (the interval
    convention of :mod:`govsocial.core.bootstrap`; ``t.pivot(index="group", columns="measure",
    values="estimate")`` makes it wide).

    ``by``: a column of the table, a Series indexed by request ``post_id`` (topic or theme
    of each request), or None for all requests; a request without a group is in the group
    ``"(missing)"`` (:func:`govsocial.core.grouping.group_keys`). Measures:

    * ``response_rate`` — the share of requests answered, with a Wilson interval at ``level``;
      ``n`` the group's requests (so ``estimate * n`` requests were answered);
    * ``km_median_h`` and ``km_p90_h`` — the Kaplan–Meier quantiles of the time to response,
      unanswered requests censored (NaN when the quantile is never reached: fewer than half,
      or 90 %, are answered) — and ``answered_24h`` (KM share answered within 24 h); ``n``
      the requests with a duration;
    * ``median_answered_h``, ``p90_answered_h`` and ``median_answered_business_h`` — the
      latency among answered requests (elapsed, and in business hours); ``n`` the answered
      requests (with a business latency).

    Only the response rate has an interval (``low``, ``high`` are NaN for the others). A
    table of no requests gives no rows.

    Example
    -------
    >>> t = pd.DataFrame({"post_id": list("abcd"), "addressed_account_id": ["g"] * 4,
    ...                   "answered": [True, True, True, False], "latency_s": [3600, 7200, 10800, np.nan],
    ...                   "business_latency_s": [3600, 3600, 3600, np.nan], "duration_s": [3600, 7200, 10800, 86400]})
    >>> r = responsiveness(t).set_index("measure")
    >>> r.loc[["response_rate", "km_median_h", "median_answered_h"], ["estimate", "n"]].values.tolist()
    [[0.75, 4.0], [2.0, 4.0], [2.0, 3.0]]
    """
    from statsmodels.stats.proportion import proportion_confint

    need_table(
        table,
        ["post_id", "answered", "latency_s", "business_latency_s", "duration_s"],
        "responsiveness",
        "pass the table of govsocial.responses(posts)",
    )
    keys = group_keys(table, by)
    rows = []
    for group, part in table.groupby(keys.to_numpy(), sort=True):
        n, k = len(part), int(part["answered"].sum())
        low, high = proportion_confint(k, n, alpha=1 - level, method="wilson")
        rows.append(
            {
                "group": group,
                "measure": "response_rate",
                "estimate": k / n,
                "low": low,
                "high": high,
                "level": level,
                "n": n,
            }
        )
        rows += [
            {"group": group, "measure": m, "estimate": v, "low": np.nan, "high": np.nan, "level": level, "n": c}
            for m, (v, c) in _times(part).items()
        ]
    return pd.DataFrame(rows, columns=COLUMNS)


def _times(part: pd.DataFrame) -> dict[str, tuple[float, int]]:
    """Each time measure of one group's requests with the number of requests it is computed from."""
    from statsmodels.duration.survfunc import SurvfuncRight

    hours_ = part["duration_s"].to_numpy(dtype=float) / 3600.0
    status = part["answered"].to_numpy(dtype=float)
    ok = np.isfinite(hours_)
    km_median = km_p90 = within = np.nan
    if ok.any() and status[ok].sum() > 0:
        sf = SurvfuncRight(hours_[ok], status[ok])
        km_median = km_quantile(sf, 0.5)
        km_p90 = km_quantile(sf, 0.9)
        within = 1.0 - survival_at(sf, 24.0)
    answered = part["answered"].to_numpy(dtype=bool)
    answered_h = part.loc[answered, "latency_s"].to_numpy(dtype=float) / 3600.0
    business_h = part.loc[answered, "business_latency_s"].to_numpy(dtype=float) / 3600.0
    k, kb = len(answered_h), int(np.isfinite(business_h).sum())
    return {
        "km_median_h": (km_median, int(ok.sum())),
        "km_p90_h": (km_p90, int(ok.sum())),
        "answered_24h": (within, int(ok.sum())),
        "median_answered_h": (float(np.median(answered_h)) if k else np.nan, k),
        "p90_answered_h": (float(np.percentile(answered_h, 90)) if k else np.nan, k),
        "median_answered_business_h": (float(np.nanmedian(business_h)) if k else np.nan, kb),
    }

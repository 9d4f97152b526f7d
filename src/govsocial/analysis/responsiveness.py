"""Responsiveness: response rates (Wilson intervals) and Kaplan–Meier times to response per
agency, theme or topic, from the table of :func:`govsocial.analysis.conversation.responses`.

Example
-------
>>> t = pd.DataFrame({"post_id": ["a", "b"], "agency": ["g", "g"], "answered": [True, False],
...                   "latency_s": [60.0, np.nan], "business_latency_s": [60.0, np.nan], "duration_s": [60.0, 600.0]})
>>> float(responsiveness(t, by="agency").iloc[0]["response_rate"])
0.5
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..core.grouping import group_keys
from ._checks import need_table
from .survival import km_quantile, survival_at

__all__ = ["responsiveness"]

_SUMMARY = ["group", "n_requests", "n_answered", "response_rate", "rate_low", "rate_high", "km_median_h", "km_p90_h",
            "answered_24h", "median_answered_h", "p90_answered_h", "median_answered_business_h"]


def responsiveness(table: pd.DataFrame, by: Any = "addressed_account_id", *, level: float = 0.95) -> pd.DataFrame:
    """Response rate and time to response per group, from :func:`responses`' table.

    ``by``: a column of the table, a Series indexed by request ``post_id`` (topic or theme
    of each request), or None for all requests; a request without a group is in the group
    ``"(missing)"`` (:func:`govsocial.core.grouping.group_keys`). Columns: ``n_requests, n_answered,
    response_rate`` (with a Wilson interval), ``km_median_h`` and ``km_p90_h`` — the
    Kaplan–Meier quantiles of the time to response with unanswered requests censored
    (NaN when the quantile is never reached: fewer than half, or 90 %, are answered) —
    ``answered_24h`` (KM share answered within 24 h), and the median and 90th percentile
    latency among answered requests (``median_answered_h``, ``p90_answered_h``) and
    ``median_answered_business_h``. A table of no requests gives no rows.

    Example
    -------
    >>> t = pd.DataFrame({"post_id": list("abcd"), "addressed_account_id": ["g"] * 4,
    ...                   "answered": [True, True, True, False], "latency_s": [3600, 7200, 10800, np.nan],
    ...                   "business_latency_s": [3600, 3600, 3600, np.nan], "duration_s": [3600, 7200, 10800, 86400]})
    >>> r = responsiveness(t).iloc[0]
    >>> float(r["response_rate"]), float(r["km_median_h"]), float(r["median_answered_h"])
    (0.75, 2.0, 2.0)
    """
    from statsmodels.duration.survfunc import SurvfuncRight
    from statsmodels.stats.proportion import proportion_confint

    need_table(table, ["post_id", "answered", "latency_s", "business_latency_s", "duration_s"], "responsiveness",
          "pass the table of govsocial.responses(posts)")
    keys = group_keys(table, by)
    rows = []
    for group, part in table.groupby(keys.to_numpy(), sort=True):
        n, k = len(part), int(part["answered"].sum())
        low, high = proportion_confint(k, n, alpha=1 - level, method="wilson")
        hours_ = part["duration_s"].to_numpy(dtype=float) / 3600.0
        status = part["answered"].to_numpy(dtype=float)
        ok = np.isfinite(hours_)
        km_median = km_p90 = within = np.nan
        if ok.any() and status[ok].sum() > 0:
            sf = SurvfuncRight(hours_[ok], status[ok])
            km_median = km_quantile(sf, 0.5)
            km_p90 = km_quantile(sf, 0.9)
            within = 1.0 - survival_at(sf, 24.0)
        answered_h = part.loc[part["answered"], "latency_s"].to_numpy(dtype=float) / 3600.0
        business_h = part.loc[part["answered"], "business_latency_s"].to_numpy(dtype=float) / 3600.0
        rows.append({"group": group, "n_requests": n, "n_answered": k, "response_rate": k / n,
                     "rate_low": low, "rate_high": high, "km_median_h": km_median, "km_p90_h": km_p90,
                     "answered_24h": within,
                     "median_answered_h": float(np.median(answered_h)) if k else np.nan,
                     "p90_answered_h": float(np.percentile(answered_h, 90)) if k else np.nan,
                     "median_answered_business_h": float(np.nanmedian(business_h)) if k else np.nan})
    return pd.DataFrame(rows, columns=_SUMMARY)

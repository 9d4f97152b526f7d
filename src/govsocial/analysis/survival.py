"""Time to a response: seconds within business hours, and Kaplan–Meier quantities.

Example
-------
>>> friday_4pm = pd.Timestamp("2024-01-05T16:00", tz="UTC")
>>> business_seconds(friday_4pm, friday_4pm + pd.Timedelta(hours=1)) / 3600
1.0
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

__all__ = ["business_seconds", "km_quantile", "survival_at"]


def business_seconds(
    start: pd.Timestamp, end: pd.Timestamp, tz: str = "UTC", hours: tuple[int, int] = (9, 17)
) -> float:
    """Seconds between ``start`` and ``end`` that fall on weekdays within business hours
    of the time zone ``tz`` (public holidays are not known and count as weekdays).

    Example
    -------
    >>> friday_4pm = pd.Timestamp("2024-01-05T16:00", tz="UTC")
    >>> business_seconds(friday_4pm, friday_4pm + pd.Timedelta(days=3)) / 3600  # Fri 16-17, Mon 9-16
    8.0
    """
    zone = ZoneInfo(tz)
    a, b = pd.Timestamp(start).to_pydatetime().astimezone(zone), pd.Timestamp(end).to_pydatetime().astimezone(zone)
    if b <= a:
        return 0.0
    total = 0.0
    day = a.date()
    while day <= b.date():
        if day.weekday() < 5:
            open_t = datetime(day.year, day.month, day.day, hours[0], tzinfo=zone)
            close_t = datetime(day.year, day.month, day.day, hours[1], tzinfo=zone)
            lo, hi = max(a, open_t), min(b, close_t)
            if hi > lo:
                total += (hi - lo).total_seconds()
        day += timedelta(days=1)
    return total


def km_quantile(sf: Any, p: float) -> float:
    """Smallest time with KM probability of response ≥ p (NaN if never reached), from a
    statsmodels ``SurvfuncRight``.

    Example
    -------
    >>> from statsmodels.duration.survfunc import SurvfuncRight
    >>> km_quantile(SurvfuncRight([1.0, 2.0, 4.0], [1, 1, 0]), 0.5)
    2.0
    """
    times, surv = np.asarray(sf.surv_times), np.asarray(sf.surv_prob)
    reached = np.flatnonzero(1.0 - surv >= p - 1e-12)
    return float(times[reached[0]]) if len(reached) else float("nan")


def survival_at(sf: Any, t: float) -> float:
    """Kaplan–Meier probability of no response yet at time ``t``.

    Example
    -------
    >>> from statsmodels.duration.survfunc import SurvfuncRight
    >>> survival_at(SurvfuncRight([1.0, 2.0, 4.0], [1, 1, 0]), 1.5)
    0.6666666666666667
    """
    times, surv = np.asarray(sf.surv_times), np.asarray(sf.surv_prob)
    before = np.flatnonzero(times <= t)
    return float(surv[before[-1]]) if len(before) else 1.0

"""The ``by=`` of every grouped table: one rule for what a group is and one label for a missing one.

Every verb that summarises posts (or requests) per group — :func:`govsocial.bonson_metrics`,
:func:`govsocial.responsiveness`, :func:`govsocial.sentiment_by`, :func:`govsocial.prevalence`,
:func:`govsocial.shares_dask` and the studies — turns its ``by`` into labels with
:func:`group_keys`:

* ``None`` — every row in one group, ``"all"``;
* a calendar unit (``"day"``, ``"week"``, ``"month"``, ``"quarter"``, ``"year"``) — the UTC
  period of ``created_at`` (``"2024-01"`` for a month);
* a column of the table (``"account"`` for ``account_id``) — its values; a column wins over a
  calendar unit of the same name;
* a Series or mapping — looked up by the table's ``post_id`` (a theme or topic per post).

Group labels are strings. A row whose group is unknown — a missing value in the column, an
id the Series does not have, no ``created_at`` for a calendar unit — is never dropped: it is
in the group :data:`MISSING_GROUP`, ``"(missing)"``, so the counts of a grouped table add up
to the rows given. ``period=`` (a pandas alias, ``"M"``, ``"Q"``) adds the period of
``created_at`` to any ``by``: ``"<group> | <period>"``.

Example
-------
>>> import pandas as pd
>>> posts = pd.DataFrame({"post_id": ["1", "2", "3"], "account_type": ["government", None, "citizen"],
...                       "created_at": pd.to_datetime(["2024-01-05", "2024-02-01", None], utc=True)})
>>> group_keys(posts, "account_type").tolist()
['government', '(missing)', 'citizen']
>>> group_keys(posts, "month").tolist()
['2024-01', '2024-02', '(missing)']
>>> group_keys(posts, pd.Series({"1": "roads", "3": "health"})).tolist()
['roads', '(missing)', 'health']
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

__all__ = ["MISSING_GROUP", "TIME_UNITS", "group_keys"]

#: the label of every row whose group is unknown
MISSING_GROUP = "(missing)"
#: ``by`` values that group ``created_at`` (UTC) into calendar periods, and their pandas aliases
TIME_UNITS = {"day": "D", "week": "W", "month": "M", "quarter": "Q", "year": "Y"}
_ALIASES = {"account": "account_id"}


def _periods(table: pd.DataFrame, alias: str, by: Any) -> pd.Series:
    if "created_at" not in table.columns:
        raise ValueError(f"grouping by {by!r} needs the table's created_at column")
    times = pd.to_datetime(table["created_at"], utc=True).dt.tz_localize(None)
    labels = times.dt.to_period(alias).astype(str).where(times.notna())
    return pd.Series(labels.to_numpy(dtype=object), index=table.index)


def group_keys(table: pd.DataFrame, by: Any, *, period: str | None = None, ids: str = "post_id") -> pd.Series:
    """The group label of each row of ``table`` (module docs): strings, aligned with ``table``'s index,
    :data:`MISSING_GROUP` where the group is unknown.

    ``ids``: the column a Series ``by`` is looked up by. A string that is neither a calendar unit
    nor a column raises a ``ValueError`` naming the columns there are.

    Example
    -------
    >>> t = pd.DataFrame({"post_id": ["a", "b"], "created_at": pd.to_datetime(["2024-01-31", "2024-04-01"], utc=True),
    ...                   "account_id": ["g", "g"]})
    >>> group_keys(t, "account", period="Q").tolist()
    ['g | 2024Q1', 'g | 2024Q2']
    >>> group_keys(t, None).tolist()
    ['all', 'all']
    """
    if by is None:
        keys = pd.Series("all", index=table.index, dtype=object)
    elif isinstance(by, str) and (by in table.columns or _ALIASES.get(by) in table.columns):
        column = by if by in table.columns else _ALIASES[by]
        keys = pd.Series(table[column].astype("string").to_numpy(dtype=object), index=table.index)
    elif isinstance(by, str) and by in TIME_UNITS:
        keys = _periods(table, TIME_UNITS[by], by)
    elif isinstance(by, str):
        raise ValueError(
            f"by={by!r} is not a column of the table, and neither a time unit {sorted(TIME_UNITS)} "
            f"nor 'account'; pass one of the columns {list(table.columns)}, 'account', or a Series indexed by "
            f"{ids} (e.g. a ThemeScorer's predictions)"
        )
    elif isinstance(by, (pd.Series, Mapping)):
        found = table[ids].map(pd.Series(by) if isinstance(by, Mapping) else by)
        keys = pd.Series(found.astype("string").to_numpy(dtype=object), index=table.index)
    else:
        raise TypeError(
            f"by must be None, a column name, a calendar unit or a Series indexed by {ids}; got {type(by).__name__}"
        )
    keys = keys.where(keys.notna(), MISSING_GROUP)
    if period is None:
        return keys
    periods = _periods(table, period, f"period={period!r}")
    periods = periods.where(periods.notna(), MISSING_GROUP)
    return periods if by is None else keys + " | " + periods

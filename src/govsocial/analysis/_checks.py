"""Checks shared by the engagement verbs: a posts table with the columns a verb needs, and the
hint that says how to carry a missing column in.

Example
-------
>>> carry_hint("followers")[:33]
'read an export that has followers'
"""

from __future__ import annotations

from typing import Any, Sequence

import pandas as pd

from ..core.exceptions import InputError

__all__ = ["METRICS", "carry_hint", "need_columns", "need_table"]

METRICS = ("likes", "shares", "replies")


def carry_hint(*columns: str) -> str:
    """What to do when a column is missing: read an export that has it, or name the CSV column.

    Example
    -------
    >>> "columns={'likes': ...}" in carry_hint("likes")
    True
    """
    mapping = ", ".join(f"{c!r}: ..." for c in columns)
    return (
        f"read an export that has {', '.join(columns)}, or name the CSV column(s) holding "
        f"{'it' if len(columns) == 1 else 'them'}: read_posts(..., columns={{{mapping}}})"
    )


def need_columns(posts: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    """Refuse anything but a posts table with ``columns``, naming the verb (``what``).

    Example
    -------
    >>> need_columns(pd.DataFrame({"likes": []}), ["likes"], "bonson_metrics") is None
    True
    """
    if not isinstance(posts, pd.DataFrame):
        raise TypeError(f"{what} takes a posts table (pandas DataFrame); got {type(posts).__name__}")
    missing = [c for c in columns if c not in posts.columns]
    if missing:
        raise InputError(
            f"{what} needs the posts table's columns {missing}",
            field=missing[0],
            hint="read posts with govsocial.read_posts (its table has every schema column)",
        )


def need_table(table: Any, columns: Sequence[str], what: str, hint: str) -> None:
    """Refuse anything but a DataFrame with ``columns``; ``hint`` says where such a table comes from.

    Example
    -------
    >>> need_table(pd.DataFrame({"post_id": []}), ["post_id"], "threads", "pass a posts table") is None
    True
    """
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"{what} takes a pandas DataFrame; got {type(table).__name__}")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise InputError(f"{what} needs the columns {missing}", field=missing[0], hint=hint)

"""What the Dask aggregations share: importing dask with the install line when it is missing,
computing on a client or the current scheduler, and checking a dask DataFrame's columns."""

from __future__ import annotations

from typing import Any, Sequence

from ..core.exceptions import InputError, MissingDependencyError


def _dask() -> tuple[Any, Any]:
    try:
        import dask
        import dask.dataframe as dd
    except ImportError:
        raise MissingDependencyError("dask", extra="dask") from None
    return dask, dd


def _compute(client: Any, *values: Any) -> tuple[Any, ...]:
    if client is not None:
        return tuple(client.compute(list(values), sync=True))
    return tuple(_dask()[0].compute(*values))


def _need(frame: Any, columns: Sequence[str], what: str) -> None:
    if not hasattr(frame, "map_partitions"):
        raise TypeError(f"{what} takes a dask DataFrame; got {type(frame).__name__} (use the single-process verb)")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(
            f"{what} needs the columns {missing}",
            field=missing[0],
            hint="read posts with govsocial.read_posts(..., engine='dask')",
        )

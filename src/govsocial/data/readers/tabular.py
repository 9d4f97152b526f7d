"""Generic readers: any CSV / TSV or Parquet file, given which column holds what
(``columns=``), with the platform name, a time zone for naive timestamps and extra
columns to carry along. CrowdTangle exports have their own reader
(:mod:`govsocial.data.readers.crowdtangle`).
"""

from __future__ import annotations

import os
from datetime import datetime, timezone, tzinfo
from typing import IO, Any, Iterator, Mapping, Sequence
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ...core.exceptions import InputError
from ._csv import SEP, csv_sep, iter_csv
from ._fields import aware_utc, check_decoded, parse_iso, to_bool, to_count, to_str, to_text
from ._records import Item, RecordError
from ._spec import ReadContext, ReaderOption, ReaderSpec

__all__ = ["iter_generic_csv", "iter_generic_parquet", "CSV", "PARQUET"]


# --------------------------------------------------------------------------- generic

_TEXTUAL = (
    "platform",
    "account_id",
    "account_name",
    "lang",
    "reply_to_post_id",
    "reply_to_account_id",
    "conversation_id",
)
_COUNTS = ("likes", "shares", "replies", "quotes", "views", "followers")
_ALLOWED = ("post_id", "text", "created_at", "is_repost", "account_type") + _TEXTUAL + _COUNTS


def check_mapping(
    columns: Mapping[str, str] | None, header: Sequence[str], source: str, extra_columns: Sequence[str]
) -> dict[str, str]:
    """Resolve a schema→source column mapping against a file's header."""
    mapping = dict(columns or {})
    unknown = [k for k in mapping if k not in _ALLOWED]
    if unknown:
        raise InputError(
            f"columns= maps unknown schema field(s) {', '.join(map(repr, unknown))}",
            source=source,
            hint=f"keys must be schema columns: {', '.join(_ALLOWED)}",
        )
    for name in _ALLOWED:
        if name not in mapping and name in header:
            mapping[name] = name
    absent = {k: v for k, v in mapping.items() if v not in header}
    if absent:
        raise InputError(
            "mapped column(s) not in the file: " + ", ".join(f"{k}→{v!r}" for k, v in absent.items()),
            source=source,
            line=1,
            hint=f"the header has: {', '.join(map(repr, list(header)[:20]))}",
        )
    if "text" not in mapping:
        raise InputError(
            "no text column", source=source, line=1, hint="name it 'text' or pass columns={'text': '<your column>'}"
        )
    missing_extra = [c for c in extra_columns if c not in header]
    if missing_extra:
        raise InputError(f"extra_columns not in the file: {', '.join(map(repr, missing_extra))}", source=source, line=1)
    return mapping


def _generic_time(value: Any, tz: Any) -> datetime | None:
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, datetime):
        return aware_utc(value, "created_at", value, tz)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = value / 1000 if abs(value) > 1e11 else value
        return aware_utc(datetime.fromtimestamp(seconds, tz=timezone.utc), "created_at", value)
    if isinstance(value, str) and value.strip().isdigit():
        return _generic_time(int(value.strip()), tz)
    return parse_iso(value, "created_at", tz)


def generic_row(
    record: Mapping[str, Any],
    mapping: Mapping[str, str],
    *,
    platform: str,
    tz: Any,
    default_id: str,
    extra_columns: Sequence[str],
) -> dict[str, Any]:
    """Convert one generic record (CSV row or Parquet row) with a column mapping."""

    def get(name: str) -> Any:
        col = mapping.get(name)
        return record.get(col) if col is not None else None

    post_id = to_str(get("post_id"), "post_id", required=True) if "post_id" in mapping else default_id
    try:
        row: dict[str, Any] = {
            "post_id": post_id,
            "platform": to_str(get("platform"), "platform") or platform,
            "text": to_text(get("text"), mapping["text"]),
            "created_at": _generic_time(get("created_at"), tz) if "created_at" in mapping else None,
            "is_repost": to_bool(get("is_repost"), "is_repost"),
        }
        for name in _TEXTUAL[1:]:
            row[name] = to_str(get(name), mapping.get(name, name))
        for name in _COUNTS:
            row[name] = to_count(get(name), mapping.get(name, name))
        if "account_type" in mapping:
            kind = (to_str(get("account_type"), "account_type") or "unknown").strip().lower()
            if kind not in ("government", "citizen", "unknown"):
                raise RecordError(
                    "account_type", f"unknown account type {kind[:30]!r}", hint="use government, citizen or unknown"
                )
            row["account_type"] = kind
        for name in extra_columns:
            value = record.get(name)
            row[name] = check_decoded(value, name) if isinstance(value, str) else value
    except RecordError as err:
        err.post_id = post_id
        raise
    return row


def iter_generic_csv(
    handle: IO[str],
    ctx: ReadContext | None = None,
    *,
    sep: str | None = None,
    columns: Mapping[str, str] | None = None,
    platform: str = "generic",
    tz: tzinfo | None = None,
    extra_columns: Sequence[str] = (),
) -> Iterator[Item]:
    """Stream posts from any CSV/TSV file, given which column holds what.

    Columns named like the schema are used as they are; ``columns`` maps
    schema names to other column names. Without a ``post_id`` column, ids are
    ``<file stem>:<line>`` (noted in ``ctx``). Naive timestamps need ``tz``.

    Example
    -------
    >>> import io
    >>> rows = "id,message,when\\n1,Hello,2023-01-01T00:00:00Z\\n"
    >>> item = next(iter_generic_csv(io.StringIO(rows), columns={"post_id": "id", "text": "message",
    ...                                                         "created_at": "when"}))
    >>> item.row["post_id"], item.row["text"]
    ('1', 'Hello')
    """
    ctx = ctx or ReadContext()
    source = ctx.source
    header, rows = iter_csv(handle, source, csv_sep(source, sep))
    if not header:
        return
    mapping = check_mapping(columns, header, source, extra_columns)
    if "post_id" not in mapping:
        ctx.note_line_based_ids()
    stem = _stem(source)
    for line, row in rows:
        if isinstance(row, RecordError):
            yield Item(line, None, error=row)
            continue
        try:
            yield Item(
                line,
                None,
                row=generic_row(
                    row, mapping, platform=platform, tz=tz, default_id=f"{stem}:{line}", extra_columns=extra_columns
                ),
            )
        except RecordError as err:
            yield Item(line, None, error=err)


def iter_generic_parquet(
    path: str,
    ctx: ReadContext | None = None,
    *,
    columns: Mapping[str, str] | None = None,
    platform: str = "generic",
    tz: tzinfo | None = None,
    extra_columns: Sequence[str] = (),
    batch_size: int = 65_536,
) -> Iterator[Item]:
    """Stream posts from a Parquet file in record batches (same options as CSV).

    ``line`` in rejects is the 1-based row number in the file; without a
    ``post_id`` column ids are ``<file stem>:<row>``.

    Example
    -------
    >>> import tempfile, os, pandas as pd
    >>> p = os.path.join(tempfile.mkdtemp(), "p.parquet")
    >>> pd.DataFrame({"id": ["1"], "body": ["Hi"]}).to_parquet(p)
    >>> next(iter_generic_parquet(p, columns={"post_id": "id", "text": "body"})).row["text"]
    'Hi'
    """
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several unrelated types here
        raise InputError(f"not a readable Parquet file ({exc})", source=path) from None
    header = pf.schema_arrow.names
    mapping = check_mapping(columns, header, path, extra_columns)
    if "post_id" not in mapping:
        (ctx or ReadContext(path)).note_line_based_ids()
    wanted = sorted(set(mapping.values()) | set(extra_columns))
    stem = _stem(path)
    n = 0
    for batch in pf.iter_batches(batch_size=batch_size, columns=wanted):
        for record in batch.to_pylist():
            n += 1
            try:
                yield Item(
                    n,
                    None,
                    row=generic_row(
                        record, mapping, platform=platform, tz=tz, default_id=f"{stem}:{n}", extra_columns=extra_columns
                    ),
                )
            except RecordError as err:
                yield Item(n, None, error=err)


def _stem(path: str) -> str:
    name = os.path.basename(path)
    for suffix in (".gz", ".csv", ".tsv", ".txt", ".parquet"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
    return name or "row"


# --------------------------------------------------------------------------- options


def _zone(value: str | tzinfo) -> tzinfo:
    if isinstance(value, tzinfo):
        return value
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(
            f"unknown time zone {value!r}", field="tz", hint="use an IANA name such as 'Australia/Sydney' or 'UTC'"
        ) from None


def _column_names(value: Sequence[Any]) -> tuple[str, ...]:
    wrong = [v for v in value if not isinstance(v, str)]
    if wrong:
        raise InputError(
            f"extra_columns= must list column names; got {wrong[0]!r}",
            field="extra_columns",
            hint="e.g. extra_columns=['coded_as']",
        )
    return tuple(value)


COLUMNS = ReaderOption(
    "columns",
    Mapping,
    "schema column → file column, e.g. {'text': 'message'}; columns named like the schema are used as they are",
)
PLATFORM = ReaderOption("platform", str, "platform name for rows without a platform column", default="generic")
TZ = ReaderOption("tz", (str, tzinfo), "time zone of naive timestamps, e.g. 'Australia/Sydney'", convert=_zone)
EXTRA_COLUMNS = ReaderOption(
    "extra_columns",
    (list, tuple),
    "file columns to carry along unchanged (e.g. a hand-coded label)",
    default=(),
    convert=_column_names,
)

CSV = ReaderSpec(
    "csv",
    "csv",
    iter_generic_csv,
    "any CSV/TSV with a column mapping (columns=...)",
    fallback=True,
    options=(COLUMNS, PLATFORM, TZ, EXTRA_COLUMNS, SEP),
)
PARQUET = ReaderSpec(
    "parquet",
    "parquet",
    iter_generic_parquet,
    "any Parquet file with a column mapping (columns=...)",
    fallback=True,
    options=(COLUMNS, PLATFORM, TZ, EXTRA_COLUMNS),
)

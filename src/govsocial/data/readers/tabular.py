"""Tabular readers: Facebook posts exported by CrowdTangle (CSV), and generic
CSV / TSV / Parquet files with a column mapping.

CrowdTangle mapping
-------------------
==================  ===========================================================
schema              CrowdTangle column
==================  ===========================================================
post_id             numeric id in ``URL`` (``…/posts/<id>``), else the ``URL``
account_id          ``Facebook Id``
account_name        ``User Name`` (else ``Page Name``)
created_at          ``Post Created`` (``2021-03-01 10:00:05 EST``)
text                ``Message``, then ``Link Text`` and ``Description``
likes               sum of the reaction columns (Likes, Love, Wow, Haha, Sad,
                    Angry, Care) present
shares / replies    ``Shares`` / ``Comments``
views               ``Post Views`` (else ``Total Views``)
followers           ``Followers at Posting`` (else ``Likes at Posting``)
==================  ===========================================================
"""

from __future__ import annotations

import os
import re
from datetime import datetime, timezone
from typing import IO, Any, Iterator, Mapping, Sequence

from ...core.exceptions import InputError
from ._csv import iter_csv
from ._fields import (
    aware_utc,
    check_decoded,
    parse_iso,
    to_bool,
    to_count,
    to_str,
    to_text,
    utc_from_offset,
)
from ._records import Item, RecordError

__all__ = ["iter_crowdtangle", "iter_generic_csv", "iter_generic_parquet", "looks_like_crowdtangle"]


# --------------------------------------------------------------------------- CrowdTangle

CT_REQUIRED = ("Message", "Post Created", "URL")
_REACTIONS = ("Likes", "Love", "Wow", "Haha", "Sad", "Angry", "Care")
_TZ_ABBREV = {
    "UTC": 0, "GMT": 0, "Z": 0, "BST": 1, "CET": 1, "CEST": 2, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5,
    "MST": -7, "MDT": -6, "PST": -8, "PDT": -7, "AKST": -9, "AKDT": -8, "HST": -10,
    "AEST": 10, "AEDT": 11, "ACST": 9.5, "ACDT": 10.5, "AWST": 8, "NZST": 12, "NZDT": 13,
}
_POST_ID = re.compile(r"(?:/posts/|/videos/|/photos/[^/]+/|story_fbid=|fbid=|/permalink/)(\d+)")


def looks_like_crowdtangle(header: Sequence[str]) -> bool:
    """True when a CSV header has CrowdTangle's post columns.

    Example
    -------
    >>> looks_like_crowdtangle(["Page Name", "Message", "Post Created", "URL"])
    True
    """
    return all(c in header for c in CT_REQUIRED)


def _ct_time(value: str) -> datetime:
    check_decoded(value, "Post Created")
    s = value.strip()
    if not s:
        raise RecordError("Post Created", "missing timestamp")
    parts = s.rsplit(" ", 1)
    if len(parts) == 2 and parts[1].isalpha():
        abbrev = parts[1].upper()
        if abbrev not in _TZ_ABBREV:
            raise RecordError("Post Created", f"unknown time zone abbreviation {parts[1]!r}",
                              hint=f"known: {', '.join(sorted(_TZ_ABBREV))}")
        try:
            naive = datetime.fromisoformat(parts[0])
        except ValueError:
            raise RecordError("Post Created", f"unparseable timestamp {s[:40]!r}",
                              hint="expected e.g. '2021-03-01 10:00:05 EST'") from None
        if naive.tzinfo is not None:
            raise RecordError("Post Created", f"two time zones in {s[:40]!r}")
        return utc_from_offset(naive, _TZ_ABBREV[abbrev])
    try:
        dt = datetime.fromisoformat(s)
    except ValueError:
        raise RecordError("Post Created", f"unparseable timestamp {s[:40]!r}",
                          hint="expected e.g. '2021-03-01 10:00:05 EST'") from None
    return aware_utc(dt, "Post Created", s)


def iter_crowdtangle(handle: IO[str], *, source: str = "<stream>", sep: str = ",", **_: Any) -> Iterator[Item]:
    """Stream Facebook posts from a CrowdTangle CSV export.

    Example
    -------
    >>> import io
    >>> csv_text = ("Page Name,User Name,Facebook Id,Post Created,Message,URL,Likes,Love,Comments,Shares\\n"
    ...             "Health Dept,healthdept,100,2021-03-01 10:00:05 EST,Get vaccinated,"
    ...             "https://www.facebook.com/healthdept/posts/123,10,2,3,4\\n")
    >>> row = next(iter_crowdtangle(io.StringIO(csv_text))).row
    >>> row["post_id"], row["likes"], row["created_at"].isoformat()
    ('123', 12, '2021-03-01T15:00:05+00:00')
    """
    header, rows = iter_csv(handle, source, sep)
    if not header:
        return
    missing = [c for c in CT_REQUIRED if c not in header]
    if missing:
        raise InputError(
            f"not a CrowdTangle export: column(s) {', '.join(map(repr, missing))} missing",
            source=source, line=1, hint="use format='csv' with a columns= mapping for other CSV files",
        )
    reactions = [c for c in _REACTIONS if c in header]
    for line, row in rows:
        if isinstance(row, RecordError):
            yield Item(line, None, error=row)
            continue
        try:
            yield Item(line, None, row=_ct_row(row, reactions))
        except RecordError as err:
            yield Item(line, None, error=err)


def _ct_row(row: dict[str, str], reactions: list[str]) -> dict[str, Any]:
    url = to_str(row.get("URL"), "URL", required=True)
    assert url is not None
    m = _POST_ID.search(url)
    post_id = m.group(1) if m else url.strip()
    text_parts = [row.get(c, "") for c in ("Message", "Link Text", "Description")]
    text_parts = [check_decoded(p, c).strip() for p, c in zip(text_parts, ("Message", "Link Text", "Description"))]
    text = "\n\n".join(p for p in text_parts if p)
    likes = None
    for c in reactions:
        n = to_count(row.get(c), c)
        if n is not None:
            likes = (likes or 0) + n
    views = to_count(row.get("Post Views"), "Post Views")
    if views is None:
        views = to_count(row.get("Total Views"), "Total Views")
    followers = to_count(row.get("Followers at Posting"), "Followers at Posting")
    if followers is None:
        followers = to_count(row.get("Likes at Posting"), "Likes at Posting")
    try:
        record = {
            "post_id": post_id,
            "platform": "facebook",
            "account_id": to_str(row.get("Facebook Id"), "Facebook Id"),
            "account_name": to_str(row.get("User Name"), "User Name") or to_str(row.get("Page Name"), "Page Name"),
            "created_at": _ct_time(row.get("Post Created", "")),
            "text": to_text(text, "Message"),
            "lang": None,
            "reply_to_post_id": None,
            "reply_to_account_id": None,
            "conversation_id": None,
            "is_repost": False,
            "likes": likes,
            "shares": to_count(row.get("Shares"), "Shares"),
            "replies": to_count(row.get("Comments"), "Comments"),
            "quotes": None,
            "views": views,
            "followers": followers,
        }
    except RecordError as err:
        err.post_id = post_id
        raise
    return record


# --------------------------------------------------------------------------- generic

_TEXTUAL = ("platform", "account_id", "account_name", "lang", "reply_to_post_id", "reply_to_account_id",
            "conversation_id")
_COUNTS = ("likes", "shares", "replies", "quotes", "views", "followers")
_ALLOWED = ("post_id", "text", "created_at", "is_repost", "account_type") + _TEXTUAL + _COUNTS


def check_mapping(columns: Mapping[str, str] | None, header: Sequence[str], source: str,
                  extra_columns: Sequence[str]) -> dict[str, str]:
    """Resolve a schema→source column mapping against a file's header."""
    mapping = dict(columns or {})
    unknown = [k for k in mapping if k not in _ALLOWED]
    if unknown:
        raise InputError(
            f"columns= maps unknown schema field(s) {', '.join(map(repr, unknown))}",
            source=source, hint=f"keys must be schema columns: {', '.join(_ALLOWED)}",
        )
    for name in _ALLOWED:
        if name not in mapping and name in header:
            mapping[name] = name
    absent = {k: v for k, v in mapping.items() if v not in header}
    if absent:
        raise InputError(
            "mapped column(s) not in the file: " + ", ".join(f"{k}→{v!r}" for k, v in absent.items()),
            source=source, line=1, hint=f"the header has: {', '.join(map(repr, list(header)[:20]))}",
        )
    if "text" not in mapping:
        raise InputError("no text column", source=source, line=1,
                         hint="name it 'text' or pass columns={'text': '<your column>'}")
    missing_extra = [c for c in extra_columns if c not in header]
    if missing_extra:
        raise InputError(f"extra_columns not in the file: {', '.join(map(repr, missing_extra))}", source=source,
                         line=1)
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


def generic_row(record: Mapping[str, Any], mapping: Mapping[str, str], *, platform: str, tz: Any,
                default_id: str, extra_columns: Sequence[str]) -> dict[str, Any]:
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
                raise RecordError("account_type", f"unknown account type {kind[:30]!r}",
                                  hint="use government, citizen or unknown")
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
    *,
    source: str = "<stream>",
    sep: str = ",",
    columns: Mapping[str, str] | None = None,
    platform: str = "generic",
    tz: Any = None,
    extra_columns: Sequence[str] = (),
    line_based: list[str] | None = None,
    **_: Any,
) -> Iterator[Item]:
    """Stream posts from any CSV/TSV file, given which column holds what.

    Columns named like the schema are used as they are; ``columns`` maps
    schema names to other column names. Without a ``post_id`` column, ids are
    ``<file stem>:<line>`` (and ``source`` is appended to ``line_based`` when
    that list is given). Naive timestamps need ``tz``.

    Example
    -------
    >>> import io
    >>> rows = "id,message,when\\n1,Hello,2023-01-01T00:00:00Z\\n"
    >>> item = next(iter_generic_csv(io.StringIO(rows), columns={"post_id": "id", "text": "message",
    ...                                                         "created_at": "when"}))
    >>> item.row["post_id"], item.row["text"]
    ('1', 'Hello')
    """
    header, rows = iter_csv(handle, source, sep)
    if not header:
        return
    mapping = check_mapping(columns, header, source, extra_columns)
    if "post_id" not in mapping and line_based is not None:
        line_based.append(source)
    stem = _stem(source)
    for line, row in rows:
        if isinstance(row, RecordError):
            yield Item(line, None, error=row)
            continue
        try:
            yield Item(line, None, row=generic_row(row, mapping, platform=platform, tz=tz,
                                                   default_id=f"{stem}:{line}", extra_columns=extra_columns))
        except RecordError as err:
            yield Item(line, None, error=err)


def iter_generic_parquet(
    path: str,
    *,
    columns: Mapping[str, str] | None = None,
    platform: str = "generic",
    tz: Any = None,
    extra_columns: Sequence[str] = (),
    batch_size: int = 65_536,
    line_based: list[str] | None = None,
    **_: Any,
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
    if "post_id" not in mapping and line_based is not None:
        line_based.append(path)
    wanted = sorted(set(mapping.values()) | set(extra_columns))
    stem = _stem(path)
    n = 0
    for batch in pf.iter_batches(batch_size=batch_size, columns=wanted):
        for record in batch.to_pylist():
            n += 1
            try:
                yield Item(n, None, row=generic_row(record, mapping, platform=platform, tz=tz,
                                                    default_id=f"{stem}:{n}", extra_columns=extra_columns))
            except RecordError as err:
                yield Item(n, None, error=err)


def _stem(path: str) -> str:
    name = os.path.basename(path)
    for suffix in (".gz", ".csv", ".tsv", ".txt", ".parquet"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
    return name or "row"

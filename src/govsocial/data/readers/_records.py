"""Shared machinery of the readers: opening files, streaming records, converting
fields, and collecting posts and rejects.

Each platform reader is a generator of :class:`Item` — a record locator plus
either a row (a ``dict`` keyed by schema column) or a :class:`RecordError`. The
:class:`Collector` turns those into the posts table and the rejects table, so
that every record read is either loaded or rejected with a reason.
"""

from __future__ import annotations

import gzip
import io
import json
import logging
import os
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import IO, Any, Iterable, Iterator

import pandas as pd

from ...core.exceptions import InputError
from ...core.schema import conform, empty_posts

log = logging.getLogger(__name__)

REJECT_COLUMNS = ("source", "line", "record", "field", "reason", "hint", "post_id")
CHUNK_ROWS = 50_000


class RecordError(Exception):
    """Raised inside a reader while converting one record; becomes a reject."""

    def __init__(self, field: str | None, reason: str, hint: str | None = None, post_id: str | None = None):
        super().__init__(reason)
        self.field = field
        self.reason = reason
        self.hint = hint
        self.post_id = post_id


@dataclass
class Item:
    """One record read from a source: where it was and what came of it."""

    line: int | None
    record: str | None
    row: dict[str, Any] | None = None
    error: RecordError | None = None


# --------------------------------------------------------------------------- files


def open_text(path: str | os.PathLike[str], encoding: str = "utf-8") -> IO[str]:
    """Open a (possibly gzip-compressed) text file for streaming.

    Undecodable bytes are kept as surrogate escapes so that the record holding
    them can be rejected with a precise reason instead of failing the file.
    """
    path = os.fspath(path)
    try:
        raw = open(path, "rb")
    except FileNotFoundError:
        raise InputError("file not found", source=path, hint="check the path") from None
    except IsADirectoryError:
        raise InputError("is a directory, not a file", source=path, hint="pass the files inside it") from None
    except OSError as exc:
        raise InputError(f"cannot open file ({exc.strerror})", source=path) from None
    head = raw.peek(2)[:2] if hasattr(raw, "peek") else b""
    stream: IO[bytes] = raw
    if head == b"\x1f\x8b":
        stream = gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[assignment]
    enc = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
    try:
        return io.TextIOWrapper(stream, encoding=enc, errors="surrogateescape", newline="")
    except LookupError:
        raw.close()
        raise InputError(f"unknown encoding {encoding!r}", source=path, hint="pass a codec name such as 'utf-8' or 'cp1252'") from None


_SURROGATE = re.compile("[\udc80-\udcff]")


def check_decoded(value: str, field: str, encoding: str = "utf-8") -> str:
    """Reject a string that holds bytes the file's encoding could not decode."""
    m = _SURROGATE.search(value)
    if m:
        byte = ord(m.group()) - 0xDC00
        raise RecordError(
            field,
            f"not valid {encoding} text (byte 0x{byte:02x} at character {m.start()})",
            hint="re-save the file as UTF-8, or pass the file's encoding, e.g. encoding='cp1252'",
        )
    return value


# --------------------------------------------------------------------------- JSON streams


def iter_json_objects(handle: IO[str]) -> Iterator[tuple[int | None, str | None, Any]]:
    """Yield ``(line, locator, object_or_RecordError)`` from a JSON file.

    Understands JSON Lines (one value per line, streamed), a single JSON
    document (pretty-printed or not), and a JSON array of records, which is
    parsed element by element so that a truncated array keeps every record
    before the break.
    """
    first = _read_first_nonblank_line(handle)
    if first is None:
        return
    lineno, text = first
    stripped = text.lstrip()
    if stripped.startswith("["):
        rest = handle.read()
        yield from _iter_json_array(text + rest, lineno)
        return
    try:
        value = json.loads(text)
    except ValueError:
        value = _NOT_JSON
    if value is _NOT_JSON and stripped.startswith("{"):
        rest = handle.read()
        try:
            yield lineno, None, json.loads(text + rest)
            return
        except ValueError:
            # Not one document: treat as JSON Lines so good lines survive.
            lines = (text + rest).splitlines(keepends=True)
            yield from _iter_jsonl(iter(lines), lineno)
            return
    yield from _iter_jsonl(_chain([text], handle), lineno)


_NOT_JSON = object()


def _chain(first: list[str], rest: Iterable[str]) -> Iterator[str]:
    yield from first
    yield from rest


def _read_first_nonblank_line(handle: IO[str]) -> tuple[int, str] | None:
    lineno = 0
    for line in handle:
        lineno += 1
        if line.strip():
            return lineno, line
    return None


def _iter_jsonl(lines: Iterator[str], start: int) -> Iterator[tuple[int | None, str | None, Any]]:
    lineno = start - 1
    for line in lines:
        lineno += 1
        if not line.strip():
            continue
        try:
            yield lineno, None, json.loads(line)
        except ValueError as exc:
            reason = "line is not valid JSON"
            if not line.endswith("\n"):
                reason = "last line is not valid JSON (the file looks truncated)"
            yield lineno, None, RecordError(None, f"{reason}: {_json_msg(exc)}", hint="fix or remove the line")


def _json_msg(exc: ValueError) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg} at column {exc.colno}"
    return str(exc)


_DECODER = json.JSONDecoder()
_WS = re.compile(r"[ \t\n\r]*")


def _iter_json_array(text: str, first_line: int) -> Iterator[tuple[int | None, str | None, Any]]:
    pos = text.index("[") + 1
    index = 0
    line = first_line
    counted = 0

    def line_at(p: int) -> int:
        nonlocal line, counted
        line += text.count("\n", counted, p)
        counted = p
        return line

    while True:
        pos = _WS.match(text, pos).end()  # type: ignore[union-attr]
        if pos >= len(text):
            yield line_at(pos), f"[{index}]", RecordError(
                None, "the JSON array ends without ']' (the file looks truncated)", hint="re-export the file"
            )
            return
        if text[pos] == "]" and index == 0:
            return
        try:
            value, end = _DECODER.raw_decode(text, pos)
        except ValueError as exc:
            yield line_at(pos), f"[{index}]", RecordError(
                None,
                f"invalid JSON in the array ({_json_msg(exc)}); records after this point could not be read",
                hint="the file looks truncated or corrupted; re-export it",
            )
            return
        yield line_at(pos), f"[{index}]", value
        index += 1
        pos = _WS.match(text, end).end()  # type: ignore[union-attr]
        if pos < len(text) and text[pos] == ",":
            pos += 1
            continue
        if pos < len(text) and text[pos] == "]":
            return
        yield line_at(pos), f"[{index}]", RecordError(
            None, "the JSON array is truncated or broken after this record", hint="re-export the file"
        )
        return


# --------------------------------------------------------------------------- field conversion


def get_path(obj: Any, *keys: str | int) -> Any:
    """``obj[k1][k2]...`` or None where any step is missing."""
    for key in keys:
        if isinstance(key, int):
            if not isinstance(obj, list) or len(obj) <= key:
                return None
        elif not isinstance(obj, dict):
            return None
        obj = obj[key] if isinstance(key, int) else obj.get(key)
        if obj is None:
            return None
    return obj


def to_str(value: Any, field: str, *, required: bool = False) -> str | None:
    """A string field; numbers are accepted as ids (``123`` → ``'123'``)."""
    if value is None or (isinstance(value, float) and value != value):
        if required:
            raise RecordError(field, "missing value", hint=f"every record needs '{field}'")
        return None
    if isinstance(value, bool):
        raise RecordError(field, f"expected text, got boolean {value}")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if not isinstance(value, str):
        raise RecordError(field, f"expected text, got {type(value).__name__}")
    check_decoded(value, field)
    if required and not value.strip():
        raise RecordError(field, "empty value", hint=f"every record needs '{field}'")
    return value if value != "" else None


def to_text(value: Any, field: str) -> str:
    """The post text: required, decoded, not blank."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise RecordError(field, "missing text", hint="posts without text cannot be analysed; they are rejected")
    text = to_str(value, field, required=True)
    assert text is not None
    return text


_COUNT_STR = re.compile(r"^\s*\d{1,3}(?:,\d{3})+\s*$|^\s*\d+\s*$")


def to_count(value: Any, field: str) -> int | None:
    """A non-negative integer count; None when absent."""
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, bool):
        raise RecordError(field, f"expected a count, got boolean {value}")
    if isinstance(value, int):
        n = value
    elif isinstance(value, float) and value.is_integer():
        n = int(value)
    elif isinstance(value, str):
        check_decoded(value, field)
        s = value.strip()
        if s.startswith("-") and _COUNT_STR.match(s[1:]):
            n = -int(s[1:].replace(",", ""))
        elif _COUNT_STR.match(s):
            n = int(s.replace(",", ""))
        else:
            raise RecordError(field, f"not a count: {value[:40]!r}", hint="counts must be whole numbers >= 0")
    else:
        raise RecordError(field, f"not a count: {type(value).__name__}", hint="counts must be whole numbers >= 0")
    if n < 0:
        raise RecordError(field, f"negative count {n}", hint="counts must be whole numbers >= 0")
    if n >= 2**63:
        raise RecordError(field, f"count {n} is too large")
    return n


_TRUE = {"true", "t", "yes", "y", "1"}
_FALSE = {"false", "f", "no", "n", "0", ""}


def to_bool(value: Any, field: str) -> bool:
    """A boolean flag; missing means False."""
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        s = value.strip().lower()
        if s in _TRUE:
            return True
        if s in _FALSE:
            return False
    raise RecordError(field, f"not a true/false value: {str(value)[:40]!r}")


_MIN_TIME = datetime(1990, 1, 1, tzinfo=timezone.utc)
_MAX_TIME = datetime(2200, 1, 1, tzinfo=timezone.utc)


def aware_utc(dt: datetime, field: str, raw: Any, tz: Any = None) -> datetime:
    """Make ``dt`` UTC; naive values need ``tz`` (a tzinfo) or are rejected."""
    if dt.tzinfo is None or dt.utcoffset() is None:
        if tz is None:
            raise RecordError(
                field,
                f"timestamp {str(raw)[:40]!r} has no time zone",
                hint="pass tz='UTC' (or the zone the export used, e.g. tz='Australia/Sydney')",
            )
        dt = dt.replace(tzinfo=tz)
    dt = dt.astimezone(timezone.utc)
    if not (_MIN_TIME <= dt < _MAX_TIME):
        raise RecordError(field, f"timestamp {str(raw)[:40]!r} is outside 1990-2199")
    return dt


def parse_iso(value: Any, field: str, tz: Any = None, *, required: bool = True) -> datetime | None:
    """Parse an ISO 8601 timestamp such as ``2021-03-04T05:06:07.000Z``."""
    if value is None or value == "":
        if required:
            raise RecordError(field, "missing timestamp")
        return None
    if not isinstance(value, str):
        raise RecordError(field, f"expected an ISO 8601 timestamp, got {type(value).__name__}")
    check_decoded(value, field)
    try:
        dt = datetime.fromisoformat(value.strip())
    except ValueError:
        raise RecordError(
            field, f"unparseable timestamp {value[:40]!r}", hint="expected ISO 8601, e.g. 2021-03-04T05:06:07Z"
        ) from None
    return aware_utc(dt, field, value, tz)


# --------------------------------------------------------------------------- progress


class ByteProgress:
    """A tqdm progress bar over the bytes of a file (no-op when disabled)."""

    def __init__(self, path: str, enabled: bool):
        self._bar = None
        if enabled:
            from tqdm.auto import tqdm

            size = os.path.getsize(path)
            self._bar = tqdm(total=size, unit="B", unit_scale=True, desc=os.path.basename(path), leave=False)
            self._raw: IO[bytes] | None = None

    def attach(self, handle: IO[str]) -> None:
        if self._bar is None:
            return
        raw = handle
        while hasattr(raw, "buffer") or hasattr(raw, "fileobj"):
            raw = getattr(raw, "buffer", None) or getattr(raw, "fileobj")
        self._raw = raw  # type: ignore[assignment]

    def tick(self) -> None:
        if self._bar is not None and self._raw is not None:
            try:
                pos = self._raw.tell()
            except (OSError, ValueError):
                return
            self._bar.update(pos - self._bar.n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


# --------------------------------------------------------------------------- collecting


class Collector:
    """Accumulate loaded rows and rejects from any number of sources.

    Rows are gathered column-wise and converted to typed DataFrame chunks every
    :data:`CHUNK_ROWS` rows, so memory stays proportional to the table itself.
    Duplicate ``post_id`` values (within or across sources) are rejected, the
    first occurrence is kept.
    """

    def __init__(self, errors: str = "report"):
        if errors not in ("report", "raise"):
            raise ValueError(f"errors must be 'report' or 'raise'; got {errors!r}")
        self.errors = errors
        self._rows: list[dict[str, Any]] = []
        self._chunks: list[pd.DataFrame] = []
        self._rejects: list[tuple[Any, ...]] = []
        self._seen: dict[str, tuple[str, int | None]] = {}
        self.read = 0

    def add(self, source: str, item: Item) -> None:
        self.read += 1
        if item.error is None and item.row is not None:
            post_id = item.row["post_id"]
            first = self._seen.get(post_id)
            if first is None:
                self._seen[post_id] = (source, item.line)
                self._rows.append(item.row)
                if len(self._rows) >= CHUNK_ROWS:
                    self._flush()
                return
            where = f"{os.path.basename(first[0])} line {first[1]}" if first[1] is not None else first[0]
            item.error = RecordError(
                "post_id", f"duplicate post_id {post_id!r} (first seen at {where})", post_id=post_id,
                hint="the first occurrence was kept",
            )
        assert item.error is not None
        err = item.error
        if self.errors == "raise":
            raise InputError(
                err.reason, source=source, line=item.line, record=item.record, field=err.field,
                hint=(err.hint + "; " if err.hint else "") + "or use errors='report' to load the rest and list rejects",
            )
        self._rejects.append((source, item.line, item.record, err.field, err.reason, err.hint, err.post_id))

    def _flush(self) -> None:
        if self._rows:
            self._chunks.append(conform(pd.DataFrame.from_records(self._rows)))
            self._rows = []

    def posts(self) -> pd.DataFrame:
        self._flush()
        if not self._chunks:
            return empty_posts()
        if len(self._chunks) == 1:
            return self._chunks[0]
        return pd.concat(self._chunks, ignore_index=True)

    def rejects(self) -> pd.DataFrame:
        frame = pd.DataFrame.from_records(self._rejects, columns=list(REJECT_COLUMNS))
        frame = frame.astype(
            {"source": "string", "line": "Int64", "record": "string", "field": "string", "reason": "string",
             "hint": "string", "post_id": "string"}
        )
        return frame


def utc_from_offset(dt: datetime, hours: float) -> datetime:
    """Attach a fixed UTC offset (in hours) to a naive datetime and convert to UTC."""
    return dt.replace(tzinfo=timezone(timedelta(hours=hours))).astimezone(timezone.utc)

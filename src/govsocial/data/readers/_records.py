"""Shared machinery of the readers: opening files and collecting posts and
rejects (field conversion is in :mod:`govsocial.data.readers._fields`).

Each platform reader is a generator of :class:`Item` — a record locator plus
either a row (a ``dict`` keyed by schema column) or a :class:`RecordError`. The
:class:`Collector` turns those into the posts table and the rejects table, so
that every record read is either loaded or rejected with a reason.
"""

from __future__ import annotations

import gzip
import io
import logging
import os
import zlib
from dataclasses import dataclass
from typing import IO, Any

import pandas as pd

from ...core.exceptions import InputError
from ...core.pii import redact_message
from ...core.schema import conform, empty_posts

log = logging.getLogger(__name__)

REJECT_COLUMNS = ("source", "line", "record", "field", "reason", "hint", "post_id")
CHUNK_ROWS = 50_000


class RecordError(Exception):
    """Raised inside a reader while converting one record; becomes a reject.

    Example
    -------
    >>> err = RecordError("created_at", "missing timestamp", hint="export with dates")
    >>> Item(3, None, error=err).error.field
    'created_at'
    """

    def __init__(self, field: str | None, reason: str, hint: str | None = None, post_id: str | None = None):
        super().__init__(reason)
        self.field = field
        self.reason = reason
        self.hint = hint
        self.post_id = post_id


@dataclass
class Item:
    """One record read from a source: where it was (``line``, ``record`` locator) and what
    came of it (a ``row`` keyed by schema column, or an ``error``).

    Example
    -------
    >>> item = Item(2, "data[0]", row={"post_id": "1", "text": "Clinic open"})
    >>> item.row["text"], item.error is None
    ('Clinic open', True)
    """

    line: int | None
    record: str | None
    row: dict[str, Any] | None = None
    error: RecordError | None = None


# --------------------------------------------------------------------------- files


class _SafeGzip(io.RawIOBase):
    """A gzip stream that ends where the data breaks instead of raising.

    Every byte decompressed before a truncated or corrupt part of the file is
    handed on; the error is kept in :attr:`error` so that the reader can report
    the break as a rejected entry after the records before it.
    """

    def __init__(self, raw: IO[bytes]):
        self.fileobj = raw
        self._gzip = gzip.GzipFile(fileobj=raw, mode="rb")
        self.error: Exception | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.error is not None:
            return 0
        try:
            data = self._gzip.read1(len(buffer))
        except (EOFError, OSError, zlib.error) as exc:  # gzip.BadGzipFile is an OSError
            self.error = exc
            return 0
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._gzip.close()
            self.fileobj.close()
        super().close()


def stream_error(handle: IO[str]) -> Exception | None:
    """The error that cut a gzip stream opened by :func:`open_text`, if any."""
    buffer = getattr(handle, "buffer", None)
    raw = getattr(buffer, "raw", None)
    return raw.error if isinstance(raw, _SafeGzip) else None


_UTF8 = ("utf-8", "utf8", "utf-8-sig", "utf8-sig")


def _utf16_hint(head: bytes) -> str | None:
    """Name the UTF-16 flavour of ``head`` (the first bytes of a file), or None."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    sample = head[:4096] if len(head) % 2 == 0 else head[: 4096 - 1]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16"  # little-endian without a byte-order mark (open_text reads it as utf-16-le)
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def open_text(path: str | os.PathLike[str], encoding: str = "utf-8") -> IO[str]:
    """Open a (possibly gzip-compressed) text file for streaming.

    Undecodable bytes are kept as surrogate escapes so that the record holding
    them can be rejected with a precise reason instead of failing the file. A
    gzip stream cut short ends where the break is (see :func:`stream_error`).
    UTF-16 text read as UTF-8 is refused with the encoding to pass.
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
    stream: io.BufferedReader = raw
    if raw.peek(2)[:2] == b"\x1f\x8b":
        stream = io.BufferedReader(_SafeGzip(raw), buffer_size=1 << 16)
    norm = encoding.lower().replace("_", "-")
    if norm in _UTF8:
        flavour = _utf16_hint(stream.peek(4096)[:4096])
        if flavour is not None:
            stream.close()
            raise InputError(
                "the file looks like UTF-16 text, not UTF-8",
                source=path,
                hint=f"pass --encoding {flavour} on the command line (encoding='{flavour}' in Python)",
            )
    enc = "utf-8-sig" if norm in ("utf-8", "utf8") else encoding
    if norm in ("utf-16", "utf16") and stream.peek(2)[:2] not in (b"\xff\xfe", b"\xfe\xff"):
        enc = "utf-16-be" if _utf16_hint(stream.peek(4096)[:4096]) == "utf-16-be" else "utf-16-le"
    try:
        return io.TextIOWrapper(stream, encoding=enc, errors="surrogateescape", newline="")
    except LookupError:
        stream.close()
        raise InputError(
            f"unknown encoding {encoding!r}", source=path, hint="pass a codec name such as 'utf-8' or 'cp1252'"
        ) from None


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
        raw: Any = handle
        while True:  # down to the file itself: text -> buffer -> (gzip -> file) -> raw file
            inner = next(
                (getattr(raw, a) for a in ("buffer", "raw", "fileobj") if getattr(raw, a, None) is not None), None
            )
            if inner is None:
                break
            raw = inner
        self._raw = raw

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
                "post_id",
                f"duplicate post_id {post_id!r} (first seen at {where})",
                post_id=post_id,
                hint="the first occurrence was kept",
            )
        assert item.error is not None
        err = item.error
        # reasons quote field values: redact personal information before it reaches a message or a file
        err.reason = redact_message(err.reason)
        if self.errors == "raise":
            raise InputError(
                err.reason,
                source=source,
                line=item.line,
                record=item.record,
                field=err.field,
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
            {
                "source": "string",
                "line": "Int64",
                "record": "string",
                "field": "string",
                "reason": "string",
                "hint": "string",
                "post_id": "string",
            }
        )
        return frame

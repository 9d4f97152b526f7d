"""CSV records as RFC 4180 defines them, with runaway quotes caught.

The splitter reads physical lines and knows when it is inside a quoted
field: a line break inside quotes (LF, CRLF or a bare CR) is text and the
record goes on. Outside quotes a bare CR is text too when the file's lines end
in LF or CRLF (writers such as pandas' ``to_csv`` leave such fields
unquoted); only a file whose header ends in a bare CR uses CR as line break.

A **runaway quote** (an opening quote that is never closed) would swallow every
later row into one field. A quoted field that runs over a line break is taken
for a runaway when

* the file ends inside it, or it runs over more than :data:`MAX_SPAN_LINES`
  lines or :data:`MAX_SPAN_CHARS` characters; or
* its closing quote is followed by text instead of a separator or line
  break, or the record it ends has the wrong number of fields, **and** one of
  the lines it swallowed looks like a record on its own (the header's number
  of fields, every quoted field closed properly).

The broken record (its lines before the first line that looks like a record)
is rejected with a reason that says so, and reading resumes at that line. In a
file whose rows are well formed after the broken one, every later row is
recovered. A line of free text that happens to have the header's number of
fields, with clean quoting, is taken for the next record: a limit of the
heuristic, documented in docs/schema.md.
"""

from __future__ import annotations

import csv
import os
import re
from collections import deque
from typing import IO, Iterator

from ...core.exceptions import InputError
from ._fields import check_decoded
from ._records import RecordError, stream_error
from ._spec import ReaderOption

__all__ = ["CsvRecords", "iter_csv", "sniff_header", "bare_name", "csv_sep", "SEP", "MAX_SPAN_LINES", "MAX_SPAN_CHARS"]

MAX_SPAN_LINES = 1_000
MAX_SPAN_CHARS = 1 << 20
_CLOSE = re.compile(r'(?:[^"]|"")*+"')  # the rest of a quoted field, to its closing quote
_QUOTED = re.compile(r'"(?:[^"]|"")*+"')  # a whole quoted field
_SENTINELS = ("\uf8ff", "\uf8fe", "\uf8fd", "\x00")


class _Slot:
    """An iterator holding one string at a time, so a csv.reader parses exactly one record."""

    __slots__ = ("item",)

    def __init__(self) -> None:
        self.item: str | None = None

    def __iter__(self) -> "_Slot":
        return self

    def __next__(self) -> str:
        item, self.item = self.item, None
        if item is None:
            raise StopIteration
        return item


class CsvRecords:
    """Split a CSV text stream into records: ``header`` then iterate ``(line, fields | RecordError)``.

    Example
    -------
    >>> import io
    >>> text = 'id,text\\n1,"two\\nlines"\\n2,"never closed\\n3,fine\\n'
    >>> records = CsvRecords(io.StringIO(text, newline=""), source="x.csv")
    >>> records.header
    ['id', 'text']
    >>> for line, r in records:
    ...     print(line, r if isinstance(r, list) else r.reason[:18])
    2 ['1', 'two\\nlines']
    4 unterminated quote
    5 ['3', 'fine']
    """

    def __init__(self, handle: IO[str], *, source: str = "<stream>", sep: str = ","):
        self._handle = handle
        self._source = source
        self._sep = sep
        self._lines = enumerate(handle, 1)
        self._pending: deque[tuple[int, str]] = deque()
        self._slot = _Slot()
        self._reader = csv.reader(self._slot, delimiter=sep)
        s = re.escape(sep)
        self._lead = re.compile(rf'(?:(?:"(?:[^"]|"")*+"[^{s}]*|[^"{s}][^{s}]*)?{s})*+')
        self._join_cr = True
        self._record_like: re.Pattern[str] | None = None
        self.header: list[str] = []
        self.header = self._read_header()
        field = rf'(?:"(?:[^"]|"")*+"|[^"{s}\r\n]*+)'
        n = len(self.header)
        self._record_like = re.compile(rf"{field}(?:{s}{field}){{{n - 1}}}(?:\r\n|\n|\r)?") if n else None

    # ------------------------------------------------------------------ header

    def _read_header(self) -> list[str]:
        first = next(self._lines, None)
        if first is None:
            return []
        self._join_cr = not (first[1].endswith("\r") and not first[1].endswith("\r\n"))
        span = self._gather(*first)
        if isinstance(span, RecordError):
            raise InputError(
                f"cannot read the CSV header ({span.reason})",
                source=self._source,
                line=1,
                hint="fix the quoting of the header row",
            )
        fields = span
        header = [h.strip() for h in fields]
        dup = sorted({h for h in header if h and header.count(h) > 1})
        if dup:
            raise InputError(
                f"duplicate column name(s) in the header: {', '.join(map(repr, dup))}",
                source=self._source,
                line=1,
                hint="rename the columns so that each name is used once",
            )
        return header

    # ------------------------------------------------------------------ records

    def __iter__(self) -> Iterator[tuple[int, list[str] | RecordError]]:
        """Records after the header; blank lines are skipped."""
        sep, pending, lines = self._sep, self._pending, self._lines
        ends = "\n" if self._join_cr else ("\n", "\r")
        while True:
            if pending:
                no, line = pending.popleft()
            else:
                for no, line in lines:  # the fast path: a whole line without quotes is a record
                    if '"' in line or not line.endswith(ends):
                        break
                    body = line.rstrip("\r\n")
                    if body.strip():
                        yield no, body.split(sep)
                else:
                    return
            result = self._gather(no, line)
            if isinstance(result, list) and not (len(result) == 1 and not result[0].strip()):
                yield no, result
            elif isinstance(result, RecordError):
                yield no, result

    def _take(self) -> tuple[int, str] | None:
        if self._pending:
            return self._pending.popleft()
        return next(self._lines, None)

    def _scan(self, body: str, quoted: bool) -> tuple[bool, bool]:
        """State after ``body`` (one physical line without its line break): (inside quotes,
        a quote that closed a field opened on an earlier line was followed by text)."""
        sep, dirty, i = self._sep, False, 0
        if quoted:
            m = _CLOSE.match(body)
            if m is None:
                return True, False
            i = m.end()
            dirty = i < len(body) and body[i] != sep
            i = body.find(sep, i)
            if i < 0:
                return False, dirty
            i += 1
        i = self._lead.match(body, i).end()  # type: ignore[union-attr]
        if body.startswith('"', i) and _QUOTED.match(body, i) is None:
            return True, dirty
        return False, dirty

    def _gather(self, no: int, line: str) -> list[str] | RecordError:
        """The record starting at physical line ``no``: its fields, or why it is rejected."""
        parts = [(no, line)]
        quoted, dirty = self._scan(line.rstrip("\r\n"), False)
        size, why = len(line), None
        while quoted or (self._join_cr and line.endswith("\r")):
            if len(parts) > MAX_SPAN_LINES or size > MAX_SPAN_CHARS:
                why = f"runs over more than {MAX_SPAN_LINES:,} lines or {MAX_SPAN_CHARS:,} characters"
                break
            nxt = self._take()
            if nxt is None:
                why = "runs to the end of the file" if quoted else None
                break
            parts.append(nxt)
            line = nxt[1]
            size += len(line)
            if quoted:
                quoted, closed_dirty = self._scan(line.rstrip("\r\n"), True)
                dirty = dirty or closed_dirty
            else:  # a bare CR inside an unquoted field: the field goes on
                i = line.find(self._sep)
                quoted = i >= 0 and self._scan(line[i + 1 :].rstrip("\r\n"), False)[0]
        if why is None and not line.endswith(("\n", "\r")) and self._at_cut():
            return RecordError(
                None,
                "the record is cut off where the compressed file breaks; it may be incomplete",
                hint="re-download or re-compress the file",
            )
        if why is None:
            fields = self._parse("".join(p[1] for p in parts) if len(parts) > 1 else line)
            wrong = isinstance(fields, list) and bool(self.header) and len(fields) != len(self.header)
            if len(parts) == 1 or not (dirty or wrong):
                return fields
            resume = self._resume_at(parts)
            if resume is None:
                return fields
        else:
            resume = self._resume_at(parts)
        if resume is not None:
            self._pending.extendleft(reversed(parts[resume:]))
            where = f"line {parts[resume][0]} looks like the next record, so reading resumes there"
            why = f"{why or 'swallows the line breaks after it'}; {where}"
        last = parts[(resume or len(parts)) - 1][0]
        lines = f"line {no}" if last == no else f"lines {no}-{last}"
        return RecordError(
            None,
            f"unterminated quote: the quoted field opened on line {no} {why} (rejected: {lines})",
            hint='close the quote; a quote inside a quoted field is written twice ("")',
        )

    def _resume_at(self, parts: list[tuple[int, str]]) -> int | None:
        """Index of the first swallowed line that looks like a record on its own."""
        if self._record_like is None:
            return None
        for k in range(1, len(parts)):
            if self._record_like.fullmatch(parts[k][1]):
                return k
        return None

    def _at_cut(self) -> bool:
        return stream_error(self._handle) is not None

    def _parse(self, text: str) -> list[str] | RecordError:
        """Fields of one complete record (its quotes closed), by the csv module."""
        body = text.rstrip("\r\n") if text.endswith(("\n", "\r")) else text
        if "\r" not in body or not self._join_cr:
            return self._csv(text)
        sentinel = next((c for c in _SENTINELS if c not in body), None)
        if sentinel is None:
            return RecordError(None, "cannot split a record holding carriage returns and every sentinel character")
        fields = self._csv(body.replace("\r", sentinel))
        if isinstance(fields, list):
            fields = [f.replace(sentinel, "\r") for f in fields]
        return fields

    def _csv(self, text: str) -> list[str] | RecordError:
        self._slot.item = text
        try:
            return next(self._reader, [])
        except csv.Error as exc:
            return RecordError(None, f"malformed CSV row ({exc})", hint="fix the quoting of this row")


# --------------------------------------------------------------------------- rows


def iter_csv(
    handle: IO[str], source: str, sep: str
) -> tuple[list[str], Iterator[tuple[int, dict[str, str] | RecordError]]]:
    """The header of a CSV stream and its rows as ``(line, {column: value} | RecordError)``.

    Example
    -------
    >>> import io
    >>> header, rows = iter_csv(io.StringIO("id,text\\n1,hi\\n2\\n", newline=""), "x.csv", ",")
    >>> [(line, getattr(row, "reason", row)) for line, row in rows]
    [(2, {'id': '1', 'text': 'hi'}), (3, 'row has 1 fields but the header has 2')]
    """
    records = CsvRecords(handle, source=source, sep=sep)
    header = records.header
    for h in header:
        if _has_surrogates(h):
            raise InputError(
                "the header is not valid UTF-8",
                source=source,
                line=1,
                hint="re-save the file as UTF-8, or pass the file's encoding, e.g. encoding='cp1252'",
            )

    def rows() -> Iterator[tuple[int, dict[str, str] | RecordError]]:
        n = len(header)
        for line, values in records:
            if isinstance(values, RecordError):
                yield line, values
            elif len(values) != n:
                yield (
                    line,
                    RecordError(
                        None,
                        f"row has {len(values)} fields but the header has {n}",
                        hint="check the separator and quoting of this row",
                    ),
                )
            else:
                yield line, dict(zip(header, values))

    return header, rows()


def _has_surrogates(s: str) -> bool:
    try:
        check_decoded(s, "")
    except RecordError:
        return True
    return False


def sniff_header(handle: IO[str], sep: str) -> list[str]:
    """Read only the header row of a CSV stream ([] when it cannot be read).

    Example
    -------
    >>> import io
    >>> sniff_header(io.StringIO('id,"the text"\\n1,hi\\n'), ",")
    ['id', 'the text']
    """
    try:
        return CsvRecords(handle, sep=sep).header
    except InputError:
        return []


# --------------------------------------------------------------------------- separator


def bare_name(path: str) -> str:
    """The file name in lower case, without a ``.gz`` ending."""
    name = os.path.basename(path).lower()
    return name[:-3] if name.endswith(".gz") else name


def csv_sep(path: str, sep: str | None) -> str:
    """``sep`` when given, else a tab for ``.tsv``/``.tab`` files and a comma otherwise."""
    if sep is not None:
        return sep
    return "\t" if bare_name(path).endswith((".tsv", ".tab")) else ","


def _one_character(value: str) -> str:
    if len(value) != 1:
        raise InputError(
            f"sep= must be one character; got {value!r}",
            field="sep",
            hint="e.g. sep=';' or sep='\\t' (by default a tab for .tsv/.tab files, else a comma)",
        )
    return value


SEP = ReaderOption(
    "sep", str, "field separator (default: a tab for .tsv/.tab files, otherwise a comma)", convert=_one_character
)

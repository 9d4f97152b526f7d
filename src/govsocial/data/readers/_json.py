"""Streaming JSON for the readers: JSON Lines, concatenated (pretty-printed)
documents, arrays of records, and documents cut short.

:func:`iter_json_objects` yields ``(line, locator, value)`` where ``value`` is
a decoded JSON value or a :class:`~govsocial.data.readers._records.RecordError` saying why
that record could not be read. Nothing is read whole:

* **JSON Lines** are read line by line; a bad line is one reject.
* **Concatenated documents** (one pretty-printed object after another) are
  decoded one after the other; after a broken one, reading resumes at the next
  line that starts with ``{``.
* **Arrays** are decoded element by element from a window of the text, so a
  truncated array keeps every complete element before the break.
* **A document cut inside its ``data`` array** (a Twitter API v2 page) keeps
  the complete elements of ``data``; any other cut document is one reject.
* **Nesting deeper than** :data:`MAX_DEPTH` levels rejects that record only.
"""

from __future__ import annotations

import json
import re
from typing import IO, Any, Generator, Iterable, Iterator

from ._jsontext import MAX_DEPTH, Window, depth_exceeds, is_deep, json_msg, salvage_page, too_deep_error
from ._records import RecordError

__all__ = ["iter_json_objects", "first_json_record", "MAX_DEPTH"]

_NEXT_DOC = re.compile(r"\n[{\[]")
_NOT_JSON = object()

Located = tuple[int | None, str | None, Any]


def _iter_array(w: Window) -> Generator[Located, None, bool]:
    """Elements of the array whose ``[`` is at ``w.pos``, one by one.

    Stops after a break (truncation or invalid JSON), reporting it; the
    generator's return value says whether the array ended normally.
    """
    w.pos += 1
    index = 0
    truncated = "the JSON array ends without ']' (the file looks truncated); the records before were read"
    while True:
        c = w.peek()
        if c == "]" and index == 0:
            w.pos += 1
            return True
        if c == "":
            yield w.line_at(w.pos), f"[{index}]", RecordError(None, truncated, hint="re-export or re-download it")
            return False
        line = w.line_at(w.pos)
        value = w.decode()
        if isinstance(value, RecordError) and not is_deep(value):
            value.reason += "; records after this point could not be read"
            yield line, f"[{index}]", value
            return False
        yield line, f"[{index}]", value
        index += 1
        c = w.peek()
        if c == ",":
            w.pos += 1
        elif c == "]":
            w.pos += 1
            return True
        else:
            reason = "the JSON array is broken after this record; records after this point could not be read"
            yield (
                w.line_at(w.pos),
                f"[{index}]",
                RecordError(None, reason if c else truncated, hint="re-export or re-download the file"),
            )
            return False


def _salvaged(line: int, text: str, start: int, error: RecordError) -> Iterator[Located]:
    """A broken document: its ``data`` records when they can be kept, and the reject."""
    page, complete = salvage_page(text, start) if text.startswith("{", start) else (None, False)
    if page is None:
        yield line, None, error
        return
    yield line, None, page
    if not complete:
        n = len(page["data"])
        lost = "" if "includes" in page else " (without the page's 'includes': no user names or followers)"
        yield (
            line,
            f"data[{n}]",
            RecordError(
                None,
                f"{error.reason}; the {n} complete records of 'data' before the break were read{lost}",
                hint=error.hint,
            ),
        )


def _iter_documents(w: Window) -> Iterator[Located]:
    """Concatenated JSON documents (pretty-printed or not), one record each; an array
    among them gives its elements."""
    while True:
        c = w.peek()
        if c == "":
            return
        if c == "[":
            if not (yield from _iter_array(w)):
                return
            continue
        line = w.line_at(w.pos)
        value = w.decode()
        if not isinstance(value, RecordError):
            yield line, None, value
            continue
        yield from _salvaged(line, w.buf, w.start, value)
        if not is_deep(value) and not _resync(w):
            return


def _resync(w: Window) -> bool:
    """Move to the next line starting with ``{`` or ``[`` after the break; False at the end."""
    w.pos = max(w.pos + 1, w.broken)
    while True:
        m = _NEXT_DOC.search(w.buf, w.pos)
        if m is not None:
            w.pos = m.start() + 1
            w.line_at(w.pos)
            return True
        w.pos = max(w.pos, len(w.buf) - 1)
        w.line_at(w.pos)
        if not w.more():
            w.pos = len(w.buf)
            return False


# --------------------------------------------------------------------------- lines


def _loads_line(line: str) -> Any:
    """Decode one JSON line: the value, a RecordError (too deep), or _NOT_JSON."""
    try:
        value = json.loads(line)
    except RecursionError:
        return too_deep_error()
    except ValueError:
        return _NOT_JSON
    if depth_exceeds(line):
        return too_deep_error()
    return value


def _iter_jsonl(lines: Iterable[str], start: int, handle: IO[str] | None = None) -> Iterator[Located]:
    """JSON Lines; a line holding only ``{`` or ``[`` opens a pretty-printed document and
    switches to reading documents (pretty-printed records after compact ones)."""
    lineno = start - 1
    for line in lines:
        lineno += 1
        if not line.strip():
            continue
        try:
            value = json.loads(line)
            if len(line) > 2 * MAX_DEPTH and depth_exceeds(line):  # deeper needs 2 brackets a level
                value = too_deep_error()
        except RecursionError:
            value = too_deep_error()
        except ValueError as exc:
            if handle is not None and line.strip() in ("{", "["):  # a pretty-printed document begins
                yield from _iter_documents(Window(handle, line, lineno))
                return
            reason = "line is not valid JSON"
            if not line.endswith("\n"):
                reason = "last line is not valid JSON (the file looks truncated)"
            value = RecordError(None, f"{reason}: {json_msg(exc)}", hint="fix or remove the line")
        if value.__class__ is RecordError and is_deep(value):
            yield from _salvaged(lineno, line, len(line) - len(line.lstrip()), value)
            continue
        yield lineno, None, value


def _first_nonblank_line(handle: IO[str]) -> tuple[int, str] | None:
    lineno = 0
    for line in handle:
        lineno += 1
        if line.strip():
            return lineno, line
    return None


def _chain(first: list[str], rest: Iterable[str]) -> Iterator[str]:
    yield from first
    yield from rest


def _iter_from(handle: IO[str], lineno: int, text: str) -> Iterator[Located]:
    stripped = text.lstrip()
    if stripped.startswith("[") or (stripped.startswith("{") and _loads_line(text) is _NOT_JSON):
        w = Window(handle, text, lineno)
        w.pos = len(text) - len(stripped)
        yield from _iter_documents(w)
        return
    yield from _iter_jsonl(_chain([text], handle), lineno, handle)


def iter_json_objects(handle: IO[str]) -> Iterator[Located]:
    """Yield ``(line, locator, value_or_RecordError)`` from a JSON file, streaming.

    Understands JSON Lines, one or several (pretty-printed) JSON documents one
    after another, and JSON arrays of records; see the module docstring.

    Example
    -------
    >>> import io
    >>> text = '[{"id": 1},\\n {"id": 2},\\n {"id": '
    >>> [(line, loc, getattr(v, "reason", v)) for line, loc, v in iter_json_objects(io.StringIO(text))][:2]
    [(1, '[0]', {'id': 1}), (2, '[1]', {'id': 2})]
    """
    first = _first_nonblank_line(handle)
    if first is not None:
        yield from _iter_from(handle, *first)


def first_json_record(handle: IO[str], limit: int = 20) -> Any:
    """The first JSON object of a file (the first element of an array, the first
    tweet of a v2 page), reading no further than needed; None when there is none.

    Example
    -------
    >>> import io
    >>> first_json_record(io.StringIO('{"data": [{"id": "1", "text": "a"}, {"id": "2", "te'))
    {'data': [{'id': '1', 'text': 'a'}]}
    """
    first = _first_nonblank_line(handle)
    if first is None:
        return None
    lineno, text = first
    stripped = text.lstrip()
    if stripped.startswith("{") and _loads_line(text) is _NOT_JSON:
        # a pretty-printed document: a v2 page shows itself by its first tweet
        w = Window(handle, text, lineno)
        w.pos = len(text) - len(stripped)
        while len(w.buf) < 1 << 22:
            page, _ = salvage_page(w.buf, w.pos)
            if page is not None and page["data"]:
                return {"data": page["data"][:1]}
            if not w.more(len(w.buf)):
                break
        items: Iterator[Located] = _iter_documents(w)
    else:
        items = _iter_from(handle, lineno, text)
    for n, (_, _, value) in enumerate(items):
        if isinstance(value, dict):
            return value
        if n + 1 >= limit:
            break
    return None

"""Low-level JSON text helpers of the readers: a window on a text stream that
decodes one value at a time, nesting depth without recursion, and reading a
broken Twitter API v2 page member by member."""

from __future__ import annotations

import json
import re
from typing import IO, Any

from ._records import RecordError

MAX_DEPTH = 200
"""Records nested deeper than this are rejected (Python's recursion limit is ~1,000)."""

CHUNK = 1 << 16
DECODER = json.JSONDecoder()
WS = re.compile(r"[ \t\n\r]*")
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')

DEEP = "nesting too deep"


def too_deep_error() -> RecordError:
    return RecordError(
        None,
        f"{DEEP} (more than {MAX_DEPTH} levels of arrays and objects)",
        hint="no social-media record nests this deep; the record is corrupt or hostile",
    )


def is_deep(value: Any) -> bool:
    return isinstance(value, RecordError) and value.reason.startswith(DEEP)


def depth_exceeds(text: str, start: int = 0, end: int | None = None) -> bool:
    """True when the JSON in ``text[start:end]`` nests deeper than MAX_DEPTH (strings skipped)."""
    end = len(text) if end is None else end
    if text.count("{", start, end) + text.count("[", start, end) <= MAX_DEPTH:
        return False
    depth = 0
    for m in _TOKEN.finditer(text, start, end):
        c = m.group()[0]
        if c in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return True
        elif c in "]}":
            depth -= 1
    return False


def skip_value(text: str, start: int) -> int | None:
    """End of the array or object starting at ``start``, found without recursion; None if cut."""
    depth = 0
    for m in _TOKEN.finditer(text, start):
        c = m.group()[0]
        if c in "[{":
            depth += 1
        elif c in "]}":
            depth -= 1
            if depth == 0:
                return m.end()
    return None


def json_msg(exc: ValueError) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg.removesuffix(' at')} at column {exc.colno}"
    return str(exc)


def incomplete(exc: ValueError, size: int) -> bool:
    """Does this decoding error just mean the text stops too early?"""
    if isinstance(exc, json.JSONDecodeError):
        return exc.pos >= size - 16 or exc.msg.startswith("Unterminated string")
    return False


# --------------------------------------------------------------------------- a window on the text


class Window:
    """The unread part of a text stream, read in chunks, with line numbers."""

    def __init__(self, handle: IO[str], head: str, first_line: int):
        self.handle = handle
        self.buf = head
        self.pos = 0
        self.start = 0
        self.broken = 0
        self.eof = False
        self._line = first_line
        self._counted = 0

    def line_at(self, pos: int) -> int:
        """Line number of position ``pos`` (positions must not go backwards)."""
        self._line += self.buf.count("\n", self._counted, pos)
        self._counted = pos
        return self._line

    def more(self, want: int = CHUNK) -> bool:
        """Read at least ``want`` more characters; False at the end of the stream."""
        if self.eof:
            return False
        if self.pos > CHUNK:
            self.line_at(self.pos)
            self.buf = self.buf[self.pos :]
            self._counted -= self.pos
            self.pos = 0
        data = self.handle.read(max(want, CHUNK))
        if not data:
            self.eof = True
            return False
        self.buf += data
        return True

    def peek(self) -> str:
        """The next non-blank character ('' at the end), skipping white space."""
        while True:
            self.pos = WS.match(self.buf, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self.more():
                return ""

    def decode(self) -> Any:
        """Decode the value at ``pos`` and move past it; a RecordError when it cannot be read.

        ``start`` is where the value began. After an error ``pos`` is past the
        broken value when its end is known (too deep), else unchanged and
        ``broken`` is where decoding failed.
        """
        while True:
            start = self.start = self.pos
            try:
                value, end = DECODER.raw_decode(self.buf, start)
            except RecursionError:
                stop = skip_value(self.buf, start)
                if stop is None and self.more(len(self.buf) - start):
                    continue
                if stop is None:
                    return RecordError(
                        None,
                        "the file ends inside this record (it looks truncated)",
                        hint="re-export or re-download the file",
                    )
                self.pos = stop
                return too_deep_error()
            except ValueError as exc:
                if not self.eof and incomplete(exc, len(self.buf)):
                    self.more(len(self.buf) - start)
                    continue
                self.broken = max(getattr(exc, "pos", start), start)
                if self.eof and incomplete(exc, len(self.buf)):
                    return RecordError(
                        None,
                        f"the file ends inside this record ({json_msg(exc)}; it looks truncated)",
                        hint="re-export or re-download the file",
                    )
                return RecordError(None, f"invalid JSON ({json_msg(exc)})", hint="fix or remove the record")
            if end == len(self.buf) and not self.eof and self.buf[start] not in '{["':
                self.more()  # a number or literal may go on in the next chunk
                continue
            self.pos = end
            if self.buf[start] in "{[" and depth_exceeds(self.buf, start, end):
                return too_deep_error()
            return value


# --------------------------------------------------------------------------- arrays and documents


def member_array(text: str, pos: int) -> tuple[list[Any], int | None]:
    """Elements of the array at ``text[pos]`` decoded one by one (bad ones as RecordError);
    the end of the array, or None where it breaks off."""
    items: list[Any] = []
    pos = WS.match(text, pos + 1).end()  # type: ignore[union-attr]
    if text.startswith("]", pos):
        return items, pos + 1
    while True:
        start = pos
        try:
            value, pos = DECODER.raw_decode(text, start)
            if text[start] in "{[" and depth_exceeds(text, start, pos):
                value = too_deep_error()
        except RecursionError:
            end = skip_value(text, start)
            if end is None:
                return items, None
            value, pos = too_deep_error(), end
        except ValueError:
            return items, None
        items.append(value)
        pos = WS.match(text, pos).end()  # type: ignore[union-attr]
        if text.startswith(",", pos):
            pos = WS.match(text, pos + 1).end()  # type: ignore[union-attr]
        elif text.startswith("]", pos):
            return items, pos + 1
        else:
            return items, None


def salvage_page(text: str, start: int) -> tuple[dict[str, Any] | None, bool]:
    """Read the object at ``text[start]`` member by member, its ``data`` array element by element.

    Returns ``(object, complete)``: the members read before any break (None
    when there is no ``data`` array to keep) and whether the object was read
    to its end.
    """
    obj: dict[str, Any] = {}
    pos = WS.match(text, start + 1).end()  # type: ignore[union-attr]
    complete = False
    while text.startswith('"', pos):
        try:
            key, pos = json.decoder.scanstring(text, pos + 1)  # type: ignore[attr-defined]
        except ValueError:
            break
        pos = WS.match(text, pos).end()  # type: ignore[union-attr]
        if not text.startswith(":", pos):
            break
        pos = WS.match(text, pos + 1).end()  # type: ignore[union-attr]
        end: int | None
        if key == "data" and text.startswith("[", pos):
            obj[key], end = member_array(text, pos)
        else:
            try:
                value, end = DECODER.raw_decode(text, pos)
            except (ValueError, RecursionError):
                break
            if depth_exceeds(text, pos, end):
                break
            obj[key] = value
        if end is None:
            break
        pos = WS.match(text, end).end()  # type: ignore[union-attr]
        if text.startswith(",", pos):
            pos = WS.match(text, pos + 1).end()  # type: ignore[union-attr]
        else:
            complete = text.startswith("}", pos)
            break
    if not isinstance(obj.get("data"), list):
        return None, complete
    return obj, complete

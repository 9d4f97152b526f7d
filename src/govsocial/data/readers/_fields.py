"""Field conversion for the readers: text, counts, flags and timestamps, each
checked and turned into a :class:`~govsocial.data.readers._records.RecordError` (one
rejected record, with the field named) when it is not what it should be."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta, timezone
from typing import Any

from ._records import RecordError

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


# --------------------------------------------------------------------------- field conversion


def as_dict(value: Any) -> dict[str, Any]:
    """``value`` when it is a JSON object, else an empty one (an absent or malformed sub-object)."""
    return value if isinstance(value, dict) else {}


def dict_or_none(value: Any) -> dict[str, Any] | None:
    """``value`` when it is a JSON object, else None (e.g. a status without a boost)."""
    return value if isinstance(value, dict) else None


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


_BLANK = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]*")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def unescape_entities(text: str) -> str:
    """Unescape HTML character references once: ``&amp;amp;`` becomes ``&amp;``.

    Only complete references (ending in ``;``) are replaced, so ``AT&T`` or
    ``&notice`` stay as they are.

    Example
    -------
    >>> unescape_entities("Roads &amp; bridges &lt;3 &amp;amp; AT&T &notice")
    'Roads & bridges <3 &amp; AT&T &notice'
    """
    if "&" not in text:
        return text
    return _ENTITY.sub(lambda m: html.unescape(m.group()), text)


def to_text(value: Any, field: str, *, unescape: bool = True) -> str:
    """The post text: required, decoded, not blank, HTML entities unescaped once.

    A text of only white space or zero-width characters (U+200B-U+200D, U+2060,
    U+FEFF) is missing text. ``unescape=False`` for sources already converted
    from HTML (Mastodon), so that nothing is unescaped twice.
    """
    text = to_str(value, field)
    if unescape and text is not None:
        text = unescape_entities(text)
    if text is None or _BLANK.fullmatch(text):
        raise RecordError(field, "missing text", hint="posts without text cannot be analysed; they are rejected")
    return text


_COUNT_STR = re.compile(r"^\s*\d{1,3}(?:,\d{3})+\s*$|^\s*\d+\s*$")


def to_count(value: Any, field: str) -> int | None:
    """A non-negative integer count; None when absent (``None`` or an empty string).

    NaN and infinite values are not absent counts but broken ones: rejected.
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise RecordError(field, f"expected a count, got boolean {value}")
    if isinstance(value, int):
        n = value
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise RecordError(
                field,
                f"not a count: {value}",
                hint="counts must be whole numbers >= 0; leave the field empty (or null) when the count is unknown",
            )
        if not value.is_integer():
            raise RecordError(field, f"not a count: {value}", hint="counts must be whole numbers >= 0")
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


def utc_from_offset(dt: datetime, hours: float) -> datetime:
    """Attach a fixed UTC offset (in hours) to a naive datetime and convert to UTC."""
    return dt.replace(tzinfo=timezone(timedelta(hours=hours))).astimezone(timezone.utc)

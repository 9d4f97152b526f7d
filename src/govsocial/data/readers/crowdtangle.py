"""Facebook posts exported by CrowdTangle (CSV).

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

import re
from datetime import datetime
from typing import IO, Any, Iterator, Sequence

from ...core.exceptions import InputError
from ._csv import SEP, csv_sep, iter_csv
from ._fields import aware_utc, check_decoded, to_count, to_str, to_text, utc_from_offset
from ._records import Item, RecordError
from ._spec import ReadContext, ReaderSpec

__all__ = ["iter_crowdtangle", "looks_like_crowdtangle", "CROWDTANGLE"]

CT_REQUIRED = ("Message", "Post Created", "URL")
_REACTIONS = ("Likes", "Love", "Wow", "Haha", "Sad", "Angry", "Care")
_TZ_ABBREV = {
    "UTC": 0,
    "GMT": 0,
    "Z": 0,
    "BST": 1,
    "CET": 1,
    "CEST": 2,
    "EST": -5,
    "EDT": -4,
    "CST": -6,
    "CDT": -5,
    "MST": -7,
    "MDT": -6,
    "PST": -8,
    "PDT": -7,
    "AKST": -9,
    "AKDT": -8,
    "HST": -10,
    "AEST": 10,
    "AEDT": 11,
    "ACST": 9.5,
    "ACDT": 10.5,
    "AWST": 8,
    "NZST": 12,
    "NZDT": 13,
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
            raise RecordError(
                "Post Created",
                f"unknown time zone abbreviation {parts[1]!r}",
                hint=f"known: {', '.join(sorted(_TZ_ABBREV))}",
            )
        try:
            naive = datetime.fromisoformat(parts[0])
        except ValueError:
            raise RecordError(
                "Post Created", f"unparseable timestamp {s[:40]!r}", hint="expected e.g. '2021-03-01 10:00:05 EST'"
            ) from None
        if naive.tzinfo is not None:
            raise RecordError("Post Created", f"two time zones in {s[:40]!r}")
        return utc_from_offset(naive, _TZ_ABBREV[abbrev])
    try:
        dt = datetime.fromisoformat(s)
    except ValueError:
        raise RecordError(
            "Post Created", f"unparseable timestamp {s[:40]!r}", hint="expected e.g. '2021-03-01 10:00:05 EST'"
        ) from None
    return aware_utc(dt, "Post Created", s)


def iter_crowdtangle(handle: IO[str], ctx: ReadContext | None = None, *, sep: str | None = None) -> Iterator[Item]:
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
    source = (ctx or ReadContext()).source
    header, rows = iter_csv(handle, source, csv_sep(source, sep))
    if not header:
        return
    missing = [c for c in CT_REQUIRED if c not in header]
    if missing:
        raise InputError(
            f"not a CrowdTangle export: column(s) {', '.join(map(repr, missing))} missing",
            source=source,
            line=1,
            hint="use format='csv' with a columns= mapping for other CSV files",
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


CROWDTANGLE = ReaderSpec(
    "crowdtangle",
    "csv",
    iter_crowdtangle,
    "Facebook posts exported by CrowdTangle (CSV)",
    detect=looks_like_crowdtangle,
    options=(SEP,),
)

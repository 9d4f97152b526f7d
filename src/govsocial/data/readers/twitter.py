"""Twitter/X readers: API v2 (pages and tweet objects) and API v1.1 (statuses).

Field mapping (see docs/schema.md for the full table):

========================  ==================================  ===============================
schema                    v2                                  v1.1
========================  ==================================  ===============================
post_id                   ``id``                              ``id_str`` (or ``id``)
account_id                ``author_id``                       ``user.id_str``
account_name              ``includes.users[].username``       ``user.screen_name``
created_at                ``created_at`` (ISO 8601)           ``created_at`` (``Wed Oct 10 …``)
text                      ``note_tweet.text`` or ``text``;    ``extended_tweet.full_text``,
                          retweets: the original's text       ``full_text`` or ``text``
reply_to_post_id          ``referenced_tweets[replied_to]``   ``in_reply_to_status_id_str``
reply_to_account_id       ``in_reply_to_user_id``             ``in_reply_to_user_id_str``
conversation_id           ``conversation_id``                 —
is_repost                 ``referenced_tweets[retweeted]``    ``retweeted_status`` present
likes/shares/replies/...  ``public_metrics.*``                ``favorite_count`` …
followers                 ``users[].public_metrics``          ``user.followers_count``
========================  ==================================  ===============================
"""

from __future__ import annotations

from datetime import datetime
from typing import IO, Any, Iterator

from ._fields import as_dict, aware_utc, dict_or_none, get_path, parse_iso, to_count, to_str, to_text
from ._json import iter_json_objects
from ._records import Item, RecordError
from ._spec import ReadContext, ReaderSpec

__all__ = ["iter_twitter_v2", "iter_twitter_v1", "looks_like_v2", "looks_like_v1", "TWITTER_V2", "TWITTER_V1"]


def looks_like_v2(obj: Any) -> bool:
    """True for a v2 page (``data`` + ``includes``) or a v2 tweet object.

    Example
    -------
    >>> looks_like_v2({"data": [], "includes": {}}), looks_like_v2({"id_str": "1"})
    (True, False)
    """
    if not isinstance(obj, dict):
        return False
    if "data" in obj and isinstance(obj["data"], (list, dict)):
        return True
    return (
        "id" in obj
        and "text" in obj
        and ("author_id" in obj or "public_metrics" in obj or "edit_history_tweet_ids" in obj)
    )


def looks_like_v1(obj: Any) -> bool:
    """True for a v1.1 status object.

    Example
    -------
    >>> looks_like_v1({"id_str": "1", "full_text": "hi"})
    True
    """
    return (
        isinstance(obj, dict)
        and ("id_str" in obj or "full_text" in obj or "favorite_count" in obj or isinstance(obj.get("user"), dict))
        and "account" not in obj
    )


# --------------------------------------------------------------------------- v2


def iter_twitter_v2(handle: IO[str], ctx: ReadContext | None = None) -> Iterator[Item]:
    """Stream posts from Twitter API v2 output.

    Accepts JSON or JSON Lines of response pages (``{"data": [...],
    "includes": {"users": [...], "tweets": [...]}}``, as written by twarc2 or
    saved from the API) and of bare tweet objects (optionally with an embedded
    ``author`` object, as in twarc2's flattened output).

    Example
    -------
    >>> import io, json
    >>> page = {"data": [{"id": "1", "text": "Hello", "author_id": "9",
    ...          "created_at": "2023-01-02T03:04:05.000Z"}],
    ...         "includes": {"users": [{"id": "9", "username": "agency"}]}}
    >>> [i.row["account_name"] for i in iter_twitter_v2(io.StringIO(json.dumps(page)))]
    ['agency']
    """
    for line, locator, obj in iter_json_objects(handle):
        if isinstance(obj, RecordError):
            yield Item(line, locator, error=obj)
            continue
        if isinstance(obj, dict) and "data" in obj and not ("id" in obj and "text" in obj):
            data = obj["data"]
            includes = as_dict(obj.get("includes"))
            users = _index(includes.get("users"))
            tweets = _index(includes.get("tweets"))
            if isinstance(data, dict):
                data = [data]
            if not isinstance(data, list):
                yield Item(line, locator, error=RecordError("data", "'data' is neither a tweet nor a list of tweets"))
                continue
            prefix = f"{locator}." if locator else ""
            for i, tweet in enumerate(data):
                yield _v2_item(tweet, users, tweets, line, f"{prefix}data[{i}]")
        else:
            yield _v2_item(obj, {}, {}, line, locator)


def _index(items: Any) -> dict[str, dict[str, Any]]:
    if not isinstance(items, list):
        return {}
    return {str(u["id"]): u for u in items if isinstance(u, dict) and "id" in u}


def _v2_item(tweet: Any, users: dict, tweets: dict, line: int | None, locator: str | None) -> Item:
    if isinstance(tweet, RecordError):  # a tweet of a page that could not be decoded (e.g. nested too deep)
        return Item(line, locator, error=tweet)
    try:
        return Item(line, locator, row=_v2_row(tweet, users, tweets))
    except RecordError as err:
        if err.post_id is None and isinstance(tweet, dict):
            err.post_id = tweet.get("id") if isinstance(tweet.get("id"), str) else None
        return Item(line, locator, error=err)


def _v2_row(tweet: Any, users: dict, tweets: dict) -> dict[str, Any]:
    if not isinstance(tweet, dict):
        raise RecordError(None, f"expected a tweet object, got {type(tweet).__name__}")
    post_id = to_str(tweet.get("id"), "id", required=True)
    refs = tweet.get("referenced_tweets") or []
    if not isinstance(refs, list):
        raise RecordError("referenced_tweets", "expected a list")
    ref = {r.get("type"): to_str(r.get("id"), "referenced_tweets.id") for r in refs if isinstance(r, dict)}
    author_id = to_str(tweet.get("author_id"), "author_id")
    embedded = dict_or_none(tweet.get("author"))
    author = embedded if embedded is not None else users.get(author_id or "", {})
    is_repost = "retweeted" in ref
    text_source = tweet
    if is_repost and ref["retweeted"] in tweets:
        text_source = tweets[ref["retweeted"]]
    note = get_path(text_source, "note_tweet", "text")
    text = to_text(note if note else text_source.get("text"), "text")
    metrics = as_dict(tweet.get("public_metrics"))
    user_metrics = as_dict(author.get("public_metrics"))
    return {
        "post_id": post_id,
        "platform": "twitter",
        "account_id": author_id or to_str(author.get("id"), "author.id"),
        "account_name": to_str(author.get("username"), "username"),
        "created_at": parse_iso(tweet.get("created_at"), "created_at"),
        "text": text,
        "lang": to_str(tweet.get("lang"), "lang"),
        "reply_to_post_id": ref.get("replied_to"),
        "reply_to_account_id": to_str(tweet.get("in_reply_to_user_id"), "in_reply_to_user_id"),
        "conversation_id": to_str(tweet.get("conversation_id"), "conversation_id"),
        "is_repost": is_repost,
        "likes": to_count(metrics.get("like_count"), "public_metrics.like_count"),
        "shares": to_count(metrics.get("retweet_count"), "public_metrics.retweet_count"),
        "replies": to_count(metrics.get("reply_count"), "public_metrics.reply_count"),
        "quotes": to_count(metrics.get("quote_count"), "public_metrics.quote_count"),
        "views": to_count(metrics.get("impression_count"), "public_metrics.impression_count"),
        "followers": to_count(user_metrics.get("followers_count"), "public_metrics.followers_count"),
    }


# --------------------------------------------------------------------------- v1.1

_V1_TIME = "%a %b %d %H:%M:%S %z %Y"


def iter_twitter_v1(handle: IO[str], ctx: ReadContext | None = None) -> Iterator[Item]:
    """Stream posts from Twitter API v1.1 statuses (JSON array or JSON Lines).

    Stream notices such as ``{"delete": ...}`` or ``{"limit": ...}`` are
    rejected with their kind named, never silently skipped.

    Example
    -------
    >>> import io, json
    >>> s = {"id_str": "5", "full_text": "Road closed", "created_at":
    ...      "Wed Oct 10 20:19:24 +0000 2018", "user": {"id_str": "7", "screen_name": "roads"}}
    >>> next(iter_twitter_v1(io.StringIO(json.dumps(s)))).row["created_at"].isoformat()
    '2018-10-10T20:19:24+00:00'
    """
    for line, locator, obj in iter_json_objects(handle):
        if isinstance(obj, RecordError):
            yield Item(line, locator, error=obj)
            continue
        try:
            yield Item(line, locator, row=_v1_row(obj))
        except RecordError as err:
            if err.post_id is None and isinstance(obj, dict) and isinstance(obj.get("id_str"), str):
                err.post_id = obj["id_str"]
            yield Item(line, locator, error=err)


_NOTICES = ("delete", "scrub_geo", "limit", "status_withheld", "user_withheld", "disconnect", "warning")


def _v1_time(value: Any) -> datetime:
    if not isinstance(value, str) or not value:
        raise RecordError("created_at", "missing timestamp")
    try:
        dt = datetime.strptime(value, _V1_TIME)
    except ValueError:
        try:
            dt = datetime.fromisoformat(value)
        except ValueError:
            raise RecordError(
                "created_at",
                f"unparseable timestamp {value[:40]!r}",
                hint="expected the v1.1 form 'Wed Oct 10 20:19:24 +0000 2018'",
            ) from None
    return aware_utc(dt, "created_at", value)


def _v1_row(status: Any) -> dict[str, Any]:
    if not isinstance(status, dict):
        raise RecordError(None, f"expected a status object, got {type(status).__name__}")
    for notice in _NOTICES:
        if notice in status and "user" not in status:
            raise RecordError(None, f"not a status: a stream '{notice}' notice", hint="notices carry no post")
    post_id = to_str(status.get("id_str"), "id_str") or to_str(status.get("id"), "id", required=True)
    user = as_dict(status.get("user"))
    original = dict_or_none(status.get("retweeted_status"))
    source = original if original is not None else status
    text = get_path(source, "extended_tweet", "full_text") or source.get("full_text") or source.get("text")
    return {
        "post_id": post_id,
        "platform": "twitter",
        "account_id": to_str(user.get("id_str"), "user.id_str") or to_str(user.get("id"), "user.id"),
        "account_name": to_str(user.get("screen_name"), "user.screen_name"),
        "created_at": _v1_time(status.get("created_at")),
        "text": to_text(text, "full_text"),
        "lang": to_str(status.get("lang"), "lang"),
        "reply_to_post_id": to_str(status.get("in_reply_to_status_id_str"), "in_reply_to_status_id_str")
        or to_str(status.get("in_reply_to_status_id"), "in_reply_to_status_id"),
        "reply_to_account_id": to_str(status.get("in_reply_to_user_id_str"), "in_reply_to_user_id_str")
        or to_str(status.get("in_reply_to_user_id"), "in_reply_to_user_id"),
        "conversation_id": None,
        "is_repost": original is not None,
        "likes": to_count(status.get("favorite_count"), "favorite_count"),
        "shares": to_count(status.get("retweet_count"), "retweet_count"),
        "replies": to_count(status.get("reply_count"), "reply_count"),
        "quotes": to_count(status.get("quote_count"), "quote_count"),
        "views": None,
        "followers": to_count(user.get("followers_count"), "user.followers_count"),
    }


TWITTER_V2 = ReaderSpec(
    "twitter_v2",
    "json",
    iter_twitter_v2,
    "Twitter/X API v2: JSON/JSONL pages (data + includes) or tweet objects",
    detect=looks_like_v2,
)
TWITTER_V1 = ReaderSpec(
    "twitter_v1", "json", iter_twitter_v1, "Twitter API v1.1: JSON array or JSONL of statuses", detect=looks_like_v1
)

"""Mastodon reader: statuses as returned by the Mastodon REST API.

The API gives ``content`` as HTML; it is converted to plain text (paragraphs
and line breaks kept as newlines, link text kept, entities unescaped). Boosts
(``reblog``) take the boosted status's text and are marked ``is_repost``.
A content warning (``spoiler_text``) is put before the text.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import IO, Any, Iterator

from ._fields import as_dict, dict_or_none, parse_iso, to_bool, to_count, to_str, to_text
from ._json import iter_json_objects
from ._records import Item, RecordError
from ._spec import ReadContext, ReaderSpec

__all__ = ["iter_mastodon", "html_to_text", "looks_like_mastodon", "MASTODON"]


class _TextExtractor(HTMLParser):
    _BREAKS = {"br": "\n", "p": "\n\n", "div": "\n", "li": "\n"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._BREAKS and tag != "br":
            self.parts.append(self._BREAKS[tag])

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(html: str) -> str:
    """Convert Mastodon's status HTML to plain text.

    Example
    -------
    >>> html_to_text('<p>Roads open &amp; clear</p><p>See <a href="https://x.example/a">'
    ...              '<span class="invisible">https://</span>x.example/a</a></p>')
    'Roads open & clear\\n\\nSee https://x.example/a'
    """
    if "<" not in html and "&" not in html:
        return html
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts).strip()


def looks_like_mastodon(obj: Any) -> bool:
    """True for a Mastodon status object.

    Example
    -------
    >>> looks_like_mastodon({"content": "<p>hi</p>", "account": {"id": "1"}})
    True
    """
    return isinstance(obj, dict) and "content" in obj and isinstance(obj.get("account"), dict)


def iter_mastodon(handle: IO[str], ctx: ReadContext | None = None) -> Iterator[Item]:
    """Stream posts from Mastodon statuses (JSON array or JSON Lines).

    Example
    -------
    >>> import io, json
    >>> s = {"id": "11", "created_at": "2023-05-01T10:00:00.000Z", "content": "<p>Hi &lt;3</p>",
    ...      "account": {"id": "3", "acct": "council@gov.example"}, "favourites_count": 2}
    >>> next(iter_mastodon(io.StringIO(json.dumps([s])))).row["text"]
    'Hi <3'
    """
    for line, locator, obj in iter_json_objects(handle):
        if isinstance(obj, RecordError):
            yield Item(line, locator, error=obj)
            continue
        try:
            yield Item(line, locator, row=_row(obj))
        except RecordError as err:
            if err.post_id is None and isinstance(obj, dict) and isinstance(obj.get("id"), str):
                err.post_id = obj["id"]
            yield Item(line, locator, error=err)


def _row(status: Any) -> dict[str, Any]:
    if not isinstance(status, dict):
        raise RecordError(None, f"expected a status object, got {type(status).__name__}")
    post_id = to_str(status.get("id"), "id", required=True)
    account = as_dict(status.get("account"))
    reblog = dict_or_none(status.get("reblog"))
    source = reblog if reblog is not None else status
    content = source.get("content")
    if content is not None and not isinstance(content, str):
        raise RecordError("content", f"expected HTML text, got {type(content).__name__}")
    text = html_to_text(to_str(content, "content") or "")
    spoiler = to_str(source.get("spoiler_text"), "spoiler_text")
    if spoiler and text:
        text = f"{spoiler}\n\n{text}"
    text = to_text(text, "content", unescape=False)  # html_to_text unescaped the entities once
    to_bool(status.get("sensitive"), "sensitive")
    return {
        "post_id": post_id,
        "platform": "mastodon",
        "account_id": to_str(account.get("id"), "account.id"),
        "account_name": to_str(account.get("acct"), "account.acct"),
        "created_at": parse_iso(status.get("created_at"), "created_at"),
        "text": text,
        "lang": to_str(source.get("language"), "language"),
        "reply_to_post_id": to_str(status.get("in_reply_to_id"), "in_reply_to_id"),
        "reply_to_account_id": to_str(status.get("in_reply_to_account_id"), "in_reply_to_account_id"),
        "conversation_id": None,
        "is_repost": reblog is not None,
        "likes": to_count(status.get("favourites_count"), "favourites_count"),
        "shares": to_count(status.get("reblogs_count"), "reblogs_count"),
        "replies": to_count(status.get("replies_count"), "replies_count"),
        "quotes": to_count(status.get("quotes_count"), "quotes_count"),
        "views": None,
        "followers": to_count(account.get("followers_count"), "account.followers_count"),
    }


MASTODON = ReaderSpec(
    "mastodon", "json", iter_mastodon, "Mastodon API statuses (JSON array or JSONL)", detect=looks_like_mastodon
)

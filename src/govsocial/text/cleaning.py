"""The text-level steps of the tokeniser, as one function built once per set of options.

The same function cleans one text or a block of texts joined by newlines (the
batch path), and every step treats each text alone, so a text's tokens never
depend on the texts it is batched with: entities unescaped, mojibake repaired,
NFKC, emoji named, whitespace normalised, URLs, redaction, mentions, hashtags,
case folding and boilerplate phrases.

Example
-------
>>> clean = make_cleaner(urls="drop", mentions="drop", hashtags="tag", emoji="token", redact=True,
...                      boilerplate=["find out more"])
>>> clean("Find out more: https://t.co/x call 0491 570 156 #FluVax 👍", None).split()
[':', 'call', '#fluvax', 'emoji_thumbs_up']
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from typing import Any, Callable, Iterable, Mapping

from ..core import pii
from .emoji import replace_emoji
from .hashtags import split_hashtag

__all__ = ["make_cleaner", "compile_boilerplate"]

# Literal prefixes first so the regex engine can scan fast; the rare upper-case forms last.
_URL_HTTP = re.compile(r"https?://[^\s<>\"]+")
_URL_WWW = re.compile(r"www\.(?<![\w.]www\.)[^\s<>\"]+")
_URL_ANY_CASE = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"]+")
_DOMAIN = re.compile(r"(?i)^(?:https?://)?(?:www\.)?([^/?#:\s]+)")
_MENTION = re.compile(r"@(?<![\w.@]@)(\w{1,30})")  # literal first: fast scanning
_HASHTAG = re.compile(r"#(?<![\w&#]#)(\w*[^\W\d]\w*)")
_PLACEHOLDER = re.compile(r"<(?:" + "|".join(t.upper() for t in pii.PII_TYPES) + r")>")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z]{2,10});")
_MOJIBAKE = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6"
    "\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]{1,3}"
)
_UNICODE_SPACE = re.compile(r"[^\S\n ]")  # any whitespace but the text separator (and " ", already a space)
_ASCII_SPACE = re.compile(r"[\t\x0b\x0c\r\x1c-\x1f]")  # the ASCII whitespace that is neither " " nor "\n"
_TAG_CACHE_LIMIT = 100_000  # hashtag replacements cached per cleaner before the cache starts afresh


def _entity(m: re.Match[str]) -> str:
    value = html.unescape(m.group())
    return " " if value == "\n" else value  # "&#10;" is a space, never a new text


def _repair(m: re.Match[str]) -> str:
    s = m.group()
    try:
        return s.encode("cp1252").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return s


def compile_boilerplate(phrases: Iterable[str]) -> list[tuple[str, re.Pattern[str]]]:
    """Case-folded phrases, each with a pattern that finds it between word boundaries.

    A fixed order (longest first, ties alphabetically), never set iteration: string
    hashing, and so set order, changes from process to process (PYTHONHASHSEED).

    Example
    -------
    >>> [p for p, _ in compile_boilerplate(["Read more", "more info", "read more"])]
    ['more info', 'read more']
    """
    out = []
    for phrase in sorted({p.casefold() for p in phrases}, key=lambda p: (-len(p), p)):
        body = re.escape(phrase)
        # literal first (fast scanning), word boundaries checked after it
        out.append((phrase, re.compile(body + r"(?!\w)(?<!\w" + body + r")")))
    return out


_Groups = list[tuple[str, list[tuple[str, re.Pattern[str]]]]]


def _by_longest_word(boiler: list[tuple[str, re.Pattern[str]]]) -> _Groups:
    """The phrases grouped by their longest word, which a text must hold for any of them to match."""
    groups: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    for phrase, pattern in boiler:
        groups.setdefault(max(phrase.split() or [phrase], key=len), []).append((phrase, pattern))
    return list(groups.items())


def _key_words(groups: _Groups) -> list[str]:
    """Few words such that every phrase holds one of them: a text without any holds no phrase.

    Greedy: the word in most of the phrases left first (then the longest, then alphabetically).
    """
    left = [set(phrase.split()) or {phrase} for _, group in groups for phrase, _ in group]
    keys: list[str] = []
    while left:
        counts = Counter(word for words in left for word in words)
        key = min(counts, key=lambda w: (-counts[w], -len(w), w))
        keys.append(key)
        left = [words for words in left if key not in words]
    return keys


def _drop_spans(big: str, groups: _Groups) -> str:
    """Remove every match of every boilerplate phrase at once (the union of their spans).

    Overlapping phrases ("read more" and "more info" in "read more info") are removed
    together, so the result does not depend on the order the phrases are tried in.
    """
    spans: list[tuple[int, int]] = []
    for word, group in groups:
        if word in big:
            for phrase, pattern in group:
                if phrase in big:
                    spans.extend(m.span() for m in pattern.finditer(big))
    if not spans:
        return big
    spans.sort()
    out: list[str] = []
    last = 0
    start, end = spans[0]
    for a, b in spans[1:]:
        if a <= end:
            end = max(end, b)
            continue
        out.append(big[last:start])
        out.append(" ")
        last, (start, end) = end, (a, b)
    out.append(big[last:start])
    out.append(" ")
    out.append(big[end:])
    return "".join(out)


def _hashtag_replacer(mode: str) -> Callable[[re.Match[str]], str]:
    tags: dict[str, str] = {}

    def tag(m: re.Match[str]) -> str:
        raw = m.group(1)
        out = tags.get(raw)
        if out is None:
            if len(tags) >= _TAG_CACHE_LIMIT:
                tags.clear()
            words = [] if mode in ("tag", "drop") else split_hashtag(raw)
            head = [] if mode in ("words", "drop") else ["#" + raw.lower()]
            out = tags[raw] = " " + " ".join(head + words) + " "
        return out

    return tag


def make_cleaner(
    *, urls: str, mentions: str, hashtags: str, emoji: str, redact: bool, boilerplate: Iterable[str]
) -> Callable[[str, Counter | None], str]:
    """``clean(text, found)``: the text-level steps for these options (see the module).

    ``text`` is one text or many joined by ``"\\n"``; redaction counts are added to
    ``found`` (a Counter), or not counted when it is None.

    Example
    -------
    >>> clean = make_cleaner(urls="domain", mentions="keep", hashtags="split", emoji="drop", redact=False,
    ...                      boilerplate=[])
    >>> clean("@Jo see www.Health.gov.au/x #StaySafe", None).split()
    ['@jo', 'see', 'url:health.gov.au', '#staysafe', 'stay', 'safe']
    """
    url: Any = " " if urls == "drop" else (lambda m: " url:" + _DOMAIN.match(m.group()).group(1).lower() + " ")  # type: ignore[union-attr]
    mention: Any = " " if mentions == "drop" else (lambda m: " @" + m.group(1).lower() + " ")
    tag = _hashtag_replacer(hashtags)
    boiler = _by_longest_word(compile_boilerplate(boilerplate))
    boiler_words = _key_words(boiler)
    redact_block, redact_one, may_hold_pii = pii.redact_text_block, pii.redact, pii.may_hold_pii
    url_http, url_www, url_any, entity = _URL_HTTP.sub, _URL_WWW.sub, _URL_ANY_CASE.sub, _ENTITY.sub

    def clean(text: str, found: Counter | None) -> str:
        if "&" in text:
            text = entity(_entity, text)
        if text.isascii():
            if not text.isprintable():  # tabs, carriage returns (and the "\n" between texts)
                text = _ASCII_SPACE.sub(" ", text)
        else:
            text = _MOJIBAKE.sub(_repair, text)
            if not unicodedata.is_normalized("NFKC", text):
                text = unicodedata.normalize("NFKC", text)
            text = replace_emoji(text, emoji)
            text = _UNICODE_SPACE.sub(" ", text)
        # a one-character test first (a fast scan in C) spares the longer ones on most texts
        if ":" in text and "://" in text:
            text = url_http(url, text)
        if "." in text and "www." in text:
            text = url_www(url, text)
        if (":" in text and "://" in text) or (
            "." in text and ("ww." in text or ("W" in text and ("WW." in text or "Ww." in text or "wW." in text)))
        ):
            text = url_any(url, text)  # upper-case schemes and "WWW."
        if redact:
            counts: Mapping[str, int] | None
            if "\n" in text:  # a block of texts
                text, counts = redact_block(text)
            elif may_hold_pii(text):  # one text: what redact_text_block gives on it, without its set-up
                text, counts = redact_one(text)
            else:
                counts = None
            if counts and found is not None:
                found.update(counts)
        if "<" in text:
            text = _PLACEHOLDER.sub(" ", text)
        if "@" in text:
            text = _MENTION.sub(mention, text)
        if "#" in text:
            text = _HASHTAG.sub(tag, text)
        text = text.casefold()
        # a phrase can match only where its group's word is (tested in C, on most texts in vain)
        return _drop_spans(text, boiler) if any(map(text.__contains__, boiler_words)) else text

    return clean

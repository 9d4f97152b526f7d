"""Personal information: find it, replace it with typed placeholders, count it,
and pseudonymise citizens' handles.

What is redacted, exactly (each match becomes a typed placeholder; the tokeniser
drops the placeholders):

=========  ==========================================================  ==========================
type       what                                                        validated by
=========  ==========================================================  ==========================
email      e-mail addresses                                            shape
card       payment card numbers, 13-19 digits in groups                Luhn checksum
medicare   Australian Medicare numbers ``2123 45670 1``                 Medicare check digit
tfn        Australian tax file numbers ``123 456 782``                  TFN checksum
phone      phone numbers: Australian, UK, US and +international         digit count, prefixes, context
address    street addresses: number + name + street type               shape
name       in replies only: the addressee's name after an opening      greeting at the start
           greeting (``Hi Terry,`` ``Dear Mr Smith``)
=========  ==========================================================  ==========================

Placeholders: ``<EMAIL>``, ``<CARD>``, ``<MEDICARE>``, ``<TFN>``, ``<PHONE>``,
``<ADDRESS>``, ``<NAME>``. Context decides doubtful numbers: a number after a
reference label (``ref``, ``case``, ``crime``, ``invoice``, ``order``, ...) is not a
card, Medicare or tax file number; a number after an international prefix is part
of the phone number; a six-digit ``13xxxx`` is a phone number only written
``13 xx xx`` or after a phone word (``call``, ``phone``, ...).

What is **not** redacted: names anywhere else (in the middle of a post, in the text of
posts that are not replies, signatures, public figures), account handles in the text
(:func:`pseudonymise` replaces citizens' handles), other identifiers (licence,
passport, account numbers), dates of birth, and anything the patterns above miss.

The detectors themselves live in ``govsocial.core.pii`` (a low layer, so that readers
redact their own error messages); this module adds tables and pseudonyms.

Example
-------
>>> redact("Call me on 0491 570 156 or mail jo.citizen@example.com")
('Call me on <PHONE> or mail <EMAIL>', {'email': 1, 'phone': 1})
"""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import Any, Iterable

import numpy as np
import pandas as pd

from ..core.pii import (
    PII_TYPES,
    PLACEHOLDERS,
    find_pii,
    luhn_valid,
    medicare_valid,
    redact,
    redact_message,
    redact_text_block,
    tfn_valid,
)

__all__ = [
    "redact",
    "redact_column",
    "redact_posts",
    "redact_text_block",
    "redact_message",
    "pseudonymise",
    "pseudonymise_ids",
    "PII_TYPES",
    "PLACEHOLDERS",
    "find_pii",
    "luhn_valid",
    "tfn_valid",
    "medicare_valid",
]


def redact_column(
    texts: pd.Series | Iterable[str], *, names: bool | Iterable[bool] = False
) -> tuple[pd.Series, pd.DataFrame]:
    """Redact many texts: the redacted texts and a count table (one column per type).

    Both outputs keep the input's index (``post_id`` when given a posts table's
    column indexed by it). ``names`` (one flag for all texts, or one per text) also
    redacts the addressee's name after an opening greeting; the caller decides
    which texts deserve it (:func:`redact_posts` does it for replies).

    Example
    -------
    >>> s = pd.Series(["mail me a.b@example.org", "no pii here"], index=["p1", "p2"])
    >>> red, counts = redact_column(s)
    >>> red["p1"], int(counts.loc["p1", "email"]), int(counts["email"].sum())
    ('mail me <EMAIL>', 1, 1)
    >>> redact_column(["Hi Terry, fixed", "Hi Terry, fixed"], names=[True, False])[0].tolist()
    ['Hi <NAME>, fixed', 'Hi Terry, fixed']
    """
    if isinstance(texts, str):
        raise TypeError("redact_column expects many texts; got a single string (use redact)")
    series = texts if isinstance(texts, pd.Series) else pd.Series(list(texts), dtype="object")
    values = series.to_numpy(dtype=object)
    flags = _flags(names, len(values))
    redacted = []
    rows: list[dict[str, int] | None] = []
    for value, flag in zip(values, flags):
        if not isinstance(value, str):
            redacted.append(value)
            rows.append(None)
            continue
        text, counts = redact(value, names=bool(flag))
        redacted.append(text)
        rows.append(counts or None)
    counts = pd.DataFrame(0, index=series.index, columns=list(PII_TYPES), dtype="int64")
    for i, c in enumerate(rows):
        if c:
            for k, v in c.items():
                counts.iat[i, PII_TYPES.index(k)] = v
    return pd.Series(redacted, index=series.index, dtype=series.dtype, name=series.name), counts


def _flags(names: Any, n: int) -> np.ndarray:
    if isinstance(names, (bool, np.bool_)):
        return np.full(n, bool(names))
    if isinstance(names, str):
        raise TypeError(f"names must be True, False or one flag per text; got {names!r}")
    flags = np.asarray(list(names), dtype=bool)
    if flags.shape != (n,):
        raise ValueError(f"names must hold one flag per text: {n} texts, {flags.size} flags")
    return flags


def _replies(posts: pd.DataFrame) -> np.ndarray:
    mask = np.zeros(len(posts), dtype=bool)
    for column in ("reply_to_post_id", "reply_to_account_id"):
        if column in posts.columns:
            mask |= posts[column].notna().to_numpy()
    return mask


def redact_posts(posts: pd.DataFrame, *, names: bool | str = "replies") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Redact the ``text`` of a posts table; return the new table and a per-post count table.

    The count table has ``post_id`` and one column per type, for every post
    (zeros where nothing was found), so privacy exposure can be analysed.
    ``names="replies"`` (default) redacts the addressee's name after an opening
    greeting in every post that is a reply (``reply_to_post_id`` or
    ``reply_to_account_id`` set), whoever wrote it; ``True`` does it in every
    post, ``False`` in none.

    Example
    -------
    >>> import govsocial.core.schema as schema
    >>> posts = schema.conform({"post_id": ["1", "2", "3"], "platform": ["x"] * 3,
    ...     "reply_to_post_id": [None, "1", None],
    ...     "text": ["ring 0491 570 110", "Hi Terry, done", "Hi Terry, done"]})
    >>> red, found = redact_posts(posts)
    >>> red["text"].tolist(), found["phone"].tolist(), found["name"].tolist()
    (['ring <PHONE>', 'Hi <NAME>, done', 'Hi Terry, done'], [1, 0, 0], [0, 1, 0])
    """
    if names == "replies":
        flags: Any = _replies(posts)
    elif isinstance(names, (bool, np.bool_)):
        flags = bool(names)
    else:
        raise ValueError(f"names must be 'replies', True or False; got {names!r}")
    texts, counts = redact_column(posts["text"], names=flags)
    out = posts.copy()
    out["text"] = texts
    counts.insert(0, "post_id", posts["post_id"].to_numpy())
    return out, counts.reset_index(drop=True)


def pseudonymise_ids(ids: Iterable[object], key: bytes) -> list[str]:
    """Keyed pseudonyms of post ids: ``post_`` and 20 hex digits of HMAC-SHA256(key, id).

    Stable for the same key and id (so outputs are reproducible and can be joined back
    by whoever holds the key); without the key they cannot be linked to the post.

    Example
    -------
    >>> a = pseudonymise_ids(["42", "43"], b"k")
    >>> a == pseudonymise_ids(["42", "43"], b"k"), a[0] != a[1], len(a[0])
    (True, True, 25)
    """
    if not key:
        raise ValueError("pseudonymise_ids needs a non-empty key")
    return ["post_" + hmac.new(key, str(i).encode("utf-8"), hashlib.sha256).hexdigest()[:20] for i in ids]


def _pseudonym(value: str, key: bytes) -> str:
    return "user_" + hmac.new(key, value.lower().encode("utf-8"), hashlib.sha256).hexdigest()[:12]


def pseudonymise(posts: pd.DataFrame, key: str | bytes) -> pd.DataFrame:
    """Replace citizens' account ids, handles and @mentions of them with keyed pseudonyms.

    Government accounts (``account_type == "government"``) keep their names.
    The same ``key`` gives the same pseudonyms, so analyses join across runs;
    without the key a pseudonym cannot be linked back to a handle. Reply
    targets (``reply_to_account_id``) of citizens are pseudonymised too.

    Example
    -------
    >>> import govsocial.core.schema as schema
    >>> posts = schema.conform({"post_id": ["1", "2"], "platform": ["twitter"] * 2,
    ...     "account_id": ["9", "5"], "account_name": ["HealthDept", "jo_b"],
    ...     "account_type": ["government", "citizen"], "text": ["@jo_b see link", "@HealthDept thanks"]})
    >>> out = pseudonymise(posts, key="secret")
    >>> out.loc[0, "text"].startswith("@user_"), out.loc[1, "text"], out.loc[0, "account_name"]
    (True, '@HealthDept thanks', 'HealthDept')
    """
    if not key:
        raise ValueError("pseudonymise needs a non-empty key; keep it secret and reuse it for stable pseudonyms")
    k = key.encode("utf-8") if isinstance(key, str) else key
    out = posts.copy()
    citizen = out["account_type"].astype("string") != "government"
    gov_ids = set(out.loc[~citizen, "account_id"].dropna())
    gov_handles = {h.lower() for h in out.loc[~citizen, "account_name"].dropna()}
    for col in ("account_id", "account_name"):
        values = out.loc[citizen, col]
        out.loc[citizen, col] = values.map(lambda v: _pseudonym(v, k) if isinstance(v, str) else v)
    target = out["reply_to_account_id"]
    mask = target.notna() & ~target.isin(gov_ids)
    out.loc[mask, "reply_to_account_id"] = target[mask].map(lambda v: _pseudonym(v, k))

    def swap(m: re.Match[str]) -> str:
        handle = m.group(1)
        return m.group(0) if handle.lower() in gov_handles else "@" + _pseudonym(handle, k)

    out["text"] = out["text"].map(lambda t: _MENTION.sub(swap, t) if isinstance(t, str) and "@" in t else t)
    return out


_MENTION = re.compile(r"(?<![\w.])@(\w{1,30})")

"""Conversations and responsiveness: threads, citizen requests to agencies, and how often
and how fast agencies answer them.

* :func:`threads` rebuilds reply trees from ``reply_to_post_id`` (falling back to
  ``conversation_id`` when a parent is outside the data).
* :func:`addressed_posts` finds citizen posts addressed to a government account — replies
  to it, or mentions of its handle — and tells questions, complaints, disputes of the
  agency's information, and praise apart (rules on wording, documented in
  docs/engagement.md); :func:`requests` keeps the questions and complaints.
* :func:`responses` links each request to the addressed agency's first reply and its
  latency, in elapsed time and in business hours of the agency's time zone; unanswered
  requests are **censored** at the end of the data, never dropped.
* :func:`responsiveness` summarises per agency (or topic, theme): response rate and
  Kaplan–Meier estimates of the time to response (median, 90th percentile, share
  answered within 24 h), with unanswered requests as censored observations.

Example
-------
>>> import govsocial.core.schema as schema
>>> posts = schema.conform({"post_id": ["1", "2", "3"], "platform": ["x"] * 3,
...     "account_id": ["c", "g", "c"], "account_name": ["cit", "agency", "cit"],
...     "account_type": ["citizen", "government", "citizen"],
...     "text": ["@agency when does the pool open?", "@cit 9am tomorrow", "lovely day"],
...     "reply_to_post_id": [None, "1", None], "reply_to_account_id": [None, "c", None],
...     "created_at": ["2024-01-01T10:00Z", "2024-01-01T11:30Z", "2024-01-02T10:00Z"]})
>>> r = responses(posts)
>>> r[["post_id", "request_type", "answered", "latency_s"]].values.tolist()
[['1', 'question', True, 5400.0]]
"""

from __future__ import annotations

import re
import warnings
from typing import Any, Mapping

import numpy as np
import pandas as pd

from ..core.exceptions import InputError
from ._checks import need_table
from .messages import classify_message
from .responsiveness import responsiveness
from .survival import business_seconds

__all__ = [
    "threads",
    "addressed_posts",
    "requests",
    "responses",
    "responsiveness",
    "business_seconds",
    "classify_message",
]

_MENTION = re.compile(r"@(\w+)")
_COLUMN_HINT = "read an export that has {0}, or name the CSV column: read_posts(..., columns={{'{0}': ...}})"


def _need_government(posts: pd.DataFrame) -> None:  # a non-empty posts table must name a government account
    types = posts["account_type"].astype("string").fillna("(missing)")
    if len(posts) and not (types == "government").any():
        said = " and ".join(f"{v!r} for {k} post{'s' * (k != 1)}" for v, k in types.value_counts().items())
        raise InputError(
            f"no government accounts: account_type is {said}",
            field="account_type",
            hint="posts addressed to agencies are found through the agencies' accounts: name them "
            "with read_posts(..., registry='accounts.csv') or gs.apply_registry(posts, registry)",
        )


def threads(posts: pd.DataFrame) -> pd.DataFrame:
    """Reply trees: for each post its parent, the root of its thread, its depth, and the
    thread's size, indexed by ``post_id``. A parent outside the data makes the post a root
    of its own thread unless ``conversation_id`` names one.

    Example
    -------
    >>> import govsocial.core.schema as schema
    >>> p = schema.conform({"post_id": ["1", "2", "3"], "platform": ["x"] * 3, "text": ["a", "b", "c"],
    ...                     "reply_to_post_id": [None, "1", "2"]})
    >>> threads(p)[["root_id", "depth", "thread_size"]].values.tolist()
    [['1', 0, 3], ['1', 1, 3], ['1', 2, 3]]
    """
    need_table(posts, ["post_id"], "threads", "pass a posts table from govsocial.read_posts")
    ids = posts["post_id"].astype("string").to_numpy(dtype=object)
    parent = dict(
        zip(
            ids,
            posts["reply_to_post_id"].astype("string").to_numpy(dtype=object)
            if "reply_to_post_id" in posts.columns
            else [None] * len(ids),
        )
    )
    conversation = dict(
        zip(
            ids,
            posts["conversation_id"].astype("string").to_numpy(dtype=object)
            if "conversation_id" in posts.columns
            else [None] * len(ids),
        )
    )
    known = set(ids)
    root: dict[str, str] = {}
    depth: dict[str, int] = {}
    for pid in ids:
        chain = []
        node = pid
        while node not in root:
            chain.append(node)
            up = parent.get(node)
            if up is None or up is pd.NA or up not in known or up in chain:
                conv = conversation.get(node)
                base = (
                    conv
                    if (conv is not None and conv is not pd.NA and node != conv and up is not None and up is not pd.NA)
                    else node
                )
                root[node], depth[node] = base, (0 if base == node else 1)
                chain.pop()
                break
            node = up
        for n in reversed(chain):
            up = parent[n]
            root[n], depth[n] = root[up], depth[up] + 1
    table = pd.DataFrame(
        {
            "post_id": ids,
            "parent_id": [parent.get(i) for i in ids],
            "root_id": [root[i] for i in ids],
            "depth": [depth[i] for i in ids],
        }
    )
    table["thread_size"] = table.groupby("root_id")["post_id"].transform("size")
    return table.set_index("post_id")


def addressed_posts(posts: pd.DataFrame) -> pd.DataFrame:
    """Citizen posts addressed to a government account — a reply to it (``via="reply"``)
    or a mention of its handle (``via="mention"``) — with the kind of message. Every
    account that is not a registered government account (``account_type`` citizen or
    unknown) counts as a member of the public.

    Columns: ``post_id, account_id, addressed_account_id, via, message_type, created_at``.
    A table with no rows gives no rows; a non-empty table without any government
    account raises an :class:`~govsocial.core.exceptions.InputError` (apply a registry).

    Example
    -------
    >>> import govsocial.core.schema as schema
    >>> p = schema.conform({"post_id": ["1", "2"], "platform": ["x"] * 2, "account_id": ["g", "c"],
    ...     "account_name": ["CityCouncil", "jo"], "account_type": ["government", "citizen"],
    ...     "text": ["Bins collected Monday", "@citycouncil my bin was missed again, ridiculous"]})
    >>> addressed_posts(p)[["addressed_account_id", "via", "message_type"]].values.tolist()
    [['g', 'mention', 'complaint']]
    """
    need_table(
        posts,
        ["post_id", "account_id", "account_type", "text"],
        "addressed_posts",
        "pass a posts table from govsocial.read_posts, with an account registry applied",
    )
    _need_government(posts)
    gov = posts[posts["account_type"] == "government"]
    gov_ids = set(gov["account_id"].dropna().astype(str))
    handles = {}
    if "account_name" in gov.columns:
        handles = {str(h).lower(): str(a) for h, a in zip(gov["account_name"], gov["account_id"]) if pd.notna(h)}
    # accounts not in the registry ("unknown") are members of the public for this purpose
    citizens = posts[posts["account_type"] != "government"]
    if "is_repost" in citizens.columns:
        citizens = citizens[~citizens["is_repost"].fillna(False).astype(bool)]
    rows = []
    reply_to = (
        citizens["reply_to_account_id"]
        if "reply_to_account_id" in citizens.columns
        else pd.Series([None] * len(citizens), index=citizens.index)
    )
    created = (
        citizens["created_at"]
        if "created_at" in citizens.columns
        else pd.Series([pd.NaT] * len(citizens), index=citizens.index)
    )
    for pid, author, text, target, when in zip(
        citizens["post_id"], citizens["account_id"], citizens["text"].astype("string").fillna(""), reply_to, created
    ):
        addressed, via = None, None
        if pd.notna(target) and str(target) in gov_ids:
            addressed, via = str(target), "reply"
        else:
            for handle in _MENTION.findall(text):
                if handle.lower() in handles:
                    addressed, via = handles[handle.lower()], "mention"
                    break
        if addressed is None:
            continue
        rows.append(
            {
                "post_id": pid,
                "account_id": author,
                "addressed_account_id": addressed,
                "via": via,
                "message_type": classify_message(text),
                "created_at": when,
            }
        )
    return pd.DataFrame(
        rows, columns=["post_id", "account_id", "addressed_account_id", "via", "message_type", "created_at"]
    )


def requests(posts: pd.DataFrame) -> pd.DataFrame:
    """Questions and complaints addressed to government accounts (see :func:`addressed_posts`).

    Example
    -------
    >>> import govsocial.core.schema as schema
    >>> p = schema.conform({"post_id": ["1", "2", "3"], "platform": ["x"] * 3, "account_id": ["g", "c", "c"],
    ...     "account_name": ["Roads", "jo", "jo"], "account_type": ["government", "citizen", "citizen"],
    ...     "text": ["Lane closed", "@Roads thanks!", "@Roads when will it reopen?"]})
    >>> requests(p)[["post_id", "request_type"]].values.tolist()  # the thanks is not a request
    [['3', 'question']]
    """
    table = addressed_posts(posts)
    kept = table[table["message_type"].isin(["question", "complaint"])].rename(columns={"message_type": "request_type"})
    if len(posts) and not len(kept):
        warnings.warn(f"no requests: {_why_no_requests(posts, table)}", stacklevel=3)
    return kept.reset_index(drop=True)


def _why_no_requests(posts: pd.DataFrame, addressed: pd.DataFrame) -> str:
    """The funnel from posts to requests; the first zero is the step that removed everything."""
    gov = posts["account_type"] == "government"
    no_replies = "reply_to_account_id" not in posts.columns or posts["reply_to_account_id"].isna().all()
    return (
        f"of the {len(posts)} posts, {int((~gov).sum())} are by members of the public, {len(addressed)} of those "
        f"reply to or mention a government account ({posts.loc[gov, 'account_id'].nunique()} in the data)"
        + (" ('reply_to_account_id' is missing in every post)" if no_replies and addressed.empty else "")
        + ", and 0 of those are questions or complaints"
    )


def responses(
    posts: pd.DataFrame,
    *,
    timezones: Mapping[str, str] | None = None,
    end: Any = None,
    hours: tuple[int, int] = (9, 17),
) -> pd.DataFrame:
    """Each request (question or complaint to an agency) with the addressed agency's first
    reply: ``answered``, ``response_post_id``, ``latency_s`` (elapsed) and
    ``business_latency_s`` (within business ``hours`` of the agency's time zone, from
    ``timezones``: account_id → IANA zone, default UTC). Unanswered requests are kept,
    ``censored`` at ``end`` (default: the last post's time), with ``duration_s`` the time
    observed without an answer — the input of a survival analysis.

    Example
    -------
    >>> import govsocial.core.schema as schema
    >>> p = schema.conform({"post_id": ["0", "1", "2"], "platform": ["x"] * 3, "account_id": ["g", "c", "g"],
    ...     "account_name": ["Roads", "jo", "Roads"], "account_type": ["government", "citizen", "government"],
    ...     "text": ["Bridge closed", "@Roads is it open?", "Detour via Main St"],
    ...     "reply_to_post_id": [None, None, "0"],
    ...     "created_at": ["2023-12-31T00:00Z", "2024-01-01T00:00Z", "2024-01-01T01:00Z"]})
    >>> responses(p, end="2024-01-02T00:00Z")[["answered", "censored", "duration_s"]].values.tolist()
    [[False, True, 86400.0]]

    No posts give no rows. Without government accounts or posting times, an ``InputError``
    says what is missing; when no post is a request, a warning says which step removed
    them all; when no post has a reply id, a warning says no answer can be linked.
    """
    need_table(
        posts,
        ["post_id", "account_id", "account_type", "text", "created_at"],
        "responses",
        "pass a posts table from govsocial.read_posts",
    )
    if len(posts) and posts["created_at"].isna().all():
        raise InputError(
            f"'created_at' is missing in all {len(posts)} posts; latencies need posting times",
            field="created_at",
            hint=_COLUMN_HINT.format("created_at"),
        )
    table = requests(posts)
    if len(table) and ("reply_to_post_id" not in posts.columns or posts["reply_to_post_id"].isna().all()):
        warnings.warn(
            f"'reply_to_post_id' is missing in all {len(posts)} posts, so no agency reply can be linked to "
            f"a request and all {len(table)} requests count as unanswered; if the agencies did reply, "
            + _COLUMN_HINT.format("reply_to_post_id"),
            stacklevel=2,
        )
    timezones = dict(timezones or {})
    end_time = pd.Timestamp(end) if end is not None else posts["created_at"].max()
    if end_time.tzinfo is None:
        end_time = end_time.tz_localize("UTC")
    replies = posts[posts["reply_to_post_id"].notna()] if "reply_to_post_id" in posts.columns else posts.iloc[:0]
    by_parent: dict[tuple[str, str], tuple[pd.Timestamp, str]] = {}
    for pid, author, parent, when in zip(
        replies["post_id"], replies["account_id"], replies["reply_to_post_id"], replies["created_at"]
    ):
        key = (str(parent), str(author))
        if key not in by_parent or when < by_parent[key][0]:
            by_parent[key] = (when, str(pid))
    answered: list[bool] = []
    response_ids: list[str | None] = []
    latency: list[float] = []
    business: list[float] = []
    duration: list[float] = []
    for pid, agency, when in zip(table["post_id"], table["addressed_account_id"], table["created_at"]):
        hit = by_parent.get((str(pid), str(agency)))
        tz = timezones.get(str(agency), "UTC")
        if hit is not None and hit[0] >= when:
            answered.append(True)
            response_ids.append(hit[1])
            seconds = (hit[0] - when).total_seconds()
            latency.append(seconds)
            business.append(business_seconds(when, hit[0], tz, hours))
            duration.append(seconds)
        else:
            answered.append(False)
            response_ids.append(None)
            latency.append(np.nan)
            business.append(np.nan)
            duration.append(max((end_time - when).total_seconds(), 0.0) if pd.notna(when) else np.nan)
    table["answered"] = answered
    table["response_post_id"] = response_ids
    table["latency_s"] = latency
    table["business_latency_s"] = business
    table["censored"] = ~table["answered"]
    table["duration_s"] = duration
    return table

"""The files of the corpus: posts as API pages, the planted truth, the registry, the effects, the card."""

from __future__ import annotations

import csv
import gzip
import io
import json
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..._version import __version__
from . import frames as F
from . import transparency_frames as TF
from ._config import ENGAGEMENT_MODEL, PREVALENCE_MODEL, TRANSPARENCY_MODEL
from ._records import _Account
from ._sim import _Sim


def _iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _tweet(sim: _Sim, i: int) -> dict[str, Any]:
    p = sim.posts[i]
    author = sim.accounts[p.author]
    t: dict[str, Any] = {
        "id": sim.ids[i],
        "text": p.text,
        "author_id": author.id,
        "created_at": _iso(p.created),
        "conversation_id": sim.ids[p.root if p.root is not None else i],
        "lang": "en",
        "edit_history_tweet_ids": [sim.ids[i]],
        "public_metrics": {
            "retweet_count": p.shares,
            "reply_count": p.replies,
            "like_count": p.likes,
            "quote_count": p.quotes,
            "impression_count": p.views,
        },
    }
    if p.reply_to is not None:
        t["referenced_tweets"] = [{"type": "replied_to", "id": sim.ids[p.reply_to]}]
        t["in_reply_to_user_id"] = sim.accounts[sim.posts[p.reply_to].author].id
    if p.retweet_of is not None:
        t["referenced_tweets"] = [{"type": "retweeted", "id": sim.ids[p.retweet_of]}]
    return t


def _user(a: _Account) -> dict[str, Any]:
    return {
        "id": a.id,
        "username": a.username,
        "name": a.name,
        "public_metrics": {"followers_count": a.followers},
        "verified": a.kind == "government",
    }


def _write_gz(path: Path, chunks: Iterable[str]) -> None:
    """Write text chunks to a gzip file as they come (one chunk in memory at a time).

    The bytes do not depend on how the text is cut into chunks (deflate without flushes).
    """
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
        for chunk in chunks:
            gz.write(chunk.encode("utf-8"))


def _pages(sim: _Sim, page_size: int) -> Iterator[str]:
    """The posts as Twitter API v2 pages of ``page_size`` posts in time order, one JSON line each."""
    order = sim.order
    for start in range(0, len(order), page_size):
        chunk = order[start : start + page_size]
        users: dict[str, dict] = {}
        referenced: dict[str, dict] = {}
        data = []
        for i in chunk:
            p = sim.posts[i]
            data.append(_tweet(sim, i))
            a = sim.accounts[p.author]
            users.setdefault(a.id, _user(a))
            if p.retweet_of is not None:
                orig = sim.posts[p.retweet_of]
                referenced.setdefault(sim.ids[p.retweet_of], _tweet(sim, p.retweet_of))
                oa = sim.accounts[orig.author]
                users.setdefault(oa.id, _user(oa))
        page: dict[str, Any] = {
            "data": data,
            "includes": {"users": list(users.values())},
            "meta": {"result_count": len(data), "newest_id": data[-1]["id"], "oldest_id": data[0]["id"]},
        }
        if referenced:
            page["includes"]["tweets"] = list(referenced.values())
        yield json.dumps(page, ensure_ascii=False, separators=(",", ":")) + "\n"


TRUTH_COLUMNS = (
    "post_id",
    "account_id",
    "author_type",
    "kind",
    "theme",
    "topic",
    "portfolio",
    "dup_group",
    "pii_types",
    "pii_values",
    "sentiment",
    "request_type",
    "addressed_account_id",
    "answered",
    "response_post_id",
    "response_latency_s",
    "censored",
    "is_dispute",
    "is_correction",
    "has_link",
    "has_hashtag",
    "transparency",
    "transparency_prob",
    "topic_probs",
)


def _truth(sim: _Sim, batch: int = 10_000) -> Iterator[str]:
    """The planted truth as CSV text, ``batch`` rows at a time, in time order."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(TRUTH_COLUMNS)
    for n, i in enumerate(sim.order, 1):
        w.writerow(_truth_row(sim, i))
        if n % batch == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def _truth_row(sim: _Sim, i: int) -> list[Any]:
    p = sim.posts[i]
    a = sim.accounts[p.author]
    is_req = p.kind == "citizen_request"
    latency = ""
    if is_req and p.response_due is not None:
        latency = str(int(round((p.response_due - p.created).total_seconds())))
    return [
        sim.ids[i],
        a.id,
        a.kind,
        p.kind,
        p.theme,
        p.topic,
        p.topic.split("/")[0],
        p.dup_group or f"post:{i}",
        ";".join(k for k, _ in p.pii),
        json.dumps([v for _, v in p.pii]) if p.pii else "",
        p.sentiment,
        p.request_type,
        sim.accounts[p.addressed].id if p.addressed is not None else "",
        int(p.response is not None) if is_req else "",
        sim.ids[p.response] if p.response is not None else "",
        latency,
        int(p.response_due is not None and p.response is None) if is_req else "",
        int(p.is_dispute),
        int(p.is_correction),
        int(p.has_link),
        int(p.has_hashtag),
        p.transparency,
        p.transparency_prob if a.kind == "government" else "",
        _topic_probs(sim, p),
    ]


def _topic_probs(sim: _Sim, p: Any) -> str:
    """``topic:probability`` pairs of the portfolio's topics, ``;``-separated, for a post whose
    topic the prevalence model drew (or a template fixed); "" for a post that inherits its
    topic (replies, answers, retweets, corrections)."""
    if not p.topic_probs:
        return ""
    topics = sim.by_portfolio[p.topic.split("/")[0]]
    return ";".join(f"{t.key}:{q:g}" for t, q in zip(topics, p.topic_probs))


def _registry(sim: _Sim) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(
        ["platform", "account_id", "handle", "organisation", "level", "portfolio", "timezone", "business_hours_only"]
    )
    for a in sim.agencies:
        w.writerow(["twitter", a.id, a.username, a.name, a.level, a.portfolio, a.tz, int(a.business_hours_only)])
    return buf.getvalue()


def _effects(sim: _Sim) -> dict[str, Any]:
    gov = [p for p in sim.posts if sim.accounts[p.author].kind == "government"]
    themes = list(F.THEMES)
    realised = {t: round(sum(p.theme == t for p in gov) / max(len(gov), 1), 6) for t in themes}
    per_agency = {}
    for a in sim.agencies:
        mine = [p for p in gov if p.author == a.index]
        per_agency[a.username] = {t: round(sum(p.theme == t for p in mine) / max(len(mine), 1), 6) for t in themes}
    return {
        "generator": f"govsocial.data.synth {__version__}",
        "config": asdict(sim.cfg),
        "engagement": {**ENGAGEMENT_MODEL, "topic": sim.topic_effects},
        "transparency": _transparency_effects(sim, gov),
        "prevalence": {**PREVALENCE_MODEL, **sim.prevalence_effects},
        "agencies": [
            {
                "account_id": a.id,
                "handle": a.username,
                "organisation": a.name,
                "portfolio": a.portfolio,
                "level": a.level,
                "timezone": a.tz,
                "followers": a.followers,
                "response_prob_question": a.response_prob,
                "response_prob_complaint": round(a.response_prob * 0.75, 4),
                "median_latency_hours": a.median_latency_h,
                "latency_log_sd": 0.9,
                "business_hours_only": a.business_hours_only,
                "theme_mix": a.theme_mix,
                "topic_mix": dict(zip((t.key for t in sim.by_portfolio[a.portfolio]), a.topic_mix)),
                "transparency_rate": a.transparency_rate,
                "transparency_trend": a.transparency_trend,
            }
            for a in sim.agencies
        ],
        "realised_theme_shares": realised,
        "realised_theme_shares_by_agency": per_agency,
        "counts": {k: sum(p.kind == k for p in sim.posts) for k in sorted({p.kind for p in sim.posts})},
    }


def _transparency_effects(sim: _Sim, gov: list[Any]) -> dict[str, Any]:
    """The transparency model, and the realised and expected shares of transparent agency posts."""
    n = max(len(gov), 1)
    by_agency = {}
    for a in sim.agencies:
        mine = [p for p in gov if p.author == a.index]
        m = max(len(mine), 1)
        by_agency[a.username] = {
            "realised": round(sum(bool(p.transparency) for p in mine) / m, 6),
            "expected": round(sum(p.transparency_prob for p in mine) / m, 6),
        }
    return {
        **TRANSPARENCY_MODEL,
        "transparent_frames": {f"{t}:{k}:{i}": v for (t, k, i), v in TF.TRANSPARENT_FRAMES.items()},
        "realised_share": round(sum(bool(p.transparency) for p in gov) / n, 6),
        "expected_share": round(sum(p.transparency_prob for p in gov) / n, 6),
        "realised_type_shares": {t: round(sum(p.transparency == t for p in gov) / n, 6) for t in TF.TYPES},
        "by_agency": by_agency,
    }


def _card(sim: _Sim, effects: dict[str, Any]) -> str:
    cfg = sim.cfg
    counts = effects["counts"]
    lines = [
        "# govsocial synthetic corpus — data card",
        "",
        f"Generated by `govsocial.data.synth.generate(seed={cfg.seed}, n_posts={cfg.n_posts}, n_agencies={cfg.n_agencies})`"
        f" (govsocial {__version__}). Every account, place, person, phone number and e-mail address is invented;",
        "phone numbers come from ranges reserved for fiction and e-mail domains from `example.*`.",
        "",
        f"- period: {cfg.start} + {cfg.days} days; posts: {len(sim.posts)}; agencies: {len(sim.agencies)};"
        f" citizen accounts: {len(sim.citizens)}",
        "- posts by kind: " + ", ".join(f"{k} {v}" for k, v in counts.items()),
        "- government theme shares (realised): "
        + ", ".join(f"{k} {v:.3f}" for k, v in effects["realised_theme_shares"].items()),
        f"- transparent government posts (realised): {effects['transparency']['realised_share']:.3f} ("
        + ", ".join(f"{k} {v:.3f}" for k, v in effects["transparency"]["realised_type_shares"].items())
        + ")",
        f"- planted prevalence effects: {_n_effects(effects)} (topics the public raises more or less than"
        " agencies do, and topics whose share changes over the period; `topic_probs` in the truth)",
        "",
        "Files: `posts.jsonl.gz` (Twitter API v2 pages), `accounts.csv` (account registry),",
        "`truth.csv.gz` (planted truth per post), `effects.json` (all model parameters).",
        "What the generator imitates and what it does not: see docs/corpus.md.",
        "",
    ]
    return "\n".join(lines)


def _n_effects(effects: dict[str, Any]) -> int:
    return sum(v != 0 for name in ("public", "time") for v in effects["prevalence"][name].values())

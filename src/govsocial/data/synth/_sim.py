"""The state of one simulation and the drawing steps shared by its parts.

The state holds the random stream, the accounts and the posts in the order they were
drawn; the helpers fill text frames, place posts in time and draw engagement. Every draw
comes from ``rng`` in a fixed order, so the corpus depends only on the settings.
"""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta, timezone
from typing import Sequence
from zoneinfo import ZoneInfo

import numpy as np

from ...core.validation import check_random_state
from . import lexicon as L
from ._config import ENGAGEMENT_MODEL, METRICS, PREVALENCE_MODEL, SynthConfig
from ._records import _Account, _cumulative, _Draw, _Post, _Topic, _topics

TWITTER_EPOCH_MS = 1288834974657
_ALTERNATIVES = re.compile(r"\[([^\]]+)\]")


class _Sim:
    """One run of the generating model: settings, random stream, accounts and posts."""

    # set when the accounts are made (see _accounts.make_accounts) and when ids are assigned
    agencies: list[_Account]
    citizens: list[_Account]
    citizen_cum: list[float]
    agency_cum: list[float]
    agency_follow_cum: list[float]
    ids: list[str]
    order: list[int]

    def __init__(self, cfg: SynthConfig):
        self.cfg = cfg
        self.rng = check_random_state(cfg.seed)
        self.d = _Draw(self.rng)
        # transparency draws from a stream of its own, so the rest of the corpus does not depend on it
        self.td = _Draw(np.random.default_rng([cfg.seed, 2]))
        self.topics = _topics()
        self.topic_index = {t.key: i for i, t in enumerate(self.topics)}
        self.by_portfolio = {p: [t for t in self.topics if t.portfolio == p] for p in L.PORTFOLIOS}
        start = datetime.fromisoformat(cfg.start)
        self.start = start.replace(tzinfo=timezone.utc) if start.tzinfo is None else start.astimezone(timezone.utc)
        self.end = self.start + timedelta(days=cfg.days)
        self.posts: list[_Post] = []
        self.accounts: list[_Account] = []
        self.topic_effects = {
            m: {t.key: round(float(self.rng.normal(0, ENGAGEMENT_MODEL["topic_sd"])), 4) for t in self.topics}
            for m in METRICS
        }
        self.prevalence_effects = _prevalence_effects(self.topics, np.random.default_rng([cfg.seed, 3]))

    # ---------------------------------------------------------------- text
    def fill(
        self, frame: str, topic: _Topic, agency: _Account, extra: dict[str, str] | None = None, d: _Draw | None = None
    ) -> str:
        """``frame`` with its slots and bracketed alternatives filled, drawing from ``d``
        (default: the main stream)."""
        d = self.d if d is None else d
        nouns = [topic.nouns[d.weighted(topic.noun_cum)] for _ in range(3)]
        values = {
            "n": nouns[0],
            "n2": nouns[1],
            "n3": nouns[2],
            "N": nouns[0][:1].upper() + nouns[0][1:],
            "v": d.pick(topic.verbs),
            "a": d.pick(topic.adjs),
            "place": d.pick(L.PLACES),
            "place2": d.pick(L.PLACES),
            "day": d.pick(L.WEEKDAYS),
            "date": f"{1 + int(d.u() * 28)} {d.pick(L.MONTHS)}",
            "date2": f"{1 + int(d.u() * 28)} {d.pick(L.MONTHS)}",
            "time": self.clock(d),
            "time2": self.clock(d),
            "num": str(2 + int(d.u() * 48)),
            "month": d.pick(L.MONTHS),
            "url": f"https://www.{agency.domain}/{d.pick(topic.nouns).lower()}{int(d.u() * 900) + 100}",
            "street": f"{d.pick(L.STREET_NAMES)} {d.pick(['Street', 'Road', 'Avenue', 'Drive', 'Lane'])}",
        }
        if "{partner}" in frame:
            others = [a for a in self.agencies if a.index != agency.index] or [agency]
            values["partner"] = "@" + d.pick(others).username
        if extra:
            values.update(extra)
        if "[" in frame:
            frame = _ALTERNATIVES.sub(lambda m: d.pick(m.group(1).split("|")), frame)
        text = frame.format(**values)
        return text[0].upper() + text[1:] if text and text[0].isalpha() else text

    def clock(self, d: _Draw | None = None) -> str:
        d = self.d if d is None else d
        hour = 7 + int(d.u() * 12)
        minute = d.pick(["", ":15", ":30", ":45"])
        return f"{(hour - 1) % 12 + 1}{minute}{'am' if hour < 12 else 'pm'}"

    def vary(self, text: str, rate: float, typos: bool = False, d: _Draw | None = None) -> str:
        """Paraphrase an ordinary post a little: synonyms, fillers, dropped words, typos,
        drawing from ``d`` (default: the main stream).

        Links, handles, hashtags and numbers are never touched.
        """
        d = self.d if d is None else d
        words = text.split(" ")
        out: list[str] = []
        for w in words:
            core = w.strip(".,!?:;").lower()
            if not w or d.u() >= rate or any(c in w for c in "@#/0123456789<"):
                out.append(w)
                continue
            r = d.u()
            if core in L.SYNONYMS and r < 0.5:
                tail = w[len(w.rstrip(".,!?:;")) :]
                out.append(d.pick(L.SYNONYMS[core]) + tail)
            elif r < 0.7:
                out.extend([w, d.pick(L.FILLERS)])
            elif r < 0.85 and len(core) <= 4:
                continue  # drop a short word
            elif typos and len(w) > 4 and w.isalpha():
                i = 1 + int(d.u() * (len(w) - 3))
                out.append(w[:i] + w[i + 1] + w[i] + w[i + 2 :])  # swap two letters
            else:
                out.append(w)
        return " ".join(out)

    def decorate(
        self, text: str, topic: _Topic, agency: _Account, emoji: Sequence[str], p_tag: float, p_emoji: float
    ) -> tuple[str, bool]:
        d = self.d
        tagged = False
        if d.u() < p_tag:
            tag = d.pick(topic.tags) + (agency.place if d.u() < 0.3 else "")
            text = f"{text} #{tag}"
            tagged = True
        if d.u() < p_emoji:
            e = d.pick(emoji)
            text = f"{e} {text}" if d.u() < 0.4 else f"{text} {e}"
        return text, tagged

    def draw_topic(self, agency: _Account, public: bool, when: datetime) -> tuple[_Topic, tuple[float, ...]]:
        """A topic of ``agency``'s portfolio for an original post at ``when`` (by the public or
        the agency) and the probabilities it was drawn with (``PREVALENCE_MODEL``); one
        uniform draw from the main stream."""
        topics = self.by_portfolio[agency.portfolio]
        u = (when - self.start).total_seconds() / (self.end - self.start).total_seconds()
        effects = self.prevalence_effects
        eta = [
            math.log(max(m, 1e-9)) + effects["public"][t.key] * public + effects["time"][t.key] * (u - 0.5)
            for m, t in zip(agency.topic_mix, topics)
        ]
        top = max(eta)
        weights = [math.exp(e - top) for e in eta]
        total = sum(weights)
        probs = tuple(round(w / total, 6) for w in weights)
        return topics[self.d.weighted(_cumulative(weights))], probs

    # ---------------------------------------------------------------- time
    def local_time(self, agency: _Account, day: int, hours: Sequence[int]) -> datetime:
        tz = ZoneInfo(agency.tz)
        date = (self.start + timedelta(days=day)).astimezone(tz).date()
        hour = self.d.pick(hours)
        local = datetime(date.year, date.month, date.day, hour, int(self.d.u() * 60), int(self.d.u() * 60), tzinfo=tz)
        return min(max(local.astimezone(timezone.utc), self.start), self.end - timedelta(seconds=1))

    def business_shift(self, agency: _Account, t: datetime) -> datetime:
        if not agency.business_hours_only:
            return t
        open_h, close_h = self.cfg.business_hours
        local = t.astimezone(ZoneInfo(agency.tz))
        if local.weekday() < 5 and open_h <= local.hour < close_h:
            return t
        day = local.date() if (local.weekday() < 5 and local.hour < open_h) else local.date() + timedelta(days=1)
        while day.weekday() >= 5:
            day += timedelta(days=1)
        opening = datetime(day.year, day.month, day.day, open_h, tzinfo=ZoneInfo(agency.tz))
        return (opening + timedelta(minutes=self.d.u() * 90)).astimezone(timezone.utc)

    # ---------------------------------------------------------------- engagement
    def engage(self, post: _Post, agency: _Account) -> None:
        m = ENGAGEMENT_MODEL
        shape = 1.0 / m["dispersion"]
        mus = {}
        for metric in METRICS:
            eta = (
                m["intercept"][metric]
                + m["theme"][metric][post.theme]
                + self.topic_effects[metric][post.topic]
                + m["has_link"][metric] * post.has_link
                + m["has_hashtag"][metric] * post.has_hashtag
                + m["log_followers_per_10k"][metric] * math.log(agency.followers / 10_000)
            )
            mu = math.exp(eta)
            mus[metric] = mu
            value = int(self.rng.poisson(self.rng.gamma(shape, mu / shape)))
            setattr(post, metric, value)
        post.quotes = int(self.rng.poisson(0.08 * mus["shares"]))
        post.views = (
            int(self.rng.poisson(max(agency.followers * 0.04, 1.0) * math.exp(self.rng.normal(0, 0.3))))
            + 30 * post.likes
        )

    # ---------------------------------------------------------------- who posts and replies
    def citizen(self) -> _Account:
        return self.citizens[self.d.weighted(self.citizen_cum)]

    def reply_targets(self, n: int, metric: str) -> list[int]:
        """Pick gov posts to reply to / retweet, never more than their count says (while slots last)."""
        gov = [i for i, p in enumerate(self.posts) if p.kind in ("gov_post", "gov_template")]
        slots = np.repeat(np.array(gov, dtype=np.int64), [getattr(self.posts[i], metric) for i in gov])
        if len(slots) >= n:
            chosen = self.rng.choice(slots, size=n, replace=False)
        else:
            extra = self.rng.choice(np.array(gov), size=n - len(slots), replace=True) if gov else np.array([], int)
            chosen = np.concatenate([slots, extra])
            self.rng.shuffle(chosen)
        return [int(i) for i in chosen]

    # ---------------------------------------------------------------- ids
    def assign_ids(self) -> None:
        order = sorted(range(len(self.posts)), key=lambda i: (self.posts[i].created, i))
        self.ids = [""] * len(self.posts)
        for seq, i in enumerate(order):
            ms = int(self.posts[i].created.timestamp() * 1000) - TWITTER_EPOCH_MS
            self.ids[i] = str((ms << 22) | (seq & 0x3FFFFF))
        self.order = order
        for i in order:  # parents come before children in time, so roots resolve in one pass
            p = self.posts[i]
            p.root = i if p.reply_to is None else self.posts[p.reply_to].root


def _prevalence_effects(topics: list[_Topic], rng: np.random.Generator) -> dict[str, dict[str, float]]:
    """The planted prevalence effects (``PREVALENCE_MODEL``): per topic, the log-odds shift of
    the public's posts (``public``) and the change of log-odds over the period (``time``)."""
    m = PREVALENCE_MODEL
    out: dict[str, dict[str, float]] = {}
    for name in ("public", "time"):
        chosen = set(rng.choice(len(topics), size=m[f"n_{name}"], replace=False).tolist())
        low, high = m[f"{name}_size"]
        sizes = rng.uniform(low, high, size=len(topics)) * rng.choice([-1.0, 1.0], size=len(topics))
        out[name] = {t.key: round(float(sizes[i]), 4) if i in chosen else 0.0 for i, t in enumerate(topics)}
    return out

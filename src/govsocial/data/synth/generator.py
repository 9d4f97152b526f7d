"""Simulation and writing of the synthetic corpus (see ``docs/corpus.md``)."""

from __future__ import annotations

import bisect
import csv
import gzip
import io
import json
import math
import os
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence
from zoneinfo import ZoneInfo

import numpy as np

from ..._version import __version__
from ...core.validation import check_float, check_int, check_random_state
from . import frames as F
from . import lexicon as L

__all__ = ["SynthConfig", "simulate", "generate", "ENGAGEMENT_MODEL"]

TWITTER_EPOCH_MS = 1288834974657
_ALTERNATIVES = re.compile(r"\[([^\]]+)\]")

# Log incidence-rate effects of the engagement model (reference theme:
# providing_information). Topic effects are drawn per corpus from N(0, 0.25²).
ENGAGEMENT_MODEL: dict[str, Any] = {
    "intercept": {"likes": 1.3, "shares": 0.1, "replies": -0.5},
    "theme": {
        "likes": {"providing_information": 0.0, "delivering_services": -0.25, "engaging_stakeholders": 0.35,
                  "sourcing_ideas": 0.10, "responding_to_requests": -1.2, "collaborating": 0.20},
        "shares": {"providing_information": 0.0, "delivering_services": -0.10, "engaging_stakeholders": -0.20,
                   "sourcing_ideas": 0.40, "responding_to_requests": -1.5, "collaborating": 0.0},
        "replies": {"providing_information": 0.0, "delivering_services": 0.30, "engaging_stakeholders": 0.40,
                    "sourcing_ideas": 0.70, "responding_to_requests": -0.5, "collaborating": -0.10},
    },
    "has_link": {"likes": -0.20, "shares": 0.15, "replies": -0.10},
    "has_hashtag": {"likes": 0.10, "shares": 0.20, "replies": 0.0},
    "log_followers_per_10k": {"likes": 0.6, "shares": 0.6, "replies": 0.5},
    "topic_sd": 0.25,
    "dispersion": 0.8,
    "family": "negative binomial (NB2): var = mu + dispersion * mu^2, log link",
}
METRICS = ("likes", "shares", "replies")


@dataclass
class SynthConfig:
    """Settings of the generator; every field is written to ``effects.json``.

    Example
    -------
    >>> SynthConfig(seed=3, n_posts=100).n_agencies
    24
    """

    seed: int = 20240501
    n_posts: int = 20_000
    n_agencies: int = 24
    start: str = "2023-01-01"
    days: int = 365
    gov_share: float = 0.40
    request_share: float = 0.20
    retweet_share: float = 0.07
    template_share: float = 0.15
    pii_rate: float = 0.30
    correction_rate: float = 0.01
    citizens_per_post: float = 0.2
    theme_concentration: float = 25.0
    business_hours: tuple[int, int] = (9, 17)
    page_size: int = 100

    def check(self) -> "SynthConfig":
        check_int("seed", self.seed, low=0)
        check_int("n_posts", self.n_posts, low=50)
        check_int("n_agencies", self.n_agencies, low=1, high=len(L.PLACES))
        check_int("days", self.days, low=1)
        for name in ("gov_share", "request_share", "retweet_share", "template_share", "pii_rate",
                     "correction_rate"):
            check_float(name, getattr(self, name), low=0.0, high=1.0)
        if self.gov_share + self.request_share + self.retweet_share > 0.95:
            raise ValueError("gov_share + request_share + retweet_share must leave room for other citizen posts "
                             f"(<= 0.95); got {self.gov_share + self.request_share + self.retweet_share:.2f}")
        check_float("citizens_per_post", self.citizens_per_post, low=0.0, low_open=True)
        check_float("theme_concentration", self.theme_concentration, low=0.0, low_open=True)
        datetime.fromisoformat(self.start)
        return self


# --------------------------------------------------------------------------- helpers


class _Draw:
    """Small, fast sampling helpers on one Generator (so results depend only on the seed)."""

    def __init__(self, rng: np.random.Generator):
        self.rng = rng

    def u(self) -> float:
        return float(self.rng.random())

    def pick(self, seq: Sequence[Any]) -> Any:
        return seq[int(self.rng.random() * len(seq))]

    def weighted(self, cum: Sequence[float]) -> int:
        return min(bisect.bisect_right(cum, self.rng.random() * cum[-1]), len(cum) - 1)


def _cumulative(weights: Sequence[float] | np.ndarray) -> list[float]:
    return list(np.cumsum(np.asarray(weights, dtype=float)))


@dataclass
class _Topic:
    key: str
    portfolio: str
    nouns: list[str]
    noun_cum: list[float]
    verbs: list[str]
    adjs: list[str]
    tags: list[str]


def _topics() -> list[_Topic]:
    out = []
    for portfolio, topics in L.PORTFOLIOS.items():
        for name, (nouns, verbs, adjs, tags) in topics.items():
            weights = [1.0 / (i + 1) ** 0.9 for i in range(len(nouns))]
            out.append(_Topic(f"{portfolio}/{name}", portfolio, nouns, _cumulative(weights), verbs, adjs, tags))
    return out


@dataclass(slots=True)
class _Account:
    index: int
    id: str
    username: str
    name: str
    followers: int
    kind: str  # government | citizen
    portfolio: str = ""
    place: str = ""
    level: str = ""
    tz: str = ""
    domain: str = ""
    response_prob: float = 0.0
    median_latency_h: float = 0.0
    business_hours_only: bool = False
    theme_mix: dict[str, float] = field(default_factory=dict)
    topic_mix: list[float] = field(default_factory=list)


@dataclass(slots=True)
class _Post:
    created: datetime
    author: int
    text: str
    kind: str
    topic: str
    theme: str = ""
    reply_to: int | None = None
    retweet_of: int | None = None
    root: int | None = None
    dup_group: str = ""
    pii: Sequence[tuple[str, str]] = ()  # shared empty default: one post in 10^6 costs no list
    sentiment: str = ""
    request_type: str = ""
    addressed: int | None = None
    has_link: bool = False
    has_hashtag: bool = False
    is_correction: bool = False
    is_dispute: bool = False
    likes: int = 0
    shares: int = 0
    replies: int = 0
    quotes: int = 0
    views: int = 0
    response: int | None = None
    response_due: datetime | None = None


# --------------------------------------------------------------------------- the simulation


class _Sim:
    def __init__(self, cfg: SynthConfig):
        self.cfg = cfg
        self.rng = check_random_state(cfg.seed)
        self.d = _Draw(self.rng)
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

    # ---------------------------------------------------------------- accounts
    def make_accounts(self) -> None:
        cfg, rng = self.cfg, self.rng
        portfolios = list(L.PORTFOLIOS)
        places = list(rng.permutation(len(L.PLACES)))
        used_ids: set[str] = set()

        def new_id(digits: int) -> str:
            while True:
                value = str(int(rng.integers(10 ** (digits - 1), 10**digits)))
                if value not in used_ids:
                    used_ids.add(value)
                    return value

        themes = list(F.BASE_THEME_SHARES)
        base = np.array([F.BASE_THEME_SHARES[t] for t in themes])
        for a in range(cfg.n_agencies):
            portfolio = portfolios[a % len(portfolios)]
            place = L.PLACES[places[a]]
            short, variants = L.PORTFOLIO_NAMES[portfolio]
            mix = rng.dirichlet(base / base.sum() * cfg.theme_concentration)
            self.accounts.append(_Account(
                index=a, id=new_id(9), username=f"{place}{short}"[:15], name=f"{place} {self.d.pick(variants)}",
                followers=int(math.exp(rng.normal(9.6, 0.9))), kind="government", portfolio=portfolio,
                place=place, level=self.d.pick(L.LEVELS), tz=self.d.pick(L.TIMEZONES),
                domain=f"{short.lower()}.{place.lower()}.gov.example",
                response_prob=round(float(rng.uniform(0.35, 0.9)), 3),
                median_latency_h=round(float(math.exp(rng.uniform(math.log(0.5), math.log(30)))), 3),
                business_hours_only=bool(rng.random() < 0.5),
                theme_mix={t: round(float(m), 4) for t, m in zip(themes, mix)},
                topic_mix=[round(float(x), 4) for x in rng.dirichlet([2.0] * len(self.by_portfolio[portfolio]))],
            ))
        n_citizens = max(20, int(cfg.n_posts * cfg.citizens_per_post))
        handles: set[str] = {a.username.lower() for a in self.accounts}
        for c in range(n_citizens):
            first, last = self.d.pick(L.FIRST_NAMES), self.d.pick(L.LAST_NAMES)
            style = int(rng.integers(4))
            while True:
                digits = str(int(rng.integers(1, 9999)))
                stem = [f"{first}{last}", f"{first.lower()}_{last.lower()}",
                        f"{self.d.pick(L.HANDLE_WORDS)}{first.lower()}", f"{first[0].lower()}{last.lower()}"][style]
                handle = stem[: 15 - len(digits)] + digits
                if handle.lower() not in handles:
                    handles.add(handle.lower())
                    break
            self.accounts.append(_Account(
                index=cfg.n_agencies + c, id=new_id(18), username=handle, name=f"{first} {last}",
                followers=int(math.exp(rng.normal(5.0, 1.3))), kind="citizen"))
        self.agencies = self.accounts[: cfg.n_agencies]
        self.citizens = self.accounts[cfg.n_agencies:]
        self.citizen_cum = _cumulative(rng.pareto(1.5, len(self.citizens)) + 0.1)
        self.agency_cum = _cumulative(rng.gamma(2.0, 1.0, len(self.agencies)))
        self.agency_follow_cum = _cumulative([a.followers**0.5 for a in self.agencies])

    # ---------------------------------------------------------------- text
    def fill(self, frame: str, topic: _Topic, agency: _Account, extra: dict[str, str] | None = None) -> str:
        d = self.d
        nouns = [topic.nouns[d.weighted(topic.noun_cum)] for _ in range(3)]
        values = {
            "n": nouns[0], "n2": nouns[1], "n3": nouns[2], "N": nouns[0][:1].upper() + nouns[0][1:], "v": d.pick(topic.verbs), "a": d.pick(topic.adjs),
            "place": d.pick(L.PLACES), "place2": d.pick(L.PLACES), "day": d.pick(L.WEEKDAYS),
            "date": f"{1 + int(d.u() * 28)} {d.pick(L.MONTHS)}", "date2": f"{1 + int(d.u() * 28)} {d.pick(L.MONTHS)}",
            "time": self.clock(), "time2": self.clock(), "num": str(2 + int(d.u() * 48)), "month": d.pick(L.MONTHS),
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

    def clock(self) -> str:
        hour = 7 + int(self.d.u() * 12)
        minute = self.d.pick(["", ":15", ":30", ":45"])
        return f"{(hour - 1) % 12 + 1}{minute}{'am' if hour < 12 else 'pm'}"

    def vary(self, text: str, rate: float, typos: bool = False) -> str:
        """Paraphrase an ordinary post a little: synonyms, fillers, dropped words, typos.

        Links, handles, hashtags and numbers are never touched.
        """
        d = self.d
        words = text.split(" ")
        out: list[str] = []
        for w in words:
            core = w.strip(".,!?:;").lower()
            if not w or d.u() >= rate or any(c in w for c in "@#/0123456789<"):
                out.append(w)
                continue
            r = d.u()
            if core in L.SYNONYMS and r < 0.5:
                tail = w[len(w.rstrip(".,!?:;")):]
                out.append(d.pick(L.SYNONYMS[core]) + tail)
            elif r < 0.7:
                out.extend([w, d.pick(L.FILLERS)])
            elif r < 0.85 and len(core) <= 4:
                continue  # drop a short word
            elif typos and len(w) > 4 and w.isalpha():
                i = 1 + int(d.u() * (len(w) - 3))
                out.append(w[:i] + w[i + 1] + w[i] + w[i + 2:])  # swap two letters
            else:
                out.append(w)
        return " ".join(out)

    def decorate(self, text: str, topic: _Topic, agency: _Account, emoji: Sequence[str], p_tag: float,
                 p_emoji: float) -> tuple[str, bool]:
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
            eta = (m["intercept"][metric] + m["theme"][metric][post.theme] + self.topic_effects[metric][post.topic]
                   + m["has_link"][metric] * post.has_link + m["has_hashtag"][metric] * post.has_hashtag
                   + m["log_followers_per_10k"][metric] * math.log(agency.followers / 10_000))
            mu = math.exp(eta)
            mus[metric] = mu
            value = int(self.rng.poisson(self.rng.gamma(shape, mu / shape)))
            setattr(post, metric, value)
        post.quotes = int(self.rng.poisson(0.08 * mus["shares"]))
        post.views = int(self.rng.poisson(max(agency.followers * 0.04, 1.0) * math.exp(self.rng.normal(0, 0.3)))) \
            + 30 * post.likes

    # ---------------------------------------------------------------- government posts
    def government_posts(self, n: int) -> None:
        d, cfg = self.d, self.cfg
        hours = [7, 8, 9, 9, 10, 10, 11, 11, 12, 13, 14, 14, 15, 15, 16, 17, 18, 19, 20]
        themes = list(F.BASE_THEME_SHARES)
        made = 0
        while made < n:
            agency = self.agencies[d.weighted(self.agency_cum)]
            topics = self.by_portfolio[agency.portfolio]
            created = self.local_time(agency, int(d.u() * cfg.days), hours)
            if d.u() < cfg.template_share:
                k = int(d.u() * len(F.TEMPLATES[agency.portfolio]))
                theme, frame = F.TEMPLATES[agency.portfolio][k]
                topic = topics[min(k, len(topics) - 1)]
                text = self.fill(frame, topic, agency)
                post = _Post(created, agency.index, text, "gov_template", topic.key, theme,
                             dup_group=f"tpl:{agency.portfolio}:{k}", has_link="{url}" in frame)
            else:
                theme = themes[d.weighted(_cumulative([agency.theme_mix[t] for t in themes]))]
                topic = topics[d.weighted(_cumulative(agency.topic_mix))]
                frame = d.pick(F.GOV_FRAMES[theme])
                body = self.fill(frame, topic, agency)
                if d.u() < 0.8:
                    body = f"{body.rstrip('.')}. {self.fill(d.pick(F.TOPIC_CLAUSES), topic, agency)}"
                if d.u() < 0.5:
                    body = f"{d.pick(F.OPENERS[theme])} {body[0].lower() if body[1:2].islower() else body[0]}{body[1:]}"
                if d.u() < 0.5:
                    body = f"{body.rstrip('.')}. {d.pick(F.CLOSERS[theme])}" if "http" not in body[-40:] else \
                        f"{d.pick(F.CLOSERS[theme])} {body}"
                text, tagged = self.decorate(self.vary(body, 0.15), topic, agency, L.EMOJI_NEUTRAL + L.EMOJI_POSITIVE,
                                             0.45, 0.3)
                post = _Post(created, agency.index, text, "gov_post", topic.key, theme, has_link="{url}" in frame,
                             has_hashtag=tagged)
            self.engage(post, agency)
            self.posts.append(post)
            made += 1
            if made < n and post.theme == "providing_information" and d.u() < cfg.correction_rate:
                frame = d.pick(F.CORRECTION_FRAMES)
                fix = _Post(min(created + timedelta(hours=1 + 5 * d.u()), self.end - timedelta(seconds=1)),
                            agency.index, self.fill(frame, topic, agency), "gov_correction", topic.key,
                            "providing_information", is_correction=True, reply_to=len(self.posts) - 1)
                self.engage(fix, agency)
                self.posts.append(fix)
                made += 1

    # ---------------------------------------------------------------- citizens
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

    def citizen_text(self, kind: str, topic: _Topic, agency: _Account, with_pii: bool) -> tuple[str, list, str]:
        d = self.d
        sentiment, frames = F.CITIZEN_FRAMES[kind]
        core = self.fill(d.pick(frames), topic, agency, {"agency": "@" + agency.username})
        if d.u() < 0.5:
            mention = core.startswith("@")
            head, _, rest = core.partition(" ") if mention else ("", "", core)
            core = f"{head} {d.pick(F.CITIZEN_OPENERS)} {rest}".strip()
        if d.u() < 0.7:
            core = f"{core.rstrip('.')} {self.fill(d.pick(F.CITIZEN_TOPIC_CLAUSES), topic, agency)}"
        if d.u() < 0.5:
            core = f"{core.rstrip('.')} {d.pick(F.CITIZEN_CLOSERS)}"
        text = self.vary(core, 0.35, typos=True)
        pii: list[tuple[str, str]] = []
        if with_pii:
            r = d.u()
            kind_pii = "email" if r < 0.45 else "phone" if r < 0.85 else "address"
            value = self.pii_value(kind_pii)
            sep = " " if text[-1] in ".?!" else ". "
            text = f"{text}{sep}{d.pick(F.PII_FRAMES[kind_pii]).format(**{kind_pii: value})}"
            pii.append((kind_pii, value))
        emoji = {"positive": L.EMOJI_POSITIVE, "negative": L.EMOJI_NEGATIVE}.get(sentiment)
        if emoji and d.u() < 0.4:
            text = f"{text} {d.pick(emoji)}"
        return text, pii, sentiment

    def pii_value(self, kind: str) -> str:
        d = self.d
        if kind == "email":
            first, last = d.pick(L.FIRST_NAMES).lower(), d.pick(L.LAST_NAMES).lower()
            local = d.pick([f"{first}.{last}", f"{first}{last}{int(d.u() * 99)}", f"{first[0]}{last}",
                            f"{first}_{last}"])
            return f"{local}@{d.pick(L.EMAIL_DOMAINS)}"
        if kind == "phone":
            n3 = f"{int(d.u() * 1000):03d}"
            n4 = f"{int(d.u() * 100):02d}"
            return d.pick([f"0491 570 {n3}", f"0491570{n3}", f"+61 491 570 {n3}", f"(02) 5550 {n4}{n4[::-1]}",
                           f"07700 900{n3}", f"+44 7700 900{n3}", f"(555) 555-01{n4}", f"+1 555-555-01{n4}"])
        return f"{1 + int(d.u() * 250)} {d.pick(L.STREET_NAMES)} {d.pick(L.STREET_TYPES)}, {d.pick(L.PLACES)}"

    def citizen_posts(self, n_req: int, n_rt: int, n_total: int) -> None:
        d, cfg = self.d, self.cfg
        # requests: half are replies to agency posts, half are mentions
        n_req_reply = n_req // 2
        targets = self.reply_targets(n_req_reply, "replies")
        requests: list[int] = []
        for i in range(n_req):
            kind = "question" if d.u() < 0.6 else "complaint"
            if i < n_req_reply:
                parent = self.posts[targets[i]]
                agency = self.accounts[parent.author]
                topic = self.topics[self.topic_index[parent.topic]]
                created = parent.created + timedelta(minutes=1 + self.rng.exponential(180))
                reply_to = targets[i]
            else:
                agency = self.agencies[d.weighted(self.agency_follow_cum)]
                topics = self.by_portfolio[agency.portfolio]
                topic = topics[d.weighted(_cumulative(agency.topic_mix))]
                created = self.start + timedelta(seconds=d.u() * cfg.days * 86400)
                reply_to = None
            if created >= self.end:
                created = self.end - timedelta(seconds=1 + d.u() * 3600)
            text, pii, sentiment = self.citizen_text(kind, topic, agency, d.u() < cfg.pii_rate)
            post = _Post(created, self.citizen().index, text, "citizen_request", topic.key, reply_to=reply_to,
                         pii=pii, sentiment=sentiment, request_type=kind, addressed=agency.index)
            post.likes = int(self.rng.poisson(0.8))
            self.posts.append(post)
            requests.append(len(self.posts) - 1)
        # agency responses
        for r in requests:
            req = self.posts[r]
            agency = self.accounts[req.addressed]  # type: ignore[index]
            p = agency.response_prob * (1.0 if req.request_type == "question" else 0.75)
            if d.u() >= p:
                continue
            latency_h = math.exp(self.rng.normal(math.log(agency.median_latency_h), 0.9))
            when = self.business_shift(agency, req.created + timedelta(hours=latency_h))
            req.response_due = when
            if when >= self.end:
                continue  # answered after the data ends: censored in the observed data
            topic = self.topics[self.topic_index[req.topic]]
            citizen = self.accounts[req.author]
            k = int(d.u() * len(F.RESPONSE_FRAMES))
            text = self.fill(F.RESPONSE_FRAMES[k], topic, agency, {"citizen": "@" + citizen.username})
            resp = _Post(when, agency.index, text, "gov_response", req.topic, "responding_to_requests", reply_to=r,
                         has_link="https://" in text, dup_group=f"canned:{k}")
            self.engage(resp, agency)
            self.posts.append(resp)
            req.response = len(self.posts) - 1
            req.replies = 1 + int(self.rng.poisson(0.2))
        # retweets of agency posts
        for t in self.reply_targets(n_rt, "shares"):
            parent = self.posts[t]
            agency = self.accounts[parent.author]
            created = min(parent.created + timedelta(minutes=1 + self.rng.exponential(360)),
                          self.end - timedelta(seconds=1))
            rt = _Post(created, self.citizen().index, f"RT @{agency.username}: {parent.text}", "citizen_retweet",
                       parent.topic, retweet_of=t, dup_group=parent.dup_group or f"post:{t}")
            if not parent.dup_group:
                parent.dup_group = f"post:{t}"
            self.posts.append(rt)
        # other citizen posts: praise and disputes (replies) and chatter
        n_other = max(0, n_total - len(self.posts))
        kinds = ["praise" if (u := d.u()) < 0.25 else "dispute" if u < 0.40 else "chatter" for _ in range(n_other)]
        reply_kinds = [k for k in kinds if k != "chatter"]
        reply_targets = iter(self.reply_targets(len(reply_kinds), "replies"))
        for kind in kinds:
            if kind == "chatter":
                agency = self.agencies[d.weighted(self.agency_follow_cum)]
                topics = self.by_portfolio[agency.portfolio]
                topic = topics[int(d.u() * len(topics))]
                created = self.start + timedelta(seconds=d.u() * cfg.days * 86400)
                reply_to = None
            else:
                reply_to = next(reply_targets)
                parent = self.posts[reply_to]
                agency = self.accounts[parent.author]
                topic = self.topics[self.topic_index[parent.topic]]
                created = min(parent.created + timedelta(minutes=1 + self.rng.exponential(240)),
                              self.end - timedelta(seconds=1))
            text, pii, sentiment = self.citizen_text(kind, topic, agency, False)
            if kind == "chatter" and d.u() < 0.5:
                text, _ = self.decorate(text, topic, agency, L.EMOJI_NEUTRAL, 0.3, 0.3)
            post = _Post(created, self.citizen().index, text, f"citizen_{'chatter' if kind == 'chatter' else 'reply'}",
                         topic.key, reply_to=reply_to, sentiment=sentiment, is_dispute=kind == "dispute",
                         addressed=agency.index if reply_to is not None else None)
            post.likes = int(self.rng.poisson(1.5 if kind != "chatter" else 2.0))
            post.shares = int(self.rng.poisson(0.2))
            self.posts.append(post)

    # ---------------------------------------------------------------- run
    def run(self) -> None:
        cfg = self.cfg
        self.make_accounts()
        n = cfg.n_posts
        self.government_posts(round(cfg.gov_share * n))
        self.citizen_posts(round(cfg.request_share * n), round(cfg.retweet_share * n), n)
        # drop any overshoot from the end (never happens with the defaults; keeps n_posts exact)
        del self.posts[n:]
        self.assign_ids()

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


# --------------------------------------------------------------------------- outputs


def simulate(config: SynthConfig) -> "_Sim":
    """Run the generating model in memory and return the simulation (no files written).

    Example
    -------
    >>> sim = simulate(SynthConfig(seed=2, n_posts=200, n_agencies=8))
    >>> len(sim.posts)
    200
    """
    sim = _Sim(config.check())
    sim.run()
    return sim


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
        "public_metrics": {"retweet_count": p.shares, "reply_count": p.replies, "like_count": p.likes,
                           "quote_count": p.quotes, "impression_count": p.views},
    }
    if p.reply_to is not None:
        t["referenced_tweets"] = [{"type": "replied_to", "id": sim.ids[p.reply_to]}]
        t["in_reply_to_user_id"] = sim.accounts[sim.posts[p.reply_to].author].id
    if p.retweet_of is not None:
        t["referenced_tweets"] = [{"type": "retweeted", "id": sim.ids[p.retweet_of]}]
    return t


def _user(a: _Account) -> dict[str, Any]:
    return {"id": a.id, "username": a.username, "name": a.name,
            "public_metrics": {"followers_count": a.followers},
            "verified": a.kind == "government"}


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
        chunk = order[start:start + page_size]
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
        page: dict[str, Any] = {"data": data, "includes": {"users": list(users.values())},
                "meta": {"result_count": len(data), "newest_id": data[-1]["id"], "oldest_id": data[0]["id"]}}
        if referenced:
            page["includes"]["tweets"] = list(referenced.values())
        yield json.dumps(page, ensure_ascii=False, separators=(",", ":")) + "\n"


TRUTH_COLUMNS = ("post_id", "account_id", "author_type", "kind", "theme", "topic", "portfolio", "dup_group",
                 "pii_types", "pii_values", "sentiment", "request_type", "addressed_account_id", "answered",
                 "response_post_id", "response_latency_s", "censored", "is_dispute", "is_correction", "has_link",
                 "has_hashtag")


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
        sim.ids[i], a.id, a.kind, p.kind, p.theme, p.topic, p.topic.split("/")[0],
        p.dup_group or f"post:{i}", ";".join(k for k, _ in p.pii), json.dumps([v for _, v in p.pii]) if p.pii else "",
        p.sentiment, p.request_type,
        sim.accounts[p.addressed].id if p.addressed is not None else "",
        int(p.response is not None) if is_req else "",
        sim.ids[p.response] if p.response is not None else "",
        latency, int(p.response_due is not None and p.response is None) if is_req else "",
        int(p.is_dispute), int(p.is_correction), int(p.has_link), int(p.has_hashtag),
    ]


def _registry(sim: _Sim) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["platform", "account_id", "handle", "organisation", "level", "portfolio", "timezone",
                "business_hours_only"])
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
        "agencies": [
            {"account_id": a.id, "handle": a.username, "organisation": a.name, "portfolio": a.portfolio,
             "level": a.level, "timezone": a.tz, "followers": a.followers, "response_prob_question": a.response_prob,
             "response_prob_complaint": round(a.response_prob * 0.75, 4), "median_latency_hours": a.median_latency_h,
             "latency_log_sd": 0.9, "business_hours_only": a.business_hours_only,
             "theme_mix": a.theme_mix,
             "topic_mix": dict(zip((t.key for t in sim.by_portfolio[a.portfolio]), a.topic_mix))}
            for a in sim.agencies
        ],
        "realised_theme_shares": realised,
        "realised_theme_shares_by_agency": per_agency,
        "counts": {k: sum(p.kind == k for p in sim.posts) for k in sorted({p.kind for p in sim.posts})},
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
        "",
        "Files: `posts.jsonl.gz` (Twitter API v2 pages), `accounts.csv` (account registry),",
        "`truth.csv.gz` (planted truth per post), `effects.json` (all model parameters).",
        "What the generator imitates and what it does not: see docs/corpus.md.",
        "",
    ]
    return "\n".join(lines)


def generate(
    seed: int = SynthConfig.seed,
    n_posts: int = SynthConfig.n_posts,
    n_agencies: int = SynthConfig.n_agencies,
    out_dir: str | os.PathLike[str] = "corpora/govsocial-sample",
    **options: Any,
) -> Path:
    """Generate the synthetic corpus and write it to ``out_dir``; return that folder.

    Same arguments → byte-identical files. ``options`` are further
    :class:`SynthConfig` fields (``days``, ``gov_share``, ``pii_rate``, ...).

    Example
    -------
    >>> import tempfile, govsocial as gs
    >>> out = generate(seed=5, n_posts=200, n_agencies=8, out_dir=tempfile.mkdtemp())
    >>> posts, rejects = gs.read_posts(out / "posts.jsonl.gz", registry=out / "accounts.csv",
    ...                                unregistered="citizen")
    >>> len(posts), len(rejects)
    (200, 0)
    """
    unknown = set(options) - set(SynthConfig.__dataclass_fields__)
    if unknown:
        raise TypeError(f"unknown generator option(s): {', '.join(sorted(unknown))}")
    cfg = SynthConfig(seed=seed, n_posts=n_posts, n_agencies=n_agencies, **options)
    sim = simulate(cfg)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    effects = _effects(sim)
    _write_gz(out / "posts.jsonl.gz", _pages(sim, cfg.page_size))
    _write_gz(out / "truth.csv.gz", _truth(sim))
    (out / "accounts.csv").write_text(_registry(sim), encoding="utf-8")
    (out / "effects.json").write_text(json.dumps(effects, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (out / "CARD.md").write_text(_card(sim, effects), encoding="utf-8")
    return out

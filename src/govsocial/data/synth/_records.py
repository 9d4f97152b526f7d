"""The records of the simulation (topics, accounts, posts) and its sampling helpers."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Sequence

import numpy as np

from . import lexicon as L


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
    transparency_rate: float = 0.0  # probability of a transparent post at mid-period (before theme multipliers)
    transparency_trend: float = 0.0  # change of its log-odds from the start of the period to the end


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
    transparency: str = ""  # the transparency type planted in the post ("" = not transparent)
    transparency_prob: float = 0.0  # the probability it had of being transparent, given its frame
    topic_probs: Sequence[float] = ()  # the probabilities its topic was drawn with (portfolio order); () = inherited

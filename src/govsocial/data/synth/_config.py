"""The generator's settings and the fixed coefficients of its engagement model."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ...core.validation import check_float, check_int
from . import lexicon as L

# Log incidence-rate effects of the engagement model (reference theme:
# providing_information). Topic effects are drawn per corpus from N(0, 0.25²).
ENGAGEMENT_MODEL: dict[str, Any] = {
    "intercept": {"likes": 1.3, "shares": 0.1, "replies": -0.5},
    "theme": {
        "likes": {
            "providing_information": 0.0,
            "delivering_services": -0.25,
            "engaging_stakeholders": 0.35,
            "sourcing_ideas": 0.10,
            "responding_to_requests": -1.2,
            "collaborating": 0.20,
        },
        "shares": {
            "providing_information": 0.0,
            "delivering_services": -0.10,
            "engaging_stakeholders": -0.20,
            "sourcing_ideas": 0.40,
            "responding_to_requests": -1.5,
            "collaborating": 0.0,
        },
        "replies": {
            "providing_information": 0.0,
            "delivering_services": 0.30,
            "engaging_stakeholders": 0.40,
            "sourcing_ideas": 0.70,
            "responding_to_requests": -0.5,
            "collaborating": -0.10,
        },
    },
    "has_link": {"likes": -0.20, "shares": 0.15, "replies": -0.10},
    "has_hashtag": {"likes": 0.10, "shares": 0.20, "replies": 0.0},
    "log_followers_per_10k": {"likes": 0.6, "shares": 0.6, "replies": 0.5},
    "topic_sd": 0.25,
    "dispersion": 0.8,
    "family": "negative binomial (NB2): var = mu + dispersion * mu^2, log link",
}
METRICS = ("likes", "shares", "replies")

# Transparency (Bertot, Jaeger & Grimes 2010): how often an agency's post publishes data,
# documents, decisions, budgets or performance, or an answer cites its source. Agency a's
# probability at time u (the fraction of the period gone, 0..1) is
# expit(logit(rate_a) + trend_a * (u - 0.5)) times the post's theme multiplier (answers:
# the response multiplier), at most max_prob; rate_a ~ Beta(rate_beta), trend_a ~
# N(trend_mean, trend_sd²). Drawn from a random stream of its own (seeded by [seed, 2]),
# so every other part of the corpus is the same as without it.
TRANSPARENCY_MODEL: dict[str, Any] = {
    "rate_beta": [2.0, 8.0],
    "trend_mean": 1.0,
    "trend_sd": 0.6,
    "theme_multiplier": {
        "providing_information": 1.4,
        "delivering_services": 0.6,
        "engaging_stakeholders": 0.5,
        "sourcing_ideas": 1.0,
        "collaborating": 0.8,
    },
    "response_multiplier": 0.5,
    "max_prob": 0.95,
    "type_shares": {
        "data": 0.22,
        "documents": 0.20,
        "decisions": 0.14,
        "budget": 0.16,
        "performance": 0.16,
        "cited_source": 0.12,
    },
    "stream": "numpy.random.default_rng([seed, 2])",
}


# Topic prevalence (Roberts, Stewart & Airoldi 2016): which topic of its agency's portfolio
# an original post (an agency's own free post, a citizen's mention of an agency, a citizen's
# chatter) is about. Topic k of agency a's portfolio has probability
# p_k ∝ topic_mix_a[k] · exp(public_k · public + time_k · (u − 1/2)), u the fraction of the
# period gone. ``n_public`` topics get public_k = ±U(public_size) (the public raises them
# more or less than agencies do), ``n_time`` topics get time_k = ±U(time_size) (their
# log-odds change by that much over the period); the rest are 0. Drawn from a random stream
# of its own (seeded by [seed, 3]). Templated agency posts keep their template's topic.
# Each drawn post's probabilities are written to the truth (``topic_probs``).
PREVALENCE_MODEL: dict[str, Any] = {
    "n_public": 10,
    "public_size": [0.7, 1.4],
    "n_time": 10,
    "time_size": [1.0, 2.0],
    "stream": "numpy.random.default_rng([seed, 3])",
}


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
        for name in ("gov_share", "request_share", "retweet_share", "template_share", "pii_rate", "correction_rate"):
            check_float(name, getattr(self, name), low=0.0, high=1.0)
        if self.gov_share + self.request_share + self.retweet_share > 0.95:
            raise ValueError(
                "gov_share + request_share + retweet_share must leave room for other citizen posts "
                f"(<= 0.95); got {self.gov_share + self.request_share + self.retweet_share:.2f}"
            )
        check_float("citizens_per_post", self.citizens_per_post, low=0.0, low_open=True)
        check_float("theme_concentration", self.theme_concentration, low=0.0, low_open=True)
        datetime.fromisoformat(self.start)
        return self

"""Transparency in the agencies' posts: which of them publish data, documents, decisions,
budgets or performance, or answer with a source, and the sentences that say so.

Everything here draws from the simulation's transparency stream (``sim.td``), never from
the main one, so the rest of the corpus — accounts, themes, topics, times, engagement,
replies — is the same as it would be without transparency; only the words of the
transparent posts differ. The model and its parameters: ``TRANSPARENCY_MODEL`` and
``docs/corpus.md``.
"""

from __future__ import annotations

import math
from datetime import datetime

from . import transparency_frames as TF
from ._config import TRANSPARENCY_MODEL as M
from ._records import _Account, _cumulative, _Topic
from ._sim import _Sim

_TYPE_CUM = _cumulative([M["type_shares"][t] for t in TF.TYPES])
_LINK_END = ("http", "www.")


def draw_agencies(sim: _Sim) -> None:
    """Each agency's mid-period rate (``Beta(rate_beta)``) and trend (log-odds over the period)."""
    a, b = M["rate_beta"]
    for agency in sim.agencies:
        agency.transparency_rate = round(min(max(float(sim.td.rng.beta(a, b)), 1e-4), 1 - 1e-4), 4)
        agency.transparency_trend = round(float(sim.td.rng.normal(M["trend_mean"], M["trend_sd"])), 4)


def probability(sim: _Sim, agency: _Account, when: datetime, multiplier: float) -> float:
    """The planted probability that ``agency``'s post at ``when`` is transparent:
    ``min(max_prob, multiplier * expit(logit(rate) + trend * (u - 1/2)))``, ``u`` the
    fraction of the period gone (rounded to 6 digits, as written to the truth)."""
    u = (when - sim.start).total_seconds() / (sim.end - sim.start).total_seconds()
    rate = agency.transparency_rate
    eta = math.log(rate / (1 - rate)) + agency.transparency_trend * (u - 0.5)
    return round(min(M["max_prob"], multiplier / (1.0 + math.exp(-eta))), 6)


def _slots(sim: _Sim) -> dict[str, str]:
    """Values of the transparency frames' own slots (amounts, percentages, counts, years)."""
    d = sim.td
    year = sim.start.year
    amount = 0.2 + 40 * d.u() ** 2
    return {
        "money": f"${amount:.1f}m",
        "money2": f"${amount * (0.6 + 0.5 * d.u()):.1f}m",
        "pct": str(40 + int(d.u() * 59)),
        "count": f"{200 + int(d.u() * 20_000):,}",
        "small": str(2 + int(d.u() * 8)),
        "big": str(10 + int(d.u() * 90)),
        "fy": f"{year - 1}-{year % 100:02d}",
        "year": str(year - 1 - int(d.u() * 8)),
    }


def _join(first: str, second: str) -> str:
    """Two sentences joined with a full stop where the first has no closing mark or link."""
    first = first.rstrip()
    last = first.rsplit(" ", 1)[-1]
    if first[-1:] in ".!?)" or last.startswith(_LINK_END):
        return f"{first} {second}"
    return f"{first}. {second}"


def post_sentence(
    sim: _Sim, text: str, has_link: bool, topic: _Topic, agency: _Account, theme: str, when: datetime
) -> tuple[str, str, float]:
    """An ordinary post's text with a transparency sentence added with its planted
    probability: ``(text, type or "", probability)``. A type is drawn by
    ``type_shares``, then one of its frames (with a link only if the post has one); the
    sentence closes the post, or opens it (three in ten, when it has no link and is no
    source line)."""
    d = sim.td
    p = probability(sim, agency, when, M["theme_multiplier"][theme])
    if d.u() >= p:
        return text, "", p
    kind = TF.TYPES[d.weighted(_TYPE_CUM)]
    frames = [f for f in TF.SENTENCES[kind] if has_link or "{url}" not in f]
    frame = d.pick(frames)
    sentence = sim.vary(sim.fill(frame, topic, agency, _slots(sim), d=d), 0.1, d=d)
    if kind != "cited_source" and "{url}" not in frame and d.u() < 0.3:
        return _join(sentence, text), kind, p
    return _join(text, sentence), kind, p


def response_text(
    sim: _Sim, text: str, topic: _Topic, agency: _Account, citizen: str, when: datetime
) -> tuple[str, str, float, int | None]:
    """An answer that cites its source, with its planted probability, in place of the canned
    ``text``: ``(text, type or "", probability, index of the source answer or None)``. The
    source answer has a link exactly when ``text`` has one."""
    d = sim.td
    p = probability(sim, agency, when, M["response_multiplier"])
    if d.u() >= p:
        return text, "", p, None
    linked = "https://" in text
    choices = [k for k, f in enumerate(TF.SOURCE_RESPONSES) if ("{url}" in f) == linked]
    k = d.pick(choices)
    filled = sim.fill(TF.SOURCE_RESPONSES[k], topic, agency, {**_slots(sim), "citizen": citizen}, d=d)
    return filled, "cited_source", p, k

"""The citizens' posts: requests and the agencies' answers, retweets, praise, disputes, chatter."""

from __future__ import annotations

import math
from datetime import timedelta

from . import _transparency as T
from . import citizen_frames as CF
from . import frames as F
from . import lexicon as L
from ._records import _Account, _Post, _Topic
from ._sim import _Sim


def citizen_posts(sim: _Sim, n_req: int, n_rt: int, n_total: int) -> None:
    """Draw the citizens' posts after the agencies' own: ``n_req`` requests (and the answers
    they get), ``n_rt`` retweets, then praise, disputes and chatter up to ``n_total`` posts."""
    requests = _requests(sim, n_req)
    _responses(sim, requests)
    _retweets(sim, n_rt)
    _other_posts(sim, n_total)


def _requests(sim: _Sim, n_req: int) -> list[int]:
    """Questions and complaints: half are replies to agency posts, half are mentions."""
    d, cfg = sim.d, sim.cfg
    n_req_reply = n_req // 2
    targets = sim.reply_targets(n_req_reply, "replies")
    requests: list[int] = []
    for i in range(n_req):
        kind = "question" if d.u() < 0.6 else "complaint"
        if i < n_req_reply:
            parent = sim.posts[targets[i]]
            agency = sim.accounts[parent.author]
            topic = sim.topics[sim.topic_index[parent.topic]]
            created = parent.created + timedelta(minutes=1 + sim.rng.exponential(180))
            reply_to = targets[i]
            probs: tuple[float, ...] = ()
        else:
            agency = sim.agencies[d.weighted(sim.agency_follow_cum)]
            created = sim.start + timedelta(seconds=d.u() * cfg.days * 86400)
            topic, probs = sim.draw_topic(agency, True, created)
            reply_to = None
        if created >= sim.end:
            created = sim.end - timedelta(seconds=1 + d.u() * 3600)
        text, pii, sentiment = _citizen_text(sim, kind, topic, agency, d.u() < cfg.pii_rate)
        post = _Post(
            created,
            sim.citizen().index,
            text,
            "citizen_request",
            topic.key,
            reply_to=reply_to,
            pii=pii,
            sentiment=sentiment,
            request_type=kind,
            addressed=agency.index,
            topic_probs=probs,
        )
        post.likes = int(sim.rng.poisson(0.8))
        sim.posts.append(post)
        requests.append(len(sim.posts) - 1)
    return requests


def _responses(sim: _Sim, requests: list[int]) -> None:
    """The agencies' answers to the requests at these indices of ``sim.posts``."""
    d = sim.d
    for r in requests:
        req = sim.posts[r]
        agency = sim.accounts[req.addressed]  # type: ignore[index]
        p = agency.response_prob * (1.0 if req.request_type == "question" else 0.75)
        if d.u() >= p:
            continue
        latency_h = math.exp(sim.rng.normal(math.log(agency.median_latency_h), 0.9))
        when = sim.business_shift(agency, req.created + timedelta(hours=latency_h))
        req.response_due = when
        if when >= sim.end:
            continue  # answered after the data ends: censored in the observed data
        topic = sim.topics[sim.topic_index[req.topic]]
        citizen = sim.accounts[req.author]
        k = int(d.u() * len(F.RESPONSE_FRAMES))
        text = sim.fill(F.RESPONSE_FRAMES[k], topic, agency, {"citizen": "@" + citizen.username})
        text, kind, prob, source = T.response_text(sim, text, topic, agency, "@" + citizen.username, when)
        resp = _Post(
            when,
            agency.index,
            text,
            "gov_response",
            req.topic,
            "responding_to_requests",
            reply_to=r,
            has_link="https://" in text,
            dup_group=f"canned:{k}" if source is None else f"canned_source:{source}",
            transparency=kind,
            transparency_prob=prob,
        )
        sim.engage(resp, agency)
        sim.posts.append(resp)
        req.response = len(sim.posts) - 1
        req.replies = 1 + int(sim.rng.poisson(0.2))


def _retweets(sim: _Sim, n_rt: int) -> None:
    """Citizens' retweets of agency posts."""
    for t in sim.reply_targets(n_rt, "shares"):
        parent = sim.posts[t]
        agency = sim.accounts[parent.author]
        created = min(parent.created + timedelta(minutes=1 + sim.rng.exponential(360)), sim.end - timedelta(seconds=1))
        rt = _Post(
            created,
            sim.citizen().index,
            f"RT @{agency.username}: {parent.text}",
            "citizen_retweet",
            parent.topic,
            retweet_of=t,
            dup_group=parent.dup_group or f"post:{t}",
        )
        if not parent.dup_group:
            parent.dup_group = f"post:{t}"
        sim.posts.append(rt)


def _other_posts(sim: _Sim, n_total: int) -> None:
    """Other citizen posts up to ``n_total``: praise and disputes (replies) and chatter."""
    d, cfg = sim.d, sim.cfg
    n_other = max(0, n_total - len(sim.posts))
    kinds = ["praise" if (u := d.u()) < 0.25 else "dispute" if u < 0.40 else "chatter" for _ in range(n_other)]
    reply_kinds = [k for k in kinds if k != "chatter"]
    reply_targets = iter(sim.reply_targets(len(reply_kinds), "replies"))
    for kind in kinds:
        if kind == "chatter":
            agency = sim.agencies[d.weighted(sim.agency_follow_cum)]
            created = sim.start + timedelta(seconds=d.u() * cfg.days * 86400)
            topic, probs = sim.draw_topic(agency, True, created)
            reply_to = None
        else:
            probs = ()  # inherited from the post it answers
            reply_to = next(reply_targets)
            parent = sim.posts[reply_to]
            agency = sim.accounts[parent.author]
            topic = sim.topics[sim.topic_index[parent.topic]]
            created = min(
                parent.created + timedelta(minutes=1 + sim.rng.exponential(240)), sim.end - timedelta(seconds=1)
            )
        text, pii, sentiment = _citizen_text(sim, kind, topic, agency, False)
        if kind == "chatter" and d.u() < 0.5:
            text, _ = sim.decorate(text, topic, agency, L.EMOJI_NEUTRAL, 0.3, 0.3)
        post = _Post(
            created,
            sim.citizen().index,
            text,
            f"citizen_{'chatter' if kind == 'chatter' else 'reply'}",
            topic.key,
            reply_to=reply_to,
            sentiment=sentiment,
            is_dispute=kind == "dispute",
            addressed=agency.index if reply_to is not None else None,
            topic_probs=probs,
        )
        post.likes = int(sim.rng.poisson(1.5 if kind != "chatter" else 2.0))
        post.shares = int(sim.rng.poisson(0.2))
        sim.posts.append(post)


def _citizen_text(sim: _Sim, kind: str, topic: _Topic, agency: _Account, with_pii: bool) -> tuple[str, list, str]:
    """A citizen's post of this kind about ``topic`` to ``agency``: (text, planted personal
    information, sentiment)."""
    d = sim.d
    sentiment, frames = CF.CITIZEN_FRAMES[kind]
    core = sim.fill(d.pick(frames), topic, agency, {"agency": "@" + agency.username})
    if d.u() < 0.5:
        mention = core.startswith("@")
        head, _, rest = core.partition(" ") if mention else ("", "", core)
        core = f"{head} {d.pick(CF.CITIZEN_OPENERS)} {rest}".strip()
    if d.u() < 0.7:
        core = f"{core.rstrip('.')} {sim.fill(d.pick(CF.CITIZEN_TOPIC_CLAUSES), topic, agency)}"
    if d.u() < 0.5:
        core = f"{core.rstrip('.')} {d.pick(CF.CITIZEN_CLOSERS)}"
    text = sim.vary(core, 0.35, typos=True)
    pii: list[tuple[str, str]] = []
    if with_pii:
        r = d.u()
        kind_pii = "email" if r < 0.45 else "phone" if r < 0.85 else "address"
        value = _pii_value(sim, kind_pii)
        sep = " " if text[-1] in ".?!" else ". "
        text = f"{text}{sep}{d.pick(CF.PII_FRAMES[kind_pii]).format(**{kind_pii: value})}"
        pii.append((kind_pii, value))
    emoji = {"positive": L.EMOJI_POSITIVE, "negative": L.EMOJI_NEGATIVE}.get(sentiment)
    if emoji and d.u() < 0.4:
        text = f"{text} {d.pick(emoji)}"
    return text, pii, sentiment


def _pii_value(sim: _Sim, kind: str) -> str:
    """An invented e-mail address, phone number (from ranges reserved for fiction) or street address."""
    d = sim.d
    if kind == "email":
        first, last = d.pick(L.FIRST_NAMES).lower(), d.pick(L.LAST_NAMES).lower()
        local = d.pick([f"{first}.{last}", f"{first}{last}{int(d.u() * 99)}", f"{first[0]}{last}", f"{first}_{last}"])
        return f"{local}@{d.pick(L.EMAIL_DOMAINS)}"
    if kind == "phone":
        n3 = f"{int(d.u() * 1000):03d}"
        n4 = f"{int(d.u() * 100):02d}"
        return d.pick(
            [
                f"0491 570 {n3}",
                f"0491570{n3}",
                f"+61 491 570 {n3}",
                f"(02) 5550 {n4}{n4[::-1]}",
                f"07700 900{n3}",
                f"+44 7700 900{n3}",
                f"(555) 555-01{n4}",
                f"+1 555-555-01{n4}",
            ]
        )
    return f"{1 + int(d.u() * 250)} {d.pick(L.STREET_NAMES)} {d.pick(L.STREET_TYPES)}, {d.pick(L.PLACES)}"

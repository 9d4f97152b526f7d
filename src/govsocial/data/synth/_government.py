"""The agencies' own posts: templates, free posts and corrections."""

from __future__ import annotations

from datetime import datetime, timedelta

from . import _transparency as T
from . import frames as F
from . import lexicon as L
from . import transparency_frames as TF
from ._records import _Account, _cumulative, _Post, _Topic
from ._sim import _Sim

_HOURS = [7, 8, 9, 9, 10, 10, 11, 11, 12, 13, 14, 14, 15, 15, 16, 17, 18, 19, 20]  # agencies post in office hours


def government_posts(sim: _Sim, n: int) -> None:
    """Draw ``n`` agency posts (corrections count towards ``n``)."""
    d, cfg = sim.d, sim.cfg
    T.draw_agencies(sim)
    made = 0
    while made < n:
        agency = sim.agencies[d.weighted(sim.agency_cum)]
        topics = sim.by_portfolio[agency.portfolio]
        created = sim.local_time(agency, int(d.u() * cfg.days), _HOURS)
        if d.u() < cfg.template_share:
            post, topic = _template_post(sim, agency, topics, created)
        else:
            post, topic = _free_post(sim, agency, topics, created)
        sim.engage(post, agency)
        sim.posts.append(post)
        made += 1
        if made < n and post.theme == "providing_information" and d.u() < cfg.correction_rate:
            frame = d.pick(F.CORRECTION_FRAMES)
            fix = _Post(
                min(created + timedelta(hours=1 + 5 * d.u()), sim.end - timedelta(seconds=1)),
                agency.index,
                sim.fill(frame, topic, agency),
                "gov_correction",
                topic.key,
                "providing_information",
                is_correction=True,
                reply_to=len(sim.posts) - 1,
            )
            sim.engage(fix, agency)
            sim.posts.append(fix)
            made += 1


def _template_post(sim: _Sim, agency: _Account, topics: list[_Topic], created: datetime) -> tuple[_Post, _Topic]:
    """One of the portfolio's templated posts, with its place, street, number or date filled in."""
    k = int(sim.d.u() * len(F.TEMPLATES[agency.portfolio]))
    theme, frame = F.TEMPLATES[agency.portfolio][k]
    topic = sim.topics[sim.topic_index[f"{agency.portfolio}/{F.TEMPLATE_TOPICS[agency.portfolio][k]}"]]
    text = sim.fill(frame, topic, agency)
    post = _Post(
        created,
        agency.index,
        text,
        "gov_template",
        topic.key,
        theme,
        dup_group=f"tpl:{agency.portfolio}:{k}",
        has_link="{url}" in frame,
    )
    kind = TF.TRANSPARENT_FRAMES.get(("TEMPLATES", agency.portfolio, k), "")
    post.transparency, post.transparency_prob = kind, float(bool(kind))
    post.topic_probs = tuple(float(t is topic) for t in topics)
    return post, topic


def _free_post(sim: _Sim, agency: _Account, topics: list[_Topic], created: datetime) -> tuple[_Post, _Topic]:
    """An ordinary post: a frame of a theme drawn from the agency's mixture, about a topic drawn
    from its topic mixture, with a topic clause, opener, closer, paraphrases and decorations,
    and a transparency sentence with the agency's probability (unless the frame is transparent
    as written)."""
    d = sim.d
    themes = list(F.BASE_THEME_SHARES)
    theme = themes[d.weighted(_cumulative([agency.theme_mix[t] for t in themes]))]
    topic, probs = sim.draw_topic(agency, False, created)
    k = int(d.u() * len(F.GOV_FRAMES[theme]))  # as d.pick draws it
    frame = F.GOV_FRAMES[theme][k]
    body = sim.fill(frame, topic, agency)
    if d.u() < 0.8:
        body = f"{body.rstrip('.')}. {sim.fill(d.pick(F.TOPIC_CLAUSES), topic, agency)}"
    if d.u() < 0.5:
        body = f"{d.pick(F.OPENERS[theme])} {body[0].lower() if body[1:2].islower() else body[0]}{body[1:]}"
    if d.u() < 0.5:
        body = (
            f"{body.rstrip('.')}. {d.pick(F.CLOSERS[theme])}"
            if "http" not in body[-40:]
            else f"{d.pick(F.CLOSERS[theme])} {body}"
        )
    body = sim.vary(body, 0.15)
    has_link = "{url}" in frame
    kind = TF.TRANSPARENT_FRAMES.get(("GOV_FRAMES", theme, k), "")
    if kind:
        prob = 1.0
    else:
        body, kind, prob = T.post_sentence(sim, body, has_link, topic, agency, theme, created)
    text, tagged = sim.decorate(body, topic, agency, L.EMOJI_NEUTRAL + L.EMOJI_POSITIVE, 0.45, 0.3)
    post = _Post(created, agency.index, text, "gov_post", topic.key, theme, has_link=has_link, has_hashtag=tagged)
    post.transparency, post.transparency_prob = kind, prob
    post.topic_probs = probs
    return post, topic

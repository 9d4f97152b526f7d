"""The accounts of the simulation: the agencies and the citizens."""

from __future__ import annotations

import math
from typing import Callable

import numpy as np

from . import frames as F
from . import lexicon as L
from ._records import _Account, _cumulative
from ._sim import _Sim


def make_accounts(sim: _Sim) -> None:
    """Draw the agencies, then the citizens, then how often each posts."""
    cfg, rng = sim.cfg, sim.rng
    new_id = _id_drawer(rng)
    _make_agencies(sim, new_id)
    _make_citizens(sim, new_id)
    sim.agencies = sim.accounts[: cfg.n_agencies]
    sim.citizens = sim.accounts[cfg.n_agencies :]
    sim.citizen_cum = _cumulative(rng.pareto(1.5, len(sim.citizens)) + 0.1)
    sim.agency_cum = _cumulative(rng.gamma(2.0, 1.0, len(sim.agencies)))
    sim.agency_follow_cum = _cumulative([a.followers**0.5 for a in sim.agencies])


def _id_drawer(rng: np.random.Generator) -> Callable[[int], str]:
    """A function drawing account ids of ``digits`` digits from ``rng``, never the same id twice."""
    used_ids: set[str] = set()

    def new_id(digits: int) -> str:
        while True:
            value = str(int(rng.integers(10 ** (digits - 1), 10**digits)))
            if value not in used_ids:
                used_ids.add(value)
                return value

    return new_id


def _make_agencies(sim: _Sim, new_id: Callable[[int], str]) -> None:
    """Draw ``n_agencies`` agencies: portfolio, place, name, followers, how they answer, their theme
    and topic mixtures."""
    cfg, rng = sim.cfg, sim.rng
    portfolios = list(L.PORTFOLIOS)
    places = list(rng.permutation(len(L.PLACES)))
    themes = list(F.BASE_THEME_SHARES)
    base = np.array([F.BASE_THEME_SHARES[t] for t in themes])
    for a in range(cfg.n_agencies):
        portfolio = portfolios[a % len(portfolios)]
        place = L.PLACES[places[a]]
        short, variants = L.PORTFOLIO_NAMES[portfolio]
        mix = rng.dirichlet(base / base.sum() * cfg.theme_concentration)
        sim.accounts.append(
            _Account(
                index=a,
                id=new_id(9),
                username=f"{place}{short}"[:15],
                name=f"{place} {sim.d.pick(variants)}",
                followers=int(math.exp(rng.normal(9.6, 0.9))),
                kind="government",
                portfolio=portfolio,
                place=place,
                level=sim.d.pick(L.LEVELS),
                tz=sim.d.pick(L.TIMEZONES),
                domain=f"{short.lower()}.{place.lower()}.gov.example",
                response_prob=round(float(rng.uniform(0.35, 0.9)), 3),
                median_latency_h=round(float(math.exp(rng.uniform(math.log(0.5), math.log(30)))), 3),
                business_hours_only=bool(rng.random() < 0.5),
                theme_mix={t: round(float(m), 4) for t, m in zip(themes, mix)},
                topic_mix=[round(float(x), 4) for x in rng.dirichlet([2.0] * len(sim.by_portfolio[portfolio]))],
            )
        )


def _make_citizens(sim: _Sim, new_id: Callable[[int], str]) -> None:
    """Draw the citizens (one per ``1 / citizens_per_post`` posts, at least 20), each with a
    handle unique among all accounts."""
    cfg, rng = sim.cfg, sim.rng
    n_citizens = max(20, int(cfg.n_posts * cfg.citizens_per_post))
    handles: set[str] = {a.username.lower() for a in sim.accounts}
    for c in range(n_citizens):
        first, last = sim.d.pick(L.FIRST_NAMES), sim.d.pick(L.LAST_NAMES)
        style = int(rng.integers(4))
        while True:
            digits = str(int(rng.integers(1, 9999)))
            stem = [
                f"{first}{last}",
                f"{first.lower()}_{last.lower()}",
                f"{sim.d.pick(L.HANDLE_WORDS)}{first.lower()}",
                f"{first[0].lower()}{last.lower()}",
            ][style]
            handle = stem[: 15 - len(digits)] + digits
            if handle.lower() not in handles:
                handles.add(handle.lower())
                break
        sim.accounts.append(
            _Account(
                index=cfg.n_agencies + c,
                id=new_id(18),
                username=handle,
                name=f"{first} {last}",
                followers=int(math.exp(rng.normal(5.0, 1.3))),
                kind="citizen",
            )
        )

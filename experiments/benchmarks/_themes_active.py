"""Active learning versus random coding, as bench_themes.py measures it (helpers, not a script).

Protocol (issue 12, point 2): a start of ``start`` posts drawn at random is coded; the
scorer (``ThemeScorer(codebook, "semi")``) is fitted with the rest uncoded, queries
``batch`` posts (``ThemeScorer.query``), which are coded (their gold labels revealed),
``rounds`` times; the final scorer is scored on every post not coded. The random
baseline codes the first ``start + rounds × batch`` posts of the same random permutation.
Both are also scored on a fixed set of held-out posts (``holdout`` share, drawn once per
start and never coded), because "the posts not coded" differ between the two strategies:
active learning codes the hard posts, which leaves an easier rest.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from sklearn.metrics import f1_score


def _fit(texts: list[str], y: np.ndarray, coded: np.ndarray, codebook: Any, seed: int) -> Any:
    from govsocial.analysis.themes import ThemeScorer

    labels = np.full(len(y), None, dtype=object)
    labels[coded] = y[coded]
    return ThemeScorer(codebook, "semi", random_state=seed).fit(texts, labels)


def _score(scorer: Any, texts: list[str], y: np.ndarray, mask: np.ndarray) -> float:
    predicted = scorer.predict([t for t, m in zip(texts, mask) if m])
    return float(f1_score(y[mask], predicted, average="macro", zero_division=0))


def run(
    texts: list[str],
    y: np.ndarray,
    codebook: Any,
    *,
    starts: int = 3,
    start: int = 50,
    batch: int = 50,
    rounds: int = 4,
    holdout: float = 0.3,
    strategy: str = "margin",
) -> dict[str, Any]:
    """Macro-F1 of active and random coding per start: on the posts not coded (``rest``) and on
    a held-out set (``held``); plus seconds per query."""
    y = np.asarray(y, dtype=object)
    out: dict[str, list[float]] = {k: [] for k in ("active_rest", "random_rest", "active_held", "random_held")}
    query_seconds = []
    for s in range(starts):
        order = np.random.default_rng(s).permutation(len(y))
        held = np.zeros(len(y), dtype=bool)
        held[order[: int(holdout * len(y))]] = True
        pool = order[int(holdout * len(y)) :]
        for design in ("rest", "held"):
            allowed = pool if design == "held" else order
            total = start + rounds * batch
            coded = np.zeros(len(y), dtype=bool)
            coded[allowed[:start]] = True
            for _ in range(rounds):
                scorer = _fit(texts, y, coded, codebook, s)
                t0 = time.perf_counter()
                exclude = coded | (held if design == "held" else np.zeros(len(y), dtype=bool))
                picked = scorer.query(texts, batch, coded=exclude, strategy=strategy)
                query_seconds.append(time.perf_counter() - t0)
                coded[picked] = True
            active = _fit(texts, y, coded, codebook, s)
            rand = np.zeros(len(y), dtype=bool)
            rand[allowed[:total]] = True
            rand_scorer = _fit(texts, y, rand, codebook, s)
            target_a = held if design == "held" else ~coded
            target_r = held if design == "held" else ~rand
            out[f"active_{design}"].append(_score(active, texts, y, target_a))
            out[f"random_{design}"].append(_score(rand_scorer, texts, y, target_r))
            print(
                f"  start {s} {design}: active {out[f'active_{design}'][-1]:.3f} ({int(coded.sum())} coded), "
                f"random {out[f'random_{design}'][-1]:.3f}",
                flush=True,
            )
    return {
        **{k: np.asarray(v) for k, v in out.items()},
        "query_seconds": float(np.mean(query_seconds)),
        "coded": start + rounds * batch,
    }

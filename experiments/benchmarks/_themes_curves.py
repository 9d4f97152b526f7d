"""Learning curves of ThemeScorer(method="semi"): macro-F1 against the number of coded posts,
active versus random coding (helpers of bench_themes.py ``--parts curves``, not a script).

Protocol, per start (a random permutation of the posts, seed = the start): 30 % of the posts
are held out (never coded, never queried); the coding pool is the other 70 %.

* random: the first n posts of the pool's permutation are coded, for each n in ``sizes``;
* active: the first ``sizes[0]`` posts are coded at random, then ``ThemeScorer.query`` picks
  batches until the next size is reached (batches of at most ``batch`` posts: 50 up to 250
  coded, then 125, then 250 — larger batches once many posts are coded, as a coding team
  would work), and the scorer fitted on the coded posts is scored at each size.

Both are scored on the same held-out posts (macro-F1 over the gold classes), so the curves
compare like with like. Sizes larger than the pool are left out.
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


def _batch(n_coded: int) -> int:
    return 50 if n_coded < 250 else 125 if n_coded < 500 else 250


def curves(
    texts: list[str],
    y: np.ndarray,
    codebook: Any,
    *,
    sizes: tuple[int, ...] = (50, 100, 250, 500, 1000),
    starts: int = 2,
    holdout: float = 0.3,
) -> list[dict[str, Any]]:
    """Rows ``start, strategy, coded, macro_f1, seconds`` (seconds: fitting and querying)."""
    y = np.asarray(y, dtype=object)
    rows: list[dict[str, Any]] = []
    for s in range(starts):
        order = np.random.default_rng(s).permutation(len(y))
        n_held = int(holdout * len(y))
        held = np.zeros(len(y), dtype=bool)
        held[order[:n_held]] = True
        pool = order[n_held:]
        usable = [n for n in sizes if n <= len(pool)]
        for n in usable:  # random coding
            t0 = time.perf_counter()
            coded = np.zeros(len(y), dtype=bool)
            coded[pool[:n]] = True
            f1 = _score(_fit(texts, y, coded, codebook, s), texts, y, held)
            rows.append(
                {"start": s, "strategy": "random", "coded": n, "macro_f1": f1, "seconds": time.perf_counter() - t0}
            )
            print(f"  start {s} random {n}: {f1:.3f}", flush=True)
        coded = np.zeros(len(y), dtype=bool)
        coded[pool[: usable[0]]] = True
        t0 = time.perf_counter()
        for n in usable:  # active coding: query up to n, then score
            while coded.sum() < n:
                scorer = _fit(texts, y, coded, codebook, s)
                step = min(_batch(int(coded.sum())), n - int(coded.sum()))
                coded[scorer.query(texts, step, coded=coded | held)] = True
            f1 = _score(_fit(texts, y, coded, codebook, s), texts, y, held)
            rows.append(
                {"start": s, "strategy": "active", "coded": n, "macro_f1": f1, "seconds": time.perf_counter() - t0}
            )
            print(f"  start {s} active {n}: {f1:.3f}", flush=True)
    return rows

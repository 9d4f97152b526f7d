"""Speed of gs.classification_agreement (validation with bootstrap intervals).

Data: synthetic predicted/gold label pairs (no text), 8,900 posts — the size of the
held-out coded set of issue 12 — in three classes with shares 0.76 / 0.18 / 0.06 and
a scorer that is right 80 % of the time (seed 0). Times ``gs.classification_agreement``
with 1,000 bootstrap resamples (median of 5 runs), and, for comparison, the loop it
replaced (a scikit-learn ``f1_score`` / ``precision_recall_fscore_support`` call and a
Krippendorff's alpha per resample), timed on ``--loop-resamples`` resamples only.

Usage: ``python experiments/benchmarks/bench_agreement.py [--posts 8900] [--resamples 1000]``
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _report import write_section  # noqa: E402


def _loop(predicted: np.ndarray, gold: np.ndarray, n_boot: int, seed: int) -> float:
    """The per-resample loop that classification_agreement used before (scikit-learn per resample)."""
    from sklearn.metrics import f1_score, precision_recall_fscore_support

    from govsocial.analysis.themes import krippendorff_alpha

    classes = sorted(set(gold))
    rng = np.random.default_rng(seed)
    start = time.perf_counter()
    for _ in range(n_boot):
        idx = rng.integers(0, len(gold), len(gold))
        g, p = gold[idx], predicted[idx]
        f1_score(g, p, labels=classes, average="macro", zero_division=0)
        krippendorff_alpha(g, p)
        precision_recall_fscore_support(g, p, labels=classes, zero_division=0)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=8900)
    parser.add_argument("--resamples", type=int, default=1000)
    parser.add_argument("--loop-resamples", type=int, default=50)
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    args = parser.parse_args(argv)
    import govsocial as gs

    rng = np.random.default_rng(0)
    classes = np.array(["information", "intelligence_gathering", "engagement"], dtype=object)
    gold = rng.choice(classes, size=args.posts, p=[0.76, 0.18, 0.06])
    predicted = np.where(rng.random(args.posts) < 0.8, gold, rng.choice(classes, size=args.posts))
    times = []
    for run in range(5):
        start = time.perf_counter()
        out = gs.classification_agreement(predicted, gold, n_boot=args.resamples, random_state=run)
        times.append(time.perf_counter() - start)
    seconds = float(np.median(times))
    loop = _loop(predicted, gold, args.loop_resamples, 0)
    s = out["summary"].set_index("measure")
    print(
        f"classification_agreement: {seconds:.3f} s for {args.posts} posts x {args.resamples} resamples; "
        f"loop: {loop:.1f} s for {args.loop_resamples} resamples"
    )
    lines = [
        f"Run {time.strftime('%Y-%m-%d')} on {platform.machine()}, {os.cpu_count()} cores; synthetic labels "
        f"({args.posts:,} posts, 3 classes with shares 0.76 / 0.18 / 0.06, 80 % correct; seed 0).",
        "",
        "| implementation | resamples | seconds |",
        "|---|---:|---:|",
        f"| `gs.classification_agreement` (multinomial draws of confusion matrices; median of 5 runs) | "
        f"{args.resamples:,} | {seconds:.3f} |",
        f"| previous loop (scikit-learn scores and alpha per resample) | {args.loop_resamples:,} | {loop:.1f} |",
        "",
        f"Macro-F1 of the synthetic scorer: {s.loc['macro_f1', 'estimate']:.3f} "
        f"({s.loc['macro_f1', 'low']:.3f}–{s.loc['macro_f1', 'high']:.3f}).",
    ]
    write_section(
        Path(args.out), "bench_agreement", "Validation speed (`experiments/benchmarks/bench_agreement.py`)", lines
    )
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

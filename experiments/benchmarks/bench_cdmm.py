"""CovariateDMM with an intercept only against DMM on the STTM short-text sets, in one run.

With no covariates, CovariateDMM's multinomial-logit topic probabilities play the part of
DMM's Dirichlet mixture weights, so on the standard short-text benchmarks it should cluster
as well as DMM. For each set in ``<corpora>/sttm`` (K = the number of label classes, the
count matrix built as in ``bench_models.py``) and each seed, DMM (50 sweeps, α = β = 0.1)
and ``CovariateDMM()`` (50 sweeps, β = 0.1, no ``prevalence``) are fitted one after the
other in this process, with the same seed; numba compilation happens before any timing.
Scores: NMI of ``labels_`` against the labels (mean ± sd over seeds, and the paired
difference); fit seconds (median over seeds) and their ratio. Results go to docs/benchmarks.md.

Usage: ``python experiments/benchmarks/bench_cdmm.py [--datasets SearchSnippets] [--seeds 5]``
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import write_section  # noqa: E402
from bench_models import STTM, prepare  # noqa: E402


def fit_pair(X: sp.csr_matrix, labels: np.ndarray, K: int, seed: int, n_iter: int) -> list[dict]:
    """DMM and intercept-only CovariateDMM with one seed: NMI and fit seconds of each."""
    import govsocial as gs
    from govsocial.topics.evaluate import agreement

    rows = []
    for method, model in (
        ("DMM", gs.DMM(n_components=K, n_iter=n_iter, alpha=0.1, beta=0.1, random_state=seed)),
        ("CovariateDMM", gs.CovariateDMM(n_components=K, n_iter=n_iter, beta=0.1, random_state=seed)),
    ):
        start = time.perf_counter()
        model.fit(X)
        seconds = time.perf_counter() - start
        rows.append(
            {"method": method, "seed": seed, "nmi": agreement(labels, model.labels_)["nmi"], "seconds": seconds}
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--corpora", default=os.environ.get("GOVSOCIAL_SHARED_CORPORA", str(ROOT.parent / "shared" / "corpora"))
    )
    parser.add_argument("--datasets", nargs="+", default=STTM, choices=STTM)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--n-iter", type=int, default=50)
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    parser.add_argument("--key", default="bench_cdmm", help="the section of --out to write (one per run setting)")
    args = parser.parse_args(argv)
    corpora = Path(args.corpora)
    if not (corpora / "sttm").exists():
        print(f"skipped: {corpora / 'sttm'} not found (pass --corpora)")
        return 0
    import govsocial as gs

    warm = sp.csr_matrix(np.eye(3, dtype=np.int64))  # numba compilation, outside the timings
    gs.DMM(n_components=2, n_iter=1, random_state=0).fit(warm)
    gs.CovariateDMM(n_components=2, n_iter=2, random_state=0).fit(warm)
    table = []
    with tempfile.TemporaryDirectory() as workdir:
        for name in args.datasets:
            prepared = prepare(corpora, name, Path(workdir))
            if prepared is None:
                print(f"{name}: not found, skipped")
                continue
            matrix, labels, _, K = prepared
            X = sp.load_npz(matrix).tocsr()
            print(f"{name}: {X.shape[0]} posts, {X.shape[1]} terms, K = {K}", flush=True)
            for seed in range(args.seeds):
                for row in fit_pair(X, labels, K, seed, args.n_iter):
                    table.append({"dataset": name, "posts": X.shape[0], "terms": X.shape[1], "K": K, **row})
                    print(
                        f"  {row['method']:<13} seed {seed}: NMI {row['nmi']:.3f}  {row['seconds']:.2f} s", flush=True
                    )
    frame = pd.DataFrame(table)
    if frame.empty:
        print("nothing was run")
        return 0
    lines = [
        f"Run {time.strftime('%Y-%m-%d')} on {platform.machine()}, {os.cpu_count()} cores (shared with other jobs); "
        f"STTM sets in `<corpora>/sttm`, count matrices as in `bench_models.py`; K = number of label classes; seeds "
        f"0–{args.seeds - 1}, the same seed for both models (same start and the same uniforms for the first sweep); "
        f"{args.n_iter} sweeps each; DMM α = β = 0.1; CovariateDMM β = 0.1, prior sd 2, no covariates. NMI of "
        "`labels_`: mean ± sd over seeds, and the mean of the per-seed differences (CovariateDMM − DMM) ± its "
        "standard error. Fit seconds: median over seeds, fitted one after the other in one process.",
        "",
        "| dataset | posts | K | NMI DMM | NMI CovariateDMM | difference | fit s DMM | fit s CovariateDMM | ratio |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, part in frame.groupby("dataset", sort=False):
        wide = part.pivot(index="seed", columns="method", values="nmi")
        secs = part.groupby("method")["seconds"].median()
        diff = wide["CovariateDMM"] - wide["DMM"]
        se = diff.std() / np.sqrt(len(diff)) if len(diff) > 1 else float("nan")
        lines.append(
            f"| {name} | {part['posts'].iloc[0]:,} | {part['K'].iloc[0]} | "
            f"{wide['DMM'].mean():.3f} ± {wide['DMM'].std():.3f} | "
            f"{wide['CovariateDMM'].mean():.3f} ± {wide['CovariateDMM'].std():.3f} | {diff.mean():+.3f} ± {se:.3f} | "
            f"{secs['DMM']:.2f} | {secs['CovariateDMM']:.2f} | {secs['CovariateDMM'] / secs['DMM']:.1f} |"
        )
    title = f"CovariateDMM, intercept only, against DMM, {args.seeds} seeds (`bench_cdmm.py --key {args.key}`)"
    write_section(Path(args.out), args.key, title, lines)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

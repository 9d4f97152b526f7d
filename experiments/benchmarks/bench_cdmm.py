"""CovariateDMM with an intercept only against DMM on the STTM short-text sets, in one run.

With no covariates, CovariateDMM's multinomial-logit topic probabilities play the part of
DMM's Dirichlet mixture weights, so on the standard short-text benchmarks it should cluster
as well as DMM. For each set in ``<corpora>/sttm`` (K = the number of label classes, the
count matrix built as in ``bench_models.py``) and each seed, DMM (50 sweeps, α = β = 0.1)
and ``CovariateDMM()`` (50 sweeps, β = 0.1, no ``prevalence``) are fitted one after the
other in this process, with the same seed; numba compilation happens before any timing.
Scores: NMI of ``labels_`` against the labels (mean ± sd over seeds, and the paired
difference); fit seconds (median over seeds) and their ratio. Results go to docs/benchmarks.md.

With ``--bundled``: planted prevalence effects on the bundled corpus instead. The generator
plants each post's portfolio, and agencies of different levels of government post about the
portfolios in different shares (local agencies' own posts: 65 % health, federal agencies'
none). ``CovariateDMM(n_components=8, prevalence="~ level")`` is fitted to the agencies' own
posts; each topic is matched to a portfolio (Hungarian method on the posts they share) and its
local − federal and state − federal differences in topic probability (posterior mean, 95 %
credible interval from ``topic_probabilities``) are set beside the planted differences in
portfolio shares, and beside the two-step estimate a researcher would otherwise make (DMM's
topics, then the difference in their shares between the levels).

Usage: ``python experiments/benchmarks/bench_cdmm.py`` (six sets, 5 seeds);
``--datasets SearchSnippets --seeds 20 --key bench_cdmm_searchsnippets --variants`` (with the diagnostic
variants whose Pólya-Gamma step is replaced by DMM-like weights), and the same with ``--coef-updates 1
--key bench_cdmm_searchsnippets_one_pass`` (one coefficient pass per sweep, as before ``coef_updates``);
``--bundled --seeds 3 --n-iter 100``.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import write_section  # noqa: E402
from bench_models import STTM, prepare  # noqa: E402


def _variants() -> dict[str, Any]:
    """Intercept-only CovariateDMM with its Pólya-Gamma step replaced by DMM-like weights (diagnosis)."""
    import govsocial as gs

    class PlugIn(gs.CovariateDMM):  # π ∝ m_k + α, the topics' current sizes
        def _coefficients(self, rows: Any, sizes: Any, hits: Any, B: Any, rng: Any) -> np.ndarray:
            m = hits.sum(axis=0) + 0.1
            return np.log(m / m[-1])[None, :]

    class Dirichlet(gs.CovariateDMM):  # π ~ Dirichlet(m + α), the uncollapsed DMM
        def _coefficients(self, rows: Any, sizes: Any, hits: Any, B: Any, rng: Any) -> np.ndarray:
            m = rng.dirichlet(hits.sum(axis=0) + 0.1)
            return np.log(m / m[-1])[None, :]

    return {"π ∝ m + α": PlugIn, "π ~ Dirichlet(m + α)": Dirichlet}


def fit_pair(
    X: sp.csr_matrix,
    labels: np.ndarray,
    K: int,
    seed: int,
    n_iter: int,
    variants: bool = False,
    coef_updates: int | None = None,
) -> list[dict]:
    """DMM and intercept-only CovariateDMM with one seed (and the diagnostic variants): NMI and fit seconds."""
    import govsocial as gs
    from govsocial.topics.evaluate import agreement

    models = [
        ("DMM", gs.DMM(n_components=K, n_iter=n_iter, alpha=0.1, beta=0.1, random_state=seed)),
        ("CovariateDMM", gs.CovariateDMM(K, n_iter=n_iter, beta=0.1, coef_updates=coef_updates, random_state=seed)),
    ]
    if variants:
        models += [
            (name, cls(K, n_iter=n_iter, coef_updates=coef_updates, random_state=seed))
            for name, cls in _variants().items()
        ]
    rows = []
    for method, model in models:
        start = time.perf_counter()
        model.fit(X)
        seconds = time.perf_counter() - start
        rows.append(
            {"method": method, "seed": seed, "nmi": agreement(labels, model.labels_)["nmi"], "seconds": seconds}
        )
    return rows


def bundled(seeds: int, n_iter: int, out: Path) -> None:
    """Planted differences in portfolio shares between levels of government against CovariateDMM's and DMM's."""
    import govsocial as gs

    corpus = ROOT / "corpora" / "govsocial-sample"
    posts, _ = gs.read_posts(corpus / "posts.jsonl.gz", registry=corpus / "accounts.csv")
    truth = pd.read_csv(corpus / "truth.csv.gz", dtype={"post_id": str}).set_index("post_id")
    posts = posts[posts["post_id"].isin(truth.index[truth["kind"] == "gov_post"])]  # agencies' own posts
    dtm = gs.Vectorizer(min_df=3, max_df=0.5).fit_transform(gs.tokenize(posts)[0])
    level = posts.set_index("post_id").loc[dtm.post_ids, "government_level"].astype(str).to_numpy()
    portfolio = truth.loc[dtm.post_ids, "portfolio"].to_numpy()
    K = truth.loc[dtm.post_ids, "topic"].nunique()  # the generator's topics, three per portfolio
    names, levels = sorted(set(portfolio)), ["local", "state"]  # contrasts against federal
    planted = {
        (lv, n): (portfolio[level == lv] == n).mean() - (portfolio[level == "federal"] == n).mean()
        for lv in levels
        for n in names
    }
    covariates = pd.DataFrame({"post_id": dtm.post_ids, "level": pd.Categorical(level, ["federal", *levels])})
    grid = pd.DataFrame({"level": pd.Categorical(["federal", *levels], ["federal", *levels])})
    rows = []
    for seed in range(seeds):
        start = time.perf_counter()
        model = gs.CovariateDMM(n_components=K, prevalence="~ level", n_iter=n_iter, random_state=seed)
        model.fit(dtm, covariates=covariates)
        seconds = time.perf_counter() - start
        dmm = gs.DMM(n_components=K, n_iter=n_iter, random_state=seed).fit(dtm)
        pi = model.topic_probabilities(grid)  # draws × (federal, local, state) × topics
        for method, labels in (("CovariateDMM", model.labels_), ("DMM", dmm.labels_)):
            owner = _owners(portfolio, labels, K)
            nmi = gs.agreement(portfolio, labels)["nmi"]
            for (lv, name), value in planted.items():
                ks, j = owner == name, 1 + levels.index(lv)
                if method == "CovariateDMM":
                    diff = pi[:, j, ks].sum(axis=1) - pi[:, 0, ks].sum(axis=1)
                    estimate, low, high = diff.mean(), *np.percentile(diff, [2.5, 97.5])
                else:
                    shares = [ks[labels[level == g]].mean() for g in (lv, "federal")]
                    estimate, low, high = shares[0] - shares[1], np.nan, np.nan
                rows.append(
                    {
                        "seed": seed,
                        "method": method,
                        "level": lv,
                        "portfolio": name,
                        "planted": value,
                        "estimate": estimate,
                        "low": low,
                        "high": high,
                        "nmi": nmi,
                        "seconds": seconds,
                    }
                )
        print(f"  seed {seed}: CovariateDMM {seconds:.1f} s", flush=True)
    _write_bundled(pd.DataFrame(rows), dtm, level, seeds, n_iter, out)


def _owners(portfolio: np.ndarray, labels: np.ndarray, K: int) -> np.ndarray:
    """Each topic's portfolio: the one it shares most posts with (an empty topic gets none)."""
    overlap = pd.crosstab(pd.Categorical(labels, range(K)), portfolio, dropna=False)
    owner = overlap.idxmax(axis=1).to_numpy().astype(object)
    owner[overlap.sum(axis=1).to_numpy() == 0] = None
    return owner


def _write_bundled(table: pd.DataFrame, dtm: Any, level: np.ndarray, seeds: int, n_iter: int, out: Path) -> None:
    ours, two_step = table[table["method"] == "CovariateDMM"], table[table["method"] == "DMM"]
    inside = ((ours["low"] <= ours["planted"]) & (ours["planted"] <= ours["high"])).mean()
    counts = ", ".join(f"{g} {int((level == g).sum()):,}" for g in ("federal", "local", "state"))
    lines = [
        f"Run {time.strftime('%Y-%m-%d')}; bundled corpus `corpora/govsocial-sample`, agencies' own posts (the "
        f"generator's kind `gov_post`: {dtm.X.shape[0]:,} posts, {dtm.X.shape[1]:,} terms; Vectorizer min_df = 3, "
        f"max_df = 0.5; by level of government: {counts}); K = 24 (the generator's topics, three per portfolio); "
        f"{n_iter} sweeps; seeds "
        f"0–{seeds - 1}. Planted: the difference in portfolio shares between a level's posts and federal agencies' "
        'posts in the generator\'s truth. CovariateDMM: `prevalence="~ level"`, the difference in π (posterior '
        "mean, 95 % credible interval, averaged over seeds); DMM: the difference in its topics' shares between the "
        "levels (no interval). Each topic belongs to the portfolio it shares most posts with, and a portfolio's "
        "difference is the sum over its topics. "
        f"NMI against the portfolios: CovariateDMM {ours['nmi'].mean():.3f}, DMM {two_step['nmi'].mean():.3f} "
        f"(mean over seeds); CovariateDMM fit {ours['seconds'].median():.1f} s (median). Planted differences inside "
        f"CovariateDMM's intervals: {inside:.0%} of {len(ours)} (seeds × contrasts).",
        "",
        "| contrast | portfolio | planted | CovariateDMM (95 % interval) | DMM two-step |",
        "|---|---|---:|---:|---:|",
    ]
    keys = ["level", "portfolio"]
    mean_ours = ours.groupby(keys)[["planted", "estimate", "low", "high"]].mean()
    mean_dmm = two_step.groupby(keys)["estimate"].mean()
    for (lv, name), r in mean_ours.iterrows():
        lines.append(
            f"| {lv} − federal | {name} | {r['planted']:+.3f} | {r['estimate']:+.3f} ({r['low']:+.3f}, "
            f"{r['high']:+.3f}) | {mean_dmm.loc[(lv, name)]:+.3f} |"
        )
    errors = [(t["estimate"] - t["planted"]).abs().mean() for t in (ours, two_step)]
    lines += [
        "",
        f"Mean absolute error against the planted differences (all seeds and contrasts): CovariateDMM "
        f"{errors[0]:.3f}, DMM two-step {errors[1]:.3f}.",
    ]
    title = "CovariateDMM on planted prevalence effects, bundled corpus (`bench_cdmm.py --bundled`)"
    write_section(out, "bench_cdmm_bundled", title, lines)
    print(f"wrote {out}")


def _variant_lines(frame: pd.DataFrame) -> list[str]:
    """NMI of every method, including the diagnostic variants that replace the Pólya-Gamma step."""
    lines = [
        "",
        "Diagnosis (`--variants`): the same sampler with its Pólya-Gamma step replaced by π ∝ m_k + α (the "
        "topics' current sizes, α = 0.1) or by a draw π ~ Dirichlet(m + α) (DMM with its mixing weights not "
        "integrated out); the same seeds and random numbers as CovariateDMM.",
        "",
        "| dataset | method | NMI (mean ± sd) | difference from DMM (± se) |",
        "|---|---|---:|---:|",
    ]
    for name, part in frame.groupby("dataset", sort=False):
        wide = part.pivot(index="seed", columns="method", values="nmi")
        for method in part["method"].unique():
            diff = wide[method] - wide["DMM"]
            lines.append(
                f"| {name} | {method} | {wide[method].mean():.3f} ± {wide[method].std():.3f} | "
                f"{diff.mean():+.3f} ± {diff.std() / np.sqrt(len(diff)):.3f} |"
            )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--corpora", default=os.environ.get("GOVSOCIAL_SHARED_CORPORA", str(ROOT.parent / "shared" / "corpora"))
    )
    parser.add_argument("--datasets", nargs="+", default=STTM, choices=STTM)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--n-iter", type=int, default=50)
    parser.add_argument(
        "--coef-updates", type=int, default=None, help="CovariateDMM's coefficient passes per sweep (default: its own)"
    )
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    parser.add_argument("--key", default="bench_cdmm", help="the section of --out to write (one per run setting)")
    parser.add_argument("--bundled", action="store_true", help="planted prevalence effects on the bundled corpus")
    parser.add_argument(
        "--variants", action="store_true", help="also the PG step replaced by π ∝ m + α and π ~ Dirichlet(m + α)"
    )
    args = parser.parse_args(argv)
    if args.bundled:
        bundled(args.seeds, args.n_iter, Path(args.out))
        return 0
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
                for row in fit_pair(X, labels, K, seed, args.n_iter, args.variants, args.coef_updates):
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
        f"{args.n_iter} sweeps each; DMM α = β = 0.1; CovariateDMM β = 0.1, prior sd 2, no covariates, "
        f"{'its default number of' if args.coef_updates is None else args.coef_updates} coefficient passes per "
        "sweep (`coef_updates`; the default is 20 here). NMI of "
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
    if args.variants:
        lines += _variant_lines(frame)
    title = f"CovariateDMM, intercept only, against DMM, {args.seeds} seeds (`bench_cdmm.py --key {args.key}`)"
    write_section(Path(args.out), args.key, title, lines)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Design choices of the Gibbs samplers, measured: the figures docs/models.md quotes.

Three questions, each on the short-text sets in ``<corpora>/sttm`` (and the TweetEval stance
tweets), with the count matrices built exactly as ``bench_models.py`` builds them:

1. DMM read-out: NMI of ``labels_`` (each post's most probable topic given the final counts,
   as tweetopic reads its fit out) against ``last_sample_`` (the sampler's last draw), mean
   over seeds, on StackOverflow and Pascal_Flickr.
2. LDA's prior: a fixed symmetric ``alpha=0.1`` (``optimize_interval=0``) against the learned
   asymmetric prior (Minka's fixed point every 10 sweeps, the default), on Pascal_Flickr and
   GoogleNews. (tomotopy's LDA with its own ``optim_interval`` is in ``bench_models.py``.)
3. Seed-to-seed spread of DMM's NMI (mean and sd over many seeds) on TweetEval stance and
   Biomedical: how far apart two three-seed means can be by chance. (tweetopic's DMM on the
   same matrices is in ``bench_models.py``.)

4. (``--background``, a section of its own) DMM's background words: ``DMM(K)`` against
   ``DMM(K, background=True)`` (100 sweeps each, the same seeds) on the six STTM sets — does a
   background distribution change how well ordinary short texts cluster — with the median
   fit time of each.

Only govsocial's own estimators run here, all in this process; NMI is scikit-learn's
``normalized_mutual_info_score`` via ``govsocial.topics.evaluate.agreement``. Results go to
docs/benchmarks.md (section ``model-choices``).

Usage: ``python experiments/benchmarks/bench_model_choices.py [--corpora PATH] [--seeds 5] [--spread-seeds 20]``;
``--background [--seeds 3]`` runs question 4 alone.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _report import write_section  # noqa: E402
from bench_models import prepare  # noqa: E402


def _matrix(corpora: Path, name: str, workdir: Path):
    prepared = prepare(corpora, name, workdir)
    if prepared is None:
        return None
    path, labels, _, K = prepared
    return sp.load_npz(path).tocsr(), labels, K


def readout(data: dict, seeds: int) -> list[dict]:
    """NMI of DMM's ``labels_`` and ``last_sample_`` per seed."""
    from govsocial.topics.evaluate import agreement
    from govsocial.topics.models import DMM

    rows = []
    for name in ("StackOverflow", "Pascal_Flickr"):
        if name not in data:
            continue
        X, labels, K = data[name]
        for seed in range(seeds):
            model = DMM(n_components=K, n_iter=50, alpha=0.1, beta=0.1, random_state=seed).fit(X)
            rows.append(
                {
                    "question": "DMM read-out",
                    "dataset": name,
                    "seed": seed,
                    "labels_": agreement(labels, model.labels_)["nmi"],
                    "last_sample_": agreement(labels, model.last_sample_)["nmi"],
                }
            )
            print(
                f"  read-out {name} seed {seed}: {rows[-1]['labels_']:.3f} vs {rows[-1]['last_sample_']:.3f}",
                flush=True,
            )
    return rows


def prior(data: dict, seeds: int) -> list[dict]:
    """NMI of LDA with a fixed symmetric alpha and with the learned asymmetric one."""
    from govsocial.topics.evaluate import agreement
    from govsocial.topics.models import LDA

    rows = []
    for name in ("Pascal_Flickr", "GoogleNews"):
        if name not in data:
            continue
        X, labels, K = data[name]
        for seed in range(seeds):
            row = {"question": "LDA prior", "dataset": name, "seed": seed}
            for label, interval in (("fixed alpha=0.1", 0), ("learned (default)", 10)):
                model = LDA(n_components=K, alpha=0.1, optimize_interval=interval, random_state=seed).fit(X)
                row[label] = agreement(labels, model.transform(X).argmax(axis=1))["nmi"]
            rows.append(row)
            print(
                f"  prior {name} seed {seed}: {row['fixed alpha=0.1']:.3f} vs {row['learned (default)']:.3f}",
                flush=True,
            )
    return rows


def spread(data: dict, seeds: int) -> list[dict]:
    """DMM's NMI over many seeds (as bench_models.py fits it)."""
    from govsocial.topics.evaluate import agreement
    from govsocial.topics.models import DMM

    rows = []
    for name in ("TweetEval_stance", "Biomedical"):
        if name not in data:
            continue
        X, labels, K = data[name]
        for seed in range(seeds):
            model = DMM(n_components=K, n_iter=50, alpha=0.1, beta=0.1, random_state=seed).fit(X)
            rows.append(
                {
                    "question": "DMM seed spread",
                    "dataset": name,
                    "seed": seed,
                    "nmi": agreement(labels, model.labels_)["nmi"],
                }
            )
        print(f"  spread {name}: {np.mean([r['nmi'] for r in rows if r['dataset'] == name]):.3f}", flush=True)
    return rows


def background(data: dict, seeds: int) -> list[dict]:
    """NMI and fit seconds of DMM without and with background words, per set and seed."""
    import time

    from govsocial.topics.evaluate import agreement
    from govsocial.topics.models import DMM

    rows = []
    for name, (X, labels, K) in data.items():
        for seed in range(seeds):
            row: dict = {"dataset": name, "seed": seed}
            for column, flag in (("DMM", False), ("background=True", True)):
                t0 = time.perf_counter()
                model = DMM(n_components=K, n_iter=100, background=flag, random_state=seed).fit(X)
                row[f"{column} s"] = time.perf_counter() - t0
                row[column] = agreement(labels, model.labels_)["nmi"]
            rows.append(row)
            print(f"  background {name} seed {seed}: {row['DMM']:.3f} vs {row['background=True']:.3f}", flush=True)
    return rows


def _table(rows: list[dict], columns: list[str]) -> list[str]:
    frame = pd.DataFrame(rows)
    lines = [
        "| data set | seeds | " + " | ".join(f"{c}: NMI mean ± sd" for c in columns) + " |",
        "|---|---|" + "---|" * len(columns),
    ]
    for name, group in frame.groupby("dataset", sort=False):
        cells = [f"{group[c].mean():.3f} ± {group[c].std(ddof=1):.3f}" for c in columns]
        lines.append(f"| {name} | {len(group)} | " + " | ".join(cells) + " |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpora", default=str(ROOT.parent / "shared" / "corpora"))
    parser.add_argument("--seeds", type=int, default=5, help="seeds for the read-out and prior questions")
    parser.add_argument("--spread-seeds", type=int, default=20, help="seeds for the spread question")
    parser.add_argument("--workdir", default="/tmp/govsocial-bench-model-choices")
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    parser.add_argument("--background", action="store_true", help="only question 4, background words")
    args = parser.parse_args(argv)
    corpora, workdir = Path(args.corpora), Path(args.workdir)
    if not (corpora / "sttm").exists():
        print(f"skipped: {corpora / 'sttm'} not found (pass --corpora)")
        return 0
    workdir.mkdir(parents=True, exist_ok=True)
    if args.background:
        return _background_section(corpora, workdir, args)
    names = ["StackOverflow", "Pascal_Flickr", "GoogleNews", "Biomedical", "TweetEval_stance"]
    data = {n: m for n in names if (m := _matrix(corpora, n, workdir)) is not None}
    read, pri, spr = readout(data, args.seeds), prior(data, args.seeds), spread(data, args.spread_seeds)
    pd.DataFrame(read + pri + spr).to_csv(workdir / "results.csv", index=False)
    sizes = ", ".join(f"{n} {data[n][0].shape[0]:,} posts (K = {data[n][2]})" for n in data)
    lines = [
        f"`python experiments/benchmarks/bench_model_choices.py --seeds {args.seeds} "
        f"--spread-seeds {args.spread_seeds}`; data: {sizes}. NMI against the sets' labels; "
        "govsocial's estimators only (peers: the section above).",
        "",
        "**DMM read-out** (`DMM(K, n_iter=50, alpha=0.1, beta=0.1)`): `labels_` is each post's most "
        "probable topic given the final counts, `last_sample_` the sampler's last draw.",
        "",
        *_table(read, ["labels_", "last_sample_"]),
        "",
        "**LDA's prior** (`LDA(K, alpha=0.1)`; most probable topic of `transform`): fixed symmetric "
        "alpha (`optimize_interval=0`) against the learned asymmetric prior (the default, every 10 sweeps).",
        "",
        *_table(pri, ["fixed alpha=0.1", "learned (default)"]),
        "",
        "**DMM's seed-to-seed spread** (as fitted in the section above).",
        "",
        *_table(spr, ["nmi"]),
    ]
    write_section(Path(args.out), "model-choices", "Sampler design choices (govsocial only)", lines)
    print(f"wrote {args.out}")
    return 0


def _background_section(corpora: Path, workdir: Path, args: argparse.Namespace) -> int:
    import os
    import platform

    from bench_models import STTM

    data = {n: m for n in STTM if (m := _matrix(corpora, n, workdir)) is not None}
    rows = background(data, args.seeds)
    frame = pd.DataFrame(rows)
    sizes = ", ".join(f"{n} {data[n][0].shape[0]:,} posts (K = {data[n][2]})" for n in data)
    lines = [
        f"`python experiments/benchmarks/bench_model_choices.py --background --seeds {args.seeds}` on "
        f"{platform.machine()}, {os.cpu_count()} cores (load average {os.getloadavg()[0]:.1f} at the end; fit "
        f"seconds are comparable within a row only); data: {sizes}. `DMM(K, n_iter=100)` without and with "
        "`background=True`, the same seeds; NMI of `labels_` against the sets' labels.",
        "",
        "| data set | seeds | DMM: NMI mean ± sd | background=True: NMI mean ± sd | difference (mean ± se) "
        "| median fit s, DMM | median fit s, background |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, group in frame.groupby("dataset", sort=False):
        diff = group["background=True"] - group["DMM"]
        lines.append(
            f"| {name} | {len(group)} | {group['DMM'].mean():.3f} ± {group['DMM'].std(ddof=1):.3f} "
            f"| {group['background=True'].mean():.3f} ± {group['background=True'].std(ddof=1):.3f} "
            f"| {diff.mean():+.3f} ± {diff.std(ddof=1) / np.sqrt(len(diff)):.3f} "
            f"| {group['DMM s'].median():.1f} | {group['background=True s'].median():.1f} |"
        )
    write_section(Path(args.out), "model-choices-background", "DMM's background words on the STTM sets", lines)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

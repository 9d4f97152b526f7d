"""The Dask engine of LDA and DMM (AD-LDA) against the single-process sampler. Not run in CI.

``nmi`` (default): on the STTM short-text sets in ``<corpora>/sttm``, with K = the number of
label classes, fits each model with ``engine="gibbs"`` and with ``engine="dask"`` (``--shards``
shards on a LocalCluster of ``--workers`` processes) for ``--seeds`` seeds, and reports NMI
(mean ± standard error over seeds) of the argmax topic per document against the labels.
The target (issue 14): |mean dask − mean single| ≤ max(0.01, 2 · se of the difference),
se of the difference = sqrt(se_single² + se_dask²). The table goes into docs/scaling.md
(``--out``) and the per-fit rows into ``--json``. NMI does not depend on the machine's load.

``timing``: wall time of one DMM fit (K = ``--k``, ``--iters`` sweeps) on one STTM set (or a
saved count matrix, ``--npz``) with the single-process sampler and with the Dask engine on
LocalClusters of 1 and of 2 worker processes (``n_shards`` = workers), the speed-up of 2
workers over 1, and each worker's peak resident memory (psutil, polled). Timings mean
something only on an otherwise idle machine; they are printed, not written to the docs.

Usage::

    python experiments/benchmarks/bench_dask.py --corpora ../shared/corpora \\
        [--datasets Tweet GoogleNews StackOverflow Biomedical] [--models dmm lda] [--seeds 5]
    python experiments/benchmarks/bench_dask.py timing --corpora ../shared/corpora --dataset Biomedical
    python experiments/benchmarks/bench_dask.py pipeline --posts 1000000 [--workers-list 1 2] [--iters 30]

``pipeline``: ``--posts`` generated posts (uncompressed JSON Lines) through ingest
(``read_posts(engine="dask")`` written to partitioned Parquet) → ``DaskVectorizer`` on the
post ids and texts read back → ``DMM(engine="dask")`` fitted on the count blocks where they
are (K = ``--k``, ``--iters`` sweeps) → topic shares (``shares_dask``, accounts read back from
Parquet) on LocalClusters of each size in ``--workers-list``: seconds per stage, peak
resident memory per worker (polled every 0.5 s), speed-up of 2 over 1.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _report import write_section  # noqa: E402

STTM = ["Tweet", "GoogleNews", "SearchSnippets", "StackOverflow", "Biomedical", "Pascal_Flickr"]


def load(corpora: Path, name: str) -> tuple[sp.csr_matrix, np.ndarray] | None:
    """Count matrix (whitespace tokens, as bench_models.py) and labels; documents without terms dropped."""
    from sklearn.feature_extraction.text import CountVectorizer

    text, lab = corpora / "sttm" / f"{name}.txt", corpora / "sttm" / f"{name}.labels"
    if not text.exists():
        return None
    docs = text.read_text(encoding="utf-8").splitlines()
    labels = np.loadtxt(lab, dtype=int)
    X = CountVectorizer(token_pattern=r"\S+", lowercase=False).fit_transform(docs).tocsr().astype(np.int64)
    keep = np.diff(X.indptr) > 0
    return X[keep], labels[keep]


def make(model: str, K: int, seed: int, lda_iters: int = 500, **engine: object):
    import govsocial as gs

    if model == "dmm":
        return gs.DMM(n_components=K, n_iter=50, alpha=0.1, beta=0.1, random_state=seed, **engine)
    return gs.LDA(n_components=K, n_iter=lda_iters, random_state=seed, **engine)  # Minka every 10 sweeps


def run_nmi(args: argparse.Namespace) -> None:
    from distributed import Client, LocalCluster
    from sklearn.metrics import normalized_mutual_info_score as nmi

    rows = json.loads(Path(args.json).read_text()) if args.resume and Path(args.json).exists() else []
    done = {(r["dataset"], r["model"], r["engine"], r["seed"]) for r in rows}
    with (
        LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster,
        Client(cluster) as client,
    ):
        for name in args.datasets:
            loaded = load(Path(args.corpora), name)
            if loaded is None:
                print(f"skipped {name}: not found under {args.corpora}/sttm")
                continue
            X, y = loaded
            K = len(np.unique(y))
            for model in args.models:
                for seed in range(args.seeds):
                    for engine, extra in (
                        ("single", {}),
                        ("dask", dict(engine="dask", n_shards=args.shards, client=client)),
                    ):
                        if (name, model, engine, seed) in done:
                            continue
                        start = time.perf_counter()
                        fitted = make(model, K, seed, args.lda_iters, **extra).fit(X)
                        rows.append(
                            dict(
                                dataset=name,
                                docs=X.shape[0],
                                terms=X.shape[1],
                                K=K,
                                model=model,
                                sweeps=50 if model == "dmm" else args.lda_iters,
                                engine=engine,
                                seed=seed,
                                shards=args.shards if engine == "dask" else 1,
                                nmi=float(nmi(y, fitted.labels_)),
                                seconds=round(time.perf_counter() - start, 2),
                            )
                        )
                        print(json.dumps(rows[-1]), flush=True)
                        Path(args.json).write_text(json.dumps(rows, indent=1))
    lines = table(rows, args)
    print("\n".join(lines))
    if args.out:
        write_section(Path(args.out), "bench_dask_nmi", "NMI: Dask engine (AD-LDA) vs one process", lines)


def table(rows: list[dict], args: argparse.Namespace) -> list[str]:
    """Markdown table: per data set and model, NMI mean ± se for both engines, and the target."""
    import pandas as pd

    frame = pd.DataFrame(rows)
    lines = [
        f"`bench_dask.py` on the STTM sets, K = number of label classes, {args.seeds} seeds (0–{args.seeds - 1}),"
        f" Dask engine with {args.shards} shards on a LocalCluster of {args.workers} processes, merging after"
        " every sweep. DMM: α = β = 0.1; LDA: α = 0.1 re-estimated by Minka every 10 sweeps, β = 0.01; the"
        " number of sweeps (the same for both engines) is in the table. NMI of the argmax topic per document"
        " against the labels, mean ± standard error over seeds.",
        "Target: |difference| ≤ max(0.01, 2 · se of the difference).",
        "",
        "| data set | docs | terms | K | model | sweeps | NMI one process | NMI Dask | difference | bound | met |",
        "|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---|",
    ]
    for (name, model), g in frame.groupby(["dataset", "model"], sort=False):
        sweeps = (
            int(g["sweeps"].iloc[0]) if "sweeps" in g and g["sweeps"].notna().all() else (50 if model == "dmm" else 500)
        )
        stats = {}
        for engine in ("single", "dask"):
            v = g.loc[g["engine"] == engine, "nmi"].to_numpy()
            stats[engine] = (v.mean(), v.std(ddof=1) / np.sqrt(len(v)) if len(v) > 1 else float("nan"), len(v))
        (m1, s1, _), (m2, s2, _) = stats["single"], stats["dask"]
        bound = max(0.01, 2 * float(np.hypot(s1, s2)))
        first = g.iloc[0]
        lines.append(
            f"| {name} | {first['docs']:,} | {first['terms']:,} | {first['K']} | {model.upper()} | {sweeps} | "
            f"{m1:.3f} ± {s1:.3f} | {m2:.3f} ± {s2:.3f} | {m2 - m1:+.3f} | {bound:.3f} | "
            f"{'yes' if abs(m2 - m1) <= bound else 'no'} |"
        )
    return lines


def _peak_rss(client, stop: threading.Event, peaks: dict) -> None:
    def rss() -> int:
        import psutil

        return psutil.Process().memory_info().rss

    while not stop.is_set():
        for worker, value in client.run(rss).items():
            peaks[worker] = max(peaks.get(worker, 0), value)
        stop.wait(0.5)


def run_timing(args: argparse.Namespace) -> None:
    from distributed import Client, LocalCluster

    if args.npz:
        X = sp.load_npz(args.npz).tocsr().astype(np.int64)
    else:
        loaded = load(Path(args.corpora), args.dataset)
        if loaded is None:
            print(f"skipped: {args.dataset} not found under {args.corpora}/sttm")
            return
        X = loaded[0]
    import govsocial as gs

    gs.DMM(n_components=2, n_iter=1).fit(X[:10])  # compile the kernels (and fill numba's cache)
    start = time.perf_counter()
    gs.DMM(n_components=args.k, n_iter=args.iters, random_state=0).fit(X)
    print(f"{X.shape[0]:,} docs, {X.shape[1]:,} terms, K = {args.k}, {args.iters} sweeps")
    print(f"one process: {time.perf_counter() - start:.1f} s")
    seconds = {}
    for workers in (1, 2):
        with (
            LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster,
            Client(cluster) as client,
        ):
            gs.DMM(n_components=2, n_iter=1, engine="dask", n_shards=workers).fit(X[:10])  # load kernels
            stop, peaks = threading.Event(), {}
            watcher = threading.Thread(target=_peak_rss, args=(client, stop, peaks))
            watcher.start()
            start = time.perf_counter()
            gs.DMM(n_components=args.k, n_iter=args.iters, engine="dask", n_shards=workers, random_state=0).fit(X)
            seconds[workers] = time.perf_counter() - start
            stop.set()
            watcher.join()
            print(
                f"dask, {workers} worker(s): {seconds[workers]:.1f} s; peak RSS per worker (MiB): "
                + ", ".join(f"{v / 2**20:.0f}" for v in peaks.values())
            )
    print(f"speed-up of 2 workers over 1: {seconds[1] / seconds[2]:.2f}x")


def _trim_heap() -> None:
    """glibc's ``malloc_trim(0)``: return freed heap pages to the system (Dask's advice for
    "unmanaged memory", docs.dask.org, worker memory); nothing on other C libraries."""
    import ctypes

    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _ingest(folder: Path, work: Path, blocksize: int) -> tuple[int, int]:
    """Read the export once and write posts and rejects as partitioned Parquet under ``work``
    (streamed: no partition of posts is kept in memory); return their row counts."""
    import shutil

    import dask
    import dask.dataframe as dd

    import govsocial as gs

    posts, rejects = gs.read_posts(
        sorted(folder.glob("posts*.jsonl*")), registry=folder / "accounts.csv", engine="dask", blocksize=blocksize
    )
    shutil.rmtree(work, ignore_errors=True)
    dask.compute(
        posts.to_parquet(work / "posts", compute=False, write_index=False),
        rejects.to_parquet(work / "rejects", compute=False, write_index=False),
    )
    return len(dd.read_parquet(work / "posts", columns=["post_id"])), len(dd.read_parquet(work / "rejects"))


def _pipeline(folder: Path, workers: int, args: argparse.Namespace) -> dict[str, float]:
    """ingest (to Parquet) -> tokenise and count -> DMM on the count blocks -> topic shares, on a
    LocalCluster; seconds per stage (and, under ``peak_mib``, ``posts`` and ``terms``, what was
    measured). Each stage reads what it needs from the Parquet files, so no worker holds the
    posts table: the pattern for data larger than the cluster's memory (docs/scaling.md)."""
    import dask.dataframe as dd
    from distributed import Client, LocalCluster

    import govsocial as gs

    stages: dict[str, float] = {}
    work = Path(args.data) / f"work-{args.posts}"
    with (
        LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            memory_limit=args.memory_limit,
            dashboard_address=":0",
        ) as cluster,
        Client(cluster) as client,
    ):
        stop, peaks = threading.Event(), {}
        watcher = threading.Thread(target=_peak_rss, args=(client, stop, peaks))
        watcher.start()
        t0 = time.perf_counter()
        n_posts, n_rejects = _ingest(folder, work, args.blocksize)
        stages["ingest"] = time.perf_counter() - t0
        t = time.perf_counter()
        texts = dd.read_parquet(work / "posts", columns=["post_id", "text"])
        dtm = gs.DaskVectorizer(min_df=5, max_df=0.5, client=client).fit_transform(texts)
        client.run(_trim_heap)  # hand the tokenisers' freed memory back to the system before DMM
        stages["tokenise+count"] = time.perf_counter() - t
        t = time.perf_counter()
        model = gs.DMM(
            n_components=args.k, n_iter=args.iters, engine="dask", n_shards=workers, client=client, random_state=0
        ).fit(dtm)  # shards dealt from the count blocks on the workers: the matrix never reaches the client
        stages["dmm"] = time.perf_counter() - t
        t = time.perf_counter()
        accounts = dd.read_parquet(work / "posts", columns=["post_id", "account_id"])
        topics = gs.topic_labels_dask(model, dtm).merge(accounts, on="post_id")
        gs.shares_dask(topics, "topic", n_boot=200, client=client)
        stages["shares"] = time.perf_counter() - t
        stages["total"] = time.perf_counter() - t0
        stop.set()
        watcher.join()
    print(
        f"{workers} worker(s): {n_posts:,} posts, {n_rejects:,} rejects, {len(dtm.terms):,} terms; "
        + ", ".join(f"{k} {v:.0f} s" for k, v in stages.items())
        + "; peak RSS per worker (MiB): "
        + ", ".join(f"{v / 2**20:.0f}" for v in peaks.values())
    )
    return {**stages, "peak_mib": [v / 2**20 for v in peaks.values()], "posts": n_posts, "terms": len(dtm.terms)}


def run_pipeline(args: argparse.Namespace) -> None:
    """Generated posts (``--posts``, written once under ``--data``) through the whole pipeline on
    LocalClusters of 1 and 2 workers (``--workers-list``); uncompressed JSON Lines so ingest splits."""
    import gzip
    import shutil

    from govsocial.data.synth import generate

    folder = Path(args.data) / f"gen-{args.posts}"
    if not (folder / "posts.jsonl").exists():
        generate(seed=7, n_posts=args.posts, out_dir=folder)
        with gzip.open(folder / "posts.jsonl.gz", "rb") as src, open(folder / "posts.jsonl", "wb") as dst:
            shutil.copyfileobj(src, dst)
        (folder / "posts.jsonl.gz").unlink()
    import os

    load_before = os.getloadavg()[0]
    times = {w: _pipeline(folder, w, args) for w in args.workers_list}
    if 1 in times and 2 in times:
        print(f"speed-up of 2 workers over 1 (total): {times[1]['total'] / times[2]['total']:.2f}x")
    if args.write:
        _write_pipeline(times, args, load_before, os.getloadavg()[0])


def _write_pipeline(times: dict, args: argparse.Namespace, load_before: float, load_after: float) -> None:
    """The pipeline's table (seconds per stage, peak memory per worker) into ``--out``'s own section."""
    import platform

    first = next(iter(times.values()))
    lines = [
        f"Run {time.strftime('%Y-%m-%d')} on {platform.machine()}, 2 cores: `bench_dask.py pipeline --posts "
        f"{args.posts} --k {args.k} --iters {args.iters} --blocksize {args.blocksize}` ({first['posts']:,} "
        f"generated posts, seed 7, uncompressed JSON Lines, ingested to Parquet; {first['terms']:,} terms kept; "
        "DMM fitted on the count blocks where they are; LocalClusters with "
        f"one thread per worker and a {args.memory_limit} memory limit; load average {load_before:.1f} before, "
        f"{load_after:.1f} after).",
        "",
        "| workers | ingest | tokenise + count | DMM (K = %d, %d sweeps) | shares | total | peak RSS per worker |"
        % (args.k, args.iters),
        "|---:|---:|---:|---:|---:|---:|---|",
    ]
    for workers, t in times.items():
        lines.append(
            f"| {workers} | {t['ingest']:.0f} s | {t['tokenise+count']:.0f} s | {t['dmm']:.0f} s | "
            f"{t['shares']:.0f} s | {t['total']:.0f} s | {', '.join(f'{v:,.0f} MiB' for v in t['peak_mib'])} |"
        )
    if 1 in times and 2 in times:
        lines += [
            "",
            f"Speed-up of 2 workers over 1: {times[1]['total'] / times[2]['total']:.2f} × in all (DMM "
            f"{times[1]['dmm'] / times[2]['dmm']:.2f} ×, tokenise + count "
            f"{times[1]['tokenise+count'] / times[2]['tokenise+count']:.2f} ×, ingest "
            f"{times[1]['ingest'] / times[2]['ingest']:.2f} ×). Target (issue 14): at least 1.6 × on 1M posts.",
        ]
    write_section(
        Path(args.out),
        f"bench_dask_pipeline_{args.posts}",
        f"The whole pipeline on Dask: {args.posts:,} posts (`bench_dask.py pipeline`)",
        lines,
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", nargs="?", default="nmi", choices=["nmi", "timing", "pipeline"])
    parser.add_argument("--posts", type=int, default=1_000_000, help="pipeline: generated posts")
    parser.add_argument("--data", default="/tmp/govsocial-bench-dask", help="pipeline: where generated posts go")
    parser.add_argument("--workers-list", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--blocksize", type=int, default=64 << 20)
    parser.add_argument("--memory-limit", default="4GB", help="pipeline: per worker (the target: no worker over 4 GB)")
    parser.add_argument("--write", action="store_true", help="pipeline: write the table into --out (docs/scaling.md)")
    parser.add_argument("--corpora", default=str(ROOT.parent / "shared" / "corpora"))
    parser.add_argument(
        "--datasets", nargs="+", default=["Tweet", "GoogleNews", "StackOverflow", "Biomedical"], choices=STTM
    )
    parser.add_argument("--models", nargs="+", default=["dmm", "lda"], choices=["dmm", "lda"])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--lda-iters", type=int, default=500, help="LDA sweeps (both engines)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--shards", type=int, default=2)
    parser.add_argument("--json", default="/tmp/govsocial-bench-dask.json")
    parser.add_argument("--resume", action="store_true", help="keep the fits already in --json")
    parser.add_argument("--out", default=str(ROOT / "docs" / "scaling.md"))
    parser.add_argument("--dataset", default="Biomedical", choices=STTM)
    parser.add_argument("--npz", default=None, help="timing: a saved scipy.sparse count matrix instead")
    parser.add_argument("--k", type=int, default=40)
    parser.add_argument("--iters", type=int, default=30)
    args = parser.parse_args(argv)
    if args.mode == "pipeline":
        run_pipeline(args)
        return
    if not args.npz and not (Path(args.corpora) / "sttm").exists():
        print(f"skipped: {Path(args.corpora) / 'sttm'} not found (pass --corpora)")
        return
    (run_timing if args.mode == "timing" else run_nmi)(args)


if __name__ == "__main__":
    main()

"""End-to-end scale: 1,000,000 generated posts through ingest → tokenise → topic model →
themes → engagement tables, with wall time and peak memory (PSS of the process and its
workers) per stage.

Target on 2 cores: under 15 minutes end to end (generation excluded: it makes the input),
peak memory under 8 GB. Results go to docs/benchmarks.md.

Usage: ``python experiments/benchmarks/bench_scale.py [--posts 1000000] [--workdir /tmp/govsocial-scale]``
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _report import write_section  # noqa: E402
from bench_text import TreeMemory  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--agencies", type=int, default=200)
    parser.add_argument("--workdir", default="/tmp/govsocial-scale")
    parser.add_argument("--n-jobs", type=int, default=2)
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    import govsocial as gs
    from govsocial.analysis.engagement import bonson_metrics, engagement_regression
    from govsocial.data.synth import generate

    workdir = Path(args.workdir)
    rows: list[tuple[str, float, float, str]] = []

    def stage(name: str, fn, note=lambda result: ""):  # type: ignore[no-untyped-def]
        with TreeMemory() as memory:
            start = time.perf_counter()
            result = fn()
            seconds = time.perf_counter() - start
        rows.append((name, seconds, memory.peak / 2**30, note(result)))
        print(f"{name:<28} {seconds:8.1f} s  peak {memory.peak / 2**30:5.2f} GiB  {rows[-1][3]}", flush=True)
        return result

    corpus = workdir / "corpus"
    if not (corpus / "posts.jsonl.gz").exists():
        stage(
            "generate (makes the input; not in the total)",
            lambda: generate(seed=7, n_posts=args.posts, n_agencies=args.agencies, out_dir=corpus),
        )
    posts, rejects = stage(
        "ingest (read_posts)",
        lambda: gs.read_posts(corpus / "posts.jsonl.gz", registry=corpus / "accounts.csv", unregistered="citizen"),
        lambda r: f"{len(r[0]):,} loaded, {len(r[1]):,} rejected",
    )
    dtm = stage(
        "tokenise → document-term",
        lambda: gs.Vectorizer(min_df=5, max_df=0.5, n_jobs=args.n_jobs).from_posts(posts),
        lambda d: f"{d.X.shape[0]:,} × {d.X.shape[1]:,}, {int(d.X.sum()):,} tokens",
    )
    stage(
        "topic model (DMM, K=40, 30 sweeps)",
        lambda d=dtm: gs.DMM(n_components=40, n_iter=30, random_state=0).fit(d),
        lambda m: f"{m.n_occupied_} topics used",
    )
    del dtm  # free the matrix before the later stages
    gov = posts[(posts["account_type"] == "government") & ~posts["is_repost"].fillna(False).astype(bool)]
    themes = stage(
        "themes (seeded scorer, oecd)",
        lambda: gs.ThemeScorer("oecd", "seeded", n_iter=50, random_state=0).fit(gov).predict_proba(gov),
        lambda t: f"{len(t):,} government posts scored",
    )
    labels = themes.idxmax(axis=1)
    stage(
        "engagement tables",
        lambda: (
            bonson_metrics(gov, by=labels, n_boot=200, random_state=0),
            bonson_metrics(gov, by="account", n_boot=200, random_state=0),
            engagement_regression(gov, themes, outcome="likes", reference="providing_information"),
        ),
        lambda r: f"{len(r[0]) + len(r[1]):,} metric rows; NB regression on {r[2].attrs['n_posts']:,} posts",
    )
    timed = [r for r in rows if not r[0].startswith("generate")]
    total = sum(r[1] for r in timed)
    peak = max(r[2] for r in timed)
    lines = [
        f"Run {time.strftime('%Y-%m-%d')} on {platform.machine()}, {os.cpu_count()} cores; {args.posts:,} "
        f"posts from `govsocial.data.synth.generate` (seed 7, {args.agencies} agencies); n_jobs = {args.n_jobs}. "
        "Peak memory is the proportional set size of the process and its workers, sampled every 50 ms.",
        "",
        "| stage | seconds | peak GiB | output |",
        "|---|---:|---:|---|",
        *[f"| {name} | {sec:.1f} | {mem:.2f} | {note} |" for name, sec, mem, note in rows],
        f"| **end to end (ingest → engagement)** | **{total:.1f}** | **{peak:.2f}** | targets: < 900 s, "
        f"< 8 GiB: {'met' if total < 900 and peak < 8 else 'not met'} |",
    ]
    write_section(Path(args.out), "bench_scale", "Scale (`experiments/benchmarks/bench_scale.py`)", lines)
    print(f"end to end {total:.1f} s, peak {peak:.2f} GiB; wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

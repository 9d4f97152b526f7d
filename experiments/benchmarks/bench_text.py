"""Speed of the text pipeline against nltk and scikit-learn, in one run.

Reads the tweets of ``tweeteval_stance.tsv`` from the shared corpora, replicates them
to ``--n`` posts (200,000) and times, on the same texts:

(a) nltk ``TweetTokenizer().tokenize`` alone (the correctness reference);
(b) scikit-learn ``CountVectorizer(stop_words="english").fit_transform``;
(c) the govsocial default pipeline — redaction, tokenising, stopwords, stemming —
    single-process (a fresh Tokenizer, so its caches start cold) and with ``n_jobs=2``;
(d) the govsocial ``Vectorizer`` end to end (tokens → phrases → pruned CSR matrix),
    and the same on ``--big`` posts (1,000,000) with ``n_jobs=2``, with the peak
    memory of the whole process tree (sum of PSS over the process and its workers).

It also reports near-duplicate detection on the bundled corpus against its planted
groups. Results are printed and written into docs/benchmarks.md.

Usage: ``python experiments/benchmarks/bench_text.py [--corpora ../shared/corpora] [--n 200000] [--big 1000000]``
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import write_section  # noqa: E402


class TreeMemory:
    """Peak proportional set size (PSS) of this process and its children, sampled every 50 ms."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def _pss(pid: int) -> int:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        return int(line.split()[1]) * 1024
        except OSError:
            return 0
        return 0

    @staticmethod
    def _children(pid: int) -> list[int]:
        out: list[int] = []
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as f:
                    out.extend(int(c) for c in f.read().split())
        except OSError:
            pass
        return out

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.is_set():
            total = self._pss(me) + sum(self._pss(c) for c in self._children(me))
            self.peak = max(self.peak, total)
            time.sleep(0.05)

    def __enter__(self) -> "TreeMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpora", default=str(ROOT.parent / "shared" / "corpora"))
    parser.add_argument("--n", type=int, default=200_000)
    parser.add_argument("--big", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3, help="rounds for the 200,000-post steps (best counts)")
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    args = parser.parse_args(argv)
    source = Path(args.corpora) / "tweeteval_stance.tsv"
    if not source.exists():
        print(f"skipped: {source} not found (pass --corpora)")
        return 0

    from nltk.tokenize import TweetTokenizer
    from sklearn.feature_extraction.text import CountVectorizer

    from govsocial.text import Tokenizer
    from govsocial.text.batch import tokenize_chunks
    from govsocial.text.dtm import Vectorizer

    base = pd.read_csv(source, sep="\t")["text"].astype(str).tolist()
    texts = (base * (args.n // len(base) + 1))[: args.n]
    n = len(texts)
    rows = []

    def add(name: str, seconds: float, docs: int, note: str = "") -> None:
        rows.append({"step": name, "posts": docs, "seconds": seconds, "posts_per_s": docs / seconds, "note": note})
        print(f"{name:<62} {docs:>9,} posts {seconds:8.2f} s {docs / seconds:>10,.0f} posts/s {note}", flush=True)

    tt = TweetTokenizer()
    r = args.repeats

    def parallel(jobs: int):
        def run() -> None:
            for _ in tokenize_chunks(Tokenizer(), texts, n_jobs=jobs, batch_size=10_000, surface=False):
                pass
        return run

    steps = [
        ("(a) nltk TweetTokenizer().tokenize", lambda: lambda: [tt.tokenize(t) for t in texts], ""),
        ('(b) sklearn CountVectorizer(stop_words="english").fit_transform',
         lambda: lambda: CountVectorizer(stop_words="english").fit_transform(texts), ""),
        ("(c) govsocial Tokenizer defaults, 1 process", lambda: lambda: Tokenizer().tokenize_many(texts),
         "redaction + tokenising + stopwords + stemming; fresh Tokenizer (cold caches) each run"),
        ("(c) govsocial Tokenizer defaults, n_jobs=2", lambda: parallel(2), "the calling process and one worker"),
        ("(d) govsocial Vectorizer end to end → CSR, 1 process", lambda: lambda: Vectorizer().fit_transform(texts), ""),
        ("(d) govsocial Vectorizer end to end → CSR, n_jobs=2",
         lambda: lambda: Vectorizer(n_jobs=2).fit_transform(texts), ""),
    ]
    # Rounds interleave the steps, so a slow spell of the machine hits all of them alike; best round counts.
    best = {name: float("inf") for name, _, _ in steps}
    for round_ in range(r):
        for name, make, _ in steps:
            seconds = timed(make())[0]
            best[name] = min(best[name], seconds)
            print(f"  round {round_ + 1}: {name}: {seconds:.2f} s", flush=True)
    for name, _, note in steps:
        add(name, best[name], n, note)
    big_seconds = big_peak = None
    dtm = None
    if args.big:
        big = (base * (args.big // len(base) + 1))[: args.big]
        with TreeMemory() as mem:
            big_seconds, dtm = timed(Vectorizer(n_jobs=2).fit_transform, big)
        big_peak = mem.peak
        add("(d) govsocial Vectorizer end to end → CSR, n_jobs=2", big_seconds, len(big),
            f"peak memory {big_peak / 2**30:.2f} GiB (PSS, process + workers)")
        del big

    table = pd.DataFrame(rows)
    a = table.loc[0, "posts_per_s"]
    c1, c2 = table.loc[2, "posts_per_s"], table.loc[3, "posts_per_s"]
    ratios = {
        "(c) 1 process ÷ (a) nltk": c1 / a,
        "(c) n_jobs=2 ÷ (c) 1 process": c2 / c1,
    }
    for k, v in ratios.items():
        print(f"{k}: {v:.2f}×")

    dedupe = near_duplicate_quality()

    lines = [
        f"Run {time.strftime('%Y-%m-%d')} on {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; {n:,} posts = the {len(base):,} TweetEval stance tweets replicated. "
        f"Best of {r} interleaved rounds for each {n:,}-post step (a fresh tokeniser or vectoriser each run), one run "
        "for the large matrix; all in one process (plus workers for n_jobs=2). This machine is shared and its "
        "timings vary by ±30% between runs; ratios from one run are what the targets are checked on.",
        "",
        "| step | posts | seconds | posts/s | note |",
        "|---|---:|---:|---:|---|",
        *[f"| {r.step} | {r.posts:,} | {r.seconds:.2f} | {r.posts_per_s:,.0f} | {r.note} |" for r in table.itertuples()],
        "",
        "| ratio | measured | target |",
        "|---|---:|---:|",
        f"| (c) single-process ÷ (a) nltk TweetTokenizer | {ratios['(c) 1 process ÷ (a) nltk']:.2f}× | ≥ 5× |",
        f"| (c) n_jobs=2 ÷ (c) single-process | {ratios['(c) n_jobs=2 ÷ (c) 1 process']:.2f}× | ≥ 1.7× |",
    ]
    if big_seconds is not None:
        lines.append(f"| {args.big:,} posts → CSR, n_jobs=2 | {big_seconds:.1f} s, {big_peak / 2**30:.2f} GiB peak "
                     f"| < 60 s, < 2 GB |")
    if dtm is not None:
        lines.append("")
        lines.append(f"The {args.big:,}-post matrix: {dtm.X.shape[0]:,} posts × {dtm.X.shape[1]:,} terms, "
                     f"{dtm.X.nnz:,} non-zeros, {dtm.report['phrases']:,} phrases (replicating every tweet makes "
                     "nearly every bigram frequent; real corpora give far fewer).")
    if dedupe:
        lines += ["", "Near-duplicates on the bundled corpus (`near_duplicates`, defaults) against the planted groups "
                  "(templates, canned replies, retweets with their original):", "",
                  "| measure | value |", "|---|---:|", *[f"| {k} | {v} |" for k, v in dedupe.items()]]
    write_section(Path(args.out), "bench_text", "Text pipeline speed (`experiments/benchmarks/bench_text.py`)", lines)
    print(f"wrote {args.out}")
    return 0


def near_duplicate_quality() -> dict[str, str]:
    from sklearn.metrics import pair_confusion_matrix

    import govsocial as gs
    from govsocial.text.dedupe import near_duplicates

    corpus = ROOT / "corpora" / "govsocial-sample"
    if not (corpus / "posts.jsonl.gz").exists():
        return {}
    posts, _ = gs.read_posts(corpus / "posts.jsonl.gz")
    truth = pd.read_csv(corpus / "truth.csv.gz", dtype=str, keep_default_na=False).set_index("post_id")
    truth_ids = pd.factorize(truth.loc[posts["post_id"], "dup_group"])[0]
    seconds, groups = timed(near_duplicates, posts["text"].tolist())
    (_, fp), (fn, tp) = pair_confusion_matrix(truth_ids, groups) / 2
    frame = pd.DataFrame({"t": truth_ids, "g": groups})
    multi_t = frame[frame.groupby("t")["g"].transform("size") > 1]
    recall_groups = multi_t.groupby("t")["g"].agg(lambda g: g.value_counts(normalize=True).iloc[0] >= 0.9).mean()
    multi_g = frame[frame.groupby("g")["t"].transform("size") > 1]
    precision_groups = multi_g.groupby("g")["t"].agg(lambda t: t.value_counts(normalize=True).iloc[0] >= 0.9).mean()
    return {
        "posts": f"{len(posts):,}",
        "planted groups with ≥ 2 posts": f"{multi_t['t'].nunique():,}",
        "pairwise precision": f"{tp / (tp + fp):.3f}",
        "pairwise recall": f"{tp / (tp + fn):.3f}",
        "planted groups found (≥ 90% of members in one found group)": f"{recall_groups:.3f}",
        "found groups that are pure (≥ 90% from one planted group)": f"{precision_groups:.3f}",
        "seconds": f"{seconds:.2f}",
    }


if __name__ == "__main__":
    np.seterr(all="ignore")
    sys.exit(main())

"""Topic models on the short-text benchmarks, against their peers, in one run.

For each data set (the six STTM sets in ``<corpora>/sttm`` and the TweetEval stance
tweets tokenised by govsocial's pipeline), with K = the number of label classes and
several seeds, fits govsocial's DMM, LDA, NMF and SeededLDA (seeded with nothing) and
the peers tweetopic DMM, tomotopy LDAModel, gensim LdaModel, scikit-learn
LatentDirichletAllocation and NMF, and bitermplus BTM (where it installs). Each peer
gets its own virtual environment (created here, under ``--workdir``) because some pin
old numpy or scikit-learn releases; every fit runs in its own process on the same saved
count matrix and only the fit is timed (numba compilation is timed separately).

Scores: NMI (mean ± sd over seeds), ARI, and c_npmi coherence of the top-10 words
(gensim, computed here the same way for every method). Results go to docs/benchmarks.md.

With ``--bundled``: SeededLDA and SeededDMM per-theme F1 on the bundled corpus instead.

Usage: ``python experiments/benchmarks/bench_models.py [--datasets Tweet GoogleNews] [--seeds 3] [--bundled]``
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _report import write_section  # noqa: E402

STTM = ["Tweet", "GoogleNews", "SearchSnippets", "StackOverflow", "Biomedical", "Pascal_Flickr"]
DATASETS = STTM + ["TweetEval_stance"]
OURS = ["govsocial_dmm", "govsocial_lda", "govsocial_nmf", "govsocial_seeded_lda"]
PEERS = {
    # method: (environment name, packages to install there); None = this environment
    "tweetopic_dmm": ("tweetopic", ["tweetopic", "scipy"]),
    "tomotopy_lda": ("tomotopy", ["tomotopy", "numpy", "scipy"]),
    "bitermplus_btm": ("bitermplus", ["bitermplus", "scipy"]),
    "gensim_lda": (None, []),
    "sklearn_lda": (None, []),
    "sklearn_nmf": (None, []),
}


def prepare(corpora: Path, name: str, workdir: Path) -> tuple[Path, np.ndarray, list[list[str]], int] | None:
    """Save the count matrix of a data set; return (path, labels, texts as term ids, K)."""
    if name == "TweetEval_stance":
        path = corpora / "tweeteval_stance.tsv"
        if not path.exists():
            return None
        from govsocial.text.dtm import Vectorizer

        frame = pd.read_csv(path, sep="\t")
        dtm = Vectorizer(min_df=2, max_df=0.5).from_posts(frame["text"].astype(str).tolist())
        X = dtm.X
        labels = pd.factorize(frame["target"])[0][dtm.post_ids.astype(int)]
    else:
        text, lab = corpora / "sttm" / f"{name}.txt", corpora / "sttm" / f"{name}.labels"
        if not text.exists():
            return None
        from sklearn.feature_extraction.text import CountVectorizer

        docs = text.read_text(encoding="utf-8").splitlines()
        labels = np.loadtxt(lab, dtype=int)
        X = CountVectorizer(token_pattern=r"\S+", lowercase=False).fit_transform(docs).tocsr()
        keep = np.diff(X.indptr) > 0
        X, labels = X[keep], labels[keep]
    out = workdir / f"{name}.npz"
    sp.save_npz(out, X.astype(np.int64))
    texts = [
        np.repeat(X.indices[X.indptr[i] : X.indptr[i + 1]], X.data[X.indptr[i] : X.indptr[i + 1]]).astype(str).tolist()
        for i in range(X.shape[0])
    ]
    return out, labels, texts, len(np.unique(labels))


def environment(name: str | None, packages: list[str], workdir: Path) -> str | None:
    """The python of a peer's own virtual environment (created on first use), or None if it will not install."""
    if name is None:
        return sys.executable
    venv = workdir / f"venv-{name}"
    python = venv / "bin" / "python"
    marker = venv / ".installed"
    if not marker.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        result = subprocess.run([str(python), "-m", "pip", "install", "-q", *packages], capture_output=True, text=True)
        if result.returncode != 0:
            print(f"  {name}: could not install ({result.stderr.strip().splitlines()[-1:]}); skipped")
            return None
        marker.write_text("ok")
    return str(python)


def run_one(python: str, method: str, matrix: Path, K: int, seed: int, workdir: Path) -> dict | None:
    out = workdir / f"{matrix.stem}-{method}-{seed}.json"
    result = subprocess.run(
        [python, str(HERE / "_model_runner.py"), method, str(matrix), str(K), str(seed), str(out)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    if result.returncode != 0:
        print(f"  {method} failed: {result.stderr.strip().splitlines()[-1:]}")
        return None
    return json.loads(out.read_text())


PORTFOLIO_SEEDS = {
    # written from the portfolio names, as a researcher would, not from the generator's word lists
    "health": ["health", "hospital", "vaccine", "doctor", "mental health", "clinic"],
    "transport": ["train", "bus", "road", "traffic", "licence", "transport"],
    "emergency": ["fire", "flood", "police", "emergency", "evacuation", "storm"],
    "education": ["school", "student", "teacher", "university", "childcare", "education"],
    "tax": ["tax", "return", "business", "scam", "GST", "refund"],
    "environment": ["recycling", "water", "park", "waste", "bin", "environment"],
    "housing": ["housing", "rent", "tenant", "planning", "development", "home"],
    "employment": ["job", "employment", "payment", "workplace", "worker", "career"],
}


def seeded_on_bundled(seeds: int, out: Path) -> None:
    """Per-theme F1 of SeededLDA and SeededDMM on the bundled corpus, seeded from a codebook.

    Two tasks with planted truth: the OECD themes of agencies' own posts (seeded with the
    packaged ``oecd`` codebook) and the portfolios of all posts (seeded with six words per
    portfolio). Each post's predicted theme is its most probable *seeded* topic (free
    topics soak up the rest of the vocabulary but every evaluated post has a planted theme).
    """
    from sklearn.metrics import f1_score

    import govsocial as gs
    from govsocial.analysis.themes import load_codebook

    corpus = ROOT / "corpora" / "govsocial-sample"
    posts, _ = gs.read_posts(corpus / "posts.jsonl.gz", registry=corpus / "accounts.csv")
    truth = pd.read_csv(corpus / "truth.csv.gz", dtype={"post_id": str}).set_index("post_id")
    tasks = {
        "OECD themes, agencies' own posts": (
            truth.index[truth["kind"] == "gov_post"],
            "theme",
            load_codebook("oecd").seeds(),
        ),
        "portfolios, all posts": (truth.index, "portfolio", PORTFOLIO_SEEDS),
    }
    rows = []
    for task, (ids, column, seed_words) in tasks.items():
        subset = posts[posts["post_id"].isin(set(ids))]
        dtm = gs.Vectorizer(min_df=2, max_df=0.5).from_posts(subset)
        y = truth.loc[dtm.post_ids, column].to_numpy()
        names = list(seed_words)
        present = [n for n in names if (y == n).any()]
        for method, cls in (("SeededLDA", gs.SeededLDA), ("SeededDMM", gs.SeededDMM)):
            for seed in range(seeds):
                start = time.perf_counter()
                model = cls(seed_words, random_state=seed).fit(dtm)
                seconds = time.perf_counter() - start
                theta = model.transform(dtm) if method == "SeededDMM" else model.doc_topic_
                pred = np.asarray(names)[np.asarray(theta)[:, : len(names)].argmax(axis=1)]
                f1 = f1_score(y, pred, labels=present, average=None, zero_division=0)
                rows += [
                    {"task": task, "method": method, "seed": seed, "theme": n, "f1": v, "seconds": seconds}
                    for n, v in zip(present, f1)
                ]
                rows.append(
                    {
                        "task": task,
                        "method": method,
                        "seed": seed,
                        "theme": "macro-F1",
                        "f1": float(np.mean(f1)),
                        "seconds": seconds,
                    }
                )
                print(f"  {task} {method} seed {seed}: macro-F1 {np.mean(f1):.3f}", flush=True)
    table = pd.DataFrame(rows)
    summary = table.groupby(["task", "theme", "method"], sort=False)["f1"].agg(["mean", "std"]).unstack("method")
    lines = [
        f"Run {time.strftime('%Y-%m-%d')}; bundled corpus `corpora/govsocial-sample` (20,000 posts); "
        f"{seeds} seeds; default settings (K = seeded topics + 5 free; Vectorizer min_df = 2, max_df = 0.5). "
        "OECD themes: agencies' own posts (no replies, templates or corrections), seeded with the packaged "
        "`oecd` codebook (seed words and phrases only; its structural cues are used by the theme scorer, not "
        "here). Portfolios: every post, seeded with six words per portfolio written from its name. A post's "
        "prediction is its most probable seeded topic. F1 mean ± sd over seeds.",
        "",
    ]
    for task in table["task"].unique():
        lines += [f"**{task}**", "", "| theme | SeededLDA F1 | SeededDMM F1 |", "|---|---:|---:|"]
        part = summary.loc[task]
        part = part.loc[[t for t in part.index if t != "macro-F1"] + ["macro-F1"]]
        for theme, r in part.iterrows():
            cells = [
                f"{r[('mean', m)]:.3f} ± {r[('std', m)]:.3f}" if seeds > 1 else f"{r[('mean', m)]:.3f}"
                for m in ("SeededLDA", "SeededDMM")
            ]
            lines.append(f"| {theme} | {cells[0]} | {cells[1]} |")
        lines.append("")
    write_section(
        out, "bench_models_seeded", "Seeded topic models on the bundled corpus (`bench_models.py --bundled`)", lines
    )
    print(f"wrote {out}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpora", default=str(ROOT.parent / "shared" / "corpora"))
    parser.add_argument("--datasets", nargs="+", default=DATASETS, choices=DATASETS)
    parser.add_argument("--methods", nargs="+", default=OURS + list(PEERS))
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--workdir", default="/tmp/govsocial-bench-models")
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    parser.add_argument(
        "--bundled", action="store_true", help="only the seeded models' per-theme F1 on the bundled corpus"
    )
    args = parser.parse_args(argv)
    if args.bundled:
        seeded_on_bundled(args.seeds, Path(args.out))
        return 0
    corpora, workdir = Path(args.corpora), Path(args.workdir)
    if not (corpora / "sttm").exists():
        print(f"skipped: {corpora / 'sttm'} not found (pass --corpora)")
        return 0
    workdir.mkdir(parents=True, exist_ok=True)
    from govsocial.topics.evaluate import agreement, coherence

    pythons = {m: sys.executable for m in OURS}
    for method in args.methods:
        if method in PEERS:
            pythons[method] = environment(*PEERS[method], workdir)
    rows = []
    for name in args.datasets:
        prepared = prepare(corpora, name, workdir)
        if prepared is None:
            print(f"{name}: not found, skipped")
            continue
        matrix, labels, texts, K = prepared
        print(f"{name}: {len(labels)} posts, K = {K}", flush=True)
        for method in args.methods:
            python = pythons.get(method)
            if python is None:
                continue
            for seed in range(args.seeds):
                res = run_one(python, method, matrix, K, seed, workdir)
                if res is None:
                    break
                scores = agreement(labels, res["labels"])
                npmi = coherence([[str(j) for j in t] for t in res["top"]], texts, measure="c_npmi")["coherence"]
                rows.append(
                    {
                        "dataset": name,
                        "method": method,
                        "seed": seed,
                        **scores,
                        "c_npmi": float(npmi.mean()),
                        "seconds": res["seconds"],
                        "compile_seconds": res["compile_seconds"],
                    }
                )
                print(f"  {method:<22} seed {seed}: NMI {scores['nmi']:.3f}  {res['seconds']:.2f} s", flush=True)
    table = pd.DataFrame(rows)
    if table.empty:
        print("nothing was run")
        return 0
    table.to_csv(workdir / "results.csv", index=False)
    summary = (
        table.groupby(["dataset", "method"], sort=False)
        .agg(
            nmi=("nmi", "mean"),
            nmi_sd=("nmi", "std"),
            ari=("ari", "mean"),
            c_npmi=("c_npmi", "mean"),
            seconds=("seconds", "mean"),
            compile=("compile_seconds", "mean"),
            runs=("seed", "count"),
        )
        .reset_index()
    )
    lines = [
        f"Run {time.strftime('%Y-%m-%d')} on {platform.machine()}, {os.cpu_count()} cores; datasets: "
        f"{', '.join(args.datasets)}; {args.seeds} seed(s) each; K = number of label classes. Each fit in its own "
        "process on the same saved count matrix; peers in their own virtual environments (gensim and scikit-learn "
        "in govsocial's). Settings: DMM 50 iterations, α = β = 0.1 (govsocial, tweetopic); govsocial LDA defaults "
        "(500 Gibbs sweeps, α from 0.1 re-estimated every 10 sweeps, β = 0.01); tomotopy LDAModel defaults (α from "
        "0.1 optimised every 10 iterations, η = 0.01), 1000 iterations, 1 worker; gensim LdaModel and "
        "scikit-learn defaults; NMF on sublinear TF-IDF; BTM 100 iterations.",
        "",
        "| dataset | method | NMI (mean ± sd) | ARI | c_npmi | fit s | compile s | runs |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
        *[
            f"| {r.dataset} | {r.method} | {r.nmi:.3f}{'' if pd.isna(r.nmi_sd) else f' ± {r.nmi_sd:.3f}'} | {r.ari:.3f} | "
            f"{r.c_npmi:.3f} | {r.seconds:.2f} | {r.compile:.2f} | {r.runs} |"
            for r in summary.itertuples()
        ],
    ]
    ratios, lda = [], []
    for name in summary["dataset"].unique():
        s = summary[summary["dataset"] == name].set_index("method")
        if {"govsocial_dmm", "tweetopic_dmm"} <= set(s.index):
            ours, theirs = s.loc["govsocial_dmm"], s.loc["tweetopic_dmm"]
            ratio = ours["seconds"] / theirs["seconds"]
            ratios.append(
                f"| {name} | {ours['nmi']:.3f} vs {theirs['nmi']:.3f} | "
                f"{'yes' if ours['nmi'] >= theirs['nmi'] - 0.01 else 'no'} | {ratio:.2f} | "
                f"{'yes' if ratio <= 0.5 else 'no'} |"
            )
        if {"govsocial_lda", "tomotopy_lda"} <= set(s.index):
            ours, theirs = s.loc["govsocial_lda"], s.loc["tomotopy_lda"]
            lda.append(
                f"| {name} | {ours['nmi']:.3f} vs {theirs['nmi']:.3f} | "
                f"{'yes' if ours['nmi'] >= theirs['nmi'] - 0.03 else 'no'} | "
                f"{ours['seconds'] / theirs['seconds']:.2f} |"
            )
    if ratios:
        lines += [
            "",
            "DMM targets: NMI at least the peer DMM's (within 0.01); fit time at most half of tweetopic's.",
            "",
            "| dataset | NMI govsocial vs tweetopic | NMI met | time govsocial ÷ tweetopic | time met |",
            "|---|---|---|---:|---|",
            *ratios,
        ]
    if lda:
        lines += [
            "",
            "LDA target: NMI within 0.03 of tomotopy's LDAModel with default settings.",
            "",
            "| dataset | NMI govsocial vs tomotopy | met | time govsocial ÷ tomotopy |",
            "|---|---|---|---:|",
            *lda,
        ]
    write_section(Path(args.out), "bench_models", "Topic models (`experiments/benchmarks/bench_models.py`)", lines)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

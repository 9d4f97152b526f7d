"""Theme scoring against hand-coded government posts, beside simple baselines, in one run.

Data: ``<corpora>/police_dev.tsv`` (columns ``label, text``; three classes: information,
engagement, intelligence_gathering) — a small, skewed development sample; it is a sanity
check, not a target, and nothing here is tuned to it. The six OECD uses are mapped onto
the three classes (providing information and delivering services → information;
engaging stakeholders, responding to requests and collaborating → engagement; sourcing
ideas and information → intelligence_gathering).

Methods (macro-F1 with a 95 % bootstrap interval):
* keyword matcher — the OECD codebook's seeds, phrases and cues, most evidence wins,
  posts with none go to providing information (untuned baseline);
* ThemeScorer("oecd", "seeded") — no labels;
* TF-IDF + logistic regression (scikit-learn, class-balanced) with n labelled posts;
* ThemeScorer(method="supervised") and ThemeScorer(method="semi") with the same n
  labelled posts (semi also sees the rest, uncoded).
Labelled posts are drawn stratified at random (several draws); scores are on the
posts not drawn. Also: ThemeScorer("oecd", "seeded") on the bundled corpus's agency
posts against the planted themes.

Usage: ``python experiments/benchmarks/bench_themes.py [--corpora ../shared/corpora] [--draws 3]``
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _report import write_section  # noqa: E402

TO_THREE = {"providing_information": "information", "delivering_services": "information",
            "engaging_stakeholders": "engagement", "responding_to_requests": "engagement",
            "collaborating": "engagement", "sourcing_ideas": "intelligence_gathering"}


def _draw(labels: np.ndarray, n: int, seed: int) -> np.ndarray:
    from sklearn.model_selection import train_test_split

    idx = np.arange(len(labels))
    chosen, _ = train_test_split(idx, train_size=n, stratify=labels, random_state=seed)
    return np.sort(chosen)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpora", default=str(ROOT.parent / "shared" / "corpora"))
    parser.add_argument("--sizes", nargs="+", type=int, default=[100, 250, 500])
    parser.add_argument("--draws", type=int, default=3)
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score

    import govsocial as gs
    from govsocial.analysis.themes import (
        ThemeScorer,
        classification_agreement,
        keyword_evidence,
        load_codebook,
    )

    path = Path(args.corpora) / "police_dev.tsv"
    lines = []
    rows = []
    if path.exists():
        frame = pd.read_csv(path, sep="\t")
        texts, y = frame["text"].astype(str).tolist(), frame["label"].to_numpy()
        book = load_codebook("oecd")

        def macro(truth, pred):
            return f1_score(truth, pred, average="macro", zero_division=0)

        evidence = keyword_evidence(texts, book).to_numpy()
        names = np.asarray(book.names, dtype=object)
        kw = names[evidence.argmax(axis=1)]
        kw[evidence.max(axis=1) <= 0] = names[0]
        kw = np.asarray([TO_THREE[t] for t in kw])
        s = classification_agreement(y, kw, random_state=0)["summary"].set_index("metric")
        rows.append({"method": "keyword matcher (oecd codebook, untuned)", "labels": 0,
                     "macro_f1": s.loc["macro_f1", "estimate"], "low": s.loc["macro_f1", "low"],
                     "high": s.loc["macro_f1", "high"], "sd": np.nan})
        print(f"keyword: {rows[-1]['macro_f1']:.3f}", flush=True)
        start = time.perf_counter()
        scorer = ThemeScorer("oecd", "seeded", random_state=0).fit(texts)
        seconds = time.perf_counter() - start
        out = scorer.validate(texts, y, mapping=TO_THREE, random_state=0)
        s = out["summary"].set_index("metric")
        rows.append({"method": "ThemeScorer seeded (oecd)", "labels": 0, "macro_f1": s.loc["macro_f1", "estimate"],
                     "low": s.loc["macro_f1", "low"], "high": s.loc["macro_f1", "high"], "sd": np.nan})
        seeded_detail = out
        print(f"seeded: {rows[-1]['macro_f1']:.3f} ({seconds:.1f} s)", flush=True)
        for n in args.sizes:
            if n >= len(y) - 50:
                continue
            scores: dict[str, list[float]] = {"tfidf_lr": [], "supervised": [], "semi": []}
            for draw in range(args.draws):
                chosen = _draw(y, n, draw)
                rest = np.setdiff1d(np.arange(len(y)), chosen)
                tr = [texts[i] for i in chosen]
                te = [texts[i] for i in rest]
                vec = TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), min_df=1)
                lr = LogisticRegression(max_iter=5000, class_weight="balanced").fit(vec.fit_transform(tr), y[chosen])
                scores["tfidf_lr"].append(macro(y[rest], lr.predict(vec.transform(te))))
                sup = ThemeScorer("oecd", "supervised", random_state=draw).fit(tr, y[chosen])
                scores["supervised"].append(macro(y[rest], sup.predict(te)))
                partial = np.full(len(y), None, dtype=object)
                partial[chosen] = y[chosen]
                semi = ThemeScorer("oecd", "semi", random_state=draw).fit(texts, partial)
                scores["semi"].append(macro(y[rest], semi.predict(te)))
                print(f"n={n} draw {draw}: " + ", ".join(f"{k} {v[-1]:.3f}" for k, v in scores.items()), flush=True)
            for key, label in (("tfidf_lr", "TF-IDF + logistic regression (scikit-learn)"),
                               ("supervised", "ThemeScorer supervised (oecd features)"),
                               ("semi", "ThemeScorer semi (oecd features, rest uncoded)")):
                v = np.asarray(scores[key])
                rows.append({"method": label, "labels": n, "macro_f1": v.mean(), "low": np.nan, "high": np.nan,
                             "sd": v.std(ddof=1) if len(v) > 1 else np.nan})
        table = pd.DataFrame(rows)
        lines += [f"Run {time.strftime('%Y-%m-%d')}; `police_dev.tsv` ({len(y)} posts: "
                  + ", ".join(f"{k} {v}" for k, v in pd.Series(y).value_counts().items())
                  + "). OECD uses mapped to the three classes as in the script's docstring. Rows with 0 labels are "
                  "scored on every post (95 % bootstrap interval); rows with n labels are the mean (± sd) over "
                  f"{args.draws} stratified draws, scored on the posts not drawn. Reference figures from the issue "
                  "(larger held-out set of the same scheme): keyword matcher 0.60; TF-IDF + LR 0.65 / 0.72 / 0.78 "
                  "with 100 / 250 / 500 labels. Targets: seeded ≥ 0.72, semi with 250 labels ≥ 0.80.", "",
                  "| method | labelled posts | macro-F1 | interval / sd |", "|---|---:|---:|---|"]
        for r in table.itertuples():
            spread = (f"{r.low:.3f}–{r.high:.3f}" if not np.isnan(r.low) else
                      (f"± {r.sd:.3f}" if not np.isnan(r.sd) else ""))
            lines.append(f"| {r.method} | {r.labels} | {r.macro_f1:.3f} | {spread} |")
        per = seeded_detail["per_class"]
        lines += ["", "Seeded scorer, per class (police_dev):", "", "| class | precision | recall | F1 | support |",
                  "|---|---:|---:|---:|---:|"]
        for c, part in per.groupby("class", sort=False):
            v = part.set_index("metric")["estimate"]
            lines.append(f"| {c} | {v['precision']:.3f} | {v['recall']:.3f} | {v['f1']:.3f} | "
                         f"{int(part['support'].iloc[0])} |")
        lines.append("")
    else:
        print(f"skipped police_dev: {path} not found")
    # the bundled corpus: planted OECD themes of agencies' own posts and replies
    corpus = ROOT / "corpora" / "govsocial-sample"
    posts, _ = gs.read_posts(corpus / "posts.jsonl.gz", registry=corpus / "accounts.csv")
    truth = pd.read_csv(corpus / "truth.csv.gz", dtype={"post_id": str}).set_index("post_id")
    gov = posts[posts["post_id"].isin(truth.index[truth["kind"].isin(["gov_post", "gov_response"])])]
    scorer = ThemeScorer("oecd", "seeded", random_state=0).fit(gov)
    out = scorer.validate(gov, truth.loc[gov["post_id"], "theme"].to_numpy(), random_state=0)
    s = out["summary"].set_index("metric")
    print(f"bundled seeded macro-F1 {s.loc['macro_f1', 'estimate']:.3f}")
    lines += [f"Bundled corpus, agencies' own posts and replies ({len(gov)}), planted OECD themes, "
              f"ThemeScorer seeded: macro-F1 {s.loc['macro_f1', 'estimate']:.3f} "
              f"({s.loc['macro_f1', 'low']:.3f}–{s.loc['macro_f1', 'high']:.3f}), Krippendorff's alpha "
              f"{s.loc['krippendorff_alpha', 'estimate']:.3f}.", "", "| theme | precision | recall | F1 |",
              "|---|---:|---:|---:|"]
    for c, part in out["per_class"].groupby("class", sort=False):
        v = part.set_index("metric")["estimate"]
        lines.append(f"| {c} | {v['precision']:.3f} | {v['recall']:.3f} | {v['f1']:.3f} |")
    write_section(Path(args.out), "bench_themes", "Theme scoring (`experiments/benchmarks/bench_themes.py`)", lines)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

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

Part ``zeroshot`` (section ``bench_themes_zeroshot``, helpers in ``_themes_zeroshot.py``):
the earlier seeded scorer taken apart stage by stage, then one idea at a time, on
police_dev (mapped to three classes), the bundled corpus (six planted themes) and
TweetEval sentiment scored with a codebook written from published definitions
(``codebooks/sentiment_semeval.toml``: labels, definitions, seeds, phrases, no cues).

Part ``active`` (section ``bench_themes_active``, helpers in ``_themes_active.py``):
50 random coded posts + 4 queried batches of 50 versus 250 random, with
ThemeScorer(method="semi"), on police_dev and TweetEval stance and sentiment.

Part ``curves`` (section ``bench_themes_curves``, helpers in ``_themes_curves.py``): learning
curves, macro-F1 on a held-out 30 % after 50, 100, 250, 500 and 1,000 coded posts, random
versus active coding, on the same three data sets.

Usage: ``python experiments/benchmarks/bench_themes.py [--corpora ../shared/corpora] [--draws 3]
[--parts baselines zeroshot active curves] [--starts 2]``
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

TO_THREE = {
    "providing_information": "information",
    "delivering_services": "information",
    "engaging_stakeholders": "engagement",
    "responding_to_requests": "engagement",
    "collaborating": "engagement",
    "sourcing_ideas": "intelligence_gathering",
}


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
    parser.add_argument(
        "--parts",
        nargs="+",
        default=["baselines", "zeroshot", "zeroshot_now", "active", "curves"],
        choices=["baselines", "zeroshot", "zeroshot_now", "active", "curves"],
    )
    parser.add_argument("--starts", type=int, default=2, help="curves: random starts per data set")
    parser.add_argument("--data", nargs="+", default=None, help="zeroshot_now, active: only these data sets (names)")
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    if "zeroshot" in args.parts:
        zeroshot(args)
    if "zeroshot_now" in args.parts:
        zeroshot_now(args)
    if "active" in args.parts:
        active(args)
    if "baselines" in args.parts:
        baselines(args)
    if "curves" in args.parts:
        curves(args)
    return 0


CURVE_SETS = [
    ("police_dev", "police_dev.tsv", "label", "oecd"),
    ("TweetEval stance", "tweeteval_stance.tsv", "stance", None),
    ("TweetEval sentiment", "tweeteval_sentiment.tsv", "sentiment", None),
]


def curves(args: argparse.Namespace) -> None:
    """Learning curves, random versus active coding, 50 to 1,000 coded posts (``_themes_curves.py``)."""
    import _themes_curves as C

    corpora, rows = Path(args.corpora), []
    sizes = (50, 100, 250, 500, 1000)
    for label, file, column, book in CURVE_SETS:
        if args.data is not None and label not in args.data:
            continue
        path = corpora / file
        if not path.exists():
            print(f"skipped {label}: {path} not found")
            continue
        frame = pd.read_csv(path, sep="\t")
        print(label, flush=True)
        for row in C.curves(
            frame["text"].astype(str).tolist(), frame[column].to_numpy(), book, sizes=sizes, starts=args.starts
        ):
            rows.append({"data": f"{label} ({len(frame):,})", **row})
    if not rows:
        return
    table = pd.DataFrame(rows)
    mean = table.groupby(["data", "strategy", "coded"], sort=False)["macro_f1"].agg(["mean", "min", "max"])
    lines = [
        f"Run {time.strftime('%Y-%m-%d')}: `bench_themes.py --parts curves --starts {args.starts}` "
        '(helpers in `_themes_curves.py`). `ThemeScorer(codebook, "semi")` (police_dev: the oecd codebook\'s '
        "features; TweetEval: none) fitted on the coded posts with the rest uncoded; macro-F1 on a held-out 30 % "
        "of the posts drawn per start and never coded. Random: the first n posts of the pool's permutation. "
        "Active: 50 at random, then `query` batches (50 up to 250 coded, 125 up to 500, then 250). Mean over "
        f"{args.starts} starts (min–max); sizes beyond the pool (70 % of the posts) are left out.",
        "",
        "| data (posts) | coded | random | active |",
        "|---|---:|---:|---:|",
    ]
    for (data, n), group in mean.reset_index().groupby(["data", "coded"], sort=False):
        cells = {r["strategy"]: f"{r['mean']:.3f} ({r['min']:.3f}–{r['max']:.3f})" for _, r in group.iterrows()}
        lines.append(f"| {data} | {n:,} | {cells.get('random', '—')} | {cells.get('active', '—')} |")
    write_section(
        Path(args.out),
        "bench_themes_curves",
        "Learning curves: random versus active coding (`bench_themes.py --parts curves`)",
        lines,
    )


def _bundled():
    import govsocial as gs

    corpus = ROOT / "corpora" / "govsocial-sample"
    posts, _ = gs.read_posts(corpus / "posts.jsonl.gz", registry=corpus / "accounts.csv")
    truth = pd.read_csv(corpus / "truth.csv.gz", dtype={"post_id": str}).set_index("post_id")
    gov = posts[posts["post_id"].isin(truth.index[truth["kind"].isin(["gov_post", "gov_response"])])]
    return gov.reset_index(drop=True), truth.loc[gov["post_id"], "theme"].to_numpy()


def _datasets(corpora: Path) -> list:
    from _themes_zeroshot import Data

    from govsocial.analysis.themes import load_codebook

    out = []
    police, sentiment = corpora / "police_dev.tsv", corpora / "tweeteval_sentiment.tsv"
    if police.exists():
        frame = pd.read_csv(police, sep="\t")
        out.append(
            Data(
                "police_dev",
                frame["text"].astype(str).tolist(),
                frame["label"].to_numpy(),
                load_codebook("oecd"),
                TO_THREE,
            )
        )
    else:
        print(f"skipped police_dev: {police} not found")
    gov, theme = _bundled()
    out.append(Data("bundled corpus", gov, theme, load_codebook("oecd"), None))
    if sentiment.exists():
        frame = pd.read_csv(sentiment, sep="\t")
        out.append(
            Data(
                "TweetEval sentiment",
                frame["text"].astype(str).tolist(),
                frame["sentiment"].to_numpy(),
                load_codebook(HERE / "codebooks" / "sentiment_semeval.toml"),
                None,
            )
        )
    else:
        print(f"skipped TweetEval sentiment: {sentiment} not found")
    return out


def zeroshot(args: argparse.Namespace) -> None:
    """Why the earlier seeded scorer added little over its keywords, and what each idea does."""
    import _themes_zeroshot as Z

    data = _datasets(Path(args.corpora))
    found, idea_rows = {}, {}
    for d in data:
        print(f"{d.name}: stages", flush=True)
        found[d.name] = Z.stages(d)
        idea_rows[d.name] = Z.ideas(d, found[d.name].pop("lda_part"))
    sizes = "; ".join(
        f"{d.name} {len(d.gold):,} posts ("
        + ", ".join(f"{k} {v:,}" for k, v in pd.Series(d.gold).value_counts().items())
        + ")"
        for d in data
    )
    names = [d.name for d in data]
    lines = [
        f"Run {time.strftime('%Y-%m-%d')}; macro-F1 on every post, no labels used. {sizes}. police_dev is scored "
        "after mapping the six OECD uses to its three classes (`TO_THREE`); the bundled corpus on its six "
        "planted themes; TweetEval sentiment with `experiments/benchmarks/codebooks/sentiment_semeval.toml`, "
        "a codebook written from the SemEval-2017 definitions and Turney & Littman's (2003) paradigm words "
        "(labels, definitions, seeds, phrases; no cues; first theme neutral, the default). Nothing was "
        "tuned to police_dev. Fits use random_state 0.",
        "",
        '**The earlier seeded scorer, stage by stage** (`expansion="seeded_lda", self_training="all", '
        "min_evidence=1.5`):",
        "",
        "| stage | " + " | ".join(names) + " |",
        "|---|" + "---:|" * len(names),
    ]
    for stage in next(iter(found.values()))["scores"]:
        lines.append(f"| {stage} | " + " | ".join(f"{found[n]['scores'][stage]:.3f}" for n in names) + " |")
    lines += [
        "",
        "| diagnostic | " + " | ".join(names) + " |",
        "|---|" + "---:|" * len(names),
        "| posts with no keyword evidence | " + " | ".join(f"{found[n]['no_evidence']:.1%}" for n in names) + " |",
        "| posts below min_evidence 1.5 (to the default theme) | "
        + " | ".join(f"{found[n]['below_threshold']:.1%}" for n in names)
        + " |",
        "| rule labels the seeded-LDA shares changed (right after / right before) | "
        + " | ".join(
            f"{found[n]['lda_changed']:,} ({found[n]['lda_right']} / {found[n]['lda_were_right']})" for n in names
        )
        + " |",
        "| posts where the self-trained classifier repeats its rule label | "
        + " | ".join(f"{found[n]['classifier_agrees']:.1%}" for n in names)
        + " |",
        "| posts it changed (right after / right before) | "
        + " | ".join(
            f"{found[n]['flips']:,} ({found[n]['flips_right']} / {found[n]['flips_were_right']})" for n in names
        )
        + " |",
        "",
        "**One change at a time** to the earlier seeded scorer (macro-F1; the last row is the scorer as "
        "wired in now, mean ± sd over three seeds):",
        "",
        "| idea | " + " | ".join(names) + " |",
        "|---|" + "---:|" * len(names),
    ]
    ideas = list(dict.fromkeys(r["idea"] for rows in idea_rows.values() for r in rows))
    for idea in ideas:
        cells = []
        for n in names:
            row = next((r for r in idea_rows[n] if r["idea"] == idea), None)
            if row is None:
                cells.append("n/a")
            elif not np.isnan(row.get("sd", np.nan)):
                cells.append(f"{row['macro_f1']:.3f} ± {row['sd']:.3f}")
            else:
                cells.append(f"{row['macro_f1']:.3f}")
        lines.append(f"| {idea} | " + " | ".join(cells) + " |")
    write_section(
        Path(args.out),
        "bench_themes_zeroshot",
        "Zero-shot theme scoring, stage by stage and idea by idea (`bench_themes.py --parts zeroshot`)",
        lines,
    )


def zeroshot_now(args: argparse.Namespace) -> None:
    """One idea at a time on top of the seeded scorer as wired in now."""
    import _themes_zeroshot as Z

    data = [d for d in _datasets(Path(args.corpora)) if args.data is None or d.name in args.data]
    rows = {}
    for d in data:
        print(f"{d.name}: ideas on the current scorer", flush=True)
        rows[d.name] = {r["idea"]: r["macro_f1"] for r in Z.ideas_now(d)}
    names = [d.name for d in data]
    sizes = "; ".join(f"{d.name} {len(d.gold):,} posts" for d in data)
    lines = [
        f"Run {time.strftime('%Y-%m-%d')}; macro-F1 on every post, no labels used ({sizes}; the data and "
        'codebooks of the section above). Each row changes one thing in `ThemeScorer(codebook, "seeded", '
        "random_state=0)` (keyword evidence + LSS, the codebook's min_evidence, confident self-training). "
        "None of these was adopted unless it helped on every data set.",
        "",
        "| idea | " + " | ".join(names) + " |",
        "|---|" + "---:|" * len(names),
    ]
    for idea in dict.fromkeys(i for r in rows.values() for i in r):
        lines.append(f"| {idea} | " + " | ".join(f"{rows[n][idea]:.3f}" for n in names) + " |")
    write_section(
        Path(args.out),
        "bench_themes_zeroshot_now",
        "Zero-shot theme scoring: ideas on top of the current seeded scorer (`bench_themes.py --parts zeroshot_now`)",
        lines,
    )


def active(args: argparse.Namespace) -> None:
    """Active learning versus random coding with ThemeScorer(method="semi")."""
    import _themes_active as A

    corpora = Path(args.corpora)
    sets = [
        ("police_dev", "police_dev.tsv", "label", "oecd"),
        ("TweetEval stance (five targets pooled)", "tweeteval_stance.tsv", "stance", None),
        ("TweetEval sentiment", "tweeteval_sentiment.tsv", "sentiment", None),
    ]
    lines = [
        f"Run {time.strftime('%Y-%m-%d')}. Protocol: 50 posts drawn at random are coded (their gold labels "
        'revealed); `ThemeScorer(method="semi")` is fitted with the rest uncoded and `query(posts, 50)` '
        "picks the next batch (margin uncertainty among the 500 least certain distinct posts, spread by "
        "uncertainty-weighted k-means); four batches, 250 coded in all; the final scorer is scored on the posts "
        "not coded. Random: the first 250 posts of the same random permutation. Mean (and each start) over "
        "3 starts (permutation seeds 0, 1, 2; scorer random_state = the start). Because active learning codes "
        "the hard posts and leaves an easier rest, both are also scored on a fixed held-out 30 % drawn per start "
        "and never coded (the pool is then the other 70 %). police_dev uses the oecd codebook's features; "
        "TweetEval none (`codebook=None`).",
        "",
        "| data (posts) | active, rest | random, rest | active, held-out 30 % | random, held-out 30 % | s per query |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, file, column, book in sets:
        if args.data is not None and label not in args.data:
            continue
        path = corpora / file
        if not path.exists():
            print(f"skipped {label}: {path} not found")
            continue
        frame = pd.read_csv(path, sep="\t")
        print(label, flush=True)
        r = A.run(frame["text"].astype(str).tolist(), frame[column].to_numpy(), book)

        def cell(v):
            return f"{v.mean():.3f} ({', '.join(f'{x:.3f}' for x in v)})"

        lines.append(
            f"| {label} ({len(frame):,}) | {cell(r['active_rest'])} | {cell(r['random_rest'])} | "
            f"{cell(r['active_held'])} | {cell(r['random_held'])} | {r['query_seconds']:.1f} |"
        )
    lines += [
        "",
        "Targets (issue 12, on the held-out set of 8,902 police posts, not available here): active "
        "≥ 0.82, random 250 ≥ 0.80.",
    ]
    write_section(
        Path(args.out),
        "bench_themes_active",
        "Active learning versus random coding (`bench_themes.py --parts active`)",
        lines,
    )


def baselines(args: argparse.Namespace) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score

    import govsocial as gs
    from govsocial.analysis.themes import ThemeScorer, classification_agreement, keyword_evidence, load_codebook

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
        s = classification_agreement(kw, y, random_state=0)["summary"].set_index("measure")
        rows.append(
            {
                "method": "keyword matcher (oecd codebook, untuned)",
                "labels": 0,
                "macro_f1": s.loc["macro_f1", "estimate"],
                "low": s.loc["macro_f1", "low"],
                "high": s.loc["macro_f1", "high"],
                "sd": np.nan,
            }
        )
        print(f"keyword: {rows[-1]['macro_f1']:.3f}", flush=True)
        start = time.perf_counter()
        scorer = ThemeScorer("oecd", "seeded", random_state=0).fit(texts)
        seconds = time.perf_counter() - start
        out = scorer.validate(texts, y, mapping=TO_THREE, random_state=0)
        s = out["summary"].set_index("measure")
        rows.append(
            {
                "method": "ThemeScorer seeded (oecd)",
                "labels": 0,
                "macro_f1": s.loc["macro_f1", "estimate"],
                "low": s.loc["macro_f1", "low"],
                "high": s.loc["macro_f1", "high"],
                "sd": np.nan,
            }
        )
        seeded_detail = out
        print(f"seeded: {rows[-1]['macro_f1']:.3f} ({seconds:.1f} s)", flush=True)
        earlier = ThemeScorer(
            "oecd", "seeded", random_state=0, expansion="seeded_lda", self_training="all", min_evidence=1.5
        ).fit(texts)
        s = earlier.validate(texts, y, mapping=TO_THREE, random_state=0)["summary"].set_index("measure")
        rows.append(
            {
                "method": "ThemeScorer seeded, earlier method (seeded LDA, every rule label)",
                "labels": 0,
                "macro_f1": s.loc["macro_f1", "estimate"],
                "low": s.loc["macro_f1", "low"],
                "high": s.loc["macro_f1", "high"],
                "sd": np.nan,
            }
        )
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
            for key, label in (
                ("tfidf_lr", "TF-IDF + logistic regression (scikit-learn)"),
                ("supervised", "ThemeScorer supervised (oecd features)"),
                ("semi", "ThemeScorer semi (oecd features, rest uncoded)"),
            ):
                v = np.asarray(scores[key])
                rows.append(
                    {
                        "method": label,
                        "labels": n,
                        "macro_f1": v.mean(),
                        "low": np.nan,
                        "high": np.nan,
                        "sd": v.std(ddof=1) if len(v) > 1 else np.nan,
                    }
                )
        table = pd.DataFrame(rows)
        lines += [
            f"Run {time.strftime('%Y-%m-%d')}; `police_dev.tsv` ({len(y)} posts: "
            + ", ".join(f"{k} {v}" for k, v in pd.Series(y).value_counts().items())
            + "). OECD uses mapped to the three classes as in the script's docstring. Rows with 0 labels are "
            "scored on every post (95 % bootstrap interval); rows with n labels are the mean (± sd) over "
            f"{args.draws} stratified draws, scored on the posts not drawn. Reference figures from issue 12 "
            "(held-out set of 8,902 posts of the same scheme, not available here): keyword evidence argmax "
            "0.56, untuned keyword cues 0.60, the earlier seeded scorer 0.593, TF-IDF + LR 0.72 with 250 "
            "labels, semi with 250 random labels 0.756–0.782. Targets there: seeded ≥ 0.65 (moonshot 0.72), "
            "active 250 ≥ 0.82, random 250 ≥ 0.80.",
            "",
            "| method | labelled posts | macro-F1 | interval / sd |",
            "|---|---:|---:|---|",
        ]
        for r in table.itertuples():
            spread = (
                f"{r.low:.3f}–{r.high:.3f}" if not np.isnan(r.low) else (f"± {r.sd:.3f}" if not np.isnan(r.sd) else "")
            )
            lines.append(f"| {r.method} | {r.labels} | {r.macro_f1:.3f} | {spread} |")
        per = seeded_detail["per_class"]
        lines += [
            "",
            "Seeded scorer, per class (police_dev):",
            "",
            "| class | precision | recall | F1 | support |",
            "|---|---:|---:|---:|---:|",
        ]
        for c, part in per.groupby("class", sort=False):
            v = part.set_index("measure")["estimate"]
            lines.append(
                f"| {c} | {v['precision']:.3f} | {v['recall']:.3f} | {v['f1']:.3f} | {int(part['support'].iloc[0])} |"
            )
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
    s = out["summary"].set_index("measure")
    print(f"bundled seeded macro-F1 {s.loc['macro_f1', 'estimate']:.3f}")
    lines += [
        f"Bundled corpus, agencies' own posts and replies ({len(gov)}), planted OECD themes, "
        f"ThemeScorer seeded: macro-F1 {s.loc['macro_f1', 'estimate']:.3f} "
        f"({s.loc['macro_f1', 'low']:.3f}–{s.loc['macro_f1', 'high']:.3f}), Krippendorff's alpha "
        f"{s.loc['krippendorff_alpha', 'estimate']:.3f}.",
        "",
        "| theme | precision | recall | F1 |",
        "|---|---:|---:|---:|",
    ]
    for c, part in out["per_class"].groupby("class", sort=False):
        v = part.set_index("measure")["estimate"]
        lines.append(f"| {c} | {v['precision']:.3f} | {v['recall']:.3f} | {v['f1']:.3f} |")
    write_section(Path(args.out), "bench_themes", "Theme scoring (`experiments/benchmarks/bench_themes.py`)", lines)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    sys.exit(main())

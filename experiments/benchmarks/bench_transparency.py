"""Transparency on the bundled corpus: how well the `transparency` codebook finds the planted
transparent posts, and how well the shares per agency and per month recover the planted ones.

Usage (from the repository root)::

    PYTHONPATH=src python experiments/benchmarks/bench_transparency.py

Writes the section between ``<!-- transparency-measured:start -->`` and ``:end -->`` of
docs/themes.md. Scored as the `uses` study scores it (seeded, the run's seed 20240501,
n_iter 100, default tokenizer), with the codebook's ``self_training`` ("all") and, for
comparison, the scorer's general default ("confident").
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score

import govsocial as gs
from govsocial.core.bootstrap import share_interval

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpora" / "govsocial-sample"
DOC = ROOT / "docs" / "themes.md"
KEY = "transparency-measured"
SEED, N_BOOT = 20240501, 500


def _shares(groups: np.ndarray, flag: np.ndarray, accounts: np.ndarray, prob: np.ndarray, rng) -> pd.DataFrame:
    """Estimated share of transparent posts per group with its interval, the planted expected and realised."""
    rows = []
    for group in sorted(set(groups)):
        m = groups == group
        t = gs.cluster_shares(flag[0][m], accounts[m], ["yes", "no"], N_BOOT, rng).iloc[0]
        rows.append(
            {
                "group": group,
                "n": int(m.sum()),
                "estimate": t["estimate"],
                "low": t["low"],
                "high": t["high"],
                "expected": prob[m].mean(),
                "realised": float((flag[1][m] == "yes").mean()),
            }
        )
    return pd.DataFrame(rows)


def _kind_right(right: np.ndarray) -> str:
    """The share of planted transparent posts whose kind is right, with its 95 % interval from resampling them."""
    counts = np.column_stack([right, ~right]).astype(float)
    point, low, high = share_interval(counts, N_BOOT, np.random.default_rng(SEED))
    return f"{point[0]:.1%} ({low[0]:.1%}–{high[0]:.1%})"


def main() -> None:
    posts, _ = gs.read_posts(CORPUS / "posts.jsonl.gz", registry=CORPUS / "accounts.csv")
    gov = posts[(posts["account_type"] == "government") & ~posts["is_repost"].fillna(False).astype(bool)]
    gov = gov.reset_index(drop=True)
    truth = pd.read_csv(CORPUS / "truth.csv.gz", dtype={"post_id": str}, keep_default_na=False).set_index("post_id")
    planted = truth.loc[gov["post_id"], "transparency"].replace("", "not_transparent").to_numpy(dtype=object)
    prob = truth.loc[gov["post_id"], "transparency_prob"].astype(float).to_numpy()
    yes = planted != "not_transparent"
    lines = [
        f"Run {dt.date.today().isoformat()} by `experiments/benchmarks/bench_transparency.py` on the bundled corpus "
        f"(`corpora/govsocial-sample`): {len(gov):,} government posts of 24 agencies, {int(yes.sum()):,} planted "
        "transparent ("
        + ", ".join(f"{k} {int((planted == k).sum())}" for k in gs.load_codebook("transparency").names[1:])
        + "). Seeded scorer, no labels. The corpus's transparency sentences and the codebook were written by the "
        "same people from the same definitions: an upper bound for real posts, which no coded data set yet checks.",
        "",
        "| self-training | transparent F1 | precision | recall | accuracy | kind right (of the "
        f"{int(yes.sum()):,} planted transparent; 95 % interval, posts resampled) | share estimated / planted |",
        "|---|---|---|---|---|---|---|",
    ]
    fitted = {}
    for mode in ("all", "confident"):
        scorer = gs.ThemeScorer("transparency", "seeded", self_training=mode, n_iter=100, random_state=SEED).fit(gov)
        labels = scorer.predict(gov)
        fitted[mode] = labels
        hit = labels != "not_transparent"
        lines.append(
            f"| {mode}{' (the codebook’s)' if mode == 'all' else ''} | {f1_score(yes, hit):.3f} | "
            f"{precision_score(yes, hit):.3f} | {recall_score(yes, hit):.3f} | {accuracy_score(yes, hit):.3f} | "
            f"{_kind_right(labels[yes] == planted[yes])} | {hit.mean():.3f} / {yes.mean():.3f} |"
        )
    labels = fitted["all"]
    flag = (np.where(labels == "not_transparent", "no", "yes"), np.where(yes, "yes", "no"))
    accounts = gov["account_id"].astype(str).to_numpy()
    rng = np.random.default_rng(SEED)
    month = gov["created_at"].dt.tz_convert("UTC").dt.strftime("%Y-%m").to_numpy()
    agency = gov["account_name"].astype(str).to_numpy()
    lines += ["", f"Share recovery (codebook's self-training; 95 % percentile intervals, {N_BOOT} resamples):", ""]
    lines += [
        "| groups | posts per group | covered: planted expected share inside the interval "
        "| mean / max \\|estimate − planted\\| | mean / max \\|estimate − realised\\| |",
        "|---|---|---|---|---|",
    ]
    for name, groups in (("agencies", agency), ("months", month)):
        t = _shares(groups, flag, accounts, prob, rng)
        covered = int(((t["low"] <= t["expected"]) & (t["expected"] <= t["high"])).sum())
        e, r = (t["estimate"] - t["expected"]).abs(), (t["estimate"] - t["realised"]).abs()
        lines.append(
            f"| {len(t)} {name} | {t['n'].min()}–{t['n'].max()} | {covered} of {len(t)} | "
            f"{e.mean():.3f} / {e.max():.3f} | {r.mean():.3f} / {r.max():.3f} |"
        )
        if name == "agencies":
            worst = t.loc[e.idxmax()]
            lines_worst = (
                f"Largest agency error: {worst['group']} ({worst['n']} posts), estimated {worst['estimate']:.3f} "
                f"({worst['low']:.3f}–{worst['high']:.3f}), planted expected {worst['expected']:.3f}, "
                f"realised {worst['realised']:.3f}."
            )
    lines += ["", lines_worst]
    _write(lines)
    print("\n".join(lines))


def _write(lines: list[str]) -> None:
    start, end = f"<!-- {KEY}:start -->", f"<!-- {KEY}:end -->"
    text = DOC.read_text(encoding="utf-8")
    if start not in text or end not in text:
        raise SystemExit(f"{DOC} has no {start} … {end} markers: put them where the section belongs")
    before, rest = text.split(start, 1)
    after = rest.split(end, 1)[1]
    body = "\n".join([start, "### Measured on the bundled corpus", "", *lines, end])
    DOC.write_text(before + body + after, encoding="utf-8")


if __name__ == "__main__":
    main()

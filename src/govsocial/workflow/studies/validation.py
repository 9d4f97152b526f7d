"""Validation: how well the theme scorer agrees with a human coder on hand-coded posts.

Runs when ``[validation] labels`` names a filled coding sheet. The zero-shot (seeded)
scorer is compared with the coder on every coded post (it learns nothing from them); the
semi-supervised scorer trained on the coded posts (``train = true``, what the other
studies then use) is validated by k-fold cross-fitting — each coded post predicted by a
scorer fitted with its fold's labels hidden — never in-sample.

Example
-------
>>> STUDY.name, STUDY.upstream
('validation', ())
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..data import month_of
from .base import Outputs, Study

if TYPE_CHECKING:
    from ..config import Config
    from ..data import StudyData

__all__ = ["STUDY", "adjusted_tables", "run"]


def _methods(config: Config | None) -> str:
    folds = config.validation.folds if config is not None else 5
    return (
        "Hand-coded government posts (a coding sheet from `govsocial code sample`) are compared with the "
        "scorer's themes: macro-F1, accuracy and Krippendorff's alpha (nominal), per-theme precision, recall "
        "and F1, each with a 95 % percentile interval from resampling the coded posts, and the confusion "
        "matrix. The zero-shot (seeded) scorer learns nothing from the coded posts and is compared on all of "
        "them. The semi-supervised scorer trained on them (the one the other studies use when [validation] "
        f"train = true) is validated by {folds}-fold cross-fitting: each coded post is predicted by a scorer "
        "fitted with its fold's labels hidden (stratified folds), never in-sample."
    )


def _agreement(predicted: np.ndarray, gold: np.ndarray, name: str, config: Config) -> dict[str, pd.DataFrame]:
    """Agreement tables of one scorer, with its name, the interval level and the number of posts."""
    from ...analysis.themes import classification_agreement

    out = classification_agreement(predicted, gold, n_boot=config.run.n_boot, random_state=config.seed)
    for key in ("summary", "per_class"):
        table = out[key].drop(columns=["support"], errors="ignore")  # per class: the same as n
        table.insert(0, "scorer", name)
        out[key] = table
    confusion = out["confusion"].reset_index()
    confusion.insert(0, "scorer", name)
    out["confusion"] = confusion
    return out


def _line(summary: pd.DataFrame, name: str, how: str) -> str:
    s = summary.set_index("measure")
    f1, alpha = s.loc["macro_f1"], s.loc["krippendorff_alpha"]
    return (
        f"{name} ({how}): macro-F1 {f1['estimate']:.3f} (95 % interval {f1['low']:.3f}–{f1['high']:.3f}), "
        f"Krippendorff's alpha with the coder {alpha['estimate']:.3f} ({alpha['low']:.3f}–{alpha['high']:.3f}), "
        f"on {int(s.loc['macro_f1', 'n']):,} coded posts."
    )


def run(data: StudyData, config: Config) -> Outputs:
    """Agreement of the zero-shot and (with ``train``) the cross-fitted trained scorer with the coder.

    Example
    -------
    >>> from govsocial.workflow.config import Config, ValidationConfig
    >>> "10-fold cross-fitting" in STUDY.methods_for(Config(validation=ValidationConfig(folds=10)))
    True
    """
    from ...output.plotting import interval_figure

    out = Outputs()
    entry, gov = data.validation_entry, data.gov
    labels = data.gov_labels()
    coded = labels.notna().to_numpy()
    gold = labels[coded].to_numpy(dtype=object)
    name = data.codebook(entry).name
    if config.validation.train:  # the run's themes come from the trained scorer: fit the zero-shot one here
        seeded = data.scorer(entry, "seeded").fit(gov).predict(gov.iloc[np.flatnonzero(coded)])
    else:
        seeded = data.coded_predictions()["predicted"].to_numpy(dtype=object)
    parts = [_agreement(seeded, gold, "seeded (zero-shot)", config)]
    out.summary.append(_line(parts[0]["summary"], f"{name}, zero-shot seeded scorer", "no coded post used"))
    if config.validation.train:
        folds = config.validation.folds
        predicted = data.coded_predictions()["predicted"].to_numpy(dtype=object)
        parts.append(_agreement(predicted, gold, f"semi, {folds}-fold cross-fitted", config))
        out.summary.append(
            _line(
                parts[1]["summary"],
                f"{name}, semi-supervised scorer trained on the coded posts",
                f"{folds}-fold cross-fitted",
            )
        )
        f1 = [p["summary"].set_index("measure").loc["macro_f1"] for p in parts]
        if f1[0]["low"] > f1[1]["estimate"]:
            out.summary.append(
                "The zero-shot scorer agrees better with the coder than the one trained on the coded "
                "posts (the other studies use the trained one); with so few coded posts, consider "
                "[validation] train = false, or code more posts."
            )
    for key, file in (
        ("summary", "validation_summary.csv"),
        ("per_class", "validation_by_class.csv"),
        ("confusion", "validation_confusion.csv"),
    ):
        out.tables[file] = pd.concat([p[key] for p in parts], ignore_index=True)
    f1 = parts[-1]["per_class"]
    f1 = f1[f1["measure"] == "f1"]
    out.figures["validation_f1_by_theme.png"] = interval_figure(
        f1,
        label="class",
        xlabel="F1 against the coder",
        title=f"Agreement by theme ({parts[-1]['summary']['scorer'][0]})",
    )
    skipped = int(data.coded.attrs.get("uncoded", 0))
    if skipped:
        out.caveats.append(f"{skipped:,} post(s) on the coding sheet were left uncoded and are not used.")
    out.caveats.append(
        "Agreement is measured on the posts the coder coded; if they were not drawn at random "
        "(e.g. chosen by active learning), it describes those posts, not all posts."
    )
    return out


def adjusted_tables(data: StudyData, config: Config, entry: str, labels: np.ndarray, out: Outputs) -> None:
    """Shares corrected for misclassification (:func:`govsocial.adjusted_shares`) into ``out``:
    overall and by month, for the codebook of the coded posts, when the config has them.

    Example
    -------
    >>> from govsocial.workflow.config import Config
    >>> out = Outputs()
    >>> adjusted_tables(None, Config(), "oecd", np.array([]), out)  # no coded posts: nothing to correct
    >>> out.tables, out.summary
    ({}, [])
    """
    from ...analysis.themes import adjusted_shares
    from ...output.plotting import interval_figure

    if config.validation.labels is None or entry != data.validation_entry:
        return
    coded, gov = data.coded_predictions(), data.gov
    book = data.codebook(entry)
    rng = np.random.default_rng([config.seed, 12])  # its own stream: the other tables' draws stay as they are
    accounts = gov["account_id"].astype("string").fillna("(unknown)").to_numpy(dtype=object)

    def shares(rows: np.ndarray) -> pd.DataFrame:
        return adjusted_shares(
            labels[rows],
            book.names,
            coded["predicted"],
            coded["label"],
            accounts=accounts[rows],
            n_boot=config.run.n_boot,
            random_state=rng,
        )

    overall = shares(np.arange(len(gov)))
    out.tables[f"{book.name}_shares_adjusted.csv"] = overall
    out.figures[f"{book.name}_shares_adjusted.png"] = interval_figure(
        overall,
        label="theme",
        xlabel="share of government posts, corrected for misclassification",
        title=f"Uses ({book.name}), adjusted classify and count, 95 % intervals",
    )
    if gov["created_at"].notna().any():
        months = month_of(gov["created_at"]).to_numpy()
        dated = gov["created_at"].notna().to_numpy()
        parts = [shares(np.flatnonzero(dated & (months == m))).assign(month=m) for m in sorted(set(months[dated]))]
        monthly = pd.concat(parts, ignore_index=True)
        out.tables[f"{book.name}_shares_adjusted_by_month.csv"] = monthly[["month", *overall.columns]]
    top = overall.sort_values("estimate", ascending=False).iloc[0]
    out.summary.append(
        f"{book.name}, corrected for the scorer's misclassification on {len(coded):,} coded posts "
        f"(adjusted classify and count): the most common use is {top['theme'].replace('_', ' ')} "
        f"({top['estimate']:.0%}, 95 % interval {top['low']:.0%}–{top['high']:.0%}; "
        f"unadjusted {top['unadjusted']:.0%})."
    )
    out.caveats.append(
        "The corrected shares assume the scorer errs on all posts as it erred on the coded ones "
        "(a random sample of the same posts), and by month that the error rates do not change."
    )


STUDY = Study(
    "validation",
    "Validation against hand-coded posts",
    "How well do the scored themes agree with a human coder?",
    _methods,
    run,
)

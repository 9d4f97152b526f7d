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

from .base import Outputs, Study

if TYPE_CHECKING:
    from ..config import Config
    from ..data import StudyData

__all__ = ["STUDY", "run"]


def _methods(config: Config | None) -> str:
    folds = config.validation.folds if config is not None else 5
    return ("Hand-coded government posts (a coding sheet from `govsocial code sample`) are compared with the "
            "scorer's themes: macro-F1, accuracy and Krippendorff's alpha (nominal), per-theme precision, recall "
            "and F1, each with a 95 % percentile interval from resampling the coded posts, and the confusion "
            "matrix. The zero-shot (seeded) scorer learns nothing from the coded posts and is compared on all of "
            "them. The semi-supervised scorer trained on them (the one the other studies use when [validation] "
            f"train = true) is validated by {folds}-fold cross-fitting: each coded post is predicted by a scorer "
            "fitted with its fold's labels hidden (stratified folds), never in-sample.")


def _agreement(predicted: np.ndarray, gold: np.ndarray, name: str, config: Config) -> dict[str, pd.DataFrame]:
    """Agreement tables of one scorer, with its name, the interval level and the number of posts."""
    from ...analysis.themes import classification_agreement

    out = classification_agreement(predicted, gold, n_boot=config.run.n_boot, random_state=config.seed)
    for key in ("summary", "per_class"):
        table = out[key]
        table.insert(0, "scorer", name)
        table["level"] = 0.95
        table["n"] = len(gold) if key == "summary" else table.pop("support")
    confusion = out["confusion"].reset_index()
    confusion.insert(0, "scorer", name)
    out["confusion"] = confusion
    return out


def _line(summary: pd.DataFrame, name: str, how: str) -> str:
    s = summary.set_index("metric")
    f1, alpha = s.loc["macro_f1"], s.loc["krippendorff_alpha"]
    return (f"{name} ({how}): macro-F1 {f1['estimate']:.3f} (95 % interval {f1['low']:.3f}–{f1['high']:.3f}), "
            f"Krippendorff's alpha with the coder {alpha['estimate']:.3f} ({alpha['low']:.3f}–{alpha['high']:.3f}), "
            f"on {int(s.loc['macro_f1', 'n']):,} coded posts.")


def run(data: StudyData, config: Config) -> Outputs:
    """Agreement of the zero-shot and (with ``train``) the cross-fitted trained scorer with the coder."""
    from ...analysis.themes import cross_fit
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
        seeded = data.theme_labels(entry).to_numpy(dtype=object)[coded]
    parts = [_agreement(seeded, gold, "seeded (zero-shot)", config)]
    out.summary.append(_line(parts[0]["summary"], f"{name}, zero-shot seeded scorer", "no coded post used"))
    if config.validation.train:
        folds = config.validation.folds
        predicted = cross_fit(data.scorer(entry, "semi"), gov, labels.tolist(), folds=folds,
                              random_state=config.seed)[coded]
        parts.append(_agreement(predicted, gold, f"semi, {folds}-fold cross-fitted", config))
        out.summary.append(_line(parts[1]["summary"], f"{name}, semi-supervised scorer trained on the coded posts",
                                 f"{folds}-fold cross-fitted"))
    for key, file in (("summary", "validation_summary.csv"), ("per_class", "validation_by_class.csv"),
                      ("confusion", "validation_confusion.csv")):
        out.tables[file] = pd.concat([p[key] for p in parts], ignore_index=True)
    f1 = parts[-1]["per_class"]
    f1 = f1[f1["metric"] == "f1"]
    out.figures["validation_f1_by_theme.png"] = interval_figure(
        f1, label="class", xlabel="F1 against the coder", title=f"Agreement by theme ({parts[-1]['summary']['scorer'][0]})")
    skipped = int(data.coded.attrs.get("uncoded", 0))
    if skipped:
        out.caveats.append(f"{skipped:,} post(s) on the coding sheet were left uncoded and are not used.")
    out.caveats.append("Agreement is measured on the posts the coder coded; if they were not drawn at random "
                       "(e.g. chosen by active learning), it describes those posts, not all posts.")
    return out


STUDY = Study("validation", "Validation against hand-coded posts",
              "How well do the scored themes agree with a human coder?", _methods, run)

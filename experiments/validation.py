"""Validation: how well do the scored themes agree with a human coder?

Needs a config with ``[validation] labels = "coded.csv"`` (a coding sheet from
``govsocial code sample``, filled in). The zero-shot seeded scorer is compared with the
coder on every coded post; the semi-supervised scorer trained on the coded posts is
validated by k-fold cross-fitting (each coded post predicted by a scorer that never saw
its label).

Usage (from the repository root)::

    python experiments/validation.py CONFIG

Prints the agreement, then writes results/<config>/validation/ and the report as `govsocial run` does.
"""

import numpy as np
from _question import config_for, write_results

import govsocial as gs

config = config_for("validation")

# 1. read: the config's posts (agencies' own) and the coded sheet, checked against the codebook
data = gs.StudyData.load(config)
gov, entry = data.gov, data.validation_entry
labels = data.gov_labels()  # the coder's label of each government post, None if uncoded
coded = labels.notna().to_numpy()
gold = labels[coded].to_numpy(dtype=object)
codebook = gs.load_codebook(entry)

# 2. score: zero-shot (learns nothing from the coded posts), and trained on them, cross-fitted
seeded = gs.ThemeScorer(codebook, "seeded", n_iter=config.themes.n_iter, random_state=config.seed).fit(gov)
semi = gs.ThemeScorer(codebook, "semi", n_iter=config.themes.n_iter, random_state=config.seed)
predictions = {
    "seeded (zero-shot)": seeded.predict(gov.iloc[np.flatnonzero(coded)]),
    f"semi, {config.validation.folds}-fold cross-fitted": gs.cross_fit(
        semi, gov, labels.tolist(), folds=config.validation.folds, random_state=config.seed
    )[coded],
}

# 3. estimate: agreement with the coder, intervals from resampling the coded posts
for name, predicted in predictions.items():
    out = gs.classification_agreement(predicted, gold, n_boot=config.run.n_boot, random_state=config.seed)
    print(f"\n{name}, {len(gold):,} coded posts")
    print(out["summary"].to_string(index=False, float_format=lambda v: f"{v:.3f}"))

# 4. tables and figures, summary and report
write_results(config)

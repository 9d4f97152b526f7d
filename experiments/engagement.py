"""Engagement: which uses draw citizens in?

Bonsón & Ratkai's (2013) popularity, commitment and virality per theme, and negative
binomial regressions of likes, shares and replies on each post's scored theme (the
config's first codebook) with controls, standard errors clustered by account.

Usage (from the repository root)::

    python experiments/engagement.py [CONFIG]   # default: experiments/configs/bundled.toml

Prints the incidence-rate ratios for replies, then writes results/<config>/engagement/ and the report.
"""

import numpy as np
import pandas as pd
from _question import config_for, write_results

import govsocial as gs

# account size, links, hashtags, length, hour and weekend; mentions are left out because
# replying to or tagging someone is part of what responding and collaborating are
CONTROLS = [
    "log_followers_10k",
    "has_link",
    "has_hashtag",
    "length_100",
    "hour_morning",
    "hour_afternoon",
    "hour_evening",
    "weekend",
]

config = config_for("engagement")

# 1. read: agencies' own posts
data = gs.StudyData.load(config)
gov = data.gov

# 2. score: the most probable theme of each post
codebook = gs.load_codebook(config.themes.primary)
proba = (
    gs.ThemeScorer(codebook, "seeded", n_iter=config.themes.n_iter, random_state=config.seed)
    .fit(gov)
    .predict_proba(gov)
)
labels = pd.Series(np.asarray(proba.columns)[proba.to_numpy().argmax(axis=1)], index=proba.index)

# 3. estimate: Bonsón metrics by theme, and replies regressed on the theme (one-hot)
metrics = gs.bonson_metrics(gov, by=labels, n_boot=config.run.n_boot, random_state=config.seed)
onehot = pd.get_dummies(labels).astype(float).reindex(columns=list(proba.columns), fill_value=0.0)
irr = gs.engagement_regression(gov, onehot, outcome="replies", reference=codebook.names[0], controls=CONTROLS)
print(metrics[metrics["measure"] == "E"].to_string(index=False, float_format=lambda v: f"{v:.3f}"))
print(irr[irr["term"].isin(proba.columns)].to_string(index=False, float_format=lambda v: f"{v:.3f}"))

# 4. tables (metrics per theme and agency, IRRs for likes, shares, replies), figures, report
write_results(config)

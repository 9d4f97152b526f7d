"""Risks: how much personal information do citizens expose to agencies, how often is
agencies' information disputed or corrected, and how do citizens feel?

Personal information is detected by govsocial.text.privacy (only counts are reported),
disputes and corrections by wording, sentiment by VADER (Hutto & Gilbert 2014).

Usage (from the repository root)::

    python experiments/risks.py [CONFIG]     # default: experiments/configs/bundled.toml

Prints the indicators summed over agencies, then writes results/<config>/risks/ and the report.
"""

from _question import config_for, write_results

import govsocial as gs

config = config_for("risks")

# 1. read: the config's exports, accounts told apart by the registry
data = gs.StudyData.load(config)
posts = data.posts

# 2. score: the sentiment of every post
scores = gs.sentiment(posts)

# 3. estimate: per agency, personal information, disputes, corrections and negative replies
risks = gs.risk_indicators(posts, scores=scores)
totals = risks.groupby("indicator")[["numerator", "denominator"]].sum()
totals["share"] = totals["numerator"] / totals["denominator"].clip(lower=1)
print(totals.to_string(float_format=lambda v: f"{v:.3f}"))

# 4. tables and figures (per agency, by theme, by month), summary and report
write_results(config)

"""Engagement: which uses draw citizens in (Bonsón et al. metrics, negative binomial incidence-rate ratios).

Usage (from the repository root)::

    python experiments/engagement.py [CONFIG ...]      # default: experiments/configs/bundled.toml

Writes results/<config>/engagement/ (tables, figures, summary.md, manifest.json) and the report.
"""

import sys

from _question import run_question

if __name__ == "__main__":
    sys.exit(run_question("engagement"))

"""Engagement: which uses draw citizens in (Bonsón et al. metrics, negative binomial incidence-rate ratios).

Usage (from the repository root)::

    python experiments/engagement.py [CONFIG ...]      # default: experiments/configs/bundled.toml

Writes results/<config>/engagement/ (tables, figures, summary.md, manifest.json) and the report.
"""

import sys
from pathlib import Path

from govsocial.cli import main

if __name__ == "__main__":
    configs = sys.argv[1:] or [str(Path(__file__).resolve().parent / "configs" / "bundled.toml")]
    sys.exit(main(["run", *configs, "--experiments", "engagement"]))

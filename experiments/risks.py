"""Risks: privacy exposure, disputes and corrections, sentiment of citizens' posts by theme and over time.

Usage (from the repository root)::

    python experiments/risks.py [CONFIG ...]      # default: experiments/configs/bundled.toml

Writes results/<config>/risks/ (tables, figures, summary.md, manifest.json) and the report.
"""

import sys

from _question import run_question

if __name__ == "__main__":
    sys.exit(run_question("risks"))

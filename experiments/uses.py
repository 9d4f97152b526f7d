"""Uses: what agencies use social media for (OECD and DePaula et al. codebooks), overall, per agency and per month.

Usage (from the repository root)::

    python experiments/uses.py [CONFIG ...]      # default: experiments/configs/bundled.toml

Writes results/<config>/uses/ (tables, figures, summary.md, manifest.json) and the report.
"""

import sys

from _question import run_question

if __name__ == "__main__":
    sys.exit(run_question("uses"))

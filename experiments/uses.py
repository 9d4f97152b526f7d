"""Uses: what agencies use social media for (OECD and DePaula et al. codebooks), overall, per agency and per month.

Usage (from the repository root)::

    python experiments/uses.py [CONFIG ...]      # default: experiments/configs/bundled.toml

Writes results/<config>/uses/ (tables, figures, summary.md, manifest.json) and the report.
"""

import sys
from pathlib import Path

from govsocial.cli import main

if __name__ == "__main__":
    configs = sys.argv[1:] or [str(Path(__file__).resolve().parent / "configs" / "bundled.toml")]
    sys.exit(main(["run", *configs, "--experiments", "uses"]))

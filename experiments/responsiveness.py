"""Immediacy and responsiveness: citizen requests, response rates and Kaplan-Meier times to response.

Usage (from the repository root)::

    python experiments/responsiveness.py [CONFIG ...]      # default: experiments/configs/bundled.toml

Writes results/<config>/responsiveness/ (tables, figures, summary.md, manifest.json) and the report.
"""

import sys

from _question import run_question

if __name__ == "__main__":
    sys.exit(run_question("responsiveness"))

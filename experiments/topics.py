"""Topics: the topic landscape of government and citizen posts, the choice of K, government- versus citizen-led topics.

Usage (from the repository root)::

    python experiments/topics.py [CONFIG ...]      # default: experiments/configs/bundled.toml

Writes results/<config>/topics/ (tables, figures, summary.md, manifest.json) and the report.
"""

import sys

from _question import run_question

if __name__ == "__main__":
    sys.exit(run_question("topics"))

"""Shared entry point of the per-question scripts: run one experiment from configs."""

import sys
from pathlib import Path

from govsocial.cli import main


def run_question(name: str) -> int:
    """``python experiments/<name>.py [CONFIG ...]`` (default: configs/bundled.toml)."""
    configs = sys.argv[1:] or [str(Path(__file__).resolve().parent / "configs" / "bundled.toml")]
    return main(["run", *configs, "--experiments", name])

"""What every question script shares: its config from the command line, and writing
the study's files and the report as ``govsocial run`` does."""

import sys
from pathlib import Path

import govsocial as gs

DEFAULT = Path(__file__).resolve().parent / "configs" / "bundled.toml"


def config_for(study: str) -> "gs.Config":
    """The config named on the command line (default: configs/bundled.toml), running ``study`` only."""
    path = sys.argv[1] if len(sys.argv) > 1 else DEFAULT
    return gs.load_config(path, studies=[study])


def write_results(config: "gs.Config") -> None:
    """The study as ``govsocial run`` writes it: tables, figures, summary.md,
    manifest.json under <results>/<config name>/<study>/, and report.html."""
    page = gs.run([config], log=lambda message: print(message, file=sys.stderr))
    print(f"wrote {page}")

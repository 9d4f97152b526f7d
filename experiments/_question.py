"""What every question script shares: its config from the command line, and writing
the study's files and the report as ``govsocial run`` does."""

import sys
from pathlib import Path

import govsocial as gs

DEFAULT = Path(__file__).resolve().parent / "configs" / "bundled.toml"


def config_for(study: str) -> "gs.Config":
    """The config named on the command line (default: configs/bundled.toml), running ``study`` only;
    ``-h``/``--help`` prints the calling script's docstring and exits."""
    import argparse

    script = sys.modules["__main__"]
    parser = argparse.ArgumentParser(
        description=(script.__doc__ or "").strip(), formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("config", nargs="?", default=DEFAULT, help=f"the study config (default: {DEFAULT.name})")
    path = parser.parse_args().config
    try:
        return gs.load_config(path, studies=[study])
    except gs.GovsocialError as error:  # a wrong path or a bad config: the message says where and what to do
        parser.exit(2, f"{parser.prog}: error: {error}\n")


def write_results(config: "gs.Config") -> None:
    """The study as ``govsocial run`` writes it: tables, figures, summary.md,
    manifest.json under <results>/<config name>/<study>/, and report.html."""
    page = gs.run([config], log=lambda message: print(message, file=sys.stderr))
    print(f"wrote {page}")

"""The ``govsocial`` command: argument parsing and exit codes only.

Exit codes: 0 success (rejected records do not make a run fail: they are
reported), 1 unusable input files, an invalid table or config, or a results folder
in use; 2 unusable arguments; 130 interrupted (Ctrl-C; a run's results are unchanged).

Example
-------
>>> main(["--version"])  # doctest: +SKIP
govsocial 0.1.0
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from ._version import __version__
from .core.exceptions import GovsocialError

if TYPE_CHECKING:
    from .workflow.config import Config

log = logging.getLogger(__name__)

DEFAULT_CORPUS = Path("corpora") / "govsocial-sample"


def _tokenize_parser(sub: Any) -> None:
    tok = sub.add_parser("tokenize", help="tokenise a posts table (personal information redacted first)")
    tok.add_argument("table", help="posts table (.parquet) written by govsocial ingest")
    tok.add_argument("--out", required=True, help="output table of post_id and tokens (.parquet)")
    tok.add_argument("--n-jobs", type=int, default=1, help="processes (-1: all cores)")
    tok.add_argument("--urls", choices=["drop", "domain"], default="drop")
    tok.add_argument("--emoji", choices=["token", "words", "drop"], default="token")
    tok.add_argument("--hashtags", choices=["split", "tag", "words", "drop"], default="split")
    tok.add_argument("--no-stem", action="store_true", help="keep words as they are instead of stemming")
    tok.add_argument("--json", action="store_true", help="print the report as JSON")
    tok.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="govsocial", description="Study how governments and citizens talk on social media."
    )
    p.add_argument("--version", action="version", version=f"govsocial {__version__}")
    p.add_argument("-v", "--verbose", action="store_true", help="log progress messages")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    from .workflow.ingest import add_parser as add_ingest_parser  # govsocial ingest

    add_ingest_parser(sub)
    _tokenize_parser(sub)

    val = sub.add_parser("validate", help="check a posts table against the schema")
    val.add_argument("table", help="posts table (.parquet) written by govsocial ingest")

    gen = sub.add_parser("generate", help="write the synthetic corpus (deterministic from --seed)")
    gen.add_argument("--seed", type=int, default=20240501)
    gen.add_argument("--n-posts", type=int, default=20_000)
    gen.add_argument("--n-agencies", type=int, default=24)
    gen.add_argument("--out", default=str(DEFAULT_CORPUS))

    run = sub.add_parser(
        "run",
        help="the main job: run the experiments (all, on the bundled corpus, without a "
        "config) and write results/report.html",
    )
    run.add_argument("configs", nargs="*", metavar="CONFIG", help="TOML experiment configs (experiments/configs/)")
    run.add_argument(
        "--corpus",
        default=None,
        help="without a config: a folder written by 'govsocial generate' (default: the bundled corpus)",
    )
    run.add_argument(
        "--results",
        default=None,
        help="output folder (default: each config's [output] folder; 'results' without a config)",
    )
    run.add_argument("--experiments", nargs="+", default=None, help="run only these experiments")
    run.add_argument(
        "--pseudonym-key-file",
        default=None,
        metavar="FILE",
        help="file holding the secret key for pseudonyms of citizens' post ids in row-level outputs "
        "(default: the config's [output] pseudonym_key_file, else $GOVSOCIAL_PSEUDONYM_KEY; "
        "without a key those ids are left out)",
    )
    from .workflow.coding import add_parser as add_code_parser  # govsocial code sample|check

    add_code_parser(sub)
    return p


def _tokenize(args: argparse.Namespace) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from .data.readers import load_posts
    from .text import Tokenizer
    from .text.batch import tokenize  # gs.tokenize, with the tokenizer the options describe

    tokenizer = Tokenizer(
        urls=args.urls, emoji=args.emoji, hashtags=args.hashtags, normalize="none" if args.no_stem else "stem"
    )
    progress = sys.stderr.isatty() if args.progress is None else args.progress
    tokens, report = tokenize(
        load_posts(args.table), tokenizer, n_jobs=args.n_jobs, batch_size=20_000, progress=progress
    )
    table = pa.table(
        {
            "post_id": pa.array(tokens.index.tolist(), pa.string()),
            "tokens": pa.array(tokens.tolist(), pa.list_(pa.string())),
        }
    )
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, out)
    summary = {k: report[k] for k in ("posts", "tokens", "empty_posts", "redacted", "tokenizer")}
    summary["out"] = str(out)
    if args.json:
        print(json.dumps(summary))
    else:
        print(
            f"tokenised {summary['posts']} posts into {summary['tokens']} tokens "
            f"({summary['empty_posts']} posts left without tokens); redacted {summary['redacted'] or 'nothing'}"
        )
        print(f"wrote {out}")
    return 0


def _validate(args: argparse.Namespace) -> int:
    from .data.readers import load_posts

    posts = load_posts(args.table)
    print(f"{args.table}: valid posts table with {len(posts)} rows")
    return 0


def _generate(args: argparse.Namespace) -> int:
    from .data.synth import generate

    out = generate(seed=args.seed, n_posts=args.n_posts, n_agencies=args.n_agencies, out_dir=args.out)
    print(f"wrote the synthetic corpus to {out}")
    return 0


def _bundled_config(args: argparse.Namespace) -> tuple[Config, dict[str, Any]]:
    """Without a config: the corpus folder (default: the bundled one) as a config, and its summary."""
    from .data.describe import describe_posts
    from .data.readers import read_posts
    from .workflow.config import Config, InputConfig

    corpus = Path(args.corpus) if args.corpus else DEFAULT_CORPUS
    posts_file, registry = corpus / "posts.jsonl.gz", corpus / "accounts.csv"
    if not posts_file.exists():
        raise GovsocialError(
            f"bundled corpus not found at {posts_file}; run from the repository root, pass --corpus, "
            f"or create it with: govsocial generate --out {corpus}"
        )
    posts, rejects = read_posts(posts_file, registry=registry, unregistered="citizen")
    summary = describe_posts(posts, rejects)
    print(f"govsocial {__version__}: {posts_file}")
    print(f"  read {summary['read']} records: loaded {summary['loaded']}, rejected {summary['rejected']}; schema valid")
    for kind, n in summary["by_account_type"].items():
        print(f"  {kind:<11} {summary['accounts_by_type'][kind]:>6} accounts {n:>7} posts")
    config = Config(
        name="bundled",
        input=InputConfig(
            paths=(str(posts_file.resolve()),), registry=str(registry.resolve()), truth=str(corpus.resolve())
        ),
    )
    return config, summary


def _run(args: argparse.Namespace) -> int:
    from .workflow.config import check_config, load_config
    from .workflow.runner import run

    configs: list[str | Config] = list(args.configs)
    summary = None
    if not configs:
        config, summary = _bundled_config(args)
        configs = [config]
        args.results = args.results or "results"
    if args.experiments:  # validates the names early
        for source in configs:
            if isinstance(source, str):
                load_config(source, studies=args.experiments)
            else:
                check_config(source.with_studies(args.experiments))
    page = run(
        configs,
        results=args.results,
        experiments=args.experiments,
        flat=summary is not None,
        pseudonym_key_file=args.pseudonym_key_file,
        corpus_summary=summary,
    )
    print(f"wrote {page}")
    return 0


def _code(args: argparse.Namespace) -> int:
    from .workflow.coding import run as run_code

    return run_code(args)


def _unknown_options(parser: argparse.ArgumentParser, args: argparse.Namespace, unknown: list[str]) -> None:
    """Exit 2 with the (sub)command's own usage, naming each unknown option and the closest
    one it knows (``--unregisterd``: did you mean ``--unregistered``?)."""
    import difflib

    command = parser
    for name in (getattr(args, "command", None), getattr(args, "code_command", None)):
        subparsers = [a for a in command._actions if isinstance(a, argparse._SubParsersAction)]
        if name is None or not subparsers or name not in subparsers[0].choices:
            break
        command = subparsers[0].choices[name]
    known = [o for a in command._actions for o in a.option_strings]
    hints = []
    for option in unknown:
        close = difflib.get_close_matches(option.split("=", 1)[0], known, n=1, cutoff=0.6)
        hints.append(f"{option} (did you mean {close[0]}?)" if close else option)
    command.error("unrecognized arguments: " + " ".join(hints))


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``govsocial`` command; returns the exit code."""
    parser = _parser()
    try:
        args, unknown = parser.parse_known_args(argv)
        if unknown:
            _unknown_options(parser, args, unknown)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help/--version
        return int(exc.code or 0)
    if args.verbose:
        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    from .workflow.ingest import run as _ingest

    handlers = {
        "ingest": _ingest,
        "tokenize": _tokenize,
        "validate": _validate,
        "generate": _generate,
        "run": _run,
        "code": _code,
    }
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return handlers[args.command](args)
    except KeyboardInterrupt:  # one line, no traceback; a run leaves its last complete results as they were
        print(
            f"govsocial {args.command}: interrupted"
            + ("; the results folder holds the last run that completed" if args.command == "run" else ""),
            file=sys.stderr,
        )
        return 130
    except argparse.ArgumentTypeError as exc:
        print(f"govsocial {args.command}: {exc}", file=sys.stderr)
        return 2
    except (GovsocialError, ValueError, OSError) as exc:
        from .core.pii import redact_message

        # messages quote input values: personal information never reaches the terminal or a log
        print(f"govsocial {args.command}: error: {redact_message(str(exc))}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

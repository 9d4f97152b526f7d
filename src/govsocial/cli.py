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
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from ._version import __version__
from .core.exceptions import GovsocialError

if TYPE_CHECKING:
    from .workflow.config import Config

log = logging.getLogger(__name__)

DEFAULT_CORPUS = Path("corpora") / "govsocial-sample"


def _columns(values: Sequence[str] | None) -> dict[str, str] | None:
    if not values:
        return None
    mapping = {}
    for item in values:
        if "=" not in item:
            raise argparse.ArgumentTypeError(f"--column expects SCHEMA=SOURCE, got {item!r}")
        key, value = item.split("=", 1)
        mapping[key.strip()] = value.strip()
    return mapping


def _ingest_parser(sub: Any) -> None:
    ing = sub.add_parser("ingest", help="read platform exports into one posts table")
    ing.add_argument("inputs", nargs="+", metavar="INPUT",
                     help="export files (gzip allowed) or quoted glob patterns such as 'exports/*.jsonl.gz'")
    ing.add_argument("--format", default="auto", help="auto, twitter_v2, twitter_v1, crowdtangle, mastodon, csv, parquet")
    ing.add_argument("--registry", help="account registry CSV naming the government accounts")
    ing.add_argument("--unregistered", choices=["unknown", "citizen"], default="unknown",
                     help="account type of accounts not in the registry (default: unknown)")
    ing.add_argument("--government", choices=["all"], default=None,
                     help="'all': every account is a government account (e.g. agency posts without a registry)")
    ing.add_argument("--encoding", default="utf-8", help="text encoding of the inputs (default utf-8; e.g. utf-16)")
    ing.add_argument("--column", action="append", metavar="SCHEMA=SOURCE",
                     help="for csv/parquet: map a schema column to a file column (repeatable)")
    ing.add_argument("--platform", default="generic", help="platform name for csv/parquet inputs")
    ing.add_argument("--tz", help="time zone of naive timestamps in csv/parquet inputs, e.g. Australia/Sydney")
    ing.add_argument("--extra-column", action="append", default=[], metavar="NAME",
                     help="extra csv/parquet column to carry along (repeatable)")
    ing.add_argument("--out", required=True, help="output posts table (.parquet)")
    ing.add_argument("--rejects", help="write rejected records here (.csv)")
    ing.add_argument("--errors", choices=["report", "raise"], default="report")
    ing.add_argument("--json", action="store_true", help="print counts as JSON")
    ing.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                     help="progress bar (default: when stderr is a terminal)")
    key = ing.add_mutually_exclusive_group()
    key.add_argument("--pseudonym-key-file", metavar="PATH",
                     help="file holding the secret key for citizens' pseudonyms (recommended, or set "
                          "$GOVSOCIAL_PSEUDONYM_KEY); the same key gives the same pseudonyms in every run; "
                          "without a key a random one is used and pseudonyms differ between runs")
    key.add_argument("--pseudonym-key", metavar="KEY",
                     help="the key itself: visible to other users in `ps` and kept in shell history, so prefer "
                          "--pseudonym-key-file or $GOVSOCIAL_PSEUDONYM_KEY")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="govsocial", description="Study how governments and citizens talk on social media.")
    p.add_argument("--version", action="version", version=f"govsocial {__version__}")
    p.add_argument("-v", "--verbose", action="store_true", help="log progress messages")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    _ingest_parser(sub)

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

    val = sub.add_parser("validate", help="check a posts table against the schema")
    val.add_argument("table", help="posts table (.parquet) written by govsocial ingest")

    gen = sub.add_parser("generate", help="write the synthetic corpus (deterministic from --seed)")
    gen.add_argument("--seed", type=int, default=20240501)
    gen.add_argument("--n-posts", type=int, default=20_000)
    gen.add_argument("--n-agencies", type=int, default=24)
    gen.add_argument("--out", default=str(DEFAULT_CORPUS))

    run = sub.add_parser("run", help="the main job: run the experiments (all, on the bundled corpus, without a "
                                     "config) and write results/report.html")
    run.add_argument("configs", nargs="*", metavar="CONFIG", help="TOML experiment configs (experiments/configs/)")
    run.add_argument("--corpus", default=None,
                     help="without a config: a folder written by 'govsocial generate' (default: the bundled corpus)")
    run.add_argument("--results", default=None,
                     help="output folder (default: each config's [output] folder; 'results' without a config)")
    run.add_argument("--experiments", nargs="+", default=None, help="run only these experiments")
    run.add_argument("--pseudonym-key-file", default=None, metavar="FILE",
                     help="file holding the secret key for pseudonyms of citizens' post ids in row-level outputs "
                          "(default: the config's [output] pseudonym_key_file, else $GOVSOCIAL_PSEUDONYM_KEY; "
                          "without a key those ids are left out)")
    return p


def _pseudonym_key(args: argparse.Namespace) -> str | None:
    """The key from --pseudonym-key-file, --pseudonym-key or $GOVSOCIAL_PSEUDONYM_KEY (in that order)."""
    if args.pseudonym_key_file:
        path = Path(args.pseudonym_key_file)
        try:
            key = path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise GovsocialError(f"cannot read the pseudonym key file {path}: {exc.strerror or 'unreadable'}; "
                                 "pass a readable text file holding the key") from None
        except UnicodeDecodeError:  # the message would quote bytes of the key
            raise GovsocialError(f"the pseudonym key file {path} is not UTF-8 text; write the key as text") from None
        if not key:
            raise GovsocialError(f"the pseudonym key file {path} is empty; write the secret key into it")
        return key
    return args.pseudonym_key or os.environ.get("GOVSOCIAL_PSEUDONYM_KEY") or None


def _ingest(args: argparse.Namespace) -> int:
    from .data.readers import read_posts

    key = _pseudonym_key(args)  # before reading: a bad key file fails fast
    progress = sys.stderr.isatty() if args.progress is None else args.progress
    posts, rejects = read_posts(
        args.inputs, format=args.format, registry=args.registry, unregistered=args.unregistered,
        government=args.government, errors=args.errors, encoding=args.encoding, columns=_columns(args.column), platform=args.platform,
        tz=args.tz, extra_columns=args.extra_column, progress=progress,
    )
    line_based = list(posts.attrs.get("line_based_ids", []))
    from .text.privacy import pseudonymise, redact_column, redact_posts

    # nothing personal reaches a file: texts redacted, citizens pseudonymised, reject reasons redacted
    posts, found = redact_posts(posts)  # names after greetings are redacted in replies
    if not key:
        import secrets

        key = secrets.token_hex(16)
        print("note: no --pseudonym-key-file (or $GOVSOCIAL_PSEUDONYM_KEY) given; citizens' pseudonyms use a random "
              "key and will differ between runs", file=sys.stderr)
    posts = pseudonymise(posts, key)
    rejects["reason"] = redact_column(rejects["reason"].fillna(""))[0].astype("string")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    posts.to_parquet(out, index=False)
    if args.rejects:
        Path(args.rejects).parent.mkdir(parents=True, exist_ok=True)
        rejects.to_csv(args.rejects, index=False)
    counts = {"read": len(posts) + len(rejects), "loaded": len(posts), "rejected": len(rejects),
              "by_account_type": {k: int(v) for k, v in posts["account_type"].value_counts().sort_index().items()},
              "rejects_by_field": {str(k): int(v) for k, v in rejects["field"].fillna("(record)").value_counts().items()},
              "redacted": {k: int(v) for k, v in found.drop(columns="post_id").sum().items() if v},
              "line_based_ids": line_based, "out": str(out)}
    if args.json:
        print(json.dumps(counts))
    else:
        print(f"read {counts['read']} records: loaded {counts['loaded']}, rejected {counts['rejected']}")
        for name in line_based:
            print(f"note: {name} has no post_id column, so post ids are line-based ('<file stem>:<line>') and change "
                  "when lines are added or removed; map a stable id with --column post_id=<column>")
        print(f"wrote {out}" + (f" and {args.rejects}" if args.rejects else ""))
        if len(rejects) and not args.rejects:
            print("rejects not written: pass --rejects FILE.csv to see why", file=sys.stderr)
    return 0


def _tokenize(args: argparse.Namespace) -> int:
    from .data.readers import load_posts
    from .text import Tokenizer
    from .text.batch import tokenize_chunks

    posts = load_posts(args.table)
    tokenizer = Tokenizer(urls=args.urls, emoji=args.emoji, hashtags=args.hashtags,
                          normalize="none" if args.no_stem else "stem")
    progress = sys.stderr.isatty() if args.progress is None else args.progress
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(posts), unit="posts", desc="tokenise", leave=False)
    tokens: list[list[str]] = []
    redacted: dict[str, int] = {}
    for chunk, _, found in tokenize_chunks(tokenizer, posts["text"].tolist(), n_jobs=args.n_jobs,
                                           batch_size=20_000):
        tokens.extend(chunk)
        for k, v in found.items():
            redacted[k] = redacted.get(k, 0) + int(v)
        if bar is not None:
            bar.update(len(chunk))
    if bar is not None:
        bar.close()
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({"post_id": pa.array(posts["post_id"].astype(str).tolist(), pa.string()),
                      "tokens": pa.array(tokens, pa.list_(pa.string()))})
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, out)
    report = {"posts": len(tokens), "tokens": sum(map(len, tokens)),
              "empty_posts": sum(1 for t in tokens if not t), "redacted": dict(sorted(redacted.items())),
              "tokenizer": repr(tokenizer), "out": str(out)}
    if args.json:
        print(json.dumps(report))
    else:
        print(f"tokenised {report['posts']} posts into {report['tokens']} tokens "
              f"({report['empty_posts']} posts left without tokens); redacted {report['redacted'] or 'nothing'}")
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
    print(f"  read {summary['read']} records: loaded {summary['loaded']}, rejected {summary['rejected']}; "
          "schema valid")
    for kind, n in summary["by_account_type"].items():
        print(f"  {kind:<11} {summary['accounts_by_type'][kind]:>6} accounts {n:>7} posts")
    config = Config(name="bundled", input=InputConfig(paths=(str(posts_file.resolve()),),
                                                      registry=str(registry.resolve()), truth=str(corpus.resolve())))
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
    page = run(configs, results=args.results, experiments=args.experiments, flat=summary is not None,
               pseudonym_key_file=args.pseudonym_key_file, corpus_summary=summary)
    print(f"wrote {page}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``govsocial`` command; returns the exit code."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help/--version
        return int(exc.code or 0)
    if args.verbose:
        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    handlers = {"ingest": _ingest, "tokenize": _tokenize, "validate": _validate, "generate": _generate, "run": _run}
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return handlers[args.command](args)
    except KeyboardInterrupt:  # one line, no traceback; a run leaves its last complete results as they were
        print(f"govsocial {args.command}: interrupted"
              + ("; the results folder holds the last run that completed" if args.command == "run" else ""),
              file=sys.stderr)
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

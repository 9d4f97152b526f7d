"""``govsocial ingest``: platform exports → one posts table, with nothing personal left in it.

Texts are redacted (names after greetings too, in replies), citizens' ids pseudonymised
with a keyed hash and the reasons of rejected records redacted before anything is
written. The command line (:mod:`govsocial.cli`) adds this parser and calls :func:`run`.

Example
-------
>>> import argparse
>>> parser = argparse.ArgumentParser(prog="govsocial")
>>> add_parser(parser.add_subparsers(dest="command"))
>>> args = parser.parse_args(["ingest", "a.jsonl", "--out", "posts.parquet", "--column", "text=body"])
>>> args.format, columns(args.column)
('auto', {'text': 'body'})
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any, Sequence

from ..core.exceptions import GovsocialError

__all__ = ["add_parser", "run", "columns", "pseudonym_key"]


def add_parser(sub: Any) -> None:
    """Add ``govsocial ingest`` and its options to the command's subparsers.

    Example
    -------
    >>> parser = argparse.ArgumentParser(prog="govsocial")
    >>> add_parser(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["ingest", "a.jsonl", "b.jsonl", "--out", "posts.parquet"])
    >>> args.inputs, args.unregistered, args.pseudonym_key_file
    (['a.jsonl', 'b.jsonl'], 'unknown', None)
    """
    ing = sub.add_parser("ingest", help="read platform exports into one posts table")
    _reading_options(ing)
    _writing_options(ing)


def _reading_options(ing: argparse.ArgumentParser) -> None:
    ing.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="export files (gzip allowed) or quoted glob patterns such as 'exports/*.jsonl.gz'",
    )
    ing.add_argument(
        "--format", default="auto", help="auto, twitter_v2, twitter_v1, crowdtangle, mastodon, csv, parquet"
    )
    ing.add_argument("--registry", help="account registry CSV naming the government accounts")
    ing.add_argument(
        "--unregistered",
        choices=["unknown", "citizen"],
        default="unknown",
        help="account type of accounts not in the registry (default: unknown)",
    )
    ing.add_argument(
        "--government",
        choices=["all"],
        default=None,
        help="'all': every account is a government account (e.g. agency posts without a registry)",
    )
    ing.add_argument("--encoding", default="utf-8", help="text encoding of the inputs (default utf-8; e.g. utf-16)")
    ing.add_argument(
        "--column",
        action="append",
        metavar="SCHEMA=SOURCE",
        help="for csv/parquet: map a schema column to a file column (repeatable)",
    )
    ing.add_argument("--platform", default=None, help="platform name for csv/parquet inputs (default: generic)")
    ing.add_argument("--tz", help="time zone of naive timestamps in csv/parquet inputs, e.g. Australia/Sydney")
    ing.add_argument(
        "--extra-column",
        action="append",
        default=[],
        metavar="NAME",
        help="extra csv/parquet column to carry along (repeatable)",
    )


def _writing_options(ing: argparse.ArgumentParser) -> None:
    ing.add_argument("--out", required=True, help="output posts table (.parquet)")
    ing.add_argument("--rejects", help="write rejected records here (.csv)")
    ing.add_argument("--errors", choices=["report", "raise"], default="report")
    ing.add_argument("--json", action="store_true", help="print counts as JSON")
    ing.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bar (default: when stderr is a terminal)",
    )
    key = ing.add_mutually_exclusive_group()
    key.add_argument(
        "--pseudonym-key-file",
        metavar="PATH",
        help="file holding the secret key for citizens' pseudonyms (recommended, or set "
        "$GOVSOCIAL_PSEUDONYM_KEY); the same key gives the same pseudonyms in every run; "
        "without a key a random one is used and pseudonyms differ between runs",
    )
    key.add_argument(
        "--pseudonym-key",
        metavar="KEY",
        help="the key itself: visible to other users in `ps` and kept in shell history, so prefer "
        "--pseudonym-key-file or $GOVSOCIAL_PSEUDONYM_KEY",
    )


def columns(values: Sequence[str] | None) -> dict[str, str] | None:
    """``--column SCHEMA=SOURCE`` values as a mapping (None without any).

    Example
    -------
    >>> columns(["text = body", "post_id=id"])
    {'text': 'body', 'post_id': 'id'}
    """
    if not values:
        return None
    mapping = {}
    for item in values:
        if "=" not in item:
            raise argparse.ArgumentTypeError(f"--column expects SCHEMA=SOURCE, got {item!r}")
        key, value = item.split("=", 1)
        mapping[key.strip()] = value.strip()
    return mapping


def pseudonym_key(args: argparse.Namespace) -> str | None:
    """The key from --pseudonym-key-file, --pseudonym-key or $GOVSOCIAL_PSEUDONYM_KEY (in that order).

    Example
    -------
    >>> pseudonym_key(argparse.Namespace(pseudonym_key_file=None, pseudonym_key="k"))
    'k'
    """
    if args.pseudonym_key_file:
        path = Path(args.pseudonym_key_file)
        try:
            key = path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise GovsocialError(
                f"cannot read the pseudonym key file {path}: {exc.strerror or 'unreadable'}; "
                "pass a readable text file holding the key"
            ) from None
        except UnicodeDecodeError:  # the message would quote bytes of the key
            raise GovsocialError(f"the pseudonym key file {path} is not UTF-8 text; write the key as text") from None
        if not key:
            raise GovsocialError(f"the pseudonym key file {path} is empty; write the secret key into it")
        return key
    return args.pseudonym_key or os.environ.get("GOVSOCIAL_PSEUDONYM_KEY") or None


def run(args: argparse.Namespace) -> int:
    """Read, protect and write the posts (and rejects) that ``args`` name; print the counts; exit code 0.

    Example
    -------
    >>> import tempfile
    >>> import pandas as pd
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "posts.csv").write_text("post_id,account_id,created_at,text\\n"
    ...                                       "1,jo,2024-03-01T09:00:00Z,call me on 0491 570 156\\n")
    >>> parser = argparse.ArgumentParser(prog="govsocial")
    >>> add_parser(parser.add_subparsers(dest="command"))
    >>> run(parser.parse_args(["ingest", str(folder / "posts.csv"), "--out", str(folder / "posts.parquet"),
    ...                        "--pseudonym-key", "k", "--json"]))  # doctest: +ELLIPSIS
    {"read": 1, "loaded": 1, "rejected": 0, ..., "redacted": {"phone": 1}, ...}
    0
    >>> pd.read_parquet(folder / "posts.parquet")["text"].tolist()
    ['call me on <PHONE>']
    """
    from ..data.readers import read_posts

    key = pseudonym_key(args)  # before reading: a bad key file fails fast
    progress = sys.stderr.isatty() if args.progress is None else args.progress
    posts, rejects = read_posts(
        args.inputs,
        format=args.format,
        registry=args.registry,
        unregistered=args.unregistered,
        government=args.government,
        errors=args.errors,
        encoding=args.encoding,
        columns=columns(args.column),
        platform=args.platform,
        tz=args.tz,
        extra_columns=args.extra_column,
        progress=progress,
    )
    line_based = list(posts.attrs.get("line_based_ids", []))
    posts, rejects, found = _protect(posts, rejects, key)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    posts.to_parquet(out, index=False)
    if args.rejects:
        Path(args.rejects).parent.mkdir(parents=True, exist_ok=True)
        rejects.to_csv(args.rejects, index=False)
    counts = {
        "read": len(posts) + len(rejects),
        "loaded": len(posts),
        "rejected": len(rejects),
        "by_account_type": {k: int(v) for k, v in posts["account_type"].value_counts().sort_index().items()},
        "rejects_by_field": {str(k): int(v) for k, v in rejects["field"].fillna("(record)").value_counts().items()},
        "redacted": {k: int(v) for k, v in found.drop(columns="post_id").sum().items() if v},
        "line_based_ids": line_based,
        "out": str(out),
    }
    _print(counts, args)
    return 0


def _protect(posts: Any, rejects: Any, key: str | None) -> tuple[Any, Any, Any]:
    """Nothing personal reaches a file: texts redacted, citizens pseudonymised, reject reasons redacted."""
    from ..text.privacy import pseudonymise, redact_column, redact_posts

    posts, found = redact_posts(posts)  # names after greetings are redacted in replies
    if not key:
        import secrets

        key = secrets.token_hex(16)
        print(
            "note: no --pseudonym-key-file (or $GOVSOCIAL_PSEUDONYM_KEY) given; citizens' pseudonyms use a random "
            "key and will differ between runs",
            file=sys.stderr,
        )
    posts = pseudonymise(posts, key)
    rejects["reason"] = redact_column(rejects["reason"].fillna(""))[0].astype("string")
    return posts, rejects, found


def _print(counts: dict[str, Any], args: argparse.Namespace) -> None:
    if args.json:
        print(json.dumps(counts))
        return
    print(f"read {counts['read']} records: loaded {counts['loaded']}, rejected {counts['rejected']}")
    for name in counts["line_based_ids"]:
        print(
            f"note: {name} has no post_id column, so post ids are line-based ('<file stem>:<line>') and change "
            "when lines are added or removed; map a stable id with --column post_id=<column>"
        )
    print(f"wrote {counts['out']}" + (f" and {args.rejects}" if args.rejects else ""))
    if counts["rejected"] and not args.rejects:
        print("rejects not written: pass --rejects FILE.csv to see why", file=sys.stderr)

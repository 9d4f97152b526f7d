"""``govsocial code``: write a coding sheet (``sample``) and check filled ones (``check``).

The command's arguments and its handler live here so that ``cli.py`` only registers
them. ``sample`` reads posts (a table written by ``govsocial ingest``, or any export
``read_posts`` reads), picks posts to code and writes the sheet;
``--coded`` sheets already filled train a ``ThemeScorer(method="semi")`` for
``--strategy active`` and are never proposed again. ``check`` reads one filled sheet and
lists its problems by row (exit 1 when there are any); with a second sheet it also
prints Krippendorff's alpha between the two coders and writes their disagreements.

Example
-------
>>> import argparse
>>> parser = argparse.ArgumentParser(prog="govsocial")
>>> add_parser(parser.add_subparsers(dest="command"))
>>> parser.parse_args(["code", "sample", "posts.parquet", "--n", "5", "--out", "s.csv"]).n
5
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

__all__ = ["add_parser", "run"]


def add_parser(sub: Any) -> None:
    """Register ``code sample`` and ``code check`` on the subparsers of the ``govsocial`` command.

    Example
    -------
    >>> parser = argparse.ArgumentParser(prog="govsocial")
    >>> add_parser(parser.add_subparsers(dest="command"))
    >>> parser.parse_args(["code", "check", "a.csv", "b.csv"]).sheets
    ['a.csv', 'b.csv']
    """
    code = sub.add_parser("code", help="hand-coding: write a coding sheet, check filled sheets, compare coders")
    steps = code.add_subparsers(dest="code_command", metavar="STEP", required=True)
    sample = steps.add_parser("sample", help="write a sheet of posts to code")
    sample.add_argument("posts", help="posts table (.parquet from govsocial ingest) or an export file")
    sample.add_argument("--n", type=int, required=True, help="number of posts to code")
    sample.add_argument("--strategy", choices=["random", "active"], default="random")
    sample.add_argument("--codebook", default="oecd", help="packaged codebook name or path to a TOML codebook")
    sample.add_argument(
        "--labels",
        nargs="+",
        metavar="LABEL",
        help="the labels coders use when not the codebook's themes (e.g. a coarser scheme)",
    )
    sample.add_argument("--coded", nargs="+", default=[], metavar="SHEET", help="sheets already filled")
    sample.add_argument("--seed", type=int, default=0)
    sample.add_argument("--out", required=True, help="the sheet to write (.csv)")
    check = steps.add_parser("check", help="check a filled sheet; with two sheets, compare the coders")
    check.add_argument("sheets", nargs="+", metavar="SHEET", help="one filled sheet, or two coders' sheets")
    check.add_argument("--codebook", default="oecd")
    check.add_argument("--labels", nargs="+", metavar="LABEL")
    check.add_argument("--posts", help="posts table or export: report post ids not in it")
    check.add_argument("--disagreements", help="with two sheets: write the posts they disagree on here (.csv)")


def _read(path: str) -> Any:
    from ..data.readers import load_posts, read_posts

    if path.endswith(".parquet"):
        return load_posts(path)
    posts, _ = read_posts(path)
    return posts


def _sample(args: argparse.Namespace) -> int:
    import pandas as pd

    from ..analysis.themes import ThemeScorer, coding_sheet, read_coding_sheet, write_coding_sheet

    posts = _read(args.posts)
    codebook = None if args.labels else args.codebook
    coded = pd.concat(
        [read_coding_sheet(s, codebook, labels=args.labels, posts=posts)[0] for s in args.coded]
        or [pd.DataFrame(columns=["post_id", "label"])]
    ).drop_duplicates("post_id", keep="last")
    scorer = None
    if args.strategy == "active" and len(coded):
        known = dict(zip(coded["post_id"], coded["label"]))
        labels = [known.get(p) for p in posts["post_id"].astype(str)]
        scorer = ThemeScorer(None if args.labels else args.codebook, "semi", random_state=args.seed).fit(posts, labels)
    legend = {label: "" for label in args.labels} if args.labels else None
    sheet = coding_sheet(
        posts,
        args.n,
        args.strategy,
        scorer,
        codebook=args.codebook,
        labels=legend,
        coded=coded["post_id"].tolist() or None,
        random_state=args.seed,
    )
    out = write_coding_sheet(sheet, args.out)
    print(
        f"wrote {out}: {int((sheet['post_id'] != '').sum())} posts to code ({args.strategy}"
        f"{', after ' + str(len(coded)) + ' coded' if len(coded) else ''})"
    )
    return 0


def _check(args: argparse.Namespace) -> int:
    from ..analysis.themes import coder_agreement, read_coding_sheet

    if len(args.sheets) > 2:
        raise argparse.ArgumentTypeError(f"check takes one sheet or two coders' sheets; got {len(args.sheets)}")
    posts = _read(args.posts) if args.posts else None
    codebook = None if args.labels else args.codebook
    bad = 0
    for sheet in args.sheets:
        coded, problems = read_coding_sheet(sheet, codebook, labels=args.labels, posts=posts, strict=False)
        print(f"{sheet}: {len(coded)} posts coded, {len(problems)} problem(s)")
        for p in problems.itertuples():
            print(f"  {sheet}, row {p.row}, field {p.field!r}: {p.problem}")
        bad += len(problems)
    if len(args.sheets) == 2:
        out = coder_agreement(args.sheets[0], args.sheets[1], codebook, labels=args.labels)
        print(
            f"Krippendorff's alpha (nominal) {out['alpha']:.3f} over {out['n']} posts coded by both "
            f"({out['only_a']} only in the first sheet, {out['only_b']} only in the second); "
            f"{len(out['disagreements'])} disagreement(s)"
        )
        if args.disagreements:
            Path(args.disagreements).parent.mkdir(parents=True, exist_ok=True)
            out["disagreements"].to_csv(args.disagreements, index=False, encoding="utf-8-sig")
            print(f"wrote {args.disagreements}")
    return 1 if bad else 0


def run(args: argparse.Namespace) -> int:
    """Run ``govsocial code sample`` or ``govsocial code check``; returns the exit code
    (1 when a checked sheet has problems).

    Example
    -------
    >>> import tempfile
    >>> sheet = Path(tempfile.mkdtemp()) / "a.csv"
    >>> _ = sheet.write_text("post_id,text,label\\n1,x,collaborating\\n")
    >>> run(argparse.Namespace(code_command="check", sheets=[str(sheet)], codebook="oecd", labels=None,
    ...                        posts=None, disagreements=None))  # doctest: +ELLIPSIS
    /.../a.csv: 1 posts coded, 0 problem(s)
    0
    """
    return _sample(args) if args.code_command == "sample" else _check(args)

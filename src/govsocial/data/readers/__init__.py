"""Readers: platform exports in, one validated posts table (and its rejects) out.

>>> posts, rejects = read_posts("export.jsonl.gz", registry="accounts.csv")  # doctest: +SKIP

Every record read is either loaded into ``posts`` or listed in ``rejects``
(columns ``source, line, record, field, reason, hint, post_id``), so
``len(posts) + len(rejects)`` is always the number of records read.
"""

from __future__ import annotations

import glob
import logging
import os
import re
from typing import Any, Callable, Iterable, Iterator, Literal, Mapping, Sequence
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd

from ...core.exceptions import InputError
from ...core.schema import conform, validate
from ..accounts import apply_registry
from ._csv import sniff_header
from ._json import first_json_record
from ._records import (
    REJECT_COLUMNS,
    ByteProgress,
    Collector,
    Item,
    RecordError,
    open_text,
    stream_error,
)
from .mastodon import iter_mastodon, looks_like_mastodon
from .tabular import (
    iter_crowdtangle,
    iter_generic_csv,
    iter_generic_parquet,
    looks_like_crowdtangle,
)
from .twitter import iter_twitter_v1, iter_twitter_v2, looks_like_v1, looks_like_v2

__all__ = ["read_posts", "load_posts", "detect_format", "expand_paths", "FORMATS", "REJECT_COLUMNS"]

log = logging.getLogger(__name__)

FORMATS: dict[str, str] = {
    "twitter_v2": "Twitter/X API v2: JSON/JSONL pages (data + includes) or tweet objects",
    "twitter_v1": "Twitter API v1.1: JSON array or JSONL of statuses",
    "crowdtangle": "Facebook posts exported by CrowdTangle (CSV)",
    "mastodon": "Mastodon API statuses (JSON array or JSONL)",
    "csv": "any CSV/TSV with a column mapping (columns=...)",
    "parquet": "any Parquet file with a column mapping (columns=...)",
}

_JSON_READERS: dict[str, Callable[..., Iterator[Item]]] = {
    "twitter_v2": iter_twitter_v2,
    "twitter_v1": iter_twitter_v1,
    "mastodon": iter_mastodon,
}


def _bare_name(path: str) -> str:
    name = os.path.basename(path).lower()
    return name[:-3] if name.endswith(".gz") else name


def _sep_for(path: str, sep: str | None) -> str:
    if sep is not None:
        return sep
    return "\t" if _bare_name(path).endswith((".tsv", ".tab")) else ","


_GLOB = re.compile(r"[*?[]")


def expand_paths(paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]]) -> list[str]:
    """The files named by ``paths``: glob patterns (``*``, ``?``, ``[...]``, ``**``) are
    expanded in sorted order; a pattern that matches no file is an error naming it.

    A path that exists as it is written is taken literally, even with ``[`` in its name.

    Example
    -------
    >>> import tempfile, os
    >>> d = tempfile.mkdtemp()
    >>> for name in ("search-2023-02.jsonl", "search-2023-01.jsonl", "other.jsonl"):
    ...     _ = open(os.path.join(d, name), "w").write("")
    >>> [os.path.basename(p) for p in expand_paths(os.path.join(d, "search-2023-*.jsonl"))]
    ['search-2023-01.jsonl', 'search-2023-02.jsonl']
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    files: list[str] = []
    for path in map(os.fspath, paths):
        if not _GLOB.search(path) or os.path.exists(path):
            files.append(path)
            continue
        matches = sorted(m for m in glob.glob(path, recursive=True) if not os.path.isdir(m))
        if not matches:
            raise InputError("no file matches this pattern", source=path,
                             hint="check the folder and the pattern (patterns are expanded in sorted order)")
        files.extend(matches)
    return files


def _is_empty(path: str, encoding: str) -> bool:
    """True when a file holds nothing but white space (after gzip and a BOM)."""
    if not os.path.isfile(path):
        return False  # the reader says what is wrong
    if os.path.getsize(path) == 0:
        return True
    with open(path, "rb") as raw:
        if raw.read(4) == b"PAR1":
            return False
    with open_text(path, encoding) as handle:
        while True:
            chunk = handle.read(1 << 16)
            if not chunk:
                return stream_error(handle) is None  # a gzip stream broken before any text is not "empty"
            if chunk.strip():
                return False


def detect_format(path: str | os.PathLike[str], *, encoding: str = "utf-8", sep: str | None = None) -> str:
    """Guess the export format of a file from its name and first record.

    Example
    -------
    >>> import tempfile, json, os
    >>> d = tempfile.mkdtemp(); p = os.path.join(d, "t.jsonl")
    >>> _ = open(p, "w").write(json.dumps({"id_str": "1", "full_text": "hi", "user": {}}) + "\\n")
    >>> detect_format(p)
    'twitter_v1'
    """
    path = os.fspath(path)
    if not os.path.exists(path):
        raise InputError("file not found", source=path, hint="check the path")
    if os.path.isdir(path):
        raise InputError("is a directory, not a file", source=path, hint="pass the files inside it")
    name = _bare_name(path)
    if name.endswith((".parquet", ".pq")):
        return "parquet"
    if name.endswith((".csv", ".tsv", ".tab")):
        with open_text(path, encoding) as handle:
            header = sniff_header(handle, _sep_for(path, sep))
        return "crowdtangle" if looks_like_crowdtangle(header) else "csv"
    with open(path, "rb") as raw:
        if raw.read(4) == b"PAR1":
            return "parquet"
    with open_text(path, encoding) as handle:
        obj = first_json_record(handle)
        broken = stream_error(handle)
    if obj is None and broken is not None:
        raise InputError(f"the compressed file breaks before its first record ({broken})", source=path,
                         hint="re-download or re-compress the file")
    if obj is None and _is_empty(path, encoding):
        raise InputError("the file is empty", source=path, hint="check the export; an empty file holds no posts")
    if looks_like_v2(obj):
        return "twitter_v2"
    if looks_like_mastodon(obj):
        return "mastodon"
    if looks_like_v1(obj):
        return "twitter_v1"
    raise InputError(
        "cannot tell the export format from the file name or its first record",
        source=path,
        hint=f"pass format= one of {', '.join(FORMATS)}",
    )


def read_posts(
    paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    format: str = "auto",
    *,
    registry: str | os.PathLike[str] | pd.DataFrame | None = None,
    unregistered: Literal["unknown", "citizen"] = "unknown",
    government: Literal["all"] | None = None,
    errors: Literal["report", "raise"] = "report",
    encoding: str = "utf-8",
    columns: Mapping[str, str] | None = None,
    platform: str = "generic",
    tz: str | None = None,
    extra_columns: Sequence[str] = (),
    sep: str | None = None,
    progress: bool = False,
    engine: Literal["pandas", "dask"] = "pandas",
    blocksize: int = 64 << 20,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read platform exports into one validated posts table plus its rejects.

    Parameters
    ----------
    paths:
        One file or a list of files or glob patterns (``"search-2023-*.jsonl.gz"``,
        expanded in sorted order; a pattern matching nothing is an error); gzip-compressed
        files are read transparently. An empty file is listed in ``rejects``
        (reason ``empty file``) and the other files are read.
    format:
        ``"auto"`` (guess per file) or one of :data:`FORMATS`.
    registry:
        Account registry (CSV path or DataFrame) naming the government accounts;
        see :mod:`govsocial.data.accounts`.
    unregistered:
        Account type for accounts not in the registry: ``"unknown"`` (default)
        or ``"citizen"`` when you know the rest are citizens.
    government:
        ``"all"``: every account is a government account (e.g. a file of agency
        posts without a registry); ``registry`` then only adds ``organisation``
        and ``government_level`` and ``unregistered`` has no effect.
    errors:
        ``"report"`` returns rejected records in the second table;
        ``"raise"`` stops at the first bad record with an
        :class:`~govsocial.core.exceptions.InputError` saying where and why.
    encoding:
        Text encoding of the files (``"utf-8"``; a BOM is skipped).
    columns, platform, tz, extra_columns, sep:
        For ``csv``/``parquet``: schema→file column mapping, platform name,
        time zone for naive timestamps (e.g. ``"Australia/Sydney"``), extra
        columns to carry along (e.g. a hand-coded label), field separator.
        Without a ``post_id`` column, ids are ``<file stem>:<line>``: a warning is
        logged and ``posts.attrs["line_based_ids"]`` lists those files.
    progress:
        Show a progress bar per file.
    engine:
        ``"dask"``: two dask DataFrames instead, read partition by partition (see
        :mod:`govsocial.data.readers.dask`; needs ``govsocial[dask]``); ``blocksize``: bytes
        per partition of an uncompressed JSON Lines file.

    Returns
    -------
    (posts, rejects):
        ``posts`` follows :mod:`govsocial.core.schema`; ``rejects`` has columns
        ``source, line, record, field, reason, hint, post_id``. Duplicated post ids
        are rejected after their first occurrence.

    Example
    -------
    >>> import tempfile, json, os
    >>> d = tempfile.mkdtemp(); p = os.path.join(d, "v2.jsonl")
    >>> good = {"id": "1", "text": "Flu clinics open", "author_id": "7",
    ...         "created_at": "2023-04-01T09:00:00Z", "public_metrics": {"like_count": 3}}
    >>> bad = dict(good, id="2", created_at="yesterday")
    >>> _ = open(p, "w").write(json.dumps(good) + "\\n" + json.dumps(bad) + "\\n")
    >>> posts, rejects = read_posts(p)
    >>> len(posts), rejects.loc[0, "field"], int(rejects.loc[0, "line"])
    (1, 'created_at', 2)
    """
    if engine == "dask":
        from .dask import FileReaders, read_posts_dask

        files = FileReaders(expand_paths, detect_format, _is_empty, _iter_file, _JSON_READERS, FORMATS)
        return read_posts_dask(paths, format, registry=registry, unregistered=unregistered, government=government,
                               errors=errors, encoding=encoding, columns=columns, platform=platform, tz=tz,
                               extra_columns=extra_columns, sep=sep, blocksize=blocksize, files=files)
    if engine != "pandas":
        raise InputError(f"unknown engine {engine!r}", hint="use 'pandas' (one process) or 'dask'")
    paths = expand_paths(paths)
    if not paths:
        raise InputError("no input files given", hint="pass one or more paths")
    if format != "auto" and format not in FORMATS:
        raise InputError(f"unknown format {format!r}", hint=f"use 'auto' or one of {', '.join(FORMATS)}")
    if government not in (None, "all"):
        raise InputError(f"government must be 'all' or None; got {government!r}",
                         hint="use government='all' when every account is a government account")
    zone = None
    if tz is not None:
        try:
            zone = ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            raise InputError(f"unknown time zone {tz!r}", hint="use an IANA name such as 'Australia/Sydney' or 'UTC'") from None
    line_based: list[str] = []
    options: dict[str, Any] = {"columns": columns, "platform": platform, "tz": zone, "extra_columns": tuple(extra_columns),
                               "line_based": line_based}
    collector = Collector(errors)
    for path in paths:
        if _is_empty(path, encoding):
            collector.add(path, Item(None, None, error=RecordError(
                None, "empty file: it holds no records", hint="check the export; the other files were read")))
            continue
        fmt = detect_format(path, encoding=encoding, sep=sep) if format == "auto" else format
        before = collector.read
        for item in _iter_file(path, fmt, encoding, sep, progress, options):
            collector.add(path, item)
        log.info("%s: read %d records as %s", path, collector.read - before, fmt)
    for path in line_based:
        log.warning("%s: no post_id column, so post ids are line-based ('<file stem>:<line>') and change when lines "
                    "are added or removed; map a stable id with columns={'post_id': ...}", path)
    posts = collector.posts()
    posts = apply_registry(posts, registry, unregistered=unregistered)
    if government == "all":
        posts["account_type"] = pd.Categorical(["government"] * len(posts),
                                               categories=posts["account_type"].cat.categories)
    validate(posts)
    posts.attrs["line_based_ids"] = list(line_based)
    return posts, collector.rejects()


def _iter_file(path: str, fmt: str, encoding: str, sep: str | None, progress: bool,
               options: dict[str, Any]) -> Iterator[Item]:
    if fmt == "parquet":
        yield from iter_generic_parquet(path, **options)
        return
    bar = ByteProgress(path, progress)
    handle = open_text(path, encoding)
    bar.attach(handle)
    n = 0
    last_line: int | None = None
    try:
        if fmt in _JSON_READERS:
            items: Iterable[Item] = _JSON_READERS[fmt](handle)
        elif fmt == "crowdtangle":
            items = iter_crowdtangle(handle, source=path, sep=_sep_for(path, sep))
        else:
            items = iter_generic_csv(handle, source=path, sep=_sep_for(path, sep), **options)
        try:
            for item in items:
                n += 1
                last_line = item.line
                if n % 4096 == 0:
                    bar.tick()
                yield item
        except (EOFError, OSError) as exc:
            yield _break(last_line, exc)
        broken = stream_error(handle)
        if broken is not None:
            # the records before the break were yielded; the break itself is one rejected entry
            yield _break(last_line, broken)
    finally:
        bar.close()
        handle.close()



def _break(last_line: int | None, exc: BaseException) -> Item:
    return Item((last_line or 0) + 1, None, error=RecordError(
        None, f"the file ends abruptly or is corrupt ({exc}); records after this point could not be read",
        hint="re-download or re-compress the file"))


def load_posts(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Load a posts table saved as Parquet (e.g. by ``govsocial ingest``) and validate it.

    Example
    -------
    >>> import tempfile, os, govsocial.core.schema as schema
    >>> p = os.path.join(tempfile.mkdtemp(), "posts.parquet")
    >>> schema.empty_posts().to_parquet(p)
    >>> len(load_posts(p))
    0
    """
    path = os.fspath(path)
    try:
        frame = pd.read_parquet(path)
    except FileNotFoundError:
        raise InputError("file not found", source=path, hint="check the path") from None
    except Exception as exc:  # pyarrow raises many unrelated types for unreadable files
        raise InputError(f"not a readable Parquet file ({exc})", source=path) from None
    try:
        frame = conform(frame)
    except (TypeError, ValueError) as exc:
        raise InputError(f"columns cannot be converted to the posts schema ({exc})", source=path) from None
    return validate(frame, what=f"posts table {path}")

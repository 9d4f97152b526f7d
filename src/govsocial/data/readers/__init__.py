"""Readers: platform exports in, one validated posts table (and its rejects) out.

>>> posts, rejects = read_posts("export.jsonl.gz", registry="accounts.csv")  # doctest: +SKIP

Every record read is either loaded into ``posts`` or listed in ``rejects``
(columns ``source, line, record, field, reason, hint, post_id``), so
``len(posts) + len(rejects)`` is always the number of records read.

Each format is a reader declared once in the registry
(:mod:`govsocial.data.readers.registry`): its name, the input it reads, how it is
detected and the options it takes. Adding a reader is one module and one registration.
Expanding glob patterns, detecting each file's format and streaming one file's records
are in :mod:`govsocial.data.readers.files`.
"""

from __future__ import annotations

import inspect
import logging
import os
from typing import Any, Literal, Mapping, Sequence

import pandas as pd

from ...core.exceptions import InputError
from ...core.schema import conform, validate
from ..accounts import apply_registry
from ._csv import SEP
from ._detect import is_blank as _is_empty
from ._options import plan_options
from ._records import REJECT_COLUMNS, Collector, Item, RecordError
from .files import _iter_file, _plan_files, detect_format, expand_paths
from .registry import (
    FORMATS,
    ReadContext,
    ReaderOption,
    ReaderSpec,
    get_reader,
    register_reader,
    registered_readers,
    unregister_reader,
)

__all__ = [
    "read_posts",
    "load_posts",
    "detect_format",
    "expand_paths",
    "FORMATS",
    "REJECT_COLUMNS",
    "register_reader",
    "unregister_reader",
    "get_reader",
    "ReaderSpec",
    "ReaderOption",
    "ReadContext",
    "Item",
    "RecordError",
]

log = logging.getLogger(__name__)


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
    platform: str | None = None,
    tz: str | None = None,
    extra_columns: Sequence[str] = (),
    sep: str | None = None,
    progress: bool = False,
    engine: Literal["pandas", "dask"] = "pandas",
    blocksize: int = 64 << 20,
    **options: Any,
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
        ``"auto"`` (guess per file) or one of :data:`FORMATS` (the registered readers).
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
        Options of the ``csv`` and ``parquet`` readers: schema→file column mapping,
        platform name (``"generic"`` when not given), time zone for naive timestamps (e.g. ``"Australia/Sydney"``),
        extra columns to carry along (e.g. a hand-coded label), field separator
        (``sep`` also for ``crowdtangle``). Without a ``post_id`` column, ids are
        ``<file stem>:<line>``: a warning is logged and ``posts.attrs["line_based_ids"]``
        lists those files.
    progress:
        Show a progress bar per file.
    engine:
        ``"dask"``: two dask DataFrames instead, read partition by partition (see
        :mod:`govsocial.data.readers.dask`; needs ``govsocial[dask]``); ``blocksize``: bytes
        per partition of an uncompressed JSON Lines file.
    **options:
        Options declared by other registered readers (``get_reader(name).options``).

    Each reader declares the options it takes, and they are checked against the
    readers of the files read (all of them, with ``format="auto"``) before any record
    is read. An option **no reader declares** (a typo such as ``colums=``) raises an
    :class:`~govsocial.core.exceptions.InputError` naming the reader and its options. An
    option that **other readers take but these ignore** (``tz=`` or ``columns=`` for a
    Twitter, Mastodon or CrowdTangle export) gives a ``FutureWarning`` naming the option
    and the reader, and is ignored: it will be an error in a future release. Options left
    at None, empty or their default (``platform="generic"``) never warn.

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
        return _read_dask(
            paths,
            format,
            registry=registry,
            unregistered=unregistered,
            government=government,
            errors=errors,
            encoding=encoding,
            columns=columns,
            platform=platform,
            tz=tz,
            extra_columns=extra_columns,
            sep=sep,
            blocksize=blocksize,
        )
    if engine != "pandas":
        raise InputError(f"unknown engine {engine!r}", hint="use 'pandas' (one process) or 'dask'")
    paths = expand_paths(paths)
    if not paths:
        raise InputError("no input files given", hint="pass one or more paths")
    chosen = None if format == "auto" else get_reader(format)
    if government not in (None, "all"):
        raise InputError(
            f"government must be 'all' or None; got {government!r}",
            hint="use government='all' when every account is a government account",
        )
    given = {"columns": columns, "platform": platform, "tz": tz, "extra_columns": extra_columns, "sep": sep, **options}
    files = _plan_files(paths, chosen, encoding, SEP.check(sep) if SEP.is_given(sep) else None)
    names = dict.fromkeys(fmt for _, fmt in files if fmt is not None)  # each detected reader once, in order
    readers = [chosen] if chosen is not None else [get_reader(name) for name in names]
    keywords = [name for name in inspect.signature(read_posts).parameters if name != "options"]
    per_reader = plan_options(given, readers, registered_readers(), keywords=keywords, stacklevel=3)
    collector, line_based = _collect(files, per_reader, encoding, progress, errors)
    posts = collector.posts()
    posts = apply_registry(posts, registry, unregistered=unregistered)
    if government == "all":
        posts["account_type"] = pd.Categorical(
            ["government"] * len(posts), categories=posts["account_type"].cat.categories
        )
    validate(posts)
    posts.attrs["line_based_ids"] = list(line_based)
    return posts, collector.rejects()


def _collect(
    files: list[tuple[str, str | None]],
    per_reader: Mapping[str, Mapping[str, Any]],
    encoding: str,
    progress: bool,
    errors: Literal["report", "raise"],
) -> tuple[Collector, list[str]]:
    """Every record of ``files`` (path, reader name or None for an empty file) collected into posts
    and rejects, with the files whose post ids are line-based (each announced in the log)."""
    line_based: list[str] = []
    collector = Collector(errors)
    for path, fmt in files:
        if fmt is None:
            collector.add(
                path,
                Item(
                    None,
                    None,
                    error=RecordError(
                        None, "empty file: it holds no records", hint="check the export; the other files were read"
                    ),
                ),
            )
            continue
        before = collector.read
        for item in _iter_file(path, fmt, encoding, None, progress, {**per_reader[fmt], "line_based": line_based}):
            collector.add(path, item)
        log.info("%s: read %d records as %s", path, collector.read - before, fmt)
    for path in line_based:
        log.warning(
            "%s: no post_id column, so post ids are line-based ('<file stem>:<line>') and change when lines "
            "are added or removed; map a stable id with columns={'post_id': ...}",
            path,
        )
    return collector, line_based


def _read_dask(paths: Any, format: str, **settings: Any) -> tuple[Any, Any]:
    """``read_posts(..., engine="dask")``: the Dask reader, handed this package's file machinery."""
    from .dask import FileReaders, read_posts_dask

    json_readers = {spec.name: spec.read for spec in registered_readers() if spec.input == "json"}
    files = FileReaders(expand_paths, detect_format, _is_empty, _iter_file, json_readers, FORMATS)
    return read_posts_dask(paths, format, files=files, **settings)


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

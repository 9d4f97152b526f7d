"""Readers on Dask: the same posts and rejects as :func:`~govsocial.data.readers.read_posts`,
as two dask DataFrames built partition by partition.

Partitions: an uncompressed JSON Lines file is cut into blocks of about ``blocksize``
bytes, each starting on a line that is a whole JSON record (so no record straddles two
blocks); gzip files, JSON arrays, CSV/TSV (where quoted line breaks could straddle a cut)
and Parquet files are one partition each. Each partition runs the single-machine readers
(same conversion, same rejects with source and line, reasons redacted as today); post ids
repeated across partitions are then found by a group-by over all ids and rejected after
their first occurrence, as the single-machine reader does. Every record read is either
in ``posts`` or in ``rejects``.

Compute both tables together (``dask.compute(posts, rejects)`` or ``dask.persist``), so the
files are read once; ``posts.to_parquet(folder)`` writes one Parquet file per partition,
which :func:`~govsocial.data.readers.load_posts` reads back as one table.

Dask is optional: ``pip install "govsocial[dask]"``.
"""

from __future__ import annotations

import io
import json
import os
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

import pandas as pd

from ...core.exceptions import InputError, MissingDependencyError
from ...core.schema import validate
from ..accounts import apply_registry, load_registry
from ._records import REJECT_COLUMNS, Collector, Item, RecordError

__all__ = ["read_posts_dask", "json_line_blocks", "FileReaders"]

_ROW_BITS = 40  # order key of a loaded post: partition << 40 | row within the partition


def _dask() -> tuple[Any, Any]:
    try:
        import dask
        import dask.dataframe as dd
    except ImportError:
        raise MissingDependencyError("dask", extra="dask") from None
    return dask, dd


@dataclass(frozen=True)
class FileReaders:
    """The single-machine readers' file machinery, handed over by
    :func:`~govsocial.data.readers.read_posts` (a module of the readers package does not import
    the package's face): glob expansion, format detection, the empty-file test, the per-file
    item iterator, the JSON readers by format and the format names.

    Example
    -------
    >>> FileReaders(list, str, bool, iter, {}, {}).formats
    {}
    """

    expand_paths: Callable[..., list[str]]
    detect_format: Callable[..., str]
    is_empty: Callable[[str, str], bool]
    iter_file: Callable[..., Iterator[Item]]
    json_readers: Mapping[str, Callable[..., Iterable[Item]]]
    formats: Mapping[str, str]


@dataclass(frozen=True)
class _Part:
    """One partition: a whole file, or bytes ``[start, end)`` of a JSON Lines file whose
    first line is line ``first_line``."""

    path: str
    fmt: str
    start: int = 0
    end: int | None = None
    first_line: int = 1


def _whole_line_record(line: bytes) -> bool:
    text = line.strip()
    if not text.startswith(b"{"):
        return False
    try:
        return isinstance(json.loads(text), dict)
    except ValueError:
        return False


def json_line_blocks(path: str, blocksize: int) -> list[tuple[int, int, int]]:
    """Cut an uncompressed JSON Lines file into ``(start, end, first_line)`` byte blocks of about
    ``blocksize`` bytes, each beginning on a line that is a whole JSON object.

    Example
    -------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "x.jsonl")
    >>> _ = open(p, "w").write("".join('{"id": "%d"}\\n' % i for i in range(6)))
    >>> json_line_blocks(p, 25)  # 12-byte lines: three lines reach 25 bytes
    [(0, 36, 1), (36, 72, 4)]
    """
    size = os.path.getsize(path)
    blocks: list[tuple[int, int, int]] = []
    start, first_line = 0, 1
    with open(path, "rb") as raw:
        while start < size:
            raw.seek(start)
            pos, lines = start, 0
            while True:
                line = raw.readline()
                if not line:
                    break
                pos += len(line)
                lines += 1
                if pos - start >= blocksize and line.endswith(b"\n"):
                    head = raw.readline()
                    raw.seek(pos)
                    if not head or _whole_line_record(head):
                        break
            blocks.append((start, pos, first_line))
            start, first_line = pos, first_line + lines
    return blocks


def _splittable(path: str, fmt: str, encoding: str, json_readers: Mapping[str, Any]) -> bool:
    """True for an uncompressed UTF-8 JSON Lines file (its first non-blank line is a whole object)."""
    if fmt not in json_readers or encoding.lower().replace("_", "-") not in ("utf-8", "utf8"):
        return False
    with open(path, "rb") as raw:
        if raw.read(2) == b"\x1f\x8b":
            return False
        raw.seek(0)
        for line in raw:
            if line.strip():
                return _whole_line_record(line.removeprefix(b"\xef\xbb\xbf"))
    return False


def _plan(
    paths: list[str], format: str, encoding: str, sep: str | None, blocksize: int, files: FileReaders
) -> list[_Part | str]:
    """The partitions to read; an empty file is named by its path (it becomes one reject)."""
    parts: list[_Part | str] = []
    for path in paths:
        if files.is_empty(path, encoding):
            parts.append(path)
            continue
        fmt = files.detect_format(path, encoding=encoding, sep=sep) if format == "auto" else format
        if _splittable(path, fmt, encoding, files.json_readers):
            parts.extend(_Part(path, fmt, s, e, line) for s, e, line in json_line_blocks(path, blocksize))
        else:
            parts.append(_Part(path, fmt))
    return parts


class _Located(Collector):
    """A collector that also remembers where each loaded post was (source, line)."""

    def __init__(self, errors: str) -> None:
        super().__init__(errors)
        self.where: list[tuple[str, int | None, str | None]] = []

    def add(self, source: str, item: Item) -> None:
        before = len(self._seen)
        super().add(source, item)
        if len(self._seen) > before:
            self.where.append((source, item.line, item.record))


def _iter_block(part: _Part, json_readers: Mapping[str, Any]) -> Iterator[Item]:
    with open(part.path, "rb") as raw:
        raw.seek(part.start)
        data = raw.read((part.end or 0) - part.start)
    handle = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", errors="surrogateescape", newline="")
    for item in json_readers[part.fmt](handle):
        if item.line is not None:
            item.line += part.first_line - 1
        yield item


def _read_part(index: int, part: _Part | str, settings: Mapping[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Posts (with hidden ``_order``, ``_source``, ``_line``, ``_record`` columns) and rejects of one partition."""
    collector = _Located(settings["errors"])
    if isinstance(part, str):
        collector.add(
            part,
            Item(
                None,
                None,
                error=RecordError(
                    None, "empty file: it holds no records", hint="check the export; the other files were read"
                ),
            ),
        )
    elif part.fmt != "none":  # "none": no data, for the tables' empty shape
        options = dict(settings["options"], line_based=[])
        files = settings["files"]
        items = (
            _iter_block(part, files.json_readers)
            if part.end is not None
            else files.iter_file(part.path, part.fmt, settings["encoding"], settings["sep"], False, options)
        )
        for item in items:
            collector.add(part.path, item)
    posts = apply_registry(collector.posts(), settings["registry"], unregistered=settings["unregistered"])
    if settings["government"] == "all":
        posts["account_type"] = pd.Categorical(
            ["government"] * len(posts), categories=posts["account_type"].cat.categories
        )
    posts["_order"] = pd.Series([(index << _ROW_BITS) + i for i in range(len(posts))], dtype="int64")
    posts["_source"] = pd.Series([w[0] for w in collector.where], dtype="string")
    posts["_line"] = pd.Series([w[1] for w in collector.where], dtype="Int64")
    posts["_record"] = pd.Series([w[2] for w in collector.where], dtype="string")
    return posts, collector.rejects()


def _repeated(keys: pd.DataFrame) -> pd.DataFrame:
    return keys[keys["count"] > 1]


def _first_places(frame: pd.DataFrame, repeated: pd.DataFrame) -> pd.DataFrame:
    """Where the first occurrence of each repeated id in this partition is (source, line)."""
    hit = frame[frame["post_id"].isin(repeated.index)]
    hit = hit[hit["_order"].to_numpy() == repeated.loc[hit["post_id"], "min"].to_numpy()]
    return hit.set_index("post_id")[["_source", "_line"]]


def _split_repeats(
    frame: pd.DataFrame, repeated: pd.DataFrame, places: pd.DataFrame, errors: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """This partition's posts without later occurrences of repeated ids, and those as rejects."""
    later = frame["post_id"].isin(repeated.index)
    if later.any():
        later &= frame["_order"].to_numpy() != repeated["min"].reindex(frame["post_id"]).to_numpy()
    rows = []
    for _, row in frame[later].iterrows():
        source, line = places.loc[row["post_id"]]
        where = f"{os.path.basename(source)} line {line}" if not pd.isna(line) else source
        reason = f"duplicate post_id {row['post_id']!r} (first seen at {where})"
        if errors == "raise":
            raise InputError(
                reason,
                source=row["_source"],
                line=None if pd.isna(row["_line"]) else int(row["_line"]),
                field="post_id",
                hint="the first occurrence was kept; or use errors='report'",
            )
        rows.append(
            (
                row["_source"],
                row["_line"],
                row["_record"],
                "post_id",
                reason,
                "the first occurrence was kept",
                row["post_id"],
            )
        )
    rejects = Collector().rejects() if not rows else pd.DataFrame.from_records(rows, columns=list(REJECT_COLUMNS))
    posts = frame[~later].drop(columns=["_order", "_source", "_line", "_record"]).reset_index(drop=True)
    return validate(posts), rejects.astype(Collector().rejects().dtypes.to_dict())


def read_posts_dask(
    paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    format: str = "auto",
    *,
    registry: str | os.PathLike[str] | pd.DataFrame | None = None,
    unregistered: str = "unknown",
    government: str | None = None,
    errors: str = "report",
    encoding: str = "utf-8",
    columns: Mapping[str, str] | None = None,
    platform: str | None = None,
    tz: str | None = None,
    extra_columns: Sequence[str] = (),
    sep: str | None = None,
    blocksize: int = 64 << 20,
    files: FileReaders,
) -> tuple[Any, Any]:
    """Read exports into ``(posts, rejects)`` dask DataFrames (``read_posts(..., engine="dask")``).

    Arguments are those of :func:`~govsocial.data.readers.read_posts`; ``blocksize`` is the
    size in bytes of a JSON Lines partition; ``files`` the readers' machinery (:class:`FileReaders`).
    Call it as ``read_posts(..., engine="dask")``.

    Example
    -------
    >>> import tempfile, json, os, dask
    >>> d = tempfile.mkdtemp(); p = os.path.join(d, "v2.jsonl")
    >>> rows = [{"id": str(i), "text": "Flu clinic", "author_id": "7", "created_at": "2023-04-01T09:00:00Z"}
    ...         for i in [1, 2, 3, 1]]
    >>> _ = open(p, "w").write("".join(json.dumps(r) + "\\n" for r in rows))
    >>> from govsocial.data.readers import read_posts
    >>> posts, rejects = read_posts(p, engine="dask", blocksize=100)
    >>> posts.npartitions > 1
    True
    >>> with dask.config.set(scheduler="sync"):
    ...     p_, r_ = dask.compute(posts, rejects)
    >>> sorted(p_["post_id"]), r_["line"].tolist(), r_["field"].tolist()
    (['1', '2', '3'], [4], ['post_id'])
    """
    dask, dd = _dask()

    names = files.expand_paths(paths)
    if not names:
        raise InputError("no input files given", hint="pass one or more paths")
    if format != "auto" and format not in files.formats:
        raise InputError(f"unknown format {format!r}", hint=f"use 'auto' or one of {', '.join(files.formats)}")
    if not isinstance(blocksize, int) or blocksize < 1:
        raise ValueError(f"blocksize must be a positive int (bytes); got {blocksize!r}")
    zone = _check_options(government, tz)
    settings = {
        "files": files,
        "errors": errors,
        "encoding": encoding,
        "sep": sep,
        "unregistered": unregistered,
        "government": government,
        "registry": None if registry is None else load_registry(registry),
        "options": {
            name: value
            for name, value in {
                "columns": columns,
                "platform": platform,
                "tz": zone,
                "extra_columns": tuple(extra_columns),
            }.items()
            if value is not None
        },
    }
    parts = _plan(names, format, encoding, sep, blocksize, files)
    delayed = dask.delayed
    read = [delayed(_read_part, nout=2, pure=True)(i, part, settings) for i, part in enumerate(parts)]
    raw_meta = _read_part(0, _Part("", "none"), settings)[0]
    for name in extra_columns:
        raw_meta[name] = pd.Series([], dtype=object)
    posts_meta = raw_meta.drop(columns=["_order", "_source", "_line", "_record"])
    rejects_meta = Collector().rejects()
    raw = dd.from_delayed([r[0] for r in read], meta=raw_meta, verify_meta=False)
    keys = (
        raw[["post_id", "_order"]]
        .groupby("post_id")["_order"]
        .agg(["count", "min"], split_out=max(1, min(len(parts), 32)))
    )
    repeated = delayed(pd.concat)([delayed(_repeated)(k) for k in keys.to_delayed()])
    places = delayed(pd.concat)([delayed(_first_places)(r[0], repeated) for r in read])
    split = [delayed(_split_repeats, nout=2)(r[0], repeated, places, errors) for r in read]
    posts = dd.from_delayed([s[0] for s in split], meta=posts_meta, verify_meta=False)
    rejects = dd.from_delayed(
        [x for r, s in zip(read, split) for x in (r[1], s[1])], meta=rejects_meta, verify_meta=False
    )
    return posts, rejects


def _check_options(government: str | None, tz: str | None) -> Any:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if government not in (None, "all"):
        raise InputError(
            f"government must be 'all' or None; got {government!r}",
            hint="use government='all' when every account is a government account",
        )
    if tz is None:
        return None
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(
            f"unknown time zone {tz!r}", hint="use an IANA name such as 'Australia/Sydney' or 'UTC'"
        ) from None

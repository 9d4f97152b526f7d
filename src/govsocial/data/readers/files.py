"""The files of a read: glob patterns expanded, each file's format detected, one file's
records streamed through its reader (with a progress bar, and a rejected entry where a
file breaks off). :func:`govsocial.data.readers.read_posts` and the Dask reader use these.

Example
-------
>>> import tempfile, json, os
>>> p = os.path.join(tempfile.mkdtemp(), "toots.jsonl")
>>> _ = open(p, "w").write(json.dumps({"id": "1", "content": "<p>hi</p>", "account": {"acct": "a"},
...                                    "created_at": "2023-01-01T00:00:00Z"}) + "\\n")
>>> detect_format(p), [os.path.basename(f) for f in expand_paths(os.path.join(os.path.dirname(p), "*.jsonl"))]
('mastodon', ['toots.jsonl'])
"""

from __future__ import annotations

import glob
import os
import re
from typing import Any, Iterable, Iterator, Mapping, Sequence

from ...core.exceptions import InputError
from ._detect import csv_header, first_record, input_of, parquet_columns
from ._detect import is_blank as _is_empty
from ._records import ByteProgress, Item, RecordError, open_text, stream_error
from .registry import FORMATS, ReadContext, ReaderSpec, detect_reader, get_reader

__all__ = ["expand_paths", "detect_format"]

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
    for path in [os.fspath(p) for p in paths]:
        if not _GLOB.search(path) or os.path.exists(path):
            files.append(path)
            continue
        matches = sorted(m for m in glob.glob(path, recursive=True) if not os.path.isdir(m))
        if not matches:
            raise InputError(
                "no file matches this pattern",
                source=path,
                hint="check the folder and the pattern (patterns are expanded in sorted order)",
            )
        files.extend(matches)
    return files


def detect_format(path: str | os.PathLike[str], *, encoding: str = "utf-8", sep: str | None = None) -> str:
    """Guess the export format of a file from its name and first record: the registered
    reader whose detector claims it (see :mod:`govsocial.data.readers.registry`).

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
    kind = input_of(path)
    if kind == "json":
        record = first_record(path, encoding)
        spec = detect_reader("json", lambda: record)
    elif kind == "csv":
        spec = detect_reader("csv", lambda: csv_header(path, encoding, sep))
    else:
        spec = detect_reader("parquet", lambda: parquet_columns(path))
    if spec is None:
        raise InputError(
            "cannot tell the export format from the file name or its first record",
            source=path,
            hint=f"pass format= one of {', '.join(FORMATS)}",
        )
    return spec.name


def _plan_files(
    paths: Sequence[str], chosen: ReaderSpec | None, encoding: str, sep: str | None
) -> list[tuple[str, str | None]]:
    """Each file with the name of its reader (None for an empty file), detected unless ``chosen``."""
    files: list[tuple[str, str | None]] = []
    for path in paths:
        if _is_empty(path, encoding):
            files.append((path, None))
        elif chosen is not None:
            files.append((path, chosen.name))
        else:
            files.append((path, detect_format(path, encoding=encoding, sep=sep)))
    return files


def _iter_file(
    path: str, fmt: str, encoding: str, sep: str | None, progress: bool, options: Mapping[str, Any]
) -> Iterator[Item]:
    """The items of one file read by the reader ``fmt``, given only the options it declares
    (``options["line_based"]``, if there, collects files with line-based ids)."""
    spec = get_reader(fmt)
    ctx = ReadContext(path, options["line_based"] if "line_based" in options else [])
    kwargs = {name: value for name, value in options.items() if name in spec.option_names}
    if sep is not None and "sep" in spec.option_names:
        kwargs.setdefault("sep", sep)
    if spec.input == "parquet":
        yield from spec.read(path, ctx, **kwargs)
        return
    bar = ByteProgress(path, progress)
    handle = open_text(path, encoding)
    bar.attach(handle)
    n = 0
    last_line: int | None = None
    try:
        items: Iterable[Item] = spec.read(handle, ctx, **kwargs)
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
    """The one rejected entry for a file that breaks off after ``last_line``."""
    return Item(
        (last_line or 0) + 1,
        None,
        error=RecordError(
            None,
            f"the file ends abruptly or is corrupt ({exc}); records after this point could not be read",
            hint="re-download or re-compress the file",
        ),
    )

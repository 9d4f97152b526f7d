"""Probing a file for detection: what it holds (JSON, CSV or Parquet), and the first
JSON record, CSV header or Parquet column names that the readers' detectors look at."""

from __future__ import annotations

import os
from typing import Any

from ...core.exceptions import InputError
from ._csv import bare_name, csv_sep, sniff_header
from ._json import first_json_record
from ._records import open_text, stream_error

__all__ = ["input_of", "first_record", "csv_header", "parquet_columns", "is_blank"]


def input_of(path: str) -> str:
    """What a file holds, by its name, else its magic bytes: parquet, csv or json."""
    name = bare_name(path)
    if name.endswith((".parquet", ".pq")):
        return "parquet"
    if name.endswith((".csv", ".tsv", ".tab")):
        return "csv"
    with open(path, "rb") as raw:
        if raw.read(4) == b"PAR1":
            return "parquet"
    return "json"


def first_record(path: str, encoding: str) -> Any:
    """The first JSON record of a file (None if it has none); an error for a file cut or empty before it."""
    with open_text(path, encoding) as handle:
        obj = first_json_record(handle)
        broken = stream_error(handle)
    if obj is None and broken is not None:
        raise InputError(
            f"the compressed file breaks before its first record ({broken})",
            source=path,
            hint="re-download or re-compress the file",
        )
    if obj is None and is_blank(path, encoding):
        raise InputError("the file is empty", source=path, hint="check the export; an empty file holds no posts")
    return obj


def csv_header(path: str, encoding: str, sep: str | None) -> list[str]:
    """The header row of a CSV file ([] when it cannot be read)."""
    with open_text(path, encoding) as handle:
        return sniff_header(handle, csv_sep(path, sep))


def parquet_columns(path: str) -> list[str]:
    """The column names of a Parquet file ([] when it cannot be read)."""
    import pyarrow.parquet as pq

    try:
        return list(pq.ParquetFile(path).schema_arrow.names)
    except Exception:  # unreadable: the reader says so when it opens the file
        return []


def is_blank(path: str, encoding: str) -> bool:
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

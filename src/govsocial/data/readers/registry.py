"""The reader registry: which readers exist, how a file's reader is found, what options each takes.

Each reader lives in its own module and declares itself once, as a
:class:`ReaderSpec` (name, input, read function, detector, options). The built-in
readers are the :data:`BUILTIN` tuple below; **adding a reader to govsocial** is a new
module ``data/readers/<platform>.py`` defining its ``ReaderSpec`` and one line in
``BUILTIN``. A reader of your own is added at run time with :func:`register_reader`.

Detection (``format="auto"``) first tells the file's *input* by its name or magic
bytes (``.parquet``/``.pq`` or ``PAR1`` → parquet; ``.csv``/``.tsv``/``.tab`` → csv;
anything else → json), then tries the detectors of that input's readers from the
highest ``priority`` down, in registration order for equal priorities (the built-in
readers have priority 0, so a reader registered later with priority 0 is tried after
them; pass ``priority=1`` to be tried first). When none claims the file, the input's
``fallback`` reader is used (``csv``, ``parquet``); a JSON file no detector claims
is an error.

Example
-------
>>> get_reader("csv").option_names
('columns', 'platform', 'tz', 'extra_columns', 'sep')
>>> "mastodon" in FORMATS
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from ...core.exceptions import InputError
from . import crowdtangle, mastodon, tabular, twitter
from ._spec import ReadContext, ReaderOption, ReaderSpec

__all__ = [
    "ReaderSpec",
    "ReaderOption",
    "ReadContext",
    "register_reader",
    "unregister_reader",
    "get_reader",
    "registered_readers",
    "detect_reader",
    "FORMATS",
    "BUILTIN",
]

# one line per built-in reader; the order is the detection order among equal priorities
BUILTIN: tuple[ReaderSpec, ...] = (
    twitter.TWITTER_V2,
    mastodon.MASTODON,
    twitter.TWITTER_V1,
    crowdtangle.CROWDTANGLE,
    tabular.CSV,
    tabular.PARQUET,
)

_READERS: dict[str, ReaderSpec] = {spec.name: spec for spec in BUILTIN}
_BUILTIN_NAMES = frozenset(_READERS)


def register_reader(spec: ReaderSpec, *, replace: bool = False) -> ReaderSpec:
    """Add a reader to the registry, so that ``read_posts``, ``detect_format`` and
    ``govsocial ingest --format`` know it; returns ``spec``.

    ``replace=True`` replaces an earlier reader of yours with the same name (the
    built-in readers cannot be replaced or removed: register yours under a new name).

    Example
    -------
    >>> import io, json
    >>> from govsocial.data.readers import Item
    >>> def read_notes(handle, ctx=None, *, platform="notes"):
    ...     for n, line in enumerate(handle, 1):
    ...         note = json.loads(line)
    ...         yield Item(n, None, row={"post_id": note["note_id"], "text": note["body"],
    ...                                  "platform": platform})
    >>> spec = register_reader(ReaderSpec(
    ...     "notes", "json", read_notes, "notes app export (JSONL)",
    ...     detect=lambda record: isinstance(record, dict) and "note_id" in record,
    ...     options=(ReaderOption("platform", str, "platform name", default="notes"),)))
    >>> get_reader("notes") is spec
    True
    >>> unregister_reader("notes")
    """
    if not isinstance(spec, ReaderSpec):
        raise TypeError(f"register_reader takes a ReaderSpec; got {type(spec).__name__}")
    if spec.name in _BUILTIN_NAMES:
        raise ValueError(
            f"{spec.name!r} is a built-in reader and cannot be replaced; register yours under another name"
        )
    if spec.name in _READERS and not replace:
        raise ValueError(f"a reader named {spec.name!r} is already registered; pass replace=True to replace it")
    if spec.fallback:
        other = next(
            (s for s in _READERS.values() if s.fallback and s.input == spec.input and s.name != spec.name), None
        )
        if other is not None:
            raise ValueError(f"{other.name!r} is already the fallback reader of {spec.input} files")
    _READERS[spec.name] = spec
    return spec


def unregister_reader(name: str) -> None:
    """Remove a reader added with :func:`register_reader`.

    Example
    -------
    >>> unregister_reader("twitter_v2")
    Traceback (most recent call last):
    ...
    ValueError: 'twitter_v2' is a built-in reader and cannot be removed
    """
    if name in _BUILTIN_NAMES:
        raise ValueError(f"{name!r} is a built-in reader and cannot be removed")
    if name not in _READERS:
        raise KeyError(f"no reader named {name!r} is registered")
    del _READERS[name]


def get_reader(name: str) -> ReaderSpec:
    """The registered reader called ``name``; an InputError listing the formats if there is none.

    Example
    -------
    >>> get_reader("mastodon").input
    'json'
    """
    spec = _READERS.get(name)
    if spec is None:
        raise InputError(f"unknown format {name!r}", hint=f"use 'auto' or one of {', '.join(_READERS)}")
    return spec


def registered_readers() -> tuple[ReaderSpec, ...]:
    """Every registered reader, built-in ones first, in registration order.

    Example
    -------
    >>> [spec.name for spec in registered_readers()][:3]
    ['twitter_v2', 'mastodon', 'twitter_v1']
    """
    return tuple(_READERS.values())


def detect_reader(input: str, probe: Callable[[], object]) -> ReaderSpec | None:
    """The reader that claims a file of ``input`` (``"json"``, ``"csv"``, ``"parquet"``):
    the first detector (by priority, then registration order) that accepts ``probe()``,
    else the input's fallback reader, else None. ``probe`` is called at most once, and
    only when some reader of that input has a detector.

    Example
    -------
    >>> detect_reader("csv", lambda: ["Message", "Post Created", "URL"]).name
    'crowdtangle'
    >>> detect_reader("csv", lambda: ["id", "text"]).name
    'csv'
    """
    candidates = sorted(
        (s for s in _READERS.values() if s.input == input and s.detect is not None), key=lambda s: -s.priority
    )  # sorted is stable: registration order among equals
    if candidates:
        value = probe()
        for spec in candidates:
            assert spec.detect is not None
            if spec.detect(value):
                return spec
    return next((s for s in _READERS.values() if s.input == input and s.fallback), None)


class _Formats(Mapping[str, str]):
    """Format name → description of every registered reader (a live, read-only view)."""

    def __getitem__(self, name: str) -> str:
        return _READERS[name].description

    def __iter__(self) -> Iterator[str]:
        return iter(_READERS)

    def __len__(self) -> int:
        return len(_READERS)

    def __repr__(self) -> str:
        return repr(dict(self))


FORMATS: Mapping[str, str] = _Formats()
"""Format name → one-line description, for every registered reader (follows :func:`register_reader`)."""

"""What a reader declares: its name, the input it reads, how it is detected and the
options it accepts (see :mod:`govsocial.data.readers.registry` for the registry).

A reader's ``read`` function is called as ``read(stream, ctx, **options)``:

* ``stream`` is a text handle (``input="json"`` or ``"csv"``: the package opens the
  file, gunzips it, skips a BOM, shows progress and reports a cut gzip stream) or the
  file's path (``input="parquet"``);
* ``ctx`` is a :class:`ReadContext` (the source's name, where to note line-based ids);
* ``options`` are only the declared options the caller gave, checked and converted.

It yields :class:`~govsocial.data.readers._records.Item` objects: a row keyed by schema
column, or a :class:`~govsocial.data.readers._records.RecordError` saying why the record
is rejected.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Literal

from ...core.exceptions import InputError
from ._records import Item

__all__ = ["ReaderOption", "ReaderSpec", "ReadContext", "INPUTS"]

Input = Literal["json", "csv", "parquet"]
INPUTS: tuple[str, ...] = ("json", "csv", "parquet")
_NAME = re.compile(r"[a-z][a-z0-9_]*")


@dataclass(frozen=True)
class ReaderOption:
    """One option a reader accepts: its name, the type(s) it takes, what it does, its default.

    ``convert`` (optional) turns a checked value into what the reader gets (a time-zone
    name into a ``ZoneInfo``) and raises :class:`~govsocial.core.exceptions.InputError`
    for a bad value. A value is *given* when it is not None, not empty and not the default:
    only given options are checked, passed on, or warned about.

    Example
    -------
    >>> opt = ReaderOption("label", str, "a label for every post", default="none")
    >>> opt.is_given("none"), opt.is_given("flu"), opt.check("flu")
    (False, True, 'flu')
    """

    name: str
    kind: type | tuple[type, ...]
    doc: str
    default: Any = None
    convert: Callable[[Any], Any] | None = None

    def __post_init__(self) -> None:
        if not _NAME.fullmatch(self.name):
            raise ValueError(f"option name {self.name!r} must be a lower-case identifier")

    def is_given(self, value: Any) -> bool:
        """False for None, an empty collection or the default (what callers pass for "not set")."""
        if value is None:
            return False
        if isinstance(value, (list, tuple, set, Mapping)) and len(value) == 0:
            return False
        try:
            return not bool(value == self.default)
        except (TypeError, ValueError):  # e.g. an array, whose == is elementwise
            return True

    def describe(self) -> str:
        """The accepted type(s) in words, for messages."""
        kinds = self.kind if isinstance(self.kind, tuple) else (self.kind,)
        return " or ".join(k.__name__ for k in kinds)

    def check(self, value: Any) -> Any:
        """``value`` checked against :attr:`kind` and converted; an InputError naming the option if wrong."""
        if not isinstance(value, self.kind):
            raise InputError(
                f"option {self.name}= must be {self.describe()}; got {type(value).__name__}",
                field=self.name,
                hint=f"{self.name}: {self.doc}",
            )
        return self.convert(value) if self.convert is not None else value


@dataclass
class ReadContext:
    """What a reader is told besides its options: the source's name, and where to note that its
    post ids are line-based (``<file stem>:<line>``, which change when lines are added).

    Example
    -------
    >>> ctx = ReadContext("exports/posts.csv")
    >>> ctx.note_line_based_ids(); ctx.line_based
    ['exports/posts.csv']
    """

    source: str = "<stream>"
    line_based: list[str] = field(default_factory=list)

    def note_line_based_ids(self) -> None:
        """Record that this source's post ids are made from line numbers."""
        self.line_based.append(self.source)


@dataclass(frozen=True)
class ReaderSpec:
    """A reader's declaration: one per reader, registered with
    :func:`~govsocial.data.readers.registry.register_reader`.

    Parameters
    ----------
    name:
        The ``format=`` name (lower case, e.g. ``"bluesky"``).
    input:
        What the file holds: ``"json"`` (JSON Lines, arrays or documents), ``"csv"``
        (CSV/TSV, by the name ending ``.csv``, ``.tsv`` or ``.tab``) or ``"parquet"``.
    read:
        ``read(stream, ctx, **options)`` yielding ``Item`` objects (module docstring).
    description:
        One line shown in :data:`~govsocial.data.readers.FORMATS` and error hints.
    detect:
        Predicate on the file's first JSON record (``None`` when there is none), on its
        CSV header (a list of column names) or on its Parquet column names; None: the
        reader is only used with ``format=name`` (or as its input's ``fallback``).
    options:
        The :class:`ReaderOption` objects it accepts; ``read`` must take each as a keyword
        with the same default.
    fallback:
        The reader for files of its input that no detector claims (``csv``, ``parquet``).
    priority:
        Detectors are tried from the highest priority down, then in registration order.

    Example
    -------
    >>> def read_lines(handle, ctx=None):
    ...     for n, line in enumerate(handle, 1):
    ...         yield Item(n, None, row={"post_id": str(n), "text": line.strip()})
    >>> spec = ReaderSpec("lines", "csv", read_lines, "one post per line")
    >>> spec.option_names
    ()
    """

    name: str
    input: Input
    read: Callable[..., Iterable[Item]]
    description: str
    detect: Callable[[Any], bool] | None = None
    options: tuple[ReaderOption, ...] = ()
    fallback: bool = False
    priority: int = 0

    def __post_init__(self) -> None:
        if not _NAME.fullmatch(self.name) or self.name == "auto":
            raise ValueError(f"reader name {self.name!r} must be a lower-case identifier other than 'auto'")
        if self.input not in INPUTS:
            raise ValueError(f"reader {self.name!r}: input must be one of {', '.join(INPUTS)}; got {self.input!r}")
        names = [opt.name for opt in self.options]
        if len(set(names)) != len(names):
            raise ValueError(f"reader {self.name!r} declares an option twice: {names}")
        _check_read_signature(self)

    @property
    def option_names(self) -> tuple[str, ...]:
        """The names of the options this reader accepts, in declaration order."""
        return tuple(opt.name for opt in self.options)

    def option(self, name: str) -> ReaderOption | None:
        """The declared option called ``name``, or None."""
        return next((opt for opt in self.options if opt.name == name), None)


def _check_read_signature(spec: ReaderSpec) -> None:
    """Every declared option is a keyword of ``read`` with the declared default."""
    try:
        params = inspect.signature(spec.read).parameters
    except (TypeError, ValueError):  # a callable without a signature: nothing to compare
        return
    takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
    for opt in spec.options:
        param = params.get(opt.name)
        if param is None:
            if not takes_any:
                raise ValueError(
                    f"reader {spec.name!r} declares option {opt.name!r} but its read function has no such keyword"
                )
            continue
        if param.default is not inspect.Parameter.empty and param.default != opt.default:
            raise ValueError(
                f"reader {spec.name!r}: option {opt.name!r} declares default {opt.default!r} but "
                f"its read function's default is {param.default!r}"
            )

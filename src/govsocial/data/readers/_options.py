"""Checking the options given to ``read_posts`` against the chosen readers' declarations.

* An option **no registered reader declares** (a typo such as ``colums=``) is an
  :class:`~govsocial.core.exceptions.InputError` naming the reader(s), the options they
  take and the closest valid name.
* An option **other readers declare but none of the chosen ones** (``tz=`` for a
  Twitter export) is ignored with a ``FutureWarning`` naming the option and the reader:
  it will be an error in a future release.
* An option is only checked, passed on or warned about when it is *given*: not None,
  not empty and not its default (so ``platform="generic"`` or ``extra_columns=[]``
  from the command line's defaults never warns).
"""

from __future__ import annotations

import difflib
import warnings
from typing import Any, Iterable, Mapping, Sequence

from ...core.exceptions import InputError
from ._spec import ReaderSpec

__all__ = ["plan_options"]


def plan_options(
    given: Mapping[str, Any],
    readers: Sequence[ReaderSpec],
    registered: Sequence[ReaderSpec],
    *,
    keywords: Iterable[str] = (),
    stacklevel: int = 2,
) -> dict[str, dict[str, Any]]:
    """Per chosen reader, the options to pass it (given ones it declares, checked and converted).

    ``registered`` are all known readers; ``keywords`` the caller's own parameter names (for
    "did you mean"); ``stacklevel`` is passed to :func:`warnings.warn` as seen from the caller.

    Example
    -------
    >>> from govsocial.data.readers.registry import get_reader, registered_readers
    >>> plan_options({"tz": "UTC", "platform": "generic"}, [get_reader("csv")], registered_readers())
    {'csv': {'tz': zoneinfo.ZoneInfo(key='UTC')}}
    """
    _refuse_unknown(given, readers, registered, keywords)
    _warn_ignored(given, readers, registered, stacklevel + 1)
    plan: dict[str, dict[str, Any]] = {}
    for spec in readers:
        kwargs: dict[str, Any] = {}
        for name, value in given.items():
            option = spec.option(name)
            if option is not None and option.is_given(value):
                kwargs[name] = option.check(value)
        plan[spec.name] = kwargs
    return plan


def _which(readers: Sequence[ReaderSpec]) -> str:
    names = sorted(spec.name for spec in readers)
    if len(names) == 1:
        return f"the {names[0]} reader"
    return f"the {', '.join(names[:-1])} and {names[-1]} readers"


def _takes(readers: Sequence[ReaderSpec]) -> str:
    return "; ".join(
        f"the {spec.name} reader takes " + (", ".join(f"{n}=" for n in spec.option_names) or "no options")
        for spec in readers
    )


def _refuse_unknown(
    given: Mapping[str, Any], readers: Sequence[ReaderSpec], registered: Sequence[ReaderSpec], keywords: Iterable[str]
) -> None:
    known = {name for spec in registered for name in spec.option_names}
    unknown = [name for name in given if name not in known]
    if not unknown:
        return
    name = unknown[0]
    close = difflib.get_close_matches(name, sorted(known | set(keywords)), n=1)
    hint = f"did you mean {close[0]}=? " if close else ""
    if readers:
        raise InputError(f"unknown option {name}= for {_which(readers)}", field=name, hint=hint + _takes(readers))
    raise InputError(
        f"unknown option {name}=: no reader takes it",
        field=name,
        hint=hint + f"reader options are {', '.join(f'{n}=' for n in sorted(known))}",
    )


def _warn_ignored(
    given: Mapping[str, Any], readers: Sequence[ReaderSpec], registered: Sequence[ReaderSpec], stacklevel: int
) -> None:
    if not readers:
        return  # nothing is read (every file empty): nothing ignores anything
    for name, value in given.items():
        if any(spec.option(name) is not None for spec in readers):
            continue
        declared = [spec for spec in registered if spec.option(name) is not None]
        first = declared[0].option(name)
        if first is None or not first.is_given(value):
            continue
        users = ", ".join(spec.name for spec in declared)
        warnings.warn(
            f"read_posts: option {name}= is ignored by {_which(readers)} (it applies to {users} files); "
            "leave it out. An option that the reader ignores will be an error in a future release.",
            FutureWarning,
            stacklevel=stacklevel,
        )

"""Exceptions raised by govsocial (layer 0: imports nothing from the package).

Every error says what was wrong, where, and what to do about it.

Example
-------
>>> from govsocial.core.exceptions import InputError
>>> err = InputError("unparseable date 'yesterday'", source="posts.jsonl",
...                  line=12, field="created_at", hint="use ISO 8601")
>>> print(err)
posts.jsonl, line 12, field 'created_at': unparseable date 'yesterday'; use ISO 8601
"""

from __future__ import annotations

__all__ = ["GovsocialError", "InputError", "SchemaError", "MissingDependencyError"]


class GovsocialError(Exception):
    """Base class of every error govsocial raises on purpose.

    Example
    -------
    >>> issubclass(InputError, GovsocialError)
    True
    """


class InputError(GovsocialError, ValueError):
    """A problem with an input file or one of its records.

    Parameters
    ----------
    message:
        What is wrong.
    source:
        The file (or other source) the record came from.
    line:
        1-based line number (JSONL, CSV) or record number (JSON arrays).
    record:
        A locator inside the line, such as ``"data[3]"`` for the fourth
        tweet of a Twitter API v2 page.
    field:
        The field that was wrong.
    hint:
        What the user can do about it.

    Example
    -------
    >>> str(InputError("file not found", source="x.csv"))
    'x.csv: file not found'
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        line: int | None = None,
        record: str | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.source = source
        self.line = line
        self.record = record
        self.field = field
        self.hint = hint
        super().__init__(self._format())

    def _format(self) -> str:
        where = []
        if self.source:
            where.append(str(self.source))
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.record:
            where.append(str(self.record))
        if self.field:
            where.append(f"field '{self.field}'")
        text = (", ".join(where) + ": " if where else "") + self.message
        if self.hint:
            text += f"; {self.hint}"
        return text


class SchemaError(GovsocialError, ValueError):
    """A table does not follow the posts schema.

    ``problems`` lists every problem found, not just the first.

    Example
    -------
    >>> err = SchemaError(["column 'text' is missing", "2 duplicated post_id"])
    >>> err.problems[1]
    '2 duplicated post_id'
    """

    def __init__(self, problems: list[str], what: str = "posts table") -> None:
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{what} has {len(self.problems)} problem(s):\n{lines}")


class MissingDependencyError(GovsocialError, ImportError):
    """An optional package is needed for this feature.

    Example
    -------
    >>> print(MissingDependencyError("matplotlib", extra="plot"))
    this feature needs the optional package 'matplotlib'; install it with: pip install "govsocial[plot]"
    """

    def __init__(self, package: str, extra: str | None = None) -> None:
        install = f'pip install "govsocial[{extra}]"' if extra else f"pip install {package}"
        super().__init__(f"this feature needs the optional package '{package}'; install it with: {install}")
        self.package = package
        self.extra = extra

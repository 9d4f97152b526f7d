"""What a study is and what it returns.

A study answers one research question: ``run(data, config, **upstream) -> Outputs``.
It reads the :class:`~govsocial.workflow.data.StudyData` and the config it is given,
and the :class:`Outputs` of the studies it names in ``upstream`` when they are part
of the same run; it writes no file (:mod:`govsocial.workflow.files` does).

Example
-------
>>> out = Outputs()
>>> out.tables["shares.csv"] = pd.DataFrame({"x": [1]})
>>> list(out.tables), out.truth
(['shares.csv'], [])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

import pandas as pd

if TYPE_CHECKING:
    from ..config import Config
    from ..data import StudyData

__all__ = ["Outputs", "Study"]


@dataclass
class Outputs:
    """A study's results: tables and figures for the report (in the order shown), tables
    written but not shown, findings, caveats, ground-truth rows, warnings for the log,
    and ``values`` handed to studies that name this one in ``upstream``.

    Example
    -------
    >>> Outputs(summary=["A finding."]).summary, Outputs().figures
    (['A finding.'], {})
    """

    summary: list[str] = field(default_factory=list)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    figures: dict[str, Any] = field(default_factory=dict)
    files: dict[str, pd.DataFrame] = field(default_factory=dict)
    caveats: list[str] = field(default_factory=list)
    truth: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Study:
    """A research question: its name (the results folder), what the report says about
    it, the function that runs it, and the studies whose outputs it uses when they run.

    Example
    -------
    >>> s = Study("demo", "Demo", "Why?", "By hand.", lambda data, config: Outputs())
    >>> s.methods_for(None), s.upstream
    ('By hand.', ())
    """

    name: str
    title: str
    question: str
    methods: str | Callable[[Config], str]
    run: Callable[..., Outputs]
    upstream: tuple[str, ...] = ()

    def methods_for(self, config: Config | None) -> str:
        """The methods paragraph for ``config``."""
        return self.methods if isinstance(self.methods, str) else self.methods(config)  # type: ignore[arg-type]

    def __call__(self, data: StudyData, config: Config, **upstream: Outputs) -> Outputs:
        return self.run(data, config, **upstream)

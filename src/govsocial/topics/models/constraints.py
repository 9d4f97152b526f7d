"""Declared parameter rules of the topic models: plain data, checked by one function.

Each model lists its rules once, in a class attribute ``_constraints`` mapping a
parameter's name to a rule (:class:`Int`, :class:`Real`, :class:`OneOf`,
:class:`Instance`) or a tuple of alternative rules; :func:`check_params` checks them in
order and raises a ValueError naming the parameter, the rule and the value
(``n_components must be an int in [1, inf); got 0``), built with
:mod:`govsocial.core.validation`'s ``check_int`` and ``check_float``. Rules that tie
parameters to each other or to the data (an alpha per topic, seeded topics ≤
``n_components``) stay in the model's ``fit``.

Example
-------
>>> from types import SimpleNamespace as NS
>>> check_params(NS(n_iter=0), {"n_iter": Int(1)})
Traceback (most recent call last):
...
ValueError: n_iter must be an int in [1, inf); got 0
>>> check_params(NS(beta="flat"), {"beta": (Real(0, low_open=True), OneOf("auto"))})
Traceback (most recent call last):
...
ValueError: beta must be a float in (0, inf) or 'auto'; got 'flat'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Union

from ...core.validation import check_float, check_int

__all__ = ["Int", "Real", "OneOf", "Instance", "Rule", "check_params", "describe"]


def _interval(low: Any, high: Any, low_open: bool) -> str:
    """The range as core.validation writes it: ``[1, inf)``, ``(0, inf)``, ``[0, 1]``."""
    left = "(" if low_open else "["
    return f"{left}{'-inf' if low is None else low}, {'inf)' if high is None else str(high) + ']'}"


@dataclass(frozen=True)
class Int:
    """An integer in the closed range [low, high] (None: unbounded); ``why`` is added to the message.

    Example
    -------
    >>> Int(2, why="at least two topics").check("n_components", 1)
    Traceback (most recent call last):
    ...
    ValueError: n_components must be an int in [2, inf); got 1 (at least two topics)
    """

    low: int | None = None
    high: int | None = None
    why: str = ""

    def check(self, name: str, value: Any) -> None:
        """Raise ValueError (naming ``name``, the range and ``value``) unless ``value`` is such an int."""
        try:
            check_int(name, value, self.low, self.high)
        except ValueError as exc:
            raise ValueError(f"{exc} ({self.why})" if self.why else str(exc)) from None

    def describe(self) -> str:
        """``an int in [low, high]``."""
        return f"an int in {_interval(self.low, self.high, False)}"


@dataclass(frozen=True)
class Real:
    """A real number in [low, high] (``(low, ...`` with ``low_open``); None: unbounded; NaN refused.

    Example
    -------
    >>> Real(0, 1).check("sigma_prior", 2.0)
    Traceback (most recent call last):
    ...
    ValueError: sigma_prior must be a float in [0, 1]; got 2.0
    """

    low: float | None = None
    high: float | None = None
    low_open: bool = False
    why: str = ""

    def check(self, name: str, value: Any) -> None:
        """Raise ValueError (naming ``name``, the range and ``value``) unless ``value`` is such a number."""
        try:
            check_float(name, value, self.low, self.high, low_open=self.low_open)
        except ValueError as exc:
            raise ValueError(f"{exc} ({self.why})" if self.why else str(exc)) from None

    def describe(self) -> str:
        """``a float in (low, high]``."""
        return f"a float in {_interval(self.low, self.high, self.low_open)}"


class OneOf:
    """One of a few fixed values (strings, None, True/False), compared by type and value.

    Example
    -------
    >>> OneOf("gibbs", "dask").check("engine", "mallet")
    Traceback (most recent call last):
    ...
    ValueError: engine must be one of 'gibbs', 'dask'; got 'mallet'
    """

    def __init__(self, *values: Any, why: str = "") -> None:
        self.values = values
        self.why = why

    def __repr__(self) -> str:
        return f"OneOf({', '.join(map(repr, self.values))})"

    def accepts(self, value: Any) -> bool:
        """Whether ``value`` is one of the values (``1`` is not ``True``, an array is none of them)."""
        return any(type(value) is type(v) and value == v for v in self.values)

    def check(self, name: str, value: Any) -> None:
        """Raise ValueError naming ``name``, the allowed values and ``value`` unless it is one of them."""
        if not self.accepts(value):
            why = f" ({self.why})" if self.why else ""
            raise ValueError(f"{name} must be {self.describe()}; got {value!r}{why}")

    def describe(self) -> str:
        """``'a'``, or ``one of 'a', 'b'``."""
        shown = ", ".join(map(repr, self.values))
        return shown if len(self.values) == 1 else f"one of {shown}"


@dataclass(frozen=True)
class Instance:
    """A value of one of ``types`` (not a string unless ``str`` is among them), described as ``what``.

    Example
    -------
    >>> Instance((str,), "a formula string such as '~ x'").check("prevalence", 3)
    Traceback (most recent call last):
    ...
    ValueError: prevalence must be a formula string such as '~ x'; got 3
    """

    types: tuple[type, ...]
    what: str
    why: str = ""

    def accepts(self, value: Any) -> bool:
        """Whether ``value`` is an instance of the types (a string only when ``str`` is allowed)."""
        return isinstance(value, self.types) and (str in self.types or not isinstance(value, str))

    def check(self, name: str, value: Any) -> None:
        """Raise ValueError naming ``name``, what is wanted and ``value`` unless it is accepted."""
        if not self.accepts(value):
            raise ValueError(f"{name} must be {self.what}; got {value!r}" + (f" ({self.why})" if self.why else ""))

    def describe(self) -> str:
        """What the value must be."""
        return self.what


Rule = Union[Int, Real, OneOf, Instance]


def _passes(rule: Rule, name: str, value: Any) -> bool:
    try:
        rule.check(name, value)
    except ValueError:
        return False
    return True


def describe(rule: Rule | tuple[Rule, ...]) -> str:
    """What a rule (or alternatives) allows, in words.

    Example
    -------
    >>> describe((Int(1), OneOf(None)))
    'an int in [1, inf) or None'
    """
    rules = rule if isinstance(rule, tuple) else (rule,)
    return " or ".join(r.describe() for r in rules)


def check_params(owner: Any, constraints: Mapping[str, Rule | tuple[Rule, ...]]) -> None:
    """Check ``owner``'s attributes against a table of rules, in the table's order.

    A single rule raises its own message; with alternatives, the value must pass one of
    them and the message lists them all.

    Example
    -------
    >>> from types import SimpleNamespace as NS
    >>> check_params(NS(n_components=None), {"n_components": (Int(1), OneOf(None))}) is None
    True
    >>> check_params(NS(n_components=0), {"n_components": (Int(1), OneOf(None))})
    Traceback (most recent call last):
    ...
    ValueError: n_components must be an int in [1, inf) or None; got 0
    """
    for name, rule in constraints.items():
        value = getattr(owner, name)
        if not isinstance(rule, tuple):
            rule.check(name, value)
        elif not any(_passes(r, name, value) for r in rule):
            reasons = "; ".join(r.why for r in rule if r.why)
            raise ValueError(f"{name} must be {describe(rule)}; got {value!r}" + (f" ({reasons})" if reasons else ""))

"""Argument checks shared across govsocial: seeds and numeric parameter rules.

Messages name the parameter, the rule and the value, e.g.
``n_posts must be an int in [1, inf); got 0``.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

__all__ = ["check_random_state", "check_int", "check_float"]


def check_random_state(seed: int | np.random.Generator | None) -> np.random.Generator:
    """Turn ``seed`` into a local :class:`numpy.random.Generator`; never touches global state.

    Example
    -------
    >>> a = check_random_state(7).integers(1000); b = check_random_state(7).integers(1000)
    >>> bool(a == b)
    True
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None or (isinstance(seed, numbers.Integral) and not isinstance(seed, bool) and seed >= 0):
        return np.random.default_rng(None if seed is None else int(seed))
    raise ValueError(f"random_state must be a non-negative int, a numpy Generator or None; got {seed!r}")


def check_int(name: str, value: Any, low: int | None = None, high: int | None = None) -> int:
    """Check an integer parameter against a closed range.

    Example
    -------
    >>> check_int("n_posts", 0, low=1)
    Traceback (most recent call last):
    ...
    ValueError: n_posts must be an int in [1, inf); got 0
    """
    rng = f"[{'-inf' if low is None else low}, {'inf)' if high is None else str(high) + ']'}"
    if not isinstance(value, numbers.Integral) or isinstance(value, bool):
        raise ValueError(f"{name} must be an int in {rng}; got {value!r}")
    number = int(value)
    if (low is not None and number < low) or (high is not None and number > high):
        raise ValueError(f"{name} must be an int in {rng}; got {value!r}")
    return number


def check_float(
    name: str, value: Any, low: float | None = None, high: float | None = None, *, low_open: bool = False
) -> float:
    """Check a real parameter against a range (``low_open`` excludes ``low``).

    Example
    -------
    >>> check_float("alpha", -1.0, low=0.0, low_open=True)
    Traceback (most recent call last):
    ...
    ValueError: alpha must be a float in (0.0, inf); got -1.0
    """
    left = "(" if low_open else "["
    rng = f"{left}{'-inf' if low is None else low}, {'inf)' if high is None else str(high) + ']'}"
    if not isinstance(value, numbers.Real) or isinstance(value, bool) or value != value:
        raise ValueError(f"{name} must be a float in {rng}; got {value!r}")
    number = float(value)
    if low is not None and (number < low or (low_open and number == low)):
        raise ValueError(f"{name} must be a float in {rng}; got {value!r}")
    if high is not None and number > high:
        raise ValueError(f"{name} must be a float in {rng}; got {value!r}")
    return number

"""The factors of a model formula: a numeric or categorical variable, ``C(x)``, or a spline
``s(x)`` (a binary variable when ``x`` has two values); what each learns from the data
(levels, knots) and the columns it gives. :mod:`govsocial.topics.formula` parses formulas
into terms of these factors and builds design matrices from them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .splines import spline_basis, spline_knots

_NAME = r"[A-Za-z_.][A-Za-z0-9_.]*"
FACTOR = re.compile(rf"^(?:(?P<fun>s|C)\(\s*(?P<arg>{_NAME})\s*(?:,\s*df\s*=\s*(?P<df>\d+)\s*)?\)|(?P<var>{_NAME}))$")


@dataclass
class Factor:
    """One factor of a formula term and what fitting learned about it (levels, knots)."""

    kind: str  # "numeric", "categorical", "spline", "binary"
    var: str
    label: str
    levels: list[Any] = field(default_factory=list)
    knots: list[float] = field(default_factory=list)
    bounds: tuple[float, float] = (0.0, 0.0)
    df: int | None = None

    def columns(self, main: bool) -> list[str]:
        if self.kind == "categorical":
            levels = self.levels[1:] if main else self.levels
            return [f"{self.label}{_level_name(v)}" for v in levels]
        if self.kind == "spline":
            return [f"{self.label}{j + 1}" for j in range(len(self.knots) + 3)]
        return [self.label]

    def evaluate(self, data: pd.DataFrame, full: bool) -> np.ndarray:
        values = _column(data, self.var)
        if self.kind == "categorical":
            keys = values.astype(object).to_numpy()
            known = {_key(v): i for i, v in enumerate(self.levels)}
            codes = np.array([known.get(_key(v), -1) for v in keys])
            if (codes < 0).any():
                row = int(np.flatnonzero(codes < 0)[0])
                raise ValueError(
                    f"covariate {self.var!r}, row {row}: level {keys[row]!r} was not seen when the design "
                    f"was built (levels: {self.levels[:10]}); use one of those levels"
                )
            out = (codes[:, None] == np.arange(len(self.levels))[None, :]).astype(np.float64)
            return out if full else out[:, 1:]
        x = _numeric(values, self.var)
        if self.kind == "binary":
            return np.where(x == self.levels[1], 2.0, 1.0)[:, None] if len(self.levels) == 2 else x[:, None]
        if self.kind == "spline":
            return spline_basis(x, np.asarray(self.knots), *self.bounds)
        return x[:, None]


def _key(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def _level_name(value: Any) -> str:
    if isinstance(value, (bool, np.bool_)):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _column(data: pd.DataFrame, var: str) -> pd.Series:
    if var not in data.columns:
        raise ValueError(
            f"covariate {var!r} named in the formula is not a column of the covariates "
            f"(columns: {list(map(str, data.columns))[:20]}); add it or fix the formula"
        )
    values = data[var]
    if values.isna().any():
        row = int(np.flatnonzero(values.isna().to_numpy())[0])
        raise ValueError(
            f"covariate {var!r} is missing in row {row} ({int(values.isna().sum())} missing in all); "
            "fill or drop those rows (and their posts) first"
        )
    return values


def _numeric(values: pd.Series, var: str) -> np.ndarray:
    try:
        x = values.to_numpy(dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(
            f"covariate {var!r} must be numeric here (it is used in a spline or as a number); "
            f"got {values.dtype} values such as {values.iloc[0]!r}"
        ) from None
    if not np.all(np.isfinite(x)):
        raise ValueError(f"covariate {var!r} holds infinite values; fix them first")
    return x


def _is_categorical(values: pd.Series) -> bool:
    return not (pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values))


def _levels(values: pd.Series) -> list[Any]:
    if isinstance(values.dtype, pd.CategoricalDtype):
        return [_key(v) for v in values.cat.categories]
    return sorted({_key(v) for v in values.astype(object)}, key=lambda v: (str(type(v)), v))


def learn_factor(spec: str, data: pd.DataFrame) -> Factor:
    m = FACTOR.match(spec)
    if m is None:
        raise ValueError(
            f"formula term {spec!r} is not understood; use a column name, s(column), "
            "s(column, df=5) or C(column), joined with +, : or *"
        )
    if m["var"]:
        values = _column(data, m["var"])
        if _is_categorical(values):
            return Factor("categorical", m["var"], m["var"], levels=_levels(values))
        _numeric(values, m["var"])
        return Factor("numeric", m["var"], m["var"])
    var, label = m["arg"], spec.replace(" ", "")
    values = _column(data, var)
    if m["fun"] == "C":
        return Factor("categorical", var, label, levels=_levels(values))
    x = _numeric(values, var)
    unique = np.unique(x)
    if len(unique) == 1:
        raise ValueError(
            f"s({var}): a smooth needs a covariate with more than one value; {var!r} is always {unique[0]:g}"
        )
    if len(unique) == 2:  # stm: "Converting to dichotomous coding" (as.numeric(as.factor(x)))
        return Factor("binary", var, label, levels=[float(unique[0]), float(unique[1])])
    df = int(m["df"]) if m["df"] else min(10, len(unique) - 1)
    knots, lo, hi = spline_knots(x, df)
    return Factor("spline", var, label, knots=knots.tolist(), bounds=(lo, hi), df=df)

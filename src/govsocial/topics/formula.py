"""Model formulas → design matrices, with stm's spline term ``s(x)``.

A small formula language for covariates, in R's notation, enough for the prevalence
formulas of structural topic models and for effect estimation:

* ``~ a + b``: an intercept and one column per numeric variable; a categorical variable
  (strings, ``category``, ``bool``) gives one dummy column per level except the first
  (R's treatment contrasts; levels sorted, or the order of a pandas ``Categorical``);
* ``s(x)`` / ``s(x, df=5)``: a cubic B-spline basis as stm builds it — stm's ``s()``
  calls ``splines::bs(x, df)`` with ``df = min(10, unique values − 1)``: ``df − 3``
  interior knots at the quantiles of ``x`` (R's type 7), boundary knots at its range,
  no intercept column. With two distinct values stm (and this module) codes ``x`` as
  1/2 instead; with one it refuses;
* ``C(x)``: treat a numeric variable as categorical;
* ``a:b`` (products of the columns), ``a*b`` (``a + b + a:b``), ``- 1`` or ``+ 0`` (no
  intercept).

Column names follow R (``(Intercept)``, ``ratingLiberal``, ``s(day)1``, ``a:b``), so
tables line up with stm's. A fitted :class:`Design` remembers levels and knots and
builds the same columns for new rows (``Design.transform``), and round-trips through
JSON (``to_dict`` / ``from_dict``), so a saved model can rebuild its design.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import combinations, product
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["Design", "design_matrix", "spline_basis", "spline_knots"]

_NAME = r"[A-Za-z_.][A-Za-z0-9_.]*"
_FACTOR = re.compile(rf"^(?:(?P<fun>s|C)\(\s*(?P<arg>{_NAME})\s*(?:,\s*df\s*=\s*(?P<df>\d+)\s*)?\)|(?P<var>{_NAME}))$")


def spline_knots(x: np.ndarray, df: int, degree: int = 3) -> tuple[np.ndarray, float, float]:
    """Interior knots and boundary knots of R's ``splines::bs(x, df)`` (no intercept).

    Example
    -------
    >>> knots, lo, hi = spline_knots(np.arange(1.0, 8.0), df=6)
    >>> knots.tolist(), lo, hi
    ([2.5, 4.0, 5.5], 1.0, 7.0)
    """
    x = np.asarray(x, dtype=np.float64)
    n_inner = max(int(df) - (degree + 1) + 1, 0)
    probs = np.linspace(0.0, 1.0, n_inner + 2)[1:-1]
    knots = np.quantile(x, probs) if n_inner else np.empty(0)
    return knots, float(x.min()), float(x.max())


def spline_basis(x: np.ndarray, knots: np.ndarray, lower: float, upper: float, degree: int = 3) -> np.ndarray:
    """R's ``splineDesign`` on ``sort(c(rep(c(lower, upper), degree + 1), knots))``, first column dropped.

    Values must lie in ``[lower, upper]`` (the range the basis was built on).

    Example
    -------
    >>> B = spline_basis(np.array([1.0, 4.0, 7.0]), np.array([2.5, 4.0, 5.5]), 1.0, 7.0)
    >>> B.shape, B[0].tolist(), float(B[2, -1])
    ((3, 6), [0.0, 0.0, 0.0, 0.0, 0.0, 0.0], 1.0)
    """
    from scipy.interpolate import BSpline

    x = np.asarray(x, dtype=np.float64)
    if x.size and (x.min() < lower or x.max() > upper):
        bad = x[(x < lower) | (x > upper)][0]
        raise ValueError(f"value {bad:g} is outside the range [{lower:g}, {upper:g}] the spline basis was built on; "
                         "stay inside the range of the data the model was fitted on")
    t = np.sort(np.concatenate([np.repeat([lower, upper], degree + 1), knots]))
    n_basis = len(t) - degree - 1
    B = np.zeros((x.size, n_basis))
    for j in range(n_basis):
        coef = np.zeros(n_basis)
        coef[j] = 1.0
        B[:, j] = BSpline(t, coef, degree, extrapolate=False)(x)
    # the right boundary belongs to the last interval (R evaluates the left limit there)
    at_upper = x == upper
    if at_upper.any():
        B[at_upper] = 0.0
        B[at_upper, -1] = 1.0
    return np.nan_to_num(B[:, 1:])


@dataclass
class _Factor:
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
                raise ValueError(f"covariate {self.var!r}, row {row}: level {keys[row]!r} was not seen when the design "
                                 f"was built (levels: {self.levels[:10]}); use one of those levels")
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
        raise ValueError(f"covariate {var!r} named in the formula is not a column of the covariates "
                         f"(columns: {list(map(str, data.columns))[:20]}); add it or fix the formula")
    values = data[var]
    if values.isna().any():
        row = int(np.flatnonzero(values.isna().to_numpy())[0])
        raise ValueError(f"covariate {var!r} is missing in row {row} ({int(values.isna().sum())} missing in all); "
                         "fill or drop those rows (and their posts) first")
    return values


def _numeric(values: pd.Series, var: str) -> np.ndarray:
    try:
        x = values.to_numpy(dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"covariate {var!r} must be numeric here (it is used in a spline or as a number); "
                         f"got {values.dtype} values such as {values.iloc[0]!r}") from None
    if not np.all(np.isfinite(x)):
        raise ValueError(f"covariate {var!r} holds infinite values; fix them first")
    return x


def _is_categorical(values: pd.Series) -> bool:
    return not (pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values))


def _levels(values: pd.Series) -> list[Any]:
    if isinstance(values.dtype, pd.CategoricalDtype):
        return [_key(v) for v in values.cat.categories]
    return sorted({_key(v) for v in values.astype(object)}, key=lambda v: (str(type(v)), v))


def _learn(spec: str, data: pd.DataFrame) -> _Factor:
    m = _FACTOR.match(spec)
    if m is None:
        raise ValueError(f"formula term {spec!r} is not understood; use a column name, s(column), "
                         "s(column, df=5) or C(column), joined with +, : or *")
    if m["var"]:
        values = _column(data, m["var"])
        if _is_categorical(values):
            return _Factor("categorical", m["var"], m["var"], levels=_levels(values))
        _numeric(values, m["var"])
        return _Factor("numeric", m["var"], m["var"])
    var, label = m["arg"], spec.replace(" ", "")
    values = _column(data, var)
    if m["fun"] == "C":
        return _Factor("categorical", var, label, levels=_levels(values))
    x = _numeric(values, var)
    unique = np.unique(x)
    if len(unique) == 1:
        raise ValueError(f"s({var}): a smooth needs a covariate with more than one value; {var!r} is always "
                         f"{unique[0]:g}")
    if len(unique) == 2:  # stm: "Converting to dichotomous coding" (as.numeric(as.factor(x)))
        return _Factor("binary", var, label, levels=[float(unique[0]), float(unique[1])])
    df = int(m["df"]) if m["df"] else min(10, len(unique) - 1)
    knots, lo, hi = spline_knots(x, df)
    return _Factor("spline", var, label, knots=knots.tolist(), bounds=(lo, hi), df=df)


def _parse(formula: str) -> tuple[bool, list[tuple[str, ...]]]:
    """Intercept flag and the terms (tuples of factor specs), ordered as R orders them."""
    text = formula.strip()
    if "~" in text:
        lhs, text = text.split("~", 1)
        if lhs.strip():
            raise ValueError(f"formula {formula!r} has a left-hand side; write only the covariates, e.g. "
                             "'~ treatment + s(pid_rep)'")
    intercept, terms = True, []
    for sign, chunk in re.findall(r"([+-]?)\s*([^+-]+)", text.replace(" ", "")):
        if chunk in ("0", "1"):
            intercept = intercept and not (chunk == "0" or sign == "-")
            continue
        if sign == "-":
            raise ValueError(f"formula {formula!r}: only '- 1' can be removed; drop the term instead")
        factors = chunk.split("*")
        for r in range(1, len(factors) + 1):
            for combo in combinations(factors, r):
                parts = [p for f in combo for p in f.split(":")]
                if any(not p for p in parts):
                    raise ValueError(f"formula term {chunk!r} has an empty part")
                term = tuple(dict.fromkeys(parts))
                if term not in terms:
                    terms.append(term)
    terms.sort(key=len)  # main effects, then two-way interactions, ... (stable within an order)
    return intercept, terms


class Design:
    """A formula fitted to covariates: it builds the design matrix for these and for new rows.

    Parameters
    ----------
    formula: e.g. ``"~ treatment + s(pid_rep)"`` (see the module docstring).

    Example
    -------
    >>> data = pd.DataFrame({"group": ["a", "b", "a", "c"], "x": [1.0, 2.0, 3.0, 4.0]})
    >>> d = Design("~ group + x").fit(data)
    >>> d.columns
    ['(Intercept)', 'groupb', 'groupc', 'x']
    >>> d.transform(data)[:, 1:3].tolist()
    [[0.0, 0.0], [1.0, 0.0], [0.0, 0.0], [0.0, 1.0]]
    """

    def __init__(self, formula: str) -> None:
        if not isinstance(formula, str):
            raise TypeError(f"formula must be a string such as '~ treatment + s(pid_rep)'; got {type(formula).__name__}")
        self.formula = formula
        self.intercept, self.terms = _parse(formula)

    def fit(self, data: pd.DataFrame) -> "Design":
        """Learn levels and spline knots from ``data`` (a DataFrame with the formula's columns).

        Example
        -------
        >>> Design("~ s(x)").fit(pd.DataFrame({"x": np.arange(20.0)})).columns[-1]
        's(x)10'
        """
        data = _frame(data)
        specs = dict.fromkeys(spec for term in self.terms for spec in term)
        self.factors_ = {spec: _learn(spec, data) for spec in specs}
        self._codings()
        return self

    def _codings(self) -> None:
        present = {frozenset(t) for t in self.terms}
        full_done = self.intercept
        self.codings_: list[list[bool]] = []
        for term in self.terms:
            coding = []
            for spec in term:
                rest = frozenset(term) - {spec}
                if self.factors_[spec].kind != "categorical":
                    coding.append(False)
                elif not rest:
                    coding.append(not full_done)
                    full_done = True
                else:
                    coding.append(rest not in present)
            self.codings_.append(coding)

    @property
    def columns(self) -> list[str]:
        """Column names in R's style."""
        self._check_fitted()
        names = ["(Intercept)"] if self.intercept else []
        for term, coding in zip(self.terms, self.codings_):
            parts = [self.factors_[s].columns(main=not full) for s, full in zip(term, coding)]
            names.extend(":".join(combo) for combo in _product_fastest_first(parts))
        return names

    def transform(self, data: pd.DataFrame) -> np.ndarray:
        """The design matrix of ``data`` (rows × columns), with the levels and knots learned in ``fit``.

        Example
        -------
        >>> d = Design("~ x").fit(pd.DataFrame({"x": [1.0, 2.0]}))
        >>> d.transform(pd.DataFrame({"x": [5.0]})).tolist()
        [[1.0, 5.0]]
        """
        self._check_fitted()
        data = _frame(data)
        n = len(data)
        blocks = [np.ones((n, 1))] if self.intercept else []
        for term, coding in zip(self.terms, self.codings_):
            mats = [self.factors_[s].evaluate(data, full) for s, full in zip(term, coding)]
            block = mats[0]
            for m in mats[1:]:  # the first factor varies fastest, as in R
                block = (block[:, :, None] * m[:, None, :]).reshape(n, -1, order="F")
            blocks.append(block)
        return np.hstack(blocks) if blocks else np.zeros((n, 0))

    def fit_transform(self, data: pd.DataFrame) -> np.ndarray:
        """``fit(data).transform(data)``.

        Example
        -------
        >>> Design("~ x").fit_transform(pd.DataFrame({"x": [3.0]})).tolist()
        [[1.0, 3.0]]
        """
        return self.fit(data).transform(data)

    @property
    def variables(self) -> list[str]:
        """The covariates the formula uses, in order of first use.

        Example
        -------
        >>> Design("~ a * s(b)").variables
        ['a', 'b']
        """
        out = []
        for term in self.terms:
            for spec in term:
                m = _FACTOR.match(spec)
                var = (m["var"] or m["arg"]) if m else spec
                if var not in out:
                    out.append(var)
        return out

    def _check_fitted(self) -> None:
        if not hasattr(self, "factors_"):
            raise ValueError(f"this Design({self.formula!r}) has not been fitted; call fit(data) first")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready description (formula, levels, knots) that ``from_dict`` restores.

        Example
        -------
        >>> d = Design("~ s(x)").fit(pd.DataFrame({"x": np.arange(9.0)}))
        >>> again = Design.from_dict(d.to_dict())
        >>> bool(np.array_equal(again.transform(pd.DataFrame({"x": [2.5]})), d.transform(pd.DataFrame({"x": [2.5]}))))
        True
        """
        self._check_fitted()
        return {"formula": self.formula, "factors": {
            spec: {"kind": f.kind, "var": f.var, "label": f.label, "levels": list(f.levels), "knots": list(f.knots),
                   "bounds": list(f.bounds), "df": f.df} for spec, f in self.factors_.items()}}

    @classmethod
    def from_dict(cls, state: dict[str, Any]) -> "Design":
        """Rebuild a fitted design from ``to_dict``'s output (no data needed).

        Example
        -------
        >>> Design.from_dict({"formula": "~ 1", "factors": {}}).columns
        ['(Intercept)']
        """
        design = cls(state["formula"])
        design.factors_ = {spec: _Factor(f["kind"], f["var"], f["label"], list(f["levels"]), list(f["knots"]),
                                         (float(f["bounds"][0]), float(f["bounds"][1])), f["df"])
                           for spec, f in state["factors"].items()}
        design._codings()
        return design


def _product_fastest_first(parts: list[list[str]]) -> list[tuple[str, ...]]:
    return [tuple(reversed(combo)) for combo in product(*reversed(parts))]


def _frame(data: Any) -> pd.DataFrame:
    if isinstance(data, pd.DataFrame):
        return data
    if isinstance(data, dict):
        return pd.DataFrame(data)
    raise TypeError(f"covariates must be a pandas DataFrame (one row per document); got {type(data).__name__}")


def design_matrix(formula: str, data: pd.DataFrame) -> pd.DataFrame:
    """The design matrix of ``formula`` on ``data`` as a DataFrame with R's column names.

    Example
    -------
    >>> data = pd.DataFrame({"treatment": [0, 1, 0, 1], "party": ["D", "R", "R", "D"]})
    >>> design_matrix("~ treatment * party", data).columns.tolist()
    ['(Intercept)', 'treatment', 'partyR', 'treatment:partyR']
    """
    design = Design(formula).fit(data)
    return pd.DataFrame(design.transform(data), columns=design.columns, index=_frame(data).index)

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

This module parses formulas and builds matrices; what one factor learns and gives is in
``_factors.py``, the B-spline basis in :mod:`govsocial.topics.splines` (``spline_knots``
and ``spline_basis`` are importable from here as well).
"""

from __future__ import annotations

import re
from itertools import combinations, product
from typing import Any

import numpy as np
import pandas as pd

from ._factors import FACTOR, Factor, learn_factor
from .splines import spline_basis, spline_knots

__all__ = ["Design", "design_matrix", "spline_basis", "spline_knots"]


def _parse(formula: str) -> tuple[bool, list[tuple[str, ...]]]:
    """Intercept flag and the terms (tuples of factor specs), ordered as R orders them."""
    text = formula.strip()
    if "~" not in text:
        raise ValueError(f"formula {formula!r} has no '~'; write it as R does, e.g. '~ treatment + s(pid_rep)'")
    lhs, text = text.split("~", 1)
    if lhs.strip():
        raise ValueError(
            f"formula {formula!r} has a left-hand side; write only the covariates, e.g. '~ treatment + s(pid_rep)'"
        )
    body = text.replace(" ", "")
    if not body or re.search(r"^[+*:]|[+\-*:]$|[+\-*:]{2}", body):
        raise ValueError(
            f"formula {formula!r} is incomplete (an operator without a term beside it); e.g. '~ treatment + s(pid_rep)'"
        )
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
            raise TypeError(
                f"formula must be a string such as '~ treatment + s(pid_rep)'; got {type(formula).__name__}"
            )
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
        self.factors_ = {spec: learn_factor(spec, data) for spec in specs}
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
                m = FACTOR.match(spec)
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
        return {
            "formula": self.formula,
            "factors": {
                spec: {
                    "kind": f.kind,
                    "var": f.var,
                    "label": f.label,
                    "levels": list(f.levels),
                    "knots": list(f.knots),
                    "bounds": list(f.bounds),
                    "df": f.df,
                }
                for spec, f in self.factors_.items()
            },
        }

    @classmethod
    def from_dict(cls, state: dict[str, Any]) -> "Design":
        """Rebuild a fitted design from ``to_dict``'s output (no data needed).

        Example
        -------
        >>> Design.from_dict({"formula": "~ 1", "factors": {}}).columns
        ['(Intercept)']
        """
        design = cls(state["formula"])
        design.factors_ = {
            spec: Factor(
                f["kind"],
                f["var"],
                f["label"],
                list(f["levels"]),
                list(f["knots"]),
                (float(f["bounds"][0]), float(f["bounds"][1])),
                f["df"],
            )
            for spec, f in state["factors"].items()
        }
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

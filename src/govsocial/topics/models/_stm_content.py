"""The STM's content covariate: which column it is, its levels ("aspects"), and each document's level.

stm takes one categorical variable (``content = ~ rating``) and codes it as R's ``as.factor``
does. Here the same rule as in :mod:`govsocial.topics.formula` decides what is categorical:
strings, pandas ``category`` and ``bool`` columns, or a numeric column wrapped in ``C()``;
a plain numeric column is refused rather than given one level per distinct number.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["content_variable", "learn_aspects", "aspect_index"]

_NAME = r"[A-Za-z_.][A-Za-z0-9_.]*"
_CONTENT = re.compile(rf"^\s*(?:~\s*)?(?:(?P<var>{_NAME})|C\(\s*(?P<forced>{_NAME})\s*\))\s*$")


def content_variable(content: str) -> tuple[str, bool]:
    """The column a ``content`` specification names, and whether ``C()`` makes it categorical.

    Example
    -------
    >>> content_variable("~ rating"), content_variable("blog"), content_variable("~ C(year)")
    (('rating', False), ('blog', False), ('year', True))
    """
    match = _CONTENT.match(content)
    if match is None:
        raise ValueError(
            f"content={content!r}: a content covariate is one categorical variable, as in stm: write "
            "content='~ rating' or content='rating' (C(x) makes a numeric column categorical); "
            "interactions, splines and several variables are not supported"
        )
    return (match["var"] or match["forced"]), match["forced"] is not None


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    if name not in frame.columns:
        raise ValueError(
            f"the content covariate {name!r} is not a column of covariates (columns: {list(frame.columns)[:10]})"
        )
    column = frame[name]
    missing = np.flatnonzero(column.isna().to_numpy())
    if len(missing):
        raise ValueError(
            f"the content covariate {name!r} is missing in {len(missing)} documents (first: row {missing[0]}); "
            "fill the values or drop those documents before fitting"
        )
    return column


def learn_aspects(covariates: Any, content: str) -> tuple[str, list[str], np.ndarray]:
    """The content column's name, its levels (as strings, in R's factor order) and each row's level index.

    Example
    -------
    >>> learn_aspects(pd.DataFrame({"r": ["lib", "con", "lib"]}), "~ r")
    ('r', ['con', 'lib'], array([1, 0, 1]))
    """
    name, forced = content_variable(content)
    if not isinstance(covariates, (pd.DataFrame, dict)):
        raise ValueError(
            f"content={content!r} needs the covariates as a pandas DataFrame with a column {name!r}; "
            f"got {type(covariates).__name__}"
        )
    column = _column(pd.DataFrame(covariates), name)
    dtype = column.dtype
    categorical = isinstance(dtype, pd.CategoricalDtype)
    if not (forced or categorical or pd.api.types.is_bool_dtype(dtype) or not pd.api.types.is_numeric_dtype(dtype)):
        raise ValueError(
            f"the content covariate {name!r} is numeric ({dtype}, {column.nunique()} distinct values); content "
            f"needs a categorical variable (strings, category or bool): write content='~ C({name})' to treat "
            "each value as a level, or bin it first"
        )
    if categorical:
        observed = set(column.astype(object))
        values = [v for v in dtype.categories if v in observed]
    else:
        values = sorted(column.unique().tolist(), key=lambda v: (str(type(v)), v))
    levels = [str(v) for v in values]
    if len(levels) < 2:
        raise ValueError(
            f"the content covariate {name!r} has one level ({levels[0]!r}); it needs at least two, "
            "or leave content=None"
        )
    if len(set(levels)) != len(levels):
        raise ValueError(f"the content covariate {name!r} has levels that read the same as text: {levels}")
    lookup = {level: a for a, level in enumerate(levels)}
    return name, levels, column.astype(str).map(lookup).to_numpy(dtype=np.int64)


def aspect_index(covariates: Any, name: str, levels: list[str]) -> np.ndarray:
    """Each row's level index for a fitted content covariate; an unseen level is an error.

    Example
    -------
    >>> aspect_index(pd.DataFrame({"r": ["con", "lib"]}), "r", ["con", "lib"]).tolist()
    [0, 1]
    """
    if not isinstance(covariates, (pd.DataFrame, dict)):
        raise ValueError(
            f"this STM has a content covariate: pass covariates=frame with the column {name!r} (one row per "
            "document), so each document gets its level's topic-word distributions"
        )
    column = _column(pd.DataFrame(covariates), name).astype(str)
    unseen = sorted(set(column) - set(levels))
    if unseen:
        raise ValueError(
            f"the content covariate {name!r} has level {unseen[0]!r}, not seen in fitting (levels: {levels})"
        )
    lookup = {level: a for a, level in enumerate(levels)}
    return column.map(lookup).to_numpy(dtype=np.int64)

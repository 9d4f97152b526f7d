"""The STM's covariates: rows matched to documents, the prevalence design, and the content
covariate — which column it is, its levels ("aspects"), and each document's level.

For content, stm takes one categorical variable (``content = ~ rating``) and codes it as R's ``as.factor``
does. Here the same rule as in :mod:`govsocial.topics.formula` decides what is categorical:
strings, pandas ``category`` and ``bool`` columns, or a numeric column wrapped in ``C()``;
a plain numeric column is refused rather than given one level per distinct number.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from ...text.dtm import DocTermMatrix
from ..formula import Design

__all__ = [
    "align_covariates",
    "prevalence_design",
    "content_aspects",
    "doc_betas",
    "content_variable",
    "learn_aspects",
    "aspect_index",
]

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


def align_covariates(covariates: Any, X: Any, n_docs: int) -> Any:
    """The covariate rows in the order of the documents.

    A DataFrame is matched to a DocTermMatrix by ``post_id`` (a column, or an index that is
    not the default range) when it holds every post; otherwise rows are taken in order and
    the counts must agree.

    Example
    -------
    >>> import scipy.sparse as sp
    >>> frame = pd.DataFrame({"x": [1, 2]}, index=["b", "a"])
    >>> dtm = DocTermMatrix(sp.csr_matrix(np.eye(2, dtype=int)), np.array(["a", "b"]), pd.DataFrame({"term": ["u", "v"]}))
    >>> align_covariates(frame, dtm, 2)["x"].tolist()
    [2, 1]
    """
    by_id = isinstance(covariates, pd.DataFrame) and (
        "post_id" in covariates.columns or not isinstance(covariates.index, pd.RangeIndex)
    )
    if by_id and isinstance(X, DocTermMatrix):
        ids = covariates["post_id"] if "post_id" in covariates.columns else covariates.index.to_series()
        ids = pd.Index(ids.astype(str))
        wanted = pd.Index(X.post_ids.astype(str))
        if ids.is_unique and wanted.isin(ids).all():
            return covariates.iloc[ids.get_indexer(wanted)].reset_index(drop=True)
    n_rows = covariates.shape[0] if hasattr(covariates, "shape") else len(covariates)
    if n_rows != n_docs:
        raise ValueError(
            f"covariates has {n_rows} rows but there are {n_docs} documents; give one row per document, "
            "in the same order (or, with a DocTermMatrix, indexed by post_id)"
        )
    return covariates.reset_index(drop=True) if isinstance(covariates, pd.DataFrame) else covariates


def _intercept_only(matrix: np.ndarray) -> np.ndarray | None:
    return None if matrix.shape[1] == 1 and np.allclose(matrix, 1.0) else np.ascontiguousarray(matrix)


def prevalence_design(model: Any, covariates: Any, X: Any, n_docs: int) -> np.ndarray | None:
    """An STM's prevalence design matrix from the training covariates (None: intercept only);
    sets ``model.design_state_`` and ``model.covariate_names_``.

    Example
    -------
    >>> from govsocial.topics.models import STM
    >>> m = STM(prevalence="~ x")
    >>> prevalence_design(m, pd.DataFrame({"x": [0.0, 1.0, 2.0]}), None, 3).tolist(), m.covariate_names_
    ([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]], ['(Intercept)', 'x'])
    """
    model.design_state_ = None
    if model.prevalence is not None:
        if covariates is None:
            raise ValueError(
                f"prevalence={model.prevalence!r} needs the covariates: fit(X, covariates=frame) with "
                "one row per document"
            )
        if not isinstance(covariates, (pd.DataFrame, dict)):
            raise ValueError(
                "with a prevalence formula, covariates must be a pandas DataFrame with the "
                f"formula's columns; got {type(covariates).__name__}"
            )
        frame = align_covariates(pd.DataFrame(covariates), X, n_docs)
        design = Design(model.prevalence).fit(frame)
        model.design_state_ = design.to_dict()
        model.covariate_names_ = design.columns
        return _intercept_only(design.transform(frame))
    if covariates is None or (model.content is not None and isinstance(covariates, (pd.DataFrame, dict))):
        model.covariate_names_ = ["(Intercept)"]  # a frame for the content covariate only
        return None
    if isinstance(covariates, pd.DataFrame):
        raise ValueError(
            "covariates is a DataFrame but no prevalence formula was given; set prevalence, e.g. "
            "STM(prevalence='~ treatment + s(pid_rep)'), or pass a numeric design matrix (array)"
        )
    matrix = np.asarray(align_covariates(np.asarray(covariates, dtype=np.float64), X, n_docs), dtype=np.float64)
    if matrix.ndim != 2 or not np.all(np.isfinite(matrix)):
        raise ValueError(f"a covariate matrix must be 2-D (documents × columns) and finite; got shape {matrix.shape}")
    if not np.allclose(matrix[:, 0], 1.0):
        matrix = np.column_stack([np.ones(n_docs), matrix])
        model.covariate_names_ = ["(Intercept)"] + [f"x{j + 1}" for j in range(matrix.shape[1] - 1)]
    else:
        model.covariate_names_ = ["(Intercept)"] + [f"x{j}" for j in range(1, matrix.shape[1])]
    return _intercept_only(matrix)


def content_aspects(model: Any, covariates: Any, X: Any, n_docs: int) -> np.ndarray | None:
    """Learn an STM's content covariate from the training covariates: each document's level
    index (None without content); sets ``aspect_levels_`` and ``content_variable_`` and clears
    the content parts of an earlier fit.

    Example
    -------
    >>> from govsocial.topics.models import STM
    >>> m = STM(content="side")
    >>> content_aspects(m, pd.DataFrame({"side": ["b", "a", "b"]}), None, 3).tolist(), m.aspect_levels_
    ([1, 0, 1], ['a', 'b'])
    """
    for name in model._optional_arrays:
        setattr(model, name, None)
    model.aspect_levels_ = model.content_variable_ = None
    if model.content is None:
        return None
    name = content_variable(model.content)[0]
    if not isinstance(covariates, (pd.DataFrame, dict)):
        raise ValueError(
            f"content={model.content!r} needs the covariates: fit(X, covariates=frame), a DataFrame with "
            f"the column {name!r} and one row per document"
            + ("" if covariates is None else f"; got {type(covariates).__name__}")
        )
    frame = align_covariates(pd.DataFrame(covariates), X, n_docs)
    model.content_variable_, model.aspect_levels_, index = learn_aspects(frame, model.content)
    return index


def doc_betas(model: Any, covariates: Any, X: Any, n_docs: int) -> tuple[np.ndarray, np.ndarray]:
    """For a fitted STM, the E-step's transposed β per level (A, V, K; A = 1 without content) and
    each document's level index (from ``covariates`` when the model has a content covariate).

    Example
    -------
    >>> import scipy.sparse as sp
    >>> from govsocial.topics.models import STM
    >>> m = STM(2).fit(sp.csr_matrix(np.array([[3, 1, 0], [0, 1, 3], [2, 2, 1], [1, 0, 2]])))
    >>> [a.shape for a in doc_betas(m, None, None, 4)]
    [(1, 3, 2), (4,)]
    """
    levels = getattr(model, "aspect_levels_", None)
    if levels is None:
        return np.ascontiguousarray(np.asarray(model.components_).T)[None], np.zeros(n_docs, dtype=np.int64)
    betas = np.asarray(model.aspect_components_)
    if betas.shape[0] != len(levels):  # a damaged or hand-edited model: never index past the levels
        raise ValueError(
            f"the model has {len(levels)} content levels but aspect_components_ holds {betas.shape[0]}; "
            "fit or save the model again"
        )
    frame = None if covariates is None else align_covariates(pd.DataFrame(covariates), X, n_docs)
    aspect = aspect_index(frame, str(model.content_variable_), list(levels))
    return np.ascontiguousarray(betas.transpose(0, 2, 1)), aspect

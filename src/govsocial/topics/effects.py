"""How topic prevalence depends on covariates: stm's method of composition (``estimateEffect``).

For each of ``n_sims`` draws of the documents' topic proportions from the model's
posterior (:func:`govsocial.topics.posterior.theta_draws`), every topic's proportions are
regressed on the design matrix of ``formula`` by OLS, giving :math:`\\hat b_s` and
:math:`V_s = \\hat\\sigma_s^2 (X^\\top X)^{-1}` (or a cluster-robust :math:`V_s`). The
draws are combined as stm's ``summary.estimateEffect`` combines them — it pools
normal draws around each :math:`\\hat b_s` — here in closed form: the estimate is
:math:`\\bar b = \\frac1S\\sum_s \\hat b_s` and its covariance the mixture's,
:math:`\\frac1S\\sum_s V_s + \\frac1S\\sum_s(\\hat b_s-\\bar b)(\\hat b_s-\\bar b)^\\top`.
Tests and intervals use Student's t with N − P degrees of freedom (G − 1 with G
clusters), as stm's summary does.

:func:`effect_at` gives expected topic proportions at chosen covariate values (other
covariates at their median, or their most common level, as stm's plots set them) and
:func:`difference` a contrast between two settings, both with intervals, for plots.
"""

from __future__ import annotations

import itertools
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .formula import Design
from .models.stm import align_covariates
from .posterior import UNCERTAINTY, theta_draws

__all__ = ["estimate_effect", "effect_at", "difference", "EffectFit"]

_ATTR = "govsocial_effects"


@dataclass
class EffectFit:
    """What ``effect_at`` and ``difference`` need from ``estimate_effect`` (kept in the table's ``attrs``).

    Example
    -------
    >>> fit = EffectFit({"formula": "~ 1", "factors": {}}, [0], ["(Intercept)"], np.array([[0.4]]),
    ...                 np.array([[[0.01]]]), 99, 0.95)
    >>> _table(fit)[["topic", "term", "estimate", "se"]].values.tolist()
    [[0, '(Intercept)', 0.4, 0.1]]
    """

    design: dict[str, Any]
    topics: list[int]
    terms: list[str]
    coef: np.ndarray  # topics × terms
    vcov: np.ndarray  # topics × terms × terms
    df: int
    level: float
    reference: dict[str, Any] = field(default_factory=dict)
    n: int = 0  # documents regressed


def _ols(X: np.ndarray, Y: np.ndarray, cluster: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Coefficients (topics × P) and covariances (topics × P × P) of OLS of each column of Y on X."""
    n, p = X.shape
    XtX_inv = np.linalg.inv(X.T @ X)
    coef = (XtX_inv @ (X.T @ Y)).T
    resid = Y - X @ coef.T
    if cluster is None:
        s2 = (resid**2).sum(axis=0) / (n - p)
        return coef, s2[:, None, None] * XtX_inv[None]
    groups, codes = np.unique(cluster, return_inverse=True)
    G = len(groups)
    vcov = np.empty((Y.shape[1], p, p))
    for k in range(Y.shape[1]):
        scores = np.zeros((G, p))
        np.add.at(scores, codes, X * resid[:, k : k + 1])
        meat = scores.T @ scores
        vcov[k] = XtX_inv @ meat @ XtX_inv * (G / (G - 1)) * ((n - 1) / (n - p))
    return coef, vcov


def _reference(frame: pd.DataFrame, variables: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for var in variables:
        values = frame[var]
        if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            out[var] = float(values.median())
        else:
            out[var] = values.astype(object).value_counts(sort=True).index[0]
    return out


def _table(fit: EffectFit) -> pd.DataFrame:
    se = np.sqrt(np.einsum("kii->ki", fit.vcov))
    crit = stats.t.ppf(0.5 + fit.level / 2, fit.df)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = 2 * stats.t.sf(np.abs(fit.coef / se), fit.df)
    rows = [
        {
            "topic": topic,
            "term": term,
            "estimate": fit.coef[i, j],
            "se": se[i, j],
            "low": fit.coef[i, j] - crit * se[i, j],
            "high": fit.coef[i, j] + crit * se[i, j],
            "level": fit.level,
            "p_value": p[i, j],
            "n": fit.n,
        }
        for i, topic in enumerate(fit.topics)
        for j, term in enumerate(fit.terms)
    ]
    return pd.DataFrame(rows, columns=["topic", "term", "estimate", "se", "low", "high", "level", "p_value", "n"])


def estimate_effect(
    model: Any,
    covariates: pd.DataFrame,
    formula: str,
    *,
    uncertainty: str = "global",
    n_sims: int = 25,
    random_state: int | np.random.Generator | None = None,
    cluster: Any = None,
    topics: Any = None,
    dtm: Any = None,
    level: float = 0.95,
) -> pd.DataFrame:
    """Regress topic proportions on covariates by the method of composition: a tidy table of effects.

    Parameters
    ----------
    model: a fitted govsocial topic model (STM, LDA, DMM, CovariateDMM, NMF, the seeded models).
    covariates: one row per training document (aligned by ``post_id`` with a DocTermMatrix ``dtm``).
    formula: right-hand side such as ``"~ treatment + s(pid_rep)"`` (:mod:`govsocial.topics.formula`).
    uncertainty: ``"global"``, ``"local"`` or ``"none"`` (see :mod:`govsocial.topics.posterior`).
    n_sims: posterior draws (stm's ``nsims``, 25); 1 with ``"none"``.
    cluster: a column name of ``covariates`` or an array: cluster-robust (CR1) standard errors
        by, e.g., account.
    topics: topic indices to include (default all).
    dtm: the training documents; needed for LDA, DMM, CovariateDMM and NMF draws and for STM ``"local"``.
    level: confidence level of ``low``/``high``.

    Returns a DataFrame ``topic, term, estimate, se, low, high, level, p_value, n``; its
    ``attrs`` keep what :func:`effect_at` and :func:`difference` need.

    Example
    -------
    >>> import scipy.sparse as sp
    >>> from govsocial.topics.models import STM
    >>> rng = np.random.default_rng(0)
    >>> group = np.repeat([0, 1], 30)
    >>> words = np.where(group[:, None] == 0, [4, 3, 0, 0, 1], [0, 1, 3, 4, 1])
    >>> X = sp.csr_matrix(rng.poisson(words))
    >>> X = X[np.asarray(X.sum(axis=1)).ravel() > 0]
    >>> frame = pd.DataFrame({"group": group[:X.shape[0]]})
    >>> model = STM(n_components=2, prevalence="~ group").fit(X, covariates=frame)
    >>> table = estimate_effect(model, frame, "~ group", random_state=0)
    >>> list(table.columns)
    ['topic', 'term', 'estimate', 'se', 'low', 'high', 'level', 'p_value', 'n']
    >>> bool((table.query("term == 'group'")["p_value"] < 0.05).all())
    True
    """
    if uncertainty not in UNCERTAINTY:
        raise ValueError(f"uncertainty must be one of {UNCERTAINTY}; got {uncertainty!r}")
    if not 0 < level < 1:
        raise ValueError(f"level must be a float in (0, 1); got {level!r}")
    draws = theta_draws(
        model, 1 if uncertainty == "none" else n_sims, uncertainty=uncertainty, dtm=dtm, random_state=random_state
    )
    n_docs, K = draws.shape[1:]
    frame = align_covariates(pd.DataFrame(covariates), dtm, n_docs)
    design = Design(formula).fit(frame)
    X = design.transform(frame)
    clusters = _clusters(cluster, frame, n_docs)
    if np.linalg.matrix_rank(X) < X.shape[1]:
        warnings.warn(
            f"the covariate matrix is singular: {_dependent_columns(X, design.columns)} are linear combinations "
            "of the columns before them (two variables that code the same thing, a level never observed, a "
            "spline with too many degrees of freedom for the data?); adding a ridge prior of 1e-5 as stm does",
            RuntimeWarning,
            stacklevel=2,
        )
        X = np.vstack([X, np.sqrt(1e-5) * np.eye(X.shape[1])])
        draws = np.concatenate([draws, np.zeros((draws.shape[0], X.shape[1], K))], axis=1)
        clusters = None if clusters is None else np.concatenate([clusters, -1 - np.arange(X.shape[1])])
    chosen = list(range(K)) if topics is None else [int(k) for k in np.atleast_1d(topics)]
    if any(not 0 <= k < K for k in chosen):
        raise ValueError(f"topics must be topic indices in [0, {K - 1}]; got {topics!r}")
    fits = [_ols(X, draws[s][:, chosen], clusters) for s in range(draws.shape[0])]
    coefs = np.stack([c for c, _ in fits])
    coef = coefs.mean(axis=0)
    spread = coefs - coef[None]
    vcov = np.mean([v for _, v in fits], axis=0) + np.einsum("ski,skj->kij", spread, spread) / len(fits)
    df = (len(np.unique(clusters)) - 1) if clusters is not None else n_docs - X.shape[1]
    fit = EffectFit(
        design.to_dict(),
        chosen,
        design.columns,
        coef,
        vcov,
        int(df),
        float(level),
        _reference(frame, design.variables),
        n=int(n_docs),
    )
    table = _table(fit)
    table.attrs[_ATTR] = fit
    return table


def _dependent_columns(X: np.ndarray, names: list[str]) -> list[str]:
    """The columns of ``X`` that add no rank to the columns before them, by name.

    Example
    -------
    >>> _dependent_columns(np.array([[1.0, 1, 0], [1, 0, 1], [1, 1, 0]]), ["(Intercept)", "a", "b"])
    ['b']
    """
    kept: list[int] = []
    out = []
    for j in range(X.shape[1]):
        if np.linalg.matrix_rank(X[:, kept + [j]]) > len(kept):
            kept.append(j)
        else:
            out.append(names[j])
    return out


def _clusters(cluster: Any, frame: pd.DataFrame, n_docs: int) -> np.ndarray | None:
    if cluster is None:
        return None
    if isinstance(cluster, str):
        if cluster not in frame.columns:
            raise ValueError(
                f"cluster={cluster!r} is not a column of the covariates; name a column (e.g. the account) "
                "or pass an array with one cluster per document"
            )
        values = frame[cluster].to_numpy()
    else:
        values = np.asarray(cluster)
    if len(values) != n_docs:
        raise ValueError(f"cluster has {len(values)} values but there are {n_docs} documents")
    codes = pd.factorize(pd.Series(values).astype(str))[0]
    if codes.max() < 1:
        raise ValueError("cluster-robust standard errors need at least two clusters")
    return codes


def _fit_of(effects: pd.DataFrame) -> EffectFit:
    fit = getattr(effects, "attrs", {}).get(_ATTR)
    if not isinstance(fit, EffectFit):
        raise ValueError(
            "effects must be the table returned by estimate_effect (its attrs hold the fitted "
            "regressions; re-run estimate_effect if it was rebuilt or read from a file)"
        )
    return fit


def _grid(fit: EffectFit, values: dict[str, Any]) -> pd.DataFrame:
    unknown = sorted(set(values) - set(fit.reference))
    if unknown:
        raise ValueError(f"values names {unknown}, which the formula does not use; it uses {sorted(fit.reference)}")
    names = list(values)
    combos = itertools.product(*[list(np.atleast_1d(np.asarray(values[n], dtype=object))) for n in names])
    rows = [{**fit.reference, **dict(zip(names, combo))} for combo in combos]
    return pd.DataFrame(rows, columns=list(fit.reference))


def _predict(fit: EffectFit, grid: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    Xg = Design.from_dict(fit.design).transform(grid)
    est = np.einsum("gp,kp->kg", Xg, fit.coef)
    se = np.sqrt(np.einsum("gp,kpq,gq->kg", Xg, fit.vcov, Xg))
    return est, se


def effect_at(effects: pd.DataFrame, values: dict[str, Any], *, level: float | None = None) -> pd.DataFrame:
    """Expected topic proportions at covariate values, with intervals (stm's "pointestimate").

    ``values`` maps covariates to a value or a list of values (every combination is
    evaluated); the other covariates stay at their median (numbers) or most common level.
    Returns ``topic``, the covariates, ``estimate, se, low, high, level, n``.

    Example
    -------
    >>> rng = np.random.default_rng(1)
    >>> frame = pd.DataFrame({"x": rng.integers(0, 2, 400)})
    >>> from govsocial.topics.models import NMF
    >>> import scipy.sparse as sp
    >>> X = sp.csr_matrix(rng.poisson(np.where(frame[["x"]].to_numpy() == 1, [3, 3, 0.2, 0.2], [0.2, 0.2, 3, 3])))
    >>> keep = np.asarray(X.sum(axis=1)).ravel() > 0
    >>> model = NMF(n_components=2, random_state=0).fit(X[keep])
    >>> eff = estimate_effect(model, frame[keep], "~ x", uncertainty="none", dtm=X[keep])
    >>> at = effect_at(eff, {"x": [0, 1]})
    >>> at.shape, bool(np.allclose(at.groupby("x")["estimate"].sum(), 1.0))
    ((4, 8), True)
    """
    fit = _fit_of(effects)
    level = fit.level if level is None else float(level)
    grid = _grid(fit, values)
    est, se = _predict(fit, grid)
    crit = stats.t.ppf(0.5 + level / 2, fit.df)
    shown = list(values)
    rows = [
        {
            "topic": topic,
            **{n: grid.iloc[g][n] for n in shown},
            "estimate": est[i, g],
            "se": se[i, g],
            "low": est[i, g] - crit * se[i, g],
            "high": est[i, g] + crit * se[i, g],
            "level": level,
            "n": fit.n,
        }
        for i, topic in enumerate(fit.topics)
        for g in range(len(grid))
    ]
    return pd.DataFrame(rows, columns=["topic", *shown, "estimate", "se", "low", "high", "level", "n"])


def difference(
    effects: pd.DataFrame,
    variable: str,
    value1: Any,
    value2: Any,
    *,
    at: dict[str, Any] | None = None,
    level: float | None = None,
) -> pd.DataFrame:
    """The contrast in expected topic proportion between ``variable = value1`` and ``= value2`` (stm's "difference").

    Other covariates stay at ``at`` or at their median / most common level. Returns
    ``topic, contrast, estimate, se, low, high, level, p_value, n``.

    Example
    -------
    >>> rng = np.random.default_rng(2)
    >>> frame = pd.DataFrame({"x": rng.integers(0, 2, 400)})
    >>> from govsocial.topics.models import NMF
    >>> import scipy.sparse as sp
    >>> X = sp.csr_matrix(rng.poisson(np.where(frame[["x"]].to_numpy() == 1, [3, 3, 0.2, 0.2], [0.2, 0.2, 3, 3])))
    >>> keep = np.asarray(X.sum(axis=1)).ravel() > 0
    >>> eff = estimate_effect(NMF(n_components=2, random_state=0).fit(X[keep]), frame[keep], "~ x",
    ...                       uncertainty="none", dtm=X[keep])
    >>> d = difference(eff, "x", 1, 0)
    >>> bool(np.isclose(d["estimate"].sum(), 0.0)), bool((d["p_value"] < 0.05).all())
    (True, True)
    """
    fit = _fit_of(effects)
    level = fit.level if level is None else float(level)
    base = dict(at or {})
    grid = pd.concat(
        [_grid(fit, {**base, variable: [value1]}), _grid(fit, {**base, variable: [value2]})], ignore_index=True
    )
    Xg = Design.from_dict(fit.design).transform(grid)
    c = Xg[0] - Xg[1]
    est = fit.coef @ c
    se = np.sqrt(np.einsum("p,kpq,q->k", c, fit.vcov, c))
    crit = stats.t.ppf(0.5 + level / 2, fit.df)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = 2 * stats.t.sf(np.abs(est / se), fit.df)
    return pd.DataFrame(
        {
            "topic": fit.topics,
            "contrast": f"{variable}={value1} - {variable}={value2}",
            "estimate": est,
            "se": se,
            "low": est - crit * se,
            "high": est + crit * se,
            "level": level,
            "p_value": p,
            "n": fit.n,
        }
    )

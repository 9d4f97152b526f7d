"""CovariateDMM: planted prevalence effects recovered with honest intervals; its Pólya-Gamma
draws against the exact series; the scikit-learn face."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from scipy import stats
from scipy.optimize import linear_sum_assignment
from sklearn.base import clone

import govsocial as gs
from govsocial.topics.models.cdmm import pg_moments, polya_gamma


def test_polya_gamma_draws_match_the_exact_series() -> None:
    """Against draws of the series itself with 5,000 exact terms (an independent sampler)."""
    rng = np.random.default_rng(0)
    for c in (0.0, 1.5, 6.0):
        ours = polya_gamma(np.full(20000, c), rng)
        k = np.arange(1, 5001) - 0.5
        weights = 1.0 / (k**2 + c**2 / (4 * np.pi**2)) / (2 * np.pi**2)
        exact = np.concatenate([rng.standard_exponential((2000, 5000)) @ weights for _ in range(5)])
        assert stats.ks_2samp(ours, exact).pvalue > 0.01
        mean, var = pg_moments(np.array(c))
        assert np.isclose(mean, weights.sum(), rtol=1e-3) and np.isclose(var, (weights**2).sum(), rtol=1e-3)


def _planted(
    rng: np.random.Generator, n: int = 1500, K: int = 4, V: int = 200
) -> tuple[sp.csr_matrix, pd.DataFrame, np.ndarray, np.ndarray, np.ndarray]:
    gov = rng.integers(0, 2, n)
    month = rng.integers(1, 13, n)
    design = np.column_stack([np.ones(n), gov, (month - 6.5) / 3.5])
    coef = np.array([[0.4, 0.3, -0.2, 0.0], [1.0, -0.8, 0.1, 0.0], [0.0, 0.6, -0.5, 0.0]])  # columns × topics
    eta = design @ coef
    pi = np.exp(eta) / np.exp(eta).sum(axis=1, keepdims=True)
    z = (rng.random((n, 1)) > np.cumsum(pi, axis=1)).sum(axis=1)
    phi = rng.dirichlet(np.full(V, 0.05), K)
    X = sp.csr_matrix(np.array([rng.multinomial(length, phi[k]) for length, k in zip(rng.integers(6, 14, n), z)]))
    return X, pd.DataFrame({"gov": gov, "m": (month - 6.5) / 3.5}), coef, phi, z


@pytest.mark.slow
def test_planted_prevalence_effects_fall_inside_the_intervals() -> None:
    rng = np.random.default_rng(3)
    X, frame, coef, phi, z = _planted(rng)
    model = gs.CovariateDMM(n_components=4, prevalence="~ gov + m", n_iter=160, random_state=0)
    model.fit(X, covariates=frame)
    corr = np.corrcoef(np.vstack([phi, model.components_]))[:4, 4:]
    rows, cols = linear_sum_assignment(-corr)
    assert corr[rows, cols].min() > 0.95  # the topics are found
    grid = pd.DataFrame({"gov": [0, 1, 0, 0], "m": [0.0, 0.0, -5.5 / 3.5, 5.5 / 3.5]})
    draws = model.topic_probabilities(grid)  # draws × settings × topics
    design = np.column_stack([np.ones(4), grid["gov"], grid["m"]])
    truth = np.exp(design @ coef) / np.exp(design @ coef).sum(axis=1, keepdims=True)
    outside = 0
    for k, j in zip(rows, cols):
        for a, b in ((1, 0), (3, 2)):  # government − public; December − January
            low, high = np.percentile(draws[:, a, j] - draws[:, b, j], [2.5, 97.5])
            outside += not low <= truth[a, k] - truth[b, k] <= high
    assert outside <= 1  # of 8 planted effects
    gov_effect = draws[:, 1, cols[0]] - draws[:, 0, cols[0]]
    assert np.percentile(gov_effect, 2.5) > 0  # topic 0 gains among government posts, as planted


def test_estimator_face() -> None:
    rng = np.random.default_rng(1)
    X, frame, *_ = _planted(rng, n=200)
    model = gs.CovariateDMM(n_components=3, prevalence="~ gov", n_iter=20, random_state=5)
    a = model.fit(X, covariates=frame)
    b = clone(model).fit(X, covariates=frame)
    assert np.array_equal(a.labels_, b.labels_) and np.array_equal(a.coef_draws_, b.coef_draws_)
    assert a.coef_.shape == (3, 2) and np.all(a.coef_draws_[:, 2] == 0)  # the reference topic
    assert np.allclose(a.components_.sum(axis=1), 1.0)
    theta = a.transform(X, covariates=frame)
    assert theta.shape == (200, 3) and np.allclose(theta.sum(axis=1), 1.0)
    with pytest.raises(ValueError, match="covariates="):
        gs.CovariateDMM(n_components=2, prevalence="~ gov").fit(X)
    with pytest.raises(ValueError, match="n_components"):
        gs.CovariateDMM(n_components=1).fit(X)

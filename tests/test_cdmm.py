"""CovariateDMM: planted prevalence effects recovered with honest intervals; its Pólya-Gamma
draws against the exact series; the scikit-learn face."""

from __future__ import annotations

from typing import Any

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
    """Against draws of the series itself with 5,000 exact terms (an independent sampler); three
    two-sample KS tests at level 0.001 (a correct sampler fails one with probability 0.3 %)."""
    rng = np.random.default_rng(0)
    for c in (0.0, 1.5, 6.0):
        ours = polya_gamma(np.full(20000, c), rng)
        k = np.arange(1, 5001) - 0.5
        weights = 1.0 / (k**2 + c**2 / (4 * np.pi**2)) / (2 * np.pi**2)
        exact = np.concatenate([rng.standard_exponential((2000, 5000)) @ weights for _ in range(5)])
        assert stats.ks_2samp(ours, exact).pvalue > 0.001
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
    with pytest.raises(ValueError, match="coef_updates must be None or an int"):
        gs.CovariateDMM(coef_updates=0).fit(X)
    # one coefficient pass per sweep or one per post: both valid Gibbs scans, both keep the reference at 0
    for updates in (1, 200):
        fit = gs.CovariateDMM(n_components=3, prevalence="~ gov", n_iter=6, coef_updates=updates, random_state=5)
        assert np.all(fit.fit(X, covariates=frame).coef_draws_[:, 2] == 0)


def test_polya_gamma_with_shape_h_is_the_sum_of_h_draws() -> None:
    """PG(h, c) for h = 7 against sums of 7 independent PG(1, c) draws of the exact series."""
    rng = np.random.default_rng(2)
    k = np.arange(1, 3001) - 0.5
    for c in (0.5, 4.0):
        ours = polya_gamma(np.full(20000, c), rng, h=7.0)
        weights = 1.0 / (k**2 + c**2 / (4 * np.pi**2)) / (2 * np.pi**2)
        sums = np.concatenate([rng.standard_exponential((7 * 1000, 3000)) @ weights for _ in range(3)])
        assert stats.ks_2samp(ours, sums.reshape(-1, 7).sum(axis=1)).pvalue > 0.01


def _quadrature(log_post: Any, grid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Posterior mean and sd of two coefficients by brute force on a grid (independent of the sampler)."""
    a, b = np.meshgrid(grid, grid, indexing="ij")
    lp = log_post(a, b)
    w = np.exp(lp - lp.max())
    w /= w.sum()
    mean = np.array([(w * a).sum(), (w * b).sum()])
    sd = np.sqrt(np.array([(w * a**2).sum(), (w * b**2).sum()]) - mean**2)
    return mean, sd


@pytest.mark.parametrize(
    "case", ["logit with a covariate", "a continuous covariate, one post a row", "three topics, intercept only"]
)
def test_coefficient_draws_match_the_exact_posterior(case: str) -> None:
    """The Pólya-Gamma Gibbs pass, run alone with the topics held fixed, is a Markov chain whose
    stationary law is the coefficients' exact posterior: compare its draws' mean and sd with
    numerical integration of prior × multinomial-logit likelihood."""
    s = 2.0
    model = gs.CovariateDMM(prior_scale=s, pg_terms=20)
    if case != "three topics, intercept only":  # K = 2: b = (intercept, slope) of topic 0, topic 1 the reference
        if case == "logit with a covariate":
            rows, sizes = np.array([[1.0, 0.0], [1.0, 1.0]]), np.array([20, 30])
            hits = np.array([[14, 6], [9, 21]])
        else:  # 40 posts, each its own covariate row (PG(1, c) draws)
            x = np.linspace(-2, 2, 40)
            rows, sizes = np.column_stack([np.ones(40), x]), np.ones(40, dtype=int)
            first = (np.random.default_rng(5).random(40) < 1 / (1 + np.exp(-(0.3 + 1.2 * x)))).astype(int)
            hits = np.column_stack([first, 1 - first])

        def log_post(a: np.ndarray, b: np.ndarray) -> np.ndarray:
            out = -(a**2 + b**2) / (2 * s**2)
            for (x0, x1), n, (h0, _) in zip(rows, sizes, hits):
                eta = a * x0 + b * x1
                out = out + h0 * eta - n * np.logaddexp(0, eta)
            return out

        B = np.zeros((2, 2))
        pick = lambda B: B[:, 0]  # noqa: E731
    else:  # K = 3, intercept only: b_0, b_1, with b_2 = 0
        rows, sizes, hits = np.ones((1, 1)), np.array([40]), np.array([[5, 25, 10]])

        def log_post(a: np.ndarray, b: np.ndarray) -> np.ndarray:
            lse = np.logaddexp(np.logaddexp(a, b), 0)
            return -(a**2 + b**2) / (2 * s**2) + 5 * a + 25 * b - 40 * lse

        B = np.zeros((1, 3))
        pick = lambda B: B[0, :2]  # noqa: E731
    truth_mean, truth_sd = _quadrature(log_post, np.linspace(-8, 8, 801))
    rng = np.random.default_rng(0)
    draws = []
    for it in range(6000):
        B = model._coefficients(rows, sizes, hits, B, rng)
        if it >= 500:
            draws.append(pick(B).copy())
    draws = np.array(draws)
    assert np.allclose(draws.mean(axis=0), truth_mean, atol=0.06), (draws.mean(axis=0), truth_mean)
    assert np.allclose(draws.std(axis=0), truth_sd, rtol=0.08), (draws.std(axis=0), truth_sd)


def test_assignment_conditional_is_dmm_with_pi_in_place_of_m_plus_alpha() -> None:
    """The sweep's conditional (DMM's kernel, weighted) against the formula written out in numpy:
    p(z_d = k) ∝ π_dk · Π_w Π_j (n_kw + β + j − 1) / Π_i (n_k + Vβ + i − 1), both kernel forms,
    empty topics included."""
    from govsocial.topics.models._dmm_kernels import conditional_weighted, log_conditional_weighted

    rng = np.random.default_rng(4)
    K, V, beta = 5, 30, 0.1
    X = sp.csr_matrix(rng.poisson(0.3, (40, V)) + (np.arange(V) == 0))  # every post has a word, some repeated
    z = rng.integers(0, K - 1, 40)  # topic K − 1 empty
    weights = rng.dirichlet(np.ones(K), 3)
    group = rng.integers(0, 3, 40).astype(np.int64)
    args = (X.indptr.astype(np.int64), X.indices.astype(np.int64), X.data.astype(np.int64))
    doc_len = np.asarray(X.sum(axis=1)).ravel().astype(np.int64)
    dense = X.toarray()
    for d in range(6):
        keep = np.arange(40) != d
        n_kw = np.array([dense[keep & (z == k)].sum(axis=0) for k in range(K)], dtype=np.int64)
        n_k, m_k = n_kw.sum(axis=1), np.bincount(z[keep], minlength=K).astype(np.int64)
        expected = np.log(weights[group[d]]).copy()
        for k in range(K):
            for w in np.flatnonzero(dense[d]):
                expected[k] += np.log(n_kw[k, w] + beta + np.arange(dense[d, w])).sum()
            expected[k] -= np.log(n_k[k] + V * beta + np.arange(doc_len[d])).sum()
        expected = np.exp(expected - expected.max())
        expected /= expected.sum()
        logp, p = np.empty(K), np.empty(K)
        common = (d, *args, doc_len, m_k, n_k, n_kw, 0.0, beta, np.zeros((0, 0)), np.full(K, V * beta))
        log_conditional_weighted(*common, logp, weights, group)
        assert conditional_weighted(*common, np.zeros(K, dtype=bool), p, weights, group)
        np.testing.assert_allclose(np.exp(logp - logp.max()) / np.exp(logp - logp.max()).sum(), expected, rtol=1e-9)
        np.testing.assert_allclose(p / p.sum(), expected, rtol=1e-9)


@pytest.fixture(scope="module")
def planted_fit() -> tuple[gs.CovariateDMM, sp.csr_matrix, pd.DataFrame, np.ndarray, np.ndarray]:
    """1,500 planted posts (4 topics, ``~ gov + m``), fitted once; the model's topic matched to each planted one."""
    X, frame, _, phi, z = _planted(np.random.default_rng(3))
    model = gs.CovariateDMM(n_components=4, prevalence="~ gov + m", n_iter=80, random_state=0).fit(X, covariates=frame)
    corr = np.corrcoef(np.vstack([phi, model.components_]))[:4, 4:]
    rows, cols = linear_sum_assignment(-corr)
    assert corr[rows, cols].min() > 0.95
    return model, X, frame, z, cols


def test_save_and_load_keep_the_posterior(planted_fit: Any, tmp_path: Any) -> None:
    model, X, frame, *_ = planted_fit
    again = gs.load_model(model.save(tmp_path / "cdmm"))
    assert type(again) is gs.CovariateDMM and again.get_params() == model.get_params()
    grid = pd.DataFrame({"gov": [0, 1], "m": [0.0, 1.0]})
    np.testing.assert_array_equal(again.topic_probabilities(grid), model.topic_probabilities(grid))
    np.testing.assert_array_equal(again.transform(X, covariates=frame), model.transform(X, covariates=frame))
    a = again.posterior_draws(X, 3, np.random.default_rng(1))
    np.testing.assert_array_equal(a, model.posterior_draws(X, 3, np.random.default_rng(1)))
    assert again.covariate_names_ == ["(Intercept)", "gov", "m"]
    npz = tmp_path / "cdmm.npz"
    with np.load(npz) as archive:
        stored = {k: archive[k] for k in archive.files}
    np.savez_compressed(npz, **{**stored, "train_group_": stored["train_group_"] + len(stored["train_rows_"])})
    with pytest.raises(gs.InputError, match="row numbers outside") as caught:
        gs.load_model(tmp_path / "cdmm")
    assert caught.value.field == "train_group_"


def test_estimate_effect_recovers_the_planted_difference(planted_fit: Any) -> None:
    """OLS of the posterior topic draws on gov against the difference computed from the planted topics."""
    model, X, frame, z, cols = planted_fit
    table = gs.estimate_effect(model, frame, "~ gov", dtm=X, n_sims=25, random_state=0)
    gov = table[table["term"] == "gov"].set_index("topic")
    for k, j in enumerate(cols):
        truth = (z[frame["gov"] == 1] == k).mean() - (z[frame["gov"] == 0] == k).mean()
        assert gov.loc[j, "low"] <= truth <= gov.loc[j, "high"], (k, truth, gov.loc[j].tolist())
    none = gs.estimate_effect(model, frame, "~ gov", dtm=X, uncertainty="none")
    wider = (gov["high"] - gov["low"]) >= (
        none.query("term == 'gov'").set_index("topic")["high"] - none.query("term == 'gov'").set_index("topic")["low"]
    )
    assert wider.all()  # the draws add the topics' uncertainty
    with pytest.raises(ValueError, match="dtm="):
        gs.estimate_effect(model, frame, "~ gov")


def test_prevalence_takes_the_posterior_draws(planted_fit: Any) -> None:
    model, X, frame, z, cols = planted_fit
    ids = np.array([f"p{i}" for i in range(X.shape[0])])
    dtm = gs.DocTermMatrix(X, ids, pd.DataFrame({"term": [f"w{j}" for j in range(X.shape[1])]}))
    posts = pd.DataFrame({"post_id": ids, "account_type": np.where(frame["gov"] == 1, "government", "citizen")})
    table = gs.prevalence(
        model, posts, by="account_type", dtm=dtm, interval="posterior", n_sims=40, cluster=None, random_state=0
    )
    for k, j in enumerate(cols):
        for group, value in (("government", 1), ("citizen", 0)):
            row = table[(table["group"] == group) & (table["topic"] == j)].iloc[0]
            truth = (z[frame["gov"] == value] == k).mean()
            assert row["low"] <= row["estimate"] <= row["high"] and abs(row["estimate"] - truth) < 0.03, (
                k,
                group,
                truth,
                row.tolist(),
            )

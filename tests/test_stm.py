"""The structural topic model: its spline design, the fit, planted effects, determinism, persistence.

Independent answers: the B-spline basis against a Cox-de Boor recursion written here and
against stm's own design matrices (shared corpora); planted prevalence effects against
data simulated here from the STM's generative model; the EM step against stm's fit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from scipy.optimize import linear_sum_assignment
from sklearn.base import clone
from sklearn.utils.estimator_checks import parametrize_with_checks

import govsocial as gs
from govsocial.text.dtm import DocTermMatrix
from govsocial.topics.models import load_model

# ---------------------------------------------------------------------------------------- s()


def _cox_de_boor(x: float, t: list[float], j: int, k: int) -> float:
    """B-spline j of degree k on knots t at x, by the recursion (right end closed)."""
    if k == 0:
        if t[j] <= x < t[j + 1]:
            return 1.0
        return 1.0 if x == t[-1] and t[j] < t[j + 1] == t[-1] else 0.0
    out = 0.0
    if t[j + k] > t[j]:
        out += (x - t[j]) / (t[j + k] - t[j]) * _cox_de_boor(x, t, j, k - 1)
    if t[j + k + 1] > t[j + 1]:
        out += (t[j + k + 1] - x) / (t[j + k + 1] - t[j + 1]) * _cox_de_boor(x, t, j + 1, k - 1)
    return out


def test_s_builds_r_bs_basis_on_synthetic_data():
    rng = np.random.default_rng(3)
    x = np.round(rng.gamma(2.0, 3.0, size=300), 1)
    frame = pd.DataFrame({"x": x})
    design = gs.design_matrix("~ s(x)", frame)
    # df = min(10, unique - 1) = 10 columns; 7 interior knots at quantiles 1/8 .. 7/8 (R type 7)
    assert list(design.columns) == ["(Intercept)"] + [f"s(x){j}" for j in range(1, 11)]
    sorted_x = np.sort(x)
    knots = []
    for p in np.arange(1, 8) / 8:  # R's type-7 quantile, by hand
        h = (len(x) - 1) * p
        lo = int(np.floor(h))
        knots.append(sorted_x[lo] + (h - lo) * (sorted_x[min(lo + 1, len(x) - 1)] - sorted_x[lo]))
    t = [x.min()] * 4 + knots + [x.max()] * 4
    for i in rng.choice(len(x), 25, replace=False).tolist() + [int(np.argmax(x)), int(np.argmin(x))]:
        expected = [_cox_de_boor(x[i], t, j, 3) for j in range(1, 11)]  # the first basis function is dropped
        np.testing.assert_allclose(design.iloc[i, 1:].to_numpy(), expected, atol=1e-12)


def test_s_with_few_values_follows_stm():
    assert gs.design_matrix("~ s(x)", pd.DataFrame({"x": [1, 2, 3, 4, 5, 6, 7]})).shape == (7, 7)  # df = 6
    two = gs.design_matrix("~ s(x)", pd.DataFrame({"x": [5, 9, 5, 9]}))  # stm: as.numeric(as.factor(x))
    assert two["s(x)"].tolist() == [1.0, 2.0, 1.0, 2.0]
    with pytest.raises(ValueError, match="more than one value"):
        gs.design_matrix("~ s(x)", pd.DataFrame({"x": [3, 3, 3]}))


def test_formula_factors_interactions_and_new_rows():
    frame = pd.DataFrame({"party": ["R", "D", "I", "D"], "t": [0, 1, 1, 0], "x": [1.0, 2.0, 3.0, 4.0]})
    design = gs.Design("~ t * party + x").fit(frame)
    assert design.columns == ["(Intercept)", "t", "partyI", "partyR", "x", "t:partyI", "t:partyR"]
    X = design.transform(frame)
    np.testing.assert_array_equal(X[:, 5], (frame.t * (frame.party == "I")).to_numpy())
    again = gs.Design.from_dict(design.to_dict())
    np.testing.assert_array_equal(again.transform(frame.iloc[::-1]), X[::-1])
    with pytest.raises(ValueError, match="level 'G' was not seen"):
        design.transform(frame.assign(party=["G", "D", "I", "D"]))
    with pytest.raises(ValueError, match="not a column"):
        gs.design_matrix("~ y", frame)
    with pytest.raises(ValueError, match="missing in row 1"):
        gs.design_matrix("~ x", frame.assign(x=[1.0, None, 2.0, 3.0]))


def test_design_matrices_equal_stms(shared_corpora):
    stm = shared_corpora / "stm"
    docs = pd.read_csv(stm / "gadarian_docs.csv")
    expected = pd.read_csv(stm / "gadarian_prevalence_X.csv").drop(columns="doc_id")
    ours = gs.design_matrix("~ treatment + s(pid_rep)", docs)
    assert list(ours.columns) == list(expected.columns)
    np.testing.assert_allclose(ours.to_numpy(), expected.to_numpy(), atol=1e-12)
    blogs = pd.read_csv(stm / "poliblog5k_docs.csv.gz", usecols=["rating", "day"])
    expected = pd.read_csv(stm / "poliblog5k_prevalence_X.csv.gz").drop(columns="doc_id")
    ours = gs.design_matrix("~ rating + s(day)", blogs)
    assert list(ours.columns) == list(expected.columns)
    np.testing.assert_allclose(ours.to_numpy(), expected.to_numpy(), atol=1e-12)


# ---------------------------------------------------------------------------------------- the model


def simulate(n_docs=500, K=3, V=45, length=50, seed=0):
    """Documents from the STM's generative model with a binary covariate x shifting η."""
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 2, n_docs)
    gamma = np.array([[0.3, -0.2], [-1.0, 1.0]])[:, : K - 1]  # (intercept, x) × (K − 1)
    eta = np.column_stack([np.ones(n_docs), x]) @ gamma + rng.multivariate_normal(
        np.zeros(K - 1), 0.3 * np.eye(K - 1), n_docs
    )
    theta = np.exp(np.column_stack([eta, np.zeros(n_docs)]))
    theta /= theta.sum(axis=1, keepdims=True)
    beta = np.full((K, V), 0.2)
    for k in range(K):
        beta[k, k * (V // K) : (k + 1) * (V // K)] = 6.0
    beta /= beta.sum(axis=1, keepdims=True)
    rows = []
    for d in range(n_docs):
        n_dk = rng.multinomial(length, theta[d])
        rows.append(sum(rng.multinomial(n, beta[k]) for k, n in enumerate(n_dk)))
    counts = sp.csr_matrix(np.array(rows))
    truth = {"gamma": gamma, "beta": beta, "theta": theta}
    return counts, pd.DataFrame({"x": x}), truth


def true_difference(gamma, n=200_000, seed=1):
    """E[θ | x = 1] − E[θ | x = 0] under the generative model, by Monte Carlo."""
    rng = np.random.default_rng(seed)
    out = []
    for x in (1, 0):
        eta = np.array([1.0, x]) @ gamma + rng.multivariate_normal(np.zeros(gamma.shape[1]), 0.3 * np.eye(2), n)
        theta = np.exp(np.column_stack([eta, np.zeros(n)]))
        out.append((theta / theta.sum(axis=1, keepdims=True)).mean(axis=0))
    return out[0] - out[1]


@pytest.fixture(scope="module")
def planted():
    X, frame, truth = simulate()
    model = gs.STM(3, prevalence="~ x").fit(X, covariates=frame)
    return X, frame, truth, model


def _match(estimated, true):
    corr = np.corrcoef(estimated, true)[: len(estimated), len(estimated) :]
    rows, cols = linear_sum_assignment(-corr)
    return dict(zip(cols, rows)), corr[rows, cols]


def test_recovers_planted_topics_and_prevalence_effects(planted):
    X, frame, truth, model = planted
    order, corr = _match(model.components_, truth["beta"])
    assert corr.min() > 0.95
    theta_corr = [np.corrcoef(model.theta_[:, order[k]], truth["theta"][:, k])[0, 1] for k in range(3)]
    assert min(theta_corr) > 0.7
    effects = gs.estimate_effect(model, frame, "~ x", n_sims=25, random_state=0)
    diff = gs.difference(effects, "x", 1, 0).set_index("topic")
    planted_effect = true_difference(truth["gamma"])
    for k in range(3):
        row = diff.loc[order[k]]
        assert row["low"] <= planted_effect[k] <= row["high"], (k, planted_effect[k], row.to_dict())
        assert abs(planted_effect[k]) < 0.05 or row["p_value"] < 0.05  # the large effects are found


def test_bound_does_not_decrease(planted):
    bounds = planted[3].bound_history_
    assert len(bounds) >= 3 and planted[3].converged_
    assert np.all(np.diff(bounds) > -1e-7 * np.abs(bounds[1:]))
    assert bounds[-1] > bounds[0]


def test_transform_on_training_documents_recovers_theta(planted):
    X, frame, _, model = planted
    np.testing.assert_allclose(model.transform(X, covariates=frame), model.theta_, atol=0.02)
    # without covariates the prior is the average prior mean (stm's "Average"): close, not equal
    assert np.abs(model.transform(X) - model.theta_).mean() < 0.05


def test_same_data_same_fit_and_exact_round_trip(planted, tmp_path):
    X, frame, _, model = planted
    again = gs.STM(3, prevalence="~ x").fit(X, covariates=frame)
    np.testing.assert_array_equal(again.theta_, model.theta_)
    np.testing.assert_array_equal(again.components_, model.components_)
    path = model.save(tmp_path / "stm")
    loaded = load_model(path)
    for name in ("theta_", "eta_", "components_", "gamma_", "sigma_", "nu_mean_", "bound_history_"):
        np.testing.assert_array_equal(getattr(loaded, name), getattr(model, name))
    assert loaded.covariate_names_ == ["(Intercept)", "x"] and loaded.n_iter_ == model.n_iter_
    np.testing.assert_array_equal(
        loaded.transform(X[:20], covariates=frame[:20]), model.transform(X[:20], covariates=frame[:20])
    )


@pytest.mark.slow
def test_results_do_not_depend_on_threads():
    import numba

    X, frame, _ = simulate(n_docs=3000, V=150, length=60, seed=5)
    assert X.nnz * 9 > 1e6  # big enough for the parallel E-step
    before = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = gs.STM(3, prevalence="~ x", max_iter=15).fit(X, covariates=frame)
        numba.set_num_threads(max(2, before))
        two = gs.STM(3, prevalence="~ x", max_iter=15).fit(X, covariates=frame)
    finally:
        numba.set_num_threads(before)
    np.testing.assert_array_equal(one.theta_, two.theta_)
    np.testing.assert_array_equal(one.bound_history_, two.bound_history_)


def test_covariates_align_by_post_id():
    X, frame, _ = simulate(n_docs=120, seed=2)
    ids = np.array([f"p{i}" for i in range(X.shape[0])])
    dtm = DocTermMatrix(X, ids, pd.DataFrame({"term": [f"w{j}" for j in range(X.shape[1])]}))
    shuffled = frame.set_index(ids).sample(frac=1.0, random_state=0)
    a = gs.STM(3, prevalence="~ x", max_iter=20).fit(dtm, covariates=frame)
    b = gs.STM(3, prevalence="~ x", max_iter=20).fit(dtm, covariates=shuffled)
    np.testing.assert_array_equal(a.theta_, b.theta_)


def test_intercept_only_and_design_matrix_covariates():
    X, frame, _ = simulate(n_docs=150, seed=4)
    plain = gs.STM(3, max_iter=30).fit(X)
    assert plain.covariate_names_ == ["(Intercept)"] and plain.gamma_.shape == (0, 2)
    by_matrix = gs.STM(3, max_iter=30).fit(X, covariates=frame[["x"]].to_numpy())
    by_formula = gs.STM(3, prevalence="~ x", max_iter=30).fit(X, covariates=frame)
    np.testing.assert_allclose(by_matrix.theta_, by_formula.theta_, atol=1e-12)


@pytest.mark.parametrize(
    "params, fit_kwargs, match",
    [
        ({"n_components": 1}, {}, "n_components must be an int in \\[2"),
        ({"prevalence": "~ x"}, {}, "needs the covariates"),
        ({}, {"covariates": pd.DataFrame({"x": [0, 1]})}, "no prevalence formula"),
        ({"prevalence": "~ x"}, {"covariates": pd.DataFrame({"x": [0, 1, 1]})}, "3 rows but there are"),
        ({"init": "lda"}, {}, "init must be"),
        ({"sigma_prior": 2.0}, {}, "sigma_prior must be"),
        ({"prevalence": "y ~ x"}, {"covariates": pd.DataFrame({"x": range(8)})}, "left-hand side"),
        ({"prevalence": "~ x +"}, {"covariates": pd.DataFrame({"x": range(8)})}, "incomplete"),
        ({"prevalence": "x"}, {"covariates": pd.DataFrame({"x": range(8)})}, "has no '~'"),
    ],
)
def test_invalid_input_says_what_to_change(params, fit_kwargs, match):
    X = sp.csr_matrix(np.array([[3, 1, 0, 1], [0, 1, 3, 1], [2, 2, 1, 0], [1, 0, 2, 2]] * 2))
    with pytest.raises(ValueError, match=match):
        gs.STM(**{"n_components": 2, **params}).fit(X, **fit_kwargs)


def test_initialisations():
    X, frame, truth = simulate(n_docs=300, seed=6)
    exact = gs.STM(3, init="spectral_exact", max_iter=60).fit(X)
    assert _match(exact.components_, truth["beta"])[1].min() > 0.9
    custom = gs.STM(3, init=truth["beta"], max_iter=60).fit(X)
    assert _match(custom.components_, truth["beta"])[1].min() > 0.9
    rand = [gs.STM(3, init="random", random_state=9, max_iter=5).fit(X).components_ for _ in range(2)]
    np.testing.assert_array_equal(*rand)
    with pytest.raises(ValueError, match="shape"):
        gs.STM(3, init=truth["beta"][:, :5]).fit(X)


def test_clone_and_params():
    model = gs.STM(4, prevalence="~ a + s(b)", tol=1e-4, random_state=3)
    twin = clone(model)
    assert twin.get_params() == model.get_params() and twin is not model
    assert twin.set_params(n_components=6).n_components == 6


_EXPECTED = {
    name: "fits on random real-valued data; the STM models whole-number counts and refuses other data "
    "with a message naming the problem"
    for name in (
        "check_dict_unchanged",
        "check_dont_overwrite_parameters",
        "check_estimators_dtypes",
        "check_estimators_fit_returns_self",
        "check_estimators_nan_inf",
        "check_estimators_overwrite_params",
        "check_estimators_pickle",
        "check_f_contiguous_array_estimator",
        "check_fit2d_1feature",
        "check_fit2d_1sample",
        "check_fit2d_predict1d",
        "check_fit_check_is_fitted",
        "check_fit_idempotent",
        "check_fit_score_takes_y",
        "check_methods_sample_order_invariance",
        "check_methods_subset_invariance",
        "check_n_features_in",
        "check_n_features_in_after_fitting",
        "check_pipeline_consistency",
        "check_readonly_memmap_input",
        "check_transformer_data_not_an_array",
        "check_transformer_general",
        "check_transformer_preserve_dtypes",
        "check_dtype_object",
        "check_transformer_n_iter",
        "check_estimator_sparse_array",
        "check_estimator_sparse_matrix",
        "check_estimator_sparse_tag",
    )
}


@parametrize_with_checks([gs.STM(n_components=2, max_iter=5)], expected_failed_checks=lambda est: _EXPECTED)
def test_scikit_learn_checks(estimator, check):
    check(estimator)


# ---------------------------------------------------------------------------------------- fidelity to stm


def _gadarian(stm_dir):
    triplets = pd.read_csv(stm_dir / "gadarian_triplets.csv")
    vocab = (stm_dir / "gadarian_vocab.txt").read_text().split()
    X = sp.csr_matrix(
        (triplets["count"], (triplets.doc_id - 1, triplets.word_id - 1)), shape=(triplets.doc_id.max(), len(vocab))
    )
    docs = pd.read_csv(stm_dir / "gadarian_docs.csv")
    beta = pd.read_csv(stm_dir / "gadarian_beta.csv").drop(columns="topic").to_numpy()
    theta = pd.read_csv(stm_dir / "gadarian_theta.csv").drop(columns="doc_id").to_numpy()
    bound = pd.read_csv(stm_dir / "gadarian_bound.csv")["bound"].to_numpy()
    return X, docs, beta, theta, bound


@pytest.mark.slow
def test_em_matches_stm_on_gadarian(shared_corpora):
    """From stm's fitted state, one EM iteration gives stm's bound and keeps its solution (a fixed point).

    stm's own starting point cannot be reproduced: its spectral RecoverL2 (exponentiated
    gradient with step 50) is numerically chaotic (docs/models.md), so the fit from scratch
    lands in another local optimum; this checks everything after the initialisation.
    """
    X, docs, beta, theta, bound = _gadarian(shared_corpora / "stm")
    formula = "~ treatment + s(pid_rep)"
    design = gs.design_matrix(formula, docs).to_numpy()
    lam = np.log(theta[:, :2]) - np.log(theta[:, 2:])
    # stm's Γ and Σ from its E-step optimality condition Σ⁻¹(λ − XΓ) = Σ_w c_w φ_w − N θ (first K − 1 topics)
    resid = np.zeros_like(lam)
    for d in range(X.shape[0]):
        words, counts = X.indices[X.indptr[d] : X.indptr[d + 1]], X.data[X.indptr[d] : X.indptr[d + 1]]
        phi = theta[d][:, None] * beta[:, words]
        resid[d] = ((phi / phi.sum(axis=0)) * counts).sum(axis=1)[:2] - counts.sum() * theta[d, :2]
    coef = np.linalg.lstsq(np.hstack([design, resid]), lam, rcond=None)[0]
    gamma, sigma = coef[:-2], (coef[-2:].T + coef[-2:]) / 2
    model = gs.STM(3, prevalence=formula, max_iter=1, tol=0)
    model._validate_params()
    model._design(docs, X, X.shape[0])
    model._run_em(sp.csr_matrix(X), design, beta, start=(lam, design @ gamma, sigma))
    assert abs(model.bound_ - bound[-1]) / abs(bound[-1]) < 1e-4
    np.testing.assert_allclose(model.sigma_, sigma, rtol=0.02)
    order, corr = _match(model.components_, beta)
    assert corr.min() > 0.999
    assert min(np.corrcoef(model.theta_[:, order[k]], theta[:, k])[0, 1] for k in range(3)) > 0.999


@pytest.mark.slow
def test_fit_from_stms_topics_reaches_stms_solution(shared_corpora):
    """Started from stm's topics (stm's "Custom" initialisation), the fit converges to stm's fit."""
    X, docs, beta, theta, bound = _gadarian(shared_corpora / "stm")
    model = gs.STM(3, prevalence="~ treatment + s(pid_rep)", init=beta).fit(X, covariates=docs)
    order, corr = _match(model.components_, beta)
    assert corr.mean() >= 0.95
    assert np.mean([np.corrcoef(model.theta_[:, order[k]], theta[:, k])[0, 1] for k in range(3)]) >= 0.9
    assert abs(model.bound_ - bound[-1]) / abs(bound[-1]) < 0.005


# ---------------------------------------------------------------------------------------- content covariates (SAGE)


def simulate_content(n_docs=600, K=3, V=60, length=60, seed=0):
    """Documents whose topics use different words in each of two levels of a covariate ``side``.

    Every topic has a block of V/K words; in level "con" it stresses the first half of its block,
    in "lib" the second half (log weight + 1.2), so each level has its own topic-word distributions.
    """
    rng = np.random.default_rng(seed)
    level = rng.integers(0, 2, n_docs)
    block, half = V // K, V // K // 2
    log_beta = np.full((2, K, V), np.log(0.2))
    for k in range(K):
        log_beta[:, k, k * block : (k + 1) * block] = np.log(6.0)
        for a in range(2):
            log_beta[a, k, k * block + a * half : k * block + (a + 1) * half] += 1.2
    beta = np.exp(log_beta)
    beta /= beta.sum(axis=2, keepdims=True)
    eta = rng.normal(0.0, 0.8, (n_docs, K - 1))
    theta = np.exp(np.column_stack([eta, np.zeros(n_docs)]))
    theta /= theta.sum(axis=1, keepdims=True)
    rows = []
    for d in range(n_docs):
        n_dk = rng.multinomial(length, theta[d])
        rows.append(sum(rng.multinomial(n, beta[level[d], k]) for k, n in enumerate(n_dk)))
    frame = pd.DataFrame({"side": np.array(["con", "lib"])[level], "x": rng.normal(size=n_docs)})
    return sp.csr_matrix(np.array(rows)), frame, beta


@pytest.fixture(scope="module")
def planted_content():
    X, frame, beta = simulate_content()
    return X, frame, beta, gs.STM(3, content="~ side").fit(X, covariates=frame)


def test_content_recovers_planted_aspect_topics(planted_content):
    X, frame, beta, model = planted_content
    assert model.aspect_levels_ == ["con", "lib"] and model.content_variable_ == "side"
    assert model.aspect_components_.shape == (2, 3, 60)
    np.testing.assert_allclose(model.aspect_components_.sum(axis=2), 1.0)
    order, corr = _match(model.components_, beta.mean(axis=0))
    assert corr.min() > 0.95
    for a in range(2):
        est = model.aspect_components_[a, [order[k] for k in range(3)]]
        assert min(np.corrcoef(est[k], beta[a, k])[0, 1] for k in range(3)) > 0.95
    # what distinguishes the levels: log β_lib − log β_con, planted +1.2 / −1.2 on the half-blocks
    est_diff = np.log(model.aspect_components_[1]) - np.log(model.aspect_components_[0])
    true_diff = np.log(beta[1]) - np.log(beta[0])
    assert min(np.corrcoef(est_diff[order[k]], true_diff[k])[0, 1] for k in range(3)) > 0.7
    # the marginal β is the levels' β weighted by their shares of the documents
    shares = frame["side"].value_counts(normalize=True).sort_index().to_numpy()
    np.testing.assert_allclose(model.components_, np.tensordot(shares, model.aspect_components_, axes=1))
    kappa = model.kappa_
    assert kappa["topic"].shape == (3, 60) and kappa["aspect"].shape == (2, 60)
    assert kappa["interaction"].shape == (2, 3, 60)
    np.testing.assert_allclose(kappa["m"], np.log(np.asarray(X.sum(axis=0)).ravel() / X.sum()))


def test_content_transform_uses_each_documents_level(planted_content):
    X, frame, _, model = planted_content
    np.testing.assert_allclose(model.transform(X, covariates=frame), model.theta_, atol=0.02)
    flipped = frame.assign(side=frame["side"].map({"con": "lib", "lib": "con"}))
    assert np.abs(model.transform(X[:50], covariates=flipped[:50]) - model.theta_[:50]).max() > 0.05
    with pytest.raises(ValueError, match="column 'side'"):
        model.transform(X)
    with pytest.raises(ValueError, match="level 'green', not seen"):
        model.transform(X[:2], covariates=frame[:2].assign(side="green"))


def test_content_save_load_round_trip(planted_content, tmp_path):
    X, frame, _, model = planted_content
    loaded = load_model(model.save(tmp_path / "sage"))
    for name in ("aspect_components_", "components_", "kappa_topic_", "kappa_aspect_", "kappa_interaction_"):
        np.testing.assert_array_equal(getattr(loaded, name), getattr(model, name))
    np.testing.assert_array_equal(loaded.aspects_, model.aspects_)
    assert loaded.aspect_levels_ == ["con", "lib"] and loaded.content_variable_ == "side"
    np.testing.assert_array_equal(
        loaded.transform(X[:20], covariates=frame[:20]), model.transform(X[:20], covariates=frame[:20])
    )
    plain = load_model(gs.STM(3, max_iter=3).fit(X).save(tmp_path / "plain"))  # no content: parts are None
    assert plain.aspect_components_ is None and plain.kappa_ is None and plain.aspect_levels_ is None


def test_sage_labels_rank_each_levels_planted_words(planted_content):
    X, frame, beta, model = planted_content
    order, _ = _match(model.components_, beta.mean(axis=0))
    table = gs.sage_labels(model, n=5)
    assert set(table.columns) == {"topic", "name", "kind", "aspect", "rank", "term", "display", "weight"}
    for k in range(3):
        for a, level in enumerate(["con", "lib"]):
            rows = table[(table.topic == order[k]) & (table.kind == "aspect_prob") & (table.aspect == level)]
            planted = {f"term_{j}" for j in range(k * 20 + a * 10, k * 20 + (a + 1) * 10)}
            assert set(rows.term) <= planted, (k, level, rows.term.tolist())
    with pytest.raises(ValueError, match="content covariate"):
        gs.sage_labels(gs.STM(3, max_iter=2).fit(X))


def test_content_with_prevalence_and_without_interactions():
    X, frame, beta = simulate_content(n_docs=200, seed=3)
    both = gs.STM(3, prevalence="~ x", content="side", interactions=False, max_iter=15).fit(X, covariates=frame)
    assert both.covariate_names_ == ["(Intercept)", "x"] and both.kappa_interaction_.shape == (0, 3, 60)
    assert both.aspect_components_.shape == (2, 3, 60)
    theta = both.transform(X[:5], covariates=frame[:5])
    np.testing.assert_allclose(theta.sum(axis=1), 1.0)
    # "local" uncertainty recomputes each document's ν with its own level's β: at the fitted η the
    # E-step's gradient is zero, so ν is the inverse of the Hessian written out here
    from govsocial.topics.models.stm_laplace import laplace_covariances

    nus = laplace_covariances(both, X)
    d = 7
    beta = both.aspect_components_[both.aspects_[d]]
    words, counts = X.indices[X.indptr[d] : X.indptr[d + 1]], X.data[X.indptr[d] : X.indptr[d + 1]]
    theta_d = np.append(np.exp(both.eta_[d]), 1.0)
    theta_d /= theta_d.sum()
    phi = theta_d[:, None] * beta[:, words]
    phi /= phi.sum(axis=0)
    hess = (counts * phi[:2]) @ phi[:2].T - np.diag((counts * phi[:2]).sum(axis=1))
    hess += counts.sum() * (np.diag(theta_d[:2]) - np.outer(theta_d[:2], theta_d[:2])) + np.linalg.inv(both.sigma_)
    np.testing.assert_allclose(nus[d], np.linalg.inv(hess), rtol=1e-8)
    effects = gs.estimate_effect(both, frame, "~ side", uncertainty="local", dtm=X, n_sims=5, random_state=0)
    assert set(effects["topic"]) == {0, 1, 2}


@pytest.mark.parametrize(
    "content, frame, match",
    [
        ("~ x", pd.DataFrame({"x": np.linspace(0, 1, 8)}), "content covariate 'x' is numeric"),
        ("~ side", pd.DataFrame({"side": ["a", None] * 4}), "'side' is missing in 4 documents \\(first: row 1\\)"),
        ("~ side + x", pd.DataFrame({"side": ["a", "b"] * 4, "x": range(8)}), "one categorical variable"),
        ("~ s(x)", pd.DataFrame({"x": range(8)}), "one categorical variable"),
        ("~ side", pd.DataFrame({"side": ["a"] * 8}), "'side' has one level"),
        ("~ party", pd.DataFrame({"side": ["a", "b"] * 4}), "'party' is not a column"),
        ("~ side", None, "needs the covariates"),
    ],
)
def test_bad_content_says_what_to_change(content, frame, match):
    X = sp.csr_matrix(np.array([[3, 1, 0, 1], [0, 1, 3, 1], [2, 2, 1, 0], [1, 0, 2, 2]] * 2))
    with pytest.raises(ValueError, match=match):
        gs.STM(2, content=content).fit(X, covariates=frame)


def test_numeric_content_in_c_is_categorical():
    X = sp.csr_matrix(np.array([[3, 1, 0, 1], [0, 1, 3, 1], [2, 2, 1, 0], [1, 0, 2, 2]] * 2))
    model = gs.STM(2, content="~ C(year)", max_iter=3).fit(X, covariates=pd.DataFrame({"year": [2020, 2021] * 4}))
    assert model.aspect_levels_ == ["2020", "2021"]


def test_sage_m_step_solves_the_penalised_poisson_regression():
    """Each word's coefficients satisfy the optimality (KKT) conditions of the L1-penalised Poisson
    regression at one λ of the path, checked directly: (1/n) Σ_cells x_j (μ − y) = −λ sign(b_j) where
    b_j ≠ 0 and |…| ≤ λ where b_j = 0. (The coefficients themselves are not unique — the level
    columns add up to the topic columns — but the fitted means are.)"""
    from govsocial.topics.models._stm_sage import baseline, mnreg

    rng = np.random.default_rng(4)
    A, K, V = 2, 3, 8
    truth = rng.dirichlet(np.ones(V), size=(A, K))
    stats = np.transpose(truth * rng.uniform(50, 400, (A, K, 1)), (0, 2, 1))  # expected counts (A, V, K)
    m = baseline(stats.sum(axis=(0, 2)))
    beta, kappa = mnreg(stats, m, n_lambda=60, lambda_min_ratio=0.001, tol=1e-14)  # solved tightly
    # the design, written out: one column per topic, per level and per (level, topic) cell; rows = cells (a, k)
    cells = np.hstack([np.tile(np.eye(K), (A, 1)), np.repeat(np.eye(A), K, axis=0), np.eye(A * K)])
    totals = stats.sum(axis=1).ravel()
    penalised = 0
    for v in range(V):
        y = stats[:, v, :].ravel()
        off = m[v] + np.log(totals)
        b = np.concatenate([kappa["topic"][:, v], kappa["aspect"][:, v], kappa["interaction"][:, :, v].ravel()])
        lam_max = np.abs(cells.T @ (y - np.exp(off))).max() / y.size
        lambdas = lam_max * 0.001 ** (np.arange(60) / 59)
        grad = cells.T @ (np.exp(off + cells @ b) - y) / y.size
        active = b != 0
        assert active.any()
        lam = -grad[active][0] * np.sign(b[active][0])
        assert np.abs(lambdas - lam).min() < 1e-6 * lam_max, (v, lam, lambdas)
        np.testing.assert_allclose(grad[active], -lam * np.sign(b[active]), atol=1e-6 * lam_max)
        assert np.all(np.abs(grad[~active]) <= lam + 1e-6 * lam_max)
        penalised += lam > lambdas[-1] * 1.001
        # β is the softmax of m + κ over words
        logit = m + kappa["topic"] + kappa["aspect"][:, None, :] + kappa["interaction"]
        np.testing.assert_allclose(beta, np.exp(logit) / np.exp(logit).sum(axis=2, keepdims=True), rtol=1e-10)
    assert penalised > 0  # the information criterion chose a penalty above the path's smallest somewhere


# the digest of the no-content fits below as computed by the code before content covariates
# were added (commit deaae56), with numpy 2.4.6 and numba 0.68.1 on x86_64; floating-point
# results can differ in the last bits on other builds, so the comparison runs only on that one
_NO_CONTENT_DIGEST = ("5570fc1c09fa9a459cd74b76f2c12be60237ffe297e545d8ac4d1ff5489249c0", "2.4.6", "0.68.1", "x86_64")


def test_fits_without_content_are_bit_for_bit_as_before():
    import hashlib
    import platform

    import numba

    digest, numpy_version, numba_version, machine = _NO_CONTENT_DIGEST
    if (np.__version__, numba.__version__, platform.machine()) != (numpy_version, numba_version, machine):
        pytest.skip("the recorded digest is for numpy 2.4.6, numba 0.68.1 on x86_64")
    X, frame, _ = simulate(n_docs=200, seed=11)
    h = hashlib.sha256()
    for model in (gs.STM(3, prevalence="~ x", max_iter=40).fit(X, covariates=frame), gs.STM(3, max_iter=40).fit(X)):
        for part in (model.theta_, model.components_, model.bound_history_, model.sigma_, model.transform(X[:30])):
            h.update(np.ascontiguousarray(part, dtype=np.float64).tobytes())
    assert h.hexdigest() == digest

"""Effect estimation by the method of composition, for every model, checked against statsmodels and stm."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
import statsmodels.api as sm

import govsocial as gs
from govsocial.text.dtm import DocTermMatrix

COLUMNS = ["topic", "term", "estimate", "se", "low", "high", "level", "p_value", "n"]


def _two_groups(n=240, seed=0, accounts=None):
    """Posts about two themes; group 1 talks about the second theme more. Optional account effects."""
    rng = np.random.default_rng(seed)
    group = rng.integers(0, 2, n)
    share = 0.3 + 0.4 * group
    if accounts is not None:  # accounts share a taste for the second theme, and a group
        account = rng.integers(0, accounts, n)
        taste = rng.normal(0, 0.2, accounts)
        group = (account % 2).astype(int)
        share = np.clip(0.3 + 0.4 * group + taste[account], 0.05, 0.95)
    words = np.column_stack([np.outer(1 - share, [6, 6, 4]), np.outer(share, [6, 6, 4])])
    X = sp.csr_matrix(rng.poisson(words) + np.eye(6, dtype=int)[rng.integers(0, 6, n)])
    frame = pd.DataFrame({"group": group, "size": rng.normal(size=n)})
    if accounts is not None:
        frame["account"] = account
    return X, frame


@pytest.fixture(scope="module")
def data():
    return _two_groups()


def test_plain_ols_equals_statsmodels(data):
    X, frame = data
    model = gs.NMF(n_components=2, random_state=0).fit(X)
    table = gs.estimate_effect(model, frame, "~ group + size", uncertainty="none", dtm=X)
    assert list(table.columns) == COLUMNS and len(table) == 2 * 3
    theta = model.transform(X)
    exog = sm.add_constant(frame[["group", "size"]].to_numpy(float))
    for k in range(2):
        ols = sm.OLS(theta[:, k], exog).fit()
        rows = table[table.topic == k]
        np.testing.assert_allclose(rows["estimate"], ols.params, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(rows["se"], ols.bse, rtol=1e-9)
        np.testing.assert_allclose(rows["p_value"], ols.pvalues, rtol=1e-6, atol=1e-300)
        np.testing.assert_allclose(rows[["low", "high"]], ols.conf_int(0.05), rtol=1e-9, atol=1e-12)


def test_draws_are_combined_as_a_mixture(data):
    X, frame = data
    model = gs.STM(2, prevalence="~ group").fit(X, covariates=frame)
    table = gs.estimate_effect(model, frame, "~ group", n_sims=7, random_state=4)
    draws = gs.theta_draws(model, 7, uncertainty="global", random_state=4)
    exog = sm.add_constant(frame[["group"]].to_numpy(float))
    fits = [sm.OLS(draws[s][:, 1], exog).fit() for s in range(7)]
    coefs = np.array([f.params for f in fits])
    variance = np.mean([f.bse**2 for f in fits], axis=0) + coefs.var(axis=0)
    rows = table[table.topic == 1]
    np.testing.assert_allclose(rows["estimate"], coefs.mean(axis=0), rtol=1e-9)
    np.testing.assert_allclose(rows["se"], np.sqrt(variance), rtol=1e-9)


def test_cluster_robust_errors_equal_statsmodels_and_exceed_plain_ones():
    X, frame = _two_groups(n=600, seed=3, accounts=30)
    model = gs.NMF(n_components=2, random_state=0).fit(X)
    plain = gs.estimate_effect(model, frame, "~ group", uncertainty="none", dtm=X)
    robust = gs.estimate_effect(model, frame, "~ group", uncertainty="none", dtm=X, cluster="account")
    theta = model.transform(X)
    ols = sm.OLS(theta[:, 0], sm.add_constant(frame[["group"]].to_numpy(float))).fit(
        cov_type="cluster", cov_kwds={"groups": frame["account"].to_numpy()}
    )
    np.testing.assert_allclose(robust[robust.topic == 0]["se"], ols.bse, rtol=1e-9)
    # posts of an account share its taste: the clustered errors are larger (the account is the unit)
    assert (robust["se"].to_numpy() >= plain["se"].to_numpy()).all()
    assert robust.query("term == 'group'")["se"].min() > 1.5 * plain.query("term == 'group'")["se"].max()
    same = gs.estimate_effect(model, frame, "~ group", uncertainty="none", dtm=X, cluster=frame["account"].to_numpy())
    pd.testing.assert_frame_equal(same, robust)


@pytest.mark.parametrize(
    "name, params",
    [
        ("lda", {"n_iter": 60}),
        ("dmm", {"n_iter": 20}),
        ("nmf", {}),
        ("seeded_lda", {"seeds": {"a": ["w0"], "b": ["w3"]}, "n_iter": 60}),
    ],
)
@pytest.mark.parametrize("uncertainty", ["global", "none"])
def test_every_model_gives_the_tidy_table(data, name, params, uncertainty):
    from govsocial.topics.models import MODELS

    X, frame = data
    X = DocTermMatrix(X, np.arange(X.shape[0]).astype(str), pd.DataFrame({"term": [f"w{j}" for j in range(6)]}))
    model = MODELS[name](n_components=2, random_state=1, **params).fit(X)
    if name == "nmf" and uncertainty != "none":
        with pytest.warns(UserWarning, match="no posterior"):
            table = gs.estimate_effect(model, frame, "~ group", uncertainty=uncertainty, dtm=X, random_state=0)
    else:
        table = gs.estimate_effect(model, frame, "~ group", uncertainty=uncertainty, dtm=X, n_sims=10, random_state=0)
    assert list(table.columns) == COLUMNS
    assert table[["topic", "term"]].values.tolist() == [[k, t] for k in range(2) for t in ("(Intercept)", "group")]
    assert np.isfinite(table[["estimate", "se", "low", "high", "p_value"]].to_numpy(float)).all()
    assert (table["low"] < table["estimate"]).all() and (table["estimate"] < table["high"]).all()
    # the planted difference between the groups is found by every model (topics in some order)
    group = table[table.term == "group"]
    assert group["estimate"].abs().min() > 0.15 and (group["p_value"] < 0.01).all()


def test_draws_differ_by_model(data):
    X, frame = data
    dmm = gs.DMM(n_components=2, n_iter=20, random_state=0).fit(X)
    one_hot = gs.theta_draws(dmm, 3, dtm=X, random_state=0)
    assert set(np.unique(one_hot)) == {0.0, 1.0} and (one_hot.sum(axis=2) == 1).all()
    np.testing.assert_allclose(gs.theta_draws(dmm, 1, uncertainty="none", dtm=X)[0], dmm.transform(X))
    lda = gs.LDA(n_components=2, n_iter=40, random_state=0).fit(X)
    many = gs.theta_draws(lda, 400, dtm=X, random_state=0)
    np.testing.assert_allclose(many.mean(axis=0), lda.doc_topic_, atol=0.03)  # Dirichlet draws around the mean
    stm = gs.STM(2).fit(X)
    local = gs.theta_draws(stm, 300, uncertainty="local", dtm=X, random_state=0)
    assert np.corrcoef(local.mean(axis=0)[:, 0], stm.theta_[:, 0])[0, 1] > 0.99
    with pytest.raises(ValueError, match="pass dtm="):
        gs.theta_draws(lda, 2)
    with pytest.raises(ValueError, match="uncertainty must be one of"):
        gs.theta_draws(stm, 2, uncertainty="Global")


def test_effect_at_and_difference_agree(data):
    X, frame = data
    model = gs.STM(2, prevalence="~ group + size").fit(X, covariates=frame)
    table = gs.estimate_effect(model, frame, "~ group + size", random_state=0)
    at = gs.effect_at(table, {"group": [0, 1]})
    assert list(at.columns) == ["topic", "group", "estimate", "se", "low", "high", "level", "n"]
    np.testing.assert_allclose(at.groupby("group")["estimate"].sum(), 1.0)  # proportions add up
    diff = gs.difference(table, "group", 1, 0)
    by = at.set_index(["topic", "group"])["estimate"]
    np.testing.assert_allclose(diff["estimate"], [by[(k, 1)] - by[(k, 0)] for k in range(2)], atol=1e-12)
    # with the other covariate at its median, the contrast is the group coefficient itself
    coef = table[table.term == "group"].set_index("topic")
    np.testing.assert_allclose(diff["estimate"], coef["estimate"], atol=1e-12)
    np.testing.assert_allclose(diff["se"], coef["se"], atol=1e-12)
    with pytest.raises(ValueError, match="does not use"):
        gs.effect_at(table, {"colour": ["red"]})
    with pytest.raises(ValueError, match="returned by estimate_effect"):
        gs.effect_at(pd.DataFrame(table.to_dict()), {"group": [0]})


def test_spline_effects_and_singular_designs(data):
    X, frame = data
    model = gs.NMF(n_components=2, random_state=0).fit(X)
    frame = frame.assign(day=np.arange(len(frame)) % 50, twin=frame["group"])
    table = gs.estimate_effect(model, frame, "~ s(day)", uncertainty="none", dtm=X)
    curve = gs.effect_at(table, {"day": np.arange(0, 50, 7)})
    assert len(curve) == 2 * 8 and np.isfinite(curve["se"]).all()
    with pytest.raises(ValueError, match="outside the range"):
        gs.effect_at(table, {"day": [80]})
    with pytest.warns(RuntimeWarning, match=r"singular: \[.twin.*\] are linear combinations"):
        gs.estimate_effect(model, frame, "~ group + twin", uncertainty="none", dtm=X)


def test_invalid_arguments(data):
    X, frame = data
    model = gs.NMF(n_components=2, random_state=0).fit(X)
    with pytest.raises(ValueError, match="uncertainty must be one of"):
        gs.estimate_effect(model, frame, "~ group", uncertainty="Global", dtm=X)
    with pytest.raises(ValueError, match="not a column"):
        gs.estimate_effect(model, frame, "~ group", uncertainty="none", dtm=X, cluster="account")
    with pytest.raises(ValueError, match="rows but there are"):
        gs.estimate_effect(model, frame[:10], "~ group", uncertainty="none", dtm=X)
    with pytest.raises(ValueError, match="topics must be"):
        gs.estimate_effect(model, frame, "~ group", uncertainty="none", dtm=X, topics=[5])


@pytest.mark.slow
def test_effects_match_stms_estimate_effect_on_gadarian(shared_corpora):
    """With uncertainty "none", estimate_effect on stm's θ gives stm's estimateEffect table."""
    stm_dir = shared_corpora / "stm"
    docs = pd.read_csv(stm_dir / "gadarian_docs.csv")
    theta = pd.read_csv(stm_dir / "gadarian_theta.csv").drop(columns="doc_id").to_numpy()
    expected = pd.read_csv(stm_dir / "gadarian_effect_all_uncertaintyNone.csv")
    model = gs.STM(3)
    model.components_, model.theta_ = np.full((3, 2), 0.5), theta  # stm's fit, as the model's point estimates
    table = gs.estimate_effect(model, docs, "~ treatment + s(pid_rep)", uncertainty="none")
    merged = table.assign(topic=table.topic + 1).merge(expected, on=["topic", "term"])
    assert len(merged) == 24
    # stm's summary adds Monte Carlo noise (500 normal draws), so agreement is to a few per cent of an SE
    assert ((merged["estimate_x"] - merged["estimate_y"]).abs() < 0.5 * merged["std_error"]).all()
    assert ((merged["se"] / merged["std_error"] - 1).abs() < 0.2).all()
    significant = merged["p_value_y"] < 0.05
    assert ((merged["p_value_x"] < 0.05) == significant).all()
    assert (np.sign(merged["estimate_x"]) == np.sign(merged["estimate_y"]))[significant].all()

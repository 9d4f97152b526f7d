"""gs.prevalence (topic/theme shares by group with intervals) and its figures, checked against
direct computations: pandas group means, the analytic cluster-robust variance of a ratio."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

import govsocial as gs


def _posts(n: int, rng: np.random.Generator, n_accounts: int = 30) -> pd.DataFrame:
    accounts = rng.integers(0, n_accounts, n)
    return gs.conform(
        {
            "post_id": [f"p{i}" for i in range(n)],
            "platform": ["x"] * n,
            "text": ["t"] * n,
            "account_id": [f"a{a}" for a in accounts],
            "account_type": np.where(accounts < n_accounts // 3, "government", "citizen"),
            "created_at": pd.Timestamp("2024-01-01", tz="UTC") + pd.to_timedelta(rng.integers(0, 90, n), unit="D"),
        }
    )


def test_label_shares_match_a_crosstab_and_report_exclusions() -> None:
    rng = np.random.default_rng(0)
    posts = _posts(400, rng)
    posts.loc[posts.index[:7], "created_at"] = pd.NaT
    labels = pd.Series(rng.choice(["info", "engage", "ask"], 400), index=posts["post_id"]).iloc[5:]  # 5 unlabelled
    table = gs.prevalence(labels, posts, by="month", n_boot=300, random_state=1)
    month = posts["created_at"].dt.tz_localize(None).dt.strftime("%Y-%m")
    frame = pd.DataFrame(
        {
            "month": month.fillna("(missing)").to_numpy(),  # undated posts: the group "(missing)"
            "label": labels.reindex(posts["post_id"]).to_numpy(),
        }
    ).dropna()
    expected = pd.crosstab(frame["month"], frame["label"], normalize="index").stack()
    got = table.set_index(["group", "topic"])["estimate"]
    assert got.index.tolist() == expected.index.tolist()  # months and labels sorted
    assert np.allclose(got.to_numpy(), expected.to_numpy())
    counts = frame.groupby("month").size()
    assert table.groupby("group")["n"].first().to_dict() == counts.to_dict()
    assert table.attrs["excluded"] == {"not_in_model": 5}  # posts 0-4 unlabelled
    assert table.groupby("group")["n"].first()["(missing)"] == 2  # posts 5, 6 undated
    assert ((table["low"] <= table["estimate"]) & (table["estimate"] <= table["high"])).all()
    assert list(table.columns) == ["group", "topic", "estimate", "low", "high", "level", "n"]


def test_account_bootstrap_matches_the_cluster_robust_standard_error() -> None:
    """Accounts differ a lot in how often they post about a topic: the interval must be the
    cluster one (analytic CR variance of a ratio), far wider than a post-level one."""
    rng = np.random.default_rng(5)
    n_accounts, per = 60, rng.integers(5, 40, 60)
    rates = rng.beta(0.5, 1.5, n_accounts)
    account = np.repeat(np.arange(n_accounts), per)
    y = rng.random(len(account)) < rates[account]
    posts = gs.conform(
        {
            "post_id": [f"p{i}" for i in range(len(y))],
            "platform": ["x"] * len(y),
            "text": ["t"] * len(y),
            "account_id": [f"a{a}" for a in account],
        }
    )
    labels = pd.Series(np.where(y, "topic", "other"), index=posts["post_id"])
    table = gs.prevalence(labels, posts, by=None, n_boot=4000, random_state=2).set_index("topic")
    p = y.mean()
    yc, nc = np.bincount(account, weights=y), np.bincount(account)
    se_cluster = np.sqrt((yc - p * nc) @ (yc - p * nc)) / len(y)
    se_boot = (table.loc["topic", "high"] - table.loc["topic", "low"]) / (2 * 1.96)
    assert abs(se_boot / se_cluster - 1) < 0.12
    se_posts = np.sqrt(p * (1 - p) / len(y))
    assert se_boot > 1.5 * se_posts
    by_post = gs.prevalence(labels, posts, by=None, n_boot=4000, cluster=None, random_state=2).set_index("topic")
    assert abs((by_post.loc["topic", "high"] - by_post.loc["topic", "low"]) / (2 * 1.96) / se_posts - 1) < 0.12


def _planted(rng: np.random.Generator, n: int = 240) -> tuple[gs.DocTermMatrix, pd.DataFrame]:
    posts = _posts(n, rng, n_accounts=24)
    gov = (posts["account_type"] == "government").to_numpy()
    share0 = np.where(gov, 0.8, 0.2)
    z = rng.random(n) < share0
    words = np.where(z[:, None], [3, 3, 2, 0.1, 0.1, 0.1], [0.1, 0.1, 0.1, 3, 3, 2])
    X = rng.poisson(words) + (rng.random((n, 6)) < 0.05)
    X[X.sum(axis=1) == 0, 0] = 1
    dtm = gs.DocTermMatrix(sp.csr_matrix(X), posts["post_id"].to_numpy(), pd.DataFrame({"term": list("abcdef")}))
    return dtm, posts


@pytest.mark.slow  # numba compiles the samplers and STM's E-step on first use
@pytest.mark.parametrize(
    "make",
    [
        lambda: gs.DMM(n_components=2, n_iter=30, random_state=0),
        lambda: gs.LDA(n_components=2, n_iter=60, random_state=0),
        lambda: gs.STM(n_components=2, random_state=0),
        lambda: gs.NMF(n_components=2, random_state=0),
    ],
)
def test_model_shares_are_group_means_of_its_point_estimates(make) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(11)
    dtm, posts = _planted(rng)
    model = make().fit(dtm)
    table = gs.prevalence(model, posts, by="account_type", dtm=dtm, n_boot=300, n_sims=10, random_state=3)
    point = gs.prevalence(model, posts, by="account_type", dtm=dtm, interval="none")
    shares = model.transform(dtm)
    shares = shares / shares.sum(axis=1, keepdims=True)
    if isinstance(model, gs.STM):
        shares = model.theta_
    if isinstance(model, gs.LDA):
        shares = model.doc_topic_
    group = posts["account_type"].astype(str).to_numpy()
    direct = pd.DataFrame(shares).groupby(group).mean().stack()
    assert np.allclose(point.set_index(["group", "topic"])["estimate"].to_numpy(), direct.to_numpy())
    assert point["low"].isna().all()
    if not isinstance(model, gs.NMF):  # with a posterior: the posterior mean of the group share
        draws = gs.theta_draws(model, 10, uncertainty="global", dtm=dtm, random_state=3)
        direct = pd.DataFrame(draws.mean(axis=0)).groupby(group).mean().stack()
    assert np.allclose(table.set_index(["group", "topic"])["estimate"].to_numpy(), direct.to_numpy())
    assert ((table["low"] < table["estimate"]) & (table["estimate"] < table["high"])).all()
    wide = table.set_index(["group", "topic"])
    k = int(np.argmax(wide.loc["government", "estimate"].to_numpy()))
    gov, cit = wide.loc[("government", k)], wide.loc[("citizen", k)]
    assert gov["low"] > cit["high"]  # the planted 0.8 vs 0.2 is seen with intervals that do not overlap
    if isinstance(model, gs.NMF):
        with pytest.raises(ValueError, match="no posterior"):
            gs.prevalence(model, posts, by="account_type", dtm=dtm, interval="posterior")
    else:
        post = gs.prevalence(model, posts, by="account_type", dtm=dtm, interval="posterior", n_sims=20, random_state=3)
        assert ((post["high"] - post["low"]) < (table["high"] - table["low"])).all()  # posts fixed: narrower
        assert ((post["low"] <= post["estimate"]) & (post["estimate"] <= post["high"])).all()


def test_prevalence_is_seeded_and_its_figures_are_deterministic() -> None:
    rng = np.random.default_rng(2)
    dtm, posts = _planted(rng)
    model = gs.DMM(n_components=2, n_iter=20, random_state=0).fit(dtm)
    a = gs.prevalence(model, posts, dtm=dtm, n_boot=200, random_state=9)
    b = gs.prevalence(model, posts, dtm=dtm, n_boot=200, random_state=9)
    c = gs.prevalence(model, posts, dtm=dtm, n_boot=200, random_state=10)
    pd.testing.assert_frame_equal(a, b)
    assert not a[["low", "high"]].equals(c[["low", "high"]])
    assert a["group"].tolist()[:2] == ["2024-01", "2024-01"] and a["group"].nunique() == 3

    def png(table: pd.DataFrame, **kw) -> bytes:  # type: ignore[no-untyped-def]
        buf = io.BytesIO()
        gs.prevalence_figure(table, **kw).savefig(buf, format="png", dpi=60)
        return buf.getvalue()

    assert png(a) == png(b) and png(a) != png(c)
    both = pd.concat({"government": a, "public": c}, names=["who"]).reset_index("who")
    fig = gs.prevalence_figure(both, hue="who", labels={0: "roads", 1: "health"})
    assert [ax.get_title() for ax in fig.axes] == ["roads", "health"] and len(fig.axes[0].containers) == 2


def test_effect_figure_draws_each_effects_table() -> None:
    rng = np.random.default_rng(4)
    dtm, posts = _planted(rng)
    frame = pd.DataFrame(
        {
            "gov": (posts["account_type"] == "government").astype(int).to_numpy(),
            "day": (posts["created_at"] - posts["created_at"].min()).dt.days.to_numpy(),
        }
    )
    model = gs.STM(n_components=2, prevalence="~ gov + day", random_state=0).fit(dtm, covariates=frame)
    effects = gs.estimate_effect(model, frame, "~ gov + day", n_sims=5, random_state=0)
    fig = gs.effect_figure(effects)
    assert [ax.get_xlabel() for ax in fig.axes] == ["gov", "day"]
    diff = gs.difference(effects, "gov", 1, 0)
    ax = gs.effect_figure(diff, labels={0: "a", 1: "b"}).axes[0]
    assert ax.get_xlabel() == "gov=1 - gov=0" and [t.get_text() for t in ax.get_yticklabels()] == ["a", "b"]
    line = gs.effect_figure(gs.effect_at(effects, {"day": list(range(0, 80, 10))}))
    assert len(line.axes) == 2 and len(line.axes[0].lines) == 1  # a numeric covariate: a line with a band
    dots = gs.effect_figure(gs.effect_at(effects, {"gov": [0, 1]}))
    assert [t.get_text() for t in dots.axes[0].get_xticklabels()] == ["0", "1"]
    with pytest.raises(ValueError, match="one covariate"):
        gs.effect_figure(gs.effect_at(effects, {"gov": [0, 1], "day": [0, 30]}))


def test_prevalence_refuses_bad_input() -> None:
    rng = np.random.default_rng(1)
    posts = _posts(20, rng)
    labels = pd.Series(["a"] * 20, index=posts["post_id"])
    with pytest.raises(ValueError, match="interval"):
        gs.prevalence(labels, posts, interval="wide")
    with pytest.raises(ValueError, match="posterior"):
        gs.prevalence(labels, posts, interval="posterior")
    with pytest.raises(ValueError, match="neither a time unit"):
        gs.prevalence(labels, posts, by="agency")
    with pytest.raises(ValueError, match="dtm="):
        dtm, p2 = _planted(rng, 40)
        gs.prevalence(gs.NMF(n_components=2, random_state=0).fit(dtm), p2)
    empty = gs.prevalence(labels.iloc[:0], gs.empty_posts(), by="month")
    assert empty.empty and list(empty.columns) == ["group", "topic", "estimate", "low", "high", "level", "n"]

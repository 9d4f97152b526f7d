"""[validation] coded posts: config checks, cross-fitting never in-sample, and the validation
study of `govsocial run` on the bundled corpus (labels taken from its planted themes)."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator

import govsocial as gs
from govsocial.cli import main as cli
from govsocial.core.exceptions import InputError


@pytest.fixture
def corpus(small_corpus) -> Path:
    """The 1,500-post corpus generated once per session (tests/conftest.py)."""
    return small_corpus


def _truth(corpus: Path) -> pd.DataFrame:
    with gzip.open(corpus / "truth.csv.gz", "rt", encoding="utf-8") as f:
        return pd.read_csv(f, dtype={"post_id": str})


def _sheet(path: Path, ids, labels) -> Path:
    pd.DataFrame({"post_id": list(ids), "text": "", "label": list(labels)}).to_csv(path, index=False)
    return path


def _config(tmp: Path, corpus: Path, validation: str, run: str = 'experiments = ["uses", "validation"]') -> Path:
    path = tmp / "study.toml"
    path.write_text(f'''name = "coded"
[input]
paths = ["{corpus / "posts.jsonl.gz"}"]
registry = "{corpus / "accounts.csv"}"
[output]
folder = "{tmp / "results"}"
[run]
{run}
n_boot = 50
[themes]
codebooks = ["oecd"]
n_iter = 20
[validation]
{validation}
''')
    return path


# ----------------------------------------------------------------------------- cross-fitting
class _Recorder(BaseEstimator):
    """A 'semi' scorer that remembers which labels it was fitted with and predicts a post's own
    label when it saw it (so any in-sample prediction would show as a perfect score)."""

    log: list = []

    def __init__(self, method: str = "semi") -> None:
        self.method = method

    def fit(self, posts, labels):
        self.seen_ = dict(zip(posts, labels))
        _Recorder.log.append(self.seen_)
        return self

    def predict(self, posts):
        return np.array([self.seen_.get(p) or "unseen" for p in posts], dtype=object)


@pytest.mark.parametrize("method", ["semi", "supervised"])
def test_cross_fit_never_predicts_a_post_with_its_own_label(method):
    posts = [f"post {i}" for i in range(40)]
    labels = [None if i % 4 == 3 else ("a" if i % 2 else "b") for i in range(40)]
    _Recorder.log = []
    pred = gs.cross_fit(_Recorder(method), posts, labels, folds=5, random_state=0)
    coded = [i for i, v in enumerate(labels) if v is not None]
    assert len(_Recorder.log) == 5
    assert all(pred[i] == "unseen" for i in coded)  # no fold saw the label of a post it predicted
    assert all(pred[i] is None for i in range(40) if labels[i] is None)
    folds = gs.fold_of(labels, 5, random_state=0)
    assert sorted(np.bincount(folds[folds >= 0]).tolist()) == [6, 6, 6, 6, 6]
    if method == "semi":  # every post is in every fit; the held ones as uncoded
        assert all(len(seen) == 40 for seen in _Recorder.log)


def test_fold_of_is_deterministic_and_refuses_too_many_folds():
    labels = ["a", "b"] * 10
    assert gs.fold_of(labels, 4, random_state=1).tolist() == gs.fold_of(labels, 4, random_state=1).tolist()
    with pytest.raises(ValueError, match="folds must be between 2"):
        gs.fold_of(labels, 21)


# ----------------------------------------------------------------------------- config
def test_config_checks_the_validation_section(tmp_path, corpus):
    truth = _truth(corpus)
    gov = truth[truth["kind"] == "gov_post"].head(10)
    _sheet(tmp_path / "coded.csv", gov["post_id"], gov["theme"])
    config = gs.load_config(_config(tmp_path, corpus, 'labels = "coded.csv"', run=""))
    assert config.validation.labels == str((tmp_path / "coded.csv").resolve())
    assert config.run.experiments[-1] == "validation"  # coded posts: validated without being asked
    assert "validation" not in gs.load_config(None).run.experiments
    for train, method in (("true", "semi"), ("false", "seeded")):  # which scorer the studies read
        cfg = gs.load_config(_config(tmp_path, corpus, f'labels = "coded.csv"\ntrain = {train}'))
        assert gs.StudyData(cfg, pd.DataFrame(), pd.DataFrame()).scorer("oecd").method == method
    bad = {
        'labels = "missing.csv"': "coded posts not found",
        'labels = "coded.csv"\nfolds = 1': "at least 2",
        'labels = "coded.csv"\ncodebook = "depaula"': "not one of the configured codebooks",
        "folds = 3": "needs hand-coded posts",
        'labels = "coded.csv"\ntrain = "yes"': "true or false",
    }
    for body, message in bad.items():
        with pytest.raises(InputError, match=message):
            gs.load_config(_config(tmp_path, corpus, body))


def test_a_coded_post_that_is_not_a_government_post_is_an_error_naming_its_row(tmp_path, corpus):
    truth = _truth(corpus)
    gov = truth[truth["kind"] == "gov_post"].head(3)
    citizen = truth[truth["author_type"] == "citizen"].head(1)
    _sheet(tmp_path / "coded.csv", [*gov["post_id"], *citizen["post_id"]], [*gov["theme"], "collaborating"])
    data = gs.StudyData.load(gs.load_config(_config(tmp_path, corpus, 'labels = "coded.csv"')))
    with pytest.raises(InputError, match="not in the posts table") as err:
        _ = data.coded
    assert err.value.line == 5 and "government posts" in str(err.value)


# ----------------------------------------------------------------------------- the study
@pytest.mark.slow
def test_run_validates_the_trained_scorer_by_cross_fitting(tmp_path, corpus):
    """The coding round trip: `govsocial code sample` writes a sheet, a 'coder' fills it (with the
    planted themes), and `govsocial run` validates against it and writes the report section."""
    truth = _truth(corpus).set_index("post_id")
    posts = tmp_path / "posts.parquet"
    assert (
        cli(["ingest", str(corpus / "posts.jsonl.gz"), "--registry", str(corpus / "accounts.csv"), "--out", str(posts)])
        == 0
    )
    assert cli(["code", "sample", str(posts), "--n", "151", "--seed", "0", "--out", str(tmp_path / "coded.csv")]) == 0
    sheet = pd.read_csv(tmp_path / "coded.csv", dtype=str, keep_default_na=False)
    rows = sheet["post_id"] != ""
    assert rows.sum() == 151 and (truth.loc[sheet.loc[rows, "post_id"], "author_type"] == "government").all()
    sheet.loc[rows, "label"] = truth.loc[sheet.loc[rows, "post_id"], "theme"].to_numpy()
    skipped = sheet.loc[rows, "post_id"].iloc[-1]
    sheet.loc[sheet["post_id"] == skipped, "label"] = ""  # one post left uncoded
    sheet.to_csv(tmp_path / "coded.csv", index=False)
    gov = truth.loc[[i for i in sheet.loc[rows, "post_id"] if i != skipped]].reset_index()
    truth = truth.reset_index()
    assert cli(["run", str(_config(tmp_path, corpus, 'labels = "coded.csv"\nfolds = 3'))]) == 0
    folder = tmp_path / "results" / "coded" / "validation"
    summary = pd.read_csv(folder / "validation_summary.csv")
    assert sorted(summary["scorer"].unique()) == ["seeded (zero-shot)", "semi, 3-fold cross-fitted"]
    assert set(summary["measure"]) == {"macro_f1", "accuracy", "krippendorff_alpha"}
    assert (summary["n"] == 150).all() and (summary["level"] == 0.95).all()
    assert ((summary["low"] <= summary["estimate"]) & (summary["estimate"] <= summary["high"])).all()
    confusion = pd.read_csv(folder / "validation_confusion.csv")
    per_scorer = confusion.drop(columns=["scorer", "coded"]).sum(axis=1).groupby(confusion["scorer"]).sum()
    assert per_scorer.tolist() == [150, 150]  # every coded post compared once per scorer
    by_class = pd.read_csv(folder / "validation_by_class.csv")
    support = gov["theme"].value_counts()
    f1 = by_class[(by_class["measure"] == "f1") & (by_class["scorer"] == "seeded (zero-shot)")].set_index("class")
    assert f1["n"].to_dict() == support.to_dict()  # support counted by the test from the sheet it wrote
    adjusted = pd.read_csv(tmp_path / "results" / "coded" / "uses" / "oecd_shares_adjusted.csv")
    assert list(adjusted.columns) == ["theme", "unadjusted", "estimate", "low", "high", "level", "n"]
    assert abs(adjusted["estimate"].sum() - 1) < 1e-9 and (adjusted["low"] <= adjusted["high"]).all()
    planted = truth[truth["author_type"] == "government"]["theme"].value_counts(normalize=True)
    inside = adjusted.set_index("theme").join(planted.rename("planted"))
    assert ((inside["low"] <= inside["planted"]) & (inside["planted"] <= inside["high"])).all(), inside
    shares = pd.read_csv(tmp_path / "results" / "coded" / "uses" / "oecd_shares.csv").set_index("theme")
    assert np.allclose(adjusted.set_index("theme")["unadjusted"], shares.loc[adjusted["theme"], "estimate"])
    report = (tmp_path / "results" / "report.html").read_text()
    assert "Validation against hand-coded posts" in report and "left uncoded" in report


# ----------------------------------------------------------------------------- adjusted shares
def _simulate(seed: int, n: int = 4000, coded: int = 400):
    """True labels with known shares, predictions through a known confusion matrix."""
    rng = np.random.default_rng(seed)
    classes = ["a", "b", "c"]
    p = np.array([0.5, 0.3, 0.2])
    M = np.array([[0.7, 0.3, 0.0], [0.05, 0.9, 0.05], [0.05, 0.25, 0.7]])
    true = rng.choice(3, size=n, p=p)
    pred = np.array([rng.choice(3, p=M[t]) for t in true])
    sample = rng.choice(n, size=coded, replace=False)
    names = np.array(classes, dtype=object)
    return classes, p, names[pred], names[pred[sample]], names[true[sample]], np.bincount(true, minlength=3) / n


@pytest.mark.slow
def test_adjusted_shares_recover_the_true_shares_and_cover_them():
    covered, errors = 0, []
    for seed in range(40):
        classes, _, labels, coded_pred, coded_gold, actual = _simulate(seed)
        t = gs.adjusted_shares(labels, classes, coded_pred, coded_gold, n_boot=200, random_state=seed)
        unadjusted = np.abs(t["unadjusted"].to_numpy() - actual).max()
        errors.append((np.abs(t["estimate"].to_numpy() - actual).max(), unadjusted))
        covered += int(((t["low"] <= actual) & (actual <= t["high"])).sum())
    adjusted_err, raw_err = np.mean(errors, axis=0)
    assert raw_err > 0.1  # classify-and-count is biased: M.T @ p puts 0.375 where 0.5 is true
    assert adjusted_err < 0.045  # the correction removes most of it (0.033 measured)
    assert covered / (40 * 3) >= 0.9  # 95 % intervals cover the realised shares (0.958 measured)


def test_misclassification_matrix_counts_by_hand():
    M = gs.misclassification_matrix(["a", "b", "b", "c"], ["a", "a", "b", "b"], ["a", "b", "c"])
    assert M.tolist() == [[0.5, 0.5, 0.0], [0.0, 0.5, 0.5], [0.0, 0.0, 1.0]]
    with pytest.raises(ValueError, match="not among the classes"):
        gs.misclassification_matrix(["z"], ["a"], ["a", "b"])

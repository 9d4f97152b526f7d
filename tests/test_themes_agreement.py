"""gs.classification_agreement against scikit-learn and a direct loop bootstrap."""

import numpy as np
import pytest
from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

import govsocial as gs


def _alpha_by_pairs(a, b):
    """Krippendorff's alpha (nominal) counted pair by pair, as in Krippendorff (2004), ch. 11."""
    values = sorted(set(a) | set(b))
    pooled = list(a) + list(b)
    n = len(pooled)
    observed = sum(x != y for x, y in zip(a, b)) * 2  # each unit gives both ordered pairs
    counts = {v: pooled.count(v) for v in values}
    expected = sum(counts[c] * counts[k] for c in values for k in values if c != k)
    return 1 - (n - 1) * observed / expected


@pytest.fixture
def labels():
    rng = np.random.default_rng(3)
    gold = rng.choice(["info", "ask", "thanks", "reply"], size=300, p=[0.6, 0.2, 0.15, 0.05])
    predicted = np.where(rng.random(300) < 0.7, gold, rng.choice(["info", "ask", "thanks", "other"], size=300))
    return predicted, gold


def test_point_estimates_match_scikit_learn_and_a_pairwise_alpha(labels):
    predicted, gold = labels
    out = gs.classification_agreement(predicted, gold, n_boot=0)
    summary = out["summary"].set_index("measure")["estimate"]
    classes = sorted(set(gold))
    assert summary["macro_f1"] == pytest.approx(
        f1_score(gold, predicted, labels=classes, average="macro", zero_division=0)
    )
    assert summary["accuracy"] == pytest.approx(accuracy_score(gold, predicted))
    assert summary["krippendorff_alpha"] == pytest.approx(_alpha_by_pairs(predicted, gold))
    p, r, f, s = precision_recall_fscore_support(gold, predicted, labels=classes, zero_division=0)
    per = out["per_class"].set_index(["class", "measure"])
    for i, c in enumerate(classes):
        assert per.loc[(c, "precision"), "estimate"] == pytest.approx(p[i])
        assert per.loc[(c, "recall"), "estimate"] == pytest.approx(r[i])
        assert per.loc[(c, "f1"), "estimate"] == pytest.approx(f[i])
        assert per.loc[(c, "f1"), "support"] == s[i] == (gold == c).sum()
    # "other" was predicted but never coded: a column of the confusion matrix, not a class of the scores
    confusion = out["confusion"]
    assert confusion.loc["info", "other"] == ((gold == "info") & (predicted == "other")).sum()
    assert set(out["per_class"]["class"]) == set(classes)
    assert confusion.to_numpy().sum() == len(gold)


def test_bootstrap_intervals_match_a_loop_that_resamples_posts(labels):
    predicted, gold = labels[0][:80], labels[1][:80]
    classes = sorted(set(gold))
    rng = np.random.default_rng(11)
    loop = []
    for _ in range(4000):
        idx = rng.integers(0, len(gold), len(gold))
        g, q = gold[idx], predicted[idx]
        f1s = []
        for c in classes:
            tp = np.sum((g == c) & (q == c))
            den = np.sum(g == c) + np.sum(q == c)
            f1s.append(2 * tp / den if den else 0.0)
        loop.append([np.mean(f1s), np.mean(g == q)])
    loop_lo, loop_hi = np.percentile(np.asarray(loop), [2.5, 97.5], axis=0)
    summary = gs.classification_agreement(predicted, gold, n_boot=4000, random_state=5)["summary"].set_index("measure")
    for j, metric in enumerate(["macro_f1", "accuracy"]):
        assert summary.loc[metric, "low"] == pytest.approx(loop_lo[j], abs=0.03)
        assert summary.loc[metric, "high"] == pytest.approx(loop_hi[j], abs=0.03)
        assert summary.loc[metric, "low"] < summary.loc[metric, "estimate"] < summary.loc[metric, "high"]


def test_intervals_are_reproducible_and_degenerate_for_a_perfect_scorer():
    gold = ["a", "b", "c"] * 20
    out = gs.classification_agreement(gold, gold, n_boot=300, random_state=1)
    assert (out["summary"][["estimate", "low", "high"]].to_numpy() == 1.0).all()
    noisy = ["a", "b", "b"] * 20
    first = gs.classification_agreement(noisy, gold, n_boot=300, random_state=7)["summary"]
    again = gs.classification_agreement(noisy, gold, n_boot=300, random_state=7)["summary"]
    assert first.equals(again)


def test_mapping_applies_to_predicted_and_to_fine_gold_labels():
    mapping = {"news": "inform", "services": "inform", "survey": "ask", "appeal": "ask"}
    predicted = ["news", "services", "survey", "appeal", "news"]
    coarse_gold = ["inform", "ask", "ask", "ask", "inform"]
    fine_gold = ["services", "survey", "appeal", "survey", "news"]
    a = gs.classification_agreement(predicted, coarse_gold, mapping, n_boot=0)
    b = gs.classification_agreement(predicted, fine_gold, mapping, n_boot=0)
    assert a["confusion"].equals(b["confusion"])
    assert a["confusion"].loc["ask", "inform"] == 1 and a["confusion"].loc["inform", "inform"] == 2
    assert a["summary"].set_index("measure").loc["accuracy", "estimate"] == pytest.approx(4 / 5)
    with pytest.raises(ValueError, match=r"predicted label\(s\) \['tweet'\]"):
        gs.classification_agreement(predicted + ["tweet"], coarse_gold + ["ask"], mapping)
    with pytest.raises(ValueError, match=r"gold label\(s\) \['unsure'\]"):
        gs.classification_agreement(predicted, coarse_gold[:4] + ["unsure"], mapping)


def test_validate_maps_themes_onto_a_coarser_scheme():
    posts = ["road closed today", "take our survey", "road works", "survey open now"] * 3
    scorer = gs.ThemeScorer(codebook=None, method="supervised", random_state=0).fit(posts, ["x", "y", "x", "y"] * 3)
    out = scorer.validate(posts, ["inform", "ask", "inform", "ask"] * 3, mapping={"x": "inform", "y": "ask"}, n_boot=50)
    assert out["summary"].set_index("measure").loc["macro_f1", "estimate"] == 1.0
    with pytest.raises(ValueError, match=r"predicted label\(s\) \['y'\]"):
        scorer.validate(posts, ["inform"] * 12, mapping={"x": "inform"})


@pytest.mark.parametrize("predicted, gold, match", [(["a"], ["a", "b"], "1 predictions but 2"), ([], [], "no posts")])
def test_bad_input_says_what_is_wrong(predicted, gold, match):
    with pytest.raises(ValueError, match=match):
        gs.classification_agreement(predicted, gold)


def test_verbose_shows_the_stages_and_changes_nothing(capsys):
    posts = [
        "Have your say: take our survey",
        "Road closed today, more info online",
        "@sam sorry to hear that",
        "Apply online for your permit now",
    ] * 5
    quiet = gs.ThemeScorer("oecd", "seeded", n_iter=20, random_state=0).fit(posts)
    capsys.readouterr()
    loud = gs.ThemeScorer("oecd", "seeded", n_iter=20, random_state=0, verbose=True).fit(posts)
    err = capsys.readouterr().err
    assert "ThemeScorer.fit" in err
    assert (quiet.predict_proba(posts).to_numpy() == loud.predict_proba(posts).to_numpy()).all()
    loud.validate(posts, quiet.predict(posts), n_boot=10)
    assert "ThemeScorer.validate" in capsys.readouterr().err


def test_agreement_tables_follow_the_interval_convention():
    """estimate, low, high, level, n in both tables (issue 11, point 8); n counted here."""
    gold = ["a", "a", "b", "b", "b", "c"]
    out = gs.classification_agreement(["a", "b", "b", "b", "c", "c"], gold, n_boot=50, random_state=0, level=0.9)
    for key in ("summary", "per_class"):
        columns = list(out[key].columns)
        at = columns.index("estimate")
        assert columns[at : at + 5] == ["estimate", "low", "high", "level", "n"]
        assert (out[key]["level"] == 0.9).all()
    assert (out["summary"]["n"] == 6).all()
    per = out["per_class"].drop_duplicates("class").set_index("class")["n"].to_dict()
    assert per == {c: gold.count(c) for c in ("a", "b", "c")}

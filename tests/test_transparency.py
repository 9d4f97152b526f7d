"""Transparency: the generator plants it (calibrated, and without touching the rest of the
corpus), the codebook loads, the uses study reports it and checks it against the truth."""

import numpy as np
import pandas as pd
import pytest

from govsocial.analysis.themes import load_codebook
from govsocial.core.exceptions import InputError
from govsocial.data.synth import generate
from govsocial.data.synth._config import TRANSPARENCY_MODEL
from govsocial.data.synth.transparency_frames import TYPES
from govsocial.workflow.config import load_config
from govsocial.workflow.runner import run

from ._helpers import write_study_config
from .conftest import BUNDLED


def _truth(folder):
    return pd.read_csv(folder / "truth.csv.gz", dtype=str, keep_default_na=False).set_index("post_id")


def test_truth_columns_are_consistent(small_corpus):
    truth = _truth(small_corpus)
    gov = truth[truth["author_type"] == "government"]
    citizen = truth[truth["author_type"] == "citizen"]
    assert (citizen["transparency"] == "").all() and (citizen["transparency_prob"] == "").all()
    prob = gov["transparency_prob"].astype(float)
    assert prob.between(0, 1).all()
    assert set(gov["transparency"]) - {""} <= set(TYPES)
    assert (prob[gov["transparency"] != ""] > 0).all()  # nothing transparent that could not be
    assert (gov.loc[gov["kind"] == "gov_correction", "transparency"] == "").all()
    # answers are transparent only by citing a source, and then form their own canned groups
    answers = gov[gov["kind"] == "gov_response"]
    cited = answers["transparency"] == "cited_source"
    assert set(answers["transparency"]) <= {"", "cited_source"}
    assert answers.loc[cited, "dup_group"].str.startswith("canned_source:").all()
    assert answers.loc[~cited, "dup_group"].str.startswith("canned:").all()


def test_the_bundled_corpus_is_transparent_as_often_as_planted():
    """Per agency and per month, the realised share of transparent agency posts is within 4
    binomial standard errors of the mean planted probability (computed here from the truth file)."""
    truth = _truth(BUNDLED)
    gov = truth[truth["author_type"] == "government"].copy()
    gov["p"] = gov["transparency_prob"].astype(float)
    gov["y"] = (gov["transparency"] != "").astype(float)
    gov["month"] = pd.to_datetime([((int(i) >> 22) + 1288834974657) for i in gov.index], unit="ms", utc=True).strftime(
        "%Y-%m"
    )
    for key in ("account_id", "month"):
        for _, part in gov.groupby(key):
            se = np.sqrt((part["p"] * (1 - part["p"])).sum()) / len(part)
            assert abs(part["y"].mean() - part["p"].mean()) <= 4 * se + 1 / len(part)
    by_agency = gov.groupby("account_id")["p"].mean()
    assert by_agency.max() - by_agency.min() > 0.2  # agencies differ ...
    by_month = gov.groupby("month")["p"].mean()
    assert by_month.iloc[-1] > by_month.iloc[0]  # ... and so does time (the mean trend is positive)


def test_transparency_draws_leave_the_rest_of_the_corpus_unchanged(tmp_path, monkeypatch):
    with_it = generate(seed=3, n_posts=400, n_agencies=6, out_dir=tmp_path / "a")
    for theme in TRANSPARENCY_MODEL["theme_multiplier"]:
        monkeypatch.setitem(TRANSPARENCY_MODEL["theme_multiplier"], theme, 0.0)
    monkeypatch.setitem(TRANSPARENCY_MODEL, "response_multiplier", 0.0)
    without = generate(seed=3, n_posts=400, n_agencies=6, out_dir=tmp_path / "b")
    a, b = _truth(with_it), _truth(without)
    assert a.index.equals(b.index)
    added = (a["transparency"] != "") & (b["transparency"] == "")
    assert added.sum() > 10
    same = [c for c in a.columns if c not in ("transparency", "transparency_prob", "dup_group")]
    pd.testing.assert_frame_equal(a[same], b[same])
    assert (a.loc[~added, "dup_group"] == b.loc[~added, "dup_group"]).all()
    posts = {}
    for name, folder in (("a", with_it), ("b", without)):
        import govsocial as gs

        table, _ = gs.read_posts(folder / "posts.jsonl.gz")
        posts[name] = table.set_index("post_id")["text"]
    changed = posts["a"] != posts["b"].reindex(posts["a"].index)
    kinds = a.loc[changed[changed].index, "kind"]
    assert set(kinds) <= {"gov_post", "gov_response", "citizen_retweet"}  # retweets copy the text
    assert changed[a.index[added]].all()


def test_the_codebook_has_a_default_and_six_kinds():
    book = load_codebook("transparency")
    assert book.names[0] == "not_transparent" and tuple(book.names[1:]) == TYPES
    assert book.self_training == "all" and load_codebook("oecd").self_training == "confident"


def test_a_codebook_with_an_unknown_self_training_is_refused(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text('self_training = "some"\n[themes.a]\nlabel = "A"\ndefinition = "a"\nseeds = ["x"]\n')
    with pytest.raises(InputError, match="self_training"):
        load_codebook(path)


def test_config_names_the_transparency_codebook(tmp_path):
    assert load_config(None).themes.transparency == "transparency"
    bad = tmp_path / "bad.toml"
    bad.write_text('[themes]\ntransparency = "nope"\n')
    with pytest.raises(InputError, match="themes.transparency"):
        load_config(bad)


def _config(tmp_path, corpus, transparency=None):
    themes = "" if transparency is None else f'transparency = "{transparency}"'
    return write_study_config(
        tmp_path,
        corpus,
        name="t",
        results="out",
        experiments='["uses"]',
        codebooks='["oecd"]',
        themes=themes,
        topics=False,
    )


@pytest.mark.slow
def test_uses_reports_transparency_and_checks_it(small_corpus, tmp_path):
    run([_config(tmp_path, small_corpus)], log=lambda message: None)
    out = tmp_path / "out" / "t" / "uses"
    overall = pd.read_csv(out / "transparent_posts.csv").set_index("scope")
    truth = _truth(small_corpus)
    gov = truth[(truth["author_type"] == "government")]
    realised = (gov["transparency"] != "").mean()
    assert overall.loc["transparent", "n"] == len(gov)
    assert abs(overall.loc["transparent", "estimate"] - realised) < 0.05
    assert (
        overall.loc["transparent", "low"]
        <= overall.loc["transparent", "estimate"]
        <= overall.loc["transparent", "high"]
    )
    kinds = overall.drop(index="transparent")
    assert list(kinds.index) == list(TYPES)
    assert kinds["estimate"].sum() == pytest.approx(overall.loc["transparent", "estimate"])
    agencies = pd.read_csv(out / "transparent_posts_by_agency.csv")
    assert len(agencies) == gov["account_id"].nunique() and agencies["n"].sum() == len(gov)
    months = pd.read_csv(out / "transparent_posts_by_month.csv")
    assert months["n"].sum() == len(gov)
    checks = pd.read_csv(out / "ground_truth.csv")
    rows = checks[checks["quantity"].str.startswith("share of transparent posts")]
    assert len(rows) == 1 + len(agencies) + len(months)
    # the planted expected share of each agency is the mean planted probability of its posts
    p = gov.assign(p=gov["transparency_prob"].astype(float)).groupby("account_id")["p"].mean()
    assert sorted(rows["planted"].iloc[1 : 1 + len(agencies)].round(6)) == sorted(p.round(6))
    assert "Transparency (transparency codebook)" in (out / "summary.md").read_text()


@pytest.mark.slow
def test_uses_without_transparency(small_corpus, tmp_path):
    run([_config(tmp_path, small_corpus, transparency="")], log=lambda message: None)
    out = tmp_path / "out" / "t" / "uses"
    assert (out / "oecd_shares.csv").exists() and not list(out.glob("transparent_posts*"))

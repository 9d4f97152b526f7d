"""The bundled corpus: deterministic, loads cleanly, and its truth lines up with its posts."""

import hashlib
import json

import numpy as np
import pandas as pd
import pytest

import govsocial as gs
from govsocial.data.synth import SynthConfig, generate
from govsocial.data.synth import frames as synth_frames

from .conftest import BUNDLED

FILES = ("posts.jsonl.gz", "truth.csv.gz", "accounts.csv", "effects.json", "CARD.md")


def _digest(folder):
    return {name: hashlib.sha256((folder / name).read_bytes()).hexdigest() for name in FILES}


@pytest.mark.slow
def test_bundled_corpus_regenerates_identically(tmp_path):
    effects = json.loads((BUNDLED / "effects.json").read_text())
    cfg = effects["config"]
    out = generate(seed=cfg["seed"], n_posts=cfg["n_posts"], n_agencies=cfg["n_agencies"], out_dir=tmp_path)
    assert _digest(out) == _digest(BUNDLED)


@pytest.mark.slow
def test_bundled_corpus_loads_with_zero_rejects_and_validates():
    posts, rejects = gs.read_posts(
        BUNDLED / "posts.jsonl.gz", registry=BUNDLED / "accounts.csv", unregistered="citizen"
    )
    assert len(rejects) == 0
    assert len(posts) == 20_000
    gs.validate(posts)
    truth = pd.read_csv(BUNDLED / "truth.csv.gz", dtype={"post_id": str, "account_id": str})
    assert set(truth["post_id"]) == set(posts["post_id"])
    merged = posts.merge(truth, on="post_id")
    assert (merged["account_type"].astype(str) == merged["author_type"]).all()


def test_same_seed_same_files_other_seed_other_files(tmp_path):
    a = generate(seed=3, n_posts=300, n_agencies=8, out_dir=tmp_path / "a")
    b = generate(seed=3, n_posts=300, n_agencies=8, out_dir=tmp_path / "b")
    c = generate(seed=4, n_posts=300, n_agencies=8, out_dir=tmp_path / "c")
    assert _digest(a) == _digest(b)
    assert _digest(a)["posts.jsonl.gz"] != _digest(c)["posts.jsonl.gz"]


@pytest.fixture(scope="module")
def loaded(small_corpus):
    posts, rejects = gs.read_posts(
        small_corpus / "posts.jsonl.gz", registry=small_corpus / "accounts.csv", unregistered="citizen"
    )
    truth = pd.read_csv(small_corpus / "truth.csv.gz", dtype=str, keep_default_na=False)
    effects = json.loads((small_corpus / "effects.json").read_text())
    return posts, rejects, truth.set_index("post_id").loc[posts["post_id"]].reset_index(), effects


def test_structure_matches_the_truth(loaded):
    posts, rejects, truth, effects = loaded
    assert len(rejects) == 0 and len(posts) == 1500
    gov = truth["author_type"] == "government"
    assert set(truth.loc[gov, "theme"]) <= set(synth_frames.THEMES)
    assert (truth.loc[~gov, "theme"] == "").all()
    # responses reply to the request they answer, from the addressed agency
    answered = truth[truth["answered"] == "1"]
    by_id = posts.set_index("post_id")
    for _, row in answered.head(50).iterrows():
        response = by_id.loc[row["response_post_id"]]
        assert response["reply_to_post_id"] == row["post_id"]
        assert response["account_id"] == row["addressed_account_id"]
        latency = (response["created_at"] - by_id.loc[row["post_id"], "created_at"]).total_seconds()
        assert latency == pytest.approx(float(row["response_latency_s"]), abs=1)
    # conversation ids point at a root that exists
    assert posts["conversation_id"].isin(posts["post_id"]).all()
    # retweets share a near-duplicate group with their original
    rts = posts[posts["is_repost"]]
    assert len(rts) > 0 and (truth.loc[rts.index, "dup_group"] != "").all()


def test_planted_personal_information_is_in_the_text(loaded):
    posts, _, truth, _ = loaded
    planted = truth[truth["pii_values"] != ""]
    assert len(planted) > 20
    for (_, row), text in zip(planted.iterrows(), posts.loc[planted.index, "text"]):
        for value in json.loads(row["pii_values"]):
            assert value in text
    assert set(";".join(planted["pii_types"]).split(";")) == {"email", "phone", "address"}


def test_templates_make_near_duplicate_groups(loaded):
    posts, _, truth, _ = loaded
    templates = truth[truth["kind"] == "gov_template"]
    assert templates["dup_group"].str.startswith("tpl:").all()
    assert templates["dup_group"].value_counts().max() >= 5


def test_replies_never_exceed_reply_counts_while_slots_last(loaded):
    posts, _, truth, _ = loaded
    observed = posts["reply_to_post_id"].value_counts()
    counts = posts.set_index("post_id")["replies"]
    gov_posts = truth.loc[truth["kind"].isin(["gov_post", "gov_template"]), "post_id"]
    over = [(pid, n) for pid, n in observed.items() if pid in set(gov_posts) and n > counts[pid]]
    assert len(over) <= 0.05 * len(gov_posts)


def test_realised_theme_shares_are_recorded(loaded):
    posts, _, truth, effects = loaded
    gov = truth[truth["author_type"] == "government"]
    shares = gov["theme"].value_counts(normalize=True)
    for theme, share in effects["realised_theme_shares"].items():
        assert share == pytest.approx(shares.get(theme, 0.0), abs=1e-6)


def test_engagement_follows_the_documented_model(loaded):
    """Mean log-likes by theme are ordered as the planted coefficients say (a coarse check)."""
    posts, _, truth, effects = loaded
    gov = (truth["author_type"] == "government").to_numpy()
    frame = pd.DataFrame(
        {"theme": truth.loc[gov, "theme"].to_numpy(), "likes": posts.loc[gov, "likes"].to_numpy(dtype=float)}
    )
    means = frame.groupby("theme")["likes"].mean()
    assert means["responding_to_requests"] < means["providing_information"]
    assert effects["engagement"]["theme"]["likes"]["responding_to_requests"] < 0


def test_invalid_settings_are_refused():
    with pytest.raises(ValueError, match="n_posts must be an int in \\[50, inf\\); got 5"):
        generate(n_posts=5)
    with pytest.raises(ValueError, match="must leave room"):
        SynthConfig(gov_share=0.6, request_share=0.3, retweet_share=0.1).check()
    with pytest.raises(TypeError, match="unknown generator option"):
        generate(n_posts=100, colour="blue")


def test_times_are_inside_the_period(loaded):
    posts, _, _, effects = loaded
    start = pd.Timestamp(effects["config"]["start"], tz="UTC")
    end = start + pd.Timedelta(days=effects["config"]["days"])
    assert posts["created_at"].between(start, end, inclusive="left").all()
    assert np.all(np.diff(posts["post_id"].astype("int64").to_numpy()) > 0)  # snowflake ids follow time

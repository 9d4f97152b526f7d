"""Planted topic prevalence: the generator draws original posts' topics as its documented model
says, writes the probabilities to the truth, and the draws follow them."""

import json
import math

import numpy as np
import pandas as pd

from govsocial.data.synth import frames as synth_frames
from govsocial.data.synth._config import PREVALENCE_MODEL

from .conftest import BUNDLED

TWITTER_EPOCH_MS = 1288834974657


def _truth(folder):
    return pd.read_csv(folder / "truth.csv.gz", dtype=str, keep_default_na=False).set_index("post_id")


def _probs(cell):
    return {key: float(value) for key, value in (pair.rsplit(":", 1) for pair in cell.split(";"))}


def test_effects_are_recorded_as_documented(small_corpus):
    prevalence = json.loads((small_corpus / "effects.json").read_text())["prevalence"]
    for name in ("public", "time"):
        values = np.array(list(prevalence[name].values()))
        assert len(values) == 24 and (values != 0).sum() == PREVALENCE_MODEL[f"n_{name}"]
        low, high = PREVALENCE_MODEL[f"{name}_size"]
        assert ((np.abs(values[values != 0]) >= low) & (np.abs(values[values != 0]) <= high)).all()


def test_truth_probabilities_follow_the_model(small_corpus):
    """Recompute every original post's probabilities from effects.json and the post's time and
    author (independently of the generator's code) and compare with the truth file."""
    truth = _truth(small_corpus)
    effects = json.loads((small_corpus / "effects.json").read_text())
    prevalence, cfg = effects["prevalence"], effects["config"]
    mix = {a["account_id"]: a["topic_mix"] for a in effects["agencies"]}
    start = pd.Timestamp(cfg["start"], tz="UTC").value / 1e6
    drawn = truth[truth["kind"].isin(["gov_post", "citizen_chatter"])]
    drawn = pd.concat([drawn, truth[(truth["kind"] == "citizen_request") & (truth["topic_probs"] != "")]])
    assert len(drawn) > 500
    for post_id, row in drawn.iterrows():
        public = row["author_type"] == "citizen"
        agency = row["addressed_account_id"] if public else row["account_id"]
        if public and not agency:  # chatter names no agency: check the probabilities' own consistency
            probs = _probs(row["topic_probs"])
            assert abs(sum(probs.values()) - 1) < 1e-5 and probs[row["topic"]] > 0
            continue
        u = (((int(post_id) >> 22) + TWITTER_EPOCH_MS) - start) / (cfg["days"] * 86400 * 1000)
        eta = {
            k: math.log(max(m, 1e-9)) + prevalence["public"][k] * public + prevalence["time"][k] * (u - 0.5)
            for k, m in mix[agency].items()
        }
        total = sum(math.exp(v) for v in eta.values())
        expected = {k: math.exp(v) / total for k, v in eta.items()}
        got = _probs(row["topic_probs"])
        assert got.keys() == expected.keys()
        assert max(abs(got[k] - expected[k]) for k in got) < 1e-3  # times are whole seconds in the ids
        assert got[row["topic"]] > 0


def test_inherited_topics_have_no_probabilities_and_templates_are_fixed(small_corpus):
    truth = _truth(small_corpus)
    inherited = truth["kind"].isin(["citizen_reply", "citizen_retweet", "gov_response", "gov_correction"])
    assert (truth.loc[inherited, "topic_probs"] == "").all()
    templates = truth[truth["kind"] == "gov_template"]
    for _, row in templates.iterrows():
        portfolio, k = row["dup_group"].split(":")[1:]
        assert row["topic"] == f"{portfolio}/{synth_frames.TEMPLATE_TOPICS[portfolio][int(k)]}"
        assert _probs(row["topic_probs"])[row["topic"]] == 1.0


def test_the_bundled_corpus_draws_topics_as_often_as_planted():
    """For each topic, among the agencies' and among the public's original posts, the realised
    share is within 4 binomial standard errors of the mean planted probability."""
    truth = _truth(BUNDLED)
    drawn = truth[truth["topic_probs"] != ""]
    probs = pd.DataFrame([_probs(c) for c in drawn["topic_probs"]], index=drawn.index).fillna(0.0)
    for _, part in drawn.groupby("author_type"):
        p = probs.loc[part.index]
        for topic in p.columns:
            y = (part["topic"] == topic).to_numpy(float)
            q = p[topic].to_numpy()
            se = np.sqrt((q * (1 - q)).sum()) / len(q)
            assert abs(y.mean() - q.mean()) <= 4 * se + 1 / len(q), topic

"""ThemeScorer.query and govsocial.analysis.themes.active: which posts to code next."""

import numpy as np
import pandas as pd
import pytest

import govsocial as gs
from govsocial.analysis.themes.active import select_batch, uncertainty

ROADS = [
    f"road {w} closed near the {p} today"
    for w in ("works", "repairs", "resurfacing")
    for p in ("park", "bridge", "school")
]
SURVEYS = [
    f"take our {w} survey about the {p}" for w in ("short", "online", "new") for p in ("park", "bridge", "school")
]
MIXED = [
    f"survey on road {w} near the {p}" for w in ("works", "repairs", "closures") for p in ("park", "bridge", "school")
]
POSTS = ROADS + SURVEYS + MIXED


def _semi():
    labels = ["info"] * 3 + [None] * 6 + ["ask"] * 3 + [None] * 6 + [None] * 9
    return gs.ThemeScorer(codebook=None, method="semi", n_topics=3, n_iter=10, random_state=0).fit(POSTS, labels)


def test_uncertainty_by_hand():
    proba = np.array([[0.7, 0.2, 0.1], [0.4, 0.4, 0.2], [1.0, 0.0, 0.0]])
    np.testing.assert_allclose(uncertainty(proba, "margin"), [1 - 0.5, 1 - 0.0, 1 - 1.0])
    entropy = [
        -(0.7 * np.log(0.7) + 0.2 * np.log(0.2) + 0.1 * np.log(0.1)) / np.log(3),
        -(2 * 0.4 * np.log(0.4) + 0.2 * np.log(0.2)) / np.log(3),
        0.0,
    ]
    np.testing.assert_allclose(uncertainty(proba, "entropy"), entropy, atol=1e-12)


def test_a_batch_is_uncertain_and_spread_over_groups():
    # two tight groups of uncertain posts (the first slightly more uncertain) and confident posts elsewhere
    rng = np.random.default_rng(0)
    X = np.vstack(
        [
            rng.normal([5, 0, 0], 0.01, (10, 3)),
            rng.normal([0, 5, 0], 0.01, (10, 3)),
            rng.normal([0, 0, 5], 0.01, (30, 3)),
        ]
    )
    scores = np.concatenate([np.full(10, 0.95), np.full(10, 0.9), np.full(30, 0.1)])
    batch = select_batch(X, scores, 2, pool=10, random_state=0)
    assert sorted(batch // 10) == [0, 1]  # one from each uncertain group, not the two most uncertain
    top = select_batch(X, scores, 2, pool=1, random_state=0)  # pool 1: plain uncertainty sampling
    assert (top < 10).all()


def test_query_skips_coded_posts_and_copies_of_them_and_is_deterministic():
    scorer = _semi()
    first = scorer.query(POSTS, 5)
    assert len(first) == len(set(first)) == 5
    coded = {0, 1, 2, 9, 10, 11}
    assert not coded & set(first.tolist())
    assert first.tolist() == _semi().query(POSTS, 5).tolist()
    # a copy of a coded post (other link, other case) is never proposed
    copy = POSTS + [POSTS[0].upper() + " https://t.co/abc"]
    assert len(POSTS) not in scorer.query(copy, 20).tolist()
    more = scorer.query(POSTS, 5, coded=first)
    assert not set(more.tolist()) & (coded | set(first.tolist()))
    left = len(POSTS) - len(coded)
    assert len(scorer.query(POSTS, 100)) == left  # fewer posts left than asked for


def test_query_returns_post_ids_for_a_posts_table():
    scorer = _semi()
    table = pd.DataFrame({"post_id": [f"p{i}" for i in range(len(POSTS))], "text": POSTS})
    ids = scorer.query(table, 4, coded=["p3", "p4"])
    assert set(ids) <= set(table["post_id"]) - {"p0", "p1", "p2", "p3", "p4", "p9", "p10", "p11"}
    assert ids.tolist() == [f"p{i}" for i in scorer.query(POSTS, 4, coded=[3, 4])]
    with pytest.raises(ValueError, match="not in the posts table"):
        scorer.query(table, 4, coded=["nope"])


def test_query_with_supervised_and_seeded_scorers_and_bad_arguments():
    labels = ["info"] * 9 + ["ask"] * 9
    sup = gs.ThemeScorer(codebook=None, method="supervised", random_state=0).fit(POSTS[:18], labels)
    picked = sup.query(POSTS, 3)
    assert all(p >= 18 for p in picked)  # the coded posts are skipped
    seeded = gs.ThemeScorer("oecd", "seeded", random_state=0).fit(POSTS)
    assert len(seeded.query(POSTS, 3)) == 3
    random = sup.query(POSTS, 3, strategy="random")
    assert all(p >= 18 for p in random) and random.tolist() == sup.query(POSTS, 3, strategy="random").tolist()
    with pytest.raises(ValueError, match="n must be an int >= 1"):
        sup.query(POSTS, 0)
    with pytest.raises(ValueError, match="strategy must be one of"):
        sup.query(POSTS, 2, strategy="greedy")

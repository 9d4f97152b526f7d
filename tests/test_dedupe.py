"""Near-duplicates: hand-made groups, determinism, scale behaviour, recovery on the generated corpus."""

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import pair_confusion_matrix

import govsocial.core.schema as schema
from govsocial.text.dedupe import dedupe_table, near_duplicates, shingle_ids

from .conftest import BUNDLED


def test_templates_retweets_and_unrelated_posts():
    texts = [
        "ROAD CLOSURE: Wattle Street in Kelbrook will be closed from 3 May for resurfacing works. Allow extra time.",
        "ROAD CLOSURE: Banksia Road in Dunford will be closed from 17 June for resurfacing works. Allow extra time.",
        "RT @roads: ROAD CLOSURE: Wattle Street in Kelbrook will be closed from 3 May for resurfacing works. "
        "Allow extra time.",
        "Flu vaccines are free for children under five this winter, book with your GP",
        "Have your say on the new bike lanes in the city centre before Friday",
        "",
    ]
    groups = near_duplicates(texts)
    assert groups[0] == groups[1] == groups[2]
    assert len({groups[3], groups[4], groups[0]}) == 3
    assert groups.tolist()[:1] == [0]  # labels follow first appearance


def test_determinism_and_index():
    s = pd.Series(["a b c d e f", "a b c d e g", "x y z"], index=["p1", "p2", "p3"])
    a, b = near_duplicates(s, threshold=0.3), near_duplicates(s, threshold=0.3)
    pd.testing.assert_series_equal(a, b)
    assert list(a.index) == ["p1", "p2", "p3"]


def test_invalid_arguments():
    with pytest.raises(ValueError, match="threshold"):
        near_duplicates(["a"], threshold=0)
    with pytest.raises(ValueError, match="bands must divide"):
        near_duplicates(["a"], num_perm=64, bands=10)
    with pytest.raises(TypeError, match="many texts"):
        near_duplicates("one string")
    assert len(near_duplicates([])) == 0


@pytest.mark.slow
def test_shingles_do_not_depend_on_python_hash_seed():
    import subprocess
    import sys

    code = "from govsocial.text.dedupe import shingle_ids; print(shingle_ids(['a b c d'])[0].tolist())"
    outs = {
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env={"PYTHONHASHSEED": str(seed), "PATH": ""}
        ).stdout
        for seed in (1, 2)
    }
    assert len(outs) == 1 and shingle_ids(["a b c d"])[0].tolist() == eval(outs.pop())


def test_dedupe_table_marks_representatives():
    posts = schema.conform(
        {
            "post_id": list("abcd"),
            "platform": ["x"] * 4,
            "text": [
                "Pool open all weekend in Kinford for everyone",
                "Pool open all weekend in Marford for everyone",
                "Something else entirely",
                "Pool open all weekend in Kinford for everyone",
            ],
        }
    )
    table = dedupe_table(posts)
    assert table["group_size"].tolist() == [3, 3, 1, 3]
    assert table["is_representative"].tolist() == [True, False, True, False]
    with pytest.raises(ValueError, match="3 values for 4 posts"):
        dedupe_table(posts, groups=[0, 0, 1])


@pytest.mark.slow
def test_recovers_the_planted_groups_of_the_bundled_corpus():
    import govsocial as gs

    posts, _ = gs.read_posts(BUNDLED / "posts.jsonl.gz")
    truth = pd.read_csv(BUNDLED / "truth.csv.gz", dtype=str, keep_default_na=False).set_index("post_id")
    truth = pd.factorize(truth.loc[posts["post_id"], "dup_group"])[0]
    groups = near_duplicates(posts["text"].tolist())
    (tn, fp), (fn, tp) = pair_confusion_matrix(truth, groups) / 2
    assert tp / (tp + fp) >= 0.95 and tp / (tp + fn) >= 0.95
    frame = pd.DataFrame({"t": truth, "g": groups})
    sizes = frame.groupby("t")["g"].transform("size")
    multi = frame[sizes > 1]
    found = multi.groupby("t")["g"].agg(lambda g: g.value_counts(normalize=True).iloc[0] >= 0.9)
    assert found.mean() >= 0.95
    assert np.all(groups >= 0)

"""Redaction: per-detector precision and recall on a labelled set, and the placeholders."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import govsocial.core.schema as schema
from govsocial.text.privacy import (PII_TYPES, find_pii, luhn_valid, medicare_valid, pseudonymise, redact,
                               redact_column, redact_posts, tfn_valid)

from .pii_cases import CASES


def _scores():
    tp = dict.fromkeys(PII_TYPES, 0)
    fp, fn = dict(tp), dict(tp)
    for text, expected in CASES:
        found = find_pii(text)
        for kind, value in expected:
            if any(f[0] == kind and (value in f[3] or f[3] in value) for f in found):
                tp[kind] += 1
            else:
                fn[kind] += 1
        for f in found:
            if not any(f[0] == k and (v in f[3] or f[3] in v) for k, v in expected):
                fp[f[0]] += 1
    return tp, fp, fn


def test_labelled_set_is_large_and_half_hard_negatives():
    assert len(CASES) >= 300
    assert sum(1 for _, e in CASES if not e) >= len(CASES) // 2


@pytest.mark.parametrize("kind", PII_TYPES)
def test_detector_precision_and_recall_at_least_095(kind):
    tp, fp, fn = _scores()
    precision = tp[kind] / max(tp[kind] + fp[kind], 1)
    recall = tp[kind] / max(tp[kind] + fn[kind], 1)
    assert tp[kind] >= 10
    assert precision >= 0.95 and recall >= 0.95, (kind, precision, recall)


def test_checksums():
    assert luhn_valid("4111111111111111") and not luhn_valid("4111111111111112")
    assert tfn_valid("876 543 210") and not tfn_valid("876 543 211")
    assert medicare_valid("2123 45670 1") and not medicare_valid("1123 45670 1")


def test_redact_replaces_and_counts():
    text, found = redact("Email jo.citizen@example.com or call 0491 570 156, TFN 123 456 782")
    assert text == "Email <EMAIL> or call <PHONE>, TFN <TFN>"
    assert found == {"tfn": 1, "phone": 1, "email": 1}
    assert redact("nothing to see") == ("nothing to see", {})
    with pytest.raises(TypeError, match="redact_column"):
        redact(["a list"])


def test_redact_column_and_posts_keep_the_index():
    posts = schema.conform({"post_id": ["a", "b"], "platform": ["x", "x"],
                            "text": ["reach me on 0491 570 111", "all fine"]})
    red, counts = redact_posts(posts)
    assert red["text"].tolist() == ["reach me on <PHONE>", "all fine"]
    assert counts["post_id"].tolist() == ["a", "b"] and counts["phone"].tolist() == [1, 0]
    schema.validate(red)
    with pytest.raises(TypeError):
        redact_column("one string")
    empty, empty_counts = redact_column(pd.Series([], dtype="string"))
    assert len(empty) == 0 and list(empty_counts.columns) == list(PII_TYPES)


def test_pseudonymise_keeps_government_names_and_is_stable():
    posts = schema.conform({"post_id": ["1", "2", "3"], "platform": ["twitter"] * 3,
                            "account_id": ["9", "5", "5"], "account_name": ["HealthDept", "jo_b", "jo_b"],
                            "account_type": ["government", "citizen", "citizen"],
                            "reply_to_account_id": ["5", "9", None],
                            "text": ["@jo_b see the link", "@HealthDept thanks", "hi"]})
    a, b = pseudonymise(posts, "k1"), pseudonymise(posts, "k1")
    pd.testing.assert_frame_equal(a, b)
    assert a.loc[0, "account_name"] == "HealthDept" and a.loc[1, "account_name"].startswith("user_")
    assert a.loc[1, "account_name"] == a.loc[2, "account_name"]
    assert a.loc[0, "text"] == f"@{a.loc[1, 'account_name']} see the link"
    assert a.loc[0, "reply_to_account_id"].startswith("user_") and a.loc[1, "reply_to_account_id"] == "9"
    assert pseudonymise(posts, "k2").loc[1, "account_name"] != a.loc[1, "account_name"]
    with pytest.raises(ValueError, match="key"):
        pseudonymise(posts, "")


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_redact_never_raises_and_leaves_no_detectable_pii(text):
    red, counts = redact(text)
    assert isinstance(red, str)
    assert sum(counts.values()) == sum(red.count(f"<{k.upper()}>") for k in PII_TYPES) - sum(
        text.count(f"<{k.upper()}>") for k in PII_TYPES)


def test_every_planted_value_in_the_generated_corpus_is_redacted(small_corpus):
    import json

    import govsocial as gs

    posts, _ = gs.read_posts(small_corpus / "posts.jsonl.gz")
    truth = pd.read_csv(small_corpus / "truth.csv.gz", dtype=str, keep_default_na=False).set_index("post_id")
    truth = truth.loc[posts["post_id"]]
    red, counts = redact_posts(posts)
    planted = (truth["pii_values"] != "").to_numpy()
    assert planted.sum() > 50
    for text, values in zip(red["text"][planted], truth["pii_values"][planted]):
        assert not any(v in text for v in json.loads(values))
    assert counts.loc[~planted, list(PII_TYPES)].to_numpy().sum() == 0  # nothing found where nothing was planted

"""Threads, requests, responses, business hours and Kaplan–Meier responsiveness."""

import json
import warnings

import numpy as np
import pandas as pd
import pytest

import govsocial as gs
from govsocial.analysis.conversation import (
    addressed_posts,
    business_seconds,
    classify_message,
    responses,
    responsiveness,
    threads,
)
from govsocial.core import schema

from .conftest import BUNDLED


def test_threads_from_reply_ids_and_missing_parents():
    posts = schema.conform(
        {
            "post_id": ["1", "2", "3", "4", "5"],
            "platform": ["x"] * 5,
            "text": list("abcde"),
            "reply_to_post_id": [None, "1", "2", "99", "1"],
            "conversation_id": ["1", "1", "1", "50", "1"],
        }
    )
    t = threads(posts)
    assert t.loc["3", "root_id"] == "1" and t.loc["3", "depth"] == 2
    assert t.loc["5", "depth"] == 1 and t.loc["1", "thread_size"] == 4
    assert t.loc["4", "root_id"] == "50" and t.loc["4", "depth"] == 1  # parent outside the data


def test_classify_message_precedence():
    assert classify_message("@agency your post is wrong, why?") == "dispute"
    assert classify_message("@agency still waiting, can anyone help?") == "question"
    assert classify_message("@agency still nothing after 3 weeks") == "complaint"
    assert classify_message("@agency thank you!") == "praise"


def test_business_seconds_across_a_weekend_and_time_zones():
    start = pd.Timestamp("2024-01-05T16:30", tz="UTC")  # Friday
    assert business_seconds(start, start + pd.Timedelta(days=3)) == pytest.approx(0.5 * 3600 + 7.5 * 3600)
    # 23:00 UTC Thursday is 10:00 Friday in Sydney (UTC+11): one business hour until 11:00
    start = pd.Timestamp("2024-01-04T23:00", tz="UTC")
    assert business_seconds(start, start + pd.Timedelta(hours=1), "Australia/Sydney") == 3600
    assert business_seconds(start, start - pd.Timedelta(hours=1)) == 0.0


def _conversation():
    return schema.conform(
        {
            "post_id": ["g0", "q1", "a1", "q2", "c3", "p4"],
            "platform": ["x"] * 6,
            "account_id": ["g", "c1", "g", "c2", "c3", "c4"],
            "account_name": ["Agency", "u1", "Agency", "u2", "u3", "u4"],
            "account_type": ["government", "citizen", "government", "unknown", "citizen", "citizen"],
            "text": [
                "Pool opens Monday",
                "@Agency what time?",
                "@u1 9am",
                "@Agency is parking free?",
                "@Agency waited weeks for a refund, hopeless",
                "@Agency thanks, great news",
            ],
            "reply_to_post_id": [None, "g0", "q1", None, None, "g0"],
            "reply_to_account_id": [None, "g", "c1", None, None, "g"],
            "created_at": [
                "2024-01-01T00:00Z",
                "2024-01-01T01:00Z",
                "2024-01-01T03:00Z",
                "2024-01-01T02:00Z",
                "2024-01-01T04:00Z",
                "2024-01-01T05:00Z",
            ],
        }
    )


def test_requests_and_responses_keep_unanswered_as_censored():
    posts = _conversation()
    addressed = addressed_posts(posts).set_index("post_id")
    assert addressed.loc["q1", "via"] == "reply" and addressed.loc["q2", "via"] == "mention"
    assert addressed.loc["p4", "message_type"] == "praise"
    r = responses(posts, end="2024-01-02T00:00Z").set_index("post_id")
    assert list(r.index) == ["q1", "q2", "c3"]  # praise is not a request
    assert r.loc["q1", "answered"] and r.loc["q1", "latency_s"] == 7200
    assert not r.loc["q2", "answered"] and r.loc["q2", "censored"] and r.loc["q2", "duration_s"] == 22 * 3600


def test_kaplan_meier_uses_censored_requests():
    # answered after 1 h and 5 h; unanswered, censored after 2 h and 10 h
    table = pd.DataFrame(
        {
            "post_id": list("abcd"),
            "addressed_account_id": ["g"] * 4,
            "answered": [True, False, True, False],
            "latency_s": [3600, np.nan, 18000, np.nan],
            "business_latency_s": [3600, np.nan, 3600, np.nan],
            "duration_s": [3600, 7200, 18000, 36000],
        }
    )
    rows = responsiveness(table).set_index("measure")
    row = rows["estimate"]
    # S(1) = 3/4; one censored at 2 h leaves 2 at risk at 5 h: S(5) = 3/8, so P(answered by 5 h) = 0.625
    assert row["response_rate"] == 0.5 and row["km_median_h"] == 5.0
    assert np.isnan(row["km_p90_h"]) and row["median_answered_h"] == 3.0
    assert row["answered_24h"] == pytest.approx(1 - 3 / 8)
    assert rows.loc["response_rate", "low"] < 0.5 < rows.loc["response_rate", "high"]
    # n: the requests each measure is computed from (4 requests, 2 answered)
    assert rows["n"].to_dict() == {
        "response_rate": 4,
        "km_median_h": 4,
        "km_p90_h": 4,
        "answered_24h": 4,
        "median_answered_h": 2,
        "p90_answered_h": 2,
        "median_answered_business_h": 2,
    }
    assert (rows["level"] == 0.95).all() and rows.drop(index="response_rate")[["low", "high"]].isna().all().all()


@pytest.mark.slow
def test_responsiveness_matches_the_planted_truth_of_the_bundled_corpus():
    posts, _ = gs.read_posts(BUNDLED / "posts.jsonl.gz", registry=BUNDLED / "accounts.csv")
    truth = pd.read_csv(BUNDLED / "truth.csv.gz", dtype={"post_id": str}).set_index("post_id")
    registry = pd.read_csv(BUNDLED / "accounts.csv", dtype=str)
    agencies = {a["account_id"]: a for a in json.loads((BUNDLED / "effects.json").read_text())["agencies"]}
    table = responses(posts, timezones=dict(zip(registry["account_id"], registry["timezone"])))
    # detection of requests against the planted ones
    planted = set(truth.index[truth["kind"] == "citizen_request"])
    found = set(table["post_id"])
    assert len(found & planted) / len(planted) >= 0.95 and len(found & planted) / len(found) >= 0.95
    # on the planted requests, answers and latencies are exactly the planted ones
    true_rows = truth.loc[table["post_id"]]
    on_planted = (true_rows["kind"] == "citizen_request").to_numpy()
    assert (table["answered"].to_numpy()[on_planted] == (true_rows["answered"] == 1).to_numpy()[on_planted]).all()
    # per agency, the observed response rate is within sampling error of the planted probability
    table["p"] = [
        agencies[a]["response_prob_question"] if t == "question" else agencies[a]["response_prob_complaint"]
        for a, t in zip(table["addressed_account_id"], table["request_type"])
    ]
    outside = 0
    for agency, part in table.groupby("addressed_account_id"):
        expected, n = part["p"].mean(), len(part)
        se = np.sqrt(part["p"].mul(1 - part["p"]).sum()) / n
        outside += abs(part["answered"].mean() - expected) > 3 * se + 1.5 / n
    assert outside <= 1
    # and the median latency of agencies that answer at any hour matches the planted log-normal median
    summary = responsiveness(table)
    for _, row in summary[summary["measure"] == "median_answered_h"].iterrows():
        spec = agencies[row["group"]]
        if spec["business_hours_only"] or row["n"] < 30:  # n: the answered requests
            continue
        log_ratio = np.log(row["estimate"] / spec["median_latency_hours"])
        assert abs(log_ratio) < 4 * 1.2533 * spec["latency_log_sd"] / np.sqrt(row["n"])


# ------------------------------------------------ silent empties and zero posts (issue 10, point 21)
AGENCY = pd.DataFrame({"platform": ["generic"], "account_id": ["g1"]})


def _csv_posts(tmp_path, rows, registry=None):
    """Write ``rows`` as a CSV export and read it the way a researcher would."""
    path = tmp_path / "export.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    posts, rejects = gs.read_posts(path, registry=registry)
    assert len(posts) == len(rows) and rejects.empty
    return posts


def _row(pid, account, name, text, hour, parent=None, parent_account=None):
    return {
        "post_id": pid,
        "account_id": account,
        "account_name": name,
        "text": text,
        "created_at": f"2024-01-02T{hour:02d}:00:00Z",
        "reply_to_post_id": parent,
        "reply_to_account_id": parent_account,
    }


def _exchange():
    """An agency post, two citizens' questions (one by reply, one by mention), the agency's answer, chatter."""
    return [
        _row("g0", "g1", "Roads", "Main St closed for repairs today", 8),
        _row("q1", "c1", "jo", "when will it reopen?", 9, "g0", "g1"),
        _row("q2", "c2", "sam", "@Roads is the detour signposted?", 10),
        _row("a1", "g1", "Roads", "@jo by 5pm", 11, "q1", "c1"),
        _row("x1", "c3", "kim", "lovely weather for it", 12),
    ]


def test_without_a_registry_responses_and_risks_say_no_account_is_government(tmp_path):
    posts = _csv_posts(tmp_path, _exchange())  # no registry: every account_type is "unknown"
    for verb in (gs.responses, lambda p: gs.responsiveness(gs.responses(p)), gs.risk_indicators):
        with pytest.raises(gs.InputError) as caught:
            verb(posts)
        assert caught.value.field == "account_type"
        assert "no government accounts: account_type is 'unknown' for 5 posts" in str(caught.value)
        assert "registry=" in caught.value.hint and "apply_registry" in caught.value.hint


@pytest.mark.parametrize(
    "change, funnel",
    [
        ("all agencies", "of the 5 posts, 0 are by members of the public"),
        (
            "nobody addresses",
            "of the 5 posts, 4 are by members of the public, 0 of those reply to or mention a "
            "government account (1 in the data) ('reply_to_account_id' is missing in every post)",
        ),
        (
            "only thanks",
            "4 are by members of the public, 2 of those reply to or mention a government account (1 in the "
            "data), and 0 of those are questions or complaints",
        ),
    ],
)
def test_responses_warns_which_step_left_no_request(tmp_path, change, funnel):
    rows = [_row("g0", "g1", "Roads", "Main St closed for repairs today", 8)]
    texts = {
        "all agencies": ["Detour via High St", "Crews on site", "Reopening at 5pm", "Thanks for your patience"],
        "nobody addresses": ["nice day", "off to work", "traffic is bad", "coffee time"],
        "only thanks": ["@Roads thanks, very helpful", "@Roads great work", "off to work", "coffee time"],
    }[change]
    for i, text in enumerate(texts):
        rows.append(
            _row(
                f"p{i}",
                "g1" if change == "all agencies" else f"c{i}",
                "Roads" if change == "all agencies" else f"user{i}",
                text,
                9 + i,
            )
        )
    posts = _csv_posts(tmp_path, rows, registry=AGENCY)
    with pytest.warns(UserWarning, match="no requests: ") as caught:
        table = gs.responses(posts)
    assert funnel in str(caught[0].message)
    assert table.empty and "answered" in table.columns
    summary = gs.responsiveness(table)
    assert summary.empty and list(summary.columns) == ["group", "measure", "estimate", "low", "high", "level", "n"]


def test_responses_without_times_or_reply_ids_say_so(tmp_path):
    rows = _exchange()
    undated = [{**row, "created_at": None} for row in rows]
    with pytest.raises(gs.InputError, match="'created_at' is missing in all 5 posts") as caught:
        gs.responses(_csv_posts(tmp_path, undated, registry=AGENCY))
    assert caught.value.field == "created_at"
    unlinked = [{**row, "reply_to_post_id": None} for row in rows]
    with pytest.warns(
        UserWarning,
        match="'reply_to_post_id' is missing in all 5 posts, so no agency reply can be "
        "linked to a request and all 2 requests count as unanswered",
    ):
        table = gs.responses(_csv_posts(tmp_path, unlinked, registry=AGENCY))
    assert len(table) == 2 and not table["answered"].any()
    linked = gs.responses(_csv_posts(tmp_path, rows, registry=AGENCY)).set_index("post_id")
    assert linked.loc["q1", "answered"] and linked.loc["q1", "latency_s"] == 2 * 3600


def test_conversation_verbs_on_zero_posts():
    empty = gs.empty_posts()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an empty table in, an empty table out, and nothing to warn about
        tree = gs.threads(empty)
        table = gs.responses(empty)
        summary = gs.responsiveness(table)
    assert tree.empty and list(tree.columns) == ["parent_id", "root_id", "depth", "thread_size"]
    assert table.empty and list(table.columns) == [
        "post_id",
        "account_id",
        "addressed_account_id",
        "via",
        "request_type",
        "created_at",
        "answered",
        "response_post_id",
        "latency_s",
        "business_latency_s",
        "censored",
        "duration_s",
    ]
    assert summary.empty and list(summary.columns) == ["group", "measure", "estimate", "low", "high", "level", "n"]
    with pytest.raises(gs.InputError, match=r"responsiveness needs the columns \['answered'"):
        gs.responsiveness(pd.DataFrame({"post_id": []}))

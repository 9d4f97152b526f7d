"""The report's headlines: every figure a study states carries its 95 % interval and the
posts or accounts it rests on (review finding: no bare estimate in a headline)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import govsocial as gs
from govsocial.workflow.studies import engagement, responsiveness, risks, topics, uses

from ._helpers import write_study_config

INTERVAL = re.compile(r"95 % interval -?[\d.]+%?[–-]-?[\d.]+")


@pytest.fixture(scope="module")
def study(small_corpus, tmp_path_factory):
    folder = tmp_path_factory.mktemp("headlines")
    config = gs.load_config(write_study_config(folder, small_corpus, results=str(folder / "out"), codebooks='["oecd"]'))
    return gs.StudyData.load(config), config


def _line(summary: list[str], start: str) -> str:
    found = [s for s in summary if s.startswith(start)]
    assert found, summary
    return found[0]


def test_the_irr_headline_gives_its_interval_posts_and_accounts(study):
    data, config = study
    line = _line(engagement.run(data, config).summary, "Replies:")
    assert INTERVAL.search(line) and re.search(r"[\d,]+ posts of \d+ accounts", line), line


def test_the_responsiveness_headline_gives_intervals_of_the_times(study):
    data, config = study
    line = _line(responsiveness.run(data, config).summary, "")
    assert re.search(r"[\d,]+ requests to \d+ agencies", line), line
    assert line.count("95 % interval") == 3 and "resample the agencies" in line, line


def test_km_intervals_resample_agencies_and_say_not_reached():
    # agency a answers at once, b never: resamples of b alone reach no median
    table = pd.DataFrame(
        {
            "addressed_account_id": ["a"] * 5 + ["b"] * 5,
            "answered": [True] * 5 + [False] * 5,
            "duration_s": [3600.0] * 5 + [86400.0 * 5] * 5,
        }
    )
    r = responsiveness.km_intervals(table, 400, random_state=0).set_index("measure")
    assert r.loc["km_median_h", "low"] == 1.0 and np.isinf(r.loc["km_median_h", "high"])
    assert r.loc["answered_24h", "low"] == 0.0 and r.loc["answered_24h", "high"] == 1.0
    assert r["n"].tolist() == [10, 10] and r["n_agencies"].tolist() == [2, 2]
    assert responsiveness.km_intervals(table, 0)[["low", "high"]].isna().all().all()  # no resamples: no interval


def test_the_topics_headline_gives_the_agency_led_topics_with_interval_posts_and_accounts(study):
    data, config = study
    out = topics.run(data, config)
    line = _line(out.summary, "K = ")
    led = (out.tables["topic_leadership.csv"]["led_by"] == "government").sum()
    assert re.search(rf"\b{led} (is|are) led by agencies", line), line
    assert re.search(r"95 % interval \d+–\d+ topics", line) and re.search(r"the [\d,]+ accounts", line), line
    assert re.search(r"hold the [\d,]+ posts", line), line


def test_agency_led_resamples_accounts():
    # topic 1: one agency account with 4 posts against 3 citizens with 1 each — agency-led, but
    # resamples without that account make it the citizens'; topic 0 is the citizens' whatever is drawn
    frame = pd.DataFrame(
        {
            "topic": [1] * 4 + [1, 1, 1] + [0, 0],
            "gov": [True] * 4 + [False] * 5,
            "account_id": ["g"] * 4 + ["c1", "c2", "c3", "c1", "c2"],
        }
    )
    r = topics.agency_led(frame, 500, random_state=0)
    assert (r["estimate"], r["low"], r["high"], r["n"], r["n_accounts"]) == (1, 0, 1, 9, 4)
    assert np.isnan(topics.agency_led(frame, 0)["low"])


def test_the_risk_headline_and_table_give_intervals_and_n(study):
    data, config = study
    out = risks.run(data, config)
    line = _line(out.summary, "")
    assert "personal information" in line and INTERVAL.search(line), line
    assert re.search(r"[\d,]+ of [\d,]+ citizen posts to \d+ agencies", line), line
    table = out.tables["risk_indicators.csv"]
    at = list(table.columns).index("estimate")
    assert list(table.columns)[at : at + 5] == ["estimate", "low", "high", "level", "n"]
    shares = table[table["indicator"] != "negative_share_trend_per_month"]
    shares = shares[shares["n"] > 0]
    assert ((shares["low"] <= shares["estimate"]) & (shares["estimate"] <= shares["high"])).all()
    assert (table["n"] == table["denominator"]).all()


def test_overall_share_resamples_agencies_or_the_posts_of_one():
    two = pd.DataFrame(
        {"account_id": ["a", "b"], "indicator": ["x", "x"], "numerator": [0, 10], "denominator": [10, 10]}
    )
    r = risks.overall_share(two, "x", 400, random_state=0)
    assert r["estimate"] == 0.5 and r["low"] == 0.0 and r["high"] == 1.0  # two agencies: either may be drawn twice
    one = pd.DataFrame({"account_id": ["a"], "indicator": ["x"], "numerator": [5], "denominator": [10]})
    r = risks.overall_share(one, "x", 400, random_state=0)
    assert 0.1 < r["low"] < 0.5 < r["high"] < 0.9 and r["n_agencies"] == 1  # its posts resampled


def test_the_uses_headlines_give_intervals_posts_and_accounts(study):
    data, config = study
    summary = uses.run(data, config).summary
    common = _line(summary, "oecd: the most common use")
    assert INTERVAL.search(common) and re.search(r"[\d,]+ government posts of \d+ accounts", common), common
    share = _line(summary, "Transparency (")
    assert share.count("95 % interval") == 3 and re.search(r"\d+ posts\) to", share), share
    kind = _line(summary, "Measured on these data: transparent or not")
    assert re.search(r"the kind is right for [\d.]+% of the [\d,]+ planted transparent posts \(95 % interval", kind)

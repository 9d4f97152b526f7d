"""The report's headlines: every figure a study states carries its 95 % interval and the
posts or accounts it rests on (review finding: no bare estimate in a headline)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import govsocial as gs
from govsocial.workflow.studies import engagement, responsiveness

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

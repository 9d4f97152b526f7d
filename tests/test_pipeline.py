"""The experiments end to end on a small generated corpus: every output exists and parses,
reruns give identical tables, the report is self-contained and carries no personal information."""

import json
import re

import pandas as pd
import pytest

import govsocial as gs
from govsocial.cli import main
from govsocial.core.exceptions import InputError
from govsocial.workflow.config import STUDY_NAMES, load_config
from govsocial.workflow.runner import run

from ._helpers import write_study_config
from .conftest import BUNDLED


def _config(tmp_path, corpus, results="out"):
    return write_study_config(tmp_path, corpus, results=results)


@pytest.mark.slow
def test_experiments_end_to_end(small_corpus, tmp_path):
    config = _config(tmp_path, small_corpus)
    page = run([config], log=lambda message: None)
    folder = tmp_path / "out" / "small"
    assert page == tmp_path / "out" / "report.html"
    for name in STUDY_NAMES:
        out = folder / name
        manifest = json.loads((out / "manifest.json").read_text())
        assert manifest["counts"]["loaded"] == 1500 and manifest["config"]["name"] == "small"
        assert set(manifest["outputs"]) == {p.name for p in out.iterdir() if p.name != "manifest.json"}
        assert (out / "summary.md").read_text().startswith("# ")
        for csv in out.glob("*.csv"):
            assert not pd.read_csv(csv).empty, csv
        for png in out.glob("*.png"):
            assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert list(out.glob("*.png")), f"{name} drew no figure"
    html = page.read_text()
    assert html.count("data:image/png;base64,") >= 8 and "Ground-truth check" in html
    assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", re.sub(r"data:image/png;base64,[^\"]+", "", html))
    # the same config and seed give identical tables
    first = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*.csv")}
    run([config], log=lambda message: None)
    second = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*.csv")}
    assert first == second


def test_config_errors(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[nope]\nx = 1\n")
    with pytest.raises(InputError, match="unknown section"):
        load_config(bad)
    bad.write_text('[run]\nexperiments = ["uses", "magic"]\n')
    with pytest.raises(InputError, match="unknown experiment"):
        load_config(bad)
    # a misspelt topic model is reported when the file is read, even if the topics study is not run
    bad.write_text('[run]\nexperiments = ["uses"]\n[topics]\nmodel = "dmmm"\n')
    with pytest.raises(InputError, match=r"topics\.model.*unknown topic model 'dmmm' \(did you mean 'dmm'\?\)"):
        load_config(bad)
    bad.write_text('[topics]\nmodel = "lda"\nbackground = true\n')
    with pytest.raises(InputError, match=r"topics\.background.*'lda' has no background.*\['dmm', 'seeded_dmm'\]"):
        load_config(bad)


def test_topics_background_reaches_the_fitted_models(tmp_path):
    """``[topics] background = true``: the K sweep and the final model both fit background words."""
    from types import SimpleNamespace

    from govsocial.workflow.studies import topics
    from govsocial.workflow.studies.base import Outputs

    path = tmp_path / "c.toml"
    path.write_text("[topics]\nbackground = true\nks = [2, 3]\nseeds = [0]\nn_iter = 5\n")
    config = load_config(path)
    posts, _ = gs.read_posts(BUNDLED / "posts.jsonl.gz")
    dtm = gs.Vectorizer(min_df=3, max_df=0.5, phrases=False).from_posts(posts.head(400))
    model, k, _ = topics._fit(SimpleNamespace(matrix=dtm), config, Outputs())
    assert model.background and model.b_w_ is not None and k in (2, 3)
    assert "background word distribution" in topics._methods(config)


@pytest.mark.slow
def test_a_config_whose_input_is_absent_is_skipped(tmp_path, small_corpus, capsys):
    missing = tmp_path / "missing.toml"
    missing.write_text('name = "gone"\n[input]\npaths = ["nowhere.csv"]\n')
    good = _config(tmp_path, small_corpus, results=(tmp_path / "r").as_posix())
    assert main(["run", str(missing), str(good), "--experiments", "uses", "--results", str(tmp_path / "r")]) == 0
    assert "skipped config gone" in capsys.readouterr().err
    assert (tmp_path / "r" / "small" / "uses" / "oecd_shares.csv").exists()


@pytest.mark.slow
def test_a_question_script_runs_from_its_config(small_corpus, tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    config = _config(tmp_path, small_corpus, results=(tmp_path / "res").as_posix())
    script = Path(__file__).resolve().parents[1] / "experiments" / "risks.py"
    done = subprocess.run([sys.executable, str(script), str(config)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "res" / "small" / "risks" / "risk_indicators.csv").exists()
    assert (tmp_path / "res" / "report.html").exists()


def test_a_question_script_explains_itself_and_a_missing_config(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "experiments" / "uses.py"
    done = subprocess.run([sys.executable, str(script), "--help"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "what do agencies use social media for" in done.stdout
    gone = tmp_path / "gone.toml"
    done = subprocess.run([sys.executable, str(script), str(gone)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "config file not found" in done.stderr and "Traceback" not in done.stderr

"""The research layer as studies (issue 11, points 2 and 3): a typed config, the
registry's time zones, no order dependence between studies, and the configured
codebook read by every study — through the command line and the public API."""

import pandas as pd
import pytest

import govsocial as gs
from govsocial.cli import main


def _config(folder, corpus, *, experiments, codebooks='["oecd", "depaula"]'):
    path = folder / "study.toml"
    path.write_text(
        f"""
name = "study"
[input]
paths = ["{(corpus / "posts.jsonl.gz").as_posix()}"]
registry = "{(corpus / "accounts.csv").as_posix()}"
[run]
experiments = {experiments}
n_boot = 20
[themes]
n_iter = 20
codebooks = {codebooks}
[topics]
ks = [4]
seeds = [0]
n_iter = 5
""",
        encoding="utf-8",
    )
    return path


def test_the_registry_keeps_each_accounts_time_zone(small_corpus):
    raw = pd.read_csv(small_corpus / "accounts.csv", dtype=str)
    registry = gs.load_registry(small_corpus / "accounts.csv")
    assert dict(zip(registry["account_id"], registry["timezone"])) == dict(zip(raw["account_id"], raw["timezone"]))


@pytest.mark.parametrize(
    "text, field",
    [
        ('[run]\nseed = "7"\n', "run.seed"),
        ("[topics]\nks = [8, 1.5]\n", "topics.ks"),
        ('[input]\ngovernment = "some"\n', "input.government"),
    ],
)
def test_a_value_of_the_wrong_type_is_refused_naming_file_and_key(tmp_path, capsys, text, field):
    path = tmp_path / "typed.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(gs.InputError) as err:
        gs.load_config(path)
    assert str(path) in str(err.value) and field in str(err.value)
    assert main(["run", str(path), "--results", str(tmp_path / "r")]) == 1
    assert field in capsys.readouterr().err and not (tmp_path / "r").exists()


def test_a_config_is_frozen():
    import dataclasses

    config = gs.load_config(None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.run.seed = 1  # type: ignore[misc]


@pytest.mark.slow
def test_responsiveness_by_topic_does_not_depend_on_the_order_of_studies(small_corpus, tmp_path):
    config = _config(tmp_path, small_corpus, experiments='["responsiveness", "topics"]')
    assert main(["run", str(config), "--results", str(tmp_path / "r")]) == 0
    by_topic = pd.read_csv(tmp_path / "r" / "study" / "responsiveness" / "responsiveness_by_topic.csv")
    topics = pd.read_csv(tmp_path / "r" / "study" / "topics" / "topic_leadership.csv")
    assert set(by_topic["group"]) <= {f"{t}: {label}" for t, label in zip(topics["topic"], topics["label"])}


@pytest.mark.slow
def test_every_study_reads_the_configured_codebook(small_corpus, tmp_path):
    config = _config(tmp_path, small_corpus, experiments='["engagement", "risks"]', codebooks='["depaula"]')
    assert main(["run", str(config), "--results", str(tmp_path / "r")]) == 0
    depaula = set(gs.load_codebook("depaula").names)
    engagement = pd.read_csv(tmp_path / "r" / "study" / "engagement" / "bonson_by_theme.csv")
    assert set(engagement["group"]) <= depaula and set(engagement["group"])
    sentiment = pd.read_csv(tmp_path / "r" / "study" / "risks" / "sentiment_by_theme.csv")
    assert set(sentiment["group"]) - {"(none)", "(a mention, no post)"} <= depaula

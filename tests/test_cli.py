"""The govsocial command: counts, outputs and exit codes."""

import json
import subprocess
import sys

import pandas as pd
import pytest

import govsocial
from govsocial.cli import main

from .conftest import BUNDLED, ROOT


def _json_out(capsys, argv):
    code = main(argv)
    out = capsys.readouterr().out
    return code, json.loads(out.strip().splitlines()[-1])


@pytest.mark.parametrize("name, extra, loaded, rejected", [
    ("twitter_v2_page.json", [], 4, 4),
    ("twitter_v2_tweets.jsonl", [], 3, 5),
    ("twitter_v1.json", [], 4, 4),
    ("crowdtangle.csv", [], 3, 4),
    ("mastodon.json", [], 4, 2),
    ("generic.tsv", ["--column", "post_id=message_id", "--column", "created_at=posted", "--column", "text=body",
                     "--column", "likes=thumbs", "--tz", "Australia/Sydney", "--extra-column", "coded_as"], 3, 3),
])
def test_ingest_prints_counts_and_writes_tables(capsys, tmp_path, fixtures, name, extra, loaded, rejected):
    out, rej = tmp_path / "posts.parquet", tmp_path / "rejects.csv"
    code, counts = _json_out(capsys, ["ingest", str(fixtures / name), "--out", str(out), "--rejects", str(rej),
                                      "--json", *extra])
    assert code == 0
    assert (counts["read"], counts["loaded"], counts["rejected"]) == (loaded + rejected, loaded, rejected)
    assert counts["loaded"] + counts["rejected"] == counts["read"]
    assert len(pd.read_parquet(out)) == loaded and len(pd.read_csv(rej)) == rejected
    assert main(["validate", str(out)]) == 0


def test_ingest_with_registry_counts_account_types(capsys, tmp_path, fixtures):
    code, counts = _json_out(capsys, ["ingest", str(fixtures / "twitter_v2_page.json"), "--registry",
                                      str(fixtures / "registry.csv"), "--unregistered", "citizen", "--out",
                                      str(tmp_path / "p.parquet"), "--json"])
    assert code == 0 and counts["by_account_type"] == {"citizen": 2, "government": 2, "unknown": 0}


def test_exit_codes(capsys, tmp_path, fixtures):
    assert main(["ingest", str(tmp_path / "missing.json"), "--out", str(tmp_path / "x.parquet")]) == 1
    assert "file not found" in capsys.readouterr().err
    assert main(["ingest", str(fixtures / "mastodon.json")]) == 2  # --out missing
    assert main(["ingest", str(fixtures / "mastodon.json"), "--format", "myspace", "--out", "x.parquet"]) == 1
    assert main(["ingest", str(fixtures / "generic.tsv"), "--column", "oops", "--out", "x.parquet"]) == 2
    assert main(["ingest", str(fixtures / "twitter_v1.json"), "--errors", "raise", "--out",
                 str(tmp_path / "x.parquet")]) == 1
    assert "line 19" in capsys.readouterr().err
    bad = tmp_path / "bad.parquet"
    frame = pd.DataFrame({"post_id": ["1", "1"], "text": ["a", "b"]})
    frame.to_parquet(bad)
    assert main(["validate", str(bad)]) == 1
    assert "problem" in capsys.readouterr().err
    assert main([]) == 2


def test_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"govsocial {govsocial.__version__}"


def test_run_summarises_the_bundled_corpus(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert main(["run", "--results", str(tmp_path)]) == 0
    summary = json.loads((tmp_path / "corpus" / "summary.json").read_text())
    assert summary["loaded"] == 20_000 and summary["rejected"] == 0
    assert summary["accounts_by_type"]["government"] == 24
    assert main(["run", "--corpus", str(tmp_path / "nowhere"), "--results", str(tmp_path)]) == 1
    assert "govsocial generate" in capsys.readouterr().err


def test_generate_command(capsys, tmp_path):
    assert main(["generate", "--seed", "2", "--n-posts", "120", "--n-agencies", "8", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "posts.jsonl.gz").exists()


def test_console_script_is_installed():
    result = subprocess.run([sys.executable, "-m", "govsocial.cli", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and "govsocial" in result.stdout
    assert BUNDLED.exists()

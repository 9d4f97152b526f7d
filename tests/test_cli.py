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


@pytest.mark.parametrize(
    "name, extra, loaded, rejected",
    [
        ("twitter_v2_page.json", [], 4, 4),
        ("twitter_v2_tweets.jsonl", [], 3, 5),
        ("twitter_v1.json", [], 4, 4),
        ("crowdtangle.csv", [], 3, 4),
        ("mastodon.json", [], 4, 2),
        (
            "generic.tsv",
            [
                "--column",
                "post_id=message_id",
                "--column",
                "created_at=posted",
                "--column",
                "text=body",
                "--column",
                "likes=thumbs",
                "--tz",
                "Australia/Sydney",
                "--extra-column",
                "coded_as",
            ],
            3,
            3,
        ),
    ],
)
def test_ingest_prints_counts_and_writes_tables(capsys, tmp_path, fixtures, name, extra, loaded, rejected):
    out, rej = tmp_path / "posts.parquet", tmp_path / "rejects.csv"
    code, counts = _json_out(
        capsys, ["ingest", str(fixtures / name), "--out", str(out), "--rejects", str(rej), "--json", *extra]
    )
    assert code == 0
    assert (counts["read"], counts["loaded"], counts["rejected"]) == (loaded + rejected, loaded, rejected)
    assert counts["loaded"] + counts["rejected"] == counts["read"]
    assert len(pd.read_parquet(out)) == loaded and len(pd.read_csv(rej)) == rejected
    assert main(["validate", str(out)]) == 0


def test_ingest_with_registry_counts_account_types(capsys, tmp_path, fixtures):
    code, counts = _json_out(
        capsys,
        [
            "ingest",
            str(fixtures / "twitter_v2_page.json"),
            "--registry",
            str(fixtures / "registry.csv"),
            "--unregistered",
            "citizen",
            "--out",
            str(tmp_path / "p.parquet"),
            "--json",
        ],
    )
    assert code == 0 and counts["by_account_type"] == {"citizen": 2, "government": 2, "unknown": 0}


def test_exit_codes(capsys, tmp_path, fixtures):
    assert main(["ingest", str(tmp_path / "missing.json"), "--out", str(tmp_path / "x.parquet")]) == 1
    assert "file not found" in capsys.readouterr().err
    assert main(["ingest", str(fixtures / "mastodon.json")]) == 2  # --out missing
    assert main(["ingest", str(fixtures / "mastodon.json"), "--format", "myspace", "--out", "x.parquet"]) == 1
    assert main(["ingest", str(fixtures / "generic.tsv"), "--column", "oops", "--out", "x.parquet"]) == 2
    assert (
        main(["ingest", str(fixtures / "twitter_v1.json"), "--errors", "raise", "--out", str(tmp_path / "x.parquet")])
        == 1
    )
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


@pytest.mark.slow
def test_run_summarises_the_bundled_corpus(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert main(["run", "--results", str(tmp_path), "--experiments", "responsiveness"]) == 0
    assert (tmp_path / "report.html").exists() and (tmp_path / "responsiveness" / "manifest.json").exists()
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


@pytest.mark.slow
def test_no_email_or_phone_reaches_any_file_the_cli_writes(capsys, tmp_path, small_corpus):
    """Ingest and tokenise the generated corpus (with planted personal information) and scan every output."""
    import json as _json
    import re

    truth = pd.read_csv(small_corpus / "truth.csv.gz", dtype=str, keep_default_na=False)
    planted = [v for values in truth["pii_values"] if values for v in _json.loads(values)]
    assert len(planted) > 50
    posts, rejects, tokens = tmp_path / "posts.parquet", tmp_path / "rejects.csv", tmp_path / "tokens.parquet"
    assert (
        main(
            [
                "ingest",
                str(small_corpus / "posts.jsonl.gz"),
                "--registry",
                str(small_corpus / "accounts.csv"),
                "--unregistered",
                "citizen",
                "--out",
                str(posts),
                "--rejects",
                str(rejects),
                "--pseudonym-key",
                "k",
                "--json",
            ]
        )
        == 0
    )
    counts = _json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert sum(counts["redacted"].values()) >= len(planted)
    assert main(["tokenize", str(posts), "--out", str(tokens), "--json"]) == 0
    dumped = "\n".join([pd.read_parquet(posts).to_csv(), rejects.read_text(), pd.read_parquet(tokens).to_csv()])
    assert not any(v in dumped for v in planted)
    assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", dumped)
    # citizens are pseudonymised, agencies keep their names
    table = pd.read_parquet(posts)
    assert table.loc[table["account_type"] == "citizen", "account_name"].str.startswith("user_").all()
    assert not table.loc[table["account_type"] == "government", "account_name"].str.startswith("user_").any()


def test_tokenize_command_writes_post_ids_and_tokens(capsys, tmp_path, fixtures):
    posts, tokens = tmp_path / "p.parquet", tmp_path / "t.parquet"
    assert main(["ingest", str(fixtures / "mastodon.json"), "--out", str(posts), "--pseudonym-key", "k"]) == 0
    assert main(["tokenize", str(posts), "--out", str(tokens), "--no-stem"]) == 0
    table = pd.read_parquet(tokens)
    assert list(table.columns) == ["post_id", "tokens"] and len(table) == 4
    assert "pool" in list(table.loc[0, "tokens"])


def test_a_mistyped_option_names_the_subcommand_and_the_closest_option(capsys):
    from govsocial.cli import main as cli_main

    assert cli_main(["ingest", "posts.jsonl", "--out", "p.parquet", "--unregisterd", "citizen"]) == 2
    err = capsys.readouterr().err
    assert "govsocial ingest: error" in err and "--unregisterd (did you mean --unregistered?)" in err
    assert cli_main(["code", "sample", "p.parquet", "--n", "3", "--out", "s.csv", "--sede", "1"]) == 2
    assert "govsocial code sample: error" in capsys.readouterr().err

"""`govsocial run` through the command line: what its outputs hold (no citizen ids, ids as
strings, counts as integers, labels and claims as measured), and how results are written
(a lock per folder, nothing changed by an interrupted run, no file deleted that govsocial
did not write, configs checked before anything runs).

Expected values are computed here from the corpus files, independently of the code."""

from __future__ import annotations

import gzip
import hashlib
import hmac
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from govsocial.cli import main

from ._helpers import write_study_config
from .conftest import ROOT

KEY = b"test-key-for-pseudonyms"
ODD = "Save $$ on Rates_^"  # an agency name that matplotlib's mathtext cannot parse


# --------------------------------------------------------------------------- corpus and configs
def _pages(path: Path):
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


@pytest.fixture(scope="module")
def corpus(small_corpus, tmp_path_factory) -> Path:
    """The small generated corpus with every agency named like ``Save $$ on Rates_^3`` and a
    blank line in every post's text."""
    out = tmp_path_factory.mktemp("odd_corpus")
    for name in ("accounts.csv", "truth.csv.gz", "effects.json"):
        shutil.copy(small_corpus / name, out / name)
    gov = set(pd.read_csv(small_corpus / "accounts.csv", dtype=str)["account_id"])
    with gzip.open(out / "posts.jsonl.gz", "wt", encoding="utf-8") as handle:
        for page in _pages(small_corpus / "posts.jsonl.gz"):
            for user in page.get("includes", {}).get("users", []):
                if user["id"] in gov:
                    user["username"] = f"{ODD}{sorted(gov).index(user['id'])}"
            for tweet in page.get("data", []) + page.get("includes", {}).get("tweets", []):
                tweet["text"] = tweet["text"].replace(". ", ".\n\n", 1)
            handle.write(json.dumps(page) + "\n")
    return out


def _citizens(corpus: Path) -> tuple[set[str], set[str], set[str]]:
    """Citizens' post ids, account ids and handles, read from the export itself."""
    gov = set(pd.read_csv(corpus / "accounts.csv", dtype=str)["account_id"])
    posts, accounts, handles = set(), set(), set()
    for page in _pages(corpus / "posts.jsonl.gz"):
        for tweet in page.get("data", []) + page.get("includes", {}).get("tweets", []):
            if tweet["author_id"] not in gov:
                posts.add(tweet["id"])
                accounts.add(tweet["author_id"])
        for user in page.get("includes", {}).get("users", []):
            if user["id"] not in gov:
                handles.add(user["username"].lower())
    return posts, accounts, handles


def _hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _without_images(text: str) -> str:
    return re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", text)


@pytest.fixture(scope="module")
def full_run(corpus, tmp_path_factory):
    """Every experiment on the odd corpus, pseudonym key from --pseudonym-key-file."""
    base = tmp_path_factory.mktemp("full_run")
    key_file = base / "key.txt"
    key_file.write_bytes(KEY + b"\n")
    results = base / "results"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "govsocial.cli",
            "run",
            str(write_study_config(base, corpus)),
            "--results",
            str(results),
            "--pseudonym-key-file",
            str(key_file),
        ],
        capture_output=True,
        text=True,
        timeout=900,
        env={k: v for k, v in os.environ.items() if k != "GOVSOCIAL_PSEUDONYM_KEY"},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return results, done.stderr


# --------------------------------------------------------------------------- point 8: privacy
@pytest.mark.slow
def test_no_citizen_post_id_account_id_or_handle_reaches_any_output(full_run, corpus):
    results, _ = full_run
    post_ids, account_ids, handles = _citizens(corpus)
    assert len(post_ids) > 500 and len(account_ids) > 50
    scanned, hits = 0, []
    for path in sorted(results.rglob("*")):
        if path.suffix not in (".csv", ".md", ".json", ".html"):
            continue
        scanned += 1
        text = _without_images(path.read_text(encoding="utf-8"))
        numbers = set(re.findall(r"\d+", text))
        words = set(re.findall(r"\w+", text.lower()))
        hits += [(path.name, v) for v in (numbers & (post_ids | account_ids)) | (words & handles)]
    assert scanned >= 25
    assert not hits, hits[:10]
    # row-level requests carry the keyed pseudonym of the citizen's post id, computed here independently
    requests = pd.read_csv(results / "small" / "responsiveness" / "requests.csv", dtype=str)
    expected = {"post_" + hmac.new(KEY, i.encode(), hashlib.sha256).hexdigest()[:20] for i in post_ids}
    assert len(requests) > 50 and set(requests["request"]) <= expected
    assert requests["request"].is_unique
    assert "post_id" not in requests.columns and "response_post_id" not in requests.columns


@pytest.mark.slow
def test_request_pseudonyms_are_stable_across_key_sources_and_absent_without_a_key(
    full_run, corpus, tmp_path, monkeypatch, capsys
):
    results, _ = full_run
    first = pd.read_csv(results / "small" / "responsiveness" / "requests.csv", dtype=str)
    config = write_study_config(tmp_path, corpus)
    monkeypatch.setenv("GOVSOCIAL_PSEUDONYM_KEY", KEY.decode())
    assert main(["run", str(config), "--results", str(tmp_path / "env"), "--experiments", "responsiveness"]) == 0
    again = pd.read_csv(tmp_path / "env" / "small" / "responsiveness" / "requests.csv", dtype=str)
    assert again["request"].tolist() == first["request"].tolist()
    monkeypatch.delenv("GOVSOCIAL_PSEUDONYM_KEY")
    assert main(["run", str(config), "--results", str(tmp_path / "none"), "--experiments", "responsiveness"]) == 0
    bare = pd.read_csv(tmp_path / "none" / "small" / "responsiveness" / "requests.csv", dtype=str)
    assert "request" not in bare.columns and len(bare) == len(first)
    assert not [c for c in bare.columns if c.endswith("post_id")]
    manifest = json.loads((tmp_path / "none" / "small" / "responsiveness" / "manifest.json").read_text())
    assert "left out" in manifest["citizen_ids"]
    capsys.readouterr()


# --------------------------------------------------------------------------- points 15, 18, 19, 20: the report
@pytest.mark.slow
def test_agency_names_with_dollar_signs_are_drawn_as_written(full_run):
    results, _ = full_run
    km = results / "small" / "responsiveness" / "km_curves.png"
    assert km.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    agencies = pd.read_csv(results / "small" / "responsiveness" / "responsiveness_by_agency.csv", dtype=str)
    assert agencies.iloc[:, 0].str.startswith(ODD).all()
    assert f"{ODD}" in (results / "report.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_ids_are_strings_counts_integers_and_line_breaks_kept(full_run):
    results, _ = full_run
    page = _without_images((results / "report.html").read_text(encoding="utf-8"))
    assert not re.search(r"\d{10,}\.\d", page), "an id was printed through a float"
    risks = pd.read_csv(results / "small" / "risks" / "risk_indicators.csv", dtype=str, keep_default_na=False)
    for column in ("numerator", "denominator"):
        assert risks[column].map(lambda v: v == "" or v.isdigit()).all(), risks[column].head()
    table = page.split("<h3>risk indicators</h3>", 1)[1].split("</table>", 1)[0]
    header = re.findall(r"<th>(.*?)</th>", table)
    cells = [re.findall(r"<td>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", table)[1:]]
    shown = {c: [row[header.index(c)] for row in cells] for c in ("numerator", "denominator")}
    csv_rows = risks.head(len(cells))
    for column, values in shown.items():
        assert values == [v if v else "–" for v in csv_rows[column]]
    # texts keep their line breaks: the blank line put into every post shows as <br><br>, never as "\n"
    reps = page.split("<h3>representative posts</h3>", 1)[1].split("</table>", 1)[0]
    assert "<br><br>" in reps and "\\n" not in reps


@pytest.mark.slow
def test_claims_are_measured_on_the_data_at_hand(full_run, corpus):
    results, _ = full_run
    page = (results / "report.html").read_text(encoding="utf-8")
    assert "real police posts" not in page and "≈" not in page
    # the scorer's agreement is stated for the posts that have a planted theme, counted here from the files
    gov = set(pd.read_csv(corpus / "accounts.csv", dtype=str)["account_id"])
    own = set()
    for p in _pages(corpus / "posts.jsonl.gz"):
        for t in p.get("data", []):
            if t["author_id"] in gov and not any(r["type"] == "retweeted" for r in t.get("referenced_tweets", [])):
                own.add(t["id"])
    truth = pd.read_csv(corpus / "truth.csv.gz", dtype=str, keep_default_na=False)
    n = int((truth["post_id"].isin(own) & (truth["theme"] != "")).sum())
    summary = (results / "small" / "uses" / "summary.md").read_text(encoding="utf-8")
    assert re.search(
        rf"Measured on these data: .* {n:,} planted themes at macro-F1 0\.\d{{3}} \(95 % interval", summary
    ), summary


@pytest.mark.slow
def test_topics_are_labelled_by_probable_and_frex_words_and_an_edge_k_is_flagged(full_run):
    results, log = full_run
    terms = pd.read_csv(results / "small" / "topics" / "topic_terms.csv", dtype=str)
    # each label lists the topic's three most probable words, then its three FREX words
    for topic, part in terms.groupby("topic"):
        prob = part[part["ranking"] == "prob"].sort_values("rank", key=lambda s: s.astype(int))["display"][:3]
        frex = part[part["ranking"] == "frex"].sort_values("rank", key=lambda s: s.astype(int))["display"][:3]
        assert part["label"].iloc[0] == f"prob: {', '.join(prob)} | frex: {', '.join(frex)}"
    sweep = pd.read_csv(results / "small" / "topics" / "k_sweep.csv")
    chosen = int(sweep.groupby("k")["coherence"].mean().idxmax())
    side = "smallest" if chosen == sweep["k"].min() else "largest"
    assert f"K = {chosen} is the {side} K tried" in log
    assert f"K = {chosen} is the {side} K tried" in (results / "report.html").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- point 12: locking, interrupts
def _reader(stream) -> queue.Queue:
    lines: queue.Queue = queue.Queue()
    threading.Thread(
        target=lambda: [lines.put(line) for line in iter(stream.readline, "")] + [lines.put(None)], daemon=True
    ).start()
    return lines


def _wait_for(lines: queue.Queue, pattern: str, seen: list[str], timeout: float = 600) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        line = lines.get(timeout=max(0.1, end - time.monotonic()))
        if line is None:
            raise AssertionError(f"the run ended before {pattern!r}:\n{''.join(seen)}")
        seen.append(line)
        if re.search(pattern, line):
            return
    raise AssertionError(f"no {pattern!r} within {timeout} s")


@pytest.mark.slow
def test_an_interrupted_run_leaves_the_last_complete_results_untouched(full_run, corpus, tmp_path):
    results = tmp_path / "results"
    shutil.copytree(full_run[0], results)
    before = _hashes(results)
    config = write_study_config(tmp_path, corpus, seed=7)  # another seed: any table it wrote would differ
    proc = subprocess.Popen(
        [sys.executable, "-m", "govsocial.cli", "run", str(config), "--results", str(results)],
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    seen: list[str] = []
    lines = _reader(proc.stderr)
    _wait_for(lines, r"\[small\] topics …", seen)  # uses has completed, topics is running
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=120) == 130
    while (line := lines.get(timeout=30)) is not None:
        seen.append(line)
    after_signal = "".join(seen).split("[small] topics …", 1)[1].strip().splitlines()
    assert len(after_signal) <= 2 and "interrupted" in after_signal[-1], seen
    assert "Traceback" not in "".join(seen)
    assert _hashes(results) == before  # every file as it was, and no other file (no lock, no temporary folder)


@pytest.mark.slow
def test_a_second_run_into_a_locked_folder_names_the_holder_and_changes_nothing(corpus, tmp_path, capsys):
    results = tmp_path / "results"
    config = write_study_config(tmp_path, corpus)
    first = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "govsocial.cli",
            "run",
            str(config),
            "--results",
            str(results),
            "--experiments",
            "responsiveness",
        ],
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    seen: list[str] = []
    lines = _reader(first.stderr)
    _wait_for(lines, r"\[small\] reading", seen)  # the first run holds the lock from before it reads
    assert main(["run", str(config), "--results", str(results), "--experiments", "responsiveness", "uses"]) == 1
    err = capsys.readouterr().err
    assert f"pid {first.pid}" in err and "in use" in err
    assert first.wait(timeout=600) == 0, "".join(seen) + first.stderr.read()
    # the first run's results are complete: every file its manifests list, with the listed hash
    files = _hashes(results)
    top = json.loads((results / "manifest.json").read_text())
    assert top["outputs"]["report.html"] == files["report.html"]
    manifest = json.loads((results / "small" / "responsiveness" / "manifest.json").read_text())
    assert {f"small/responsiveness/{k}": v for k, v in manifest["outputs"].items()}.items() <= files.items()
    assert not (results / "small" / "uses").exists()
    assert sorted(files) == sorted(
        ["manifest.json", "report.html", "small/responsiveness/manifest.json"]
        + [f"small/responsiveness/{k}" for k in manifest["outputs"]]
    )
    # a lock left by a process that died is taken over, with a message naming it
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (results / ".govsocial.lock").write_text(json.dumps({"pid": dead.pid, "host": "h", "started": time.time()}))
    assert main(["run", str(config), "--results", str(results), "--experiments", "responsiveness"]) == 0
    err = capsys.readouterr().err
    assert "stale lock" in err and f"pid {dead.pid}" in err
    assert not (results / ".govsocial.lock").exists()


# --------------------------------------------------------------------------- point 13: names and foreign files
@pytest.mark.parametrize("name", ["../../x", "a/b", ".hidden", "", "x y"])
def test_a_name_that_is_not_plain_is_refused_before_anything_is_written(corpus, tmp_path, capsys, name):
    work = tmp_path / "a" / "b"
    config = write_study_config(work, corpus, name="cfg")
    config.write_text(config.read_text().replace('name = "cfg"', f"name = {json.dumps(name)}"))
    assert main(["run", str(config), "--results", str(work / "results"), "--experiments", "responsiveness"]) == 1
    err = capsys.readouterr().err
    assert "not a plain name" in err and "name" in err
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a", "b", "cfg.toml"]


@pytest.mark.slow
def test_files_govsocial_did_not_write_are_never_deleted(full_run, corpus, tmp_path, capsys):
    results = tmp_path / "results"
    shutil.copytree(full_run[0], results)
    (results / "small" / "uses" / "notes.txt").write_text("my notes")
    (results / "small" / "topics" / "mine").mkdir()
    (results / "small" / "topics" / "mine" / "keep.csv").write_text("a\n1\n")
    before = _hashes(results)
    config = write_study_config(tmp_path, corpus)
    assert main(["run", str(config), "--results", str(results), "--experiments", "uses", "topics"]) == 1
    err = capsys.readouterr().err
    assert "notes.txt" in err and "no govsocial run wrote" in err
    assert _hashes(results) == before
    assert main(["run", str(config), "--results", str(results), "--experiments", "topics"]) == 1
    assert "mine/keep.csv" in capsys.readouterr().err
    assert _hashes(results) == before


# --------------------------------------------------------------------------- point 14: codebooks by path
def _codebook(path: Path, name: str) -> Path:
    from importlib import resources

    text = (resources.files("govsocial.analysis.themes") / "codebooks" / "oecd.toml").read_text(encoding="utf-8")
    text = re.sub(r'(?m)^name\s*=\s*".*"$', f'name = "{name}"', text)
    assert f'name = "{name}"' in text
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.slow
def test_codebooks_resolve_from_the_config_and_name_their_outputs(corpus, tmp_path, monkeypatch):
    study = tmp_path / "study"
    relative = _codebook(study / "books" / "my.toml", "mine")
    absolute = _codebook(tmp_path / "elsewhere" / "other.toml", "other_book")
    write_study_config(study, corpus, truth=False, codebooks=f'["books/my.toml", "{absolute.as_posix()}"]')
    monkeypatch.chdir(tmp_path / "elsewhere")  # paths must not resolve from the working directory
    results = tmp_path / "results"
    assert main(["run", str(study / "small.toml"), "--results", str(results), "--experiments", "uses"]) == 0
    uses = results / "small" / "uses"
    assert (uses / "mine_shares.csv").exists() and (uses / "other_book_shares.csv").exists()
    assert sorted(p.name for p in absolute.parent.iterdir()) == ["other.toml"]
    assert sorted(p.name for p in relative.parent.iterdir()) == ["my.toml"]
    manifest = json.loads((uses / "manifest.json").read_text())
    for name, path in (("mine", relative), ("other_book", absolute)):
        assert manifest["codebooks"][name]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    top = json.loads((results / "manifest.json").read_text())
    assert top["outputs"]["report.html"] == hashlib.sha256((results / "report.html").read_bytes()).hexdigest()
    for name in ("mine_shares.csv", "summary.md"):  # every study file, so the report's manifest covers them
        assert top["outputs"][f"small/uses/{name}"] == hashlib.sha256((uses / name).read_bytes()).hexdigest()
    assert "small/uses/manifest.json" not in top["outputs"]  # it holds wall times
    # without coded posts the report claims no accuracy figure for the scorer
    summary = (uses / "summary.md").read_text(encoding="utf-8")
    assert "was not measured on these data" in summary and "macro-F1" not in summary


@pytest.mark.slow
def test_ground_truth_files_are_hashed_in_the_manifest(full_run, corpus):
    results, _ = full_run
    manifest = json.loads((results / "small" / "risks" / "manifest.json").read_text())
    for name in ("truth.csv.gz", "effects.json", "posts.jsonl.gz", "accounts.csv"):
        assert manifest["inputs"][str(corpus / name)] == hashlib.sha256((corpus / name).read_bytes()).hexdigest()


# --------------------------------------------------------------------------- point 16: unknown keys
def test_unknown_keys_in_a_section_are_refused_naming_file_section_and_known_keys(corpus, tmp_path, capsys):
    config = write_study_config(tmp_path, corpus, extra="[text]\nfoo_bar = 1\n")
    assert main(["run", str(config), "--results", str(tmp_path / "r"), "--experiments", "responsiveness"]) == 1
    err = capsys.readouterr().err
    assert str(config) in err and "text.foo_bar" in err and "min_df" in err and "max_df" in err
    assert not (tmp_path / "r").exists()


def test_every_key_documented_in_reproducing_md_is_accepted(tmp_path):
    """docs/reproducing.md shows every config key; that block must load (and nothing else may)."""
    from govsocial.workflow.config import load_config

    doc = (ROOT / "docs" / "reproducing.md").read_text(encoding="utf-8")
    block = re.search(r"```toml\n(.*?)```", doc, flags=re.S).group(1)
    (tmp_path / "documented.toml").write_text(block, encoding="utf-8")
    (tmp_path / "coded.csv").write_text("post_id,text,label\n", encoding="utf-8")  # the sheet [validation] names
    config = load_config(tmp_path / "documented.toml")
    assert config.input.government == "all" and config.output.pseudonym_key_file
    assert config.validation.labels.endswith("coded.csv") and "validation" in config.run.experiments


# --------------------------------------------------------------------------- issue 11, point 8: one interval convention
@pytest.mark.slow
def test_every_table_with_an_interval_names_it_estimate_low_high_level_n(full_run):
    results, _ = full_run
    with_intervals = 0
    for path in sorted(results.rglob("*.csv")):
        columns = list(pd.read_csv(path, nrows=0).columns)
        bounds = [c for c in columns if c.endswith(("_low", "_high")) or c == "interval"]
        assert not bounds, f"{path.name}: an interval named {bounds}"
        if "low" in columns or "high" in columns:
            with_intervals += 1
            assert "estimate" in columns, f"{path.name}: {columns}"
            at = columns.index("estimate")
            assert columns[at : at + 5] == ["estimate", "low", "high", "level", "n"], f"{path.name}: {columns}"
            old = {"irr", "share", "posts", "metric", "n_posts", "n_requests"} & set(columns)
            assert not old, f"{path.name}: {old}"
    assert with_intervals >= 10  # Bonsón, IRRs, responsiveness, sentiment, shares, prevalence, ground truth

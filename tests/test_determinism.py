"""Same input, same output in any process: the command line run under different hash seeds.

Python randomises ``str`` hashing per process (``PYTHONHASHSEED``), so anything that
orders by set or dict iteration of strings, or uses ``hash()`` of a string, changes
from one process to the next. These tests run the commands in fresh processes with
``PYTHONHASHSEED`` 1, 2 and 3 and compare what they write.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SEEDS = ("1", "2", "3")

# Hand-written texts that exercise every text-level step: overlapping boilerplate
# phrases of equal length ("read more" / "more info", "full details" / "details here"),
# hashtags, emoji (with skin tones and joiners), URLs, mentions, entities, numbers,
# personal information and repeated templates.
TRICKY = [
    "Read more info on the new bus timetable",
    "Full details here: roadworks on the bridge",
    "Bin collection changes. Read more info and full details here",
    "Storm season is coming, read more info here https://www.ses.gov.example/storm",
    "Full details here #StormSeason #BeReady 🌧️⛈️",
    "Hi Terry, thanks for the update. Read more info at www.council.gov.example",
    "@jo_b @HealthDept full details here!! Sooooo many questions",
    "Flu clinics open 👍🏽 #FluVax read more info",
    "Fish &amp; chips &lt;3 full details here",
    "👩‍⚕️ nurses rock 🎉🎉 #ThankYouNurses #NursesWeek2024",
    "Call 0491 570 156 or mail jo.citizen@example.com, read more info",
    "Water restrictions Stage 2 from 1 July — full details here https://t.co/abc123",
    "ＲＯＡＤ closed near Kelbrook; details here, more info later",
    "read more info read more info read more info",
    "full details here full details here",
    "Learn more: see more information, click the link in bio",
    "#stayhomesavelives #CovidVaccineRollout find out how",
    "Population grew to 134000 in 2023; read more info",
]


def _tricky_page(n_repeats: int) -> dict:
    tweets, users = (
        [],
        [
            {"id": "900", "username": "CouncilNews", "name": "Council"},
            {"id": "901", "username": "citizen_jo", "name": "Jo"},
        ],
    )
    for r in range(n_repeats):
        for i, text in enumerate(TRICKY):
            k = r * len(TRICKY) + i
            tweets.append(
                {
                    "id": str(7_000_000 + k),
                    "text": f"{text} (update {r})" if r % 2 else text,
                    "author_id": "900" if k % 3 else "901",
                    "created_at": f"2023-03-{1 + k % 28:02d}T{k % 24:02d}:{k % 60:02d}:00.000Z",
                    "public_metrics": {
                        "retweet_count": k % 4,
                        "reply_count": k % 3,
                        "like_count": k % 7,
                        "quote_count": 0,
                    },
                }
            )
    return {"data": tweets, "includes": {"users": users}}


def _run(args: list[str], seed: str, cwd: Path) -> str:
    env = dict(os.environ, PYTHONHASHSEED=seed, GOVSOCIAL_PSEUDONYM_KEY="a-test-key")
    result = subprocess.run(
        [sys.executable, "-m", "govsocial.cli", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _table(path: Path) -> list[dict]:
    import pyarrow.parquet as pq

    return pq.read_table(path).to_pylist()


@pytest.mark.slow
def test_ingest_and_tokenize_give_the_same_output_under_any_hash_seed(tmp_path):
    from govsocial.data.synth import generate

    corpus = generate(seed=3, n_posts=800, n_agencies=6, out_dir=tmp_path / "corpus")
    tricky = tmp_path / "tricky.jsonl.gz"
    with gzip.open(tricky, "wt", encoding="utf-8") as f:
        f.write(json.dumps(_tricky_page(6)) + "\n")
    outputs = {}
    for seed in SEEDS:
        out = tmp_path / f"seed{seed}"
        out.mkdir()
        ingest = _run(
            [
                "ingest",
                str(corpus / "posts.jsonl.gz"),
                str(tricky),
                "--registry",
                str(corpus / "accounts.csv"),
                "--out",
                "posts.parquet",
                "--json",
            ],
            seed,
            out,
        )
        reports = [json.loads(ingest)]
        for name, options in (
            ("default", []),
            ("options", ["--urls", "domain", "--emoji", "words", "--hashtags", "words", "--no-stem"]),
        ):
            reports.append(
                json.loads(
                    _run(["tokenize", "posts.parquet", "--out", f"{name}.parquet", "--json", *options], seed, out)
                )
            )
        outputs[seed] = {
            "reports": reports,
            "posts": _table(out / "posts.parquet"),
            "default": _table(out / "default.parquet"),
            "options": _table(out / "options.parquet"),
        }
    n_posts = 800 + 6 * len(TRICKY)
    assert len(outputs["1"]["posts"]) == n_posts and len(outputs["1"]["default"]) == n_posts
    totals = {seed: [r.get("tokens") for r in o["reports"][1:]] for seed, o in outputs.items()}
    for seed in SEEDS[1:]:
        for part in ("posts", "default", "options"):
            assert outputs[seed][part] == outputs["1"][part], (part, totals)
        assert outputs[seed]["reports"] == outputs["1"]["reports"]


def _tricky_corpus(folder: Path) -> None:
    """Append overlapping boilerplate phrases to every fourth post of a generated corpus."""
    path = folder / "posts.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as f:
        pages = [json.loads(line) for line in f if line.strip()]
    k = 0
    for page in pages:
        for tweet in page.get("data", []):
            k += 1
            if k % 4 == 0:
                tweet["text"] += " Read more info" if k % 8 else " Full details here"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.writelines(json.dumps(page) + "\n" for page in pages)


def _strip(text: str, work: Path) -> dict:
    """A manifest without what legitimately differs between runs: wall times and the run's own folder."""

    def clean(value):
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items() if "wall" not in k}
        if isinstance(value, list):
            return [clean(v) for v in value]
        return value

    return clean(json.loads(text.replace(json.dumps(str(work))[1:-1], "<work>")))


@pytest.mark.slow
def test_run_writes_the_same_files_under_any_hash_seed(tmp_path):
    from govsocial.data.synth import generate

    corpus = generate(seed=11, n_posts=800, n_agencies=6, out_dir=tmp_path / "corpus")
    _tricky_corpus(corpus)
    results = {}
    for seed in SEEDS:
        work = tmp_path / f"seed{seed}"
        work.mkdir()
        (work / "small.toml").write_text(f"""
name = "small"
[input]
paths = ["{(corpus / "posts.jsonl.gz").as_posix()}"]
registry = "{(corpus / "accounts.csv").as_posix()}"
truth = "{corpus.as_posix()}"
[output]
folder = "out"
[run]
n_boot = 30
[themes]
n_iter = 10
[topics]
ks = [4, 6]
seeds = [0]
n_iter = 10
""")
        _run(["run", "small.toml"], seed, work)
        folder = work / "out"
        files = {}
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            rel = path.relative_to(folder).as_posix()
            if path.name == "manifest.json":
                files[rel] = _strip(path.read_text(encoding="utf-8"), work)
            else:
                files[rel] = path.read_bytes().replace(str(work).encode(), b"<work>")
        results[seed] = files
    first = results["1"]
    assert len(first) >= 20 and any(name.endswith(".png") for name in first)
    for seed in SEEDS[1:]:
        assert sorted(results[seed]) == sorted(first)
        different = [name for name in first if results[seed][name] != first[name]]
        assert not different, f"PYTHONHASHSEED={seed} changed {len(different)} of {len(first)} files: {different}"

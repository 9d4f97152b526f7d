"""The reader registry: options a reader ignores warn, unknown options are errors naming the
reader and its options, and a reader registered through the public function is detected
and read like the built-in ones (public API and command line only)."""

from __future__ import annotations

import json
import warnings
from datetime import datetime, timezone

import pandas as pd
import pytest

import govsocial as gs
from govsocial.cli import main
from govsocial.data.readers import Item, RecordError

# (fixture, format the file is detected as, an option that reader ignores)
IGNORED = [
    ("twitter_v2_page.json", "twitter_v2", {"tz": "Australia/Sydney"}),
    ("twitter_v1.json", "twitter_v1", {"columns": {"text": "full_text"}}),
    ("mastodon.json", "mastodon", {"platform": "fediverse"}),
    ("crowdtangle.csv", "crowdtangle", {"extra_columns": ["Page Name"]}),
]


@pytest.mark.parametrize("name, fmt, option", IGNORED, ids=[c[0] for c in IGNORED])
def test_an_option_the_reader_ignores_warns_naming_option_and_reader(fixtures, name, fmt, option):
    path = fixtures / name
    expected, expected_rejects = gs.read_posts(path)
    # the command line's defaults (platform "generic", no extra columns) are not options given
    defaults = {"platform": "generic", "extra_columns": [], "columns": None, "tz": None}
    with pytest.warns(FutureWarning) as caught:
        posts, rejects = gs.read_posts(path, **{**defaults, **option})
    messages = [str(w.message) for w in caught if issubclass(w.category, FutureWarning)]
    assert len(messages) == 1, messages
    (key,) = option
    assert f"{key}=" in messages[0] and fmt in messages[0] and "future release" in messages[0]
    assert caught[0].filename == __file__  # attributed to the caller's line
    pd.testing.assert_frame_equal(posts, expected)  # ignored: the same table as without it
    pd.testing.assert_frame_equal(rejects, expected_rejects)


def test_an_option_warns_only_when_no_reader_of_the_files_uses_it(fixtures, tmp_path):
    tweets = fixtures / "twitter_v2_page.json"
    with pytest.warns(FutureWarning, match=r"columns= is ignored by the twitter_v2 reader"):
        gs.read_posts(tweets, columns={"post_id": "id"})
    csv = tmp_path / "agency.csv"
    csv.write_text("id,message,when\nx1,Roads open,2023-01-01 09:00\n", encoding="utf-8")
    with warnings.catch_warnings():  # tz and columns are used by the csv reader of the second file
        warnings.simplefilter("error", FutureWarning)
        posts, _ = gs.read_posts(
            [tweets, csv], tz="UTC", columns={"post_id": "id", "text": "message", "created_at": "when"}
        )
    assert "x1" in set(posts["post_id"])
    assert posts.set_index("post_id").loc["x1", "created_at"] == pd.Timestamp("2023-01-01 09:00", tz="UTC")


def test_the_command_line_warns_about_an_ignored_option(fixtures, tmp_path):
    with pytest.warns(FutureWarning, match=r"tz= is ignored by the twitter_v2 reader"):
        code = main(
            [
                "ingest",
                str(fixtures / "twitter_v2_page.json"),
                "--out",
                str(tmp_path / "p.parquet"),
                "--tz",
                "UTC",
                "--pseudonym-key",
                "k",
            ]
        )
    assert code == 0


@pytest.mark.parametrize(
    "name, fmt, typo, valid",
    [
        ("generic.tsv", "csv", "colums", ["columns=", "platform=", "tz=", "extra_columns=", "sep="]),
        ("twitter_v2_page.json", "twitter_v2", "language", ["no options"]),
        ("crowdtangle.csv", "crowdtangle", "seperator", ["sep="]),
    ],
)
def test_an_unknown_option_is_an_error_naming_the_reader_and_its_options(fixtures, name, fmt, typo, valid):
    with pytest.raises(gs.InputError) as info:
        gs.read_posts(fixtures / name, **{typo: "x"})
    err = info.value
    assert err.field == typo and f"{typo}=" in err.message and f"the {fmt} reader" in err.message
    assert all(v in err.hint for v in valid), err.hint


def test_a_misspelt_option_gets_the_closest_name(fixtures):
    with pytest.raises(gs.InputError, match=r"did you mean columns=\?"):
        gs.read_posts(fixtures / "generic.tsv", colums={"text": "body"})


def test_a_wrongly_typed_option_is_an_input_error_naming_it(fixtures):
    with pytest.raises(gs.InputError) as info:
        gs.read_posts(fixtures / "generic.tsv", tz=10)
    assert info.value.field == "tz" and "str" in info.value.message
    with pytest.raises(gs.InputError, match="one character"):
        gs.read_posts(fixtures / "generic.tsv", format="csv", sep="||")


# ----------------------------------------------------------------------------- a reader of one's own


def _read_skeets(handle, ctx=None, *, platform="bluesky"):
    """A toy reader for JSON Lines of {"uri", "author", "text", "createdAt", "likeCount"}."""
    for n, line in enumerate(handle, 1):
        record = json.loads(line)
        try:
            when = datetime.fromisoformat(record["createdAt"])
        except ValueError:
            yield Item(n, None, error=RecordError("createdAt", "unparseable timestamp"))
            continue
        yield Item(
            n,
            None,
            row={
                "post_id": record["uri"],
                "platform": platform,
                "account_id": record["author"],
                "created_at": when.astimezone(timezone.utc),
                "text": record["text"],
                "is_repost": False,
                "likes": record["likeCount"],
            },
        )


@pytest.fixture
def skeets():
    spec = gs.ReaderSpec(
        "skeets",
        "json",
        _read_skeets,
        "a test export (JSON Lines of skeets)",
        detect=lambda record: isinstance(record, dict) and "uri" in record and "likeCount" in record,
        options=(gs.ReaderOption("platform", str, "platform name", default="bluesky"),),
    )
    gs.register_reader(spec)
    yield spec
    gs.unregister_reader("skeets")


def _write_skeets(path, n_good, n_bad):
    lines = []
    for i in range(n_good + n_bad):
        created = "yesterday" if i >= n_good else f"2024-02-0{1 + i % 9}T10:00:00+00:00"
        lines.append(
            json.dumps(
                {
                    "uri": f"at://s/{i}",
                    "author": f"did:{i % 3}",
                    "text": f"post {i}",
                    "createdAt": created,
                    "likeCount": i,
                }
            )
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_registered_reader_is_detected_and_read(skeets, tmp_path):
    path = tmp_path / "skeets.jsonl"
    _write_skeets(path, n_good=5, n_bad=2)
    assert gs.detect_format(path) == "skeets" and "skeets" in gs.FORMATS
    posts, rejects = gs.read_posts(path, platform="bsky")
    assert posts["post_id"].tolist() == [f"at://s/{i}" for i in range(5)]
    assert posts["likes"].tolist() == list(range(5)) and set(posts["platform"]) == {"bsky"}
    assert rejects["line"].tolist() == [6, 7] and set(rejects["field"]) == {"createdAt"}
    with pytest.warns(FutureWarning, match=r"tz= is ignored by the skeets reader"):
        gs.read_posts(path, tz="UTC")
    with pytest.raises(gs.InputError, match="the skeets reader takes platform="):
        gs.read_posts(path, handle_prefix="@")


def test_a_registered_reader_works_from_the_command_line(skeets, tmp_path, capsys):
    path = tmp_path / "skeets.jsonl"
    _write_skeets(path, n_good=4, n_bad=1)
    out = tmp_path / "posts.parquet"
    assert main(["ingest", str(path), "--out", str(out), "--json", "--pseudonym-key", "k"]) == 0
    counts = json.loads(capsys.readouterr().out)
    assert (counts["loaded"], counts["rejected"]) == (4, 1)
    assert pd.read_parquet(out)["platform"].tolist() == ["bluesky"] * 4


def test_a_registration_is_checked_against_its_read_function():
    with pytest.raises(ValueError, match="default"):
        gs.ReaderSpec(
            "skeets",
            "json",
            _read_skeets,
            "x",
            options=(gs.ReaderOption("platform", str, "platform name", default="other"),),
        )
    with pytest.raises(ValueError, match="no such keyword"):
        gs.ReaderSpec("skeets", "json", _read_skeets, "x", options=(gs.ReaderOption("lang", str, "language"),))
    with pytest.raises(ValueError, match="built-in"):
        gs.register_reader(gs.ReaderSpec("mastodon", "json", _read_skeets, "x"))

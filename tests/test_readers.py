"""Every reader on hand-written fixtures, and every class of bad input."""

import gzip
import json
import shutil

import pandas as pd
import pytest

import govsocial as gs
from govsocial.core.exceptions import InputError
from govsocial.data.readers import _records

GENERIC_COLUMNS = {
    "post_id": "message_id",
    "created_at": "posted",
    "account_name": "page",
    "text": "body",
    "likes": "thumbs",
}

# file, read options, expected format, loaded ids, rejected (field, reason fragment) in order
CASES = [
    (
        "twitter_v2_page.json",
        {},
        "twitter_v2",
        ["1630000000000000001", "1630000000000000002", "1630000000000000003", "1630000000000000004"],
        [
            ("created_at", "unparseable"),
            ("public_metrics.like_count", "negative"),
            ("text", "missing text"),
            ("created_at", "no time zone"),
        ],
    ),
    (
        "twitter_v2_tweets.jsonl",
        {},
        "twitter_v2",
        ["1640000000000000001", "1640000000000000002", "1640000000000000004"],
        [
            ("post_id", "duplicate"),
            (None, "not valid JSON"),
            (None, "expected a tweet object"),
            ("public_metrics.like_count", "not a count"),
            (None, "truncated"),
        ],
    ),
    (
        "twitter_v1.json",
        {},
        "twitter_v1",
        ["1050118621198921728", "1050118621198921729", "1050118621198921730", "1050118621198921731"],
        [
            (None, "'delete' notice"),
            ("created_at", "unparseable"),
            ("full_text", "missing text"),
            ("retweet_count", "negative"),
        ],
    ),
    (
        "twitter_v1_truncated.json",
        {"format": "twitter_v1"},
        "twitter_v1",
        ["1050118621198921728", "1050118621198921729"],
        [(None, "records after this point could not be read")],
    ),
    (
        "crowdtangle.csv",
        {},
        "crowdtangle",
        ["7000000001", "7000000003", "7000000006"],
        [
            ("Message", "missing text"),
            ("Comments", "negative"),
            ("Post Created", "unparseable"),
            (None, "11 fields but the header has 29"),
        ],
    ),
    (
        "mastodon.json",
        {},
        "mastodon",
        ["109000000000000001", "109000000000000002", "109000000000000003", "109000000000000006"],
        [("content", "missing text"), ("reblogs_count", "not a count")],
    ),
    (
        "generic.tsv",
        {"columns": GENERIC_COLUMNS, "tz": "Australia/Sydney", "extra_columns": ["coded_as"]},
        "csv",
        ["a1", "a2", "a3"],
        [("created_at", "unparseable"), ("body", "missing text"), ("thumbs", "negative")],
    ),
]


@pytest.mark.parametrize("name, options, fmt, loaded, rejected", CASES, ids=[c[0] for c in CASES])
def test_reader_loads_good_records_and_reports_each_bad_one(fixtures, name, options, fmt, loaded, rejected):
    path = fixtures / name
    if "format" not in options:
        assert gs.detect_format(path) == fmt
    posts, rejects = gs.read_posts(path, **options)
    assert posts["post_id"].tolist() == loaded
    assert len(rejects) == len(rejected)
    for (field, fragment), (_, row) in zip(rejected, rejects.iterrows()):
        assert (row["field"] if pd.notna(row["field"]) else None) == field
        assert fragment in row["reason"]
        assert row["source"] == str(path) and pd.notna(row["line"])
    gs.validate(posts)


def test_twitter_v2_mapping(fixtures):
    posts, _ = gs.read_posts(fixtures / "twitter_v2_page.json")
    first, reply, retweet, long_post = (posts.iloc[i] for i in range(4))
    assert first["account_name"] == "KelbrookHealth" and first["followers"] == 15230
    assert (first["likes"], first["shares"], first["replies"], first["quotes"], first["views"]) == (17, 4, 2, 1, 950)
    assert first["created_at"] == pd.Timestamp("2023-03-01T09:15:00Z")
    assert reply["reply_to_post_id"] == "1630000000000000001" and reply["reply_to_account_id"] == "100001"
    assert reply["conversation_id"] == "1630000000000000001"
    assert retweet["is_repost"] and retweet["text"].startswith("Flu clinics") and "…" not in retweet["text"]
    assert long_post["text"].endswith("including all the route changes.")


def test_twitter_v1_mapping(fixtures):
    posts, _ = gs.read_posts(fixtures / "twitter_v1.json")
    assert posts.loc[0, "account_id"] == "300001" and posts.loc[0, "followers"] == 12000
    assert posts.loc[1, "reply_to_post_id"] == "1050118621198921728"
    assert posts.loc[2, "text"].endswith("Details on our website.")  # extended_tweet wins over truncated text
    assert posts.loc[3, "is_repost"] and not posts.loc[3, "text"].startswith("RT ")


def test_crowdtangle_mapping(fixtures):
    posts, _ = gs.read_posts(fixtures / "crowdtangle.csv")
    row = posts.iloc[0]
    assert row["platform"] == "facebook" and row["account_id"] == "500001"
    assert row["likes"] == 900 + 200 + 5 + 1 + 2 + 1 + 101  # all reactions
    assert (row["replies"], row["shares"], row["followers"]) == (60, 40, 11000)
    assert row["created_at"] == pd.Timestamp("2022-05-31T23:00:00Z")  # 09:00 AEST
    assert "Draft housing strategy" in row["text"]  # link text appended to the message
    assert posts.iloc[2]["views"] == 1200 and "\n" in posts.iloc[2]["text"]


def test_mastodon_mapping(fixtures):
    posts, _ = gs.read_posts(fixtures / "mastodon.json")
    first = posts.iloc[0]
    assert first["text"] == (
        "Kinford pool reopens on Saturday & entry is free all weekend!\n\n"
        "Details: https://kinford.gov.example/pool #KinfordPool"
    )
    assert (first["likes"], first["shares"], first["replies"], first["followers"]) == (12, 5, 3, 2300)
    assert posts.iloc[1]["reply_to_post_id"] == "109000000000000001"
    assert posts.iloc[1]["text"].endswith("open too?\nasking for my kids")
    assert posts.iloc[2]["is_repost"] and posts.iloc[2]["text"].startswith("Kinford pool")
    assert posts.iloc[3]["text"].startswith("Storm warning\n\n")  # content warning kept


def test_generic_reader_mapping_timezones_and_extra_columns(fixtures):
    posts, _ = gs.read_posts(
        fixtures / "generic.tsv",
        columns=GENERIC_COLUMNS,
        tz="Australia/Sydney",
        extra_columns=["coded_as"],
        platform="facebook",
    )
    assert posts["created_at"].tolist()[:3] == [
        pd.Timestamp("2023-04-30T23:00:00Z"),
        pd.Timestamp("2023-05-01T00:15:00Z"),
        pd.Timestamp("2023-05-01T01:00:00Z"),
    ]
    assert posts["coded_as"].tolist() == ["information", "intelligence", "engagement"]
    assert posts["platform"].unique().tolist() == ["facebook"]
    assert posts["likes"].isna().tolist() == [False, False, True]


def test_generic_reader_without_id_or_dates(tmp_path):
    path = tmp_path / "coded.tsv"
    path.write_text("label\ttext\ninformation\tRoad closed\nengagement\tThanks all\n", encoding="utf-8")
    posts, rejects = gs.read_posts(path, extra_columns=["label"])
    assert posts["post_id"].tolist() == ["coded:2", "coded:3"] and len(rejects) == 0
    assert posts["created_at"].isna().all() and posts["label"].tolist() == ["information", "engagement"]


def test_naive_timestamps_need_a_time_zone(fixtures):
    posts, rejects = gs.read_posts(fixtures / "generic.tsv", columns=GENERIC_COLUMNS)
    assert posts["post_id"].tolist() == ["a3"]  # the only row with an offset
    assert rejects["reason"].str.contains("no time zone").sum() == 3  # a1, a2, a6
    assert rejects["hint"].str.contains("tz='UTC'").sum() == 3  # and what to do about it


def test_generic_mapping_errors_name_the_problem(fixtures):
    with pytest.raises(InputError, match="not in the file.*body2"):
        gs.read_posts(fixtures / "generic.tsv", columns={"text": "body2"})
    with pytest.raises(InputError, match="no text column"):
        gs.read_posts(fixtures / "generic.tsv", columns={"post_id": "message_id"})
    with pytest.raises(InputError, match="unknown schema field"):
        gs.read_posts(fixtures / "generic.tsv", columns={"body": "text"})
    with pytest.raises(InputError, match="unknown time zone"):
        gs.read_posts(fixtures / "generic.tsv", columns=GENERIC_COLUMNS, tz="Mars/Olympus")


def test_parquet_reader(tmp_path):
    frame = pd.DataFrame(
        {
            "id": ["p1", "p2", "p3"],
            "body": ["hello", None, "again"],
            "when": pd.to_datetime(["2023-01-01", "2023-01-02", "2023-01-03"], utc=True),
            "n": [1, 2, -5],
        }
    )
    path = tmp_path / "posts.parquet"
    frame.to_parquet(path)
    assert gs.detect_format(path) == "parquet"
    posts, rejects = gs.read_posts(path, columns={"post_id": "id", "text": "body", "created_at": "when", "likes": "n"})
    assert posts["post_id"].tolist() == ["p1"]
    assert rejects["line"].tolist() == [2, 3] and rejects["field"].tolist() == ["body", "n"]


def test_gzip_is_read_transparently(fixtures, tmp_path):
    target = tmp_path / "page.json.gz"
    with open(fixtures / "twitter_v2_page.json", "rb") as src, gzip.open(target, "wb") as dst:
        shutil.copyfileobj(src, dst)
    plain = gs.read_posts(fixtures / "twitter_v2_page.json")
    packed = gs.read_posts(target)
    pd.testing.assert_frame_equal(plain[0], packed[0])
    assert len(packed[1]) == len(plain[1])


def test_truncated_gzip_keeps_records_before_the_break(small_corpus, tmp_path):
    data = (small_corpus / "posts.jsonl.gz").read_bytes()
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(data[: len(data) // 2])
    posts, rejects = gs.read_posts(cut)
    assert 0 < len(posts) < 1500
    assert rejects["reason"].str.contains("could not be read|not valid JSON").any()


def test_wrong_encoding_is_rejected_per_record_and_readable_with_the_right_one(tmp_path):
    path = tmp_path / "latin1.jsonl"
    good = json.dumps({"id": "1", "text": "Cafe open", "created_at": "2023-01-01T00:00:00Z", "author_id": "5"})
    bad = json.dumps(
        {"id": "2", "text": "Café open", "created_at": "2023-01-01T00:00:00Z", "author_id": "5"}, ensure_ascii=False
    )
    path.write_bytes((good + "\n" + bad + "\n").encode("latin-1"))
    posts, rejects = gs.read_posts(path)
    assert posts["post_id"].tolist() == ["1"]
    assert rejects.loc[0, "field"] == "text" and "not valid utf-8" in rejects.loc[0, "reason"]
    assert rejects.loc[0, "line"] == 2
    posts, rejects = gs.read_posts(path, encoding="latin-1")
    assert posts["text"].tolist() == ["Cafe open", "Café open"] and len(rejects) == 0


def test_utf8_bom_is_skipped(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufefftext,post_id\nhello,1\n".encode("utf-8"))
    posts, rejects = gs.read_posts(path)
    assert posts["text"].tolist() == ["hello"] and len(rejects) == 0


def test_duplicates_across_files_are_rejected_after_the_first(fixtures, tmp_path):
    copy = tmp_path / "again.json"
    shutil.copy(fixtures / "mastodon.json", copy)
    posts, rejects = gs.read_posts([fixtures / "mastodon.json", copy])
    assert len(posts) == 4
    dup = rejects[rejects["field"] == "post_id"]
    assert len(dup) == 4 and dup["reason"].str.contains("first seen at mastodon.json").all()


def test_errors_raise_stops_at_the_first_bad_record_with_where_and_what(fixtures):
    with pytest.raises(InputError) as info:
        gs.read_posts(fixtures / "twitter_v1.json", errors="raise")
    err = info.value
    assert (err.line, err.record) == (19, "[4]")
    message = str(err)
    assert "twitter_v1.json" in message and "line 19" in message and "errors='report'" in message


def test_file_level_errors(tmp_path, fixtures):
    with pytest.raises(InputError, match="file not found"):
        gs.read_posts(tmp_path / "missing.jsonl")
    with pytest.raises(InputError, match="directory"):
        gs.read_posts(tmp_path)
    odd = tmp_path / "odd.json"
    odd.write_text('{"hello": "world"}\n')
    with pytest.raises(InputError, match="cannot tell the export format"):
        gs.read_posts(odd)
    with pytest.raises(InputError, match="unknown format"):
        gs.read_posts(fixtures / "mastodon.json", format="myspace")
    with pytest.raises(InputError, match="not a CrowdTangle export"):
        gs.read_posts(fixtures / "generic.tsv", format="crowdtangle")
    with pytest.raises(InputError, match="no input files"):
        gs.read_posts([])


def test_empty_files_give_empty_tables_and_are_listed(tmp_path):
    for name, fmt in (("e.jsonl", "twitter_v2"), ("e.json", "mastodon"), ("e.csv", "csv"), ("e2.csv", "crowdtangle")):
        path = tmp_path / name
        path.write_text("")
        posts, rejects = gs.read_posts(path, format=fmt)
        assert len(posts) == 0 and rejects["reason"].tolist() == ["empty file: it holds no records"]
        gs.validate(posts)
    empty_array = tmp_path / "empty_array.json"
    empty_array.write_text("[ ]")
    posts, rejects = gs.read_posts(empty_array, format="twitter_v1")
    assert len(posts) == 0 and len(rejects) == 0  # an empty array is not an empty file
    header_only = tmp_path / "header.csv"
    header_only.write_text("post_id,text\n")
    assert [len(t) for t in gs.read_posts(header_only)] == [0, 0]


def test_chunked_collection_matches_one_chunk(small_corpus, monkeypatch):
    whole, _ = gs.read_posts(small_corpus / "posts.jsonl.gz")
    monkeypatch.setattr(_records, "CHUNK_ROWS", 97)
    chunked, _ = gs.read_posts(small_corpus / "posts.jsonl.gz")
    pd.testing.assert_frame_equal(whole, chunked)


def test_progress_bar_runs(small_corpus, capsys):
    posts, _ = gs.read_posts(small_corpus / "posts.jsonl.gz", progress=True)
    assert len(posts) == 1500


def test_load_posts_round_trip(fixtures, tmp_path):
    posts, _ = gs.read_posts(fixtures / "mastodon.json")
    path = tmp_path / "posts.parquet"
    posts.to_parquet(path)
    from govsocial.data.readers import load_posts

    pd.testing.assert_frame_equal(load_posts(path), posts)
    (tmp_path / "bad.parquet").write_text("nope")
    with pytest.raises(InputError, match="not a readable Parquet"):
        load_posts(tmp_path / "bad.parquet")

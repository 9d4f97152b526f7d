"""Reader edge cases met on real exports (issue 10): quoting, truncation, nesting, empty
files, NaN counts, invisible texts, encodings, globs, HTML entities, line-based ids.

Every expectation is computed from what the test wrote, through the public API
(``govsocial.read_posts``) or the command line (``govsocial.cli.main``).
"""

import csv
import gzip
import json
import logging
import zlib

import pandas as pd
import pytest

import govsocial as gs
from govsocial.cli import main
from govsocial.core.exceptions import InputError

TIME = "2023-01-01T00:00:00Z"


def _tweet(i, **extra):
    tweet = {
        "id": str(1000 + i),
        "text": f"Tweet number {i}",
        "author_id": str(i % 5),
        "created_at": TIME,
        "public_metrics": {"like_count": i},
    }
    tweet.update(extra)
    return tweet


def _status(i):
    return {
        "id_str": str(5000 + i),
        "full_text": f"Status {i} " + "words " * 40,
        "created_at": "Wed Oct 10 20:19:24 +0000 2018",
        "user": {"id_str": "9", "screen_name": "agency"},
        "favorite_count": i,
    }


# --------------------------------------------------------------------------- 1. CSV quoting


def _runaway_csv(column, n=54, broken=4, later_quoted=True):
    """n records, the text of record ``broken`` opens a quote it never closes."""
    header = (
        ["post_id", "text", "created_at", "likes"] if column == "middle" else ["post_id", "created_at", "likes", "text"]
    )
    lines = [",".join(header)]
    for i in range(1, n + 1):
        text = f"Record {i} says hello, world" if later_quoted or i < broken else f"Record {i} says hello"
        cell = '"' + text + '"' if "," in text else text
        if i == broken:
            cell = f'"Record {i} never closes its quote'
        row = {"post_id": f"p{i}", "text": cell, "created_at": TIME, "likes": str(i)}
        lines.append(",".join(row[h] for h in header))
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("later_quoted", [True, False], ids=["later-quoted", "later-plain"])
@pytest.mark.parametrize("column", ["last", "middle"])
def test_a_runaway_quote_rejects_one_record_and_recovers_the_rest(tmp_path, column, later_quoted):
    path = tmp_path / "posts.csv"
    path.write_text(_runaway_csv(column, later_quoted=later_quoted), encoding="utf-8")
    posts, rejects = gs.read_posts(path)
    assert len(posts) + len(rejects) == 54
    assert sorted(posts["post_id"]) == sorted(f"p{i}" for i in range(1, 55) if i != 4)
    assert rejects["line"].tolist() == [5] and "unterminated quote" in rejects.loc[0, "reason"]
    assert (posts["text"].str.count("Record") == 1).all()  # no loaded text holds another record


def test_a_runaway_quote_in_a_crowdtangle_message(tmp_path):
    header = "Page Name,User Name,Facebook Id,Post Created,Message,URL,Likes,Comments,Shares"
    lines = [header]
    for i in range(1, 55):
        message = f'"Message {i}, from the council"' if i != 4 else '"Message 4 never closes'
        lines.append(
            f"Council,council,100,2021-03-01 10:00:05 EST,{message},"
            f"https://www.facebook.com/council/posts/{700 + i},1,2,3"
        )
    path = tmp_path / "ct.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert gs.detect_format(path) == "crowdtangle"
    posts, rejects = gs.read_posts(path)
    assert len(posts) == 53 and len(rejects) == 1
    assert "unterminated quote" in rejects.loc[0, "reason"] and rejects.loc[0, "line"] == 5
    assert (posts["text"].str.count("Message") == 1).all()


def test_an_unterminated_quote_at_the_end_of_the_file_is_rejected(tmp_path):
    path = tmp_path / "end.csv"
    path.write_text('post_id,text\n1,fine\n2,"never closed\nstill inside\n', encoding="utf-8")
    posts, rejects = gs.read_posts(path)
    assert posts["post_id"].tolist() == ["1"]
    assert len(rejects) == 1 and "end of the file" in rejects.loc[0, "reason"]


TEXTS = [
    "Order 1 arrived\rbroken",
    "Plain text",
    "Line one\r\nline two, CRLF inside",
    "Two\r\rbare CRs",
    'He said "hi"\rthen left',
    "Last\nwith LF",
]


@pytest.mark.parametrize("style", ["pandas", "quote-all", "crlf-minimal"])
def test_carriage_returns_inside_fields_stay_in_the_text(tmp_path, style):
    frame = pd.DataFrame({"post_id": [f"c{i}" for i in range(len(TEXTS))], "text": TEXTS, "likes": range(len(TEXTS))})
    path = tmp_path / "cr.csv"
    if style == "pandas":  # pandas writes LF line ends and leaves a bare CR unquoted
        frame.to_csv(path, index=False)
    else:
        with open(path, "w", newline="", encoding="utf-8") as handle:
            quoting = csv.QUOTE_ALL if style == "quote-all" else csv.QUOTE_MINIMAL
            csv.writer(handle, quoting=quoting).writerows([frame.columns.tolist(), *frame.values.tolist()])
    posts, rejects = gs.read_posts(path)
    assert len(rejects) == 0
    assert posts["text"].tolist() == TEXTS


def test_duplicate_header_names_are_refused_by_name(tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text("post_id,text,likes,text,likes\n1,a,2,b,3\n", encoding="utf-8")
    with pytest.raises(InputError, match="duplicate column name.*'likes', 'text'"):
        gs.read_posts(path)


def test_a_csv_cut_inside_a_gzip_stream_rejects_its_last_record(tmp_path):
    rows = "".join(f"{i},Text of post {i} with {i * 7919 % 10007} words\n" for i in range(5000))
    data = gzip.compress(("post_id,text\n" + rows).encode())
    cut = len(data) // 2
    while True:  # a cut whose decompressed text ends inside a row
        prefix = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data[:cut]).decode()
        if not prefix.endswith("\n"):
            break
        cut += 1
    path = tmp_path / "cut.csv.gz"
    path.write_bytes(data[:cut])
    posts, rejects = gs.read_posts(path)
    assert len(posts) == prefix.count("\n") - 1  # rows whose line break was written before the cut
    assert rejects["reason"].str.contains("cut off where the compressed file breaks").sum() == 1
    assert rejects["reason"].str.contains("ends abruptly").sum() == 1
    assert posts["text"].tolist() == [f"Text of post {i} with {i * 7919 % 10007} words" for i in range(len(posts))]


# --------------------------------------------------------------------------- 2. truncated JSON


def _complete_in(prefix, records, indent):
    return sum(1 for r in records if json.dumps(r, indent=indent).replace("\n", "\n" + " " * indent) in prefix)


def test_a_truncated_json_gz_array_keeps_every_complete_record(tmp_path):
    statuses = [_status(i) for i in range(300)]
    data = gzip.compress(json.dumps(statuses, indent=1).encode())
    lo, hi = 0, len(data)  # find the cut where exactly 142 complete records precede the break
    while lo < hi:
        mid = (lo + hi) // 2
        prefix = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data[:mid]).decode("utf-8", "ignore")
        if _complete_in(prefix, statuses, 1) < 143:
            lo = mid + 1
        else:
            hi = mid
    path = tmp_path / "statuses.json.gz"
    path.write_bytes(data[: lo - 1])
    prefix = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data[: lo - 1]).decode("utf-8", "ignore")
    assert _complete_in(prefix, statuses, 1) == 142
    assert gs.detect_format(path) == "twitter_v1"  # reads the first record only
    posts, rejects = gs.read_posts(path)
    assert posts["post_id"].tolist() == [str(5000 + i) for i in range(142)]
    assert rejects["reason"].str.contains("truncated|ends abruptly").all() and len(rejects) >= 1


def test_a_truncated_pretty_printed_v2_page_keeps_its_complete_tweets(tmp_path):
    page = {
        "data": [_tweet(i) for i in range(60)],
        "includes": {"users": [{"id": str(i), "username": f"user{i}"} for i in range(5)]},
    }
    text = json.dumps(page, indent=2)
    cut = text.index('"id": "1035"')  # inside the 36th tweet
    path = tmp_path / "page.json"
    path.write_text(text[:cut], encoding="utf-8")
    assert gs.detect_format(path) == "twitter_v2"
    posts, rejects = gs.read_posts(path)
    assert posts["post_id"].tolist() == [str(1000 + i) for i in range(35)]
    assert len(rejects) == 1 and "35 complete records" in rejects.loc[0, "reason"]


def test_concatenated_pretty_printed_documents_count_as_records(tmp_path, capsys):
    path = tmp_path / "pretty.json"
    path.write_text("\n".join(json.dumps(_tweet(i), indent=2) for i in range(3)) + "\n", encoding="utf-8")
    assert gs.read_posts(path)[0]["post_id"].tolist() == ["1000", "1001", "1002"]
    assert main(["ingest", str(path), "--out", str(tmp_path / "p.parquet"), "--json", "--pseudonym-key", "k"]) == 0
    counts = json.loads(capsys.readouterr().out)
    assert (counts["read"], counts["loaded"], counts["rejected"]) == (3, 3, 0)


# --------------------------------------------------------------------------- 3. deep nesting

DEEP = "[" * 1000 + "]" * 1000


def _with_deep(tweet, indent=None):
    text = json.dumps(tweet, indent=indent)
    return text[:-1] + ', "deep": ' + DEEP + "}"


def test_deep_nesting_rejects_that_record_and_goes_on(tmp_path):
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text("\n".join([json.dumps(_tweet(1)), _with_deep(_tweet(2)), json.dumps(_tweet(3))]) + "\n")
    array = tmp_path / "b.json"
    array.write_text("[" + ",\n".join([json.dumps(_tweet(4)), _with_deep(_tweet(5)), json.dumps(_tweet(6))]) + "]")
    pretty = tmp_path / "c.json"
    pretty.write_text(
        "\n".join([json.dumps(_tweet(7), indent=2), _with_deep(_tweet(8), 2), json.dumps(_tweet(9), indent=2)])
    )
    page = tmp_path / "d.jsonl"
    page.write_text(
        '{"data": ['
        + ", ".join([json.dumps(_tweet(10)), _with_deep(_tweet(11)), json.dumps(_tweet(12))])
        + '], "includes": {"users": [{"id": "0", "username": "agency"}]}}\n'
    )
    good = tmp_path / "e.jsonl"
    good.write_text(json.dumps(_tweet(13)) + "\n")
    posts, rejects = gs.read_posts([jsonl, array, pretty, page, good])
    assert sorted(posts["post_id"].astype(int) - 1000) == [1, 3, 4, 6, 7, 9, 10, 12, 13]
    assert len(rejects) == 4 and rejects["reason"].str.contains("nesting too deep").all()


# --------------------------------------------------------------------------- 4. empty files, NaN, blank texts


def test_an_empty_file_is_reported_and_the_others_load(tmp_path):
    good = tmp_path / "good.jsonl"
    good.write_text("\n".join(json.dumps(_tweet(i)) for i in range(3)) + "\n")
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    blank_gz = tmp_path / "blank.json.gz"
    blank_gz.write_bytes(gzip.compress(b"  \n\n"))
    out, rejects_csv = tmp_path / "posts.parquet", tmp_path / "rejects.csv"
    code = main(
        [
            "ingest",
            str(good),
            str(empty),
            str(blank_gz),
            "--out",
            str(out),
            "--rejects",
            str(rejects_csv),
            "--pseudonym-key",
            "k",
        ]
    )
    assert code == 0
    assert len(pd.read_parquet(out)) == 3
    rejects = pd.read_csv(rejects_csv)
    assert sorted(rejects["source"]) == sorted([str(empty), str(blank_gz)])
    assert rejects["reason"].str.contains("empty file").all()


def test_nan_and_infinite_counts_are_rejected_not_blanked(tmp_path):
    lines = [
        '{"id": "1", "text": "a", "author_id": "7", "created_at": "%s", "public_metrics": {"like_count": %s}}'
        % (TIME, value)
        for value in ("NaN", "Infinity", "-Infinity", "3", "null")
    ]
    path = tmp_path / "counts.jsonl"
    path.write_text("\n".join(line.replace('"id": "1"', f'"id": "{i}"') for i, line in enumerate(lines)) + "\n")
    posts, rejects = gs.read_posts(path)
    assert posts["post_id"].tolist() == ["3", "4"] and posts["likes"].isna().tolist() == [False, True]
    assert rejects["field"].eq("public_metrics.like_count").all() and len(rejects) == 3
    csv_path = tmp_path / "counts.csv"
    csv_path.write_text("post_id,text,likes\n1,a,nan\n2,b,inf\n3,c,NaN\n4,d,\n5,e,7\n")
    posts, rejects = gs.read_posts(csv_path)
    assert posts["post_id"].tolist() == ["4", "5"] and rejects["field"].eq("likes").sum() == 3
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table(
        {"id": ["1", "2", "3"], "body": ["a", "b", "c"], "n": pa.array([1.0, float("nan"), None], pa.float64())}
    )
    pq.write_table(table, tmp_path / "counts.parquet")
    posts, rejects = gs.read_posts(tmp_path / "counts.parquet", columns={"post_id": "id", "text": "body", "likes": "n"})
    assert posts["post_id"].tolist() == ["1", "3"] and rejects["field"].tolist() == ["n"]


INVISIBLE = ["   ", "\u200b", "\u200c\u200d", "\u2060", "\ufeff", " \u200b\n\t", "&#8203;"]


def test_texts_of_only_white_space_or_zero_width_characters_are_missing(tmp_path):
    path = tmp_path / "blank.jsonl"
    tweets = [_tweet(i, text=t) for i, t in enumerate(INVISIBLE)] + [_tweet(99, text="\u200bvisible")]
    path.write_text("\n".join(json.dumps(t) for t in tweets) + "\n")
    posts, rejects = gs.read_posts(path)
    assert posts["post_id"].tolist() == ["1099"]
    assert len(rejects) == len(INVISIBLE) and rejects["reason"].eq("missing text").all()
    csv_path = tmp_path / "blank.csv"
    with open(csv_path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["post_id", "text"], *[[i, t] for i, t in enumerate(INVISIBLE)], [99, "ok"]])
    posts, rejects = gs.read_posts(csv_path)
    assert posts["post_id"].tolist() == ["99"] and len(rejects) == len(INVISIBLE)


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le"], ids=["bom", "no-bom"])
def test_utf16_input_names_the_encoding_to_pass_and_reads_with_it(tmp_path, codec, capsys):
    csv_path = tmp_path / "posts.csv"
    csv_path.write_bytes("post_id,text\n1,Café open\n2,Road closed\n".encode(codec))
    jsonl = tmp_path / "posts.jsonl"
    jsonl.write_bytes((json.dumps(_tweet(1), ensure_ascii=False) + "\n").encode(codec))
    for path in (csv_path, jsonl):
        with pytest.raises(InputError, match="UTF-16") as info:
            gs.read_posts(path)
        assert "encoding='utf-16'" in str(info.value)
        assert main(["ingest", str(path), "--out", str(tmp_path / "o.parquet")]) == 1
        assert "--encoding utf-16" in capsys.readouterr().err
    posts, rejects = gs.read_posts(csv_path, encoding="utf-16")
    assert posts["text"].tolist() == ["Café open", "Road closed"] and len(rejects) == 0
    assert gs.read_posts(jsonl, encoding="utf-16")[0]["post_id"].tolist() == ["1001"]


# --------------------------------------------------------------------------- 5. globs


def _exports(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    for month, ids in (("2023-02", (3, 4)), ("2023-01", (1, 2)), ("2022-12", (0,))):
        name = f"search-{month}.jsonl.gz" if month != "2022-12" else "other-2022-12.jsonl.gz"
        (folder / name).write_bytes(gzip.compress("".join(json.dumps(_tweet(i)) + "\n" for i in ids).encode()))
    return folder


def test_glob_patterns_expand_in_sorted_order(tmp_path, capsys):
    folder = _exports(tmp_path)
    posts, _ = gs.read_posts([str(folder / "search-2023-*.jsonl.gz")])
    assert posts["post_id"].tolist() == ["1001", "1002", "1003", "1004"]
    with pytest.raises(InputError, match="no file matches") as info:
        gs.read_posts([str(folder / "search-2024-*.jsonl.gz")])
    assert "search-2024-*.jsonl.gz" in str(info.value)
    out = tmp_path / "posts.parquet"
    assert main(["ingest", str(folder / "*.jsonl.gz"), "--out", str(out), "--json", "--pseudonym-key", "k"]) == 0
    assert json.loads(capsys.readouterr().out)["loaded"] == 5
    assert main(["ingest", str(folder / "nothing-*.gz"), "--out", str(out)]) == 1
    assert "nothing-*.gz" in capsys.readouterr().err


@pytest.mark.slow
def test_config_paths_may_be_glob_patterns(tmp_path, small_corpus):
    folder = tmp_path / "exports"
    folder.mkdir()
    lines = gzip.decompress((small_corpus / "posts.jsonl.gz").read_bytes()).decode().splitlines(keepends=True)
    half = len(lines) // 2
    for name, part in (("a", lines[:half]), ("b", lines[half:])):
        (folder / f"posts-{name}.jsonl.gz").write_bytes(gzip.compress("".join(part).encode()))
    config = tmp_path / "glob.toml"
    config.write_text(
        f'name = "glob"\n[input]\npaths = ["exports/*.jsonl.gz"]\n'
        f'registry = "{(small_corpus / "accounts.csv").as_posix()}"\n[themes]\nn_iter = 5\n'
    )
    results = tmp_path / "results"
    assert main(["run", str(config), "--experiments", "uses", "--results", str(results)]) == 0
    manifest = json.loads(next(p for p in results.rglob("manifest.json") if p.parent.name == "uses").read_text())
    assert manifest["counts"]["loaded"] + manifest["counts"]["rejected"] == sum(
        len(json.loads(x)["data"]) for x in lines
    )


# --------------------------------------------------------------------------- 18. HTML entities


def test_html_entities_are_unescaped_exactly_once_in_every_reader(tmp_path, fixtures):
    raw, once = "Roads &amp; bridges &lt;3 &amp;amp; AT&T", "Roads & bridges <3 &amp; AT&T"
    v2 = tmp_path / "v2.jsonl"
    v2.write_text(json.dumps(_tweet(1, text=raw)) + "\n")
    v1 = tmp_path / "v1.json"
    v1.write_text(json.dumps([dict(_status(1), full_text=raw)]))
    generic = tmp_path / "g.csv"
    with open(generic, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["post_id", "text"], ["1", raw]])
    ct = tmp_path / "ct.csv"
    with open(ct, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(
            [
                ["Page Name", "Facebook Id", "Post Created", "Message", "URL"],
                ["Council", "1", "2021-03-01 10:00:05 EST", raw, "https://www.facebook.com/c/posts/9"],
            ]
        )
    for path in (v2, v1, generic, ct):
        assert gs.read_posts(path)[0]["text"].tolist() == [once], path.name
    masto = tmp_path / "m.json"
    masto.write_text(
        json.dumps(
            [{"id": "1", "created_at": TIME, "content": f"<p>{raw}</p>", "account": {"id": "3", "acct": "council"}}]
        )
    )
    assert gs.read_posts(masto)[0]["text"].tolist() == [once]  # HTML once, not twice


# --------------------------------------------------------------------------- 21. government="all", line-based ids


def test_government_all_marks_every_account_government(tmp_path, capsys):
    path = tmp_path / "agency.jsonl"
    path.write_text("".join(json.dumps(_tweet(i)) + "\n" for i in range(4)))
    posts, _ = gs.read_posts(path, government="all")
    assert posts["account_type"].astype(str).tolist() == ["government"] * 4
    assert gs.read_posts(path)[0]["account_type"].astype(str).eq("unknown").all()
    with pytest.raises(InputError, match="government"):
        gs.read_posts(path, government="some")
    assert (
        main(
            [
                "ingest",
                str(path),
                "--government",
                "all",
                "--out",
                str(tmp_path / "p.parquet"),
                "--json",
                "--pseudonym-key",
                "k",
            ]
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out)["by_account_type"]["government"] == 4


def test_line_based_ids_are_announced(tmp_path, capsys, caplog):
    path = tmp_path / "coded.csv"
    path.write_text("text,label\nRoad closed,information\nThanks all,engagement\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="govsocial"):
        posts, _ = gs.read_posts(path)
    assert posts["post_id"].tolist() == ["coded:2", "coded:3"]
    assert "line-based" in caplog.text and posts.attrs["line_based_ids"] == [str(path)]
    out = tmp_path / "p.parquet"
    assert main(["ingest", str(path), "--out", str(out), "--pseudonym-key", "k"]) == 0
    assert "line-based" in capsys.readouterr().out
    assert main(["ingest", str(path), "--out", str(out), "--json", "--pseudonym-key", "k"]) == 0
    assert json.loads(capsys.readouterr().out)["line_based_ids"] == [str(path)]
    with_id = tmp_path / "with_id.csv"
    with_id.write_text("post_id,text\n1,Road closed\n", encoding="utf-8")
    assert main(["ingest", str(with_id), "--out", str(out), "--json", "--pseudonym-key", "k"]) == 0
    assert json.loads(capsys.readouterr().out)["line_based_ids"] == []


def test_a_stream_of_bytes_is_never_read_whole_for_detection(tmp_path):
    """detect_format reads up to the first record: a gzip array broken after it is still detected."""
    data = gzip.compress(("[" + ",\n".join(json.dumps(_tweet(i)) for i in range(2000)) + "]").encode())
    path = tmp_path / "broken.json.gz"
    path.write_bytes(data[:2000])
    assert gs.detect_format(path) == "twitter_v2"

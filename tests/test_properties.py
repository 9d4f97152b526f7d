"""Property tests: the test writes N records, so it knows N without asking the reader.

Hypothesis draws records of known kinds — good ones, and the kinds that broke
readers on real exports (an unterminated quote, carriage returns inside
fields, deep nesting, NaN and infinite counts, blank or zero-width texts, an
array cut mid-way) — writes them, reads them with ``gs.read_posts`` and checks
that exactly the good records are loaded, with the text written, and that
``loaded + rejected == N`` where N counts what the test wrote.
"""

import csv
import gzip
import io
import json
import zlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import govsocial as gs
from govsocial.core.exceptions import InputError

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
TIME = "2023-01-01T00:00:00Z"


def _blank(text):
    """Missing text by the documented rule: only white space and zero-width characters."""
    return all(c.isspace() or c in ZERO_WIDTH for c in text)


plain = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="&"), max_size=20)
invisible = st.text(alphabet=" \t\n\r" + ZERO_WIDTH, min_size=1, max_size=6)

# --------------------------------------------------------------------------- JSON

KINDS = ("good", "good", "good", "entities", "nan", "infinity", "blank", "deep", "not_a_count")
DEEP = "[" * 1000 + "]" * 1000


@st.composite
def json_records(draw):
    """(kind, record JSON text, expected text or None when the record must be rejected)."""
    n = draw(st.integers(0, 8))
    out = []
    for i in range(n):
        kind = draw(st.sampled_from(KINDS))
        text = f"post {i} " + draw(plain)
        tweet = {
            "id": str(100 + i),
            "text": text,
            "author_id": "7",
            "created_at": TIME,
            "public_metrics": {"like_count": draw(st.integers(0, 10**6))},
        }
        expected = text
        if kind == "entities":
            tweet["text"], expected = text + " &amp;amp; &lt;3", text + " &amp; <3"
        elif kind == "blank":
            tweet["text"], expected = draw(invisible), None
        elif kind == "not_a_count":
            tweet["public_metrics"]["like_count"], expected = draw(st.sampled_from(["many", -3, 1.5, True])), None
        elif kind != "good":
            expected = None
        raw = json.dumps(tweet, indent=draw(st.sampled_from([None, 2])))
        if kind == "nan":
            raw = raw.replace('"like_count": ', '"like_count": NaN, "x": ', 1)
        elif kind == "infinity":
            raw = raw.replace('"like_count": ', '"like_count": -Infinity, "x": ', 1)
        elif kind == "deep":
            raw = raw[:-1] + ', "deep": ' + DEEP + "}"
        out.append((str(100 + i), raw, expected))
    return out


def _check(posts, rejects, records, extra_rejects=0):
    expected = {pid: text for pid, _, text in records if text is not None}
    assert dict(zip(posts["post_id"], posts["text"])) == expected
    assert len(posts) + len(rejects) == len(records) + extra_rejects


@SETTINGS
@given(records=json_records(), layout=st.sampled_from(["jsonl", "array", "pretty"]))
def test_every_json_record_written_is_loaded_or_rejected(tmp_path_factory, records, layout):
    path = tmp_path_factory.mktemp("json") / "posts.json"
    if layout == "jsonl":
        body = "".join(raw.replace("\n", " ") + "\n" for _, raw, _ in records)
    elif layout == "array":
        body = "[" + ",\n".join(raw for _, raw, _ in records) + "]"
    else:
        body = "\n".join(raw for _, raw, _ in records)
    path.write_text(body, encoding="utf-8")
    posts, rejects = gs.read_posts(path, format="twitter_v2")
    _check(posts, rejects, records, extra_rejects=1 if not body.strip() else 0)  # an empty file is one entry


@SETTINGS
@given(records=json_records(), fraction=st.floats(0.05, 0.95), packed=st.booleans())
def test_a_truncated_array_keeps_every_complete_record(tmp_path_factory, records, fraction, packed):
    cut_off = {"id": "999", "text": "cut off", "author_id": "7", "created_at": TIME}
    text = "[" + ",\n".join([raw for _, raw, _ in records] + [json.dumps(cut_off)])
    path = tmp_path_factory.mktemp("cut") / ("posts.json.gz" if packed else "posts.json")
    if not packed:  # cut inside the last record: every record before it is complete
        path.write_text(text[: len(text) - int(len(json.dumps(cut_off)) * fraction)], encoding="utf-8")
        posts, rejects = gs.read_posts(path, format="twitter_v2")
        _check(posts, rejects, records, extra_rejects=1)
        return
    data = gzip.compress(text.encode())
    data = data[: max(20, int(len(data) * fraction))]
    path.write_bytes(data)
    prefix = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data).decode("utf-8", "ignore")
    records = records + [("999", json.dumps(cut_off), "cut off")]  # the array is never closed
    complete = [r for r in records if "[" + r[1] in prefix or ",\n" + r[1] in prefix]
    posts, rejects = gs.read_posts(path, format="twitter_v2")
    # the complete records, one entry for the record at the break (when any text came through)
    # and one for the broken stream
    _check(posts, rejects, complete, extra_rejects=2 if prefix.strip() else 1)


# --------------------------------------------------------------------------- CSV

cell_text = st.lists(st.sampled_from(list('ab ,"\r\n') + ["\r\n", "x\u200by", '""']), max_size=10).map("".join)


@st.composite
def csv_rows(draw):
    """(id, text, likes cell, expected text or None); texts with commas, quotes, CR and LF."""
    n = draw(st.integers(1, 10))
    rows = []
    for i in range(n):
        kind = draw(st.sampled_from(["good", "good", "good", "blank", "nan", "inf"]))
        text = f"row {i} " + draw(cell_text) if kind != "blank" else draw(invisible)
        likes = {"nan": "nan", "inf": "inf"}.get(kind, str(draw(st.integers(0, 99))))
        rows.append([str(i), text, likes, None if kind != "good" else text])
    return rows


def _csv_line(cells, terminator, quoting):
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator=terminator, quoting=quoting).writerow(cells)
    return buf.getvalue()


@SETTINGS
@given(
    rows=csv_rows(),
    terminator=st.sampled_from(["\r\n", "\n"]),
    quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]),
    crowdtangle=st.booleans(),
    broken=st.one_of(st.none(), st.integers(0, 9)),
)
def test_every_csv_row_written_is_loaded_or_rejected(tmp_path_factory, rows, terminator, quoting, crowdtangle, broken):
    if broken is not None:
        broken = broken % len(rows)
        for row in rows[broken + 1 :]:  # recovery is promised when the rows after the break are one line each
            row[1] = row[1].replace("\r", " ").replace("\n", " ")
            row[3] = row[1] if row[3] is not None else None
    lines = []
    header = ["post_id", "text", "likes"] if not crowdtangle else ["URL", "Message", "Likes", "Post Created"]
    lines.append(_csv_line(header, terminator, quoting))
    for i, (pid, text, likes, _) in enumerate(rows):
        cells = (
            [pid, text, likes]
            if not crowdtangle
            else [f"https://www.facebook.com/p/posts/{pid}", text, likes, "2021-03-01 10:00:05 EST"]
        )
        if i == broken:  # an opening quote that is never closed
            cells[1] = "@@@"
            line = _csv_line(cells, terminator, quoting).replace('"@@@"', "@@@").replace("@@@", f'"never {pid}')
        else:
            line = _csv_line(cells, terminator, quoting)
        lines.append(line)
    if broken is not None:
        rows[broken][3] = None
    path = tmp_path_factory.mktemp("csv") / "posts.csv"
    path.write_text("".join(lines), encoding="utf-8", newline="")
    posts, rejects = gs.read_posts(path, format="crowdtangle" if crowdtangle else "csv")
    expected = {}
    for pid, _, _, text in rows:
        if text is not None:
            text = text.strip() if crowdtangle else text  # CrowdTangle parts are stripped before joining
            if not _blank(text):
                expected[pid] = text
    assert dict(zip(posts["post_id"], posts["text"])) == expected
    assert len(posts) + len(rejects) == len(rows)


# --------------------------------------------------------------------------- anything at all


@settings(SETTINGS, max_examples=20)
@given(data=st.binary(max_size=400))
def test_arbitrary_bytes_never_crash_a_reader(tmp_path_factory, data):
    """Whatever the bytes: the file is refused with an InputError or read into a valid table."""
    tmp = tmp_path_factory.mktemp("bytes")
    for name, fmt in (
        ("x.jsonl", "twitter_v2"),
        ("x.json", "twitter_v1"),
        ("y.json", "mastodon"),
        ("x.csv", "crowdtangle"),
        ("y.csv", "csv"),
    ):
        path = tmp / name
        path.write_bytes(data)
        try:
            posts, rejects = gs.read_posts(path, format=fmt)
        except InputError:
            continue
        gs.validate(posts)
        assert set(rejects["source"]) <= {str(path)}

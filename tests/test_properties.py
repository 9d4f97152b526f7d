"""Property tests: arbitrary input never crashes a reader, and nothing is lost.

For every reader, whatever the bytes: either the file is refused as a whole
with an InputError (unusable file), or every record read is loaded or
rejected, so ``loaded + rejected == read``.
"""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import govsocial as gs
from govsocial.core.exceptions import InputError
from govsocial.data.readers import _records

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

json_scalars = st.one_of(st.none(), st.booleans(), st.integers(-10, 10**20), st.floats(allow_nan=True),
                         st.text(max_size=20))
json_values = st.recursive(json_scalars, lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=8), c,
                                                                                            max_size=4), max_leaves=8)
FIELDS = ["id", "id_str", "text", "full_text", "created_at", "author_id", "public_metrics", "user", "account",
          "content", "reblog", "referenced_tweets", "note_tweet", "retweeted_status", "favourites_count",
          "in_reply_to_id", "data", "includes"]
records = st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=6)


def _count_read(tmp_path, content: bytes, name: str, fmt: str, **options):
    """Read ``content`` with ``fmt``; return (loaded, rejected, read) or None when refused as a file."""
    path = tmp_path / name
    path.write_bytes(content)
    collector_reads = []
    original = _records.Collector.rejects

    def spy(self):
        collector_reads.append(self.read)
        return original(self)

    _records.Collector.rejects = spy
    try:
        posts, rejects = gs.read_posts(path, format=fmt, **options)
    except InputError:
        return None
    finally:
        _records.Collector.rejects = original
    gs.validate(posts)
    return len(posts), len(rejects), collector_reads[0]


@SETTINGS
@given(data=st.binary(max_size=400))
def test_arbitrary_bytes_never_crash_any_reader(tmp_path_factory, data):
    tmp = tmp_path_factory.mktemp("bytes")
    for name, fmt in (("x.jsonl", "twitter_v2"), ("x.json", "twitter_v1"), ("y.json", "mastodon"),
                      ("x.csv", "crowdtangle"), ("y.csv", "csv")):
        result = _count_read(tmp, data, name, fmt)
        if result is not None:
            loaded, rejected, read = result
            assert loaded + rejected == read


@SETTINGS
@given(lines=st.lists(st.one_of(records.map(json.dumps), st.text(max_size=30)), max_size=8),
       as_array=st.booleans())
def test_arbitrary_json_records(tmp_path_factory, lines, as_array):
    tmp = tmp_path_factory.mktemp("json")
    content = ("[" + ",".join(lines) + "]") if as_array else "\n".join(lines)
    for fmt in ("twitter_v2", "twitter_v1", "mastodon"):
        result = _count_read(tmp, content.encode("utf-8", "surrogatepass"), "r.json", fmt)
        if result is not None:
            loaded, rejected, read = result
            assert loaded + rejected == read
            if not as_array:
                assert read >= sum(1 for line in lines if line.strip()) or fmt == "twitter_v2"


CT_HEADER = "Page Name,User Name,Facebook Id,Post Created,Message,URL,Likes,Comments,Shares\n"
cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


@SETTINGS
@given(rows=st.lists(st.lists(cells, min_size=0, max_size=10), max_size=6))
def test_arbitrary_csv_rows(tmp_path_factory, rows):
    tmp = tmp_path_factory.mktemp("csv")
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    body = buf.getvalue()
    for header, fmt, options in ((CT_HEADER, "crowdtangle", {}),
                                 ("post_id,text,created_at,likes\n", "csv", {"tz": "UTC"})):
        result = _count_read(tmp, (header + body).encode("utf-8"), "r.csv", fmt, **options)
        assert result is not None  # the header is fine, so the file is never refused
        loaded, rejected, read = result
        assert loaded + rejected == read

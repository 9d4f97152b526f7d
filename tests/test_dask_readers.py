"""gs.read_posts(..., engine="dask") on a LocalCluster of 2 worker processes: the same posts and
rejects as the single-process reader, and as many as the test wrote."""

from __future__ import annotations

import gzip
import json
import sys

import pandas as pd
import pytest

import govsocial as gs
from govsocial.core.exceptions import MissingDependencyError
from govsocial.data.readers import load_posts

from .conftest import BUNDLED

pytest.importorskip("distributed")
pytestmark = pytest.mark.slow  # a LocalCluster and dask.dataframe: several seconds each on 2 shared cores


def _pages(n: int) -> list[str]:
    with gzip.open(BUNDLED / "posts.jsonl.gz", "rt", encoding="utf-8") as handle:
        return [next(handle) for _ in range(n)]


def _tweets(line: str) -> list[str]:
    return [t["id"] for t in json.loads(line)["data"]]


def _sorted(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    return frame.sort_values(by).reset_index(drop=True)


def _same_rejects(a: pd.DataFrame, b: pd.DataFrame) -> None:
    cols = ["source", "line", "post_id", "field", "reason"]
    pd.testing.assert_frame_equal(_sorted(a, cols), _sorted(b, cols))


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    """A plain JSON Lines export of 11 pages (100 posts each), two broken lines and one page repeated at the end,
    a gzip file repeating a page of the first file, a CSV with a quoted line break and an empty file."""
    folder = tmp_path_factory.mktemp("export")
    pages = _pages(12)
    lines = pages[:5] + ['{"data": [{"id": "x1", "text": "no author"\n', "not json at all\n"] + pages[5:11] + [pages[3]]
    (folder / "a.jsonl").write_text("".join(lines), encoding="utf-8")
    with gzip.open(folder / "b.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.write(pages[11] + pages[5])
    (folder / "c.csv").write_text(
        'id,body,when\n1,"two\nlines",2023-01-01T00:00:00Z\n2,plain,2023-01-02T00:00:00Z\n3,bad date,yesterday\n',
        encoding="utf-8",
    )
    (folder / "d.jsonl").write_text("", encoding="utf-8")
    written = {
        "loaded": len({t for p in pages for t in _tweets(p)}) + 2,
        "duplicates": len(_tweets(pages[3])) + len(_tweets(pages[5])),
        "bad": 2 + 1 + 1,
    }
    return folder, written


def test_dask_reader_equals_the_single_process_reader(export, dask_client):
    folder, written = export
    files = [str(folder / n) for n in ("a.jsonl", "b.jsonl.gz", "c.csv", "d.jsonl")]
    options = {"columns": {"post_id": "id", "text": "body", "created_at": "when"}, "platform": "generic"}
    posts1, rejects1 = gs.read_posts(files[:2] + files[3:], registry=BUNDLED / "accounts.csv")
    csv1, csv_rej1 = gs.read_posts(files[2], **options)
    single_posts, single_rejects = pd.concat([posts1, csv1]), pd.concat([rejects1, csv_rej1])

    lazy = gs.read_posts(files[:2] + files[3:], registry=BUNDLED / "accounts.csv", engine="dask")
    lazy_csv = gs.read_posts(files[2], engine="dask", **options)
    assert lazy[0].npartitions >= 3  # the plain JSON Lines file alone is cut into blocks (64 MiB default: one)
    blocks = gs.read_posts(files[0], engine="dask", blocksize=150_000)[0].npartitions
    assert blocks >= 4
    posts, rejects, csv, csv_rej = dask_client.compute([*lazy, *lazy_csv], sync=True)
    all_posts, all_rejects = pd.concat([posts, csv]), pd.concat([rejects, csv_rej])

    # what the test wrote
    assert len(all_posts) == written["loaded"]
    assert len(all_rejects) == written["duplicates"] + written["bad"]
    # what the single-process reader says
    pd.testing.assert_frame_equal(_sorted(posts, ["post_id"]), _sorted(posts1, ["post_id"]))
    pd.testing.assert_frame_equal(_sorted(csv, ["post_id"]), _sorted(csv1, ["post_id"]))
    _same_rejects(all_rejects, single_rejects)
    assert len(all_posts) == len(single_posts)


def test_small_blocks_give_the_same_tables(export, dask_client):
    folder, _ = export
    path = str(folder / "a.jsonl")
    posts1, rejects1 = gs.read_posts(path)
    lazy = gs.read_posts(path, engine="dask", blocksize=100_000)
    assert lazy[0].npartitions >= 6
    posts, rejects = dask_client.compute(list(lazy), sync=True)
    pd.testing.assert_frame_equal(_sorted(posts, ["post_id"]), _sorted(posts1, ["post_id"]))
    _same_rejects(rejects, rejects1)
    # the repeated page at the end: rejected against its first occurrence, line 4 of the file
    dup = rejects[rejects["field"] == "post_id"]
    assert (dup["line"] == 14).all() and dup["reason"].str.contains("a.jsonl line 4").all()


def test_partitioned_parquet_reads_back_as_one_table(export, dask_client, tmp_path):
    folder, _ = export
    posts, _ = gs.read_posts(str(folder / "a.jsonl"), engine="dask", blocksize=150_000)
    dask_client.compute(posts.to_parquet(tmp_path / "posts", compute=False), sync=True)
    assert len(list((tmp_path / "posts").glob("*.parquet"))) == posts.npartitions
    single, _ = gs.read_posts(str(folder / "a.jsonl"))
    back = load_posts(tmp_path / "posts")
    pd.testing.assert_frame_equal(_sorted(back, ["post_id"]), _sorted(single, ["post_id"]))


def test_read_posts_dask_without_dask_names_the_pip_line(export, monkeypatch):
    folder, _ = export
    monkeypatch.setitem(sys.modules, "dask", None)
    with pytest.raises(MissingDependencyError, match=r'pip install "govsocial\[dask\]"'):
        gs.read_posts(str(folder / "a.jsonl"), engine="dask")


def test_unknown_engine_is_refused(export):
    folder, _ = export
    with pytest.raises(gs.InputError, match="unknown engine 'spark'"):
        gs.read_posts(str(folder / "a.jsonl"), engine="spark")

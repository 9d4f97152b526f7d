"""Hand-off files for R (stm) and Stata/Parquet, read back independently of the writers."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
import scipy.sparse as sp

import govsocial as gs

STM_DIR = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "stm"
if not STM_DIR.exists():
    STM_DIR = Path("/work/shared/corpora/stm")


def _parse_ldac(path: Path) -> list[dict[int, int]]:
    """Each line ``M t:c ...`` as {0-based term: count}, checking M and the layout by hand."""
    raw = path.read_bytes()
    assert raw.endswith(b"\n") and b"\r" not in raw and b"  " not in raw
    docs = []
    for line in raw.decode("utf-8").split("\n")[:-1]:
        head, *pairs = line.split(" ")
        parsed = [(int(p.split(":")[0]), int(p.split(":")[1])) for p in pairs]
        assert int(head) == len(parsed) > 0
        terms = [t for t, _ in parsed]
        assert terms == sorted(set(terms)) and all(c > 0 for _, c in parsed)
        docs.append(dict(parsed))
    return docs


def _random_dtm(rng: np.random.Generator, n: int = 40, v: int = 25) -> gs.DocTermMatrix:
    dense = rng.poisson(0.4, size=(n, v))
    dense[5] = 0  # an empty document
    dense[:, 7] = 0  # a term no document uses
    vocab = pd.DataFrame({"term": [f"w{j}é" for j in range(v)]})
    return gs.DocTermMatrix(sp.csr_matrix(dense), np.array([f"p{i}" for i in range(n)]), vocab)


def test_to_stm_files_read_back(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    dtm = _random_dtm(rng)
    dense = dtm.X.toarray()
    covs = pd.DataFrame(
        {
            "post_id": [f"p{i}" for i in range(40)][::-1],
            "gov": rng.random(40) < 0.5,
            "month": ["2024-01", "2024-02"] * 20,
            "score": rng.normal(size=40),
        }
    )
    covs.loc[3, "score"] = np.nan
    report = gs.to_stm(dtm, covs, tmp_path / "stm")
    docs = _parse_ldac(tmp_path / "stm" / "documents.ldac")
    vocab = (tmp_path / "stm" / "vocab.txt").read_text(encoding="utf-8").split("\n")[:-1]
    meta = pd.read_csv(tmp_path / "stm" / "meta.csv", dtype=str, keep_default_na=False)
    nonempty = [i for i in range(40) if dense[i].sum() > 0]
    assert len(docs) == len(meta) == len(nonempty) == report["documents"] == 39
    assert vocab == [f"w{j}é" for j in range(25) if j != 7] and report["dropped_terms"] == ["w7é"]
    assert report["dropped_documents"] == ["p5"]
    for doc, i, (_, row) in zip(docs, nonempty, meta.iterrows()):
        assert row["post_id"] == f"p{i}"
        rebuilt = {f"w{j}é": int(c) for j, c in enumerate(dense[i]) if c}
        assert {vocab[t]: c for t, c in doc.items()} == rebuilt
        source = covs.set_index("post_id").loc[f"p{i}"]
        assert row["gov"] == ("TRUE" if source["gov"] else "FALSE") and row["month"] == source["month"]
        assert row["score"] == "NA" if np.isnan(source["score"]) else float(row["score"]) == source["score"]
    assert report["tokens"] == int(dense.sum())
    assert "readLdac" in (tmp_path / "stm" / "read_stm.R").read_text()


def test_to_stm_is_deterministic_and_refuses_bad_input(tmp_path: Path) -> None:
    dtm = _random_dtm(np.random.default_rng(4))
    gs.to_stm(dtm, None, tmp_path / "a")
    gs.to_stm(dtm, None, tmp_path / "b")
    for name in ("documents.ldac", "vocab.txt", "meta.csv", "read_stm.R"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    weights = gs.DocTermMatrix(
        sp.csr_matrix(np.array([[0.5, 1.0]])), np.array(["p"]), pd.DataFrame({"term": ["a", "b"]})
    )
    with pytest.raises(gs.InputError, match="whole-number"):
        gs.to_stm(weights, None, tmp_path / "c")
    with pytest.raises(gs.InputError, match="no covariates row"):
        gs.to_stm(dtm, pd.DataFrame({"post_id": ["p1"], "x": [1]}), tmp_path / "d")
    with pytest.raises(gs.InputError, match="DocTermMatrix"):
        gs.to_stm(dtm.X, None, tmp_path / "e")


@pytest.mark.skipif(not (STM_DIR / "gadarian_triplets.csv").exists(), reason="stm reference data absent")
def test_to_stm_reproduces_stms_own_gadarian_corpus(tmp_path: Path) -> None:
    """stm's documents for gadarian (1-based triplets): written and read as readLdac does (+1), they are stm's."""
    triplets = pd.read_csv(STM_DIR / "gadarian_triplets.csv")
    vocab = (STM_DIR / "gadarian_vocab.txt").read_text(encoding="utf-8").splitlines()
    docs = pd.read_csv(STM_DIR / "gadarian_docs.csv")
    n = int(triplets["doc_id"].max())
    X = sp.csr_matrix((triplets["count"], (triplets["doc_id"] - 1, triplets["word_id"] - 1)), shape=(n, len(vocab)))
    dtm = gs.DocTermMatrix(X, np.arange(1, n + 1).astype(str), pd.DataFrame({"term": vocab}))
    covs = docs[["doc_id", "treatment", "pid_rep"]].rename(columns={"doc_id": "post_id"})
    report = gs.to_stm(dtm, covs, tmp_path)
    assert report["dropped_documents"] == [] and report["dropped_terms"] == []
    assert (tmp_path / "vocab.txt").read_text(encoding="utf-8").splitlines() == vocab
    rows = [
        (d + 1, t + 1, c)
        for d, doc in enumerate(_parse_ldac(tmp_path / "documents.ldac"))
        for t, c in sorted(doc.items())
    ]
    expected = sorted(zip(triplets["doc_id"], triplets["word_id"], triplets["count"]))
    assert sorted(rows) == expected
    meta = pd.read_csv(tmp_path / "meta.csv")
    assert meta["post_id"].tolist() == list(range(1, n + 1))
    want = docs.set_index("doc_id").loc[meta["post_id"]]
    assert np.array_equal(meta["treatment"], want["treatment"]) and np.allclose(meta["pid_rep"], want["pid_rep"])


def _awkward_table() -> tuple[pd.DataFrame, pd.DataFrame]:
    ids = [f"1609398259065815{i:03d}" for i in range(4)]
    shares = pd.DataFrame(
        {
            "prob: water, bill, supply | frex: outage, meter, tariff": [0.1, 0.2, 0.3, 0.4],
            "prob: water, bill, supply | frex: outage, meter, tariffs": [0.9, 0.8, 0.7, 0.6],
            "in": [1.0, 2.0, 3.0, 4.0],
        },
        index=pd.Index(ids, name="post_id"),
    )
    covs = pd.DataFrame(
        {
            "post_id": ids[::-1],
            "created_at": pd.to_datetime(
                ["2024-01-01 10:00", "2024-02-03 11:30", "2024-03-05 00:00", "2024-04-07 23:59"], utc=True
            ),
            "account_type": pd.Categorical(["government", "citizen", "government", "citizen"]),
            "likes": pd.array([1, None, 3, 4], dtype="Int64"),
            "views": pd.array([10, 20, 30, 5_000_000_000], dtype="Int64"),
            "is_repost": [True, False, False, True],
            "text": ["Grüße an alle, call 0491 570 156", "x" * 3000, "", "ok"],
        }
    )
    return shares, covs


def _keyed(post_id: str, key: bytes = b"k") -> str:
    """The keyed pseudonym of a post id, computed here from its definition (HMAC-SHA256)."""
    return "post_" + hmac.new(key, post_id.encode("utf-8"), hashlib.sha256).hexdigest()[:20]


def _unkey(ids: list[str], covs: pd.DataFrame) -> list[str]:
    """Citizens' ids written as pseudonyms, mapped back (government ids must be as they were)."""
    citizens = covs.loc[covs["account_type"] != "government", "post_id"]
    assert not set(ids) & set(citizens), "a citizen's post id reached the file"
    back = {_keyed(i): i for i in citizens}
    return [back.get(i, i) for i in ids]


def test_to_stata_reads_back_with_legal_names(tmp_path: Path) -> None:
    shares, covs = _awkward_table()
    path = tmp_path / "t.dta"
    names = gs.to_stata(shares, path, covariates=covs, pseudonym_key="k")
    with pd.io.stata.StataReader(path) as reader:
        back = reader.read()
        labels = reader.variable_labels()
    back["post_id"] = _unkey(back["post_id"].tolist(), covs)
    assert all(len(c) <= 32 and c.replace("_", "a").isalnum() and not c[0].isdigit() for c in back.columns)
    assert len(set(back.columns)) == len(back.columns) == 10
    assert labels[names["in"]] == "in" and names["in"] != "in"
    long_a, long_b = shares.columns[:2]
    assert names[long_a] != names[long_b] and labels[names[long_b]] == long_b[:80]
    back = back.set_index("post_id")
    want = covs.set_index("post_id").loc[back.index]
    assert back.index.tolist() == shares.index.tolist()
    assert np.allclose(back[names[long_a]], shares[long_a]) and np.allclose(back[names["in"]], shares["in"])
    assert (back["created_at"] == want["created_at"].dt.tz_localize(None)).all()
    assert back["account_type"].astype(str).tolist() == want["account_type"].astype(str).tolist()
    assert back["likes"].isna().tolist() == want["likes"].isna().tolist()
    assert back["views"].tolist() == [str(v) for v in want["views"]]  # beyond Stata's long: kept exactly, as text
    assert back["is_repost"].astype(bool).tolist() == want["is_repost"].tolist()
    texts = dict(zip(want["text"], back["text"]))  # written in the table's order, covariates joined by post_id
    assert texts["Grüße an alle, call 0491 570 156"] == "Grüße an alle, call <PHONE>"  # redacted, UTF-8
    assert texts["x" * 3000] == "x" * 3000 and texts[""] == "" and texts["ok"] == "ok"  # 3,000 bytes: a strL


def test_to_parquet_reads_back(tmp_path: Path) -> None:
    shares, covs = _awkward_table()
    path = tmp_path / "t.parquet"
    gs.to_parquet(
        shares,
        path,
        covariates=covs.assign(month=covs["created_at"].dt.tz_localize(None).dt.to_period("M")),
        pseudonym_key=b"k",
    )
    data = pq.read_table(path).to_pydict()
    assert _unkey(data["post_id"], covs) == shares.index.tolist()
    assert data["in"] == [1.0, 2.0, 3.0, 4.0]
    assert data["views"][0] == 5_000_000_000 and data["likes"][2] is None
    assert data["month"] == ["2024-04", "2024-03", "2024-02", "2024-01"]
    assert data["text"][-1] == "Grüße an alle, call <PHONE>" and data["text"][0] == "ok"


def test_exports_refuse_citizens_identities(tmp_path: Path) -> None:
    shares, covs = _awkward_table()
    for write in (
        lambda: gs.to_parquet(shares, tmp_path / "w.parquet", covariates=covs),
        lambda: gs.to_stata(shares, tmp_path / "w.dta", covariates=covs),
    ):
        with pytest.raises(gs.InputError, match="2 citizens' post id"):  # without a key: refused
            write()
    assert not list(tmp_path.iterdir())
    citizens = set(covs.loc[covs["account_type"] != "government", "post_id"])  # pseudonymised by the user
    covs["post_id"] = [_keyed(i) if i in citizens else i for i in covs["post_id"]]
    shares.index = pd.Index([_keyed(i) if i in citizens else i for i in shares.index], name="post_id")
    named = covs.assign(account_name=["HealthDept", "jo_b", "Water", "sam"])
    with pytest.raises(gs.InputError, match="pseudonymise"):
        gs.to_stata(shares, tmp_path / "x.dta", covariates=named)
    with pytest.raises(gs.InputError, match="pseudonymise"):
        gs.to_parquet(shares, tmp_path / "x.parquet", covariates=named)
    masked = covs.assign(
        account_name=["HealthDept", "user_0a1b2c3d4e5f", "Water", "user_9f8e7d6c5b4a"],
        account_id=["10", "user_1", "11", "user_2"],
    )
    with pytest.raises(gs.InputError, match="reply_to_account_id"):  # an agency's reply names a citizen
        gs.to_parquet(
            shares, tmp_path / "z.parquet", covariates=masked.assign(reply_to_account_id=["77", None, None, "10"])
        )
    masked = masked.assign(reply_to_account_id=["user_3", None, None, "10"])  # pseudonymised, or an agency
    gs.to_parquet(shares, tmp_path / "y.parquet", covariates=masked)
    assert not (tmp_path / "x.dta").exists() and (tmp_path / "y.parquet").exists()

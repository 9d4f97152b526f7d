"""Hand-off to R's stm: documents, vocabulary and metadata in the files stm reads.

:func:`to_stm` writes, into one folder,

* ``documents.ldac`` — one line per document in Blei's LDA-C format, ``M t:c t:c ...``:
  ``M`` the number of distinct terms, each ``t`` a **0-based** index into the vocabulary
  (stm's ``readLdac`` / ``readCorpus(type = "ldac")`` add one on import), ``c`` its count;
  indices ascending, single spaces, ``\\n`` line ends;
* ``vocab.txt`` — the vocabulary, one term a line, UTF-8 (line *i* is index *i − 1*);
* ``meta.csv`` — the covariates, one row per line of ``documents.ldac`` in the same order,
  ``post_id`` first; missing values ``NA``, booleans ``TRUE``/``FALSE``, times
  ``YYYY-mm-dd HH:MM:SS`` in UTC, so ``read.csv`` reads them as R would write them;
* ``read_stm.R`` — the R lines that load the three into stm's ``documents, vocab, meta``.

stm refuses documents without words (``prepDocuments``: "Some documents have 0 length")
and renumbers terms no document uses, so both are left out here and **reported** (the
returned dictionary lists them): ``prepDocuments(..., lower.thresh = 0)`` then changes
nothing, and the corpus R sees is exactly the one written. (stm's default
``lower.thresh = 1`` would further drop words that occur in a single document.)

Example
-------
>>> import tempfile, pathlib
>>> import scipy.sparse as sp
>>> dtm = DocTermMatrix(sp.csr_matrix(np.array([[2, 0, 1], [0, 0, 0], [0, 3, 1]])), np.array(["a", "b", "c"]),
...                     pd.DataFrame({"term": ["flu", "bus", "clinic"]}))
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> report = to_stm(dtm, pd.DataFrame({"post_id": ["c", "b", "a"], "gov": [True, False, True]}), folder)
>>> (folder / "documents.ldac").read_text().splitlines()
['2 0:2 2:1', '2 1:3 2:1']
>>> (folder / "meta.csv").read_text().splitlines()
['post_id,gov', 'a,TRUE', 'c,TRUE']
>>> report["dropped_documents"]
['b']
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..core.exceptions import InputError
from ..text.dtm import DocTermMatrix
from .export import prepare_table

__all__ = ["to_stm", "read_ldac"]

_R_SCRIPT = """\
# Load the corpus that govsocial's to_stm() wrote into stm's format.
# Run it from this folder (or set `here`). Needs the R package stm (>= 1.3).
library(stm)
here <- "."
ldac <- file.path(here, "documents.ldac")
# readLdac() in recent stm, readCorpus(type = "ldac") in older releases; both add 1 to the 0-based indices.
documents <- if (exists("readLdac", envir = asNamespace("stm"))) {
  stm::readLdac(ldac)
} else {
  stm::readCorpus(ldac, type = "ldac")
}
# the reader's mapply() returns a matrix when every document has as many distinct terms: undo it
if (is.matrix(documents)) documents <- lapply(seq_len(ncol(documents)), function(i) matrix(documents[, i], nrow = 2))
vocab <- readLines(file.path(here, "vocab.txt"), encoding = "UTF-8", warn = FALSE)
meta <- read.csv(file.path(here, "meta.csv"), stringsAsFactors = FALSE, fileEncoding = "UTF-8",
                 colClasses = c(post_id = "character"))
# lower.thresh = 0 keeps govsocial's vocabulary as it is (stm's default 1 drops words seen in one document)
out <- prepDocuments(documents, vocab, meta, lower.thresh = 0)
stopifnot(length(out$documents) == nrow(meta), length(out$vocab) == length(vocab))
# fit <- stm(out$documents, out$vocab, K = 20, prevalence = ~ gov, data = out$meta, init.type = "Spectral")
"""


def _counts(dtm: Any) -> tuple[sp.csr_matrix, np.ndarray, list[str]]:
    if not isinstance(dtm, DocTermMatrix):
        raise InputError(
            f"to_stm needs a DocTermMatrix (counts with post ids and a vocabulary); got {type(dtm).__name__}",
            hint="build one with gs.Vectorizer().fit_transform(tokens) or gs.Vectorizer().from_posts(posts)",
        )
    X = sp.csr_matrix(dtm.X)
    X.sum_duplicates()
    X.sort_indices()
    data = np.asarray(X.data)
    if data.size and (np.any(data < 0) or not np.all(np.isfinite(data)) or np.any(data != np.round(data))):
        raise InputError(
            "the matrix holds negative, non-finite or fractional values; the LDA-C format stores whole-number counts",
            field="X",
            hint="export the count matrix, not TF-IDF weights",
        )
    terms = [str(t) for t in dtm.terms]
    for j, term in enumerate(terms):
        if any(ch in term for ch in "\n\r") or term != term.strip():
            raise InputError(
                f"term {j} ({term!r}) has a line break or surrounding spaces, which a one-term-a-line "
                "vocabulary file cannot hold",
                field="vocab",
                hint="clean the vocabulary first",
            )
    return X, np.asarray(dtm.post_ids, dtype=object), terms


def _meta_frame(covariates: Any, dtm: DocTermMatrix, key: str | bytes | None) -> pd.DataFrame:
    ids = pd.Index(np.asarray(dtm.post_ids).astype(str), name="post_id")
    if covariates is None:
        return pd.DataFrame({"post_id": ids})
    table = pd.DataFrame(covariates)
    if "post_id" not in table.columns and isinstance(table.index, pd.RangeIndex):
        if len(table) != len(ids):
            raise InputError(
                f"covariates has {len(table)} rows but the matrix has {len(ids)} documents",
                field="covariates",
                hint="give a post_id column (or index), or one row per document in the matrix's order",
            )
        table = table.assign(post_id=ids.to_numpy())
    return prepare_table(pd.DataFrame({"post_id": ids}), table, pseudonym_key=key)


def _csv_ready(meta: pd.DataFrame) -> pd.DataFrame:
    out = meta.copy()
    for col in out.columns:
        values = out[col]
        if isinstance(values.dtype, pd.DatetimeTZDtype):
            values = values.dt.tz_convert("UTC").dt.tz_localize(None)
        if pd.api.types.is_datetime64_any_dtype(values):
            out[col] = values.dt.strftime("%Y-%m-%d %H:%M:%S").astype(object)
        elif pd.api.types.is_bool_dtype(values):
            out[col] = values.map(lambda v: "NA" if pd.isna(v) else ("TRUE" if v else "FALSE")).astype(object)
    return out


def to_stm(
    dtm: DocTermMatrix, covariates: Any, folder: str | Path, *, pseudonym_key: str | bytes | None = None
) -> dict[str, Any]:
    """Write ``dtm`` and its ``covariates`` for R's stm: ``documents.ldac``, ``vocab.txt``, ``meta.csv``, ``read_stm.R``.

    ``covariates`` is a table with a ``post_id`` column (or index) covering every document
    (extra rows are ignored), one row per document in the matrix's order, or ``None``
    (``meta.csv`` then holds only ``post_id``). A ``text`` column is redacted of personal
    information; citizens' handles must be pseudonymised first (:func:`govsocial.pseudonymise`),
    and citizens' post ids (rows whose ``account_type`` is not government) become keyed
    pseudonyms with ``pseudonym_key`` (without it they are refused).
    Documents without terms and terms no document uses are left out (stm refuses or
    renumbers them) and listed in the returned report: ``documents, terms, tokens,
    dropped_documents, dropped_terms, redacted, files``.

    Example
    -------
    >>> import tempfile, pathlib
    >>> import scipy.sparse as sp
    >>> dtm = DocTermMatrix(sp.csr_matrix(np.array([[1, 0, 4]])), np.array(["p1"]),
    ...                     pd.DataFrame({"term": ["flu", "unused", "clinic"]}))
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> report = to_stm(dtm, None, folder)
    >>> (folder / "vocab.txt").read_text().split(), (folder / "documents.ldac").read_text()
    (['flu', 'clinic'], '2 0:1 1:4\\n')
    >>> report["dropped_terms"], report["tokens"]
    (['unused'], 5)
    """
    X, post_ids, terms = _counts(dtm)
    meta = _meta_frame(covariates, dtm, pseudonym_key)
    lengths = np.diff(X.indptr)
    keep_docs = lengths > 0
    used = np.zeros(X.shape[1], dtype=bool)
    used[X.indices] = True
    if not keep_docs.any():
        raise InputError(
            "every document is empty: there is nothing for stm to read",
            field="X",
            hint="check the vocabulary pruning (min_df, max_df)",
        )
    new_index = np.cumsum(used) - 1
    X = X[keep_docs]
    lines = []
    for i in range(X.shape[0]):
        cols = new_index[X.indices[X.indptr[i] : X.indptr[i + 1]]]
        counts = X.data[X.indptr[i] : X.indptr[i + 1]].astype(np.int64)
        lines.append(" ".join([str(len(cols)), *(f"{c}:{n}" for c, n in zip(cols.tolist(), counts.tolist()))]))
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "documents": folder / "documents.ldac",
        "vocab": folder / "vocab.txt",
        "meta": folder / "meta.csv",
        "script": folder / "read_stm.R",
    }
    files["documents"].write_text("\n".join(lines) + "\n", encoding="utf-8", newline="\n")
    files["vocab"].write_text("".join(t + "\n" for t, u in zip(terms, used) if u), encoding="utf-8", newline="\n")
    kept_meta = meta.loc[keep_docs].reset_index(drop=True)
    _csv_ready(kept_meta).to_csv(files["meta"], index=False, na_rep="NA", encoding="utf-8", lineterminator="\n")
    files["script"].write_text(_R_SCRIPT, encoding="utf-8", newline="\n")
    return {
        "documents": int(keep_docs.sum()),
        "terms": int(used.sum()),
        "tokens": int(X.data.sum()),
        "dropped_documents": [str(p) for p in post_ids[~keep_docs]],
        "dropped_terms": [t for t, u in zip(terms, used) if not u],
        "redacted": meta.attrs.get("redacted", {}),
        "files": {k: str(v) for k, v in files.items()},
    }


def read_ldac(path: str | Path, n_terms: int) -> sp.csr_matrix:
    """Read an LDA-C file (0-based term indices) back into a CSR count matrix, checking every line.

    Example
    -------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "d.ldac"
    >>> _ = p.write_text("2 0:2 2:1\\n1 1:3\\n")
    >>> read_ldac(p, 3).toarray().tolist()
    [[2, 0, 1], [0, 3, 0]]
    """
    rows, cols, vals = [], [], []
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        fields = line.split(" ")
        try:
            pairs = [tuple(int(v) for v in f.split(":")) for f in fields[1:]]
            declared = int(fields[0])
        except ValueError:
            raise InputError(
                f"not an LDA-C line: {line[:60]!r}",
                source=str(path),
                line=number,
                hint="each line is 'M term:count term:count ...'",
            ) from None
        if declared != len(pairs) or any(len(p) != 2 or not 0 <= p[0] < n_terms or p[1] < 1 for p in pairs):
            raise InputError(
                f"line declares {declared} terms, has {len(pairs)}, or an index/count out of range",
                source=str(path),
                line=number,
                hint=f"indices are 0-based and < {n_terms}",
            )
        for term, count in pairs:
            rows.append(number - 1)
            cols.append(term)
            vals.append(count)
    return sp.csr_matrix((vals, (rows, cols)), shape=(len(lines), n_terms), dtype=np.int64)

"""Hand-coding posts: a sheet to fill in a spreadsheet, read back and checked, and two coders compared.

``coding_sheet(posts, n)`` picks ``n`` posts to code (at random, or by active learning
with a :class:`~govsocial.ThemeScorer`) and returns a table a coder fills in: ``post_id``,
the post's text with personal information redacted, an empty ``label`` column, an empty
``notes`` column, and — alongside, in the columns ``code`` and ``definition`` — the
codebook's labels and what each means. ``write_coding_sheet`` saves it as CSV (UTF-8 with
a byte-order mark, so spreadsheet programs read the accents). ``read_coding_sheet`` reads a
filled sheet back and reports every problem by spreadsheet row: labels not in the codebook
(or not among the ``labels`` a coarser scheme allows), a post listed twice, a post left
uncoded, a post id not in the posts table. ``coder_agreement`` compares two coders'
sheets: Krippendorff's alpha (nominal) over the posts both coded, and the list of posts
they disagree on.

Example
-------
>>> posts = ["Road closed on Main St", "Take our survey on bus routes", "Thanks for your help, Jo"]
>>> sheet = coding_sheet(posts, 2, codebook="oecd", random_state=0)
>>> sheet.columns.tolist()
['post_id', 'text', 'label', 'notes', 'code', 'definition']
>>> len(sheet), bool(sheet["label"].eq("").all()), sheet["code"].tolist()[:2]
(6, True, ['providing_information', 'delivering_services'])
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import pandas as pd

from ...core.exceptions import InputError
from ...text.privacy import redact_column
from .active import query as _query
from .agreement import krippendorff_alpha
from .codebook import Codebook, load_codebook
from .cues import texts_of

__all__ = ["SHEET_COLUMNS", "coding_sheet", "write_coding_sheet", "read_coding_sheet", "coder_agreement"]

SHEET_COLUMNS = ["post_id", "text", "label", "notes", "code", "definition"]
STRATEGIES = ("random", "active")


def _post_ids(posts: Any, n: int) -> np.ndarray:
    if isinstance(posts, pd.DataFrame) and "post_id" in posts.columns:
        return posts["post_id"].astype(str).to_numpy(dtype=object)
    return np.asarray([str(i) for i in range(n)], dtype=object)


def _book(codebook: str | Path | Codebook | None) -> Codebook | None:
    if codebook is None or isinstance(codebook, Codebook):
        return codebook
    return load_codebook(codebook)


def coding_sheet(
    posts: Any,
    n: int,
    strategy: str = "random",
    scorer: Any = None,
    *,
    codebook: str | Path | Codebook | None = "oecd",
    labels: dict[str, str] | None = None,
    coded: Any = None,
    random_state: int | np.random.Generator | None = None,
) -> pd.DataFrame:
    """``n`` posts to hand-code, as a sheet with an empty ``label`` column.

    ``strategy="random"``: distinct posts drawn at random (one per template: copies of a
    text are not drawn twice). ``"active"``: the posts ``scorer`` (a fitted
    :class:`~govsocial.ThemeScorer`) is least sure of, spread over its representation
    (:meth:`~govsocial.ThemeScorer.query`); without a scorer, a zero-shot
    ``ThemeScorer(codebook, "seeded")`` is fitted on the posts first. ``coded`` (post ids,
    or positions for a list of texts) are never proposed. ``posts`` is a posts table or a
    list of texts (post ids are then positions). From a posts table with ``account_type``,
    only government posts are drawn (a codebook measures what agencies' posts are for, and
    citizens' post ids must not reach a sheet handed to coders). Texts are redacted (e-mail
    addresses, phone numbers, ..., names after an opening greeting) and mentions of accounts
    other than the government accounts in ``posts`` are masked as ``@user``. The columns ``code`` and
    ``definition`` list the labels the coder may use: the codebook's themes, or
    ``labels`` (``{label: definition}``, e.g. a coarser scheme's classes). Same inputs and
    ``random_state`` give the same sheet.

    Example
    -------
    >>> texts = ["road closed", "road closed", "take our survey"]
    >>> sheet = coding_sheet(texts, 2, codebook=None, labels={"info": "informs", "ask": "asks"}, random_state=1)
    >>> sorted(sheet["text"])  # copies of a text are drawn once
    ['road closed', 'take our survey']
    """
    if strategy not in STRATEGIES:
        raise ValueError(f"strategy must be one of {STRATEGIES}; got {strategy!r}")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be an int >= 1; got {n!r}")
    posts, handles = _government_only(posts)
    texts = texts_of(posts)
    ids = _post_ids(posts, len(texts))
    if n > len(set(texts)):
        warnings.warn(
            f"asked for {n} posts but there are only {len(set(texts))} distinct texts to code; the sheet has "
            "fewer rows",
            stacklevel=2,
        )
    book = _book(codebook)
    legend = _legend(book, labels)
    if strategy == "active":
        if scorer is None:
            from .scorer import ThemeScorer

            if book is None:
                raise ValueError("strategy='active' needs a fitted scorer or a codebook to score the posts zero-shot")
            scorer = ThemeScorer(book, "seeded", random_state=random_state).fit(posts)
        chosen = scorer.query(posts, n, coded=coded)
        positions = _positions(chosen, ids, isinstance(posts, pd.DataFrame) and "post_id" in posts.columns)
    else:
        blank = np.ones((len(texts), 1))
        positions = _query(
            None, texts, blank, blank, n, coded=_as_positions(coded, ids), strategy="random", random_state=random_state
        )
    redacted, _ = redact_column([texts[i] for i in positions], names=True)
    if handles is not None:
        redacted = redacted.map(
            lambda t: _MENTION.sub(lambda m: m.group(0) if m.group(1).lower() in handles else "@user", t)
        )
    rows = max(len(positions), len(legend))
    sheet = pd.DataFrame({c: [""] * rows for c in SHEET_COLUMNS}, dtype=object)
    sheet.loc[: len(positions) - 1, "post_id"] = ids[positions]
    sheet.loc[: len(positions) - 1, "text"] = redacted.to_numpy(dtype=object)
    sheet.loc[: len(legend) - 1, "code"] = [k for k, _ in legend]
    sheet.loc[: len(legend) - 1, "definition"] = [v for _, v in legend]
    return sheet


_MENTION = re.compile(r"@(\w+)")


def _government_only(posts: Any) -> tuple[Any, set[str] | None]:
    """The government posts of a posts table (others unchanged) and the government handles."""
    if not isinstance(posts, pd.DataFrame) or "account_type" not in posts.columns:
        return posts, None
    gov = (posts["account_type"].astype("string") == "government").fillna(False).to_numpy(dtype=bool)
    if not gov.any():
        raise InputError(
            "no government post to code: a codebook measures what agencies' posts are for",
            field="account_type",
            hint="read the posts with registry= (or government='all' for a file of agency posts)",
        )
    names = posts.loc[gov, "account_name"] if "account_name" in posts.columns else pd.Series([], dtype=object)
    return posts[gov].reset_index(drop=True), {str(h).lower() for h in names.dropna()}


def _legend(book: Codebook | None, labels: dict[str, str] | None) -> list[tuple[str, str]]:
    if labels is not None:
        return [(str(k), str(v)) for k, v in labels.items()]
    if book is None:
        raise ValueError("pass a codebook or labels={label: definition}: the coder needs the labels to use")
    return [(t.name, f"{t.label}: {t.definition}") for t in book.themes]


def _as_positions(coded: Any, ids: np.ndarray) -> Any:
    """Post ids (strings) of coded posts as positions, for the random draw over a list of texts."""
    if coded is None:
        return None
    values = [str(v) for v in coded]
    index = {pid: i for i, pid in enumerate(ids)}
    unknown = [v for v in values if v not in index]
    if unknown:
        raise ValueError(f"coded names {len(unknown)} post id(s) not among the posts, e.g. {unknown[:3]}")
    return [index[v] for v in values]


def _positions(chosen: np.ndarray, ids: np.ndarray, by_id: bool) -> np.ndarray:
    if not by_id:
        return np.asarray(chosen, dtype=np.int64)
    index = {pid: i for i, pid in enumerate(ids)}
    return np.asarray([index[str(v)] for v in chosen], dtype=np.int64)


def write_coding_sheet(sheet: pd.DataFrame, path: str | Path) -> Path:
    """Write a coding sheet as CSV (UTF-8 with a byte-order mark, for spreadsheet programs).

    Example
    -------
    >>> import tempfile
    >>> sheet = coding_sheet(["a post", "another post"], 1, codebook="oecd", random_state=0)
    >>> out = write_coding_sheet(sheet, Path(tempfile.mkdtemp()) / "sheet.csv")
    >>> pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8-sig").columns.tolist()[:3]
    ['post_id', 'text', 'label']
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    sheet.to_csv(path, index=False, encoding="utf-8-sig")
    return path


def _allowed(codebook: str | Path | Codebook | None, labels: Sequence[str] | None) -> dict[str, str]:
    """Lower-cased accepted spellings -> the label to record (theme names, and theme labels)."""
    if labels is not None:
        return {str(v).strip().lower(): str(v) for v in labels}
    book = _book(codebook)
    if book is None:
        raise ValueError("pass a codebook or the allowed labels to check a coding sheet against")
    out = {t.label.strip().lower(): t.name for t in book.themes}
    out.update({t.name.lower(): t.name for t in book.themes})
    return out


def read_coding_sheet(
    path: str | Path,
    codebook: str | Path | Codebook | None = "oecd",
    *,
    labels: Sequence[str] | None = None,
    posts: Any = None,
    strict: bool = True,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read a filled coding sheet: the coded posts (``post_id, label``) and the problems found.

    A label is accepted when it is a theme's name or label (any case), or one of ``labels``
    when given (a coarser scheme). Problems, one row each with the spreadsheet ``row``
    (the header is row 1), ``post_id``, ``field`` and ``problem``: an unknown label, a post
    listed again, a post left uncoded, and (with ``posts``) a post id not in the posts table.
    Only rows without problems are returned as coded. ``strict`` raises an
    :class:`~govsocial.core.exceptions.InputError` naming the first problem and how many
    there are instead.

    Example
    -------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "filled.csv"
    >>> _ = path.write_text("post_id,text,label\\n1,a,Sourcing ideas and information\\n2,b,gossip\\n1,a,collaborating\\n")
    >>> coded, problems = read_coding_sheet(path, "oecd", strict=False)
    >>> coded["label"].tolist(), problems["row"].tolist(), problems["field"].tolist()
    (['sourcing_ideas'], [3, 4], ['label', 'post_id'])
    """
    path = Path(path)
    if not path.exists():
        raise InputError("coding sheet not found", source=str(path), hint="check the path")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    missing = [c for c in ("post_id", "label") if c not in frame.columns]
    if missing:
        raise InputError(
            f"the coding sheet has no column {missing[0]!r} (columns: {list(frame.columns)})",
            source=str(path),
            line=1,
            field=missing[0],
            hint="keep the header row that coding_sheet wrote: post_id, text, label, ...",
        )
    allowed = _allowed(codebook, labels)
    known = set(_post_ids(posts, len(texts_of(posts)))) if posts is not None else None
    problems: list[tuple[Any, ...]] = []
    coded: list[tuple[str, str]] = []
    seen: dict[str, int] = {}
    for i, (pid, value) in enumerate(zip(frame["post_id"].str.strip(), frame["label"].str.strip())):
        row = i + 2
        if not pid:
            if value:
                problems.append((row, pid, "post_id", f"label {value!r} on a row without a post id"))
            continue  # a legend-only row
        problem = _row_problem(pid, value, allowed, known, seen)
        if problem:
            problems.append((row, pid, *problem))
        else:
            coded.append((pid, allowed[value.lower()]))
        seen.setdefault(pid, row)
    table = pd.DataFrame(problems, columns=["row", "post_id", "field", "problem"])
    if strict and len(table):
        first = table.iloc[0]
        raise InputError(
            f"{first['problem']} ({len(table)} problem(s) in all)",
            source=str(path),
            line=int(first["row"]),
            field=str(first["field"]),
            hint="fix the rows listed by: govsocial code check " + str(path),
        )
    return pd.DataFrame(coded, columns=["post_id", "label"]), table


def _row_problem(
    pid: str, value: str, allowed: dict[str, str], known: set[str] | None, seen: dict[str, int]
) -> tuple[str, str] | None:
    if pid in seen:
        return "post_id", f"post {pid} is listed again (first on row {seen[pid]})"
    if known is not None and pid not in known:
        return "post_id", f"post {pid} is not in the posts table"
    if not value:
        return "label", f"post {pid} is not coded (empty label)"
    if value.lower() not in allowed:
        return "label", (f"unknown label {value!r}; use one of {sorted(set(allowed.values()), key=str)}")
    return None


def coder_agreement(
    sheet_a: str | Path,
    sheet_b: str | Path,
    codebook: str | Path | Codebook | None = "oecd",
    *,
    labels: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Two coders' sheets compared on the posts both coded: Krippendorff's alpha (nominal),
    the number of posts compared and coded by one coder only, and the disagreements
    (``post_id, text, coder_a, coder_b``). Rows with problems are left out (see
    :func:`read_coding_sheet`); they are counted in ``problems``.

    Example
    -------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.csv").write_text("post_id,text,label\\n1,x,collaborating\\n2,y,sourcing_ideas\\n")
    >>> _ = (folder / "b.csv").write_text("post_id,text,label\\n1,x,collaborating\\n2,y,collaborating\\n")
    >>> out = coder_agreement(folder / "a.csv", folder / "b.csv")
    >>> out["n"], out["disagreements"]["post_id"].tolist()
    (2, ['2'])
    """
    a, problems_a = read_coding_sheet(sheet_a, codebook, labels=labels, strict=False)
    b, problems_b = read_coding_sheet(sheet_b, codebook, labels=labels, strict=False)
    both = a.merge(b, on="post_id", suffixes=("_a", "_b"))
    if both.empty:
        raise InputError(
            "the two sheets have no coded post in common",
            source=f"{sheet_a}, {sheet_b}",
            hint="give both coders the same sheet (the same post ids)",
        )
    texts = pd.read_csv(sheet_a, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    text_of = dict(zip(texts["post_id"].str.strip(), texts["text"])) if "text" in texts.columns else {}
    differ = both[both["label_a"] != both["label_b"]]
    disagreements = pd.DataFrame(
        {
            "post_id": differ["post_id"].to_numpy(),
            "text": [text_of.get(p, "") for p in differ["post_id"]],
            "coder_a": differ["label_a"].to_numpy(),
            "coder_b": differ["label_b"].to_numpy(),
        }
    )
    return {
        "alpha": krippendorff_alpha(both["label_a"], both["label_b"]),
        "n": len(both),
        "only_a": int((~a["post_id"].isin(b["post_id"])).sum()),
        "only_b": int((~b["post_id"].isin(a["post_id"])).sum()),
        "problems": len(problems_a) + len(problems_b),
        "disagreements": disagreements,
    }

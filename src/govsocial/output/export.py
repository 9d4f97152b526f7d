"""Hand-off to Stata and to any Parquet reader (R's arrow, DuckDB, Polars): document-topic
tables with their covariates.

:func:`to_stata` writes a ``.dta`` file (format 118, Stata 14 and later, UTF-8) that
Stata opens as it is: variable names made legal — at most 32 characters of letters,
digits and ``_``, not starting with a digit, not a reserved word, unique — with the
original column name kept as the variable label (80 characters); strings longer than
Stata's 2,045-byte ``str`` limit as ``strL``; times as ``%tc`` in UTC; categories as
value labels; whole numbers beyond Stata's ``long`` as text, so none is rounded.
:func:`to_parquet` writes the same table with its types (pyarrow).

Both join ``covariates`` by ``post_id`` when given, redact a ``text`` column of personal
information, and refuse citizens' account names or ids that were not pseudonymised
(:func:`govsocial.pseudonymise`): an exported file must not carry them.

Example
-------
>>> import tempfile, pathlib
>>> shares = pd.DataFrame({"topic_0": [0.8, 0.3], "topic_1": [0.2, 0.7]}, index=pd.Index(["a", "b"], name="post_id"))
>>> path = pathlib.Path(tempfile.mkdtemp()) / "topics.dta"
>>> names = to_stata(shares, path, covariates=pd.DataFrame({"post_id": ["b", "a"], "month": ["2024-02", "2024-01"]}))
>>> pd.read_stata(path)[["post_id", "topic_0", "month"]].values.tolist()
[['a', 0.8, '2024-01'], ['b', 0.3, '2024-02']]
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..core.exceptions import InputError

__all__ = ["to_stata", "to_parquet", "prepare_table", "stata_names"]

#: Stata's reserved names ([U] 11.3), plus ``str1``–``str2045`` (checked by pattern)
STATA_RESERVED = frozenset(
    {
        "_all",
        "_b",
        "byte",
        "_coef",
        "_cons",
        "double",
        "float",
        "if",
        "in",
        "int",
        "long",
        "_n",
        "_N",
        "_pi",
        "_pred",
        "_rc",
        "_skip",
        "strL",
        "using",
        "with",
    }
)
_STR_RESERVED = re.compile(r"^str\d+$")
_STATA_STR_MAX = 2045  # bytes of a fixed-width str in formats 117/118
_STATA_LONG = (-2_147_483_647, 2_147_483_620)  # Stata's long range (larger values are missing codes)
_IDENTITY = ("account_id", "account_name", "reply_to_account_id")


def _post_ids(table: pd.DataFrame, what: str) -> pd.DataFrame:
    if "post_id" not in table.columns:
        if table.index.name != "post_id":
            raise InputError(
                f"the {what} has no post_id column or index",
                field="post_id",
                hint="key the table by post_id (gs.doc_topics does) so rows can be joined",
            )
        table = table.reset_index()
    table = table.copy()
    table["post_id"] = table["post_id"].astype(str).astype(object)
    duplicated = table["post_id"][table["post_id"].duplicated()]
    if len(duplicated):
        raise InputError(
            f"the {what} repeats post_id {duplicated.iloc[0]!r} ({len(duplicated)} repeated rows)",
            field="post_id",
            hint="keep one row per post",
        )
    return table


def _citizen_post_ids(table: pd.DataFrame, key: str | bytes | None) -> pd.DataFrame:
    if "account_type" not in table.columns:
        return table
    citizen = (table["account_type"].astype("string") != "government").fillna(True).to_numpy(dtype=bool)
    plain = citizen & ~table["post_id"].astype(str).str.startswith("post_").to_numpy(dtype=bool)
    if not plain.any():
        return table
    if not key:
        raise InputError(
            f"the table holds {int(plain.sum())} citizens' post id(s); a post id leads to the post and "
            "its author, so an exported file must not carry them",
            field="post_id",
            hint="pass pseudonym_key= (a secret you keep) for keyed pseudonyms, or export government posts only",
        )
    from ..text.privacy import pseudonymise_ids

    out = table.copy()
    secret = key.encode("utf-8") if isinstance(key, str) else key
    out.loc[plain, "post_id"] = pseudonymise_ids(out.loc[plain, "post_id"], secret)
    return out


def _check_identities(table: pd.DataFrame) -> None:
    present = [c for c in _IDENTITY if c in table.columns]
    if not present:
        return
    citizen = (
        (table["account_type"].astype("string") != "government").fillna(True).to_numpy(dtype=bool)
        if "account_type" in table.columns
        else np.ones(len(table), dtype=bool)
    )
    gov_ids = set(table.loc[~citizen, "account_id"].dropna().astype(str)) if "account_id" in table.columns else set()
    for col in present:
        values = table[col].astype("string")
        plain = (values.notna() & ~values.str.startswith("user_", na=False)).to_numpy()
        # a reply's target is a citizen unless it is one of the government accounts (whoever replied)
        plain &= ~values.isin(gov_ids).to_numpy() if col == "reply_to_account_id" else citizen
        if plain.any():
            whose = (
                "citizen account name(s) or id(s)"
                if "account_type" in table.columns
                else "account name(s) or id(s) of unknown type (no account_type column tells government from citizens)"
            )
            raise InputError(
                f"column {col!r} holds {int(plain.sum())} {whose} that are not "
                "pseudonymised; an exported file must not carry them",
                field=col,
                hint="run gs.pseudonymise(posts, key) first, or leave the column out",
            )


def prepare_table(
    table: pd.DataFrame, covariates: pd.DataFrame | None = None, *, pseudonym_key: str | bytes | None = None
) -> pd.DataFrame:
    """``table`` with ``post_id`` as its first column, ``covariates`` joined by ``post_id``
    (every row of ``table`` must find one), ``text`` redacted, citizens' identities refused.
    Citizens' post ids (rows whose ``account_type`` is not government) lead to the post and
    its author on the platform: with ``pseudonym_key`` (a secret you keep) they become keyed
    pseudonyms ``post_…`` (:func:`govsocial.text.privacy.pseudonymise_ids`); without it such
    rows are refused.

    The counts of redacted personal information are in ``attrs["redacted"]``.

    Example
    -------
    >>> t = pd.DataFrame({"share": [0.5]}, index=pd.Index(["p1"], name="post_id"))
    >>> out = prepare_table(t, pd.DataFrame({"post_id": ["p1"], "text": ["call 0491 570 156"]}))
    >>> out.values.tolist(), out.attrs["redacted"]["phone"]
    ([['p1', 0.5, 'call <PHONE>']], 1)
    """
    out = _post_ids(pd.DataFrame(table), "table")
    if covariates is not None:
        cov = _post_ids(pd.DataFrame(covariates), "covariates")
        clash = sorted(set(cov.columns) & set(out.columns) - {"post_id"})
        if clash:
            raise InputError(
                f"columns {clash} are in both the table and the covariates",
                field=clash[0],
                hint="rename or drop one of them",
            )
        missing = ~out["post_id"].isin(cov["post_id"])
        if missing.any():
            raise InputError(
                f"{int(missing.sum())} post(s) of the table have no covariates row, e.g. "
                f"{out['post_id'][missing].iloc[0]!r}",
                field="post_id",
                hint="pass covariates for every post (the posts table the matrix came from)",
            )
        out = out.merge(cov, on="post_id", how="left", validate="one_to_one")
    redacted: dict[str, int] = {}
    if "text" in out.columns:
        from ..text.privacy import redact_column

        texts, counts = redact_column(out["text"].fillna("").astype(str))
        out["text"] = texts.to_numpy()
        redacted = {str(k): int(v) for k, v in counts.sum().items()}
    out = _citizen_post_ids(out, pseudonym_key)
    _check_identities(out)
    out.attrs["redacted"] = redacted
    return out


def stata_names(columns: list[Any]) -> dict[str, str]:
    """Legal, unique Stata variable names for ``columns``: ``{original: stata_name}``.

    Example
    -------
    >>> stata_names(["prob: water, bill | frex: outage, meter, supply", "2024", "in", "topic_0"])
    {'prob: water, bill | frex: outage, meter, supply': 'prob__water__bill___frex__outage', '2024': '_2024', \
'in': 'in_', 'topic_0': 'topic_0'}
    >>> list(stata_names(["a" * 40, "a" * 41]).values())
    ['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa_2']
    """
    names: dict[str, str] = {}
    taken: set[str] = set()
    for col in columns:
        ascii_ = unicodedata.normalize("NFKD", str(col)).encode("ascii", "ignore").decode()
        name = re.sub(r"[^A-Za-z0-9_]", "_", ascii_) or "var"
        if name[0].isdigit():
            name = "_" + name
        name = name[:32]
        if name in STATA_RESERVED or _STR_RESERVED.match(name):
            name = name[:31] + "_"
        base, i = name, 1
        while name.lower() in taken:  # Stata names are case-sensitive, but clashes by case confuse users
            i += 1
            name = f"{base[: 32 - len(str(i)) - 1]}_{i}"
        taken.add(name.lower())
        names[str(col)] = name
    return names


def _stata_column(values: pd.Series) -> tuple[pd.Series, str | None, bool]:
    """(column ready for to_stata, date conversion or None, needs strL)."""
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        values = values.dt.tz_convert("UTC").dt.tz_localize(None)
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.astype("datetime64[ns]"), "tc", False
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.rename_categories([str(c) for c in values.cat.categories]), None, False
    if pd.api.types.is_bool_dtype(values):
        return (values.astype("Int8").astype("float64") if values.isna().any() else values.astype("int8")), None, False
    if pd.api.types.is_integer_dtype(values):
        present = values.dropna()
        if len(present) and (present.min() < _STATA_LONG[0] or present.max() > _STATA_LONG[1]):
            return values.astype("string").fillna("").astype(object), None, False  # no rounding to double
        return values.astype("float64") if values.isna().any() else values.astype("int32"), None, False
    if pd.api.types.is_float_dtype(values):
        return values.astype("float64"), None, False
    text = values.map(
        lambda v: "" if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA else str(v)
    ).astype(object)
    longest = int(text.map(lambda s: len(s.encode("utf-8"))).max()) if len(text) else 0
    return text, None, longest > _STATA_STR_MAX


def to_stata(
    table: pd.DataFrame,
    path: str | Path,
    *,
    covariates: pd.DataFrame | None = None,
    pseudonym_key: str | bytes | None = None,
) -> dict[str, str]:
    """Write a table keyed by ``post_id`` (e.g. :func:`govsocial.doc_topics`) with its
    ``covariates`` to a Stata ``.dta`` file (format 118); returns ``{column: stata_name}``.

    Example
    -------
    >>> import tempfile, pathlib
    >>> t = pd.DataFrame({"post_id": ["p1"], "share of a very long topic name that Stata refuses": [0.25]})
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "t.dta"
    >>> to_stata(t, path)["share of a very long topic name that Stata refuses"]
    'share_of_a_very_long_topic_name_'
    >>> with pd.io.stata.StataReader(path) as reader:
    ...     reader.variable_labels()["share_of_a_very_long_topic_name_"]
    'share of a very long topic name that Stata refuses'
    """
    out = prepare_table(table, covariates, pseudonym_key=pseudonym_key)
    names = stata_names(list(out.columns))
    columns, dates, strl = {}, {}, []
    for col in out.columns:
        name = names[str(col)]
        columns[name], date, long_ = _stata_column(out[col])
        if date:
            dates[name] = date
        if long_:
            strl.append(name)
    frame = pd.DataFrame(columns)
    labels = {names[str(c)]: str(c)[:80] for c in out.columns}
    with warnings.catch_warnings():
        warnings.simplefilter("error", pd.io.stata.InvalidColumnName)  # names are legal: pandas must not rename
        frame.to_stata(
            path, write_index=False, version=118, convert_dates=dates, variable_labels=labels, convert_strl=strl
        )
    return names


def to_parquet(
    table: pd.DataFrame,
    path: str | Path,
    *,
    covariates: pd.DataFrame | None = None,
    pseudonym_key: str | bytes | None = None,
) -> None:
    """Write a table keyed by ``post_id`` with its ``covariates`` to Parquet (pyarrow), types kept.

    Periods (e.g. months) are written as text ``"2024-01"``; other columns as they are.

    Example
    -------
    >>> import tempfile, pathlib
    >>> t = pd.DataFrame({"topic_0": [0.5]}, index=pd.Index(["p1"], name="post_id"))
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "t.parquet"
    >>> to_parquet(t, path, covariates=pd.DataFrame({"post_id": ["p1"], "month": pd.PeriodIndex(["2024-01"], freq="M")}))
    >>> pd.read_parquet(path).values.tolist()
    [['p1', 0.5, '2024-01']]
    """
    out = prepare_table(table, covariates, pseudonym_key=pseudonym_key)
    for col in out.columns:
        if isinstance(out[col].dtype, pd.PeriodDtype):
            out[col] = out[col].astype(str)
    out.attrs = {}
    out.to_parquet(path, index=False, engine="pyarrow")

"""Government and citizen accounts told apart by an account registry.

A registry is a CSV file (or DataFrame) listing the government accounts a
study covers, one row per account:

==================  ========  =====================================================
column              required  meaning
==================  ========  =====================================================
platform            yes       twitter, facebook, mastodon, ... (``x`` = twitter)
account_id          one of    platform id of the account
handle              these     screen name / user name (``@`` and case ignored)
organisation        no        the agency or body the account belongs to
level               no        level of government (federal, state, local, ...)
account_type        no        government (default) or citizen
timezone            no        IANA time zone of the account (e.g. Australia/Perth),
                              for business hours in response latencies
==================  ========  =====================================================

Posts whose account matches a row take its ``account_type``; the others
become ``unregistered`` (``"unknown"`` unless the user says ``"citizen"``).

Example
-------
>>> import pandas as pd
>>> import govsocial.core.schema as schema
>>> posts = schema.conform({"post_id": ["1", "2"], "platform": ["twitter"] * 2, "text": ["a", "b"],
...                         "account_name": ["HealthDept", "jo_bloggs"]})
>>> reg = pd.DataFrame({"platform": ["twitter"], "handle": ["@healthdept"], "organisation": ["Health"]})
>>> list(apply_registry(posts, reg, unregistered="citizen")["account_type"])
['government', 'citizen']
"""

from __future__ import annotations

import os
from typing import Literal

import pandas as pd

from ..core.exceptions import InputError, SchemaError

__all__ = ["load_registry", "apply_registry", "REGISTRY_COLUMNS"]

REGISTRY_COLUMNS = ("platform", "account_id", "handle", "organisation", "level", "account_type", "timezone")
_PLATFORM_ALIASES = {"x": "twitter", "fb": "facebook", "twitter/x": "twitter"}


def _norm_platform(s: pd.Series) -> pd.Series:
    s = s.astype("string").str.strip().str.lower()
    return s.replace(_PLATFORM_ALIASES)


def _norm_handle(s: pd.Series) -> pd.Series:
    return s.astype("string").str.strip().str.lstrip("@").str.lower()


def load_registry(registry: str | os.PathLike[str] | pd.DataFrame) -> pd.DataFrame:
    """Read and check an account registry; every problem is reported with its row.

    Example
    -------
    >>> reg = load_registry(pd.DataFrame({"platform": ["X"], "handle": ["@Roads"]}))
    >>> reg.loc[0, ["platform", "handle", "account_type"]].tolist()
    ['twitter', 'roads', 'government']
    >>> load_registry(pd.DataFrame({"platform": ["x"], "handle": ["a"], "timezone": [" Australia/Perth "]})
    ...               ).loc[0, "timezone"]
    'Australia/Perth'
    """
    source = "registry"
    if isinstance(registry, pd.DataFrame):
        frame = registry.copy()
    else:
        source = os.fspath(registry)
        try:
            frame = pd.read_csv(source, dtype=str, keep_default_na=False, comment=None)
        except FileNotFoundError:
            raise InputError("account registry not found", source=source, hint="check the path") from None
        except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
            raise InputError(
                f"cannot read the account registry ({exc})",
                source=source,
                hint="it must be a UTF-8 CSV with a header row",
            ) from None
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    problems: list[str] = []
    if "platform" not in frame.columns:
        problems.append("column 'platform' is missing")
    if "account_id" not in frame.columns and "handle" not in frame.columns:
        problems.append("needs a column 'account_id' or 'handle' (or both)")
    if problems:
        raise SchemaError(problems, what=f"account registry {source}")
    for col in REGISTRY_COLUMNS:
        if col not in frame.columns:
            frame[col] = pd.NA
    frame = frame.replace({"": pd.NA})
    out = pd.DataFrame(
        {
            "platform": _norm_platform(frame["platform"]),
            "account_id": frame["account_id"].astype("string").str.strip(),
            "handle": _norm_handle(frame["handle"]),
            "organisation": frame["organisation"].astype("string"),
            "level": frame["level"].astype("string"),
            "account_type": frame["account_type"].astype("string").str.strip().str.lower().fillna("government"),
            "timezone": frame["timezone"].astype("string").str.strip(),
        }
    )
    rows = lambda mask: ", ".join(str(i + 2) for i in out.index[mask][:5])  # noqa: E731  (+2: header, 1-based)
    no_platform = out["platform"].isna()
    if no_platform.any():
        problems.append(f"empty 'platform' on line(s) {rows(no_platform)}")
    no_key = out["account_id"].isna() & out["handle"].isna()
    if no_key.any():
        problems.append(f"neither 'account_id' nor 'handle' on line(s) {rows(no_key)}")
    bad_type = ~out["account_type"].isin(["government", "citizen"])
    if bad_type.any():
        problems.append(f"'account_type' must be government or citizen on line(s) {rows(bad_type)}")
    for key in ("account_id", "handle"):
        k = out[["platform", key]].dropna()
        dup = k.duplicated(keep=False)
        if dup.any():
            problems.append(f"duplicated ({'platform'}, {key}) on line(s) {rows(out.index.isin(k.index[dup]))}")
    if problems:
        raise SchemaError(problems, what=f"account registry {source}")
    return out


def apply_registry(
    posts: pd.DataFrame,
    registry: str | os.PathLike[str] | pd.DataFrame | None,
    *,
    unregistered: Literal["unknown", "citizen"] = "unknown",
) -> pd.DataFrame:
    """Set ``account_type`` (and ``organisation``, ``government_level``) from a registry.

    Accounts are matched on (platform, account_id) first, then on (platform,
    handle) ignoring case and a leading ``@``. Accounts not in the registry get
    ``unregistered`` — ``"unknown"`` unless you know every non-government
    account is a citizen. Without a registry, only ``unregistered`` is applied
    to accounts whose type is still unknown.

    Example
    -------
    >>> import govsocial.core.schema as schema
    >>> p = schema.conform({"post_id": ["1"], "platform": ["twitter"], "text": ["x"], "account_id": ["9"]})
    >>> apply_registry(p, None, unregistered="citizen")["account_type"].tolist()
    ['citizen']
    """
    if unregistered not in ("unknown", "citizen"):
        raise ValueError(f"unregistered must be 'unknown' or 'citizen'; got {unregistered!r}")
    out = posts.copy()
    unknown = out["account_type"].astype("string") == "unknown"
    if registry is None:
        out.loc[unknown, "account_type"] = unregistered
        return out
    reg = load_registry(registry)
    platform = _norm_platform(out["platform"]).fillna("")
    kind = pd.Series(pd.NA, index=out.index, dtype="string")
    org = pd.Series(pd.NA, index=out.index, dtype="string")
    level = pd.Series(pd.NA, index=out.index, dtype="string")
    for key, values in (
        ("account_id", out["account_id"].astype("string").str.strip()),
        ("handle", _norm_handle(out["account_name"])),
    ):
        r = reg.dropna(subset=[key])
        lookup = pd.MultiIndex.from_arrays([r["platform"], r[key]])
        pos = lookup.get_indexer(pd.MultiIndex.from_arrays([platform, values.fillna("\0")]))
        hit = (pos >= 0) & kind.isna().to_numpy()
        if hit.any():
            src = r.iloc[pos[hit]]
            kind[hit] = src["account_type"].to_numpy()
            org[hit] = src["organisation"].to_numpy()
            level[hit] = src["level"].to_numpy()
    matched = kind.notna()
    out.loc[matched, "account_type"] = kind[matched]
    out.loc[~matched & unknown, "account_type"] = unregistered
    out["organisation"] = org
    out["government_level"] = level
    return out

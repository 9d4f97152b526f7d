"""Uses: the share of government posts in each theme of each configured codebook,
overall, per agency and per month, with intervals from resampling accounts; and the
share of transparent posts (``[themes] transparency``: posts that publish data,
documents, decisions, budgets or performance, or cite a source), overall, by kind, per
agency and per month.

Example
-------
>>> STUDY.name, STUDY.upstream
('uses', ())
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence, cast

import numpy as np
import pandas as pd

from ...core.bootstrap import cluster_totals, share_interval
from ...core.grouping import MISSING_GROUP, group_keys
from ...core.validation import check_random_state
from .base import Outputs, Study
from .validation import adjusted_tables

if TYPE_CHECKING:
    from ..config import Config
    from ..data import StudyData

__all__ = ["STUDY", "cluster_shares", "run"]

METHODS = (
    "Each government post (reposts excluded) is scored against a codebook by govsocial's seeded "
    "theme scorer: keyword evidence from the codebook's seed terms, phrases and structural cues, "
    "widened by Latent Semantic Scaling on the posts, then self-training on the confident keyword "
    "labels (docs/themes.md). Codebooks: "
    "OECD (2014) uses of social media by governments; DePaula, Dincelli & Harrison (2018). "
    "Transparency is a dimension of its own, scored the same way with the transparency codebook "
    "(Bertot, Jaeger & Grimes 2010; Grimmelikhuijsen & Welch 2012): a post is transparent when it "
    "publishes data, documents, decisions, a budget or spending, or performance, or cites its source. "
    "Shares have 95 % intervals from resampling accounts (per agency: its posts)."
)


def cluster_shares(
    labels: np.ndarray,
    accounts: np.ndarray,
    categories: list[str],
    n_boot: int,
    random_state: int | np.random.Generator | None = None,
) -> pd.DataFrame:
    """Shares of each category with 95 % percentile intervals from resampling accounts
    (posts, when there is one account or none known): ``theme, estimate, low, high, level, n``
    (``n`` the posts, so a theme's posts are ``estimate * n``; the interval convention of
    :mod:`govsocial.core.bootstrap`). ``random_state`` is a seed, a numpy Generator (its
    stream is used, not copied) or None (:func:`govsocial.core.validation.check_random_state`).

    Example
    -------
    >>> t = cluster_shares(np.array(["a", "b", "a"]), np.array(["1", "2", "3"]), ["a", "b"], 0, random_state=0)
    >>> t[["theme", "n"]].values.tolist(), (t["estimate"] * t["n"]).round().tolist()
    ([['a', 3], ['b', 3]], [2.0, 1.0])
    """
    rng = check_random_state(random_state)
    index = {c: j for j, c in enumerate(categories)}
    onehot = np.zeros((len(labels), len(categories)))
    onehot[np.arange(len(labels)), [index[v] for v in labels]] = 1.0
    counts = cluster_totals(onehot, cast(Sequence[Any], accounts), single_by_rows=True)
    # the literal 2.5 and 97.5 percentiles these tables have always used ((1 - 0.95) / 2 * 100 is one ulp above 2.5)
    point, low, high = share_interval(counts, n_boot, rng, percentiles=(2.5, 97.5))
    return pd.DataFrame(
        {"theme": categories, "estimate": point, "low": low, "high": high, "level": 0.95, "n": len(labels)}
    )


def _shares_by(
    groups: np.ndarray,
    labels: np.ndarray,
    accounts: np.ndarray,
    categories: list[str],
    n_boot: int,
    rng: np.random.Generator,
    name: str,
) -> pd.DataFrame:
    """:func:`cluster_shares` within each group, stacked: ``<name>, theme, estimate, low, high, level, n``."""
    parts = []
    for group in sorted(set(groups)):
        mask = groups == group
        part = cluster_shares(labels[mask], accounts[mask], categories, n_boot, rng)
        part.insert(0, name, group)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def _scorer_agreement(data: StudyData, labels: np.ndarray, n_boot: int, seed: int) -> str:
    """Macro-F1 of the scored themes against the planted ones, measured on this corpus."""
    from ...analysis.themes import classification_agreement

    assert data.truth is not None
    planted = data.truth.planted("theme", data.gov["post_id"]).to_numpy()
    known = pd.notna(planted)
    if not known.any():
        return "No post of these data has a planted theme; the scorer's agreement was not measured."
    out = (
        classification_agreement(labels[known], planted[known], n_boot=min(n_boot, 200), random_state=seed)["summary"]
        .set_index("measure")
        .loc["macro_f1"]
    )
    return (
        f"Measured on these data: the scored themes agree with the {int(known.sum()):,} planted themes at "
        f"macro-F1 {out['estimate']:.3f} (95 % interval {out['low']:.3f}–{out['high']:.3f}, bootstrap over posts)."
    )


def _one_codebook(data: StudyData, config: Config, entry: str, rng: np.random.Generator, out: Outputs) -> None:
    """Shares by one codebook into ``out``; files are named by the codebook's own name."""
    from ...output.plotting import interval_figure, lines_figure

    gov, n_boot = data.gov, config.run.n_boot
    book = data.codebook(entry)
    name, names = book.name, book.names
    labels = data.theme_labels(entry).to_numpy()
    overall = cluster_shares(labels, gov["account_id"].to_numpy(), names, n_boot, rng)
    out.tables[f"{name}_shares.csv"] = overall
    agency = group_keys(gov.assign(agency=gov["account_name"].fillna(gov["account_id"])), "agency").to_numpy()
    accounts = gov["account_id"].astype("string").fillna("(unknown)").to_numpy(dtype=object)
    # per agency: intervals from resampling the agency's posts; per month: from resampling accounts
    out.tables[f"{name}_shares_by_agency.csv"] = _shares_by(agency, labels, accounts, names, n_boot, rng, "agency")
    out.figures[f"{name}_shares.png"] = interval_figure(
        overall, label="theme", xlabel="share of government posts", title=f"Uses ({name} codebook), 95 % intervals"
    )
    month = group_keys(gov, "month").to_numpy()
    dated = month != MISSING_GROUP  # undated posts are left out of the monthly shares
    if dated.any():
        monthly = _shares_by(month[dated], labels[dated], accounts[dated], names, n_boot, rng, "month")
        out.tables[f"{name}_shares_by_month.csv"] = monthly
        out.figures[f"{name}_by_month.png"] = lines_figure(
            monthly,
            x="month",
            y="estimate",
            group="theme",
            ylabel="share of the month's government posts",
            title=f"Uses over time ({name})",
        )
    top = overall.sort_values("estimate", ascending=False).iloc[0]
    out.summary.append(
        f"{name}: the most common use is {top['theme'].replace('_', ' ')} "
        f"({top['estimate']:.0%} of {len(gov):,} government posts of {gov['account_id'].nunique():,} accounts, "
        f"95 % interval {top['low']:.0%}–{top['high']:.0%}, from resampling the accounts)."
    )
    if data.truth is not None and name == data.truth.codebook:
        out.summary.append(_scorer_agreement(data, labels, n_boot, config.seed))
        out.truth += data.truth.theme_shares(overall)
    adjusted_tables(data, config, entry, labels, out)  # with coded posts: corrected for misclassification


def _transparency_agreement(data: StudyData, labels: np.ndarray, default: str, n_boot: int, seed: int) -> str:
    """F1 of transparent-or-not, and the kind's accuracy, against the planted transparency."""
    from ...analysis.themes import classification_agreement

    assert data.truth is not None
    ids = data.gov["post_id"]
    known = pd.to_numeric(data.truth.planted("transparency_prob", ids), errors="coerce").notna().to_numpy()
    if not known.any():
        return "No post of these data has planted transparency; the transparency scorer was not measured."
    # the truth leaves the kind of a post that is not transparent empty
    truth = data.truth.planted("transparency", ids).fillna("").to_numpy(dtype=object)[known]
    truth = np.where(truth == "", default, truth)
    scored = labels[known]
    binary = classification_agreement(
        np.where(scored == default, "no", "yes"),
        np.where(truth == default, "no", "yes"),
        n_boot=min(n_boot, 200),
        random_state=seed,
    )["per_class"].set_index(["class", "measure"])
    f1, p, r = (binary.loc[("yes", m)] for m in ("f1", "precision", "recall"))
    transparent = truth != default
    kind = ""
    if transparent.any():
        right = (scored[transparent] == truth[transparent]).astype(float)
        rng = check_random_state(seed)
        point, low, high = share_interval(np.column_stack([right, 1 - right]), min(n_boot, 200), rng)
        kind = f"; the kind is right for {point[0]:.1%} of the {int(transparent.sum()):,} planted transparent posts"
        kind += f" (95 % interval {low[0]:.1%}–{high[0]:.1%})" if np.isfinite(low[0]) else ""
    return (
        f"Measured on these data: transparent or not agrees with the planted transparency of "
        f"{int(known.sum()):,} posts at F1 {f1['estimate']:.3f} (95 % interval {f1['low']:.3f}–{f1['high']:.3f}; "
        f"precision {p['estimate']:.3f}, recall {r['estimate']:.3f}){kind}; intervals from resampling posts."
    )


def _transparency_truth(
    data: StudyData,
    config: Config,
    labels: np.ndarray,
    default: str,
    tables: dict[str, pd.DataFrame | None],
    groups: dict[str, np.ndarray],
    out: Outputs,
) -> None:
    """The scorer's agreement with the planted transparency, and the planted expected share of
    all posts, each agency and each month against the estimates' intervals (dated posts only
    for months)."""
    assert data.truth is not None
    out.summary.append(_transparency_agreement(data, labels, default, config.run.n_boot, config.seed))
    post_ids = data.gov["post_id"].astype(str).to_numpy()
    rows = []
    for by, table in tables.items():
        if table is None:
            continue
        keep = groups[by] != MISSING_GROUP
        rows += data.truth.transparency_shares(table, post_ids[keep], groups[by][keep], by)
    covered = [r["recovered"] for r in rows[1:]]
    if covered:
        out.summary.append(
            f"The planted expected share of transparent posts lies inside the 95 % interval for "
            f"{sum(covered)} of {len(covered)} agencies and months."
        )
    out.truth += rows


def _share(row: pd.Series) -> str:
    """An agency's share with its interval and posts: ``9% (Name: 95 % interval 3%–18%, 57 posts)``."""
    interval = f"95 % interval {row['low']:.0%}–{row['high']:.0%}, " if np.isfinite(row["low"]) else ""
    return f"{row['estimate']:.0%} ({row['agency']}: {interval}{int(row['n']):,} posts)"


def _transparency(data: StudyData, config: Config, rng: np.random.Generator, out: Outputs) -> None:
    """Share of transparent posts (any kind but the codebook's default theme) overall and by
    kind, per agency and per month, with the ground-truth check on a generated corpus."""
    from ...output.plotting import interval_figure, lines_figure

    entry, gov, n_boot = config.themes.transparency, data.gov, config.run.n_boot
    if not entry or gov.empty:
        return
    book = data.codebook(entry)
    default = book.names[0]
    labels = data.theme_labels(entry).to_numpy(dtype=object)
    binary = np.where(labels == default, "not_transparent", "transparent")
    accounts = gov["account_id"].astype("string").fillna("(unknown)").to_numpy(dtype=object)
    both = ["transparent", "not_transparent"]
    overall = cluster_shares(binary, accounts, both, n_boot, rng).iloc[:1]
    by_kind = cluster_shares(labels, accounts, book.names, n_boot, rng).iloc[1:]
    table = pd.concat([overall, by_kind], ignore_index=True).rename(columns={"theme": "scope"})
    out.tables["transparent_posts.csv"] = table
    agency = group_keys(gov.assign(agency=gov["account_name"].fillna(gov["account_id"])), "agency").to_numpy()
    per_agency = _shares_by(agency, binary, accounts, both, n_boot, rng, "agency")
    per_agency = per_agency[per_agency["theme"] == "transparent"].drop(columns="theme").reset_index(drop=True)
    out.tables["transparent_posts_by_agency.csv"] = per_agency
    out.figures["transparent_posts_by_agency.png"] = interval_figure(
        per_agency.assign(theme=per_agency["agency"]),
        label="theme",
        xlabel="share of the agency's government posts that are transparent",
        title="Transparency per agency, 95 % intervals",
    )
    month = group_keys(gov, "month").to_numpy()
    dated = month != MISSING_GROUP
    per_month = None
    if dated.any():
        per_month = _shares_by(month[dated], binary[dated], accounts[dated], both, n_boot, rng, "month")
        per_month = per_month[per_month["theme"] == "transparent"].reset_index(drop=True)
        out.tables["transparent_posts_by_month.csv"] = per_month.drop(columns="theme")
        out.figures["transparent_posts_by_month.png"] = lines_figure(
            per_month,
            x="month",
            y="estimate",
            group="theme",
            ylabel="share of the month's government posts",
            title="Transparent posts over time",
        )
    top = overall.iloc[0]
    low, high = per_agency.loc[per_agency["estimate"].idxmin()], per_agency.loc[per_agency["estimate"].idxmax()]
    out.summary.append(
        f"Transparency ({book.name} codebook): {top['estimate']:.0%} of {len(gov):,} government posts of "
        f"{gov['account_id'].nunique():,} accounts publish data, documents, decisions, a budget or performance, or "
        f"cite a source (95 % interval {top['low']:.0%}–{top['high']:.0%}, from resampling the accounts); per "
        f"agency from {_share(low)} to {_share(high)}, each from resampling the agency's posts."
    )
    if data.truth is not None and "transparency_prob" in data.truth.posts.columns:
        groups = {"scope": np.full(len(gov), "transparent"), "agency": agency, "month": month}
        tables = {"scope": table.iloc[:1], "agency": per_agency, "month": per_month}
        _transparency_truth(data, config, labels, default, tables, groups, out)


def run(data: StudyData, config: Config) -> Outputs:
    """Theme shares by every codebook of ``[themes] codebooks``.

    Example
    -------
    >>> import inspect
    >>> list(inspect.signature(run).parameters)
    ['data', 'config']
    """
    out = Outputs()
    rng = check_random_state(config.seed)
    for entry in config.themes.codebooks:
        _one_codebook(data, config, entry, rng, out)
    _transparency(data, config, rng, out)
    if data.truth is None:
        out.caveats.append(
            "Theme scores describe wording. How often the scorer is right was not measured on these "
            "data (no hand-coded posts were given); on other coded corpora its accuracy varies "
            "(docs/benchmarks.md). Code a random sample of these posts and compare "
            "(ThemeScorer.validate) before reading the shares as more than wording."
        )
    else:
        out.caveats.append(
            "Theme scores describe wording. The agreement with the planted themes above is measured "
            "on this generated corpus, whose posts are written from the codebook's own definitions: "
            "an upper bound for real posts."
        )
    return out


STUDY = Study(
    "uses",
    "1. What agencies use social media for",
    "What share of agencies' posts provides information, delivers services, engages, asks for "
    "input, responds or collaborates, and how many are transparent about the agency's work?",
    METHODS,
    run,
)

"""Figures from govsocial's tables (matplotlib's object API: no pyplot, no global state).

Every function takes a tidy table and returns a ``matplotlib.figure.Figure``; save it
with ``fig.savefig(path)``.

Example
-------
>>> import pandas as pd

if TYPE_CHECKING:
    from matplotlib.figure import Figure
>>> table = pd.DataFrame({"k": [2, 2, 4, 4], "seed": [0, 1, 0, 1], "coherence": [0.1, 0.2, 0.05, 0.07]})
>>> select_k_figure(table, metrics=["coherence"]).axes[0].get_xlabel()
'number of topics K'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["select_k_figure", "interval_figure", "forest_figure", "lines_figure", "km_figure", "plain"]


def plain(value: object) -> str:
    """Text for a figure exactly as written: every ``$`` escaped, so no label, title,
    tick or legend entry made from data (an agency called "Save $$ on Rates") is ever
    read as mathtext; ``_`` and ``^`` are literal outside mathtext.

    Example
    -------
    >>> plain("Save $$ on Rates_^2")
    'Save \\\\$\\\\$ on Rates_^2'
    """
    return str(value).replace("$", r"\$")


_LABELS = {
    "held_out_per_token": "held-out log-likelihood per token (higher is better)",
    "coherence": "coherence (c_npmi, higher is better)",
    "diversity": "topic diversity (share of unique top words)",
    "stability_mean": "stability across seeds (mean matched overlap)",
    "nmi": "NMI with labels",
    "n_topics_used": "topics used",
}


def select_k_figure(table: pd.DataFrame, metrics: Sequence[str] | None = None) -> Figure:
    """One panel per metric of :func:`govsocial.topics.selection.select_k`'s table: the mean over
    seeds against K, with each seed's value as a dot, so the spread is visible.

    Example
    -------
    >>> t = pd.DataFrame({"k": [2, 4], "seed": [0, 0], "diversity": [1.0, 0.8], "nmi": [float("nan")] * 2})
    >>> len(select_k_figure(t).axes)  # NaN-only metrics are left out
    1
    """
    from matplotlib.figure import Figure

    if "k" not in table.columns or table.empty:
        raise ValueError("table must be select_k's output: a non-empty table with a 'k' column")
    wanted = list(metrics) if metrics is not None else [m for m in _LABELS if m in table.columns]
    missing = [m for m in wanted if m not in table.columns]
    if missing:
        raise ValueError(f"table has no column(s) {missing}; it has {list(table.columns)}")
    wanted = [m for m in wanted if table[m].notna().any()]
    if not wanted:
        raise ValueError("every requested metric is NaN; nothing to plot")
    cols = min(3, len(wanted))
    rows = -(-len(wanted) // cols)
    fig = Figure(figsize=(4.2 * cols, 3.2 * rows), layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    for ax, metric in zip(axes, wanted):
        means = table.groupby("k")[metric].mean()
        ax.plot(means.index, means.values, marker="o", color="#1f4e79")
        ax.scatter(table["k"], table[metric], s=12, color="#1f4e79", alpha=0.35)
        ax.set_xlabel("number of topics K")
        ax.set_title(plain(_LABELS.get(metric, metric)), fontsize=9)
        ax.grid(alpha=0.3)
    for ax in axes[len(wanted) :]:
        fig.delaxes(ax)
    return fig


def _figure(width: float, height: float) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def interval_figure(
    table: pd.DataFrame,
    *,
    label: str,
    estimate: str = "estimate",
    low: str = "low",
    high: str = "high",
    xlabel: str = "",
    title: str = "",
) -> Figure:
    """Horizontal dots with interval bars, one row per ``label`` (e.g. theme shares).

    Example
    -------
    >>> t = pd.DataFrame({"theme": ["a", "b"], "estimate": [0.6, 0.4], "low": [0.5, 0.3], "high": [0.7, 0.5]})
    >>> interval_figure(t, label="theme", xlabel="share").axes[0].get_xlabel()
    'share'
    """
    if table.empty:
        raise ValueError("nothing to plot: the table is empty")
    fig = _figure(6.0, 0.45 * len(table) + 1.2)
    ax = fig.subplots()
    y = range(len(table))
    est = table[estimate].to_numpy(dtype=float)
    lo, hi = table[low].to_numpy(dtype=float), table[high].to_numpy(dtype=float)
    ax.errorbar(est, list(y), xerr=[est - lo, hi - est], fmt="o", color="#1f4e79", ecolor="#7a9cc6", capsize=3)
    ax.set_yticks(list(y), [plain(str(v).replace("_", " ")) for v in table[label]])
    ax.invert_yaxis()
    ax.set_xlabel(plain(xlabel))
    ax.set_title(plain(title), fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    return fig


def forest_figure(table: pd.DataFrame, *, title: str = "") -> Figure:
    """Incidence-rate ratios with intervals on a log axis, one panel per ``outcome``
    (``term, estimate, low, high`` and optionally ``outcome`` columns, as
    :func:`govsocial.engagement_regression` returns).

    Example
    -------
    >>> t = pd.DataFrame({"outcome": ["likes"] * 2, "term": ["a", "b"], "estimate": [1.2, 0.8], "low": [1.0, 0.6],
    ...                   "high": [1.4, 1.0]})
    >>> forest_figure(t).axes[0].get_xscale()
    'log'
    """
    if table.empty:
        raise ValueError("nothing to plot: the table is empty")
    outcomes = list(dict.fromkeys(table["outcome"])) if "outcome" in table.columns else [None]
    terms = list(dict.fromkeys(table["term"]))
    fig = _figure(3.6 * len(outcomes), 0.4 * len(terms) + 1.3)
    axes = fig.subplots(1, len(outcomes), squeeze=False, sharey=True).ravel()
    for ax, outcome in zip(axes, outcomes):
        part = table if outcome is None else table[table["outcome"] == outcome]
        part = part.set_index("term").reindex(terms)
        y = range(len(terms))
        irr = part["estimate"].to_numpy(dtype=float)
        ax.errorbar(
            irr,
            list(y),
            xerr=[irr - part["low"].to_numpy(dtype=float), part["high"].to_numpy(dtype=float) - irr],
            fmt="s",
            color="#7b2d26",
            ecolor="#c98b85",
            capsize=3,
        )
        ax.axvline(1.0, color="grey", lw=1, ls="--")
        ax.set_xscale("log")
        from matplotlib.ticker import FixedLocator, NullFormatter, StrMethodFormatter

        lo = np.nanmin(part["low"].to_numpy(dtype=float))
        hi = np.nanmax(part["high"].to_numpy(dtype=float))
        ticks = [t for t in (0.125, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0) if lo / 1.5 <= t <= hi * 1.5] or [1.0]
        ax.xaxis.set_major_locator(FixedLocator(ticks))
        ax.xaxis.set_major_formatter(StrMethodFormatter("{x:g}"))
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.set_xlabel("incidence-rate ratio")
        ax.set_title(plain(outcome or title), fontsize=10)
        ax.grid(axis="x", alpha=0.3)
    axes[0].set_yticks(list(range(len(terms))), [plain(str(t).replace("_", " ")) for t in terms])
    axes[0].invert_yaxis()
    if title and outcomes != [None]:
        fig.suptitle(plain(title), fontsize=11)
    return fig


def lines_figure(
    table: pd.DataFrame, *, x: str, y: str, group: str, ylabel: str = "", title: str = "", top: int | None = None
) -> Figure:
    """One line per ``group`` of ``y`` against ``x`` (e.g. theme shares per month).

    Example
    -------
    >>> t = pd.DataFrame({"month": ["2024-01", "2024-02"] * 2, "theme": ["a", "a", "b", "b"],
    ...                   "estimate": [0.6, 0.5, 0.4, 0.5]})
    >>> len(lines_figure(t, x="month", y="estimate", group="theme").axes[0].lines)
    2
    >>> long = t.assign(theme=t["theme"] + ": prob: water, bill, supply | frex: outage, meter")
    >>> len(lines_figure(long, x="month", y="estimate", group="theme").legends)  # below the axes
    1
    """
    if table.empty:
        raise ValueError("nothing to plot: the table is empty")
    groups = list(table.groupby(group)[y].mean().sort_values(ascending=False).index)
    if top is not None:
        groups = groups[:top]
    fig = _figure(7.0, 3.6)
    ax = fig.subplots()
    order = sorted(table[x].astype(str).unique())
    for g in groups:
        part = table[table[group] == g].assign(_x=lambda d: d[x].astype(str)).set_index("_x").reindex(order)
        ax.plot(
            range(len(order)), part[y].to_numpy(dtype=float), marker="o", ms=3, label=plain(str(g).replace("_", " "))
        )
    step = max(1, len(order) // 12)
    ax.set_xticks(
        list(range(0, len(order), step)), [plain(v) for v in order[::step]], rotation=45, ha="right", fontsize=8
    )
    ax.set_ylabel(plain(ylabel))
    ax.set_title(plain(title), fontsize=10)
    ax.grid(alpha=0.3)
    longest = max((len(str(g)) for g in groups), default=0)
    if longest <= 28:
        ax.legend(fontsize=7, ncol=2, frameon=False)
    else:  # long labels (e.g. topics' probable and FREX words) go below the axes, so the axes keep their size
        ncol = 1 if longest > 50 else 2
        fig.set_figheight(3.6 + 0.17 * -(-len(groups) // ncol))
        fig.legend(loc="outside lower center", ncol=ncol, fontsize=7, frameon=False)
    return fig


def km_figure(
    responses: pd.DataFrame,
    *,
    by: str = "addressed_account_id",
    top: int = 6,
    max_hours: float = 168.0,
    title: str = "",
) -> Figure:
    """Kaplan–Meier curves of the share of requests answered against hours waited, for
    all requests and the ``top`` groups with most requests (unanswered = censored).

    Example
    -------
    >>> r = pd.DataFrame({"addressed_account_id": ["g"] * 3, "duration_s": [3600, 7200, 90000],
    ...                   "answered": [True, True, False]})
    >>> km_figure(r).axes[0].get_ylabel()
    'share of requests answered'
    """
    from statsmodels.duration.survfunc import SurvfuncRight

    if responses.empty:
        raise ValueError("nothing to plot: no requests")
    fig = _figure(6.5, 4.0)
    ax = fig.subplots()
    groups = [("all requests", responses)]
    counts = responses[by].value_counts()
    groups += [(str(g), responses[responses[by] == g]) for g in counts.index[:top]]
    for i, (name, part) in enumerate(groups):
        hours = part["duration_s"].to_numpy(dtype=float) / 3600.0
        status = part["answered"].to_numpy(dtype=float)
        if status.sum() == 0:
            continue
        sf = SurvfuncRight(hours, status)
        # from 0 to the last observation (answer or censoring), so flat tails show
        t = np.concatenate([[0.0], np.asarray(sf.surv_times), [hours.max()]])
        answered = np.concatenate([[0.0], 1.0 - np.asarray(sf.surv_prob), [1.0 - np.asarray(sf.surv_prob)[-1]]])
        ax.step(
            np.minimum(t, max_hours),
            answered,
            where="post",
            lw=2.2 if i == 0 else 1.0,
            color="black" if i == 0 else None,
            label=plain(f"{name} (n={len(part)})"),
        )
    ax.set_xlim(0, max_hours)
    ax.set_ylim(0, 1)
    ax.set_xlabel("hours since the request")
    ax.set_ylabel("share of requests answered")
    ax.set_title(plain(title), fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, frameon=False)
    return fig

"""Figures from govsocial's tables (matplotlib's object API: no pyplot, no global state).

Every function takes a tidy table and returns a ``matplotlib.figure.Figure``; save it
with ``fig.savefig(path)``.

Example
-------
>>> import pandas as pd
>>> table = pd.DataFrame({"k": [2, 2, 4, 4], "seed": [0, 1, 0, 1], "coherence": [0.1, 0.2, 0.05, 0.07]})
>>> select_k_figure(table, metrics=["coherence"]).axes[0].get_xlabel()
'number of topics K'
"""

from __future__ import annotations

from typing import Sequence

import pandas as pd

__all__ = ["select_k_figure"]

_LABELS = {
    "held_out_per_token": "held-out log-likelihood per token (higher is better)",
    "coherence": "coherence (c_npmi, higher is better)",
    "diversity": "topic diversity (share of unique top words)",
    "stability_mean": "stability across seeds (mean matched overlap)",
    "nmi": "NMI with labels",
    "n_topics_used": "topics used",
}


def select_k_figure(table: pd.DataFrame, metrics: Sequence[str] | None = None):  # type: ignore[no-untyped-def]
    """One panel per metric of :func:`govsocial.selection.select_k`'s table: the mean over
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
        ax.set_title(_LABELS.get(metric, metric), fontsize=9)
        ax.grid(alpha=0.3)
    for ax in axes[len(wanted):]:
        fig.delaxes(ax)
    return fig

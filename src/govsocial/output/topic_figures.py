"""Figures of topic prevalence and covariate effects, from the tables of
:func:`govsocial.prevalence`, :func:`govsocial.estimate_effect`, :func:`govsocial.effect_at`
and :func:`govsocial.difference` (matplotlib's object API: no pyplot, no global state).

The figures are drawn from the tables alone, so the same table gives the same PNG
(``fig.savefig(path)``); with a seeded table the PNG is reproducible byte for byte.

Example
-------
>>> t = pd.DataFrame({"group": ["2024-01", "2024-02"] * 2, "topic": [0, 0, 1, 1], "estimate": [0.6, 0.5, 0.4, 0.5],
...                   "low": [0.5, 0.4, 0.3, 0.4], "high": [0.7, 0.6, 0.5, 0.6], "level": 0.95, "n": [10, 12] * 2})
>>> [ax.get_title() for ax in prevalence_figure(t).axes]
['topic 0', 'topic 1']
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import pandas as pd

from .plotting import plain

__all__ = ["prevalence_figure", "effect_figure"]

_BLUE, _LIGHT = "#1f4e79", "#7a9cc6"
_COLOURS = ["#1f4e79", "#b5562c", "#3c7a3c", "#6b4c9a", "#8c6d1f", "#2c7f8c"]


def _figure(width: float, height: float) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def _check(table: pd.DataFrame, needed: Sequence[str], what: str) -> None:
    missing = [c for c in needed if c not in table.columns]
    if missing:
        raise ValueError(f"table has no column(s) {missing}: pass the table {what} returns")
    if table.empty:
        raise ValueError("nothing to plot: the table is empty")


def _name(topic: Any, labels: dict[Any, str] | None) -> str:
    if labels and topic in labels:
        return plain(labels[topic])
    return plain(f"topic {topic}" if isinstance(topic, (int, np.integer)) else str(topic).replace("_", " "))


def _value(v: Any) -> str:
    """A covariate value as a tick: ``1`` not ``1.0``."""
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        return str(int(v))
    return plain(v)


def _panels(n: int, ncols: int, width: float, height: float, sharex: bool = False) -> Any:
    cols = max(1, min(ncols, n))
    rows = -(-n // cols)
    fig = _figure(width * cols, height * rows)
    axes = fig.subplots(rows, cols, squeeze=False, sharex=sharex).ravel()
    for ax in axes[n:]:
        fig.delaxes(ax)
    return fig, axes[:n]


def prevalence_figure(
    table: pd.DataFrame,
    *,
    hue: str | None = None,
    topics: Sequence[Any] | None = None,
    labels: dict[Any, str] | None = None,
    ncols: int = 3,
    ylabel: str = "share of posts",
    title: str = "",
) -> Any:
    """One panel per topic: the share of each group's posts with its interval.

    Groups in order along x, joined by a line with a shaded band when there are more than
    three of them (months), dots with bars otherwise. ``hue`` names a column that splits
    each panel into series (e.g. ``"who"`` after concatenating the tables for agencies and
    for the public); ``labels`` maps topics to names.

    Example
    -------
    >>> t = pd.DataFrame({"group": ["gov", "public"], "topic": ["roads"] * 2, "estimate": [0.3, 0.6],
    ...                   "low": [0.2, 0.5], "high": [0.4, 0.7], "level": 0.95, "n": [40, 50]})
    >>> fig = prevalence_figure(t, ylabel="share")
    >>> fig.axes[0].get_ylabel(), len(fig.axes[0].containers)  # one errorbar series
    ('share', 1)
    """
    _check(table, ["group", "topic", "estimate", "low", "high"], "gs.prevalence")
    chosen = list(dict.fromkeys(table["topic"])) if topics is None else list(topics)
    order = sorted(table["group"].astype(str).unique())
    series = [None] if hue is None else list(dict.fromkeys(table[hue]))
    fig, axes = _panels(len(chosen), ncols, 3.6, 2.6, sharex=True)
    x = np.arange(len(order))
    for ax, topic in zip(axes, chosen):
        for i, value in enumerate(series):
            part = (
                table[table["topic"] == topic]
                if value is None
                else table[(table["topic"] == topic) & (table[hue] == value)]
            )
            part = part.assign(_g=part["group"].astype(str)).set_index("_g").reindex(order)
            est, lo, hi = (part[c].to_numpy(dtype=float) for c in ("estimate", "low", "high"))
            colour = _COLOURS[i % len(_COLOURS)]
            label = None if value is None else plain(value)
            if len(order) > 3:
                ax.plot(x, est, marker="o", ms=2.5, lw=1.2, color=colour, label=label)
                ax.fill_between(x, lo, hi, color=colour, alpha=0.2, lw=0)
            else:
                shift = (i - (len(series) - 1) / 2) * 0.15
                ax.errorbar(
                    x + shift,
                    est,
                    yerr=[est - lo, hi - est],
                    fmt="o",
                    color=colour,
                    ecolor=colour,
                    capsize=3,
                    label=label,
                )
        ax.set_title(_name(topic, labels), fontsize=9)
        ax.set_ylabel(plain(ylabel), fontsize=8)
        ax.set_ylim(bottom=0)
        ax.grid(alpha=0.3)
    step = max(1, len(order) // 8)
    for ax in axes:
        ax.set_xticks(list(x[::step]), [plain(v) for v in order[::step]], rotation=45, ha="right", fontsize=7)
    if hue is not None:
        axes[0].legend(fontsize=7, frameon=False)
    if title:
        fig.suptitle(plain(title), fontsize=10)
    return fig


def _forest(
    ax: Any, names: list[str], est: np.ndarray, lo: np.ndarray, hi: np.ndarray, xlabel: str, zero: bool
) -> None:
    y = np.arange(len(names))
    ax.errorbar(est, y, xerr=[est - lo, hi - est], fmt="o", color=_BLUE, ecolor=_LIGHT, capsize=3)
    if zero:
        ax.axvline(0.0, color="grey", lw=1, ls="--")
    ax.set_yticks(list(y), names, fontsize=8)
    ax.set_ylim(len(names) - 0.5, -0.5)
    ax.set_xlabel(plain(xlabel), fontsize=8)
    ax.grid(axis="x", alpha=0.3)


def effect_figure(table: pd.DataFrame, *, labels: dict[Any, str] | None = None, ncols: int = 3, title: str = "") -> Any:
    """Covariate effects on topic prevalence, as stm's ``plot.estimateEffect`` draws them.

    * a :func:`govsocial.difference` table — one row per topic, the contrast with its interval
      and a dashed line at zero (stm's ``method = "difference"``);
    * an :func:`govsocial.effect_at` table over one covariate — one panel per topic: a line
      with a band for a numeric covariate with more than five values (``"continuous"``),
      dots with bars otherwise (``"pointestimate"``);
    * an :func:`govsocial.estimate_effect` table — one panel per term (the intercept left
      out), a row per topic.

    Example
    -------
    >>> d = pd.DataFrame({"topic": [0, 1], "contrast": "gov=1 - gov=0", "estimate": [0.1, -0.1],
    ...                   "se": [0.02, 0.02], "low": [0.06, -0.14], "high": [0.14, -0.06], "level": 0.95,
    ...                   "p_value": [0.0, 0.0]})
    >>> effect_figure(d).axes[0].get_xlabel()
    'gov=1 - gov=0'
    """
    _check(table, ["topic", "estimate", "low", "high"], "gs.difference, gs.effect_at or gs.estimate_effect")
    if "contrast" in table.columns:
        fig = _figure(5.5, 0.35 * len(table) + 1.3)
        ax = fig.subplots()
        names = [_name(t, labels) for t in table["topic"]]
        est, lo, hi = (table[c].to_numpy(dtype=float) for c in ("estimate", "low", "high"))
        _forest(ax, names, est, lo, hi, str(table["contrast"].iloc[0]), True)
    elif "term" in table.columns:
        terms = [t for t in dict.fromkeys(table["term"]) if t != "(Intercept)"] or ["(Intercept)"]
        fig, axes = _panels(len(terms), ncols, 3.8, 0.3 * table["topic"].nunique() + 1.4)
        for ax, term in zip(axes, terms):
            part = table[table["term"] == term]
            est, lo, hi = (part[c].to_numpy(dtype=float) for c in ("estimate", "low", "high"))
            _forest(ax, [_name(t, labels) for t in part["topic"]], est, lo, hi, str(term), True)
    else:
        fig = _effect_at_figure(table, labels, ncols)
    if title:
        fig.suptitle(plain(title), fontsize=10)
    return fig


def _effect_at_figure(table: pd.DataFrame, labels: dict[Any, str] | None, ncols: int) -> Any:
    fixed = {"topic", "estimate", "se", "low", "high", "level", "n"}
    covariates = [c for c in table.columns if c not in fixed]
    if len(covariates) != 1:
        raise ValueError(
            f"effect_figure draws effect_at tables over one covariate; this one varies {covariates}: "
            "filter it to one setting of the others first"
        )
    var = covariates[0]
    topics = list(dict.fromkeys(table["topic"]))
    values = table[var]
    continuous = pd.api.types.is_numeric_dtype(values) and values.nunique() > 5
    fig, axes = _panels(len(topics), ncols, 3.4, 2.5)
    for ax, topic in zip(axes, topics):
        part = table[table["topic"] == topic]
        est, lo, hi = (part[c].to_numpy(dtype=float) for c in ("estimate", "low", "high"))
        if continuous:
            order = np.argsort(part[var].to_numpy(dtype=float), kind="stable")
            xs = part[var].to_numpy(dtype=float)[order]
            ax.plot(xs, est[order], color=_BLUE, lw=1.3)
            ax.fill_between(xs, lo[order], hi[order], color=_LIGHT, alpha=0.35, lw=0)
        else:
            x = np.arange(len(part))
            ax.errorbar(x, est, yerr=[est - lo, hi - est], fmt="o", color=_BLUE, ecolor=_LIGHT, capsize=3)
            ax.set_xticks(list(x), [_value(v) for v in part[var]], fontsize=8)
        ax.set_title(_name(topic, labels), fontsize=9)
        ax.set_xlabel(plain(var), fontsize=8)
        ax.set_ylabel("expected topic proportion", fontsize=8)
        ax.grid(alpha=0.3)
    return fig

"""The synthetic corpus's planted truth, and the checks that compare a study's estimates
with it. The generator writes ``truth.csv.gz`` (one row per post: planted theme, topic,
request, dispute, correction) and ``effects.json`` (the planted engagement effects, each
agency's response behaviour, the realised theme shares); :func:`load_truth` reads them
and every ground-truth check of the studies lives here, so that nothing else in the
package knows the generator's files.

Each check returns rows ``experiment, quantity, planted, estimate, low, high, level, n,
recovered, criterion`` for the report's ground-truth table (the estimate's interval and its
number of units as in every table, NaN where the estimate has none).

Example
-------
>>> import tempfile
>>> load_truth(tempfile.mkdtemp()) is None  # no planted truth in an empty folder
True
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["PlantedTruth", "load_truth"]

Row = dict[str, Any]
_NONE = {"low": np.nan, "high": np.nan, "level": np.nan, "n": np.nan}


def _row(
    experiment: str, quantity: str, planted: Any, estimate: Any, bounds: dict[str, Any], recovered: bool, criterion: str
) -> Row:
    return {
        "experiment": experiment,
        "quantity": quantity,
        "planted": planted,
        "estimate": estimate,
        **{k: bounds[k] for k in ("low", "high", "level", "n")},
        "recovered": recovered,
        "criterion": criterion,
    }


@dataclass(frozen=True)
class PlantedTruth:
    """``posts``: truth.csv.gz indexed by post_id; ``effects``: effects.json.

    Example
    -------
    >>> t = PlantedTruth(pd.DataFrame({"theme": ["a"]}, index=["1"]), {"realised_theme_shares": {"a": 0.5}})
    >>> t.planted("theme", ["1", "2"]).tolist()
    ['a', nan]
    """

    posts: pd.DataFrame
    effects: dict[str, Any]

    #: the codebook whose themes the generator planted
    codebook = "oecd"

    def planted(self, column: str, post_ids: Any) -> pd.Series:
        """The planted ``column`` of each post in ``post_ids`` (missing where none was planted)."""
        return self.posts[column].reindex(pd.Index(post_ids).astype(str))

    def theme_shares(self, overall: pd.DataFrame) -> list[Row]:
        """Estimated shares (``theme, estimate, low, high, level, n``) against the realised ones:
        recovered within 3 points.

        Example
        -------
        >>> t = PlantedTruth(pd.DataFrame(), {"realised_theme_shares": {"a": 0.5}})
        >>> est = pd.DataFrame({"theme": ["a"], "estimate": [0.52], "low": [0.4], "high": [0.6], "level": 0.95,
        ...                     "n": [90]})
        >>> bool(t.theme_shares(est)[0]["recovered"])
        True
        """
        planted = self.effects["realised_theme_shares"]
        rows = []
        for row in overall.itertuples():
            if row.theme in planted:
                diff = row.estimate - planted[row.theme]
                rows.append(
                    _row(
                        "uses",
                        f"share of posts: {row.theme}",
                        planted[row.theme],
                        row.estimate,
                        row._asdict(),
                        abs(diff) <= 0.03,
                        "within 3 points",
                    )
                )
        return rows

    def transparency_shares(self, table: pd.DataFrame, post_ids: Any, groups: Any, by: str) -> list[Row]:
        """Estimated shares of transparent posts per group (``table``: ``<by>, estimate, low,
        high, level, n``) against the planted expected share of the group's posts (the mean of
        their ``transparency_prob``, the probability the generator gave each of being
        transparent): recovered inside the 95 % interval. ``groups``: the group of each post
        in ``post_ids``. No rows for a corpus generated without transparency.

        Example
        -------
        >>> t = PlantedTruth(pd.DataFrame({"transparency_prob": [0.2, 0.4, 1.0]}, index=["1", "2", "3"]), {})
        >>> est = pd.DataFrame({"agency": ["A", "B"], "estimate": [0.25, 0.5], "low": [0.1, 0.6], "high": [0.4, 0.9],
        ...                     "level": 0.95, "n": [2, 1]})
        >>> [(r["planted"], r["recovered"]) for r in t.transparency_shares(est, ["1", "2", "3"], ["A", "A", "B"], "agency")]
        [(0.3, True), (1.0, False)]
        """
        if "transparency_prob" not in self.posts.columns:
            return []
        prob = pd.to_numeric(self.planted("transparency_prob", post_ids), errors="coerce").to_numpy()
        frame = pd.DataFrame({"group": np.asarray(groups, dtype=object), "prob": prob}).dropna()
        planted = frame.groupby("group")["prob"].mean()
        rows = []
        for row in table.itertuples():
            group = getattr(row, by)
            if group not in planted.index:
                continue
            value = round(float(planted[group]), 6)
            rows.append(
                _row(
                    "uses",
                    "share of transparent posts" if by == "scope" else f"share of transparent posts, {by} {group}",
                    value,
                    row.estimate,
                    row._asdict(),
                    bool(row.low <= value <= row.high),
                    "planted expected share inside the 95 % interval",
                )
            )
        return rows

    def topic_agreement(self, nmi: float) -> list[Row]:
        """NMI of the fitted topics with the planted ones: recovered at 0.3 or more.

        Example
        -------
        >>> PlantedTruth(pd.DataFrame(), {}).topic_agreement(0.5)[0]["recovered"]
        True
        """
        return [
            _row(
                "topics",
                "NMI of topics with the planted topics",
                1.0,
                nmi,
                _NONE,
                nmi >= 0.3,
                "NMI ≥ 0.3 (all posts, incl. chatter without topic words)",
            )
        ]

    def engagement(self, irr: pd.DataFrame) -> list[Row]:
        """Incidence-rate ratios (``outcome, term, estimate, low, high, level, n``) against the planted
        theme effects relative to providing information: recovered inside the interval.

        Example
        -------
        >>> eff = {"engagement": {"theme": {"likes": {"providing_information": 0.0, "x": 0.0}}}}
        >>> irr = pd.DataFrame({"outcome": ["likes"], "term": ["x"], "estimate": [1.1], "low": [0.9], "high": [1.3],
        ...                     "level": 0.95, "n": [500]})
        >>> PlantedTruth(pd.DataFrame(), eff).engagement(irr)[0]["recovered"]
        True
        """
        planted = self.effects["engagement"]["theme"]
        rows = []
        for row in irr.itertuples():
            value = planted[row.outcome].get(row.term)
            if value is None:
                continue
            true_irr = float(np.exp(value - planted[row.outcome]["providing_information"]))
            rows.append(
                _row(
                    "engagement",
                    f"IRR {row.outcome}: {row.term}",
                    true_irr,
                    row.estimate,
                    row._asdict(),
                    bool(row.low <= true_irr <= row.high),
                    "inside the 95 % interval",
                )
            )
        return rows

    def response_rates(self, requests: pd.DataFrame) -> list[Row]:
        """Each agency's share of answered requests (``addressed_account_id,
        request_type, answered``) against its planted response probabilities: recovered
        within 3 standard errors (plus a continuity allowance).

        Example
        -------
        >>> eff = {"agencies": [{"account_id": "9", "handle": "A", "response_prob_question": 1.0,
        ...                      "response_prob_complaint": 1.0}]}
        >>> req = pd.DataFrame({"addressed_account_id": ["9"], "request_type": ["question"], "answered": [True]})
        >>> bool(PlantedTruth(pd.DataFrame(), eff).response_rates(req)[0]["recovered"])
        True
        """
        agencies = {a["account_id"]: a for a in self.effects["agencies"]}
        rows = []
        for agency_id, part in requests.groupby("addressed_account_id"):
            spec = agencies.get(str(agency_id))
            if spec is None:
                continue
            p = np.where(
                part["request_type"] == "question", spec["response_prob_question"], spec["response_prob_complaint"]
            )
            expected, n = float(p.mean()), len(part)
            se = float(np.sqrt((p * (1 - p)).sum()) / n)
            rate = float(part["answered"].mean())
            tolerance = 3 * se + 1.5 / n
            rows.append(
                _row(
                    "responsiveness",
                    f"response rate: {spec['handle']}",
                    expected,
                    rate,
                    {**_NONE, "n": n},
                    abs(rate - expected) <= tolerance,
                    f"within 3 standard errors (± {tolerance:.3f})",
                )
            )
        return rows

    def risks(self, corrections: int, disputes: int) -> list[Row]:
        """Corrections and disputing replies found against those planted: every
        correction, and disputes within 10 %.

        Example
        -------
        >>> t = PlantedTruth(pd.DataFrame({"is_correction": [1, 0], "is_dispute": [0, 1]}), {})
        >>> [r["recovered"] for r in t.risks(corrections=1, disputes=1)]
        [True, True]
        """
        planted = int((self.posts["is_correction"] == 1).sum())
        planted_d = int((self.posts["is_dispute"] == 1).sum())
        return [
            _row("risks", "agency corrections found", planted, corrections, _NONE, corrections == planted, "all found"),
            _row(
                "risks",
                "disputing replies found",
                planted_d,
                disputes,
                _NONE,
                abs(disputes - planted_d) <= 0.1 * planted_d,
                "within 10 %",
            ),
        ]


def load_truth(folder: str | Path | None) -> PlantedTruth | None:
    """The planted truth in ``folder`` (written by :func:`govsocial.data.synth.generate`),
    or None when the folder holds no ``truth.csv.gz`` and ``effects.json``.

    Example
    -------
    >>> load_truth(None) is None
    True
    """
    if not folder:
        return None
    folder = Path(folder)
    if not (folder / "truth.csv.gz").exists() or not (folder / "effects.json").exists():
        return None
    posts = pd.read_csv(
        folder / "truth.csv.gz", dtype={"post_id": str, "account_id": str, "addressed_account_id": str}
    ).set_index("post_id")
    return PlantedTruth(posts, json.loads((folder / "effects.json").read_text()))

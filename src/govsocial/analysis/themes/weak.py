"""Rule labels from theme evidence, and which of them to teach a classifier (weak supervision).

A post's *rule label* is the theme with most evidence, or the codebook's default theme
(its first) when no theme reaches ``min_evidence``. Self-training a classifier on every
rule label (``"all"``) teaches it the rule back: its features contain the seed words the
rule was computed from, so it reproduces the rule on nearly every post and repeats its
mistakes. ``"confident"`` teaches it only the posts the rule is sure of — the top theme
leads the runner-up by at least ``min_evidence`` (the amount of evidence the codebook
asks for to leave the default), and the posts left in the default theme — so the
classifier carries the clear cases' vocabulary to the ambiguous ones (self-training on
confident examples: Yarowsky 1995; McCallum & Nigam 1999, "Text classification by
bootstrapping with keywords, EM and shrinkage").

Both verbs take the evidence as a table (posts × themes, e.g. from
:func:`~govsocial.analysis.themes.cues.keyword_evidence`; the labels then come back as a
Series indexed like it) or as an array with the theme ``names``.

Example
-------
>>> names = np.array(["info", "ask", "thank"], dtype=object)
>>> evidence = np.array([[0.0, 0.0, 0.0], [0.0, 2.0, 0.0], [0.0, 1.0, 1.0], [1.0, 3.0, 0.0]])
>>> rule_labels(evidence, names, 1.0).tolist()
['info', 'ask', 'ask', 'ask']
>>> training_mask(evidence, 1.0, "confident").tolist()
[True, True, False, True]
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import pandas as pd

__all__ = ["SELF_TRAINING", "rule_labels", "training_mask"]

SELF_TRAINING = ("confident", "all")


def rule_labels(
    evidence: pd.DataFrame | np.ndarray, names: Sequence[Any] | np.ndarray | None = None, min_evidence: float = 1.0
) -> pd.Series | np.ndarray:
    """The theme with most evidence per post (ties: the first in codebook order), or the
    default theme ``names[0]`` when the most evidence is below ``min_evidence`` (or not
    positive). ``names``: the themes in column order (default: a table's columns). A
    table gives a Series (``rule_label``) indexed like it, an array an array.

    Example
    -------
    >>> rule_labels(np.array([[0.0, 1.0], [0.0, 0.5]]), np.array(["a", "b"], dtype=object), 1.0).tolist()
    ['b', 'a']
    >>> ev = pd.DataFrame({"info": [0.0, 0.0], "ask": [2.0, 1.0]}, index=pd.Index(["p1", "p2"], name="post_id"))
    >>> rule_labels(ev, min_evidence=1.5).to_dict()
    {'p1': 'ask', 'p2': 'info'}
    """
    if names is None:
        if not isinstance(evidence, pd.DataFrame):
            raise ValueError(
                "rule_labels needs the theme names of an evidence array: rule_labels(evidence, names) "
                "(or pass the evidence table, whose columns are the themes)"
            )
        names = list(evidence.columns)
    names = np.asarray(names, dtype=object)
    values = np.asarray(evidence, dtype=np.float64)
    if values.ndim != 2 or values.shape[1] != len(names) or not len(names):
        raise ValueError(
            f"evidence must be posts × themes with one column per name ({len(names)} names); got shape {values.shape}"
        )
    labels = names[values.argmax(axis=1)]
    top = values.max(axis=1)
    labels[(top < float(min_evidence)) | (top <= 0)] = names[0]
    if isinstance(evidence, pd.DataFrame):
        return pd.Series(labels, index=evidence.index, name="rule_label", dtype=object)
    return labels


def training_mask(
    evidence: pd.DataFrame | np.ndarray, min_evidence: float, self_training: str = "confident", labels: Any = None
) -> pd.Series | np.ndarray:
    """Which posts' rule labels train the classifier: all, or the confident ones (a lead of
    ``min_evidence`` over the runner-up, or below ``min_evidence``: left in the default).
    With the rule ``labels``, a theme the rule gives to some posts but to no confident
    one is taught from all its posts (else the classifier could never predict it). A
    table gives a boolean Series indexed like it, an array an array.

    Example
    -------
    >>> training_mask(np.array([[2.0, 1.5], [0.5, 0.0]]), 1.0).tolist()
    [False, True]
    >>> training_mask(np.array([[2.0, 1.5], [0.5, 0.0]]), 1.0, labels=np.array(["b", "a"])).tolist()
    [True, True]
    """
    mask = _mask(np.asarray(evidence, dtype=np.float64), min_evidence, self_training, labels)
    if isinstance(evidence, pd.DataFrame):
        return pd.Series(mask, index=evidence.index, name="train")
    return mask


def _mask(evidence: np.ndarray, min_evidence: float, self_training: str, labels: Any) -> np.ndarray:
    if self_training not in SELF_TRAINING:
        raise ValueError(f"self_training must be one of {SELF_TRAINING}; got {self_training!r}")
    if self_training == "all" or evidence.ndim != 2 or evidence.shape[1] < 2:
        return np.ones(len(evidence), dtype=bool)
    ordered = -np.sort(-evidence, axis=1)
    top, runner_up = ordered[:, 0], ordered[:, 1]
    threshold = max(float(min_evidence), np.finfo(float).eps)
    mask = (top - runner_up >= threshold) | (top < threshold)
    if labels is not None:
        labels = np.asarray(labels, dtype=object)
        for value in set(labels) - set(labels[mask]):
            mask |= labels == value
    return mask

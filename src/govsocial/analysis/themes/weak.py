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

import numpy as np

__all__ = ["SELF_TRAINING", "rule_labels", "training_mask"]

SELF_TRAINING = ("confident", "all")


def rule_labels(evidence: np.ndarray, names: np.ndarray, min_evidence: float) -> np.ndarray:
    """The theme with most evidence per post (ties: the first in codebook order), or the
    default theme ``names[0]`` when the most evidence is below ``min_evidence`` (or not
    positive).

    Example
    -------
    >>> rule_labels(np.array([[0.0, 1.0], [0.0, 0.5]]), np.array(["a", "b"], dtype=object), 1.0).tolist()
    ['b', 'a']
    """
    evidence = np.asarray(evidence, dtype=np.float64)
    labels = np.asarray(names, dtype=object)[evidence.argmax(axis=1)]
    top = evidence.max(axis=1)
    labels[(top < float(min_evidence)) | (top <= 0)] = names[0]
    return labels


def training_mask(evidence: np.ndarray, min_evidence: float, self_training: str = "confident",
                  labels: np.ndarray | None = None) -> np.ndarray:
    """Which posts' rule labels train the classifier: all, or the confident ones (a lead of
    ``min_evidence`` over the runner-up, or below ``min_evidence``: left in the default).
    With the rule ``labels``, a theme the rule gives to some posts but to no confident
    one is taught from all its posts (else the classifier could never predict it).

    Example
    -------
    >>> training_mask(np.array([[2.0, 1.5], [0.5, 0.0]]), 1.0).tolist()
    [False, True]
    >>> training_mask(np.array([[2.0, 1.5], [0.5, 0.0]]), 1.0, labels=np.array(["b", "a"])).tolist()
    [True, True]
    """
    evidence = np.asarray(evidence, dtype=np.float64)
    if self_training == "all":
        return np.ones(len(evidence), dtype=bool)
    if self_training != "confident":
        raise ValueError(f"self_training must be one of {SELF_TRAINING}; got {self_training!r}")
    if evidence.shape[1] < 2:
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

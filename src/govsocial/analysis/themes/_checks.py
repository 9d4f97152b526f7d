"""Checks of a ThemeScorer's parameters, posts and labels, with messages that say what to change."""

from __future__ import annotations

import numbers
from typing import Any, Sequence

import numpy as np
import pandas as pd

from ...core.exceptions import InputError
from .codebook import Codebook, load_codebook
from .weak import SELF_TRAINING

METHODS = ("seeded", "supervised", "semi")
EXPANSIONS = ("lss", "seeded_lda", "none")


def check_scorer(scorer: Any, labels: Any) -> Codebook | None:
    """The scorer's codebook, loaded, once its parameters fit its method and the labels."""
    method = scorer.method
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}; got {method!r}")
    book = load_codebook(scorer.codebook) if scorer.codebook is not None else None
    if book is None and method == "seeded":
        raise ValueError(
            "method='seeded' needs a codebook (e.g. codebook='oecd'): its seed terms are the only information it has"
        )
    if method == "seeded" and labels is not None:
        raise ValueError(
            "method='seeded' takes no labels; use method='supervised' or 'semi' to learn from hand-coded posts"
        )
    if method != "seeded" and labels is None:
        raise ValueError(
            f"method={method!r} needs labels: fit(posts, labels) with one label per post "
            "(None for uncoded posts with method='semi')"
        )
    if method == "seeded" and (
        scorer.expansion not in EXPANSIONS or scorer.self_training not in (*SELF_TRAINING, None)
    ):
        raise ValueError(
            f"expansion must be one of {EXPANSIONS} and self_training one of {SELF_TRAINING}; "
            f"got {scorer.expansion!r} and {scorer.self_training!r}"
        )
    if not isinstance(scorer.n_topics, numbers.Integral) or scorer.n_topics < 1:
        raise ValueError(f"n_topics must be an int >= 1; got {scorer.n_topics!r}")
    for name in ("min_evidence", "topic_weight", "C"):
        value = getattr(scorer, name)
        if value is None and name == "min_evidence":  # the codebook's own
            continue
        if not isinstance(value, numbers.Real) or value < 0 or (name == "C" and value == 0):
            raise ValueError(f"{name} must be a non-negative number{' > 0' if name == 'C' else ''}; got {value!r}")
    if scorer.tokenizer is not None and not hasattr(scorer.tokenizer, "tokenize_many"):
        raise TypeError(
            f"tokenizer must be a govsocial Tokenizer (or None for the default); got {type(scorer.tokenizer).__name__}"
        )
    return book


def check_posts(posts: Any, texts: list[str]) -> None:
    """No posts to fit on: say why that usually happens."""
    if not texts:
        raise InputError(
            "no posts to fit on: "
            + ("the posts table has 0 rows" if isinstance(posts, pd.DataFrame) else "the list of texts is empty"),
            hint="if you kept only government posts (account_type == 'government'), check that "
            "their accounts are registered: read_posts(..., registry='accounts.csv'), or "
            "read_posts(..., government='all') for a file of agencies' posts only",
        )


def check_labels(labels: Sequence[Any] | None, n_posts: int, method: str) -> tuple[np.ndarray, np.ndarray, list[Any]]:
    """The labels as an array, which posts are coded (not None/NaN/NA) and the sorted classes."""
    y = np.asarray([] if labels is None else list(labels), dtype=object)
    if len(y) != n_posts:
        raise ValueError(f"{n_posts} posts but {len(y)} labels")
    coded = np.array([v is not None and not (isinstance(v, float) and np.isnan(v)) and v is not pd.NA for v in y])
    if method == "supervised" and not coded.all():
        raise ValueError(
            f"{(~coded).sum()} post(s) have no label; drop them, or use method='semi' to use uncoded posts"
        )
    classes = sorted(set(y[coded]), key=str)
    if len(classes) < 2:
        raise ValueError(f"the labels hold {len(classes)} class(es); a classifier needs at least two")
    return y, coded, classes

"""Pruning a vocabulary by document frequency, with display forms and a report of what went.

Example
-------
>>> from collections import Counter
>>> df = Counter({"flu": 2, "clinic": 2, "bus": 1})
>>> vocab, report = prune(df, df, 2, Counter({("clinic", "clinics"): 2}), min_df=2, max_df=1.0)
>>> vocab[["term", "display"]].values.tolist(), report["terms_kept"]
([['clinic', 'clinics'], ['flu', 'flu']], 2)
"""

from __future__ import annotations

import numbers
from collections import Counter
from typing import Any, Iterable

import numpy as np
import pandas as pd

from .phrases import is_special

__all__ = ["prune", "display_forms"]


def prune(
    df: Counter,
    counts: Counter,
    n_docs: int,
    surface: Counter,
    *,
    min_df: float,
    max_df: float,
    max_features: int | None = None,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The kept terms (``term``, ``display``, ``df``, ``count``, sorted by term) and a report of what was dropped.

    ``df`` and ``counts``: documents and occurrences of each term in ``n_docs`` documents;
    ``surface``: counts of ``(term, surface form)`` pairs, for display forms (may be empty);
    ``min_df``/``max_df``: an int (documents) or a float (share of documents).

    Example
    -------
    >>> vocab, report = prune(Counter({"flu": 3, "bus": 1}), Counter({"flu": 4, "bus": 1}), 3, Counter(),
    ...                       min_df=2, max_df=1.0)
    >>> vocab.values.tolist(), report["dropped_terms"]["in fewer than 2 documents (min_df=2)"]
    ([['flu', 'flu', 3, 4]], 1)
    """
    if n_docs == 0:
        raise ValueError("no documents to learn a vocabulary from (the input is empty)")
    terms = np.array(sorted(df), dtype=object)
    dfs = np.array([df[t] for t in terms], dtype=np.int64)
    cnt = np.array([counts[t] for t in terms], dtype=np.int64)
    min_docs = min_df if isinstance(min_df, numbers.Integral) else int(np.ceil(min_df * n_docs))
    max_docs = max_df if isinstance(max_df, numbers.Integral) else int(np.floor(max_df * n_docs))
    low = dfs < min_docs
    high = (dfs > max_docs) & ~low
    keep = ~low & ~high
    beyond = np.zeros_like(keep)
    if max_features is not None and keep.sum() > max_features:
        idx = np.flatnonzero(keep)
        order = idx[np.lexsort((terms[idx].astype(str), -cnt[idx]))]
        beyond[order[max_features:]] = True
        keep &= ~beyond
    if not keep.any():
        raise ValueError(
            f"no terms left after pruning {len(terms)} terms (min_df={min_df!r} → at least {min_docs} "
            f"documents, max_df={max_df!r} → at most {max_docs}); lower min_df or raise max_df"
        )
    kept = terms[keep]
    vocab = pd.DataFrame(
        {"term": kept.astype(str), "display": display_forms(kept, surface), "df": dfs[keep], "count": cnt[keep]}
    )

    def examples(mask: np.ndarray) -> list[str]:
        idx = np.flatnonzero(mask)
        top = idx[np.argsort(-cnt[idx], kind="stable")][:10]
        return terms[top].astype(str).tolist()

    report = {
        "documents": n_docs,
        "terms_seen": len(terms),
        "terms_kept": int(keep.sum()),
        "dropped_terms": {
            f"in fewer than {min_docs} documents (min_df={min_df!r})": int(low.sum()),
            f"in more than {max_docs} documents (max_df={max_df!r})": int(high.sum()),
            f"beyond max_features={max_features!r}": int(beyond.sum()),
        },
        "dropped_examples": {"min_df": examples(low), "max_df": examples(high), "max_features": examples(beyond)},
    }
    return vocab, report


def display_forms(terms: Iterable[str], surface: Counter) -> list[str]:
    """Each term's most frequent surface form (a phrase: its parts' forms), else the term itself
    (a phrase's parts joined by a space); hashtags, handles, links and emoji stay as they are.

    Example
    -------
    >>> display_forms(["servic", "mental_health", "#flu"], Counter({("servic", "services"): 3}))
    ['services', 'mental health', '#flu']
    """
    best: dict[str, tuple[int, str]] = {}
    for (norm, form), n in surface.items():
        if form and (norm not in best or (n, form) > best[norm]):
            best[norm] = (n, form)
    out = []
    for term in terms:
        if is_special(term):
            out.append(term)
            continue
        parts = term.split("_") if "_" in term and term not in best else [term]
        out.append(" ".join(best.get(p, (0, p))[1] for p in parts))
    return out

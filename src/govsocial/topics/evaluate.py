"""How good are the topics? Coherence, diversity, stability across seeds, agreement with labels.

Example
-------
>>> agreement([0, 0, 1, 1], [1, 1, 0, 0])
{'nmi': 1.0, 'ari': 1.0, 'purity': 1.0}
>>> diversity([["flu", "vaccine"], ["bus", "flu"]])
0.75
"""

from __future__ import annotations

import math
from itertools import combinations
from typing import Any, Sequence

import numpy as np
import pandas as pd

from ..text.dtm import DocTermMatrix
from .models.base import TopicModel

__all__ = ["topic_words", "coherence", "diversity", "stability", "agreement", "purity"]

MEASURES = ("c_npmi", "c_v", "u_mass", "c_uci")


def topic_words(
    model: TopicModel | Sequence[Sequence[str]], top_n: int = 10, *, occupied_only: bool = True
) -> list[list[str]]:
    """Top terms (not display forms) of each topic; a list of word lists passes through.

    Topics that hold no posts (``model.occupied_topics_``: a DMM's dead clusters) are left
    out when ``occupied_only``.

    Example
    -------
    >>> topic_words([["a", "b", "c"]], top_n=2)
    [['a', 'b']]
    """
    if isinstance(model, TopicModel):
        words = model.top_words(top_n, display=False)
        if occupied_only:
            words = [w for w, used in zip(words, model.occupied_topics_) if used]
        return words
    return [list(t)[:top_n] for t in model]


def _texts(reference: Any) -> list[list[str]]:
    if isinstance(reference, DocTermMatrix):
        return reference.texts()
    if isinstance(reference, pd.Series):
        return [list(t) for t in reference]
    return [list(t) for t in reference]


def coherence(
    model: TopicModel | Sequence[Sequence[str]],
    reference: Any,
    *,
    measure: str = "c_npmi",
    top_n: int = 10,
    window_size: int | None = None,
) -> pd.DataFrame:
    """Per-topic coherence with gensim's ``CoherenceModel``; a tidy table, NaN where undefined.

    ``reference`` is a DocTermMatrix (its posts as term lists), a Series of token
    lists or a list of token lists, in the same vocabulary as the topics (for
    stemmed tokens, the model's terms). Topic words missing from the reference are
    dropped (and counted in ``missing``); a topic with fewer than two words left, or
    a result gensim returns as NaN or infinite, gets NaN instead of breaking the mean.

    Example
    -------
    >>> texts = [["flu", "vaccine", "clinic"], ["flu", "vaccine"], ["bus", "train"], ["bus", "train", "delay"]]
    >>> table = coherence([["flu", "vaccine"], ["bus", "train"]], texts, measure="u_mass")
    >>> table.columns.tolist(), len(table)
    (['topic', 'measure', 'coherence', 'words', 'missing'], 2)
    """
    from gensim.corpora import Dictionary
    from gensim.models.coherencemodel import CoherenceModel

    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {MEASURES}; got {measure!r}")
    topics = topic_words(model, top_n)
    texts = _texts(reference)
    if not texts:
        raise ValueError("the reference corpus is empty; pass the tokenised posts the model was fitted on")
    dictionary = Dictionary(texts)
    known = dictionary.token2id
    kept = [[w for w in t if w in known] for t in topics]
    rows = []
    usable = [i for i, t in enumerate(kept) if len(t) >= 2]
    scores: dict[int, float] = {}
    if usable:
        kwargs: dict[str, Any] = {
            "topics": [kept[i] for i in usable],
            "dictionary": dictionary,
            "coherence": measure,
            "topn": top_n,
            "processes": 1,
        }
        if measure == "u_mass":
            kwargs["corpus"] = [dictionary.doc2bow(t) for t in texts]
        else:
            kwargs["texts"] = texts
        if window_size is not None:
            kwargs["window_size"] = window_size
        values = CoherenceModel(**kwargs).get_coherence_per_topic()
        scores = {i: float(v) for i, v in zip(usable, values)}
    for i, (topic, words) in enumerate(zip(topics, kept)):
        value = scores.get(i, math.nan)
        if not math.isfinite(value):
            value = math.nan
        rows.append(
            {
                "topic": i,
                "measure": measure,
                "coherence": value,
                "words": " ".join(topic),
                "missing": len(topic) - len(words),
            }
        )
    return pd.DataFrame(rows, columns=["topic", "measure", "coherence", "words", "missing"])


def diversity(model: TopicModel | Sequence[Sequence[str]], top_n: int = 25) -> float:
    """Topic diversity (Dieng, Ruiz & Blei 2020): share of unique words among all topics' top ``top_n``.

    Example
    -------
    >>> diversity([["a", "b"], ["a", "b"]])
    0.5
    """
    topics = topic_words(model, top_n)
    total = sum(len(t) for t in topics)
    return float(len({w for t in topics for w in t}) / total) if total else math.nan


def _match(a: list[list[str]], b: list[list[str]]) -> np.ndarray:
    sim = np.array([[len(set(x) & set(y)) / len(set(x) | set(y)) if (x or y) else 1.0 for y in b] for x in a])
    return _hungarian(sim)


def _hungarian(sim: np.ndarray) -> np.ndarray:
    from scipy.optimize import linear_sum_assignment

    rows, cols = linear_sum_assignment(-sim)
    return sim[rows, cols]


def _cosine(a: TopicModel, b: TopicModel) -> np.ndarray:
    A, B = np.asarray(a.components_, dtype=np.float64), np.asarray(b.components_, dtype=np.float64)
    if A.shape[1] != B.shape[1] or getattr(a, "terms_", None) != getattr(b, "terms_", None):
        raise ValueError("cosine stability needs models fitted on the same vocabulary; use method='words'")
    A = A / np.linalg.norm(A, axis=1, keepdims=True)
    B = B / np.linalg.norm(B, axis=1, keepdims=True)
    return _hungarian(A @ B.T)


def stability(
    models: Sequence[TopicModel | Sequence[Sequence[str]]], top_n: int = 10, *, method: str = "words"
) -> pd.DataFrame:
    """Agreement of topics across runs (e.g. seeds): for each pair of runs, topics are matched
    one-to-one by the Hungarian algorithm, on the Jaccard overlap of their top words
    (``method="words"``) or on the cosine similarity of their word distributions
    (``method="cosine"``, fitted models on one vocabulary); the table gives the mean and
    the worst matched similarity per pair.

    Example
    -------
    >>> stability([[["a", "b"], ["c", "d"]], [["c", "d"], ["a", "e"]]])[["mean", "worst"]].values.tolist()
    [[0.6666666666666666, 0.3333333333333333]]
    """
    if len(models) < 2:
        raise ValueError(f"stability needs at least two fitted runs; got {len(models)}")
    if method not in ("words", "cosine"):
        raise ValueError(f"method must be 'words' or 'cosine'; got {method!r}")
    fitted = [m for m in models if isinstance(m, TopicModel)]
    if method == "cosine" and len(fitted) < len(models):
        raise ValueError("method='cosine' needs fitted models, not word lists")
    words = [topic_words(m, top_n) for m in models] if method == "words" else []
    rows = []
    for i, j in combinations(range(len(models)), 2):
        matched = _match(words[i], words[j]) if method == "words" else _cosine(fitted[i], fitted[j])
        rows.append(
            {
                "run_a": i,
                "run_b": j,
                "mean": float(matched.mean()),
                "worst": float(matched.min()),
                "matched": len(matched),
            }
        )
    return pd.DataFrame(rows)


def purity(labels_true: Sequence[Any], labels_pred: Sequence[Any]) -> float:
    """Share of posts whose predicted cluster's majority label is their own label.

    Example
    -------
    >>> purity(["a", "a", "b", "b"], [0, 0, 0, 1])
    0.75
    """
    table = pd.crosstab(pd.Series(list(labels_pred), name="pred"), pd.Series(list(labels_true), name="true"))
    return float(table.max(axis=1).sum() / table.to_numpy().sum()) if table.size else math.nan


def agreement(labels_true: Sequence[Any], labels_pred: Sequence[Any]) -> dict[str, float]:
    """NMI, ARI (scikit-learn) and purity of topic assignments against known labels.

    Example
    -------
    >>> agreement(["x", "x", "y"], [0, 1, 1])["purity"]
    0.6666666666666666
    """
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    if len(labels_true) != len(labels_pred):
        raise ValueError(f"labels_true has {len(labels_true)} values but labels_pred has {len(labels_pred)}")
    return {
        "nmi": float(normalized_mutual_info_score(labels_true, labels_pred)),
        "ari": float(adjusted_rand_score(labels_true, labels_pred)),
        "purity": purity(labels_true, labels_pred),
    }

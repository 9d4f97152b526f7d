"""Choosing the number of topics: held-out likelihood and a table of every metric per K and seed.

``select_k`` fits a model for each K and seed, and reports — without picking K for you —
the held-out log-likelihood per token (document completion), c_npmi coherence, topic
diversity, stability across seeds and, when labels are given, NMI with them. These
pull in different directions (likelihood keeps rising with K while coherence and
diversity fall), so the choice is a judgement the table documents; see docs/models.md.

Example
-------
>>> import govsocial as gs
>>> posts = ["flu vaccine clinic", "vaccine clinic open", "bus train delay", "train bus timetable"] * 10
>>> dtm = gs.Vectorizer(min_df=1, max_df=1.0, phrases=False).fit_transform(gs.tokenize(posts)[0])
>>> table = select_k(gs.DMM(n_iter=10), dtm, ks=[1, 2], seeds=[0, 1])
>>> table[["k", "seed"]].values.tolist()
[[1, 0], [1, 1], [2, 0], [2, 1]]
"""

from __future__ import annotations

import math
import time
from typing import Any, Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import clone

from ..core.validation import check_random_state
from ..text.dtm import DocTermMatrix
from .evaluate import agreement, coherence, diversity, stability, topic_words
from .models.base import TopicModel, check_counts

__all__ = ["held_out_log_likelihood", "select_k"]


def _split_tokens(X: sp.csr_matrix, share: float, rng: np.random.Generator) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    observed = X.copy()
    observed.data = rng.binomial(X.data.astype(np.int64), share)
    held = X.copy()
    held.data = X.data - observed.data
    return observed, held


def held_out_log_likelihood(
    model: TopicModel, X: Any, *, observed_share: float = 0.5, random_state: int | np.random.Generator | None = 0
) -> dict[str, float]:
    """Document-completion log-likelihood of new posts (Wallach et al. 2009).

    Each post's tokens are split at random: the model infers the post's topics from
    the observed part and predicts the rest. For LDA,
    :math:`\\log p(w^{held} \\mid w^{obs}) = \\sum_i \\log \\sum_k \\hat\\theta_k \\varphi_{k w_i}`
    with :math:`\\hat\\theta` from fold-in on the observed words; for DMM, which gives a post one
    topic, :math:`\\log \\sum_k p(k \\mid w^{obs}) \\prod_i \\varphi_{k w_i}` (the model's
    :meth:`~govsocial.topics.models.base.TopicModel.log_likelihood` with these weights). Posts whose
    observed part is empty use the prior topic shares (``model.topic_prior_``). NMF is not a
    probabilistic model, and the STM's and CovariateDMM's priors depend on covariates: NaN.

    Returns ``{"log_likelihood", "tokens", "per_token", "perplexity"}`` (perplexity =
    exp(−per_token)).

    Example
    -------
    >>> from govsocial.topics.models import DMM
    >>> X = sp.csr_matrix(np.array([[3, 2, 0, 0], [2, 3, 0, 0], [0, 0, 3, 2], [0, 0, 2, 3]] * 5))
    >>> m = DMM(n_components=2, n_iter=20, random_state=0).fit(X)
    >>> round(held_out_log_likelihood(m, X)["perplexity"], 1) <= 4.0
    True
    """
    if not 0 < observed_share < 1:
        raise ValueError(f"observed_share must be in (0, 1); got {observed_share!r}")
    n_terms = len(model.feature_names_in_)  # NotFittedError before fit
    Xc, _, _ = check_counts(X)
    if Xc.shape[1] != n_terms:
        raise ValueError(f"X has {Xc.shape[1]} terms but the model has {n_terms}; use the model's Vectorizer")
    nan = {"log_likelihood": math.nan, "tokens": float(Xc.sum()), "per_token": math.nan, "perplexity": math.nan}
    prior = model.topic_prior_
    if prior is None:  # NMF, STM, CovariateDMM: no prior topic shares for a post without covariates
        return nan
    rng = check_random_state(random_state)
    observed, held = _split_tokens(Xc, observed_share, rng)
    observed.eliminate_zeros()
    held.eliminate_zeros()
    weights = np.tile(prior, (Xc.shape[0], 1))
    has_obs = np.diff(observed.indptr) > 0
    if has_obs.any():
        weights[has_obs] = model.transform(observed[has_obs])
    total = model.log_likelihood(held, doc_topic=weights)
    tokens = float(held.sum())
    per_token = total / tokens if tokens else math.nan
    return {
        "log_likelihood": total,
        "tokens": tokens,
        "per_token": per_token,
        "perplexity": math.exp(-per_token) if tokens else math.nan,
    }


def select_k(
    model: TopicModel,
    X: Any,
    ks: Sequence[int] = (5, 10, 20, 40),
    seeds: Sequence[int] = (0, 1, 2),
    *,
    labels: Sequence[Any] | None = None,
    held_out: float = 0.2,
    top_n: int = 10,
    coherence_measure: str = "c_npmi",
    split_seed: int = 0,
) -> pd.DataFrame:
    """Fit ``model`` (cloned) for every K in ``ks`` and seed in ``seeds``; one row per fit.

    A share ``held_out`` of the posts (chosen with ``split_seed``) is kept out of fitting
    and scored by :func:`held_out_log_likelihood`; coherence is computed on the
    training posts. Columns: ``k, seed, n_topics_used, held_out_per_token, perplexity,
    coherence, diversity, stability_mean, stability_worst, nmi, ari, fit_seconds``
    (``nmi``/``ari`` NaN without ``labels``; stability is per K, across its seeds).

    Example
    -------
    >>> import govsocial as gs
    >>> posts = ["flu vaccine clinic", "vaccine clinic open", "bus train delay", "train bus timetable"] * 10
    >>> dtm = gs.Vectorizer(min_df=1, max_df=1.0, phrases=False).fit_transform(gs.tokenize(posts)[0])
    >>> t = select_k(gs.LDA(n_iter=20), dtm, ks=[2], seeds=[0])
    >>> sorted(t.columns)[:4]
    ['ari', 'coherence', 'diversity', 'fit_seconds']
    """
    _check_select_args(model, ks, seeds, held_out)
    y = None if labels is None else np.asarray(labels)
    train, test = _split_posts(X, y, held_out, split_seed)
    n_test = len(test)
    X_train, X_test = _rows(X, train), _rows(X, test)
    reference = X_train if isinstance(X_train, DocTermMatrix) else None
    rows: list[dict[str, Any]] = []
    fitted: dict[int, list[Any]] = {}
    for k in ks:
        for seed in seeds:
            est = clone(model).set_params(n_components=int(k), random_state=int(seed))
            start = time.perf_counter()
            est.fit(X_train)
            seconds = time.perf_counter() - start
            fitted.setdefault(int(k), []).append(est)
            ll = (
                held_out_log_likelihood(est, X_test, random_state=seed)
                if n_test
                else {"per_token": math.nan, "perplexity": math.nan}
            )
            coh = (
                float(np.nanmean(coherence(est, reference, measure=coherence_measure, top_n=top_n)["coherence"]))
                if reference is not None
                else math.nan
            )
            scores = agreement(y[train], est.labels_) if y is not None else {"nmi": math.nan, "ari": math.nan}
            rows.append(
                {
                    "k": int(k),
                    "seed": int(seed),
                    "n_topics_used": _topics_used(est),
                    "held_out_per_token": ll["per_token"],
                    "perplexity": ll["perplexity"],
                    "coherence": coh,
                    "diversity": diversity(est, top_n=min(25, top_n * 2)),
                    "nmi": scores["nmi"],
                    "ari": scores["ari"],
                    "fit_seconds": seconds,
                }
            )
    table = _with_stability(pd.DataFrame(rows), fitted, top_n)
    return table[
        [
            "k",
            "seed",
            "n_topics_used",
            "held_out_per_token",
            "perplexity",
            "coherence",
            "diversity",
            "stability_mean",
            "stability_worst",
            "nmi",
            "ari",
            "fit_seconds",
        ]
    ]


def _check_select_args(model: Any, ks: Sequence[int], seeds: Sequence[int], held_out: float) -> None:
    if not isinstance(model, TopicModel):
        raise TypeError(f"model must be a govsocial topic model (e.g. govsocial.DMM()); got {type(model).__name__}")
    if not ks or any(int(k) < 1 for k in ks):
        raise ValueError(f"ks must be topic numbers >= 1; got {list(ks)!r}")
    if not seeds:
        raise ValueError("seeds must name at least one seed")
    if not 0 <= held_out < 1:
        raise ValueError(f"held_out must be in [0, 1); got {held_out!r}")


def _split_posts(X: Any, y: np.ndarray | None, held_out: float, split_seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Training and held-out rows (sorted): a share ``held_out`` of the posts, drawn with ``split_seed``."""
    n_docs = X.X.shape[0] if isinstance(X, DocTermMatrix) else sp.csr_matrix(X).shape[0]
    if y is not None and len(y) != n_docs:
        raise ValueError(f"labels has {len(y)} values but X has {n_docs} posts")
    order = check_random_state(split_seed).permutation(n_docs)
    n_test = int(round(held_out * n_docs))
    return np.sort(order[n_test:]), np.sort(order[:n_test])


def _topics_used(model: TopicModel) -> int:
    """Occupied topics of a single-membership model; topics that are some post's largest share otherwise."""
    if model.membership == "single":
        return int(model.occupied_topics_.sum())
    return int(len(np.unique(model.labels_)))


def _with_stability(table: pd.DataFrame, fitted: dict[int, list[Any]], top_n: int) -> pd.DataFrame:
    """Add ``stability_mean`` and ``stability_worst`` per K (across its seeds; NaN for one seed)."""
    stab = {}
    for k, models in fitted.items():
        if len(models) > 1:
            s = stability([topic_words(m, top_n) for m in models], top_n=top_n)
            stab[k] = (float(s["mean"].mean()), float(s["worst"].min()))
        else:
            stab[k] = (math.nan, math.nan)
    table["stability_mean"] = table["k"].map(lambda k: stab[k][0])
    table["stability_worst"] = table["k"].map(lambda k: stab[k][1])
    return table


def _rows(X: Any, index: np.ndarray) -> Any:
    if isinstance(X, DocTermMatrix):
        return DocTermMatrix(X.X[index], X.post_ids[index], X.vocab, X.report)
    return sp.csr_matrix(X)[index]

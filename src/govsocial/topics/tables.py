"""Tables that describe fitted topics: top terms by probability, FREX and relevance,
document-topic shares keyed by ``post_id``, representative posts, short labels.

Example
-------
>>> import govsocial as gs
>>> dtm = gs.Vectorizer(min_df=1, max_df=1.0, phrases=False).from_posts(
...     ["flu vaccine clinic", "vaccine clinic open", "bus train delay", "train bus timetable"] * 3)
>>> model = gs.DMM(n_components=2, n_iter=20, random_state=0).fit(dtm)
>>> sorted(topic_labels(model, n=2, by="frex"))
['train / bus', 'vaccine / clinic']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..text.dtm import DocTermMatrix
from .models.base import TopicModel

__all__ = [
    "topic_terms",
    "sage_labels",
    "doc_topics",
    "topic_labels",
    "representative_posts",
    "frex",
    "relevance",
    "pyldavis_data",
    "to_pyldavis",
]


def _ecdf_rank(values: np.ndarray) -> np.ndarray:
    """Empirical CDF of each entry within its row (share of the row's entries <= it)."""
    ranks = np.argsort(np.argsort(values, axis=1, kind="stable"), axis=1, kind="stable")
    return (ranks + 1) / values.shape[1]


def frex(model: TopicModel, weight: float = 0.7) -> np.ndarray:
    """FREX scores (Bischof & Airoldi 2012; Roberts et al., stm): harmonic mean of a word's
    exclusivity and frequency ranks within each topic, ``weight`` on exclusivity.

    .. math:: \\mathrm{FREX}_{kw} = \\Big(\\frac{w}{F_k(\\varphi_{kw}/\\sum_j \\varphi_{jw})} + \\frac{1-w}{F_k(\\varphi_{kw})}\\Big)^{-1}

    Example
    -------
    >>> class M(TopicModel):
    ...     pass
    >>> m = M(); m.components_ = np.array([[0.5, 0.4, 0.1], [0.1, 0.1, 0.8]])
    >>> frex(m).argmax(axis=1).tolist()
    [0, 2]
    """
    return _frex_scores(np.asarray(model.components_, dtype=np.float64), weight)


def _frex_scores(phi: np.ndarray, weight: float) -> np.ndarray:
    if not 0.0 <= weight <= 1.0:
        raise ValueError(f"weight must be a float in [0, 1]; got {weight!r}")
    exclusivity = phi / phi.sum(axis=0, keepdims=True)
    return 1.0 / (weight / _ecdf_rank(exclusivity) + (1.0 - weight) / _ecdf_rank(phi))


def relevance(model: TopicModel, term_share: np.ndarray | None = None, lam: float = 0.6) -> np.ndarray:
    """Relevance (Sievert & Shirley 2014): λ log φ_kw + (1 − λ) log(φ_kw / p_w).

    ``term_share`` is each term's share of all tokens (default: from the model's
    topics weighted equally); λ = 0.6 is the value their user study preferred.

    Example
    -------
    >>> class M(TopicModel):
    ...     pass
    >>> m = M(); m.components_ = np.array([[0.5, 0.5], [0.9, 0.1]])
    >>> relevance(m, lam=0.0).argmax(axis=1).tolist()
    [1, 0]
    """
    if not 0.0 <= lam <= 1.0:
        raise ValueError(f"lam must be a float in [0, 1]; got {lam!r}")
    phi = np.asarray(model.components_, dtype=np.float64)
    p_w = phi.mean(axis=0) if term_share is None else np.asarray(term_share, dtype=np.float64)
    with np.errstate(divide="ignore"):
        return lam * np.log(phi) + (1.0 - lam) * np.log(phi / p_w)


def topic_terms(
    model: TopicModel,
    top_n: int = 10,
    *,
    by: str = "prob",
    dtm: DocTermMatrix | None = None,
    frex_weight: float = 0.7,
    lam: float = 0.6,
) -> pd.DataFrame:
    """Tidy table of each topic's top terms: ``topic, name, rank, term, display, prob, frex, relevance``.

    ``by`` chooses the ranking: ``"prob"`` (φ), ``"frex"`` or ``"relevance"``; ``dtm``
    (the fitting matrix) gives relevance the corpus's term shares.

    Example
    -------
    >>> class M(TopicModel):
    ...     pass
    >>> m = M(); m.components_ = np.array([[0.6, 0.3, 0.1]]); m._remember_terms(["a", "b", "c"], None, 3)
    >>> topic_terms(m, top_n=2)[["topic", "rank", "term", "prob"]].values.tolist()
    [[0, 1, 'a', 0.6], [0, 2, 'b', 0.3]]
    """
    if by not in ("prob", "frex", "relevance"):
        raise ValueError(f"by must be 'prob', 'frex' or 'relevance'; got {by!r}")
    phi = np.asarray(model.components_, dtype=np.float64)
    share = None
    if dtm is not None:
        counts = dtm.vocab["count"].to_numpy(dtype=np.float64)
        share = counts / counts.sum()
    scores = {"prob": phi, "frex": frex(model, frex_weight), "relevance": relevance(model, share, lam)}
    order = np.argsort(-scores[by], axis=1, kind="stable")[:, :top_n]
    names = getattr(model, "topic_names_", None) or [f"topic_{k}" for k in range(phi.shape[0])]
    rows = []
    for k, row in enumerate(order):
        for rank, j in enumerate(row, start=1):
            rows.append(
                {
                    "topic": k,
                    "name": names[k],
                    "rank": rank,
                    "term": model.terms_[j],
                    "display": model.display_[j],
                    "prob": float(phi[k, j]),
                    "frex": float(scores["frex"][k, j]),
                    "relevance": float(scores["relevance"][k, j]),
                }
            )
    return pd.DataFrame(rows)


def sage_labels(model: TopicModel, n: int = 7, *, frex_weight: float = 0.5) -> pd.DataFrame:
    """Top words of an STM with a content covariate (stm's ``sageLabels``), as a tidy table:
    ``topic, name, kind, aspect, rank, term, display, weight``.

    ``kind`` is ``"marginal_prob"`` / ``"marginal_frex"`` (the marginal β, ``components_``),
    ``"kappa"`` (the topic's own deviation κ⁽ᵗ⁾, largest first; only words with κ > 0.001, as
    stm shows), ``"kappa_m"`` (ranked by m + κ⁽ᵗ⁾, same threshold), and ``"aspect_prob"`` /
    ``"aspect_frex"`` (each level's β, with ``aspect`` the level; None for the others).
    ``weight`` is the probability, FREX score or κ that ranks the word. FREX uses
    ``frex_weight`` = 0.5 on exclusivity, as stm's ``sageLabels``.

    Example
    -------
    >>> import scipy.sparse as sp
    >>> from govsocial.topics.models import STM
    >>> X = sp.csr_matrix(np.array([[4, 3, 0, 0, 1], [3, 4, 1, 0, 0], [0, 0, 4, 3, 1], [0, 1, 3, 4, 0]] * 5))
    >>> side = pd.DataFrame({"side": ["a", "b"] * 10})
    >>> table = sage_labels(STM(2, content="side").fit(X, covariates=side), n=2)
    >>> sorted(table["kind"].unique())
    ['aspect_frex', 'aspect_prob', 'kappa', 'kappa_m', 'marginal_frex', 'marginal_prob']
    >>> table[table.kind == "aspect_prob"].groupby("aspect").size().to_dict()
    {'a': 4, 'b': 4}
    """
    betas = getattr(model, "aspect_components_", None)
    if betas is None:
        raise ValueError(
            "sage_labels needs an STM fitted with a content covariate (STM(..., content='~ rating')); "
            "for other models use topic_terms"
        )
    n = int(n)
    names = getattr(model, "topic_names_", None) or [f"topic_{k}" for k in range(betas.shape[1])]
    rows: list[dict] = []

    def add(kind: str, aspect: str | None, scores: np.ndarray, keep: np.ndarray | None = None) -> None:
        order = np.argsort(-scores, axis=1, kind="stable")[:, :n]
        for k, row in enumerate(order):
            shown = row if keep is None else row[keep[k, row]]
            for rank, j in enumerate(shown, start=1):
                rows.append(
                    {
                        "topic": k,
                        "name": names[k],
                        "kind": kind,
                        "aspect": aspect,
                        "rank": rank,
                        "term": model.terms_[j],
                        "display": model.display_[j],
                        "weight": float(scores[k, j]) if kind != "kappa_m" else float(model.kappa_topic_[k, j]),
                    }
                )

    marginal = np.asarray(model.components_, dtype=np.float64)
    add("marginal_prob", None, marginal)
    add("marginal_frex", None, _frex_scores(marginal, frex_weight))
    kappa = np.asarray(model.kappa_topic_, dtype=np.float64)
    add("kappa", None, kappa, keep=kappa > 1e-3)
    add("kappa_m", None, np.asarray(model.kappa_m_)[None, :] + kappa, keep=kappa > 1e-3)
    for level, beta in zip(model.aspect_levels_, np.asarray(betas, dtype=np.float64)):
        add("aspect_prob", level, beta)
        add("aspect_frex", level, _frex_scores(beta, frex_weight))
    return pd.DataFrame(rows, columns=["topic", "name", "kind", "aspect", "rank", "term", "display", "weight"])


def doc_topics(model: TopicModel, dtm: DocTermMatrix) -> pd.DataFrame:
    """Document-topic shares as a table indexed by ``post_id``, one column per topic, plus ``topic`` (argmax).

    Example
    -------
    >>> import govsocial as gs
    >>> dtm = gs.Vectorizer(min_df=1, max_df=1.0, phrases=False).from_posts(["flu shot", "bus stop"])
    >>> table = doc_topics(gs.NMF(n_components=2, random_state=0).fit(dtm), dtm)
    >>> table.index.name, table.shape
    ('post_id', (2, 3))
    """
    theta = model.transform(dtm)
    names = getattr(model, "topic_names_", None) or [f"topic_{k}" for k in range(theta.shape[1])]
    table = pd.DataFrame(theta, index=pd.Index(dtm.post_ids, name="post_id"), columns=names)
    table["topic"] = np.asarray(names, dtype=object)[theta.argmax(axis=1)]
    return table


def topic_labels(model: TopicModel, n: int = 3, *, by: str = "both") -> list[str]:
    """Readable labels from each topic's top ``n`` display forms.

    ``by="both"`` (the default) gives the most probable words and the FREX words together,
    as stm's ``labelTopics`` does — ``"prob: a, b, c | frex: d, e, f"`` — because FREX
    words alone can name a topic by rare words its posts seldom use; ``"prob"``,
    ``"frex"`` or ``"relevance"`` give one ranking joined by ``" / "``.

    Example
    -------
    >>> class M(TopicModel):
    ...     pass
    >>> m = M(); m.components_ = np.array([[0.5, 0.3, 0.2], [0.45, 0.05, 0.5]])
    >>> m._remember_terms(["care", "vaccin", "bus"], ["care", "vaccines", "bus"], 3)
    >>> topic_labels(m, n=1, by="prob")
    ['care', 'bus']
    >>> topic_labels(m, n=1)
    ['prob: care | frex: vaccines', 'prob: bus | frex: bus']
    """
    if by == "both":
        prob, frex_ = topic_labels(model, n, by="prob"), topic_labels(model, n, by="frex")
        return [f"prob: {p.replace(' / ', ', ')} | frex: {f.replace(' / ', ', ')}" for p, f in zip(prob, frex_)]
    table = topic_terms(model, top_n=n, by=by)
    return [" / ".join(group["display"]) for _, group in table.groupby("topic", sort=True)]


def _log_lik_per_token(model: TopicModel, dtm: DocTermMatrix) -> np.ndarray:
    """``log p(words of post d | topic k)`` per token, (posts × topics); NaN for empty posts."""
    phi = np.asarray(model.components_, dtype=np.float64)
    log_phi = np.log(np.maximum(phi / phi.sum(axis=1, keepdims=True), 1e-300))
    total = np.asarray(dtm.X @ log_phi.T, dtype=np.float64)
    length = np.asarray(dtm.X.sum(axis=1), dtype=np.float64).reshape(-1, 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(length > 0, total / length, np.nan)


def representative_posts(
    model: TopicModel, dtm: DocTermMatrix, posts: pd.DataFrame | None = None, n: int = 3
) -> pd.DataFrame:
    """The ``n`` posts with the highest share of each topic: ``topic, rank, post_id, share,
    log_lik_per_token[, text]``.

    Posts whose shares tie to three decimals (as tables show them — with DMM nearly every
    post has share 1.000 of its cluster) are ranked by their likelihood under the topic, ``log p(words | topic)``
    per token from the model's topic-word distribution, so the most typical posts come
    first. With ``posts``, their text is added — **redacted** of personal information, so
    the table can go into a report.

    Example
    -------
    >>> import govsocial as gs
    >>> dtm = gs.Vectorizer(min_df=1, max_df=1.0, phrases=False).from_posts(["flu shot", "bus stop", "flu clinic"])
    >>> m = gs.NMF(n_components=2, random_state=0).fit(dtm)
    >>> representative_posts(m, dtm, n=1).columns.tolist()
    ['topic', 'rank', 'post_id', 'share', 'log_lik_per_token']
    """
    theta = model.transform(dtm)
    log_lik = _log_lik_per_token(model, dtm)
    rows = []
    for k in range(theta.shape[1]):
        fit = np.nan_to_num(log_lik[:, k], nan=-np.inf)
        top = np.lexsort((-fit, -np.round(theta[:, k], 3)))[:n]  # last key first: share, then likelihood
        for rank, i in enumerate(top, start=1):
            rows.append(
                {
                    "topic": k,
                    "rank": rank,
                    "post_id": dtm.post_ids[i],
                    "share": float(theta[i, k]),
                    "log_lik_per_token": float(log_lik[i, k]),
                }
            )
    table = pd.DataFrame(rows, columns=["topic", "rank", "post_id", "share", "log_lik_per_token"])
    if posts is not None:
        from ..text.privacy import redact_column

        texts = posts.set_index("post_id")["text"]
        table["text"] = redact_column(texts.reindex(table["post_id"]).fillna(""))[0].to_numpy()
    return table


def pyldavis_data(model: TopicModel, dtm: DocTermMatrix) -> dict[str, object]:
    """The arguments of ``pyLDAvis.prepare`` for a fitted model: topic-term and
    document-topic distributions, document lengths, vocabulary (display forms) and term
    frequencies. Needs no optional package; topics with no posts (``occupied_topics_``) are left out.

    Example
    -------
    >>> import govsocial as gs
    >>> dtm = gs.Vectorizer(min_df=1, max_df=1.0, phrases=False).from_posts(["flu shot", "bus stop"] * 3)
    >>> data = pyldavis_data(gs.NMF(n_components=2, random_state=0).fit(dtm), dtm)
    >>> sorted(data), data["topic_term_dists"].shape
    (['doc_lengths', 'doc_topic_dists', 'term_frequency', 'topic_term_dists', 'vocab'], (2, 4))
    """
    theta = np.asarray(model.transform(dtm), dtype=np.float64)
    phi = np.asarray(model.components_, dtype=np.float64)
    keep = np.asarray(model.occupied_topics_)
    theta, phi = theta[:, keep], phi[keep]
    theta = theta / np.maximum(theta.sum(axis=1, keepdims=True), 1e-300)
    phi = phi / phi.sum(axis=1, keepdims=True)
    return {
        "topic_term_dists": phi,
        "doc_topic_dists": theta,
        "doc_lengths": np.asarray(dtm.X.sum(axis=1)).ravel(),
        "vocab": list(dtm.display),
        "term_frequency": np.asarray(dtm.X.sum(axis=0)).ravel(),
    }


def to_pyldavis(model: TopicModel, dtm: DocTermMatrix, **prepare_kwargs: object) -> object:
    """pyLDAvis' prepared data (``pyLDAvis.save_html(result, "topics.html")`` writes the
    interactive view). Needs the optional extra: ``pip install "govsocial[pyldavis]"``.
    Topics keep the model's order (``sort_topics=False``) unless you pass otherwise.

    Example
    -------
    >>> import govsocial as gs  # doctest: +SKIP
    >>> vis = to_pyldavis(model, dtm)  # doctest: +SKIP
    """
    try:
        import pyLDAvis
    except ImportError:
        from ..core.exceptions import MissingDependencyError

        raise MissingDependencyError("pyLDAvis", extra="pyldavis") from None
    kwargs = {"mds": "pcoa", "sort_topics": False, **prepare_kwargs}
    return pyLDAvis.prepare(**pyldavis_data(model, dtm), **kwargs)

"""Keyword-seeded LDA: named topics steered by seed words, plus free topics.

In the spirit of seeded LDA (Lu, Mei & Zhai 2011; Watanabe & Zhou 2022's *seededlda*)
and keyATM (Eshima, Imai & Sasaki 2024): each named topic's seed words get extra prior
mass in that topic's word distribution, so the sampler starts and stays near the
researcher's definition while the data fill in the rest of the vocabulary. With
``e_kw`` the extra prior of word *w* in topic *k*,

.. math::

    p(z_i = k) \\propto (n_{dk} + \\alpha_k)\\,\\frac{n_{kw} + \\beta + e_{kw}}{n_k + V\\beta + \\sum_w e_{kw}},
    \\qquad e_{kw} = \\frac{\\text{seed\\_weight}\\cdot N / K}{|S_k|} \\text{ for } w \\in S_k,

where *N* is the number of tokens, *K* the number of topics and :math:`S_k` the matched
seed terms of topic *k*: together a topic's seeds weigh ``seed_weight`` times an average
topic's size. Tokens of seed words start the sampler in their seeded topic, as in
*seededlda*. Topics beyond the seeded ones are free (plain LDA topics).
"""

from __future__ import annotations

import fnmatch
import warnings
from typing import Any, ClassVar, Mapping, Sequence

import numpy as np
import pandas as pd

from .base import check_counts
from .constraints import Int, OneOf, Real, Rule
from .dmm import DMM
from .lda import LDA

__all__ = ["SeededLDA", "SeededDMM", "SeededTopics", "match_seeds"]


def match_seeds(seeds: Mapping[str, Sequence[str]], terms: Sequence[str], tokenizer: Any = None) -> pd.DataFrame:
    """Match seed words and phrases to vocabulary terms, the way posts were tokenised.

    A seed is tokenised like the posts (so ``"vaccination"`` finds the stem
    ``vaccin``); a multi-word seed matches its phrase term (``mental_health``) when the
    vocabulary has it, otherwise each of its words; a seed ending in ``*`` matches every
    term with that prefix, as written or as the tokenizer normalises it (so ``"nurse*"``
    finds the stem ``nurs`` too). ``tokenizer`` is any ``str -> list[str]`` callable, used
    for every seed; None: the default :class:`~govsocial.text.Tokenizer`. Every seed gets
    a row: its matched terms or why none matched.

    Example
    -------
    >>> match_seeds({"health": ["vaccines", "nurse*", "zzz"]}, ["nurses", "vaccin"])[["seed", "terms", "status"]
    ...     ].values.tolist()
    [['vaccines', 'vaccin', 'matched'], ['nurse*', 'nurses', 'matched'], ['zzz', '', 'not in the vocabulary']]
    >>> match_seeds({"health": ["nurse*"]}, ["nurs", "nurseri", "nut"])["terms"].tolist()
    ['nurs nurseri']
    """
    from ...text import Tokenizer

    tokenizer = Tokenizer() if tokenizer is None else tokenizer
    vocab = set(terms)
    rows = []
    for topic, words in seeds.items():
        if isinstance(words, str):
            raise ValueError(f"seeds[{topic!r}] must be a list of words, not one string")
        for seed in words:
            matched: list[str] = []
            if seed.endswith("*"):
                patterns = _prefix_patterns(seed, tokenizer)
                matched = sorted(t for t in vocab if any(fnmatch.fnmatchcase(t, p) for p in patterns))
                status = "matched" if matched else "no term with this prefix"
            else:
                tokens = tokenizer(seed)
                if not tokens:
                    status = "removed by the tokeniser (a stopword?)"
                else:
                    phrase = "_".join(tokens)
                    if len(tokens) > 1 and phrase in vocab:
                        matched = [phrase]
                    else:
                        matched = [t for t in tokens if t in vocab]
                    status = "matched" if matched else "not in the vocabulary"
            rows.append({"topic": topic, "seed": seed, "terms": " ".join(matched), "status": status})
    return pd.DataFrame(rows, columns=["topic", "seed", "terms", "status"])


def _prefix_patterns(seed: str, tokenizer: Any) -> set[str]:
    """A prefix seed as written (lower-cased) and as the tokenizer normalises its stem, when that is one token."""
    patterns = {seed.lower()}
    tokens = tokenizer(seed[:-1]) if seed[:-1].strip() else []
    if len(tokens) == 1:
        patterns.add(tokens[0] + "*")
    return patterns


class SeededTopics:
    """What the seeded models share (a mixin before the model class): the ``seeds``,
    ``seed_weight`` and ``tokenizer`` parameters, matching seeds to the vocabulary with
    the model's ``tokenizer`` (:func:`match_seeds`), the seed priors, ``seed_report_`` and
    ``topic_names_``.

    Example
    -------
    >>> issubclass(SeededLDA, SeededTopics) and issubclass(SeededDMM, SeededTopics)
    True
    """

    seeds: Mapping[str, Sequence[str]] | None
    seed_weight: float
    tokenizer: Any
    n_components: Any
    _json_attrs = ("topic_names_",)
    #: the rules a seeded model adds to its base model's (n_components None: seeded topics + 5)
    _seeded_constraints: ClassVar[dict[str, Rule | tuple[Rule, ...]]] = {
        "n_components": (Int(1), OneOf(None)),
        "seed_weight": Real(0, low_open=True),
    }

    def _seed_priors(self, X: Any) -> tuple[Any, list[str], list[str] | None, int, np.ndarray]:
        """Check the input and the seeds; set ``seed_report_`` and ``topic_names_``; return the
        counts, terms, display forms, the number of topics and the seed priors (K × V)."""
        name = type(self).__name__
        seeds = dict(self.seeds or {})
        Xc, terms, display = check_counts(X)
        if terms is None:
            raise ValueError(
                f"{name} needs the vocabulary to match seed words: pass the DocTermMatrix from "
                "govsocial.Vectorizer, not a bare matrix"
            )
        n_seeded = len(seeds)
        K = int(self.n_components) if self.n_components is not None else n_seeded + 5
        if K < max(1, n_seeded):
            raise ValueError(
                f"n_components must be an int >= the number of seeded topics ({n_seeded}); got {self.n_components!r}"
            )
        report = match_seeds(seeds, terms, self.tokenizer)
        unmatched = report[report["status"] != "matched"]
        if len(unmatched):
            warnings.warn(
                f"{len(unmatched)} seed(s) matched no term and were not used: "
                + "; ".join(f"{r.topic}: {r.seed!r} ({r.status})" for r in unmatched.itertuples()),
                stacklevel=3,
            )
        self.seed_report_ = report
        index = {t: j for j, t in enumerate(terms)}
        extra = np.zeros((K, len(terms)))
        n_tokens = float(Xc.sum())
        for k, topic in enumerate(seeds):
            matched = sorted({t for cell in report.loc[report["topic"] == topic, "terms"] for t in cell.split()})
            if matched:
                extra[k, [index[t] for t in matched]] = float(self.seed_weight) * n_tokens / K / len(matched)
        self.topic_names_ = list(seeds) + [f"free_{i + 1}" for i in range(K - n_seeded)]
        return Xc, terms, display, K, extra


class SeededLDA(SeededTopics, LDA):
    """LDA whose first topics are named and seeded with keywords; the rest are free.

    Parameters
    ----------
    seeds: ``{topic name: [seed words or phrases, "prefix*", ...]}``.
    n_components: total number of topics (seeded + free); default: seeded topics + 5.
    seed_weight: prior mass of a topic's seeds relative to an average topic's size (> 0).
    tokenizer: how to normalise seeds; the default Tokenizer (use the one the posts were
        tokenised with).
    alpha, beta, n_iter, n_iter_transform, optimize_interval, random_state, verbose: as in
        :class:`LDA` (Gibbs engine).

    Attributes
    ----------
    topic_names_: seeded topic names, then ``free_1``, ``free_2``, ...
    seed_report_: per seed, the terms it matched or why none did (also warned about).

    Example
    -------
    >>> import govsocial as gs
    >>> posts = ["flu vaccine clinic", "vaccine clinic open", "bus train delay", "train bus timetable"] * 5
    >>> dtm = gs.Vectorizer(min_df=1, max_df=1.0, phrases=False).from_posts(posts)
    >>> m = SeededLDA({"health": ["vaccine"], "transport": ["train"]}, n_components=2, n_iter=50,
    ...               random_state=0).fit(dtm)
    >>> [m.topic_names_[k] for k in m.labels_[:4]]
    ['health', 'health', 'transport', 'transport']
    """

    def __init__(
        self,
        seeds: Mapping[str, Sequence[str]] | None = None,
        *,
        n_components: int | None = None,
        seed_weight: float = 0.1,
        tokenizer: Any = None,
        alpha: Any = 0.1,
        beta: float = 0.01,
        n_iter: int = 500,
        n_iter_transform: int = 50,
        optimize_interval: int = 10,
        random_state: int | np.random.Generator | None = None,
        verbose: bool = False,
    ) -> None:
        self.seeds = seeds
        self.n_components = n_components  # None: seeded topics + 5, fixed at fit
        self.seed_weight = seed_weight
        self.tokenizer = tokenizer
        self.alpha = alpha
        self.beta = beta
        self.n_iter = n_iter
        self.n_iter_transform = n_iter_transform
        self.optimize_interval = optimize_interval
        self.random_state = random_state
        self.verbose = verbose

    # fixed for seeded models (class attributes, not parameters)
    engine = "gibbs"
    n_jobs = 1
    _constraints = {**LDA._constraints, **SeededTopics._seeded_constraints}

    def fit(self, X: Any, y: Any = None) -> "SeededLDA":
        """Fit on a DocTermMatrix (seed words need the vocabulary's terms).

        Example
        -------
        >>> import scipy.sparse as sp
        >>> SeededLDA({"a": ["x"]}).fit(sp.csr_matrix(np.eye(2, dtype=int)))
        Traceback (most recent call last):
        ...
        ValueError: SeededLDA needs the vocabulary to match seed words: pass the DocTermMatrix from govsocial.Vectorizer, not a bare matrix
        """
        self._validate_params()
        Xc, terms, display, K, extra = self._seed_priors(X)
        self._fit_gibbs(Xc, self._alpha_vector(K), extra)  # type: ignore[arg-type]
        self.labels_ = self.doc_topic_.argmax(axis=1)
        self._remember_terms(terms, display, Xc.shape[1])
        return self


class SeededDMM(SeededTopics, DMM):
    """Dirichlet multinomial mixture (one topic per post) with named, keyword-seeded topics.

    The same seeds, matching and priors as :class:`SeededLDA`, in the DMM conditional:
    a post's probability of topic *k* uses β + e_kw for each of its words; a post
    holding seed words starts in the topic whose seeds it holds most of. Suited to
    short posts, where one theme per post is the natural unit. ``background=True`` adds
    DMM's background word distribution (words any post may use, whatever its topic).

    Example
    -------
    >>> import govsocial as gs
    >>> posts = ["flu vaccine clinic", "vaccine clinic open", "bus train delay", "train bus timetable"] * 5
    >>> dtm = gs.Vectorizer(min_df=1, max_df=1.0, phrases=False).from_posts(posts)
    >>> m = SeededDMM({"health": ["vaccine"], "transport": ["train"]}, n_components=2, n_iter=20,
    ...               random_state=0).fit(dtm)
    >>> [m.topic_names_[k] for k in m.labels_[:4]]
    ['health', 'health', 'transport', 'transport']
    """

    _constraints = {**DMM._constraints, **SeededTopics._seeded_constraints}

    def __init__(
        self,
        seeds: Mapping[str, Sequence[str]] | None = None,
        *,
        n_components: int | None = None,
        seed_weight: float = 0.1,
        tokenizer: Any = None,
        alpha: float = 0.1,
        beta: float = 0.1,
        n_iter: int = 50,
        background: bool = False,
        random_state: int | np.random.Generator | None = None,
        verbose: bool = False,
    ) -> None:
        self.seeds = seeds
        self.n_components = n_components  # None: seeded topics + 5, fixed at fit
        self.seed_weight = seed_weight
        self.tokenizer = tokenizer
        self.alpha = alpha
        self.beta = beta
        self.n_iter = n_iter
        self.background = background
        self.random_state = random_state
        self.verbose = verbose

    def fit(self, X: Any, y: Any = None) -> "SeededDMM":
        """Fit on a DocTermMatrix (seed words need the vocabulary's terms).

        Example
        -------
        >>> SeededDMM({"a": ["x"]}, n_components=0).n_components
        0
        """
        self._validate_params()  # and K against the number of seeds in _seed_priors
        Xc, terms, display, K, extra = self._seed_priors(X)
        self._fit_counts(Xc, K, extra)
        self._remember_terms(terms, display, Xc.shape[1])
        return self

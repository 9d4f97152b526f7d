"""The ``TopicModel`` interface every topic model implements, and what they share: input
checks, declared parameter rules, top words, topic sizes, likelihood, safe save/load.

Models are scikit-learn estimators: ``__init__`` only stores arguments, ``fit``
validates and learns attributes ending in ``_`` and returns ``self``.
"""

from __future__ import annotations

import numbers
from pathlib import Path
from typing import Any, ClassVar, Mapping

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.exceptions import NotFittedError

from ...text.dask import DaskDocTermMatrix
from ...text.dtm import DocTermMatrix
from ._persist import FORMAT_VERSION, load_model, write_model
from .constraints import Rule, check_params

__all__ = ["TopicModel", "check_counts", "FORMAT_VERSION", "load_model", "sweeps"]


def check_counts(
    X: Any, *, what: str = "X", integer: bool = True, empty_rows: bool = False
) -> tuple[sp.csr_matrix, list[str] | None, list[str] | None]:
    """A CSR matrix of non-negative integer counts (or, with ``integer=False``, non-negative
    weights), plus terms and display forms when X is a DocTermMatrix. Posts with no terms
    are refused unless ``empty_rows``.

    Example
    -------
    >>> Xc, terms, display = check_counts(sp.csr_matrix(np.array([[1, 0], [0, 2]])))
    >>> Xc.dtype, terms
    (dtype('int64'), None)
    """
    from sklearn.utils import check_array

    terms = display = None
    if isinstance(X, DaskDocTermMatrix):
        raise TypeError(
            f"{what} is a DaskDocTermMatrix, whose counts are on Dask workers: fit LDA or DMM with "
            "engine='dask' (which reads the blocks where they are), or gather it with .compute()"
        )
    if isinstance(X, DocTermMatrix):
        terms, display = X.terms, X.display
        X = X.X
    if isinstance(X, pd.DataFrame) and "text" in X.columns:
        raise TypeError(
            f"{what} must be a DocTermMatrix or a scipy sparse count matrix (posts × terms); got a posts "
            "table — build one with govsocial.Vectorizer().from_posts(posts)"
        )
    if isinstance(X, pd.Series) and (X.dtype == object or pd.api.types.is_string_dtype(X.dtype)):
        raise TypeError(
            f"{what} must be a DocTermMatrix or a scipy sparse count matrix (posts × terms); got a "
            "Series of texts or tokens — build one with govsocial.Vectorizer().from_posts(posts) "
            "or, from gs.tokenize's tokens, govsocial.Vectorizer().fit_transform(tokens)"
        )
    if isinstance(X, str) or (isinstance(X, (list, tuple)) and X and isinstance(X[0], str)):
        raise TypeError(
            f"{what} must be a DocTermMatrix or a scipy sparse count matrix (posts × terms); got "
            f"{type(X).__name__} of texts — build one with govsocial.Vectorizer().from_posts(posts)"
        )
    if sp.issparse(X) and (X.shape[0] == 0 or X.shape[1] == 0):
        raise ValueError(
            f"{what} is empty: 0 feature(s) (shape={X.shape}) while a minimum of 1 is required; a "
            "topic model needs at least one post with at least one term"
        )
    X = sp.csr_matrix(
        check_array(
            X,
            accept_sparse="csr",
            dtype=[np.int64, np.int32, np.float64, np.float32],
            ensure_all_finite=True,
            input_name=what,
        )
    )
    data = X.data
    if data.size and not np.all(np.isfinite(data)):
        raise ValueError(f"{what} must hold finite counts; found NaN or infinite values")
    if data.size and data.min() < 0:
        raise ValueError(f"Negative values in data passed to a topic model: {what} must hold non-negative counts")
    if not integer:
        X = X.astype(np.float64)
        X.eliminate_zeros()
        return _check_rows(X, what, empty_rows), terms, display
    if data.size and not np.all(np.equal(np.mod(data, 1), 0)):
        raise ValueError(f"{what} must hold whole-number counts (term frequencies), not weights such as TF-IDF")
    X = X.astype(np.int64)
    X.eliminate_zeros()
    return _check_rows(X, what, empty_rows), terms, display


def check_counts_or_blocks(X: Any, engine: str) -> tuple[Any, list[str] | None, list[str] | None, int]:
    """:func:`check_counts`, except that with ``engine="dask"`` a
    :class:`~govsocial.text.dask.DaskDocTermMatrix` passes through unchanged (its count blocks
    stay on the workers); returns (matrix, terms, display forms, number of terms).

    Example
    -------
    >>> X, terms, display, n_terms = check_counts_or_blocks(sp.csr_matrix(np.eye(2, dtype=int)), "gibbs")
    >>> X.shape, n_terms
    ((2, 2), 2)
    """
    if engine == "dask" and isinstance(X, DaskDocTermMatrix):
        return X, X.terms, X.display, len(X.terms)
    Xc, terms, display = check_counts(X)
    return Xc, terms, display, Xc.shape[1]


def _check_rows(X: sp.csr_matrix, what: str, empty_rows: bool = False) -> sp.csr_matrix:
    empty = np.flatnonzero(np.diff(X.indptr) == 0)
    if len(empty) and not empty_rows:
        raise ValueError(
            f"{what} has {len(empty)} post(s) with no terms (rows {empty[:5].tolist()}); drop them "
            "(Vectorizer(drop_empty=True) does) before fitting"
        )
    X.sort_indices()
    return X


def sweeps(n: int, verbose: Any, desc: str) -> Any:
    """``range(n)``, wrapped in a tqdm progress bar on stderr when ``verbose`` is true.

    Example
    -------
    >>> list(sweeps(3, False, "LDA"))
    [0, 1, 2]
    """
    if not verbose:
        return range(n)
    from tqdm.auto import tqdm

    return tqdm(range(n), desc=desc, unit="sweep", leave=False)


class TopicModel(TransformerMixin, BaseEstimator):
    """The interface of govsocial's topic models (subclassed, not used directly).

    A model declares its parameter rules in ``_constraints`` (checked by
    :meth:`_validate_params` at the start of ``fit``), learns ``components_`` (topics ×
    terms, rows sum to 1) and ``labels_`` (each training post's most probable topic), calls
    ``_remember_terms`` and implements ``transform`` (topic shares per post) and
    ``_topic_sizes``. Every fitted model then offers:

    * ``feature_names_in_``: the vocabulary's terms (ndarray of str, dtype object, as in
      scikit-learn; ``terms_`` is the same as a list; ``term_0``, … for a bare matrix);
    * ``topic_sizes_``: how many training posts each topic holds (see each model);
    * ``occupied_topics_``: which topics hold posts (``membership == "single"``: topics with
      at least one post; ``"mixed"``: every topic, as every post has a share of each);
    * ``topic_prior_``: the topic shares of a new post before its words are seen (None
      where the model has no such prior);
    * :meth:`log_likelihood`: the log-likelihood of posts' words under the fitted model.

    Example
    -------
    >>> from govsocial.topics.models import DMM
    >>> X = sp.csr_matrix(np.array([[3, 0], [0, 2], [4, 0]]))
    >>> m = DMM(n_components=3, n_iter=10, random_state=0).fit(X)
    >>> issubclass(DMM, TopicModel), m.membership, int(m.topic_sizes_.sum()), m.feature_names_in_.tolist()
    (True, 'single', 3, ['term_0', 'term_1'])
    """

    _array_attrs: tuple[str, ...] = ("components_", "labels_")
    #: fitted arrays with one entry per training post: not needed to transform new posts
    _per_post_attrs: tuple[str, ...] = ("labels_",)
    _integer_counts = True  # sampling models need whole-number counts; NMF takes any non-negative weights
    _probabilistic = True  # NMF is not: no likelihood
    #: parameter name → rule or alternative rules (see :mod:`.constraints`), checked in this order
    _constraints: ClassVar[Mapping[str, Rule | tuple[Rule, ...]]] = {}
    #: "single": each post belongs to one topic (DMM-type); "mixed": posts mix topics (LDA, STM, NMF)
    membership: ClassVar[str] = "mixed"

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.input_tags.positive_only = True
        return tags

    def _validate_params(self) -> None:
        """Check the parameters against the declared ``_constraints``; ValueError names the first bad one."""
        check_params(self, self._constraints)

    def _check_fitted(self) -> None:
        if not hasattr(self, "components_"):
            raise NotFittedError(f"this {type(self).__name__} is not fitted yet; call fit first")

    def _remember_terms(self, terms: list[str] | None, display: list[str] | None, n_terms: int) -> None:
        self.terms_ = list(terms) if terms is not None else [f"term_{j}" for j in range(n_terms)]
        self.display_ = list(display) if display is not None else list(self.terms_)
        self.n_features_in_ = n_terms

    def _check_transform_input(self, X: Any) -> sp.csr_matrix:
        self._check_fitted()
        Xc, _, _ = check_counts(X, integer=self._integer_counts)
        if Xc.shape[1] != len(self.terms_):
            raise ValueError(
                f"X has {Xc.shape[1]} features, but {type(self).__name__} is expecting "
                f"{len(self.terms_)} features as input; transform with the same Vectorizer"
            )
        return Xc

    # ------------------------------------------------------------------ the fitted interface
    @property
    def feature_names_in_(self) -> np.ndarray:
        """The terms of the vocabulary the model was fitted on (ndarray of str, dtype object)."""
        self._check_fitted()
        return np.asarray(self.terms_, dtype=object)

    @property
    def topic_sizes_(self) -> np.ndarray:
        """Training posts per topic (floats, K values summing to the number of training posts):
        counted for single-membership models, expected (Σ_d θ_dk) for LDA and STM, by largest
        share (``labels_``) for NMF and any model that does not say otherwise."""
        self._check_fitted()
        return np.asarray(self._topic_sizes(), dtype=np.float64)

    def _topic_sizes(self) -> np.ndarray:
        """Default: training posts whose most probable topic is each topic (``labels_`` counted)."""
        return np.bincount(np.asarray(self.labels_), minlength=np.asarray(self.components_).shape[0])

    @property
    def occupied_topics_(self) -> np.ndarray:
        """Which topics hold training posts (booleans, one per topic): for single-membership models
        the topics with at least one post, for mixed-membership models every topic."""
        sizes = self.topic_sizes_
        return sizes > 0 if self.membership == "single" else np.ones(len(sizes), dtype=bool)

    @property
    def topic_prior_(self) -> np.ndarray | None:
        """A new post's topic shares before its words are seen (sums to 1); None without such a prior."""
        self._check_fitted()
        return self._topic_prior()

    def _topic_prior(self) -> np.ndarray | None:
        return None

    def log_likelihood(self, X: Any, *, doc_topic: np.ndarray | None = None) -> float:
        """Log-likelihood of the posts' words given the fitted topics and each post's topic weights.

        ``doc_topic`` (posts × topics, rows summing to 1) defaults to :attr:`topic_prior_` for
        single-membership models and to ``transform(X)`` for mixed-membership ones. With
        :math:`\\varphi` = ``components_`` and :math:`w_d` a post's weights:

        * single membership (DMM, SeededDMM, CovariateDMM): each post is one topic's draw,
          :math:`\\sum_d \\log \\sum_k w_{dk} \\prod_i \\varphi_{k w_i}` (the mixture likelihood);
        * mixed membership (LDA, SeededLDA, STM): each token its own topic's draw,
          :math:`\\sum_d \\sum_i \\log \\sum_k w_{dk} \\varphi_{k w_i}`;
        * NMF is not a probabilistic model, and a single-membership model without a prior
          (CovariateDMM: π depends on covariates) has no default weights: NaN.

        The multinomial coefficients are left out (they do not depend on the model). Posts
        with no words add 0.

        Example
        -------
        >>> from govsocial.topics.models import DMM
        >>> X = sp.csr_matrix(np.array([[3, 0], [0, 2], [4, 0]]))
        >>> m = DMM(n_components=2, n_iter=10, random_state=0).fit(X)
        >>> bool(m.log_likelihood(X) < 0)
        True
        """
        self._check_fitted()
        Xc, _, _ = check_counts(X, integer=self._integer_counts, empty_rows=True)
        if Xc.shape[1] != len(self.terms_):
            raise ValueError(
                f"X has {Xc.shape[1]} terms but the model has {len(self.terms_)}; use the model's Vectorizer"
            )
        if not self._probabilistic:
            return float("nan")
        if doc_topic is None:
            prior = self._topic_prior() if self.membership == "single" else None
            if self.membership == "single" and prior is None:
                return float("nan")
            doc_topic = np.tile(prior, (Xc.shape[0], 1)) if prior is not None else self.transform(Xc)
        weights = np.asarray(doc_topic, dtype=np.float64)
        if weights.shape != (Xc.shape[0], self.components_.shape[0]):
            raise ValueError(
                f"doc_topic must have shape (posts, topics) = {(Xc.shape[0], self.components_.shape[0])}; "
                f"got {weights.shape}"
            )
        return _log_likelihood(Xc, self._word_distributions(), weights, self.membership)

    def _word_distributions(self) -> np.ndarray:
        """The topic-word probabilities the likelihood uses (``components_``; a model with a
        background word distribution mixes it in)."""
        return np.asarray(self.components_, dtype=np.float64)

    def top_words(self, n: int = 10, *, display: bool = True) -> list[list[str]]:
        """The ``n`` most probable words of each topic (readable display forms by default).

        Example
        -------
        >>> from govsocial.topics.models import DMM
        >>> X = sp.csr_matrix(np.array([[3, 0], [0, 2], [4, 0]]))
        >>> DMM(n_components=2, random_state=0).fit(X).top_words(1)  # doctest: +SKIP
        [['term_0'], ['term_1']]
        """
        self._check_fitted()
        if not isinstance(n, numbers.Integral) or n < 1:
            raise ValueError(f"n must be an int >= 1; got {n!r}")
        words = self.display_ if display else self.terms_
        order = np.argsort(-self.components_, axis=1, kind="stable")[:, :n]
        return [[words[j] for j in row] for row in order]

    def fit_transform(self, X: Any, y: Any = None, **fit_params: Any) -> np.ndarray:
        return self.fit(X, y, **fit_params).transform(X)

    # ------------------------------------------------------------------ persistence
    def save(self, path: str | Path) -> Path:
        """Save as ``<path>.json`` (parameters, terms, versions) + ``<path>.npz`` (arrays). No pickle.

        The suffixes are appended (``dmm.k16`` → ``dmm.k16.json`` + ``dmm.k16.npz``); a
        ``.json`` or ``.npz`` ending of ``path`` is dropped first; missing folders are
        created. Returns the ``.json`` path, which :func:`load_model` reads.

        Example
        -------
        >>> import tempfile, os
        >>> from govsocial.topics.models import DMM
        >>> m = DMM(n_components=2, random_state=0).fit(sp.csr_matrix(np.array([[3, 0], [0, 2]])))
        >>> p = m.save(os.path.join(tempfile.mkdtemp(), "models", "dmm.k2"))
        >>> p.name, np.array_equal(load_model(p).components_, m.components_)
        ('dmm.k2.json', True)
        """
        self._check_fitted()
        from ..._version import __version__

        arrays = {name: getattr(self, name) for name in self._array_attrs if getattr(self, name, None) is not None}
        meta = {
            "format": "govsocial-topic-model",
            "format_version": FORMAT_VERSION,
            "govsocial_version": __version__,
            "model": type(self).__name__,
            # a Generator or a live Dask client is not a parameter one can store
            "params": {
                k: v
                for k, v in self.get_params(deep=False).items()
                if not isinstance(v, np.random.Generator) and not (k == "client" and not isinstance(v, str))
            },
            "terms": self.terms_,
            "display": self.display_,
            "extra": {k: getattr(self, k) for k in getattr(self, "_json_attrs", ()) if hasattr(self, k)},
        }
        return write_model(path, meta, arrays, default=_json_default)


def _log_likelihood(X: sp.csr_matrix, phi: np.ndarray, weights: np.ndarray, membership: str) -> float:
    log_phi = np.log(np.maximum(phi, 1e-300))
    if membership == "single":
        # log Σ_k w_dk Π_i φ_k,w_i, computed stably in log space
        per_topic = np.asarray(X @ log_phi.T)  # posts × K: Σ_i log φ_k,w_i
        with np.errstate(divide="ignore"):
            scores = per_topic + np.log(weights)
        has_words = np.diff(X.indptr) > 0
        top = scores.max(axis=1, keepdims=True)
        doc_ll = top[:, 0] + np.log(np.exp(scores - top).sum(axis=1))
        return float(doc_ll[has_words].sum())
    rows = np.repeat(np.arange(X.shape[0]), np.diff(X.indptr))
    mix = np.einsum("ik,ki->i", weights[rows], phi[:, X.indices])
    return float((X.data * np.log(np.maximum(mix, 1e-300))).sum())


def _json_default(value: Any) -> Any:
    from ...text import Tokenizer

    if isinstance(value, Tokenizer):
        return {"__tokenizer__": value.get_params()}
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"cannot store {type(value).__name__} in a model file")

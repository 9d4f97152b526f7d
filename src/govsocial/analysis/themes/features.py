"""The representation a theme classifier reads: :class:`ThemeFeatures`, a scikit-learn transformer.

Blocks, side by side in this order (each as configured):

* **words** — TF-IDF of the tokenised posts' unigrams and bigrams (``a_b``), sublinear
  term frequency; words in fewer than 2 posts are left out when there are 100 posts or
  more. Always present.
* **cues** (``cues=True``) — the structural cues of :func:`~.cues.structural_cues` as 0/1.
* **evidence** (a ``codebook``) — :math:`\\log(1 + \\max(E_{dt}, 0))` of the codebook's
  keyword evidence (:func:`~.cues.keyword_evidence`).
* **topics** (``n_topics > 0``) — the topic shares of ``topic_runs`` DMMs of ``n_topics``
  topics each (seeds drawn from ``random_state``), fitted on the posts' document-term
  matrix (words in 2 posts or more and at most half of them): one run's topics depend on
  its seed, several runs steady the representation. Posts without terms get zeros.

Everything is learned from the posts given to ``fit`` — labelled or not — which is how the
``"semi"`` scorer lets uncoded posts shape the representation. One ``tokenizer`` is used
for every block.

Example
-------
>>> posts = ["Road closed on Main St today", "Take our survey on bus routes", "Road works tonight",
...          "Have your say in the survey"]
>>> features = ThemeFeatures(codebook="oecd").fit(posts)
>>> X = features.transform(posts)
>>> X.shape[0], X.shape[1] == len(features.get_feature_names_out())
(4, True)
>>> names = list(features.get_feature_names_out())
>>> bool(X[1, names.index("evidence__sourcing_ideas")] > 0), bool(X[0, names.index("evidence__sourcing_ideas")] > 0)
(True, False)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from ...core.exceptions import InputError
from ...core.validation import check_int, check_random_state
from .codebook import CUES, Codebook, load_codebook
from .cues import keyword_evidence, structural_cues, texts_of

__all__ = ["ThemeFeatures"]


class ThemeFeatures(TransformerMixin, BaseEstimator):
    """Posts → a sparse feature matrix for a theme classifier (see the module for the blocks).

    Parameters
    ----------
    codebook: a packaged codebook's name, a TOML file's path or a Codebook: adds its
        keyword evidence; None: no evidence block.
    cues: add the structural cues.
    n_topics: topics of each DMM whose shares are features; 0: no topic block.
    topic_runs: DMM runs (each with its own seed from ``random_state``).
    n_iter: Gibbs sweeps of each DMM.
    tokenizer: a :class:`~govsocial.text.Tokenizer` (default settings when None), used by
        every block.
    random_state: seed of the DMM runs.
    verbose: show the DMMs' progress.

    Attributes
    ----------
    tokenizer_: the tokenizer used. codebook_: the loaded codebook (or None).
    vectorizer_: the fitted TF-IDF vectorizer. topic_vectorizer_, topic_models_: the
    document-term vectorizer and the DMMs of the topic block (``n_topics > 0``).

    Example
    -------
    >>> f = ThemeFeatures(cues=False).fit(["road closed", "road open", "survey open"])
    >>> f.get_feature_names_out().tolist()
    ['close', 'open', 'road', 'road_close', 'road_open', 'survey', 'survey_open']
    """

    def __init__(
        self,
        codebook: str | Codebook | None = None,
        *,
        cues: bool = True,
        n_topics: int = 0,
        topic_runs: int = 3,
        n_iter: int = 50,
        tokenizer: Any = None,
        random_state: int | np.random.Generator | None = None,
        verbose: bool = False,
    ) -> None:
        self.codebook = codebook
        self.cues = cues
        self.n_topics = n_topics
        self.topic_runs = topic_runs
        self.n_iter = n_iter
        self.tokenizer = tokenizer
        self.random_state = random_state
        self.verbose = verbose

    def fit(self, posts: Any, y: Any = None) -> "ThemeFeatures":
        """Learn the vocabulary, IDF weights and topic models from ``posts`` (a posts table or
        a list of texts; ``y`` is ignored).

        Example
        -------
        >>> ThemeFeatures().fit(["road closed", "survey open"]).vectorizer_.idf_.shape
        (6,)
        """
        self.fit_transform(posts)
        return self

    def fit_transform(self, posts: Any, y: Any = None, **fit_params: Any) -> sp.csr_matrix:
        """:meth:`fit`, then the features of the same posts.

        Example
        -------
        >>> ThemeFeatures(cues=False).fit_transform(["road closed", "survey open"]).shape
        (2, 6)
        """
        from sklearn.feature_extraction.text import TfidfVectorizer

        from ...text import Tokenizer

        check_int("n_topics", self.n_topics, low=0)
        check_int("topic_runs", self.topic_runs, low=1)
        check_int("n_iter", self.n_iter, low=1)
        self.codebook_ = load_codebook(self.codebook) if self.codebook is not None else None
        self.tokenizer_ = Tokenizer() if self.tokenizer is None else self.tokenizer
        texts = texts_of(posts)
        if not texts:
            raise InputError("no posts to fit the theme features on", hint="pass a posts table with rows, or texts")
        docs = self._docs(texts)
        self.vectorizer_ = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, min_df=2 if len(docs) >= 100 else 1)
        if not any(docs):
            raise ValueError("no post has any word left after tokenising (only stopwords, links or mentions?)")
        words = self.vectorizer_.fit_transform(docs)
        dtm = self._fit_topics(texts) if self.n_topics else None
        return self._stack(words, posts, texts, dtm)

    def transform(self, posts: Any) -> sp.csr_matrix:
        """The features of ``posts`` (a posts table or a list of texts), one row per post.

        Example
        -------
        >>> f = ThemeFeatures(cues=False).fit(["road closed", "survey open"])
        >>> f.transform(["road closed again"]).toarray().round(2).tolist()
        [[0.58, 0.0, 0.58, 0.58, 0.0, 0.0]]
        """
        check_is_fitted(self, "vectorizer_", msg="these ThemeFeatures are not fitted yet; call fit first")
        texts = texts_of(posts)
        if not texts:
            return sp.csr_matrix((0, len(self.get_feature_names_out())))
        return self._stack(self.vectorizer_.transform(self._docs(texts)), posts, texts)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Words and bigrams (``a_b``), then ``cue__<cue>``, ``evidence__<theme>`` and
        ``dmm<run>__topic<k>``.

        Example
        -------
        >>> ThemeFeatures().fit(["road closed", "survey open"]).get_feature_names_out()[-2:].tolist()
        ['cue__has_link', 'cue__addresses_citizen']
        """
        check_is_fitted(self, "vectorizer_", msg="these ThemeFeatures are not fitted yet; call fit first")
        names = list(self.vectorizer_.get_feature_names_out())
        if self.cues:
            names += [f"cue__{c}" for c in CUES]
        if self.codebook_ is not None:
            names += [f"evidence__{t}" for t in self.codebook_.names]
        if self.n_topics:
            names += [f"dmm{r}__topic{k}" for r in range(int(self.topic_runs)) for k in range(int(self.n_topics))]
        return np.asarray(names, dtype=object)

    # ------------------------------------------------------------------ blocks
    def _docs(self, texts: list[str]) -> list[list[str]]:
        tokens: list[list[str]] = self.tokenizer_.tokenize_many(texts)  # type: ignore[assignment]
        return [t + [f"{a}_{b}" for a, b in zip(t, t[1:])] for t in tokens]

    def _stack(self, words: Any, posts: Any, texts: list[str], dtm: Any = None) -> sp.csr_matrix:
        blocks = [words]
        if self.cues:
            blocks.append(sp.csr_matrix(structural_cues(posts).to_numpy(dtype=np.float64)))
        if self.codebook_ is not None:
            evidence = keyword_evidence(posts, self.codebook_, tokenizer=self.tokenizer_).to_numpy()
            blocks.append(sp.csr_matrix(np.log1p(np.maximum(evidence, 0))))
        if self.n_topics:
            blocks.append(sp.csr_matrix(self._topic_shares(texts, dtm)))
        return sp.hstack(blocks).tocsr()

    def _fit_topics(self, texts: list[str]) -> Any:
        """Fit the DMM runs; returns the posts' document-term matrix."""
        from ...text.dtm import Vectorizer
        from ...topics.models import DMM

        self.topic_vectorizer_ = Vectorizer(min_df=2, max_df=0.5, tokenizer=self.tokenizer_)
        dtm = self.topic_vectorizer_.from_posts(texts)
        seeds = check_random_state(self.random_state).integers(2**31 - 1, size=int(self.topic_runs))
        self.topic_models_ = [
            DMM(
                n_components=int(self.n_topics), n_iter=int(self.n_iter), random_state=int(sd), verbose=self.verbose
            ).fit(dtm)
            for sd in seeds
        ]
        return dtm

    def _topic_shares(self, texts: list[str], dtm: Any = None) -> np.ndarray:
        """Shares of every run side by side (posts without terms: zeros); ``dtm``: the
        matrix of the posts fitted on, when it is them."""
        if dtm is None:
            dtm = self.topic_vectorizer_.transform_posts(texts)
        shares = np.zeros((len(texts), int(self.n_topics) * len(self.topic_models_)))
        if dtm.X.shape[0]:
            shares[dtm.post_ids.astype(int)] = np.hstack([m.transform(dtm) for m in self.topic_models_])
        return shares


def _identity(tokens: list[str]) -> list[str]:
    return tokens

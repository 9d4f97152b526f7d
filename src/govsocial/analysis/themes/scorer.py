"""Scoring what each post is *for*: codebook themes, with or without hand-coded labels.

``ThemeScorer(codebook="oecd", method=...)`` follows scikit-learn's conventions;
``posts`` is a posts table (its ``text`` and reply columns are used) or a list of texts.

* ``"seeded"`` — no labels. Keyword evidence (seed words, phrases and structural cues
  of the codebook, :func:`govsocial.analysis.themes.cues.keyword_evidence`) plus the seeded
  topics of a keyword-seeded LDA fitted on the corpus itself give each post a rule
  label: the theme with most evidence, or the codebook's default theme (its first)
  when the evidence is below ``min_evidence`` (one seed word alone is not enough; a
  phrase, a cue or two seed words are). A logistic regression on the posts' words is
  then trained on those rule labels and scores every post (self-training from
  keyword rules), which spreads the evidence to words the codebook did not list.
* ``"supervised"`` — ``fit(posts, labels)`` on hand-coded posts: logistic regression on
  TF-IDF unigrams and bigrams, structural cues and (when a codebook is given) its
  keyword evidence; classes are whatever the labels are.
* ``"semi"`` — ``fit(posts, labels)`` with ``None`` for uncoded posts, for the usual
  workflow of coding a few hundred posts and scoring the rest: the uncoded posts shape
  the representation — the TF-IDF vocabulary and weights, and the topic shares of three
  DMM runs (``n_topics`` each) fitted on all posts — and the classifier is then trained
  on the coded posts.

Example
-------
>>> posts = ["Have your say: take our survey on bus routes", "Road closed on Main St today, more info online",
...          "@sam sorry to hear that, please DM us", "Apply online for your permit now"] * 5
>>> scorer = ThemeScorer(method="seeded", random_state=0).fit(posts)
>>> scorer.predict(posts[:4]).tolist()
['sourcing_ideas', 'providing_information', 'responding_to_requests', 'delivering_services']
"""

from __future__ import annotations

import numbers
from typing import Any, Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin

from ...core.exceptions import InputError
from ...core.validation import check_random_state
from .agreement import classification_agreement
from .codebook import Codebook, load_codebook
from .cues import keyword_evidence, structural_cues, texts_of

__all__ = ["ThemeScorer"]

METHODS = ("seeded", "supervised", "semi")


class ThemeScorer(ClassifierMixin, BaseEstimator):
    """Score posts against a codebook's themes (or a researcher's own labels).

    Parameters
    ----------
    codebook: a packaged codebook name (``"oecd"``, ``"depaula"``, ``"mergel"``,
        ``"lovejoy_saxton"``), a path to a TOML codebook, a Codebook, or None
        (``"supervised"``/``"semi"`` only).
    method: ``"seeded"``, ``"supervised"`` or ``"semi"``.
    min_evidence: evidence a post needs to leave the default theme (seeded).
    topic_weight: weight of the seeded topic model's shares in the evidence (seeded). A
        share is at most 1, so at 0.5 the topic model can add at most half a seed word:
        it breaks ties and nudges posts with little keyword evidence, it does not
        overrule the codebook. 0 leaves the topic model out.
    C: inverse regularisation strength of the logistic regression.
    n_topics: topics of the DMM whose shares are features (semi).
    n_iter: Gibbs sweeps of the seeded topic model (seeded) or the DMM (semi).
    random_state: seed for the topic model and the solvers.

    Attributes
    ----------
    classes_: theme names (seeded) or label values.
    rule_labels_: the seeded method's keyword-rule labels of the training posts.

    Example
    -------
    >>> scorer = ThemeScorer("oecd", method="seeded", random_state=0)
    >>> scorer.fit(["Apply online for your permit", "Road closed today, more information online"] * 3
    ...            ).predict(["Apply online now"]).tolist()
    ['delivering_services']
    """

    def __init__(self, codebook: str | Codebook | None = "oecd", method: str = "seeded", *,
                 min_evidence: float = 1.5, topic_weight: float = 0.5, C: float = 1.0, n_topics: int = 20,
                 n_iter: int = 200, random_state: int | np.random.Generator | None = None) -> None:
        self.codebook = codebook
        self.method = method
        self.min_evidence = min_evidence
        self.topic_weight = topic_weight
        self.C = C
        self.n_topics = n_topics
        self.n_iter = n_iter
        self.random_state = random_state

    # ------------------------------------------------------------------ checks
    def _check(self, labels: Any) -> Codebook | None:
        if self.method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}; got {self.method!r}")
        book = load_codebook(self.codebook) if self.codebook is not None else None
        if book is None and self.method == "seeded":
            raise ValueError("method='seeded' needs a codebook (e.g. codebook='oecd'): its seed terms are the only "
                             "information it has")
        if self.method == "seeded" and labels is not None:
            raise ValueError("method='seeded' takes no labels; use method='supervised' or 'semi' to learn from "
                             "hand-coded posts")
        if self.method != "seeded" and labels is None:
            raise ValueError(f"method={self.method!r} needs labels: fit(posts, labels) with one label per post "
                             "(None for uncoded posts with method='semi')")
        if not isinstance(self.n_topics, numbers.Integral) or self.n_topics < 1:
            raise ValueError(f"n_topics must be an int >= 1; got {self.n_topics!r}")
        for name in ("min_evidence", "topic_weight", "C"):
            value = getattr(self, name)
            if not isinstance(value, numbers.Real) or value < 0 or (name == "C" and value == 0):
                raise ValueError(f"{name} must be a non-negative number{' > 0' if name == 'C' else ''}; "
                                 f"got {value!r}")
        return book

    # ------------------------------------------------------------------ features
    def _features(self, posts: Any, texts: list[str], fit: bool) -> sp.csr_matrix:
        from sklearn.feature_extraction.text import TfidfVectorizer

        tokens = self.tokenizer_.tokenize_many(texts)
        docs = [t + [f"{a}_{b}" for a, b in zip(t, t[1:])] for t in tokens]
        if fit:
            self.vectorizer_ = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, min_df=2 if len(docs) >= 100 else 1)
            if not any(docs):
                raise ValueError("no post has any word left after tokenising (only stopwords, links or mentions?)")
            words = self.vectorizer_.fit_transform(docs)
        else:
            words = self.vectorizer_.transform(docs)
        blocks = [words]
        if self.method != "seeded":
            cues = structural_cues(posts).to_numpy(dtype=np.float64)
            blocks.append(sp.csr_matrix(cues))
            if self.codebook_ is not None:
                evidence = keyword_evidence(posts, self.codebook_, tokenizer=self.tokenizer_).to_numpy()
                blocks.append(sp.csr_matrix(np.log1p(np.maximum(evidence, 0))))
        if self.method == "semi":
            blocks.append(sp.csr_matrix(self._topic_shares(texts, fit)))
        return sp.hstack(blocks).tocsr()

    def _topic_shares(self, texts: list[str], fit: bool) -> np.ndarray:
        """Shares of an unsupervised DMM fitted on all posts (posts without terms: zeros)."""
        from ...text.dtm import Vectorizer
        from ...topics.models import DMM

        K, runs = int(self.n_topics), 3
        if fit:
            self.topic_vectorizer_ = Vectorizer(min_df=2, max_df=0.5, tokenizer=self.tokenizer_)
            dtm = self.topic_vectorizer_.fit_transform(texts)
            # an ensemble of runs: one run's topics depend on its seed, and so would the scores
            seeds = check_random_state(self.random_state).integers(2**31 - 1, size=runs)
            self.topic_models_ = [DMM(n_components=K, n_iter=min(int(self.n_iter), 50), random_state=int(sd)).fit(dtm)
                                  for sd in seeds]
        else:
            dtm = self.topic_vectorizer_.transform(texts)
        shares = np.zeros((len(texts), K * runs))
        if dtm.X.shape[0]:
            shares[dtm.post_ids.astype(int)] = np.hstack([m.transform(dtm) for m in self.topic_models_])
        return shares

    def _seeded_topic_shares(self, texts: list[str], book: Codebook) -> np.ndarray:
        """Shares of the seeded topics of a SeededLDA fitted on the posts (rows: posts)."""
        import warnings

        from ...text.dtm import Vectorizer
        from ...topics.models import SeededLDA

        shares = np.zeros((len(texts), len(book)))
        dtm = Vectorizer(min_df=2, max_df=0.5, tokenizer=self.tokenizer_).fit_transform(texts)
        if dtm.X.shape[0] < 2 or dtm.X.shape[1] < 2:
            return shares
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # unmatched seeds are kept in seed_report_
            model = SeededLDA(book.seeds(), n_components=len(book) + 5, n_iter=int(self.n_iter),
                              tokenizer=self.tokenizer_, random_state=self.random_state).fit(dtm)
        self.topic_model_ = model
        shares[dtm.post_ids.astype(int)] = model.doc_topic_[:, :len(book)]
        return shares

    # ------------------------------------------------------------------ fit / predict
    def fit(self, posts: Any, labels: Sequence[Any] | None = None) -> "ThemeScorer":
        """Fit on posts (and labels for ``"supervised"`` / ``"semi"``). No posts (a table
        with 0 rows, an empty list) raise an :class:`~govsocial.core.exceptions.InputError`
        that says the likely cause: a selection of government posts when no account
        is registered.

        Example
        -------
        >>> s = ThemeScorer(codebook=None, method="supervised", random_state=0)
        >>> s.fit(["road closed", "survey open", "road works", "take the survey"], ["info", "ask", "info", "ask"]
        ...       ).classes_.tolist()
        ['ask', 'info']
        """
        from sklearn.linear_model import LogisticRegression

        from ...text import Tokenizer

        book = self._check(labels)
        self.codebook_ = book
        self.tokenizer_ = Tokenizer()
        texts = texts_of(posts)
        if not texts:
            raise InputError("no posts to fit on: " + ("the posts table has 0 rows" if isinstance(posts, pd.DataFrame)
                                                       else "the list of texts is empty"),
                             hint="if you kept only government posts (account_type == 'government'), check that "
                                  "their accounts are registered: read_posts(..., registry='accounts.csv'), or "
                                  "read_posts(..., government='all') for a file of agencies' posts only")
        seed = int(check_random_state(self.random_state).integers(2**31 - 1))
        X = self._features(posts, texts, fit=True)
        classifier = LogisticRegression(C=float(self.C), max_iter=5000, class_weight="balanced", random_state=seed)
        if self.method == "seeded":
            assert book is not None
            evidence = keyword_evidence(posts, book, tokenizer=self.tokenizer_).to_numpy()
            if self.topic_weight > 0:
                evidence = evidence + float(self.topic_weight) * self._seeded_topic_shares(texts, book)
            names = np.asarray(book.names, dtype=object)
            rule = names[evidence.argmax(axis=1)]
            rule[evidence.max(axis=1) < float(self.min_evidence)] = names[0]
            self.rule_labels_ = rule
            self.evidence_ = evidence
            self.classes_ = names
            if len(set(rule)) < 2:  # nothing to learn from: the rule is the model
                self.model_ = None
            else:
                self.model_ = classifier.fit(X, rule)
            return self
        y = np.asarray(list(labels), dtype=object)  # type: ignore[arg-type]
        if len(y) != len(texts):
            raise ValueError(f"{len(texts)} posts but {len(y)} labels")
        coded = np.array([v is not None and not (isinstance(v, float) and np.isnan(v)) and v is not pd.NA
                          for v in y])
        if self.method == "supervised" and not coded.all():
            raise ValueError(f"{(~coded).sum()} post(s) have no label; drop them, or use method='semi' to use "
                             "uncoded posts")
        classes = sorted(set(y[coded]), key=str)
        if len(classes) < 2:
            raise ValueError(f"the labels hold {len(classes)} class(es); a classifier needs at least two")
        if self.method == "supervised":
            self.model_ = classifier.fit(X, np.asarray(list(labels)))  # type: ignore[arg-type]
            self.classes_ = self.model_.classes_
            return self
        self.classes_ = np.asarray(classes, dtype=object)
        codes = np.asarray([classes.index(v) for v in y[coded]])
        self.model_ = classifier.fit(X[coded], codes)
        return self

    def predict_proba(self, posts: Any) -> pd.DataFrame:
        """Theme probabilities: one column per class, rows sum to 1, indexed like the posts
        (by ``post_id`` for a posts table that has it); no posts give no rows.

        Example
        -------
        >>> s = ThemeScorer(codebook=None, method="supervised").fit(["road works", "take survey", "road closed",
        ...                                                          "survey open"], [1, 2, 1, 2])
        >>> s.predict_proba(["road"]).shape
        (1, 2)
        """
        if not hasattr(self, "classes_"):
            from sklearn.exceptions import NotFittedError

            raise NotFittedError("this ThemeScorer is not fitted yet; call fit first")
        texts = texts_of(posts)
        if isinstance(posts, pd.DataFrame) and "post_id" in posts.columns:
            index = pd.Index(posts["post_id"], name="post_id")
        else:
            index = posts.index if isinstance(posts, (pd.DataFrame, pd.Series)) else pd.RangeIndex(len(texts))
        out = np.zeros((len(texts), len(self.classes_)))
        if self.model_ is None:  # seeded with a single rule class
            out[:, list(self.classes_).index(self.rule_labels_[0])] = 1.0
        elif texts:
            X = self._features(posts, texts, fit=False)
            proba = self.model_.predict_proba(X)
            learned = list(self.model_.classes_)
            if self.method == "semi":
                learned = [self.classes_[c] for c in learned]
            for j, c in enumerate(learned):
                out[:, list(self.classes_).index(c)] = proba[:, j]
        return pd.DataFrame(out, index=index, columns=list(self.classes_))

    def predict(self, posts: Any) -> np.ndarray:
        """The most probable theme of each post.

        Example
        -------
        >>> s = ThemeScorer(codebook=None, method="supervised").fit(["road works", "take survey", "road closed",
        ...                                                          "survey open"], ["x", "y", "x", "y"])
        >>> s.predict(["road closed again"]).tolist()
        ['x']
        """
        proba = self.predict_proba(posts)
        return np.asarray(proba.columns, dtype=object)[proba.to_numpy().argmax(axis=1)]

    def validate(self, posts: Any, labels: Sequence[Any], *, mapping: dict[Any, Any] | None = None,
                 n_boot: int = 1000, random_state: int | np.random.Generator | None = 0) -> dict[str, pd.DataFrame]:
        """Agreement of the scorer with a coder on hand-coded posts: macro-F1, accuracy and
        Krippendorff's alpha, per-class precision/recall/F1 (each with a bootstrap interval)
        and the confusion matrix. ``mapping`` maps predicted themes onto the coder's
        scheme first (e.g. the six OECD uses onto three coarser classes).

        Example
        -------
        >>> s = ThemeScorer(codebook=None, method="supervised").fit(["road works", "take survey", "road closed",
        ...                                                          "survey open"], ["x", "y", "x", "y"])
        >>> float(s.validate(["road", "survey"], ["x", "y"], n_boot=20)["summary"]["estimate"].iloc[0])
        1.0
        """
        predicted = self.predict(posts)
        if mapping is not None:
            unmapped = sorted(set(predicted) - set(mapping), key=str)
            if unmapped:
                raise ValueError(f"mapping has no entry for predicted theme(s) {unmapped}")
            predicted = np.asarray([mapping[p] for p in predicted], dtype=object)
        return classification_agreement(list(labels), predicted, n_boot=n_boot, random_state=random_state)


def _identity(tokens: list[str]) -> list[str]:
    return tokens


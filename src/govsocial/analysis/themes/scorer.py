"""Scoring what each post is *for*: codebook themes, with or without hand-coded labels.

``ThemeScorer(codebook="oecd", method=...)`` follows scikit-learn's conventions;
``posts`` is a posts table (its ``text`` and reply columns are used) or a list of texts.
It composes public verbs that each work alone, plus a logistic regression:

* the representation, :class:`~govsocial.analysis.themes.features.ThemeFeatures`;
* keyword evidence, :func:`~govsocial.analysis.themes.cues.keyword_evidence`;
* themes from the corpus, :func:`~govsocial.analysis.themes.expansion.corpus_association`
  (LSS) or :func:`~govsocial.analysis.themes.expansion.seeded_topic_shares` (a seeded LDA);
* rule labels and the confident ones to teach,
  :func:`~govsocial.analysis.themes.weak.rule_labels` and
  :func:`~govsocial.analysis.themes.weak.training_mask`.

One ``tokenizer`` (default settings when None) is used by every step.

* ``"seeded"`` — no labels. Keyword evidence (seed words, phrases and structural cues
  of the codebook) plus one seed word's worth for each theme the post is significantly
  associated with in the corpus itself (``expansion="lss"``) give each post a rule label:
  the theme with most evidence, or the codebook's default theme (its first) when the
  evidence is below the codebook's ``min_evidence``. A logistic regression on the posts'
  words (``ThemeFeatures(cues=False)``) is then trained on the confident rule labels and
  scores every post (self-training from keyword rules), which spreads the evidence to
  words the codebook did not list. ``expansion="seeded_lda", self_training="all",
  min_evidence=1.5`` is the earlier version (a seeded LDA's topic shares instead of LSS;
  every rule label taught).
* ``"supervised"`` — ``fit(posts, labels)`` on hand-coded posts: logistic regression on
  ``ThemeFeatures(codebook)``: TF-IDF unigrams and bigrams, structural cues and (when a
  codebook is given) its keyword evidence; classes are whatever the labels are.
* ``"semi"`` — ``fit(posts, labels)`` with ``None`` for uncoded posts, for the usual
  workflow of coding a few hundred posts and scoring the rest: the uncoded posts shape
  the representation — ``ThemeFeatures(codebook, n_topics=n_topics)`` fitted on all posts:
  the TF-IDF vocabulary and weights, and the topic shares of three DMM runs — and the
  classifier is then trained on the coded posts.

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
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from ...core.exceptions import InputError
from ...core.validation import check_random_state
from .active import query as _query
from .active import text_keys
from .agreement import classification_agreement
from .codebook import Codebook, load_codebook
from .cues import keyword_evidence, texts_of
from .expansion import corpus_association, seeded_topic_shares
from .features import ThemeFeatures
from .progress import Stages
from .weak import SELF_TRAINING, rule_labels, training_mask

__all__ = ["ThemeScorer"]

METHODS = ("seeded", "supervised", "semi")
EXPANSIONS = ("lss", "seeded_lda", "none")
STAGES = {"seeded": ["features", "keyword evidence", "corpus expansion", "classifier"]}


class ThemeScorer(ClassifierMixin, BaseEstimator):
    """Score posts against a codebook's themes (or a researcher's own labels).

    Parameters
    ----------
    codebook: a packaged codebook name (``"oecd"``, ``"depaula"``, ``"mergel"``,
        ``"lovejoy_saxton"``), a path to a TOML codebook, a Codebook, or None
        (``"supervised"``/``"semi"`` only).
    method: ``"seeded"``, ``"supervised"`` or ``"semi"``.
    min_evidence: evidence a post needs to leave the default theme (seeded); None: the
        codebook's ``min_evidence`` (1.5 for the packaged codebooks, 1.0 by default).
    expansion: evidence beyond the codebook's words (seeded): ``"lss"`` (one seed word's
        worth for each theme a post is significantly associated with, by Latent Semantic
        Scaling on the corpus), ``"seeded_lda"`` (``topic_weight`` × a seeded LDA's topic
        shares: the earlier method) or ``"none"``.
    self_training: which rule labels train the classifier (seeded): ``"confident"`` (a
        lead of ``min_evidence`` over the runner-up, or left in the default) or ``"all"``.
    topic_weight: weight of the seeded topic model's shares (``expansion="seeded_lda"``). A
        share is at most 1, so at 0.5 the topic model can add at most half a seed word:
        it breaks ties and nudges posts with little keyword evidence, it does not
        overrule the codebook. 0 leaves the topic model out.
    C: inverse regularisation strength of the logistic regression.
    n_topics: topics of the DMM whose shares are features (semi).
    n_iter: Gibbs sweeps of the seeded topic model (seeded) or the DMM (semi; at most 50).
    tokenizer: a :class:`~govsocial.text.Tokenizer` used by every step (features,
        keyword evidence, corpus expansion, seed matching); None: default settings.
    random_state: seed for the topic model and the solvers.
    verbose: show progress on stderr (a bar over the stages of ``fit`` and ``validate``, and
        the topic models' sweeps) and log each stage's wall time; results do not change.

    Attributes
    ----------
    classes_: theme names (seeded) or label values.
    features_: the fitted :class:`~govsocial.analysis.themes.features.ThemeFeatures`.
    tokenizer_: the tokenizer every step used.
    rule_labels_: the seeded method's keyword-rule labels of the training posts.
    evidence_: the seeded method's evidence (keyword evidence plus expansion), posts × themes.
    corpus_association_: the LSS association (``expansion="lss"``): ``terms(theme)`` lists
        the words the corpus added to each theme.
    topic_model_: the seeded LDA (``expansion="seeded_lda"``).
    model_: the logistic regression (None when the seeded rule gives a single theme).

    Example
    -------
    >>> scorer = ThemeScorer("oecd", method="seeded", random_state=0)
    >>> scorer.fit(["Apply online for your permit", "Road closed today, more information online"] * 3
    ...            ).predict(["Apply online now"]).tolist()
    ['delivering_services']
    """

    def __init__(self, codebook: str | Codebook | None = "oecd", method: str = "seeded", *,
                 min_evidence: float | None = None, expansion: str = "lss", self_training: str = "confident",
                 topic_weight: float = 0.5, C: float = 1.0, n_topics: int = 20, n_iter: int = 200,
                 tokenizer: Any = None, random_state: int | np.random.Generator | None = None,
                 verbose: bool = False) -> None:
        self.codebook = codebook
        self.method = method
        self.min_evidence = min_evidence
        self.expansion = expansion
        self.self_training = self_training
        self.topic_weight = topic_weight
        self.C = C
        self.n_topics = n_topics
        self.n_iter = n_iter
        self.tokenizer = tokenizer
        self.random_state = random_state
        self.verbose = verbose

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
        if self.method == "seeded" and (self.expansion not in EXPANSIONS or self.self_training not in SELF_TRAINING):
            raise ValueError(f"expansion must be one of {EXPANSIONS} and self_training one of {SELF_TRAINING}; "
                             f"got {self.expansion!r} and {self.self_training!r}")
        if not isinstance(self.n_topics, numbers.Integral) or self.n_topics < 1:
            raise ValueError(f"n_topics must be an int >= 1; got {self.n_topics!r}")
        for name in ("min_evidence", "topic_weight", "C"):
            value = getattr(self, name)
            if value is None and name == "min_evidence":  # the codebook's own
                continue
            if not isinstance(value, numbers.Real) or value < 0 or (name == "C" and value == 0):
                raise ValueError(f"{name} must be a non-negative number{' > 0' if name == 'C' else ''}; "
                                 f"got {value!r}")
        if self.tokenizer is not None and not hasattr(self.tokenizer, "tokenize_many"):
            raise TypeError(f"tokenizer must be a govsocial Tokenizer (or None for the default); got "
                            f"{type(self.tokenizer).__name__}")
        return book

    # ------------------------------------------------------------------ the composed verbs
    def _representation(self, book: Codebook | None) -> ThemeFeatures:
        """The features the classifier reads: words only (seeded); with cues and the
        codebook's evidence (supervised); and DMM topic shares (semi)."""
        if self.method == "seeded":
            return ThemeFeatures(None, cues=False, tokenizer=self.tokenizer_)
        topics = {"n_topics": int(self.n_topics), "n_iter": min(int(self.n_iter), 50)} if self.method == "semi" else {}
        return ThemeFeatures(book, cues=True, tokenizer=self.tokenizer_, random_state=self.random_state,
                             verbose=self.verbose, **topics)

    def _expansion_evidence(self, posts: Any, book: Codebook, stages: Stages) -> Any:
        """Evidence beyond the codebook's own words (seeded): see ``expansion``."""
        if self.expansion == "lss":
            stages.step("corpus expansion")
            self.corpus_association_ = corpus_association(posts, book, tokenizer=self.tokenizer_,
                                                          random_state=self.random_state)
            return self.corpus_association_.significant().to_numpy()
        if self.expansion == "seeded_lda" and self.topic_weight > 0:
            stages.step("seeded topics")
            shares, self.topic_model_ = seeded_topic_shares(posts, book, tokenizer=self.tokenizer_,
                                                            n_iter=int(self.n_iter), random_state=self.random_state,
                                                            verbose=self.verbose)
            return float(self.topic_weight) * shares.to_numpy()
        return 0.0

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
        names = STAGES.get(self.method, ["features", "classifier"])
        with Stages(names, verbose=self.verbose, desc="ThemeScorer.fit") as stages:
            return self._fit(posts, labels, stages)

    def _fit(self, posts: Any, labels: Sequence[Any] | None, stages: Stages) -> "ThemeScorer":
        from sklearn.linear_model import LogisticRegression

        from ...text import Tokenizer

        book = self._check(labels)
        self.codebook_ = book
        self.tokenizer_ = Tokenizer() if self.tokenizer is None else self.tokenizer
        texts = texts_of(posts)
        if not texts:
            raise InputError("no posts to fit on: " + ("the posts table has 0 rows" if isinstance(posts, pd.DataFrame)
                                                       else "the list of texts is empty"),
                             hint="if you kept only government posts (account_type == 'government'), check that "
                                  "their accounts are registered: read_posts(..., registry='accounts.csv'), or "
                                  "read_posts(..., government='all') for a file of agencies' posts only")
        seed = int(check_random_state(self.random_state).integers(2**31 - 1))
        stages.step("features")
        self.features_ = self._representation(book)
        X = self.features_.fit_transform(posts)
        classifier = LogisticRegression(C=float(self.C), max_iter=5000, class_weight="balanced", random_state=seed)
        if self.method == "seeded":
            assert book is not None
            return self._fit_seeded(posts, X, book, classifier, stages)
        return self._fit_labelled(texts, labels, X, classifier, stages)

    def _fit_seeded(self, posts: Any, X: Any, book: Codebook, classifier: Any, stages: Stages) -> "ThemeScorer":
        """Rule labels from keyword evidence (+ expansion); the classifier learns the taught ones."""
        stages.step("keyword evidence")
        evidence = keyword_evidence(posts, book, tokenizer=self.tokenizer_).to_numpy()
        evidence = evidence + self._expansion_evidence(posts, book, stages)
        names = np.asarray(book.names, dtype=object)
        threshold = book.min_evidence if self.min_evidence is None else float(self.min_evidence)
        rule = rule_labels(evidence, names, threshold)
        train = training_mask(evidence, threshold, self.self_training, labels=rule)
        self.rule_labels_ = rule
        self.evidence_ = evidence
        self.classes_ = names
        stages.step("classifier")
        if len(set(rule)) < 2:  # nothing to learn from: the rule is the model
            self.model_ = None
        else:
            self.model_ = classifier.fit(X[train], rule[train])
        return self

    def _fit_labelled(self, texts: list[str], labels: Sequence[Any] | None, X: Any, classifier: Any,
                      stages: Stages) -> "ThemeScorer":
        """The classifier learns the coded posts' labels (all posts for supervised)."""
        y = np.asarray([] if labels is None else list(labels), dtype=object)
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
        stages.step("classifier")
        self.coded_keys_ = text_keys([t for t, c in zip(texts, coded) if c])  # query() skips these texts
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
            X = self.features_.transform(posts)
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

    def query(self, posts: Any, n: int, *, coded: Any = None, strategy: str = "margin", pool: int = 10
              ) -> np.ndarray:
        """The next ``n`` posts to hand-code: positions, or post ids for a posts table.

        Batch-mode uncertainty sampling with diversity (:mod:`govsocial.analysis.themes.active`): the
        ``pool`` × ``n`` posts the classifier is least sure of (``strategy`` ``"margin"``,
        ``"entropy"``; ``"random"``: baseline), spread by weighted k-means in its features.
        Posts coded when fitting, posts in ``coded`` (mask, positions or post ids) and
        copies of their text are never proposed. Deterministic given ``random_state``.

        Example
        -------
        >>> posts = ["road closed", "take our survey", "road works", "survey open", "thanks jo",
        ...          "road closed today", "tell us in the survey", "thank you sam"]
        >>> s = ThemeScorer(codebook=None, method="semi", n_topics=2, n_iter=5, random_state=0)
        >>> s = s.fit(posts, ["info", "ask", "info", "ask", None, None, None, None])
        >>> set(s.query(posts, 3).tolist()) <= {4, 5, 6, 7}  # the uncoded posts
        True
        """
        check_is_fitted(self, "classes_", msg="this ThemeScorer is not fitted yet; call fit first")
        texts = texts_of(posts)
        if self.model_ is None or not texts:  # a single rule class: nothing is uncertain
            X, proba = np.zeros((len(texts), 1)), np.ones((len(texts), 1))
        else:
            X = self.features_.transform(posts)
            proba = self.model_.predict_proba(X)  # class order does not matter for uncertainty
        return _query(posts, texts, X, proba, n, coded=coded, known=getattr(self, "coded_keys_", ()),
                      strategy=strategy, pool=pool, random_state=self.random_state)

    def validate(self, posts: Any, labels: Sequence[Any], *, mapping: dict[Any, Any] | None = None,
                 n_boot: int = 1000, random_state: int | np.random.Generator | None = 0) -> dict[str, pd.DataFrame]:
        """Agreement of the scorer with a coder on hand-coded posts: macro-F1, accuracy and
        Krippendorff's alpha, per-class precision/recall/F1 (each with a bootstrap interval)
        and the confusion matrix, from :func:`govsocial.classification_agreement`. ``mapping``
        maps predicted themes (and coded labels that are themes) onto the coder's scheme
        first (e.g. the six OECD uses onto three coarser classes).

        Example
        -------
        >>> s = ThemeScorer(codebook=None, method="supervised").fit(["road works", "take survey", "road closed",
        ...                                                          "survey open"], ["x", "y", "x", "y"])
        >>> float(s.validate(["road", "survey"], ["x", "y"], n_boot=20)["summary"]["estimate"].iloc[0])
        1.0
        """
        with Stages(["predict", "bootstrap"], verbose=self.verbose, desc="ThemeScorer.validate") as stages:
            stages.step("predict")
            predicted = self.predict(posts)
            stages.step("bootstrap")
            return classification_agreement(predicted, list(labels), mapping, n_boot=n_boot,
                                            random_state=random_state)


"""Scoring what each post is *for*: codebook themes, with or without hand-coded labels.

``ThemeScorer(codebook="oecd", method=...)`` is a scikit-learn classifier composed of
public verbs, each usable alone (docs/themes.md, "The pieces it is made of"), and a
class-balanced logistic regression; one ``tokenizer`` serves every step:

* ``"seeded"`` (no labels): :func:`~.cues.keyword_evidence` plus corpus themes
  (:func:`~.expansion.corpus_association`, or :func:`~.expansion.seeded_topic_shares` for
  ``expansion="seeded_lda"``) give :func:`~.weak.rule_labels`; the classifier learns the
  confident ones (:func:`~.weak.training_mask`) on ``ThemeFeatures(cues=False)``.
* ``"supervised"``: the classifier learns the labels on ``ThemeFeatures(codebook)``
  (words, structural cues, keyword evidence).
* ``"semi"`` (``None`` for uncoded posts): the same on ``ThemeFeatures(codebook,
  n_topics=n_topics)`` fitted on every post, coded or not (DMM topic shares too).

Example
-------
>>> posts = ["Have your say: take our survey on bus routes", "Road closed on Main St today, more info online",
...          "@sam sorry to hear that, please DM us", "Apply online for your permit now"] * 5
>>> scorer = ThemeScorer(method="seeded", random_state=0).fit(posts)
>>> scorer.predict(posts[:4]).tolist()
['sourcing_ideas', 'providing_information', 'responding_to_requests', 'delivering_services']
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from ...core.validation import check_random_state
from ._checks import check_labels, check_posts, check_scorer
from .active import query as _query
from .active import text_keys
from .agreement import classification_agreement
from .codebook import Codebook
from .cues import keyword_evidence, texts_of
from .expansion import corpus_association, seeded_topic_shares
from .features import ThemeFeatures
from .progress import Stages
from .weak import rule_labels, training_mask

__all__ = ["ThemeScorer"]

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
    self_training: which rule labels train the classifier (seeded): None (the codebook's
        ``self_training``, ``"confident"`` unless it says otherwise), ``"confident"`` (a
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

    def __init__(
        self,
        codebook: str | Codebook | None = "oecd",
        method: str = "seeded",
        *,
        min_evidence: float | None = None,
        expansion: str = "lss",
        self_training: str | None = None,
        topic_weight: float = 0.5,
        C: float = 1.0,
        n_topics: int = 20,
        n_iter: int = 200,
        tokenizer: Any = None,
        random_state: int | np.random.Generator | None = None,
        verbose: bool = False,
    ) -> None:
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

    # ------------------------------------------------------------------ the composed verbs
    def _representation(self, book: Codebook | None) -> ThemeFeatures:
        """The features the classifier reads: words only (seeded); with cues and the
        codebook's evidence (supervised); and DMM topic shares (semi)."""
        if self.method == "seeded":
            return ThemeFeatures(None, cues=False, tokenizer=self.tokenizer_)
        topics = {"n_topics": int(self.n_topics), "n_iter": min(int(self.n_iter), 50)} if self.method == "semi" else {}
        return ThemeFeatures(
            book, cues=True, tokenizer=self.tokenizer_, random_state=self.random_state, verbose=self.verbose, **topics
        )

    def _expansion_evidence(self, posts: Any, book: Codebook, stages: Stages) -> Any:
        """Evidence beyond the codebook's own words (seeded): see ``expansion``."""
        if self.expansion == "lss":
            stages.step("corpus expansion")
            self.corpus_association_ = corpus_association(
                posts, book, tokenizer=self.tokenizer_, random_state=self.random_state
            )
            return self.corpus_association_.significant().to_numpy()
        if self.expansion == "seeded_lda" and self.topic_weight > 0:
            stages.step("seeded topics")
            shares, self.topic_model_ = seeded_topic_shares(
                posts,
                book,
                tokenizer=self.tokenizer_,
                n_iter=int(self.n_iter),
                random_state=self.random_state,
                verbose=self.verbose,
            )
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

        book = check_scorer(self, labels)
        self.codebook_ = book
        self.tokenizer_ = Tokenizer() if self.tokenizer is None else self.tokenizer
        texts = texts_of(posts)
        check_posts(posts, texts)
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
        mode = book.self_training if self.self_training is None else self.self_training
        train = training_mask(evidence, threshold, mode, labels=rule)
        self.rule_labels_ = rule
        self.evidence_ = evidence
        self.classes_ = names
        stages.step("classifier")
        if len(set(rule)) < 2:  # nothing to learn from: the rule is the model
            self.model_ = None
        else:
            self.model_ = classifier.fit(X[train], rule[train])
        return self

    def _fit_labelled(
        self, texts: list[str], labels: Sequence[Any] | None, X: Any, classifier: Any, stages: Stages
    ) -> "ThemeScorer":
        """The classifier learns the coded posts' labels (all posts for supervised)."""
        y, coded, classes = check_labels(labels, len(texts), self.method)
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

    def query(self, posts: Any, n: int, *, coded: Any = None, strategy: str = "margin", pool: int = 10) -> np.ndarray:
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
        return _query(
            posts,
            texts,
            X,
            proba,
            n,
            coded=coded,
            known=getattr(self, "coded_keys_", ()),
            strategy=strategy,
            pool=pool,
            random_state=self.random_state,
        )

    def validate(
        self,
        posts: Any,
        labels: Sequence[Any],
        *,
        mapping: dict[Any, Any] | None = None,
        n_boot: int = 1000,
        random_state: int | np.random.Generator | None = 0,
    ) -> dict[str, pd.DataFrame]:
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
            return classification_agreement(predicted, list(labels), mapping, n_boot=n_boot, random_state=random_state)

"""Seed expansion from the user's own corpus: Latent Semantic Scaling for a codebook's themes.

A codebook's seed words find only the posts that use them. Latent Semantic Scaling
(LSS; Watanabe 2021, "Latent Semantic Scaling: A Semisupervised Text Analysis Technique
for New Domains and Languages", *Communication Methods and Measures* 15(2)) learns from
the corpus itself which other words are used like the seeds: word vectors :math:`v_w`
from a truncated SVD of the posts' (row-normalised) document-feature matrix
(``n_components`` dimensions), and each word's similarity to a theme is its mean cosine
with the theme's seeds, :math:`s_{wt} = \\frac{1}{|S_t|} \\sum_{s \\in S_t} \\cos(v_w, v_s)`.
LSS scales documents on one dimension (positive minus negative seeds); for a codebook's
themes we centre across themes, :math:`a_{wt} = s_{wt} - \\frac{1}{T}\\sum_u s_{wu}`, and a
post's association with theme *t* is the mean over its words,
:math:`D_{dt} = \\sum_w n_{dw} a_{wt} / \\sum_w n_{dw}`.

Which associations are more than chance? The same scores with the words' association
rows shuffled (``n_permutations`` times: words keep their frequencies, lose their
meaning) give a null distribution per theme; the evidence is its z-score,
:math:`z_{dt} = (D_{dt} - \\mu^0_t) / \\sigma^0_t`, and ``significant(z, alpha)`` marks the
posts above the one-sided :math:`1 - \\alpha` normal quantile.

Example
-------
>>> posts = (["Apply online for your parking permit", "Parking permit: book online"] * 5
...          + ["Latest update on the roadworks", "Roadworks update: read the advice"] * 5)
>>> lss = corpus_association(posts, "oecd", min_df=2, random_state=0)
>>> lss.scores.shape
(20, 6)
>>> sorted(lss.terms("delivering_services")), sorted(lss.terms("providing_information"))
(['park', 'permit'], ['read', 'roadwork'])
>>> bool(lss.scores.iloc[0]["delivering_services"] > 1.645 > lss.scores.iloc[0]["providing_information"])
True
>>> lss.significant().iloc[0].tolist()  # one seed word's worth of evidence where z > 1.645
[0.0, 1.0, 0.0, 0.0, 0.0, 0.0]

The seeded topic model of the earlier method (:func:`seeded_topic_shares`) is the other way
to read themes from the corpus: a :class:`~govsocial.SeededLDA` with the codebook's seeds,
whose seeded topics' shares are a post's association with each theme.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ...core.validation import check_random_state
from .codebook import Codebook, load_codebook
from .cues import texts_of

__all__ = ["CorpusAssociation", "corpus_association", "seeded_topic_shares", "significant"]


@dataclass(frozen=True)
class CorpusAssociation:
    """Word–theme associations learned from a corpus, and each post's z-scores.

    ``scores``: posts × themes z-scores against the permutation null (0 where the corpus
    is too small); ``words``: the vocabulary; ``association``: words × themes
    (:math:`a_{wt}`); ``seeds_used``: per theme, the seed tokens found in the vocabulary.

    Example
    -------
    >>> a = CorpusAssociation(pd.DataFrame({"x": [0.0]}), ["v", "w"], np.array([[0.2], [0.5]]), {"x": []})
    >>> a.terms("x")
    ['w', 'v']
    """

    scores: pd.DataFrame
    words: list[str]
    association: np.ndarray
    seeds_used: dict[str, list[str]]

    def significant(self, alpha: float = 0.05) -> pd.DataFrame:
        """1.0 where a post's association with a theme is significant (one-sided ``alpha``),
        else 0.0: the evidence :class:`ThemeScorer` adds (one seed word's worth).

        Example
        -------
        >>> a = CorpusAssociation(pd.DataFrame({"x": [2.0, 1.0]}), [], np.zeros((0, 1)), {"x": []})
        >>> a.significant()["x"].tolist()
        [1.0, 0.0]
        """
        return pd.DataFrame(significant(self.scores, alpha), index=self.scores.index, columns=self.scores.columns)

    def terms(self, theme: str, n: int = 20) -> list[str]:
        """The ``n`` words (not seeds) most associated with ``theme``: what the corpus added
        to the codebook — read them before trusting the scores."""
        j = list(self.scores.columns).index(theme)
        order = np.argsort(-self.association[:, j], kind="stable") if len(self.words) else np.zeros(0, dtype=np.int64)
        seeds = set().union(*self.seeds_used.values()) if self.seeds_used else set()
        return [self.words[i] for i in order if self.words[i] not in seeds and self.association[i, j] > 0][:n]


def corpus_association(
    posts: Any,
    codebook: str | Codebook,
    *,
    tokenizer: Any = None,
    n_components: int = 100,
    min_df: int = 5,
    n_permutations: int = 5,
    random_state: int | np.random.Generator | None = None,
) -> CorpusAssociation:
    """LSS association of every post with every theme, as z-scores against a permutation null.

    ``posts``: a posts table or a list of texts; ``codebook``: a packaged codebook's name, a
    TOML file's path or a loaded codebook; ``tokenizer``: a
    :class:`~govsocial.text.Tokenizer` (default settings when None), used for the posts and
    the seeds alike. Words in fewer than ``min_df`` posts are left out; with fewer than
    three posts or words left, all scores are 0 (nothing to learn from). The scores are
    indexed like the posts.

    Example
    -------
    >>> posts = ["Renew your parking permit online", "Parking permits for residents", "Roadworks update",
    ...          "Latest roadworks advice"] * 4
    >>> z = corpus_association(posts, "oecd", min_df=2, random_state=0).scores
    >>> bool(z.loc[1, "delivering_services"] > z.loc[1, "providing_information"])  # no seed of either, "permit" decides
    True
    """
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.preprocessing import normalize

    from ...text import Tokenizer

    codebook = load_codebook(codebook)
    tokenizer = Tokenizer() if tokenizer is None else tokenizer
    texts = texts_of(posts)
    index = _index(posts, len(texts))
    names = codebook.names
    tokens = tokenizer.tokenize_many(texts) if hasattr(tokenizer, "tokenize_many") else [tokenizer(t) for t in texts]
    empty = CorpusAssociation(
        pd.DataFrame(0.0, index=index, columns=names), [], np.zeros((0, len(names))), {t: [] for t in names}
    )
    if sum(1 for t in tokens if t) < 3:
        return empty
    vectorizer = CountVectorizer(analyzer=_identity, min_df=min(int(min_df), max(1, len(texts) // 2)))
    try:
        counts = vectorizer.fit_transform(tokens).astype(np.float64)
    except ValueError:  # no word in min_df posts
        return empty
    words = vectorizer.get_feature_names_out().tolist()
    k = min(int(n_components), min(counts.shape) - 1)
    if k < 1:
        return empty
    rng = check_random_state(random_state)
    svd = TruncatedSVD(k, algorithm="randomized", n_iter=5, random_state=int(rng.integers(2**31 - 1)))
    svd.fit(normalize(counts))
    vectors = normalize(svd.components_.T * svd.singular_values_)  # words × k
    position = {w: i for i, w in enumerate(words)}
    similarity = np.zeros((len(words), len(names)))
    used = {}
    for j, theme in enumerate(codebook.themes):
        seeds = sorted(
            {tok for seed in theme.seeds if not seed.endswith("*") for tok in tokenizer(seed)} & set(position)
        )
        used[theme.name] = seeds
        if seeds:
            similarity[:, j] = (vectors @ vectors[[position[s] for s in seeds]].T).mean(axis=1)
    seeded = np.array([bool(used[t]) for t in names])
    association = np.zeros_like(similarity)
    if seeded.any():  # centred over the themes that have seeds in the corpus
        association[:, seeded] = similarity[:, seeded] - similarity[:, seeded].mean(axis=1, keepdims=True)
    length = np.maximum(np.asarray(counts.sum(axis=1)), 1.0)
    observed = np.asarray(counts @ association) / length
    nulls = np.vstack(
        [np.asarray(counts @ association[rng.permutation(len(words))]) / length for _ in range(int(n_permutations))]
    )
    z = (observed - nulls.mean(axis=0)) / np.where(nulls.std(axis=0) > 0, nulls.std(axis=0), 1.0)
    z[:, [not used[t] for t in names]] = 0.0
    return CorpusAssociation(pd.DataFrame(z, index=index, columns=names), words, association, used)


def significant(scores: pd.DataFrame | np.ndarray, alpha: float = 0.05) -> np.ndarray:
    """1.0 where a z-score is above the one-sided ``1 - alpha`` normal quantile, else 0.0.

    Example
    -------
    >>> significant(np.array([[2.0, 1.0]])).tolist()
    [[1.0, 0.0]]
    """
    from scipy.stats import norm

    return (np.asarray(scores, dtype=np.float64) > norm.ppf(1 - float(alpha))).astype(np.float64)


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def _index(posts: Any, n: int) -> pd.Index:
    return posts.index if isinstance(posts, (pd.DataFrame, pd.Series)) else pd.RangeIndex(n)


def seeded_topic_shares(
    posts: Any,
    codebook: str | Codebook,
    *,
    tokenizer: Any = None,
    n_iter: int = 100,
    random_state: int | np.random.Generator | None = None,
    verbose: Any = False,
) -> tuple[pd.DataFrame, Any]:
    """Themes from a seeded topic model (the earlier ``expansion="seeded_lda"``): the shares
    of the seeded topics of a :class:`~govsocial.SeededLDA` (``len(codebook) + 5`` topics,
    the codebook's seed words and phrases as seeds) fitted on the posts' document-term
    matrix (words in 2 posts or more and at most half of them).

    ``posts``: a posts table or a list of texts; ``codebook``: a name, a path or a loaded
    codebook; ``tokenizer``: a :class:`~govsocial.text.Tokenizer` (default settings when
    None), for the posts and the seeds alike. Returns the shares — posts × themes, indexed
    like the posts, zeros for posts without terms — and the fitted model (``None`` when
    the posts are too few to fit one).

    Example
    -------
    >>> posts = ["road closed today", "road closed now", "take our survey", "survey open now"] * 2
    >>> shares, model = seeded_topic_shares(posts, "oecd", n_iter=5, random_state=0)
    >>> shares.shape, bool((shares >= 0).all(axis=None) and (shares.sum(axis=1) <= 1 + 1e-9).all())
    ((8, 6), True)
    >>> shares.columns[0], model.n_components
    ('providing_information', 11)
    """
    import warnings

    from ...text import Tokenizer
    from ...text.dtm import Vectorizer
    from ...topics.models import SeededLDA

    book = load_codebook(codebook)
    tokenizer = Tokenizer() if tokenizer is None else tokenizer
    texts = texts_of(posts)
    shares = np.zeros((len(texts), len(book)))
    model = None
    dtm = Vectorizer(min_df=2, max_df=0.5, tokenizer=tokenizer).from_posts(texts)
    if dtm.X.shape[0] >= 2 and dtm.X.shape[1] >= 2:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # unmatched seeds are kept in seed_report_
            model = SeededLDA(
                book.seeds(),
                n_components=len(book) + 5,
                n_iter=n_iter,
                tokenizer=tokenizer,
                random_state=random_state,
                verbose=verbose,
            ).fit(dtm)
        shares[dtm.post_ids.astype(int)] = model.doc_topic_[:, : len(book)]
    return pd.DataFrame(shares, index=_index(posts, len(texts)), columns=book.names), model

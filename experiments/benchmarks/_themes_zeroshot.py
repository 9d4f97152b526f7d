"""Zero-shot theme scoring, stage by stage and idea by idea, as bench_themes.py measures it.

``stages``: the earlier seeded scorer (``expansion="seeded_lda", self_training="all",
min_evidence=1.5``) taken apart — keyword argmax, + the min_evidence default rule, +
seeded-LDA shares, + self-training on every rule label — and how often the classifier
merely repeats its rule labels. ``ideas``: one change at a time to that earlier scorer,
and the scorer as wired in now. Helpers, not a script; every setting below was chosen
before looking at police_dev (by principle, or on the bundled corpus and TweetEval).
"""

from __future__ import annotations

import re
import time
from typing import Any, Callable

import numpy as np
import pandas as pd
from sklearn.metrics import f1_score

OLD = dict(expansion="seeded_lda", self_training="all", min_evidence=1.5)
APPEAL = re.compile(
    r"\b(?:quot(?:e|ing)|crime\s+(?:reference|number)|ref(?:erence)?\s*(?:no|number)?\.?\s*:?\s*\d|"
    r"log\s*(?:no|number)?\s*:?\s*\d|101|crimestoppers|crime stoppers)\b",
    re.IGNORECASE,
)


class Data:
    """One labelled data set and what every variant shares (tokens, keyword evidence, features)."""

    def __init__(self, name: str, posts: Any, gold: np.ndarray, book: Any, mapping: dict | None) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        from govsocial.analysis.themes import keyword_evidence
        from govsocial.analysis.themes.cues import texts_of
        from govsocial.text import Tokenizer

        self.name, self.posts, self.gold, self.book, self.mapping = (
            name,
            posts,
            np.asarray(gold, dtype=object),
            book,
            mapping,
        )
        self.names = np.asarray(book.names, dtype=object)
        self.tokenizer = Tokenizer()
        self.texts = texts_of(posts)
        self.tokens = self.tokenizer.tokenize_many(self.texts)
        self.evidence = keyword_evidence(posts, book, tokenizer=self.tokenizer).to_numpy()
        docs = [t + [f"{a}_{b}" for a, b in zip(t, t[1:])] for t in self.tokens]  # as ThemeScorer's features
        self.X = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, min_df=2).fit_transform(docs)

    def macro_f1(self, predicted: np.ndarray) -> float:
        p = np.asarray(predicted, dtype=object)
        if self.mapping:
            p = np.asarray([self.mapping[t] for t in p], dtype=object)
        return float(f1_score(self.gold, p, labels=sorted(set(self.gold)), average="macro", zero_division=0))


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def self_train(data: Data, evidence: np.ndarray, threshold: float, which: str = "all", seed: int = 0) -> np.ndarray:
    """Rule labels from ``evidence``, a class-balanced logistic regression taught ``which`` of them."""
    from sklearn.linear_model import LogisticRegression

    from govsocial.analysis.themes.weak import rule_labels, training_mask

    rule = rule_labels(evidence, data.names, threshold)
    train = training_mask(evidence, threshold, which, labels=rule)
    clf = LogisticRegression(max_iter=5000, class_weight="balanced", random_state=seed)
    return clf.fit(data.X[train], rule[train]).predict(data.X)


def stages(data: Data) -> dict[str, Any]:
    """Macro-F1 after each stage of the earlier seeded scorer, and what its classifier changed."""
    from govsocial.analysis.themes import ThemeScorer
    from govsocial.analysis.themes.weak import rule_labels

    old = ThemeScorer(data.book, "seeded", random_state=0, **OLD).fit(data.posts)
    final = old.predict(data.posts)
    steps = {
        "keyword argmax": rule_labels(data.evidence, data.names, 0.0),
        "+ min_evidence 1.5 default rule": rule_labels(data.evidence, data.names, 1.5),
        "+ seeded-LDA shares (0.5 ×)": old.rule_labels_,
        "+ self-training on every rule label (earlier seeded)": final,
    }
    gold = data.gold
    mapped = (lambda a: np.asarray([data.mapping[t] for t in a], dtype=object)) if data.mapping else (lambda a: a)
    flips = mapped(old.rule_labels_) != mapped(final)  # in the scheme that is scored
    lda_changed = mapped(steps["+ min_evidence 1.5 default rule"]) != mapped(old.rule_labels_)
    return {
        "scores": {k: data.macro_f1(v) for k, v in steps.items()},
        "classifier_agrees": float(np.mean(~flips)),
        "flips": int(flips.sum()),
        "flips_right": int((mapped(final[flips]) == gold[flips]).sum()),
        "flips_were_right": int((mapped(old.rule_labels_[flips]) == gold[flips]).sum()),
        "lda_changed": int(lda_changed.sum()),
        "lda_right": int((mapped(old.rule_labels_[lda_changed]) == gold[lda_changed]).sum()),
        "lda_were_right": int(
            (mapped(steps["+ min_evidence 1.5 default rule"][lda_changed]) == gold[lda_changed]).sum()
        ),
        "no_evidence": float(np.mean(data.evidence.max(axis=1) <= 0)),
        "below_threshold": float(np.mean(data.evidence.max(axis=1) < 1.5)),
        "lda_part": old.evidence_ - data.evidence,
    }


def word2vec_evidence(data: Data, seed: int = 0) -> np.ndarray:
    """Seed expansion by nearest neighbours in word2vec vectors trained on the corpus: per theme,
    as many new words as it has seeds (words nearer its seed centroid than any other theme's),
    each worth its cosine similarity."""
    from gensim.models import Word2Vec
    from sklearn.preprocessing import normalize

    n_tokens = sum(len(t) for t in data.tokens)
    model = Word2Vec(
        [t for t in data.tokens if t],
        vector_size=100,
        window=5,
        min_count=5,
        sg=1,
        workers=1,
        seed=seed,
        epochs=max(5, min(50, int(2e6 / max(n_tokens, 1)))),
    )
    vocab, vectors = model.wv.index_to_key, normalize(model.wv.vectors)
    index = {w: i for i, w in enumerate(vocab)}
    seeds = [{tok for s in t.seeds for tok in data.tokenizer(s)} & set(index) for t in data.book.themes]
    centroids = np.vstack(
        [
            normalize(vectors[[index[s] for s in ss]].mean(0, keepdims=True))[0] if ss else np.zeros(vectors.shape[1])
            for ss in seeds
        ]
    )
    sim = vectors @ centroids.T
    best, all_seeds = sim.argmax(1), set().union(*seeds)
    extra: dict[str, list[tuple[int, float]]] = {}
    for t, ss in enumerate(seeds):
        cands = sorted(
            ((sim[i, t], vocab[i]) for i in np.flatnonzero(best == t) if vocab[i] not in all_seeds), reverse=True
        )[: max(len(ss), 1)]
        for s, w in cands:
            extra.setdefault(w, []).append((t, float(s)))
    out = np.zeros_like(data.evidence)
    for d, toks in enumerate(data.tokens):
        for w in set(toks):
            for t, s in extra.get(w, ()):
                out[d, t] += s
    return out


def definition_evidence(data: Data, weight: float = 0.5) -> np.ndarray:
    """Words of a theme's definition found in no other theme's definition or seeds, half a seed each."""
    words = [set(data.tokenizer(t.definition)) for t in data.book.themes]
    seeds = [{x for s in t.seeds for x in data.tokenizer(s)} for t in data.book.themes]
    own = [
        (w - set().union(*[words[j] | seeds[j] for j in range(len(words)) if j != i])) - seeds[i]
        for i, w in enumerate(words)
    ]
    out = np.zeros_like(data.evidence)
    for d, toks in enumerate(data.tokens):
        present = set(toks)
        for i, u in enumerate(own):
            out[d, i] = weight * len(present & u)
    return out


def chance_threshold(data: Data, n_draws: int = 20, seed: int = 0) -> np.ndarray:
    """Per theme, the mean + 1.645 sd of the number of distinct words a post shares with random
    non-seed words of the same document frequencies as the theme's seeds (evidence by chance)."""
    from sklearn.feature_extraction.text import CountVectorizer

    cv = CountVectorizer(analyzer=_identity, binary=True).fit(data.tokens)
    Xb = cv.transform(data.tokens)
    vocab = np.asarray(cv.get_feature_names_out())
    df = np.asarray(Xb.sum(0)).ravel()
    bins = np.argsort(np.argsort(df, kind="stable"), kind="stable") * 20 // len(df)
    index = {w: i for i, w in enumerate(vocab)}
    all_seeds = {x for t in data.book.themes for s in t.seeds for x in data.tokenizer(s)}
    pools = {b: np.flatnonzero((bins == b) & ~np.isin(vocab, list(all_seeds))) for b in range(20)}
    rng = np.random.default_rng(seed)
    out = []
    for theme in data.book.themes:
        ids = [index[x] for x in sorted({x for s in theme.seeds for x in data.tokenizer(s)}) if x in index]
        draws = np.concatenate(
            [
                np.asarray(Xb[:, [rng.choice(pools[bins[i]]) for i in ids if len(pools[bins[i]])]].sum(1)).ravel()
                for _ in range(n_draws)
            ]
        )
        out.append(draws.mean() + 1.645 * draws.std())
    return np.asarray(out)


def nb_em(data: Data, evidence: np.ndarray, threshold: float, n_iter: int = 10) -> np.ndarray:
    """McCallum & Nigam (1999): naive Bayes on the confident rule labels, then EM over the rest."""
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.naive_bayes import MultinomialNB

    from govsocial.analysis.themes.weak import rule_labels, training_mask

    counts = CountVectorizer(analyzer=_identity, min_df=2).fit_transform(data.tokens)
    rule = rule_labels(evidence, data.names, threshold)
    labelled = training_mask(evidence, threshold, "confident", labels=rule)
    rest = np.flatnonzero(~labelled)
    nb = MultinomialNB().fit(counts[labelled], rule[labelled])
    for _ in range(n_iter):
        post = nb.predict_proba(counts[rest])
        rows = sp.vstack([counts[labelled]] + [counts[rest]] * len(nb.classes_))
        ys = np.concatenate([rule[labelled]] + [np.full(len(rest), c, dtype=object) for c in nb.classes_])
        ws = np.concatenate([np.ones(labelled.sum())] + [post[:, j] for j in range(len(nb.classes_))])
        nb = MultinomialNB().fit(rows, ys, sample_weight=ws)
    return nb.predict(counts)


def ideas(data: Data, lda_part: np.ndarray, seeds: tuple[int, ...] = (0, 1, 2)) -> list[dict[str, Any]]:
    """Macro-F1 of the earlier seeded scorer with one change at a time, and of the scorer now."""
    from govsocial.analysis.themes import CUES, ThemeScorer, keyword_evidence
    from govsocial.analysis.themes.expansion import corpus_association, significant

    rows: list[dict[str, Any]] = []

    def add(idea: str, fn: Callable[[], np.ndarray]) -> None:
        start = time.perf_counter()
        rows.append({"idea": idea, "macro_f1": data.macro_f1(fn()), "seconds": time.perf_counter() - start})
        print(f"  {data.name}: {idea}: {rows[-1]['macro_f1']:.3f}", flush=True)

    base = data.evidence + lda_part
    own = data.book.min_evidence
    lss = significant(corpus_association(data.posts, data.book, tokenizer=data.tokenizer, random_state=0).scores)
    add("earlier seeded (reference)", lambda: self_train(data, base, 1.5))
    add("keyword argmax (reference)", lambda: self_train_free(data, data.evidence, 0.0))
    add("keyword argmax + LSS, no classifier", lambda: self_train_free(data, data.evidence + lss, 0.0))
    add("expansion: LSS instead of seeded LDA", lambda: self_train(data, data.evidence + lss, 1.5))
    add(
        "expansion: word2vec neighbours instead of seeded LDA",
        lambda: self_train(data, data.evidence + word2vec_evidence(data), 1.5),
    )
    add("expansion: none (no seeded LDA)", lambda: self_train(data, data.evidence, 1.5))
    add("definitions as evidence (½ per word)", lambda: self_train(data, base + definition_evidence(data), 1.5))
    if any(t.cues for t in data.book.themes):
        no_cues = pd.DataFrame(0, index=range(len(data.texts)), columns=list(CUES))
        plain = keyword_evidence(data.texts, data.book, tokenizer=data.tokenizer, cues=no_cues).to_numpy()
        add("structural cues left out", lambda: self_train(data, plain + lda_part, 1.5))
        if "sourcing_ideas" in data.book.names:
            appeal = np.zeros_like(base)
            appeal[:, data.book.names.index("sourcing_ideas")] = [bool(APPEAL.search(t)) for t in data.texts]
            add("structural cue: appeal format (+1 sourcing ideas)", lambda: self_train(data, base + appeal, 1.5))
    add(
        "default threshold: the codebook's own min_evidence (oecd 1.5, sentiment 1.0)",
        lambda: self_train(data, base, own),
    )
    add(
        "default threshold: chance level of seed matches", lambda: self_train(data, base - chance_threshold(data), 1e-9)
    )
    add("self-training: confident rule labels only", lambda: self_train(data, base, 1.5, "confident"))
    add("self-training: naive Bayes + EM (McCallum & Nigam 1999)", lambda: nb_em(data, base, 1.5))
    for idea, kwargs in (
        ('seeded now without LSS (`expansion="none"`)', {"expansion": "none"}),
        ('seeded now, every rule label taught (`self_training="all"`)', {"self_training": "all"}),
    ):
        add(
            idea,
            lambda kw=kwargs: (
                ThemeScorer(data.book, "seeded", random_state=0, **kw).fit(data.posts).predict(data.posts)
            ),
        )
    scores = []
    for seed in seeds:
        start = time.perf_counter()
        scores.append(
            data.macro_f1(ThemeScorer(data.book, "seeded", random_state=seed).fit(data.posts).predict(data.posts))
        )
    rows.append(
        {
            "idea": f"**seeded now**: LSS + codebook's min_evidence + confident self-training "
            f"(random_state {', '.join(map(str, seeds))})",
            "macro_f1": float(np.mean(scores)),
            "sd": float(np.std(scores, ddof=1)) if len(scores) > 1 else np.nan,
            "seconds": time.perf_counter() - start,
        }
    )
    print(f"  {data.name}: seeded now: {scores}", flush=True)
    return rows


def self_train_free(data: Data, evidence: np.ndarray, threshold: float) -> np.ndarray:
    """Rule labels without a classifier."""
    from govsocial.analysis.themes.weak import rule_labels

    return rule_labels(evidence, data.names, threshold)


def seed_free_features(data: Data) -> Any:
    """The classifier's features without any seed or phrase word of the codebook (unigrams,
    and bigrams holding one), so that self-training must learn from other words."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    seeds = {x for t in data.book.themes for s in [*t.seeds, *t.phrases] for x in data.tokenizer(s)}
    docs = [t + [f"{a}_{b}" for a, b in zip(t, t[1:])] for t in data.tokens]
    vectorizer = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, min_df=2).fit(docs)
    keep = [
        i
        for i, name in enumerate(vectorizer.get_feature_names_out())
        if not any(part in seeds for part in name.split("_"))
    ]
    return vectorizer.transform(docs)[:, keep]


def prior_adjusted(proba: np.ndarray, train_prior: np.ndarray, n_iter: int = 100) -> np.ndarray:
    """Saerens, Latinne & Decaestecker (2002, Neural Computation 14(1)): EM estimate of the
    corpus's class priors; posteriors re-weighted to them."""
    prior, weighted = train_prior.copy(), proba
    for _ in range(n_iter):
        weighted = proba * (prior / train_prior)
        weighted /= weighted.sum(axis=1, keepdims=True)
        if np.abs(weighted.mean(axis=0) - prior).max() < 1e-6:
            break
        prior = weighted.mean(axis=0)
    return weighted


def ideas_now(data: Data) -> list[dict[str, Any]]:
    """One change at a time to the seeded scorer as wired in now (keyword evidence + LSS,
    the codebook's min_evidence, confident self-training; random_state 0)."""
    from sklearn.linear_model import LogisticRegression

    from govsocial.analysis.themes import ThemeScorer
    from govsocial.analysis.themes.expansion import corpus_association, significant
    from govsocial.analysis.themes.weak import rule_labels, training_mask

    lss = significant(corpus_association(data.posts, data.book, tokenizer=data.tokenizer, random_state=0).scores)
    m = data.book.min_evidence
    evidence = data.evidence + lss
    rule = rule_labels(evidence, data.names, m)
    train = training_mask(evidence, m, "confident", labels=rule)

    def fit(X: Any, balanced: bool = True) -> Any:
        return LogisticRegression(max_iter=5000, class_weight="balanced" if balanced else None, random_state=0).fit(
            X[train], rule[train]
        )

    masked, clf, plain = seed_free_features(data), fit(data.X), fit(data.X, balanced=False)
    only_unsure = clf.predict(data.X).astype(object)
    only_unsure[train] = rule[train]
    k = len(clf.classes_)
    plain_prior = np.asarray([np.mean(rule[train] == c) for c in plain.classes_])
    w2v = word2vec_evidence(data)
    rows = {
        "seeded now (reference)": ThemeScorer(data.book, "seeded", random_state=0).fit(data.posts).predict(data.posts),
        "rule labels alone (no classifier)": rule,
        "seed and phrase words masked from the classifier's features": fit(masked).predict(masked),
        "classifier only where the rule is not confident": only_unsure,
        "class priors re-estimated by EM (Saerens et al. 2002)": clf.classes_[
            prior_adjusted(clf.predict_proba(data.X), np.full(k, 1 / k)).argmax(axis=1)
        ],
        "unweighted classifier": plain.predict(data.X),
        "unweighted classifier + EM priors": plain.classes_[
            prior_adjusted(plain.predict_proba(data.X), plain_prior).argmax(axis=1)
        ],
        "LSS + word2vec neighbours": self_train(data, evidence + w2v, m, "confident"),
        "word2vec neighbours instead of LSS": self_train(data, data.evidence + w2v, m, "confident"),
    }
    return [{"idea": idea, "macro_f1": data.macro_f1(p)} for idea, p in rows.items()]

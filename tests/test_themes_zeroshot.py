"""Zero-shot scoring with a user's own codebook: corpus expansion (LSS), confident self-training."""

import numpy as np
import pytest

import govsocial as gs
from govsocial.analysis.themes import available_codebooks, keyword_evidence, load_codebook
from govsocial.analysis.themes.expansion import corpus_association, significant
from govsocial.analysis.themes.weak import rule_labels, training_mask
from govsocial.core.exceptions import InputError

BOOK = """
name = "mood"
[themes.neutral]
label = "Neutral"
definition = "Facts without feeling."
seeds = ["report"]
[themes.happy]
label = "Happy"
definition = "Joy."
seeds = ["good"]
[themes.sad]
label = "Sad"
definition = "Sorrow."
seeds = ["bad"]
"""
HAPPY, SAD, NEUTRAL = (
    ["lovely", "sunny", "smile", "cheer"],
    ["gloomy", "rainy", "tears", "grim"],
    ["council", "meeting", "budget", "figures"],
)
FILLER = [f"{a}{b}" for a in ("bor", "tal", "mik", "pen", "sor", "vel") for b in ("ab", "eko", "ist", "um", "ora")]


def _corpus(seed=0, n=300):
    """Posts of three moods (three mood words, three filler words); a third of the happy and sad
    ones carry the seed word, the rest only words that go with it. Returns texts, truth, and whether each post holds a seed."""
    rng = np.random.default_rng(seed)
    texts, truth, seeded = [], [], []
    for i in range(n):
        mood = ["neutral", "happy", "sad"][i % 3]
        words = list(rng.choice({"neutral": NEUTRAL, "happy": HAPPY, "sad": SAD}[mood], 3, replace=False))
        words += list(rng.choice(FILLER, 3, replace=False))
        has_seed = mood != "neutral" and i % 9 < 3 or mood == "neutral" and i % 9 == 0
        if has_seed:
            words.append({"neutral": "report", "happy": "good", "sad": "bad"}[mood])
        rng.shuffle(words)
        texts.append(" ".join(words))
        truth.append(mood)
        seeded.append(has_seed)
    return texts, np.asarray(truth), np.asarray(seeded)


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    path = tmp_path_factory.mktemp("book") / "mood.toml"
    path.write_text(BOOK, encoding="utf-8")
    return load_codebook(path)


def test_a_codebook_without_cues_needs_one_seed_word_and_packaged_ones_keep_theirs(book, tmp_path):
    assert book.min_evidence == 1.0
    assert all(load_codebook(name).min_evidence == 1.5 for name in available_codebooks())
    bad = tmp_path / "bad.toml"
    bad.write_text('min_evidence = "high"\n' + BOOK, encoding="utf-8")
    with pytest.raises(InputError, match="min_evidence must be a non-negative number") as info:
        load_codebook(bad)
    assert info.value.field == "min_evidence"


def test_lss_finds_the_words_that_go_with_the_seeds(book):
    texts, truth, seeded = _corpus()
    lss = corpus_association(texts, book, min_df=3, random_state=0)
    stem = gs.Tokenizer()
    assert set(lss.terms("happy", 4)) == {stem(w)[0] for w in HAPPY}  # what the corpus added to the seeds
    assert set(lss.terms("sad", 4)) == {stem(w)[0] for w in SAD}
    flagged = significant(lss.scores)
    # posts with no seed word: the corpus association alone points to their mood
    for j, mood in enumerate(book.names[1:], start=1):
        rows = (truth == mood) & ~seeded
        assert flagged[rows, j].mean() > 0.9
        assert flagged[truth != mood, j].mean() < 0.1


def test_seeded_scorer_beats_the_keyword_argmax_on_posts_without_seed_words(book):
    texts, truth, seeded = _corpus()
    evidence = keyword_evidence(texts, book).to_numpy()
    keyword = np.asarray(book.names, dtype=object)[evidence.argmax(axis=1)]
    keyword[evidence.max(axis=1) <= 0] = book.names[0]
    predicted = gs.ThemeScorer(book, "seeded", random_state=0).fit(texts).predict(texts)
    no_seed = ~seeded & (truth != "neutral")
    assert (keyword[no_seed] == truth[no_seed]).mean() == 0  # the keyword rule sends them all to the default
    assert (predicted[no_seed] == truth[no_seed]).mean() > 0.9
    assert (predicted == truth).mean() > 0.9


def test_the_earlier_seeded_method_is_still_reachable(book):
    texts, truth, _ = _corpus(n=90)
    old = gs.ThemeScorer(
        book, "seeded", expansion="seeded_lda", self_training="all", min_evidence=1.5, n_iter=20, random_state=0
    ).fit(texts)
    assert hasattr(old, "topic_model_") and not hasattr(old, "corpus_association_")
    keywords = keyword_evidence(texts, book).to_numpy()
    topic_part = old.evidence_ - keywords  # topic_weight × seeded-topic shares: in [0, 0.5]
    assert topic_part.min() >= 0 and topic_part.max() <= 0.5 + 1e-9 and topic_part.max() > 0
    assert (old.rule_labels_ == rule_labels(old.evidence_, np.asarray(book.names, dtype=object), 1.5)).all()
    with pytest.raises(ValueError, match="expansion must be one of"):
        gs.ThemeScorer(book, "seeded", expansion="word2vec").fit(texts)


def test_rule_labels_and_confident_examples_by_hand():
    rng = np.random.default_rng(4)
    evidence = rng.choice([0.0, 0.5, 1.0, 1.5, 2.0, 3.0], size=(200, 3))
    names = np.array(["d", "x", "y"], dtype=object)
    rule = rule_labels(evidence, names, 1.5)
    mask = training_mask(evidence, 1.5)
    for row, label, keep in zip(evidence, rule, mask):
        top = row.max()
        expected = "d" if top < 1.5 else names[int(np.argmax(row))]
        assert label == expected
        runner_up = sorted(row)[-2]
        assert keep == (top - runner_up >= 1.5 or top < 1.5)
    assert training_mask(evidence, 1.5, "all").all()

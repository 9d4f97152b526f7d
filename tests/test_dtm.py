"""Vectorizer and DocTermMatrix: vocabulary, pruning report, phrases, display forms, streaming."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

import govsocial.core.schema as schema
from govsocial.text import Tokenizer
from govsocial.text.batch import tokenize
from govsocial.text.dtm import DocTermMatrix, Vectorizer

TEXTS = [
    "Mental health support is available for young people",
    "Free mental health checks at the clinic this week",
    "Mental health services for farmers are expanding",
    "Public transport delays on the train line today",
    "More public transport services on the weekend",
    "Public transport fares rise in July",
    "Call 0491 570 156 about mental health",
    "!!!",
]


def _posts(texts=TEXTS):
    return schema.conform({"post_id": [f"p{i}" for i in range(len(texts))], "platform": ["x"] * len(texts),
                           "text": texts})


def test_matrix_rows_are_posts_and_terms_are_pruned_with_a_report():
    dtm = Vectorizer(min_df=2, max_df=0.9, phrases=False).fit_transform(_posts())
    assert isinstance(dtm, DocTermMatrix)
    assert dtm.X.shape == (len(dtm.post_ids), len(dtm.terms))
    assert "p7" not in list(dtm.post_ids) and dtm.report["empty_post_ids"] == ["p7"]
    assert dtm.report["posts"] == 8 and dtm.report["posts_kept"] == 7
    assert set(dtm.terms) >= {"mental", "health", "public", "transport", "servic"}
    dropped = dtm.report["dropped_terms"]
    assert sum(dropped.values()) == dtm.report["terms_seen"] - dtm.report["terms_kept"]
    assert "avail" in dtm.report["dropped_examples"]["min_df"]  # "available" is in one post only
    assert dtm.report["redacted"] == {"phone": 1}
    row = list(dtm.post_ids).index("p0")
    assert dtm.X[row, dtm.terms.index("mental")] == 1


def test_phrases_join_collocations_and_display_readable_words():
    dtm = Vectorizer(min_df=2, max_df=1.0, phrase_min_count=2, phrase_threshold=0.3).fit_transform(_posts())
    assert "mental_health" in dtm.terms and "public_transport" in dtm.terms
    display = dict(zip(dtm.terms, dtm.display))
    assert display["mental_health"] == "mental health"
    assert display["servic"] == "services"  # most frequent surface form of the stem
    assert dtm.report["phrases"] >= 2


def test_hashtags_and_emoji_never_join_phrases():
    texts = ["#FluVax clinic today 👍", "#FluVax clinic open 👍", "#FluVax clinic now 👍"] * 3
    dtm = Vectorizer(min_df=1, max_df=1.0, phrase_min_count=2, phrase_threshold=0.1).fit_transform(texts)
    phrases = [t for t in dtm.terms if "_" in t and not t.startswith(("#", "emoji_"))]
    assert not any("#" in t or "emoji" in t for t in phrases)
    assert "#fluvax" in dtm.terms and "emoji_thumbs_up" in dtm.terms


def test_transform_maps_new_posts_onto_the_vocabulary():
    vec = Vectorizer(min_df=1, max_df=1.0, phrases=False).fit(_posts())
    new = vec.transform(["mental health and unknownword", "zzz"])
    assert list(new.post_ids) == ["0"]
    assert new.X.sum() == 2 and new.report["empty_posts"] == 1
    with pytest.raises(NotFittedError):
        Vectorizer().transform(["x"])


def test_max_features_keeps_the_most_frequent():
    dtm = Vectorizer(min_df=1, max_df=1.0, max_features=3, phrases=False).fit_transform(_posts())
    assert set(dtm.terms) == {"health", "mental", "public"}  # 4, 4, then 3 (ties broken alphabetically)
    assert dtm.report["dropped_terms"]["beyond max_features=3"] > 0


def test_parameter_errors_say_what_to_change():
    for bad in ({"min_df": 0}, {"max_df": 1.5}, {"max_features": 0}, {"phrase_threshold": 2.0}):
        with pytest.raises(ValueError, match=next(iter(bad))):
            Vectorizer(**bad).fit(TEXTS)
    with pytest.raises(ValueError, match="lower min_df"):
        Vectorizer(min_df=100).fit(TEXTS)
    with pytest.raises(ValueError, match="empty"):
        Vectorizer().fit([])
    with pytest.raises(TypeError, match="one string"):
        Vectorizer().fit("one string")


def test_clone_and_params():
    vec = Vectorizer(min_df=3, tokenizer=Tokenizer(urls="domain"))
    again = clone(vec)
    assert again.get_params()["min_df"] == 3 and repr(again.tokenizer) == "Tokenizer(urls='domain')"


def test_gensim_conversion_and_texts():
    dtm = Vectorizer(min_df=1, max_df=1.0, phrases=False).fit_transform(_posts())
    dictionary, corpus = dtm.to_gensim()
    assert len(corpus) == dtm.X.shape[0] and len(dictionary) == len(dtm.terms)
    for i in range(3):
        assert dict(corpus[i]) == {j: int(v) for j, v in zip(dtm.X[i].indices, dtm.X[i].data)}
    assert sorted(dtm.texts()[0]) == sorted(t for t, c in zip(dtm.terms, dtm.X[0].toarray()[0]) for _ in range(c))


def test_streaming_equals_in_memory():
    posts = _posts(TEXTS * 5)
    posts["post_id"] = [f"p{i}" for i in range(len(posts))]
    chunks = lambda: (posts.iloc[i:i + 7] for i in range(0, len(posts), 7))  # noqa: E731
    kw = dict(min_df=2, max_df=0.9, phrase_min_count=2, phrase_threshold=0.3)
    a = Vectorizer(**kw).fit_transform(posts)
    b = Vectorizer(**kw).fit_transform(chunks)
    assert a.terms == b.terms and list(a.post_ids) == list(b.post_ids)
    assert (a.X != b.X).nnz == 0
    pd.testing.assert_frame_equal(a.vocab, b.vocab)


def test_parallel_tokenising_equals_serial():
    texts = [f"{t} number {i}" for i, t in enumerate(TEXTS * 30)]
    a = Vectorizer(min_df=1, n_jobs=1, batch_size=50).fit_transform(texts)
    b = Vectorizer(min_df=1, n_jobs=2, batch_size=50).fit_transform(texts)
    assert a.terms == b.terms and (a.X != b.X).nnz == 0


def test_tokenize_verb_keys_by_post_id():
    tokens, report = tokenize(_posts())
    assert tokens.index.name == "post_id" and tokens["p3"][:2] == ["public", "transport"]
    assert report["empty_posts"] == 1 and report["redacted"] == {"phone": 1}
    with pytest.raises(ValueError, match="n_jobs"):
        tokenize(_posts(), n_jobs=0)


def test_on_the_generated_corpus(small_corpus):
    import govsocial as gs

    posts, _ = gs.read_posts(small_corpus / "posts.jsonl.gz")
    dtm = Vectorizer(min_df=3).fit_transform(posts)
    assert dtm.X.shape[0] >= 0.95 * len(posts)
    assert set(dtm.post_ids) <= set(posts["post_id"])
    assert np.all(np.diff(dtm.X.indptr) > 0)

"""Vectorizer and DocTermMatrix: tokens in, vocabulary, pruning report, phrases, display forms, streaming;
raw posts through from_posts / transform_posts (and, deprecated, through fit/transform)."""

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
    return schema.conform(
        {"post_id": [f"p{i}" for i in range(len(texts))], "platform": ["x"] * len(texts), "text": texts}
    )


def test_matrix_rows_are_posts_and_terms_are_pruned_with_a_report():
    dtm = Vectorizer(min_df=2, max_df=0.9, phrases=False).from_posts(_posts())
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
    dtm = Vectorizer(min_df=2, max_df=1.0, phrase_min_count=2, phrase_threshold=0.3).from_posts(_posts())
    assert "mental_health" in dtm.terms and "public_transport" in dtm.terms
    display = dict(zip(dtm.terms, dtm.display))
    assert display["mental_health"] == "mental health"
    assert display["servic"] == "services"  # most frequent surface form of the stem
    assert dtm.report["phrases"] >= 2


def test_hashtags_and_emoji_never_join_phrases():
    texts = ["#FluVax clinic today 👍", "#FluVax clinic open 👍", "#FluVax clinic now 👍"] * 3
    dtm = Vectorizer(min_df=1, max_df=1.0, phrase_min_count=2, phrase_threshold=0.1).from_posts(texts)
    phrases = [t for t in dtm.terms if "_" in t and not t.startswith(("#", "emoji_"))]
    assert not any("#" in t or "emoji" in t for t in phrases)
    assert "#fluvax" in dtm.terms and "emoji_thumbs_up" in dtm.terms


def test_transform_maps_new_posts_onto_the_vocabulary():
    vec = Vectorizer(min_df=1, max_df=1.0, phrases=False)
    vec.from_posts(_posts())
    new = vec.transform_posts(["mental health and unknownword", "zzz"])
    assert list(new.post_ids) == ["0"]
    assert new.X.sum() == 2 and new.report["empty_posts"] == 1
    with pytest.raises(NotFittedError):
        Vectorizer().transform([["x"]])
    with pytest.raises(NotFittedError):
        Vectorizer().transform_posts(["x"])


def test_max_features_keeps_the_most_frequent():
    dtm = Vectorizer(min_df=1, max_df=1.0, max_features=3, phrases=False).from_posts(_posts())
    assert set(dtm.terms) == {"health", "mental", "public"}  # 4, 4, then 3 (ties broken alphabetically)
    assert dtm.report["dropped_terms"]["beyond max_features=3"] > 0


def test_parameter_errors_say_what_to_change():
    for bad in ({"min_df": 0}, {"max_df": 1.5}, {"max_features": 0}, {"phrase_threshold": 2.0}):
        with pytest.raises(ValueError, match=next(iter(bad))):
            Vectorizer(**bad).from_posts(TEXTS)
    with pytest.raises(ValueError, match="lower min_df"):
        Vectorizer(min_df=100).from_posts(TEXTS)
    with pytest.raises(ValueError, match="empty"):
        Vectorizer().fit([])
    with pytest.raises(ValueError, match="empty"):
        Vectorizer().from_posts([])
    with pytest.raises(TypeError, match="one string"):
        Vectorizer().fit("one string")
    with pytest.raises(TypeError, match="one string"):
        Vectorizer().from_posts("one string")


def test_clone_and_params():
    vec = Vectorizer(min_df=3, tokenizer=Tokenizer(urls="domain"))
    again = clone(vec)
    assert again.get_params()["min_df"] == 3 and repr(again.tokenizer) == "Tokenizer(urls='domain')"


def test_gensim_conversion_and_texts():
    dtm = Vectorizer(min_df=1, max_df=1.0, phrases=False).from_posts(_posts())
    dictionary, corpus = dtm.to_gensim()
    assert len(corpus) == dtm.X.shape[0] and len(dictionary) == len(dtm.terms)
    for i in range(3):
        assert dict(corpus[i]) == {j: int(v) for j, v in zip(dtm.X[i].indices, dtm.X[i].data)}
    assert sorted(dtm.texts()[0]) == sorted(t for t, c in zip(dtm.terms, dtm.X[0].toarray()[0]) for _ in range(c))


def test_streaming_equals_in_memory():
    posts = _posts(TEXTS * 5)
    posts["post_id"] = [f"p{i}" for i in range(len(posts))]
    chunks = lambda: (posts.iloc[i : i + 7] for i in range(0, len(posts), 7))  # noqa: E731
    kw = dict(min_df=2, max_df=0.9, phrase_min_count=2, phrase_threshold=0.3)
    a = Vectorizer(**kw).from_posts(posts)
    b = Vectorizer(**kw).from_posts(chunks)
    assert a.terms == b.terms and list(a.post_ids) == list(b.post_ids)
    assert (a.X != b.X).nnz == 0
    pd.testing.assert_frame_equal(a.vocab, b.vocab)


@pytest.mark.slow
def test_parallel_tokenising_equals_serial():
    texts = [f"{t} number {i}" for i, t in enumerate(TEXTS * 30)]
    a = Vectorizer(min_df=1, n_jobs=1, batch_size=50).from_posts(texts)
    b = Vectorizer(min_df=1, n_jobs=2, batch_size=50).from_posts(texts)
    assert a.terms == b.terms and (a.X != b.X).nnz == 0


def test_parallel_chunks_equal_serial_chunks_and_workers_share_their_token_cache():
    from govsocial.text.batch import tokenize_chunks

    # 1,500 distinct texts: chunks of 1,000 are cut into tasks of 500 shared by the caller and one worker
    texts = [f"{t} call 0491 570 {i:03d} #Topic{i % 40} item{i}" for i, t in enumerate(TEXTS[:7] * 215)][:1500]
    serial_tok, parallel_tok = Tokenizer(), Tokenizer()
    serial = list(tokenize_chunks(serial_tok, texts, n_jobs=1, batch_size=1000))
    parallel = list(tokenize_chunks(parallel_tok, texts, n_jobs=2, batch_size=1000))
    assert [len(c[0]) for c in parallel] == [1000, 500]
    assert parallel == serial and sum(c[2]["phone"] for c in serial) > 1000
    # what the worker's cache learnt came back: the caller now knows every token the serial run saw
    assert len(parallel_tok._state()["norm"]) == len(serial_tok._state()["norm"])
    quick = list(tokenize_chunks(Tokenizer(), texts, n_jobs=2, batch_size=1000, surface=False))
    assert [c[0] for c in quick] == [c[0] for c in serial] and not any(c[1] or c[2] for c in quick)


def test_tokenize_verb_keys_by_post_id():
    tokens, report = tokenize(_posts())
    assert tokens.index.name == "post_id" and tokens["p3"][:2] == ["public", "transport"]
    assert report["empty_posts"] == 1 and report["redacted"] == {"phone": 1}
    with pytest.raises(ValueError, match="n_jobs"):
        tokenize(_posts(), n_jobs=0)


def test_on_the_generated_corpus(small_corpus):
    import govsocial as gs

    posts, _ = gs.read_posts(small_corpus / "posts.jsonl.gz")
    dtm = Vectorizer(min_df=3).from_posts(posts)
    assert dtm.X.shape[0] >= 0.95 * len(posts)
    assert set(dtm.post_ids) <= set(posts["post_id"])
    assert np.all(np.diff(dtm.X.indptr) > 0)


# --- tokens in: used as given; raw posts only through from_posts (raw texts into fit warn) ------

# Snowball stems "universities" to "univers" and "agreed" to "agre"; stemmed again they would be "univ" and "agr"
STEM_TEXTS = ["Universities agreed on fees", "Universities open today", "Councils agreed to the plan", "Trains late"]


def _expected_counts(token_lists):
    """Term -> column of counts, counted here from the token lists the test wrote."""
    terms = sorted({t for doc in token_lists for t in doc})
    return terms, [[doc.count(t) for t in terms] for doc in token_lists]


def test_tokens_are_used_as_given_never_tokenised_again():
    posts = _posts(STEM_TEXTS)
    tokens, _ = tokenize(posts)
    assert tokens["p0"][:2] == ["univers", "agre"]  # stemmed once, by the tokenizer
    terms, rows = _expected_counts(tokens.tolist())
    for given in (tokens, tokens.tolist(), pd.DataFrame({"post_id": tokens.index, "tokens": tokens.to_numpy()})):
        dtm = Vectorizer(min_df=1, max_df=1.0, phrases=False).fit_transform(given)
        assert dtm.terms == terms and not {"univ", "agr"} & set(dtm.terms)  # what stemming again would give
        assert dtm.X.toarray().tolist() == rows
    dtm = Vectorizer(min_df=1, max_df=1.0, phrases=False).fit_transform(tokens)
    assert list(dtm.post_ids) == ["p0", "p1", "p2", "p3"] and dtm.display == dtm.terms
    assert dtm.report["redacted"] is None and dtm.report["tokenizer"] is None


def test_hand_made_tokens_tuples_and_arrays_keep_their_words():
    docs = [("buses", "Running", "late"), np.array(["buses", "on", "time"]), ["#FluVax", "buses"]]
    dtm = Vectorizer(min_df=1, max_df=1.0, phrases=False).fit_transform(docs)
    assert dtm.terms == ["#FluVax", "Running", "buses", "late", "on", "time"]
    assert dtm.X[:, dtm.terms.index("buses")].toarray().ravel().tolist() == [1, 1, 1]


def test_tokens_phrases_pruning_report_and_transform():
    docs = [
        ["mental", "health", "week"],
        ["mental", "health", "help"],
        ["mental", "health"],
        ["train", "late"],
        ["train", "late", "again"],
        [],
    ]
    vec = Vectorizer(min_df=2, max_df=0.9, phrase_min_count=2, phrase_threshold=0.3)
    dtm = vec.fit_transform(docs)
    assert dtm.terms == ["mental_health", "train_late"] and dtm.display == ["mental health", "train late"]
    assert dtm.report["phrases"] == 2 and dtm.report["empty_post_ids"] == ["5"]
    seen = {"mental_health", "week", "help", "train_late", "again"}
    assert dtm.report["terms_seen"] == len(seen) and dtm.report["terms_kept"] == 2
    assert vec.transform([["mental", "health", "and", "train", "late"]]).X.toarray().tolist() == [[1, 1]]


def test_streaming_tokens_equal_tokens_in_memory():
    tokens, _ = tokenize(_posts(TEXTS * 5))
    chunks = lambda: (tokens.iloc[i : i + 7] for i in range(0, len(tokens), 7))  # noqa: E731
    kw = dict(min_df=2, max_df=0.9, phrase_min_count=2, phrase_threshold=0.3)
    a = Vectorizer(**kw).fit_transform(tokens)
    b = Vectorizer(**kw).fit_transform(chunks)
    assert a.terms == b.terms and list(a.post_ids) == list(b.post_ids) and (a.X != b.X).nnz == 0


def test_tokens_that_are_not_token_lists_are_refused_with_the_post():
    with pytest.raises(TypeError, match="document p1 is a str"):
        Vectorizer(min_df=1).fit_transform(pd.Series([["flu"], "flu jab"], index=["p0", "p1"]))
    with pytest.raises(TypeError, match="document 1 holds 3 .int.; tokens must be strings"):
        Vectorizer(min_df=1).fit([["flu"], ["flu", 3]])
    with pytest.raises(TypeError, match="fit_transform"):
        Vectorizer(min_df=1).from_posts([["flu", "jab"]])


def test_from_posts_tokenises_with_the_vectorizers_tokenizer_and_follows_its_changes():
    vec = Vectorizer(Tokenizer(normalize="none"), min_df=1, max_df=1.0, phrases=False)
    assert "universities" in vec.from_posts(STEM_TEXTS).terms
    vec.set_params(tokenizer__normalize="stem")  # the tokenizer's caches go with the old value
    dtm = vec.from_posts(STEM_TEXTS)
    assert "univers" in dtm.terms and "universities" not in dtm.terms
    assert dtm.display[dtm.terms.index("univers")] == "universities" and dtm.report["tokenizer"] == "Tokenizer()"
    assert vec.transform_posts(["universities, Universities"]).X[0, dtm.terms.index("univers")] == 2


@pytest.mark.parametrize("method", ["fit", "fit_transform", "transform"])
@pytest.mark.parametrize("shape", ["table", "series", "list", "chunks"])
def test_raw_texts_into_fit_and_transform_warn_once_and_still_work(method, shape):
    posts = _posts()
    data = {
        "table": posts,
        "series": posts.set_index("post_id")["text"],
        "list": posts["text"].tolist(),
        "chunks": lambda: (posts.iloc[i : i + 3] for i in range(0, len(posts), 3)),
    }[shape]
    kw = dict(min_df=2, max_df=0.9, phrases=False)
    expected = Vectorizer(**kw).from_posts(posts)
    vec = Vectorizer(**kw)
    if method == "transform":
        vec.from_posts(posts)
    with pytest.warns(FutureWarning) as caught:
        out = getattr(vec, method)(data)
    assert len(caught) == 1 and caught[0].filename == __file__  # pointed at the caller's line
    message = str(caught[0].message)
    assert "from_posts" in message or "transform_posts" in message
    assert "gs.tokenize" in message and f"{method}(tokens)" in message
    assert vec.vocab_.equals(expected.vocab)
    if method != "fit":
        assert (out.X != expected.X).nnz == 0 and out.report["redacted"] == {"phone": 1}


def test_tokens_from_posts_and_from_the_tokenize_command_agree(tmp_path):
    import govsocial as gs
    from govsocial.cli import main

    posts = _posts(STEM_TEXTS + TEXTS)
    posts.to_parquet(tmp_path / "posts.parquet", index=False)
    assert main(["tokenize", str(tmp_path / "posts.parquet"), "--out", str(tmp_path / "tokens.parquet")]) == 0
    written = pd.read_parquet(tmp_path / "tokens.parquet")
    kw = dict(min_df=2, max_df=0.9, phrases=False)
    from_file = Vectorizer(**kw).fit_transform(written)
    from_verb = Vectorizer(**kw).fit_transform(gs.tokenize(posts)[0])
    from_posts = Vectorizer(**kw).from_posts(posts)
    assert from_file.terms == from_verb.terms == from_posts.terms
    assert (from_file.X != from_posts.X).nnz == 0 and list(from_file.post_ids) == list(from_posts.post_ids)

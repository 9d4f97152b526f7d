"""Tokeniser behaviours on hand-written examples, against nltk's TweetTokenizer, and as properties."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nltk.tokenize import TweetTokenizer

from govsocial.text import Tokenizer, split_hashtag

PLAIN = Tokenizer(normalize="none")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Sooooo gooood", ["soo", "good"]),  # elongations reduced (then 'soo' is kept, 'good' normalised)
        ("Fish &amp; chips &lt;3", ["fish", "chips"]),  # HTML entities unescaped
        ("ＲＯＡＤ width ﬁne", ["road", "width", "fine"]),  # NFKC
        ("ROAD Closed", ["road", "closed"]),  # case folded
        ("clinic https://t.co/abc123 and www.health.gov.example/x", ["clinic"]),  # URLs dropped
        ("@HealthDept @jo_b hello there", []),  # mentions dropped; hello/there are stopwords
        ("Get your #CovidVaccineRollout shot", ["#covidvaccinerollout", "covid", "vaccine", "rollout", "shot"]),
        ("#stayhomesavelives", ["#stayhomesavelives", "stay", "home", "save", "lives"]),
        ("Great work 👍🏽", ["great", "work", "emoji_thumbs_up"]),
        ("RT via amp dm pls", []),  # social filler
        ("Click here to find out more about bins", ["bins"]),  # government boilerplate
        ("Read more info about bins", ["bins"]),  # overlapping phrases of equal length: both removed, in any process
        ("Full details here on rates. Tap the link in bio", ["rates"]),
        ("In 2023, 1,204 people and 5 dogs", ["people", "dogs"]),  # numbers dropped
        ("covid19 and h5n1 cases", ["covid19", "h5n1", "cases"]),  # letters+digits kept
        ("a b c x y z", []),  # one-letter tokens dropped
        ("the agency's plan, don't panic", ["agency", "plan", "panic"]),  # possessives and contractions
        ("call 0491 570 156 or jo@example.com", ["call"]),  # redacted first; placeholders dropped
        ("", []),
    ],
)
def test_default_behaviours(text, expected):
    assert PLAIN(text) == expected


def test_options():
    assert Tokenizer(urls="domain", normalize="none")("clinic https://www.health.gov.au/flu") == [
        "clinic",
        "url:health.gov.au",
    ]
    assert Tokenizer(mentions="keep", normalize="none")("@HealthDept thanks") == ["@healthdept", "thanks"]
    assert Tokenizer(hashtags="tag", normalize="none")("#FluVax now") == ["#fluvax"]
    assert Tokenizer(hashtags="words", normalize="none")("#FluVax") == ["flu", "vax"]
    assert Tokenizer(hashtags="drop", normalize="none")("#FluVax clinic") == ["clinic"]
    assert Tokenizer(emoji="words", normalize="none")("nice 👍") == ["nice", "thumbs"]
    assert Tokenizer(emoji="drop", normalize="none")("nice 👍") == ["nice"]
    assert Tokenizer(numbers=True, normalize="none")("in 2023 people") == ["2023", "people"]
    assert Tokenizer(stopwords=None, filler=False, normalize="none")("the rt") == ["the", "rt"]
    assert Tokenizer(extra_stopwords=["council"], normalize="none")("council bins") == ["bins"]
    assert Tokenizer(boilerplate=["stay tuned"], normalize="none")("stay tuned for bins") == ["bins"]
    assert Tokenizer(redact=False, numbers=True, normalize="none")("call 0491570156") == ["call", "0491570156"]
    assert Tokenizer(min_length=4, normalize="none")("the big vaccine") == ["vaccine"]
    assert Tokenizer()("vaccinations vaccinated") == ["vaccin", "vaccin"]  # Snowball stems


@pytest.mark.parametrize(
    "bad",
    [
        {"urls": "keep"},
        {"emoji": "x"},
        {"min_length": 0},
        {"normalize": "lemma"},
        {"stopwords": "french"},
        {"extra_stopwords": "word"},
    ],
)
def test_invalid_options_say_what_to_change(bad):
    with pytest.raises(ValueError, match=next(iter(bad))):
        Tokenizer(**bad)("text")


def test_wrong_input_types():
    with pytest.raises(TypeError, match="tokenize_many"):
        Tokenizer()(["a list"])
    with pytest.raises(TypeError, match="wrap it in a list"):
        Tokenizer().tokenize_many("one string")
    assert Tokenizer().tokenize_many([None, float("nan"), "flu"]) == [[], [], ["flu"]]


def test_batch_equals_one_by_one_and_keeps_alignment():
    texts = ["Line one\nline two #Tag", "", "👍", "x@example.com", "normal words here", "\n\n"]
    tok = Tokenizer()
    assert tok.tokenize_many(texts) == [tok(t) for t in texts]


def test_surface_forms_are_counted():
    tokens, surface, found = Tokenizer().tokenize_many(
        ["Vaccines vaccines vaccinated", "call 0491 570 156"], return_surface=True
    )
    assert tokens[0] == ["vaccin", "vaccin", "vaccin"]
    assert surface[("vaccin", "vaccines")] == 2 and surface[("vaccin", "vaccinated")] == 1
    assert found == {"phone": 1}


def test_usable_as_a_scikit_learn_analyzer():
    from sklearn.feature_extraction.text import CountVectorizer

    vec = CountVectorizer(analyzer=Tokenizer(normalize="none"))
    X = vec.fit_transform(["flu clinic open", "clinic closed"])
    assert sorted(vec.vocabulary_) == ["clinic", "closed", "flu", "open"] and X.sum() == 5


def test_repr_and_pickle():
    import pickle

    tok = Tokenizer(urls="domain")
    tok("warm the cache")
    again = pickle.loads(pickle.dumps(tok))
    assert repr(again) == "Tokenizer(urls='domain')" and again("flu") == tok("flu")


# --- reference: nltk's TweetTokenizer --------------------------------------------------------

REFERENCE = [
    "Flu clinics open this week at Kelbrook library!",
    "Is the pool open on Saturday?? Asking for my kids",
    "Roads closed near Dunford, detours in place",
    "Thanks team, brilliant service from the council",
    "Bin collection runs one day late this week",
]


@pytest.mark.parametrize("text", REFERENCE)
def test_words_agree_with_tweettokenizer(text):
    """On plain sentences our tokens are TweetTokenizer's word tokens, lower-cased,
    minus punctuation, stopwords and one-letter tokens (by design)."""
    ours = Tokenizer(normalize="none", stopwords=None, filler=False, boilerplate=False)(text)
    ref = [t.lower() for t in TweetTokenizer().tokenize(text) if re.search(r"\w", t) and len(t) > 1]
    assert ours == ref


def test_differences_from_tweettokenizer_are_deliberate():
    text = "@HealthDept #FluVax https://t.co/x 👍"
    ref = TweetTokenizer().tokenize(text)
    assert ref == ["@HealthDept", "#FluVax", "https://t.co/x", "👍"]
    # we drop handles and URLs (noise for topics), split hashtags into words and name emoji
    assert Tokenizer(normalize="none")(text) == ["#fluvax", "flu", "vax", "emoji_thumbs_up"]


def test_split_hashtag():
    assert split_hashtag("#StaySafeVic") == ["stay", "safe", "vic"]
    assert split_hashtag("haveyoursay") == ["have", "your", "say"]
    assert split_hashtag("") == []


# --- properties --------------------------------------------------------------------------------

TOK = Tokenizer()


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_never_raises_no_whitespace_urls_or_handles_and_deterministic(text):
    tokens = TOK(text)
    assert tokens == Tokenizer()(text)
    for t in tokens:
        assert t and not any(c.isspace() for c in t)
        assert "://" not in t and not t.startswith("www.")
        assert not t.startswith("@")


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=40), max_size=20))
def test_batches_align(texts):
    assert len(TOK.tokenize_many(texts)) == len(texts)
    assert TOK.tokenize_many(texts) == [TOK(t) for t in texts]


# --- a scikit-learn estimator; no stale caches; tokens independent of the batch -----------------


def test_scikit_learn_parameters_and_clone():
    from sklearn.base import clone

    tok = Tokenizer(urls="domain", extra_stopwords=["bins"])
    params = tok.get_params()
    assert set(params) == {
        "urls",
        "mentions",
        "hashtags",
        "emoji",
        "stopwords",
        "extra_stopwords",
        "filler",
        "boilerplate",
        "normalize",
        "numbers",
        "min_length",
        "redact",
        "elongation",
    }
    copy = clone(tok)
    assert copy is not tok and copy.get_params() == params
    assert tok.set_params(mentions="keep") is tok and tok.mentions == "keep"
    assert copy("@jo bins at www.kelbrook.gov/x") == ["url:kelbrook.gov"]
    assert tok("@jo bins at www.kelbrook.gov/x") == ["@jo", "url:kelbrook.gov"]


@pytest.mark.parametrize("change", ["set_params", "setattr"])
def test_changing_a_parameter_after_a_call_drops_the_caches(change):
    tok = Tokenizer()
    texts = ["Vaccines for everyone", "Roads closed"]
    assert tok("Vaccines for everyone") == ["vaccin"] and tok.tokenize_many(texts) == [["vaccin"], ["road", "close"]]
    if change == "set_params":
        tok.set_params(normalize="none", extra_stopwords=["roads"])
    else:
        tok.normalize, tok.extra_stopwords = "none", ["roads"]
    assert tok("Vaccines for everyone") == ["vaccines"]
    assert tok.tokenize_many(texts) == [["vaccines"], ["closed"]]
    tok.set_params(min_length=9)  # each change counts, not only the first
    assert tok("Vaccines for everyone") == [] and tok.tokenize_many(texts) == [[], []]


def test_an_entity_for_a_new_line_is_a_space():
    tok = Tokenizer()
    expected = tok("Flood warning for the valley")
    assert tok("Flood&#10;warning for the valley") == expected
    assert tok.tokenize_many(["Flood&#10;warning for the valley", "Roads &NewLine; closed"]) == [
        expected,
        tok("Roads closed"),
    ]


@pytest.mark.parametrize(
    "text, alone",
    [
        ("click\there for bins", "click here for bins"),  # a tab is a space (boilerplate phrase)
        ("bins\r\nfind\tout\x0bmore", "bins find out more"),
        ("bins .www.kelbrook.gov/x", "bins ."),  # a web address after a dot
        ("bins WWW.KELBROOK.GOV/x", "bins"),  # upper-case "WWW." with no "://" in the text
    ],
)
def test_tokens_never_depend_on_the_other_texts_of_the_batch(text, alone):
    tok = Tokenizer()
    expected = tok(alone)
    assert tok(text) == expected
    for mates in ([], ["é"], ["HTTP://X.ORG"], ["é", "a\tb", "Www.x.org"]):
        assert tok.tokenize_many([text, *mates])[0] == expected


FRAGMENTS = [
    "&amp;",
    "&#10;",
    "&#9;",
    "&lt;",
    "\t",
    "\r",
    "\n",
    " ",
    ".",
    "é",
    "👍🏽",
    "Ã©",
    "ＲＯＡＤ",
    "https://t.co/x",
    "HTTP://X.ORG",
    "www.kelbrook.gov/a",
    "WWW.A.ORG",
    ".www.b.org",
    "0491 570 156",
    "jo@example.com",
    "12 Wattle Street",
    "@jo_b",
    "#StaySafe",
    "#stayhomesavelives",
    "find out more",
    "click",
    "here",
    "Sooooo",
    "don't",
    "agency's",
    "2023",
    "covid19",
    "vaccines",
    "the",
    "roads",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(FRAGMENTS), max_size=12).map("".join), min_size=1, max_size=6))
def test_one_call_and_batches_agree_on_texts_built_to_reach_every_step(texts):
    tok = Tokenizer()
    one = [tok(t) for t in texts]
    assert Tokenizer().tokenize_many(texts) == one
    assert tok.tokenize_many(texts[::-1]) == one[::-1]


def test_the_token_cache_is_bounded_and_never_changes_the_tokens(monkeypatch):
    import govsocial.text.tokenizer as module

    texts = [f"clinic{i} open near road {i}a, vaccines{i % 7}" for i in range(60)]
    expected = Tokenizer().tokenize_many(texts)
    monkeypatch.setattr(module, "CACHE_LIMIT", 10)
    tok = Tokenizer()
    assert [tok(t) for t in texts] == expected and tok.tokenize_many(texts) == expected
    assert len(tok._state()["norm"]) <= 10 + 8 * len(texts)  # one batch may overshoot the limit
    tok("x")
    assert len(tok._state()["norm"]) <= 11


# --- the stemmer is nltk's Snowball English stemmer, faster ---------------------------------------

_SUFFIXES = [
    "ational",
    "tional",
    "ization",
    "fulness",
    "ousness",
    "iveness",
    "biliti",
    "lessli",
    "entli",
    "ation",
    "alism",
    "aliti",
    "ousli",
    "iviti",
    "fulli",
    "enci",
    "anci",
    "abli",
    "izer",
    "ator",
    "alli",
    "bli",
    "ogi",
    "li",
    "alize",
    "icate",
    "iciti",
    "ative",
    "ical",
    "ness",
    "ful",
    "ement",
    "ance",
    "ence",
    "able",
    "ible",
    "ment",
    "ant",
    "ent",
    "ism",
    "ate",
    "iti",
    "ous",
    "ive",
    "ize",
    "ion",
    "al",
    "er",
    "ic",
    "eedly",
    "ingly",
    "edly",
    "eed",
    "ing",
    "ed",
    "sses",
    "ied",
    "ies",
    "us",
    "ss",
    "s",
    "'s'",
    "'s",
    "'",
    "y",
    "e",
    "l",
]


def test_stem_equals_nltk_snowball_on_a_vocabulary_and_every_suffix_pair():
    from nltk.stem.snowball import SnowballStemmer
    from wordsegment import Segmenter

    from govsocial.text.stem import stem

    reference = SnowballStemmer("english").stem
    segmenter = Segmenter()
    segmenter.load()
    words = sorted(segmenter.unigrams)[::16]  # about 20,000 English words
    words += [
        head + a + b for head in ("gener", "arsen", "b", "say", "hop") for a in _SUFFIXES for b in ["", *_SUFFIXES]
    ]
    assert [stem(w) for w in words] == [reference(w) for w in words]


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="aeiouyYbcdlnstgrmpkzwx'’‘‛ßİé", max_size=14))
def test_stem_equals_nltk_snowball_on_random_strings(word):
    from nltk.stem.snowball import SnowballStemmer

    from govsocial.text.stem import stem

    assert stem(word) == SnowballStemmer("english").stem(word)


def test_boilerplate_key_words_cover_every_phrase():
    from govsocial.text.cleaning import _by_longest_word, _key_words, compile_boilerplate
    from govsocial.text.stopwords import GOV_BOILERPLATE

    for phrases in (GOV_BOILERPLATE, ["stay tuned", "stay safe", "tuned in"], ["a", "b c", "c d", "d"]):
        keys = _key_words(_by_longest_word(compile_boilerplate(phrases)))
        assert all(any(k in p.casefold() for k in keys) for p in phrases), (phrases, keys)
    assert len(_key_words(_by_longest_word(compile_boilerplate(GOV_BOILERPLATE)))) < 11

"""Stopword and boilerplate lists (no downloads: built from scikit-learn's and gensim's lists).

Example
-------
>>> "the" in english_stopwords() and "rt" in SOCIAL_FILLER and "fire" not in english_stopwords()
True
"""

from __future__ import annotations

from functools import lru_cache

__all__ = ["english_stopwords", "SOCIAL_FILLER", "GOV_BOILERPLATE", "CONTRACTIONS", "CONTENT_WORDS"]

SOCIAL_FILLER = frozenset(
    {
        "rt",
        "via",
        "amp",
        "gt",
        "lt",
        "mt",
        "ht",
        "cc",
        "dm",
        "dms",
        "pm",
        "am",
        "im",
        "ive",
        "id",
        "ill",
        "youre",
        "theyre",
        "were",
        "dont",
        "cant",
        "wont",
        "isnt",
        "arent",
        "didnt",
        "doesnt",
        "wasnt",
        "havent",
        "hasnt",
        "couldnt",
        "shouldnt",
        "wouldnt",
        "thats",
        "whats",
        "theres",
        "heres",
        "lets",
        "u",
        "ur",
        "pls",
        "plz",
        "thx",
        "lol",
        "omg",
        "btw",
        "idk",
        "tbh",
        "imo",
        "yeah",
        "yes",
        "ok",
        "okay",
        "oh",
        "hey",
        "hi",
        "hello",
        "gonna",
        "wanna",
        "gotta",
        "just",
        "really",
        "like",
        "get",
        "got",
        "also",
        "today",
        "tonight",
        "tomorrow",
        "thread",
    }
)

# Phrases agencies append to posts that carry no content of their own.
GOV_BOILERPLATE = (
    "click here",
    "click the link",
    "find out more",
    "read more",
    "learn more",
    "more info",
    "more information",
    "for more information",
    "link in bio",
    "link in our bio",
    "swipe up",
    "tap the link",
    "see more",
    "details here",
    "visit our website",
    "check out our website",
    "full details",
    "find out how",
    "see the link",
    "read the full story",
)

CONTRACTIONS = frozenset(
    {
        "don't",
        "can't",
        "won't",
        "isn't",
        "aren't",
        "didn't",
        "doesn't",
        "wasn't",
        "weren't",
        "haven't",
        "hasn't",
        "couldn't",
        "shouldn't",
        "wouldn't",
        "it's",
        "i'm",
        "i've",
        "i'd",
        "i'll",
        "you're",
        "you've",
        "you'll",
        "we're",
        "we've",
        "we'll",
        "they're",
        "they've",
        "they'll",
        "that's",
        "what's",
        "there's",
        "here's",
        "let's",
        "he's",
        "she's",
        "who's",
        "y'all",
        "ain't",
    }
)


# scikit-learn's list (from the Glasgow IR group) holds content words that matter in
# government posts ("fire" ban, water "bill", "call" 000, "system", "interest" rates);
# they are kept as terms.
CONTENT_WORDS = frozenset(
    {
        "fire",
        "bill",
        "call",
        "system",
        "interest",
        "detail",
        "find",
        "full",
        "give",
        "move",
        "part",
        "show",
        "side",
        "top",
        "front",
        "amount",
        "fill",
        "serious",
        "computer",
        "empty",
        "name",
        "bottom",
        "thick",
        "thin",
        "cry",
        "mill",
        "describe",
        "sincere",
    }
)


@lru_cache(maxsize=1)
def english_stopwords() -> frozenset[str]:
    """scikit-learn's and gensim's English stopword lists, united, less ``CONTENT_WORDS``.

    Example
    -------
    >>> len(english_stopwords()) > 300
    True
    """
    from gensim.parsing.preprocessing import STOPWORDS
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return (frozenset(ENGLISH_STOP_WORDS) | frozenset(STOPWORDS)) - CONTENT_WORDS

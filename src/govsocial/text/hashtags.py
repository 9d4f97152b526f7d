"""Hashtag segmentation: CamelCase first, then a word-frequency dictionary.

``#CovidVaccineRollout`` → ``covid vaccine rollout`` (case cues);
``#stayhomesavelives`` → ``stay home save lives`` (dictionary: the unigram counts
shipped with the ``wordsegment`` package, plus recent public-sector words it lacks).

Example
-------
>>> split_hashtag("CovidVaccineRollout"), split_hashtag("stayhomesavelives")
(['covid', 'vaccine', 'rollout'], ['stay', 'home', 'save', 'lives'])
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

__all__ = ["split_hashtag", "EXTRA_WORDS"]

_CAMEL = re.compile(r"[A-Z]{2,}(?=[A-Z][a-z]|\d|\b|_)|[A-Z]?[a-z]+|[A-Z]+|\d+")

# Words common in government posts that the 2008-era unigram list lacks or under-counts.
EXTRA_WORDS = (
    "covid",
    "vax",
    "vaxx",
    "booster",
    "mygov",
    "centrelink",
    "medicare",
    "ndis",
    "tafe",
    "hecs",
    "rego",
    "kindy",
    "lockdown",
    "bushfire",
    "bushfires",
    "covidsafe",
    "selfie",
    "app",
    "apps",
    "online",
    "wellbeing",
    "roadworks",
    "tradie",
    "tradies",
    "aussie",
    "aussies",
    "uni",
    "esafety",
    "cyber",
    "scam",
    "scams",
)


@lru_cache(maxsize=1)
def _unigrams() -> tuple[dict[str, float], int]:
    from wordsegment import Segmenter

    seg = Segmenter()
    seg.load()
    total = float(seg.total)
    # One float object per distinct count, made in one run in the word list's order (commonest
    # first): a segmentation's look-ups (each touches the value's reference count) then fall on
    # few memory pages, which a forked worker (tokenize_chunks with n_jobs > 1) need not copy.
    value = {c: math.log(c / total) for c in dict.fromkeys(seg.unigrams.values())}
    logp = {w: value[c] for w, c in seg.unigrams.items()}
    top = max(seg.unigrams.values())
    for w in EXTRA_WORDS:
        logp[w] = max(logp.get(w, -1e9), math.log(top / 50 / total))
    return logp, 24


def _unknown(word: str) -> float:
    return math.log(10.0 / (1e12 * 10 ** len(word)))


_UNKNOWN = tuple(math.log(10.0 / (1e12 * 10**n)) for n in range(64))  # _unknown by word length


@lru_cache(maxsize=100_000)
def _segment(text: str) -> tuple[str, ...]:
    logp, longest = _unigrams()
    get, unknown = logp.get, _UNKNOWN
    n = len(text)
    best = [0.0] + [-math.inf] * n
    back = [0] * (n + 1)
    for end in range(1, n + 1):
        top, arg = -math.inf, 0
        for start in range(max(0, end - longest), end):
            score = best[start] + get(text[start:end], unknown[end - start])
            if score > top:
                top, arg = score, start
        best[end], back[end] = top, arg
    words = []
    end = n
    while end > 0:
        words.append(text[back[end] : end])
        end = back[end]
    return tuple(reversed(words))


def split_hashtag(tag: str) -> list[str]:
    """Split a hashtag (without ``#``) into lower-case words.

    Example
    -------
    >>> split_hashtag("NSWRFS"), split_hashtag("Budget2024"), split_hashtag("mental_health")
    (['nswrfs'], ['budget', '2024'], ['mental', 'health'])
    """
    tag = tag.lstrip("#")
    if not tag:
        return []
    words: list[str] = []
    for part in tag.split("_"):
        if not part:
            continue
        pieces = _CAMEL.findall(part)
        for piece in pieces:
            if piece.isdigit() or piece.isupper() or len(piece) <= 3:
                words.append(piece.lower())
            elif len(pieces) == 1 and piece.islower() and len(piece) > 5:
                words.extend(_segment(piece))
            else:
                words.append(piece.lower())
        if not pieces:
            words.append(part.lower())
    return words

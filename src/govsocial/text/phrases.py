"""Collocations (``mental_health``) learned with gensim's ``Phrases`` (NPMI) and joined into token lists.

Hashtags, emoji, links and handles never take part in phrases.

Example
-------
>>> docs = [["mental", "health", "week"], ["mental", "health", "#help"], ["road", "works"]] * 3
>>> model = learn_phrases(docs, min_count=2, threshold=0.5)
>>> apply_phrases([["free", "mental", "health", "check"]], phrase_pairs(model.freeze()))
[['free', 'mental_health', 'check']]
"""

from __future__ import annotations

from typing import Any, Iterable

__all__ = ["SPECIAL", "is_special", "split_special", "learn_phrases", "add_documents", "phrase_pairs", "apply_phrases"]

SPECIAL = ("#", "@", "url:", "emoji_")


def is_special(token: str) -> bool:
    """A hashtag, handle, link or emoji token (kept as it is: never stemmed, never in a phrase).

    Example
    -------
    >>> is_special("#fluvax"), is_special("flu")
    (True, False)
    """
    return token.startswith(SPECIAL)


def split_special(doc: list[str]) -> tuple[list[str], list[str]]:
    """The words of a document and its special tokens, each in order.

    Example
    -------
    >>> split_special(["flu", "#fluvax", "clinic"])
    (['flu', 'clinic'], ['#fluvax'])
    """
    words = [t for t in doc if not t.startswith(SPECIAL)]
    if len(words) == len(doc):
        return words, []
    return words, [t for t in doc if t.startswith(SPECIAL)]


def learn_phrases(docs: Iterable[list[str]], *, min_count: int, threshold: float) -> Any:
    """A gensim ``Phrases`` model (NPMI scoring, no connector words) learned on the words of ``docs``.

    Example
    -------
    >>> learn_phrases([["a", "b"]] * 3, min_count=2, threshold=0.5).corpus_word_count
    6
    """
    from gensim.models.phrases import Phrases

    model = Phrases(min_count=min_count, threshold=threshold, scoring="npmi", connector_words=frozenset())
    return add_documents(model, docs)


def add_documents(model: Any, docs: Iterable[list[str]]) -> Any:
    """Count the words and bigrams of more documents into a ``Phrases`` model (special tokens left out).

    Example
    -------
    >>> model = learn_phrases([["a", "b"]], min_count=2, threshold=0.5)
    >>> add_documents(model, [["a", "#b", "c"]]).corpus_word_count
    4
    """
    model.add_vocab(split_special(d)[0] for d in docs)
    return model


def phrase_pairs(frozen: Any) -> dict[tuple[str, str], str]:
    """``(first, second) -> "first_second"`` for every bigram of a frozen phrase model (none for ``None``).

    A word with ``_`` inside cannot be told apart from a phrase, so such grams are skipped.

    Example
    -------
    >>> phrase_pairs(None)
    {}
    """
    pairs = {}
    for gram in frozen.phrasegrams if frozen is not None else {}:
        parts = gram.split("_")
        if len(parts) == 2:
            pairs[(parts[0], parts[1])] = gram
    return pairs


def apply_phrases(docs: list[list[str]], pairs: dict[tuple[str, str], str]) -> list[list[str]]:
    """Join learned bigrams left to right, as gensim's ``FrozenPhrases`` does, only faster.

    The documents are not changed: joined ones are new lists (all of them are ``docs`` itself
    when there are no pairs).

    Example
    -------
    >>> apply_phrases([["a", "b", "b", "a", "b"]], {("a", "b"): "a_b"})
    [['a_b', 'b', 'a_b']]
    """
    if not pairs:
        return docs
    get = pairs.get
    out = []
    for doc in docs:
        n = len(doc)
        if n < 2:
            out.append(doc)
            continue
        new: list[str] = []
        i = 0
        while i < n - 1:
            gram = get((doc[i], doc[i + 1]))
            if gram is not None:
                new.append(gram)
                i += 2
            else:
                new.append(doc[i])
                i += 1
        if i == n - 1:
            new.append(doc[i])
        out.append(new)
    return out

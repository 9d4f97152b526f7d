"""Structural cues of posts (features other than their words) and codebook keyword evidence.

Cues: ``is_reply`` (the post replies to another), ``addresses_citizen`` (it replies to,
or opens by mentioning, an account that is not a known government account),
``asks_question`` (a question mark outside links), ``call_to_action`` (an imperative
such as "call", "apply", "share", "contact" opening a sentence, or "please" + verb) and
``has_link``. From a posts table the reply cues come from ``reply_to_post_id`` /
``reply_to_account_id`` and the accounts' types; from plain texts, from a leading
@mention.

Example
-------
>>> structural_cues(["@jo Thanks, we will look into it", "Call 000 now https://x.au"]).astype(int).values.tolist()
[[1, 0, 0, 0, 1], [0, 0, 1, 1, 0]]
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from .codebook import CUES, Codebook, load_codebook

__all__ = ["structural_cues", "keyword_evidence", "texts_of"]

_LINK = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_LEADING_MENTION = re.compile(r"^\s*(?:\.\s*)?@\w+")
_ACTIONS = (
    "call|phone|ring|dial|contact|visit|apply|book|register|enrol|sign up|share|retweet|report|click|tap|"
    "download|join|tell|email|dm|message|check|find out|read|watch|follow|renew|pay|submit|complete|vote|"
    "take|help|come|get|see|head|learn|don't|do not|make sure|remember|keep|stay|avoid|please"
)
_CTA = re.compile(rf"(?:^|[.!?:]\s+|\n)\s*(?:please\s+)?(?:{_ACTIONS})\b", re.IGNORECASE)
_WORD_SPLIT = re.compile(r"[^\w@#'&-]+", re.UNICODE)


def texts_of(posts: Any) -> list[str]:
    """The texts of a posts table, a Series or a list of strings.

    Example
    -------
    >>> texts_of(["a", None])
    ['a', '']
    """
    if isinstance(posts, pd.DataFrame):
        if "text" not in posts.columns:
            raise ValueError("the posts table needs a 'text' column")
        values = posts["text"]
    elif isinstance(posts, str):
        raise TypeError("pass a list of texts or a posts table, not one string")
    elif hasattr(posts, "post_ids") and hasattr(posts, "X"):
        raise TypeError(
            "theme scoring reads the posts' text: pass the posts table (or a list of texts), not a DocTermMatrix"
        )
    else:
        values = pd.Series(list(posts), dtype=object)
    return ["" if (v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA) else str(v) for v in values]


def structural_cues(posts: Any) -> pd.DataFrame:
    """A boolean table of the cues in ``CUES`` for each post (posts table or texts).

    Example
    -------
    >>> structural_cues(["Have your say? Take the survey"])["asks_question"].tolist()
    [True]
    """
    texts = texts_of(posts)
    bare = [_LINK.sub(" ", t) for t in texts]
    leading = np.array([bool(_LEADING_MENTION.match(t)) for t in texts])
    out = pd.DataFrame(
        {
            "is_reply": leading,
            "addresses_citizen": leading,
            "asks_question": [("?" in t) for t in bare],
            "call_to_action": [bool(_CTA.search(t)) for t in bare],
            "has_link": [bool(_LINK.search(t)) for t in texts],
        }
    )
    if isinstance(posts, pd.DataFrame) and "reply_to_post_id" in posts.columns:
        is_reply = posts["reply_to_post_id"].notna().to_numpy() | leading
        out["is_reply"] = is_reply
        if "reply_to_account_id" in posts.columns and "account_type" in posts.columns:
            government = set(posts.loc[posts["account_type"] == "government", "account_id"].dropna())
            target = posts["reply_to_account_id"]
            known_gov = target.isin(government).to_numpy()
            out["addresses_citizen"] = (is_reply & ~known_gov) | (leading & ~known_gov)
    out.index = posts.index if isinstance(posts, (pd.DataFrame, pd.Series)) else pd.RangeIndex(len(texts))
    return out[list(CUES)]


def _normalise(text: str) -> str:
    return " " + " ".join(w for w in _WORD_SPLIT.split(_LINK.sub(" ", text.lower())) if w) + " "


def keyword_evidence(
    posts: Any,
    codebook: str | Codebook,
    *,
    tokenizer: Any = None,
    phrase_weight: float = 2.0,
    cues: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Evidence for each theme: seed words found (as tokens, stemmed like the posts), phrases
    found (``phrase_weight`` each, on the lower-cased text) and the theme's cue weights.
    ``codebook``: a packaged codebook's name, a TOML file's path, or a loaded codebook.
    ``tokenizer``: a :class:`~govsocial.text.Tokenizer` (default settings when None) that
    tokenises the posts and the seeds alike; ``cues``: the posts' :func:`structural_cues`,
    when already computed. Posts × themes, indexed like the posts.

    Example
    -------
    >>> ev = keyword_evidence(["Have your say: take our survey"], "oecd")
    >>> ev.idxmax(axis=1).tolist()
    ['sourcing_ideas']
    >>> from govsocial.text import Tokenizer
    >>> float(keyword_evidence(["surveys"], "oecd", tokenizer=Tokenizer(normalize="none"))["sourcing_ideas"].iloc[0])
    0.0
    """
    from ...text import Tokenizer

    codebook = load_codebook(codebook)
    tokenizer = Tokenizer() if tokenizer is None else tokenizer
    texts = texts_of(posts)
    names = codebook.names
    seed_index: dict[str, list[int]] = {}
    patterns: list[tuple[int, re.Pattern[str]]] = []
    prefixes: list[tuple[int, str]] = []
    for t, theme in enumerate(codebook.themes):
        for seed in theme.seeds:
            if seed.endswith("*"):
                prefixes.append((t, seed[:-1].lower()))
                continue
            for token in tokenizer(seed):
                seed_index.setdefault(token, []).append(t)
        for phrase in theme.phrases:
            patterns.append((t, re.compile(re.escape(_normalise(phrase)))))
    evidence = np.zeros((len(texts), len(names)))
    tokens_list = (
        tokenizer.tokenize_many(texts) if hasattr(tokenizer, "tokenize_many") else [tokenizer(x) for x in texts]
    )
    for i, (text, tokens) in enumerate(zip(texts, tokens_list)):
        for token in set(tokens):
            for t in seed_index.get(token, ()):
                evidence[i, t] += 1.0
            for t, prefix in prefixes:
                if token.startswith(prefix):
                    evidence[i, t] += 1.0
        if patterns:
            norm = _normalise(text)
            for t, pattern in patterns:
                if pattern.search(norm):
                    evidence[i, t] += phrase_weight
    cue_table = structural_cues(posts) if cues is None else cues
    cue_values = cue_table[list(CUES)].to_numpy(dtype=np.float64)
    weights = np.array([[theme.cues.get(c, 0.0) for theme in codebook.themes] for c in CUES])
    evidence += cue_values @ weights
    index = posts.index if isinstance(posts, (pd.DataFrame, pd.Series)) else pd.RangeIndex(len(texts))
    return pd.DataFrame(evidence, index=index, columns=names)

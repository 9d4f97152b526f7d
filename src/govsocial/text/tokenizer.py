"""The social-media tokeniser.

Design for speed: a batch of texts is joined into one string and every
text-level step (entity unescaping, NFKC, redaction, URLs, mentions, hashtags,
emoji, boilerplate, case folding, elongation) runs once over it as a C-level
regular expression; tokens are then mapped through a per-tokeniser cache
(stopwords, numbers, stemming are decided once per distinct token).
"""

from __future__ import annotations

import gc
import html
import re
import unicodedata
from collections import Counter
from itertools import chain
from typing import Any, Iterable, Sequence

from . import privacy
from .emoji import replace_emoji
from .hashtags import split_hashtag
from .stopwords import CONTRACTIONS, GOV_BOILERPLATE, SOCIAL_FILLER, english_stopwords

__all__ = ["Tokenizer"]

# Literal prefixes first so the regex engine can scan fast; the rare upper-case forms last.
_URLS = (
    ("://", re.compile(r"https?://[^\s<>\"]+")),
    ("www.", re.compile(r"www\.(?<![\w.]www\.)[^\s<>\"]+")),
    ("://", re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"]+")),
)
_DOMAIN = re.compile(r"(?i)^(?:https?://)?(?:www\.)?([^/?#:\s]+)")
_MENTION = re.compile(r"@(?<![\w.@]@)(\w{1,30})")  # literal first: fast scanning
_HASHTAG = re.compile(r"#(?<![\w&#]#)(\w*[^\W\d]\w*)")
_PLACEHOLDER = re.compile(r"<(?:" + "|".join(t.upper() for t in privacy.PII_TYPES) + r")>")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z]{2,10});")
_ELONGATION = re.compile(r"([^\W\d_])\1{2,}")
_MOJIBAKE = re.compile("[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6"
                       "\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]{1,3}")
_NUMBER = re.compile(r"^[\d.,'’:/-]+$")
_PUNCT = "".join(chr(c) for c in range(33, 127) if not chr(c).isalnum()) + "“”‘’«»‹›–—…¡¿·•″′"


def _byte_table() -> bytes:
    """ASCII punctuation to spaces, except characters that can belong to a token."""
    table = bytearray(range(256))
    for c in (*range(0, 10), *range(11, 32), 127):  # control characters separate tokens (newline separates texts)
        table[c] = ord(" ")
    for c in range(33, 127):
        ch = chr(c)
        if not ch.isalnum() and ch not in "#@'.:_-/":
            table[c] = ord(" ")
    return bytes(table)


_BYTES = _byte_table()
_SEP = "\n"
_UNICODE_SPACE = re.compile(r"[^\S\n]")  # any whitespace but the text separator

_OPTIONS: dict[str, tuple[Any, ...]] = {
    "urls": ("drop", "domain"),
    "mentions": ("drop", "keep"),
    "hashtags": ("split", "tag", "words", "drop"),
    "emoji": ("token", "words", "drop"),
    "normalize": ("stem", "none"),
}


def _fix_mojibake(text: str) -> str:
    def repair(m: re.Match[str]) -> str:
        s = m.group()
        try:
            return s.encode("cp1252").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return s

    return _MOJIBAKE.sub(repair, text)


def _drop_spans(big: str, boiler: list[tuple[str, re.Pattern[str]]]) -> str:
    """Remove every match of every boilerplate phrase at once (the union of their spans).

    Overlapping phrases ("read more" and "more info" in "read more info") are removed
    together, so the result does not depend on the order the phrases are tried in.
    """
    spans: list[tuple[int, int]] = []
    for phrase, pattern in boiler:
        if phrase in big:
            spans.extend(m.span() for m in pattern.finditer(big))
    if not spans:
        return big
    spans.sort()
    out: list[str] = []
    last = 0
    start, end = spans[0]
    for a, b in spans[1:]:
        if a <= end:
            end = max(end, b)
            continue
        out.append(big[last:start])
        out.append(" ")
        last, (start, end) = end, (a, b)
    out.append(big[last:start])
    out.append(" ")
    out.append(big[end:])
    return "".join(out)


class Tokenizer:
    """A configurable tokeniser for social-media posts: ``str -> list[str]``.

    Usable wherever a callable analyser is expected (``CountVectorizer(analyzer=Tokenizer())``),
    and much faster on many texts through :meth:`tokenize_many`.

    Parameters
    ----------
    urls: ``"drop"`` (default) or ``"domain"`` to keep ``url:health.gov.au``.
    mentions: ``"drop"`` (default) or ``"keep"`` as ``@handle`` tokens.
    hashtags: ``"split"`` (default: ``#tag`` token plus its words), ``"tag"``, ``"words"``, ``"drop"``.
    emoji: ``"token"`` (default: ``emoji_thumbs_up``), ``"words"`` (the emoji's name as words), ``"drop"``.
    stopwords: ``"english"`` (scikit-learn's ∪ gensim's lists, default), ``None``, or your own list.
    extra_stopwords: more words to drop (the social-media filler list is always added
        unless ``filler=False``).
    boilerplate: drop government boilerplate phrases (``"find out more"``, …): ``True``, ``False``
        or your own list of phrases.
    normalize: ``"stem"`` (nltk's Snowball stemmer, default) or ``"none"``.
    numbers: keep pure numbers (default False). Tokens mixing letters and digits (``covid19``) are kept.
    min_length: shortest token kept (default 2).
    redact: replace personal information before tokenising (default True; placeholders are dropped).
    elongation: reduce ``soooo`` to ``soo`` (default True).

    Example
    -------
    >>> tok = Tokenizer()
    >>> tok("RT @jo: Sooo happy the #CovidVaccineRollout is here!!! 👍 https://t.co/x Find out more")
    ['soo', 'happi', '#covidvaccinerollout', 'covid', 'vaccin', 'rollout', 'emoji_thumbs_up']
    >>> Tokenizer(normalize="none", urls="domain")("Read it at https://www.health.gov.au/news")
    ['read', 'url:health.gov.au']
    """

    def __init__(
        self,
        *,
        urls: str = "drop",
        mentions: str = "drop",
        hashtags: str = "split",
        emoji: str = "token",
        stopwords: str | Iterable[str] | None = "english",
        extra_stopwords: Iterable[str] = (),
        filler: bool = True,
        boilerplate: bool | Iterable[str] = True,
        normalize: str = "stem",
        numbers: bool = False,
        min_length: int = 2,
        redact: bool = True,
        elongation: bool = True,
    ) -> None:
        self.urls = urls
        self.mentions = mentions
        self.hashtags = hashtags
        self.emoji = emoji
        self.stopwords = stopwords
        self.extra_stopwords = extra_stopwords
        self.filler = filler
        self.boilerplate = boilerplate
        self.normalize = normalize
        self.numbers = numbers
        self.min_length = min_length
        self.redact = redact
        self.elongation = elongation

    # ------------------------------------------------------------------ set-up
    def _check(self) -> None:
        for name, allowed in _OPTIONS.items():
            value = getattr(self, name)
            if value not in allowed:
                raise ValueError(f"{name} must be one of {allowed}; got {value!r}")
        if not isinstance(self.min_length, int) or self.min_length < 1:
            raise ValueError(f"min_length must be an int in [1, inf); got {self.min_length!r}")
        if isinstance(self.extra_stopwords, str):
            raise ValueError("extra_stopwords must be a list of words, not one string")

    def _state(self) -> dict[str, Any]:
        state = self.__dict__.get("_cache_state")
        if state is not None:
            return state
        self._check()
        if self.stopwords == "english":
            stop = set(english_stopwords())
        elif self.stopwords is None:
            stop = set()
        elif isinstance(self.stopwords, str):
            raise ValueError(f"stopwords must be 'english', None or a list of words; got {self.stopwords!r}")
        else:
            stop = {w.lower() for w in self.stopwords}
        if self.filler:
            stop |= SOCIAL_FILLER | CONTRACTIONS
        stop |= {w.lower() for w in self.extra_stopwords}
        if self.boilerplate is True:
            phrases: Sequence[str] = GOV_BOILERPLATE
        elif self.boilerplate is False:
            phrases = ()
        else:
            phrases = [p for p in self.boilerplate]  # type: ignore[union-attr]
        boiler = []
        # A fixed order (longest first, ties alphabetically), never set iteration: string
        # hashing, and so set order, changes from process to process (PYTHONHASHSEED).
        for phrase in sorted({p.casefold() for p in phrases}, key=lambda p: (-len(p), p)):
            body = re.escape(phrase)
            # literal first (fast scanning), word boundaries checked after it
            boiler.append((phrase, re.compile(body + r"(?!\w)(?<!\w" + body + r")")))
        stemmer = None
        if self.normalize == "stem":
            from nltk.stem.snowball import SnowballStemmer

            stemmer = SnowballStemmer("english")
        state = {"stop": frozenset(stop), "boiler": boiler, "stemmer": stemmer, "norm": {}, "tags": {},
                 "surface": {}}
        self.__dict__["_cache_state"] = state
        return state

    def __getstate__(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        d.pop("_cache_state", None)
        return d

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The constructor arguments (as in scikit-learn), e.g. to store in a manifest.

        Example
        -------
        >>> Tokenizer(urls="domain").get_params()["urls"]
        'domain'
        """
        import inspect

        names = [p for p in inspect.signature(Tokenizer.__init__).parameters if p != "self"]
        return {name: getattr(self, name) for name in names}

    def __repr__(self) -> str:
        defaults = Tokenizer().get_params()
        changed = {k: v for k, v in self.get_params().items() if defaults[k] != v}
        return "Tokenizer(" + ", ".join(f"{k}={v!r}" for k, v in changed.items()) + ")"

    # ------------------------------------------------------------------ text-level steps
    def _clean(self, big: str, state: dict[str, Any]) -> tuple[str, Counter]:
        found: Counter = Counter()
        if "&" in big:
            big = _ENTITY.sub(lambda m: html.unescape(m.group()), big)
        if not big.isascii():
            big = _fix_mojibake(big)
            if not unicodedata.is_normalized("NFKC", big):
                big = unicodedata.normalize("NFKC", big)
            big = replace_emoji(big, self.emoji)
            big = _UNICODE_SPACE.sub(" ", big)
        url: Any = " " if self.urls == "drop" else (
            lambda m: " url:" + _DOMAIN.match(m.group()).group(1).lower() + " ")  # type: ignore[union-attr]
        for marker, pattern in _URLS:
            if marker in big:
                big = pattern.sub(url, big)
        if self.redact:
            big, found = privacy.redact_text_block(big)
        if "<" in big:
            big = _PLACEHOLDER.sub(" ", big)
        if "@" in big:
            big = _MENTION.sub(" " if self.mentions == "drop" else lambda m: " @" + m.group(1).lower() + " ", big)
        if "#" in big:
            tags = state["tags"]
            mode = self.hashtags

            def tag(m: re.Match[str]) -> str:
                raw = m.group(1)
                out = tags.get(raw)
                if out is None:
                    words = [] if mode in ("tag", "drop") else split_hashtag(raw)
                    head = [] if mode in ("words", "drop") else ["#" + raw.lower()]
                    out = tags[raw] = " " + " ".join(head + words) + " "
                return out

            big = _HASHTAG.sub(tag, big)
        big = _drop_spans(big.casefold(), state["boiler"])
        return big, found

    def _norm(self, raw: bytes, state: dict[str, Any]) -> str | None:
        token = raw.decode("utf-8", "replace")
        head = token[0]
        if head == "#" or head == "@":
            body = token[1:].strip(_PUNCT)
            return head + body if body and (head == "#" or self.mentions == "keep") else None
        if token.startswith(("url:", "emoji_")):
            return token.rstrip(_PUNCT)
        token = token.strip(_PUNCT).replace("’", "'")
        stop = state["stop"]
        if token in stop:
            return None
        if "'" in token:
            token = token[:-2] if token.endswith("'s") else token.replace("'", "")
        if self.elongation:
            token = _ELONGATION.sub(r"\1\1", token)
        if not token or token in stop or len(token) < self.min_length:
            return None
        if _NUMBER.match(token):
            return token if self.numbers else None
        if state["stemmer"] is not None and token.isalpha():
            stem = state["stemmer"].stem(token)
            return stem if len(stem) >= self.min_length else None
        return token

    # ------------------------------------------------------------------ public
    def __call__(self, text: str) -> list[str]:
        """Tokenise one text.

        Example
        -------
        >>> Tokenizer(normalize="none")("Roads CLOSED near Kelbrook, call 0491 570 156")
        ['roads', 'closed', 'near', 'kelbrook', 'call']
        """
        if not isinstance(text, str):
            raise TypeError(f"Tokenizer expects a string; got {type(text).__name__} (use tokenize_many for a list)")
        return self.tokenize_many([text])[0]

    def tokenize_many(self, texts: Sequence[str], *, return_surface: bool = False
                      ) -> list[list[str]] | tuple[list[list[str]], Counter, Counter]:
        """Tokenise many texts at once (fast path).

        With ``return_surface=True`` also returns the counts of ``(token, surface
        form)`` pairs, used to show readable words for stems, and the redaction
        counts per type.

        Example
        -------
        >>> Tokenizer(normalize="none").tokenize_many(["Hello world", "", "#StaySafe"])
        [['world'], [], ['#staysafe', 'stay', 'safe']]
        """
        if isinstance(texts, str):
            raise TypeError("tokenize_many expects a list of texts, got one string; wrap it in a list")
        state = self._state()
        if len(texts) == 0:
            return ([], Counter(), Counter()) if return_surface else []
        # Tokenising allocates millions of small objects and no cycles; pausing the
        # cyclic garbage collector meanwhile makes it about a third faster.
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return self._tokenize_many(texts, state, return_surface)
        finally:
            if was_enabled:
                gc.enable()

    def _tokenize_many(self, texts: Sequence[str], state: dict[str, Any], return_surface: bool
                       ) -> list[list[str]] | tuple[list[list[str]], Counter, Counter]:
        parts = []
        for t in texts:
            if not isinstance(t, str):
                t = "" if t is None or t != t else str(t)
            parts.append(t.replace(_SEP, " ") if _SEP in t else t)
        big, found = self._clean(_SEP.join(parts), state)
        norm = state["norm"]
        lines = big.encode("utf-8", "surrogatepass").translate(_BYTES).split(b"\n")
        if len(lines) != len(texts):  # pragma: no cover - guarded by the separator replacement above
            raise RuntimeError("tokeniser lost the alignment between texts and tokens")
        split = [line.split() for line in lines]
        missing = set(chain.from_iterable(split)).difference(norm)
        for t in missing:
            norm[t] = self._norm(t, state)
        lookup = norm.__getitem__
        # _norm returns None or a non-empty string, so filter(None, ...) drops exactly the removed tokens
        out = [list(filter(None, map(lookup, toks))) for toks in split]
        if not return_surface:
            return out
        surface = Counter(chain.from_iterable(split))
        decoded: Counter = Counter()
        for t, n in surface.items():
            v = norm[t]
            if v is not None:
                decoded[(v, t.decode("utf-8", "replace").strip(_PUNCT))] += n
        return out, decoded, found

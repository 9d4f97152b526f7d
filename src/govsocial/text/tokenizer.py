"""The social-media tokeniser.

Design for speed. One text (``Tokenizer()(text)``) goes through a function built once
per set of options (:mod:`.cleaning`): a few C-level substring tests decide which
steps can apply, and only those run. A batch (:meth:`Tokenizer.tokenize_many`) is
joined into one string so that each text-level step is one pass of a regular
expression over all of it. Both paths then split at byte level and map each token
through the same bounded cache (stopwords, numbers and stemming are decided once per
distinct token), so they give the same tokens.
"""

from __future__ import annotations

import gc
import re
from collections import Counter
from itertools import chain
from typing import Any, Callable, Iterable, Sequence

from sklearn.base import BaseEstimator

from .cleaning import make_cleaner
from .stem import stem as snowball_stem
from .stopwords import CONTRACTIONS, GOV_BOILERPLATE, SOCIAL_FILLER, english_stopwords

__all__ = ["Tokenizer"]

_ELONGATION = re.compile(r"([^\W\d_])\1{2,}")
_NUMBER = re.compile(r"^[\d.,'’:/-]+$")
_PUNCT = "".join(chr(c) for c in range(33, 127) if not chr(c).isalnum()) + "“”‘’«»‹›–—…¡¿·•″′"
CACHE_LIMIT = 1_000_000  # distinct raw tokens remembered per tokeniser; past it the cache starts afresh


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

_OPTIONS: dict[str, tuple[Any, ...]] = {
    "urls": ("drop", "domain"),
    "mentions": ("drop", "keep"),
    "hashtags": ("split", "tag", "words", "drop"),
    "emoji": ("token", "words", "drop"),
    "normalize": ("stem", "none"),
}


class _TokenCache(dict):
    """raw token (UTF-8 bytes) -> normalised token, or None when it is dropped; fills itself."""

    __slots__ = ("normalise", "stems", "clears")

    def __init__(self, normalise: Callable[[bytes], str | None], stems: dict[str, str]) -> None:
        super().__init__()
        self.normalise = normalise
        self.stems = stems
        self.clears = 0  # times the cache started afresh (so that copies shared between processes can tell)

    def __missing__(self, raw: bytes) -> str | None:
        value = self[raw] = self.normalise(raw)
        return value

    def trim(self) -> None:
        """Start afresh past :data:`CACHE_LIMIT` entries (the results never depend on the cache)."""
        if len(self) > CACHE_LIMIT:
            self.clear()
            self.stems.clear()
            self.clears += 1


def _normaliser(
    stop: frozenset[str],
    keep_mentions: bool,
    elongation: bool,
    min_length: int,
    numbers: bool,
    stem: Callable[[str], str] | None,
    stems: dict[str, str],
) -> Callable[[bytes], str | None]:
    """One raw token -> its normalised form, or None when it is dropped (see docs/text.md, step 8)."""
    punct, elongated, number = _PUNCT, _ELONGATION, _NUMBER.match

    def stemmed(token: str) -> str | None:
        """The stem (remembered in ``stems`` when long enough to keep; None when too short)."""
        value = stem(token)  # type: ignore[misc]
        if len(value) < min_length:
            return None
        stems[token] = value
        return value

    def normalise(raw: bytes) -> str | None:
        if raw.isalpha():  # ASCII letters only (most tokens): no punctuation to strip, never a number
            token = raw.decode("ascii")
            if token in stop:
                return None
            if elongation and elongated.search(token):
                token = elongated.sub(r"\1\1", token)
                if token in stop:
                    return None
            if len(token) < min_length:
                return None
            return token if stem is None else stems.get(token) or stemmed(token)
        token = raw.decode("utf-8", "replace")
        head = token[0]
        if head == "#" or head == "@":
            body = token[1:].strip(punct)
            return head + body if body and (head == "#" or keep_mentions) else None
        if token.startswith(("url:", "emoji_")):
            return token.rstrip(punct)
        token = token.strip(punct).replace("’", "'")
        if token in stop:
            return None
        if "'" in token:
            token = token[:-2] if token.endswith("'s") else token.replace("'", "")
        if elongation and elongated.search(token):
            token = elongated.sub(r"\1\1", token)
        if not token or token in stop or len(token) < min_length:
            return None
        if token.isalpha():  # never a number: letters are not digits
            return token if stem is None else stems.get(token) or stemmed(token)
        if number(token):
            return token if numbers else None
        return token

    return normalise


class Tokenizer(BaseEstimator):
    """A configurable tokeniser for social-media posts: ``str -> list[str]``.

    Usable wherever a callable analyser is expected (``CountVectorizer(analyzer=Tokenizer())``),
    and faster still on many texts through :meth:`tokenize_many`. A scikit-learn estimator
    as far as parameters go: ``get_params``, ``set_params`` and ``clone`` work, and changing
    a parameter (by ``set_params`` or assignment) drops every cache, so the next call uses
    the new value. (Change a list parameter by assigning a new list, not in place.)

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
    normalize: ``"stem"`` (the Snowball English stemmer, exactly as nltk's, default) or ``"none"``.
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
    >>> tok.set_params(normalize="none")("vaccines")
    ['vaccines']
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

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _PARAMS:  # a new parameter value: every cache built from the old one goes
            self.__dict__.pop("_compiled", None)
        object.__setattr__(self, name, value)

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
        if isinstance(self.stopwords, str) and self.stopwords != "english":
            raise ValueError(f"stopwords must be 'english', None or a list of words; got {self.stopwords!r}")

    def _stopwords(self) -> frozenset[str]:
        if self.stopwords == "english":
            stop = set(english_stopwords())
        elif self.stopwords is None:
            stop = set()
        else:
            stop = {w.lower() for w in self.stopwords}
        if self.filler:
            stop |= SOCIAL_FILLER | CONTRACTIONS
        stop |= {w.lower() for w in self.extra_stopwords}
        return frozenset(stop)

    def _state(self) -> dict[str, Any]:
        """The functions built from the parameters (cleaner, token cache, one-text path), built once."""
        state = self.__dict__.get("_compiled")
        if state is not None:
            return state
        self._check()
        if self.boilerplate is True:
            phrases: Sequence[str] = GOV_BOILERPLATE
        elif self.boilerplate is False:
            phrases = ()
        else:
            phrases = list(self.boilerplate)
        stem = snowball_stem if self.normalize == "stem" else None
        stems: dict[str, str] = {}
        norm = _TokenCache(
            _normaliser(
                self._stopwords(), self.mentions == "keep", self.elongation, self.min_length, self.numbers, stem, stems
            ),
            stems,
        )
        clean = make_cleaner(
            urls=self.urls,
            mentions=self.mentions,
            hashtags=self.hashtags,
            emoji=self.emoji,
            redact=self.redact,
            boilerplate=phrases,
        )
        lookup, trim = norm.__getitem__, norm.trim

        def one(text: str) -> list[str]:
            if _SEP in text:
                text = text.replace(_SEP, " ")
            if len(norm) > CACHE_LIMIT:
                trim()
            # the cache maps a dropped token to None, and filter(None, ...) drops exactly those
            return list(
                filter(None, map(lookup, clean(text, None).encode("utf-8", "surrogatepass").translate(_BYTES).split()))
            )

        state = {"clean": clean, "norm": norm, "one": one}
        self.__dict__["_compiled"] = state
        return state

    def __getstate__(self) -> dict[str, Any]:
        state = dict(super().__getstate__())
        state.pop("_compiled", None)
        return state

    def __repr__(self, N_CHAR_MAX: int = 700) -> str:
        defaults = Tokenizer().get_params()
        changed = {k: v for k, v in self.get_params().items() if defaults[k] != v}
        return "Tokenizer(" + ", ".join(f"{k}={v!r}" for k, v in changed.items()) + ")"

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
        state = self.__dict__.get("_compiled") or self._state()
        return state["one"](text)

    def tokenize_many(
        self, texts: Sequence[str], *, return_surface: bool = False
    ) -> list[list[str]] | tuple[list[list[str]], Counter, Counter]:
        """Tokenise many texts at once (fast path): the same tokens as one call per text.

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
            return _tokenize_many(texts, state, return_surface)
        finally:
            if was_enabled:
                gc.enable()


_PARAMS = frozenset(Tokenizer._get_param_names())


def _tokenize_many(
    texts: Sequence[str], state: dict[str, Any], return_surface: bool
) -> list[list[str]] | tuple[list[list[str]], Counter, Counter]:
    parts = []
    for t in texts:
        if not isinstance(t, str):
            t = "" if t is None or t != t else str(t)
        parts.append(t.replace(_SEP, " ") if _SEP in t else t)
    found: Counter = Counter()
    clean = state["clean"]
    # Text by text: each step runs only on the texts it can change, which beats one pass
    # of each step over the joined texts; splitting and the token cache then work on them all at once.
    big = _SEP.join([clean(t, found) for t in parts])
    norm = state["norm"]
    norm.trim()
    lines = big.encode("utf-8", "surrogatepass").translate(_BYTES).split(b"\n")
    if len(lines) != len(texts):  # pragma: no cover - guarded by the separator replacement above
        raise RuntimeError("tokeniser lost the alignment between texts and tokens")
    split = [line.split() for line in lines]
    lookup = norm.__getitem__
    # the cache maps a dropped token to None, and filter(None, ...) drops exactly those
    out = [list(filter(None, map(lookup, toks))) for toks in split]
    if not return_surface:
        return out
    surface = Counter(chain.from_iterable(split))
    decoded: Counter = Counter()
    for raw, n in surface.items():
        v = norm[raw]
        if v is not None:
            decoded[(v, raw.decode("utf-8", "replace").strip(_PUNCT))] += n
    return out, decoded, found

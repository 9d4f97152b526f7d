"""Emoji to words, fast: a regex finds runs of non-ASCII symbols, a dictionary built
from the ``emoji`` package's data names each emoji (longest match first).

Example
-------
>>> replace_emoji("great 👍🏽 work 🎉", mode="token")
'great  emoji_thumbs_up  work  emoji_party_popper '
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["replace_emoji", "emoji_names"]

_RUN = re.compile("[\u00a9\u00ae\u203c-\u3299\U0001f000-\U0001faff\ufe0f\u200d]+")
_SKIN = re.compile("[\U0001f3fb-\U0001f3ff]")


@lru_cache(maxsize=1)
def emoji_names() -> tuple[dict[str, str], int]:
    """Map every emoji (without skin-tone modifiers) to a snake_case name; and the longest length.

    Example
    -------
    >>> emoji_names()[0]["👍"]
    'thumbs_up'
    """
    import emoji as _emoji

    names: dict[str, str] = {}
    for char, data in _emoji.EMOJI_DATA.items():
        name = data.get("en", "").strip(":")
        name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
        name = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
        if name:
            names[unicodedata.normalize("NFKC", char)] = name
            names.setdefault(char, name)
            names.setdefault(char.replace("\ufe0f", ""), name)
    longest = max(len(k) for k in names)
    return names, longest


def _name_run(run: str, mode: str) -> str:
    names, longest = emoji_names()
    run = _SKIN.sub("", run)
    out: list[str] = []
    i = 0
    while i < len(run):
        for size in range(min(longest, len(run) - i), 0, -1):
            name = names.get(run[i : i + size])
            if name is not None:
                if mode == "token":
                    out.append(f" emoji_{name} ")
                elif mode == "words":
                    out.append(" " + name.replace("_", " ") + " ")
                i += size
                break
        else:
            ch = run[i]
            if ch not in "\ufe0f\u200d":
                out.append(ch if unicodedata.category(ch)[0] in "LN" else " ")
            i += 1
    return "".join(out) if out else " "


def replace_emoji(text: str, mode: str = "token") -> str:
    """Replace emoji with ``emoji_<name>`` tokens (``"token"``), their names as words
    (``"words"``), or nothing (``"drop"``). Other non-ASCII letters are kept.

    Example
    -------
    >>> replace_emoji("so happy 😂", mode="words").split()
    ['so', 'happy', 'face', 'with', 'tears', 'of', 'joy']
    """
    if mode not in ("token", "words", "drop"):
        raise ValueError(f"emoji must be 'token', 'words' or 'drop'; got {mode!r}")
    if text.isascii():
        return text
    cache: dict[str, str] = {}

    def sub(m: re.Match[str]) -> str:
        run = m.group()
        value = cache.get(run)
        if value is None:
            value = cache[run] = _name_run(run, mode)
        return value

    return _RUN.sub(sub, text)

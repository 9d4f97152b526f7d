"""Personal-information detectors: patterns, check digits, context rules (layer 1).

The pure detectors behind :mod:`govsocial.text.privacy`, kept low in the layers so that
the readers can redact their own error messages. Nothing here knows about tables.

Detectors, in the order they run (a span taken by one is never seen by the next):

=========  ==========================================================  ===============================
type       what                                                        validated by
=========  ==========================================================  ===============================
email      e-mail addresses                                            shape
card       payment card numbers, 13-19 digits                          Luhn checksum, first digit 3-6
medicare   Australian Medicare numbers ``2123 45670 1``                 Medicare check digit
tfn        Australian tax file numbers ``123 456 782``                  TFN weighted checksum
phone      phone numbers: Australian, UK, US and +international         digit count, prefixes, context
address    street addresses: number + name + street type               shape
name       the addressee's name after a greeting (only on request)     greeting at the start, context
=========  ==========================================================  ===============================

Context rules: a number right after a reference label (``ref``, ``case``, ``crime``,
``invoice``, ``order``, ``tracking``, ...) is not a card, Medicare or tax file number;
a number right after an international prefix (``+61``) belongs to the phone number;
a six-digit ``13xxxx`` number is a phone number only written ``13 xx xx`` or after a
phone word (``call``, ``phone``, ``ring``, ...). Names are looked for only when asked
(``names=True``), only as the addressee of a greeting that opens the text (``Hi Terry,``,
``@jo Hello Andy``, ``Thanks Sarah!``, ``Dear Mr Smith``); other names are not redacted.

The patterns and context rules are in :mod:`.patterns`, the check digits in
:mod:`.checksums`, the greetings' names in :mod:`.names`; this module finds and replaces.

Example
-------
>>> redact("Call me on 0491 570 156 or mail jo.citizen@example.com")
('Call me on <PHONE> or mail <EMAIL>', {'email': 1, 'phone': 1})
>>> redact("Hi Terry, call 13 11 14", names=True)
('Hi <NAME>, call <PHONE>', {'phone': 1, 'name': 1})
"""

from __future__ import annotations

import re
from collections import Counter

from .checksums import luhn_valid, medicare_valid, tfn_valid
from .names import name_spans
from .patterns import DETECTORS, EMAIL_AT, MIN_DIGITS, QUICK, STREET, TFN_CONTEXT

__all__ = [
    "PII_TYPES",
    "PLACEHOLDERS",
    "find_pii",
    "redact",
    "redact_text_block",
    "redact_message",
    "may_hold_pii",
    "luhn_valid",
    "tfn_valid",
    "medicare_valid",
]

PII_TYPES = ("email", "card", "medicare", "tfn", "phone", "address", "name")
PLACEHOLDERS = {t: f"<{t.upper()}>" for t in PII_TYPES}


def find_pii(text: str, *, names: bool = False) -> list[tuple[str, int, int, str]]:
    """Find personal information without changing the text: ``(type, start, end, value)``.

    With ``names=True`` the addressee's name after an opening greeting is found too.

    Example
    -------
    >>> find_pii("TFN 123 456 782 please")
    [('tfn', 4, 15, '123 456 782')]
    >>> find_pii("Invoice 130045, call 131114"), find_pii("@jo_b Hi Terry, done", names=True)
    ([('phone', 21, 27, '131114')], [('name', 9, 14, 'Terry')])
    """
    found: list[tuple[str, int, int, str]] = []
    if names:
        found.extend(("name", a, b, text[a:b]) for a, b in name_spans(text))
    has_at = "@" in text
    if text.isascii():  # the ASCII digits are the only digits (\d) there: count them in C
        n_digits = len(text) - len(text.encode("ascii").translate(None, b"0123456789"))
        if not (has_at or n_digits):
            return found
    else:
        if not QUICK.search(text):
            return found
        n_digits = 0 if text.isalpha() else sum(map(str.isdigit, text))  # isdigit: every \d and a few more
    taken = [False] * len(text)
    for _, a, b, _ in found:
        taken[a:b] = [True] * (b - a)

    def free(a: int, b: int) -> bool:
        return not any(taken[a:b])

    for kind, pattern, check in DETECTORS:
        # skip a detector when a cheap necessary condition fails: no match could then pass its check
        if kind == "email":
            if not (has_at and EMAIL_AT.search(text)):
                continue
        elif kind == "address":
            if not STREET.search(text):
                continue
        elif n_digits < MIN_DIGITS[kind]:
            continue
        for m in pattern.finditer(text):
            if check is not None and not check(text, m.start(), m.end()):
                continue
            if free(m.start(), m.end()):
                found.append((kind, m.start(), m.end(), m.group()))
                taken[m.start() : m.end()] = [True] * (m.end() - m.start())
    for m in TFN_CONTEXT.finditer(text) if n_digits >= 8 else ():  # it needs eight digits in a row
        a, b = m.span(1)
        if tfn_valid(m.group(1)) and free(a, b):
            found.append(("tfn", a, b, m.group(1)))
            taken[a:b] = [True] * (b - a)
    found.sort(key=lambda f: f[1])
    return found


def redact(text: str, *, names: bool = False) -> tuple[str, dict[str, int]]:
    """Replace personal information in one text with typed placeholders; count each type.

    ``names=True`` also replaces the addressee's name after an opening greeting
    (``Hi Terry,`` → ``Hi <NAME>,``); other names are never touched.

    Example
    -------
    >>> redact("Card 4111 1111 1111 1111, I live at 12 Wattle Street, Kelbrook")
    ('Card <CARD>, I live at <ADDRESS>', {'card': 1, 'address': 1})
    >>> redact("Ref 2023-04-12, price $1,250.00, #COVID19, +61 412 345 678")
    ('Ref 2023-04-12, price $1,250.00, #COVID19, <PHONE>', {'phone': 1})
    """
    if not isinstance(text, str):
        raise TypeError(f"redact expects a string; got {type(text).__name__} (use redact_column for many texts)")
    spans = find_pii(text, names=names)
    if not spans:
        return text, {}
    out: list[str] = []
    last = 0
    counts: dict[str, int] = {}
    for kind, a, b, _ in spans:
        out.append(text[last:a])
        out.append(PLACEHOLDERS[kind])
        last = b
        counts[kind] = counts.get(kind, 0) + 1
    out.append(text[last:])
    ordered = {k: counts[k] for k in PII_TYPES if k in counts}
    return "".join(out), ordered


def redact_message(message: str) -> str:
    """An error or log message with personal information replaced (every line; names are kept).

    Example
    -------
    >>> redact_message("field 'like_count': not a count: '0491 570 156'")
    "field 'like_count': not a count: '<PHONE>'"
    """
    return "\n".join(redact(line)[0] for line in str(message).split("\n"))


def _class_table() -> bytes:
    table = bytearray(b"." * 256)
    for c in b"0123456789":
        table[c] = ord("0")
    for c in range(ord("A"), ord("Z") + 1):
        table[c] = ord("A")
    for c in range(ord("a"), ord("z") + 1):
        table[c] = ord("a")
    for c in b" \t\x0b\x0c\r\x1c\x1d\x1e\x1f":  # every ASCII character that \\s matches, but the newline
        table[c] = ord(" ")
    table[ord("\n")] = ord("\n")
    table[ord("@")] = ord("@")
    return bytes(table)


_CLASSES = _class_table()
_AT, _ZERO = ord("@"), ord("0")  # the classes of "@" and of digits, as ints
# Byte-class signatures: numbers need six digits on the line (the shortest, an
# Australian 13 xx xx number, has six), addresses a digit before spaces and a capitalised
# word (any run of spaces, as the address pattern allows), e-mail addresses a word
# character before "@".
_NUMERIC_MIN_DIGITS = 6
_AT_SIGNATURE = re.compile(rb"@(?<=[aA0.]@)")  # the regex engine finds these by their literal first byte
_NUMBER_SIGNATURE = re.compile(rb"0[aA]? +A")
_SIGNATURE = re.compile(rb"@(?<=[aA0.]@)|0[aA]? +A")
# the patterns' \d and \s match every Unicode digit and space: on text that is not ASCII
# these become "0" and " " before the byte classes are read (one character for one, so
# lines keep their places)
_OTHER_DIGITS = re.compile(r"(?![0-9])\d")
_OTHER_SPACES = re.compile(r"(?![\x00-\x7f])[^\S\n]")


_ASCII = bytes(range(128))
_DIGIT_OR_SPACE = re.compile(r"[\d\s]")


def _classes(text: str) -> bytes:
    """The byte classes of ``text`` (digit 0, capital A, small a, space, newline, @, other .)."""
    encoded = text.encode("utf-8", "surrogatepass")
    if not text.isascii():
        # the two substitutions scan every character; first test, on the non-ASCII characters
        # alone (the ASCII bytes deleted: a short string), whether either has anything to replace
        rest = encoded.translate(None, _ASCII).decode("utf-8", "surrogatepass")
        if _DIGIT_OR_SPACE.search(rest):
            encoded = _OTHER_SPACES.sub(" ", _OTHER_DIGITS.sub("0", text)).encode("utf-8", "surrogatepass")
    return encoded.translate(_CLASSES)


def may_hold_pii(line: str) -> bool:
    """The byte-class signature test of :func:`redact_text_block` for one line: False = nothing to search.

    A digit before a capitalised word (an address's signature) counts only with a street type
    in the line, which :func:`find_pii` needs before it looks for an address.

    Example
    -------
    >>> may_hold_pii("call 0491 570 156"), may_hold_pii("mail a@example.com"), may_hold_pii("open at 4pm today")
    (True, True, False)
    """
    e = _classes(line)  # the signatures, tested in the cheapest order
    # a byte as an int (`64 in e`): `b"@" in e` first tries its argument as an int, and raises
    # and clears a TypeError inside, which costs more than the search
    if _AT in e and _AT_SIGNATURE.search(e):
        return True
    if _ZERO not in e:
        return False
    if e.count(_ZERO) >= _NUMERIC_MIN_DIGITS and e.find(b"00") >= 0:
        return True
    # fewer digits: only a street address can be there, and find_pii looks for one only with a street type
    return _NUMBER_SIGNATURE.search(e) is not None and STREET.search(line) is not None


def redact_text_block(block: str) -> tuple[str, Counter[str]]:
    """Redact a large block of newline-separated texts; return it with counts per type.

    Gives exactly what :func:`redact` gives on each line (names are not looked for),
    but fast: a byte-class signature (two digits in a row, a digit before a
    capitalised word, a word character before ``@``) picks the few lines that can
    hold personal information, and only those are searched. The tokeniser redacts
    this way.

    Example
    -------
    >>> redact_text_block("ring 0491 570 156\\nmail a@example.com\\nnothing")
    ('ring <PHONE>\\nmail <EMAIL>\\nnothing', Counter({'phone': 1, 'email': 1}))
    """
    counts: Counter[str] = Counter()
    if "\n" not in block:  # one line: the same rule as below, without numpy's set-up
        if may_hold_pii(block):
            block, found = redact(block)
            counts.update(found)
        return block, counts
    import numpy as np

    encoded = _classes(block)
    newlines = np.flatnonzero(np.frombuffer(encoded, dtype=np.uint8) == 10)
    candidates: set[int] = {int(np.searchsorted(newlines, m.start())) for m in _SIGNATURE.finditer(encoded)}
    if b"00" in encoded:
        digit_pos = np.flatnonzero(np.frombuffer(encoded, dtype=np.uint8) == 48)
        per_line = np.bincount(np.searchsorted(newlines, digit_pos), minlength=len(newlines) + 1)
        candidates.update(np.flatnonzero(per_line >= _NUMERIC_MIN_DIGITS).tolist())
    if not candidates:
        return block, counts
    lines = block.split("\n")
    for i in sorted(candidates):
        if i >= len(lines):
            continue
        text, found = redact(lines[i])
        if found:
            lines[i] = text
            counts.update(found)
    return "\n".join(lines), counts

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
from typing import Callable

from .names import name_spans

__all__ = ["PII_TYPES", "PLACEHOLDERS", "find_pii", "redact", "redact_text_block", "redact_message",
           "luhn_valid", "tfn_valid", "medicare_valid"]

PII_TYPES = ("email", "card", "medicare", "tfn", "phone", "address", "name")
PLACEHOLDERS = {t: f"<{t.upper()}>" for t in PII_TYPES}

# --------------------------------------------------------------------------- checksums


def _digits(s: str) -> str:
    return re.sub(r"\D", "", s)


def luhn_valid(number: str) -> bool:
    """Luhn checksum of a payment card number.

    Example
    -------
    >>> luhn_valid("4111 1111 1111 1111"), luhn_valid("4111 1111 1111 1112")
    (True, False)
    """
    digits = [int(c) for c in _digits(number)]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return len(digits) >= 12 and total % 10 == 0


_TFN_WEIGHTS = (1, 4, 3, 7, 5, 8, 6, 9, 10)


def tfn_valid(number: str) -> bool:
    """Australian tax file number checksum (9 digits, weighted sum divisible by 11).

    Example
    -------
    >>> tfn_valid("123 456 782"), tfn_valid("123 456 789")
    (True, False)
    """
    digits = [int(c) for c in _digits(number)]
    if len(digits) != 9:
        return False
    return sum(d * w for d, w in zip(digits, _TFN_WEIGHTS)) % 11 == 0


_MEDICARE_WEIGHTS = (1, 3, 7, 9, 1, 3, 7, 9)


def medicare_valid(number: str) -> bool:
    """Australian Medicare number check (first digit 2-6, weighted check digit).

    Example
    -------
    >>> medicare_valid("2123 45670 1"), medicare_valid("2123 45671 1")
    (True, False)
    """
    digits = [int(c) for c in _digits(number)]
    if len(digits) not in (10, 11) or not 2 <= digits[0] <= 6:
        return False
    return sum(d * w for d, w in zip(digits[:8], _MEDICARE_WEIGHTS)) % 10 == digits[8]


# --------------------------------------------------------------------------- patterns

_B = r"(?<![\w@/.:#$-])"  # left boundary: not inside a word, handle, URL, hashtag or price
_E = r"(?![\w@/]|[.,-]\d)"  # right boundary

_EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}\b")
_CARD = re.compile(_B + r"(?:(?:\d{4}[ -]?){3}\d{1,7}|3[47]\d{2}[ -]?\d{6}[ -]?\d{5})" + _E)
_MEDICARE = re.compile(_B + r"[2-6]\d{3}[ -]?\d{5}[ -]?\d(?:[ -]?\d)?" + _E)
_TFN_GROUPED = re.compile(_B + r"\d{3}[ -]\d{3}[ -]\d{3}" + _E)
_TFN_CONTEXT = re.compile(r"(?i)\b(?:tfn|tax file(?: number| no\.?)?)[^\w\n]{0,5}(?:is[^\w\n]{0,3})?(\d{8,9})\b")
_SEP = r"[ .-]?"
_PHONE = re.compile(
    _B + r"(?:"
    r"\+61" + _SEP + r"\(?0?\)?[2-478]" + _SEP + r"\d{4}" + _SEP + r"\d{4}"  # +61 4xx xxx xxx / +61 2 xxxx xxxx
    r"|\+61" + _SEP + r"4\d{2}" + _SEP + r"\d{3}" + _SEP + r"\d{3}"
    r"|04\d{2}" + _SEP + r"\d{3}" + _SEP + r"\d{3}"  # AU mobile
    r"|\(0[2378]\)" + _SEP + r"\d{4}" + _SEP + r"\d{4}"  # AU landline (0x) xxxx xxxx
    r"|0[2378]" + _SEP + r"\d{4}" + _SEP + r"\d{4}"
    r"|1[38]00" + _SEP + r"\d{3}" + _SEP + r"\d{3}"  # AU 1300 / 1800
    r"|13" + _SEP + r"\d{2}" + _SEP + r"\d{2}(?!\d)"  # AU 13 xx xx (checked: format or context)
    r"|13\d[ ]\d{3}(?!\d)"  # AU 131 xxx (checked: context)
    r"|\+44" + _SEP + r"\(?0?\)?\d{2,4}" + _SEP + r"\d{3,4}" + _SEP + r"\d{3,4}"  # UK international
    r"|07\d{3}" + _SEP + r"\d{6}"  # UK mobile
    r"|07\d{3}" + _SEP + r"\d{3}" + _SEP + r"\d{3}"
    r"|0[12]\d{2,3}" + _SEP + r"\d{3}" + _SEP + r"\d{3,4}"  # UK landline
    r"|\+1" + _SEP + r"\(?\d{3}\)?" + _SEP + r"\d{3}" + _SEP + r"\d{4}"  # US international
    r"|\(\d{3}\)" + _SEP + r"\d{3}" + _SEP + r"\d{4}"  # US (555) 555-0123
    r"|\d{3}[-.]\d{3}[-.]\d{4}"  # US 555-555-0123
    r"|\+(?:[2-9]\d{0,2})" + _SEP + r"(?:\(?\d{1,4}\)?" + _SEP + r"){1,4}\d{2,4}"  # other international
    r")" + _E
)
_STREET_TYPES = (
    r"Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Crescent|Cres|Parade|Pde|Boulevard|Blvd|"
    r"Way|Terrace|Tce|Highway|Hwy|Close|Cl|Circuit|Cct|Grove|Gr"
)
_ADDRESS = re.compile(
    r"(?<![\w$#/-])(?:(?:Unit|Apt|Flat|Shop|Suite)[^\S\n]+\d+[A-Za-z]?[,/]?[^\S\n]*|\d+[A-Za-z]?/)?"
    r"\d{1,5}[A-Za-z]?(?:-\d{1,5})?[^\S\n]+"
    r"(?:[A-Z][a-z'’]+[^\S\n]+){1,3}"
    r"(?:" + _STREET_TYPES + r")\b\.?"
    r"(?:,?[^\S\n]+[A-Z][a-z]+(?:[^\S\n]+[A-Z][a-z]+)?(?=\W|$)(?:[^\S\n]+(?:NSW|VIC|QLD|SA|WA|TAS|NT|ACT))?"
    r"(?:[^\S\n]+\d{4})?)?"
)

# --------------------------------------------------------------------------- context
# Labels of reference numbers that are not personal identifiers of these kinds.
_REFERENCE_WORDS = frozenset({
    "ref", "refs", "reference", "crime", "case", "incident", "occurrence", "cad", "crn", "log", "job", "order",
    "invoice", "inv", "booking", "ticket", "tracking", "consignment", "parcel", "receipt", "permit", "serial",
    "batch", "abn", "acn", "isbn", "issn", "lot", "sku", "barcode", "transaction", "txn", "confirmation",
})
_PHONE_WORDS = frozenset({
    "call", "calling", "called", "phone", "phoned", "phoning", "ph", "tel", "telephone", "ring", "dial", "mobile",
    "mob", "contact", "hotline", "helpline", "line", "sms", "text", "txt", "whatsapp", "fax",
})
_TYPE_WORDS = frozenset({"medicare", "tfn", "card", "visa", "mastercard", "amex", "credit", "debit", "tax"})
# Words between a label and its number that say nothing either way ("ref no. 123", "call us on 13 11 14").
_FILLER = frozenset({"no", "number", "num", "nr", "is", "was", "us", "me", "on", "at", "the", "our", "my", "a",
                     "your", "of", "file", "please", "pls", "now", "today", "anytime", "free", "toll"})
_LABEL = re.compile(r"[^\W\d_]+")
_INTL_PREFIX = re.compile(r"\+\d{1,3}[ .-]?(?:\(0\)[ .-]?)?$")


def _label(text: str, start: int) -> str | None:
    """The nearest label before ``start``: ``"reference"``, ``"phone"``, ``"type"`` or None."""
    words = _LABEL.findall(text[max(0, start - 48):start])
    for word in reversed(words[-5:]):
        w = word.casefold()
        if w in _REFERENCE_WORDS:
            return "reference"
        if w in _PHONE_WORDS:
            return "phone"
        if w in _TYPE_WORDS:
            return "type"
        if w not in _FILLER:
            return None
    return None


def _in_a_run_of_numbers(text: str, start: int, end: int) -> bool:
    """A grouped number that continues a longer run of space-separated numbers (``Lotto 4 13 21 34``)."""
    return bool(re.search(r"\d[ ]$", text[max(0, start - 2):start]) or re.match(r"[ ]\d", text[end:end + 2]))


def _identifier_ok(valid: Callable[[str], bool]) -> Callable[[str, int, int], bool]:
    def check(text: str, start: int, end: int) -> bool:
        value = text[start:end]
        if not valid(value) or _INTL_PREFIX.search(text[max(0, start - 9):start]):
            return False
        if " " in value and _in_a_run_of_numbers(text, start, end):
            return False
        return _label(text, start) != "reference"
    return check


def _card_ok(value: str) -> bool:
    return 13 <= len(_digits(value)) <= 19 and value.lstrip()[0] in "3456" and luhn_valid(value)


def _phone_ok(text: str, start: int, end: int) -> bool:
    match = text[start:end]
    n = len(_digits(match))
    if match.startswith("+"):
        return 9 <= n <= 14
    if match.startswith("13") and n == 6:  # Australian 13 numbers: written 13 xx xx, or after a phone word
        if _in_a_run_of_numbers(text, start, end):
            return False
        label = _label(text, start)
        return label == "phone" or (re.fullmatch(r"13 \d\d \d\d", match) is not None and label != "reference")
    return 8 <= n <= 11


_Check = Callable[[str, int, int], bool]
_DETECTORS: list[tuple[str, re.Pattern[str], _Check | None]] = [
    ("email", _EMAIL, None),
    ("card", _CARD, _identifier_ok(_card_ok)),
    ("medicare", _MEDICARE, _identifier_ok(medicare_valid)),
    ("tfn", _TFN_GROUPED, _identifier_ok(tfn_valid)),
    ("phone", _PHONE, _phone_ok),
    ("address", _ADDRESS, None),
]
_QUICK = re.compile(r"@|\d")  # every detector but names needs an @ or a digit


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
    if not _QUICK.search(text):
        return found
    taken = [False] * len(text)
    for _, a, b, _ in found:
        taken[a:b] = [True] * (b - a)

    def free(a: int, b: int) -> bool:
        return not any(taken[a:b])

    has_at = "@" in text
    n_digits = sum(map(str.isdigit, text)) if not text.isalpha() else 0
    for kind, pattern, check in _DETECTORS:
        if (kind == "email" and not has_at) or (kind != "email" and kind != "address" and n_digits < 6):
            continue
        for m in pattern.finditer(text):
            if check is not None and not check(text, m.start(), m.end()):
                continue
            if free(m.start(), m.end()):
                found.append((kind, m.start(), m.end(), m.group()))
                taken[m.start():m.end()] = [True] * (m.end() - m.start())
    for m in _TFN_CONTEXT.finditer(text):
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
    table[ord(" ")] = table[ord("\t")] = ord(" ")
    table[ord("\n")] = ord("\n")
    table[ord("@")] = ord("@")
    return bytes(table)


_CLASSES = _class_table()
# Byte-class signatures: numbers need six digits on the line (the shortest, an
# Australian 13 xx xx number, has six), addresses a digit before a capitalised
# word, e-mail addresses a word character before "@".
_NUMERIC_MIN_DIGITS = 6
_SIGNATURES = (b"0 A", b"0A A", b"0a A", b"a@", b"0@", b"A@", b".@")


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
    import numpy as np

    counts: Counter[str] = Counter()
    encoded = block.encode("utf-8", "surrogatepass").translate(_CLASSES)
    newlines = np.flatnonzero(np.frombuffer(encoded, dtype=np.uint8) == 10)
    candidates: set[int] = set()
    for sig in _SIGNATURES:
        pos = encoded.find(sig)
        while pos >= 0:
            candidates.add(int(np.searchsorted(newlines, pos)))
            pos = encoded.find(sig, pos + 1)
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

"""What counts as personal information: the detectors' patterns and context rules.

Each detector is a type, a regular expression and (for numbers) a check of the match in its
context: check digits (:mod:`.checksums`), the digit count, the label before it (a number
after ``ref``, ``case`` or ``invoice`` is a reference, not a card; ``13 11 14`` after
``call`` is a phone number), an international prefix. :func:`govsocial.core.pii.find_pii`
runs :data:`DETECTORS` in order; the rules are listed in that package's docstring.

Example
-------
>>> [kind for kind, _, _ in DETECTORS]
['email', 'card', 'medicare', 'tfn', 'phone', 'address']
>>> [m.group() for m in DETECTORS[0][1].finditer("mail jo.citizen@example.com today")]
['jo.citizen@example.com']
"""

from __future__ import annotations

import re
from typing import Callable

from .checksums import _digits, luhn_valid, medicare_valid, tfn_valid

__all__ = ["DETECTORS", "QUICK", "TFN_CONTEXT", "EMAIL_AT", "STREET", "MIN_DIGITS"]

# --------------------------------------------------------------------------- patterns

_B = r"(?<![\w@/.:#$-])"  # left boundary: not inside a word, handle, URL, hashtag or price
_E = r"(?![\w@/]|[.,-]\d)"  # right boundary

_EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}\b")
_CARD = re.compile(_B + r"(?:(?:\d{4}[ -]?){3}\d{1,7}|3[47]\d{2}[ -]?\d{6}[ -]?\d{5})" + _E)
_MEDICARE = re.compile(_B + r"[2-6]\d{3}[ -]?\d{5}[ -]?\d(?:[ -]?\d)?" + _E)
_TFN_GROUPED = re.compile(_B + r"\d{3}[ -]\d{3}[ -]\d{3}" + _E)
TFN_CONTEXT = re.compile(r"(?i)\b(?:tfn|tax file(?: number| no\.?)?)[^\w\n]{0,5}(?:is[^\w\n]{0,3})?(\d{8,9})\b")
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
_REFERENCE_WORDS = frozenset(
    {
        "ref",
        "refs",
        "reference",
        "crime",
        "case",
        "incident",
        "occurrence",
        "cad",
        "crn",
        "log",
        "job",
        "order",
        "invoice",
        "inv",
        "booking",
        "ticket",
        "tracking",
        "consignment",
        "parcel",
        "receipt",
        "permit",
        "serial",
        "batch",
        "abn",
        "acn",
        "isbn",
        "issn",
        "lot",
        "sku",
        "barcode",
        "transaction",
        "txn",
        "confirmation",
    }
)
_PHONE_WORDS = frozenset(
    {
        "call",
        "calling",
        "called",
        "phone",
        "phoned",
        "phoning",
        "ph",
        "tel",
        "telephone",
        "ring",
        "dial",
        "mobile",
        "mob",
        "contact",
        "hotline",
        "helpline",
        "line",
        "sms",
        "text",
        "txt",
        "whatsapp",
        "fax",
    }
)
_TYPE_WORDS = frozenset({"medicare", "tfn", "card", "visa", "mastercard", "amex", "credit", "debit", "tax"})
# Words between a label and its number that say nothing either way ("ref no. 123", "call us on 13 11 14").
_FILLER = frozenset(
    {
        "no",
        "number",
        "num",
        "nr",
        "is",
        "was",
        "us",
        "me",
        "on",
        "at",
        "the",
        "our",
        "my",
        "a",
        "your",
        "of",
        "file",
        "please",
        "pls",
        "now",
        "today",
        "anytime",
        "free",
        "toll",
    }
)
_LABEL = re.compile(r"[^\W\d_]+")
_INTL_PREFIX = re.compile(r"\+\d{1,3}[ .-]?(?:\(0\)[ .-]?)?$")


def _label(text: str, start: int) -> str | None:
    """The nearest label before ``start``: ``"reference"``, ``"phone"``, ``"type"`` or None."""
    words = _LABEL.findall(text[max(0, start - 48) : start])
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
    return bool(re.search(r"\d[ ]$", text[max(0, start - 2) : start]) or re.match(r"[ ]\d", text[end : end + 2]))


def _identifier_ok(valid: Callable[[str], bool]) -> Callable[[str, int, int], bool]:
    def check(text: str, start: int, end: int) -> bool:
        value = text[start:end]
        if not valid(value) or _INTL_PREFIX.search(text[max(0, start - 9) : start]):
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
DETECTORS: list[tuple[str, re.Pattern[str], _Check | None]] = [
    ("email", _EMAIL, None),
    ("card", _CARD, _identifier_ok(_card_ok)),
    ("medicare", _MEDICARE, _identifier_ok(medicare_valid)),
    ("tfn", _TFN_GROUPED, _identifier_ok(tfn_valid)),
    ("phone", _PHONE, _phone_ok),
    ("address", _ADDRESS, None),
]
QUICK = re.compile(r"@|\d")  # every detector but names needs an @ or a digit

# Cheap necessary conditions, so that a detector whose pattern scans slowly is skipped on
# the texts where no match could pass its check (finding the same spans, faster):
# an e-mail address holds "@" between an address character and a dotted domain (the
# pattern from "@" on, which the regex engine finds by its literal first character);
EMAIL_AT = re.compile(r"@(?<=[A-Za-z0-9._%+-]@)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}\b")
# a street address holds a street type as a word;
STREET = re.compile(r"(?:" + _STREET_TYPES + r")\b")
# and a number that passes its check holds at least this many digits (card: 13-19; Medicare:
# 10-11; tax file number: 9; phone: 6 for an Australian 13 xx xx number, 8 or more otherwise).
MIN_DIGITS = {"card": 13, "medicare": 10, "tfn": 9, "phone": 6}

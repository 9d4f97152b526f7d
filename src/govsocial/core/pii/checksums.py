"""Check digits of the identifiers the detectors look for: payment cards (Luhn), Australian
tax file numbers and Medicare numbers. A number that fails its check is not redacted as that
identifier, which keeps reference numbers and prices in the text.

Example
-------
>>> luhn_valid("4111 1111 1111 1111")
True
"""

from __future__ import annotations

import re

__all__ = ["luhn_valid", "tfn_valid", "medicare_valid"]


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

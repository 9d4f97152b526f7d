"""Personal information: find it, replace it with typed placeholders, count it,
and pseudonymise citizens' handles.

Detectors (in the order they run, so later ones never see earlier placeholders):

=========  ==========================================================  =============
type       what                                                        validated by
=========  ==========================================================  =============
email      e-mail addresses                                            shape
card       payment card numbers, 13-19 digits in groups                Luhn checksum
medicare   Australian Medicare numbers ``2123 45670 1``                 Medicare check digit
tfn        Australian tax file numbers ``123 456 782``                  TFN checksum
phone      phone numbers: Australian, UK, US and +international         digit count and prefixes
address    street addresses: number + name + street type               shape
=========  ==========================================================  =============

Each match is replaced by ``<EMAIL>``, ``<CARD>``, ``<MEDICARE>``, ``<TFN>``,
``<PHONE>`` or ``<ADDRESS>``; the tokeniser drops these placeholders by default.

Example
-------
>>> redact("Call me on 0491 570 156 or mail jo.citizen@example.com")
('Call me on <PHONE> or mail <EMAIL>', {'email': 1, 'phone': 1})
"""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import Callable, Iterable

import numpy as np
import pandas as pd

__all__ = ["redact", "redact_column", "redact_posts", "redact_text_block", "pseudonymise", "PII_TYPES", "PLACEHOLDERS",
           "find_pii"]

PII_TYPES = ("email", "card", "medicare", "tfn", "phone", "address")
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
    r"|13" + _SEP + r"\d{2}" + _SEP + r"\d{2}(?!\d)"  # AU 13 xx xx
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


def _phone_ok(match: str) -> bool:
    n = len(_digits(match))
    if match.startswith("+"):
        return 9 <= n <= 14
    return 8 <= n <= 11 or (match.startswith("13") and n == 6)


def _detectors() -> list[tuple[str, re.Pattern[str], Callable[[str], bool] | None]]:
    return [
        ("email", _EMAIL, None),
        ("card", _CARD, lambda m: 13 <= len(_digits(m)) <= 19 and m.lstrip()[0] in "3456" and luhn_valid(m)),
        ("medicare", _MEDICARE, medicare_valid),
        ("tfn", _TFN_GROUPED, tfn_valid),
        ("phone", _PHONE, _phone_ok),
        ("address", _ADDRESS, None),
    ]


_DETECTORS = _detectors()
_QUICK = re.compile(r"@|\d")  # every detector needs an @ or a digit


def find_pii(text: str) -> list[tuple[str, int, int, str]]:
    """Find personal information without changing the text: ``(type, start, end, value)``.

    Example
    -------
    >>> find_pii("TFN 123 456 782 please")
    [('tfn', 4, 15, '123 456 782')]
    """
    found: list[tuple[str, int, int, str]] = []
    if not _QUICK.search(text):
        return found
    taken = [False] * len(text)

    def free(a: int, b: int) -> bool:
        return not any(taken[a:b])

    has_at = "@" in text
    n_digits = sum(map(str.isdigit, text)) if not text.isalpha() else 0
    for kind, pattern, check in _DETECTORS:
        if (kind == "email" and not has_at) or (kind != "email" and kind != "address" and n_digits < 6):
            continue
        for m in pattern.finditer(text):
            value = m.group()
            if check is not None and not check(value):
                continue
            if free(m.start(), m.end()):
                found.append((kind, m.start(), m.end(), value))
                taken[m.start():m.end()] = [True] * (m.end() - m.start())
    for m in _TFN_CONTEXT.finditer(text):
        a, b = m.span(1)
        if tfn_valid(m.group(1)) and free(a, b):
            found.append(("tfn", a, b, m.group(1)))
            taken[a:b] = [True] * (b - a)
    found.sort(key=lambda f: f[1])
    return found


def redact(text: str) -> tuple[str, dict[str, int]]:
    """Replace personal information in one text with typed placeholders; count each type.

    Example
    -------
    >>> redact("Card 4111 1111 1111 1111, I live at 12 Wattle Street, Kelbrook")
    ('Card <CARD>, I live at <ADDRESS>', {'card': 1, 'address': 1})
    >>> redact("Ref 2023-04-12, price $1,250.00, #COVID19")[1]
    {}
    """
    if not isinstance(text, str):
        raise TypeError(f"redact expects a string; got {type(text).__name__} (use redact_column for many texts)")
    spans = find_pii(text)
    if not spans:
        return text, {}
    out, last, counts = [], 0, {}
    for kind, a, b, _ in spans:
        out.append(text[last:a])
        out.append(PLACEHOLDERS[kind])
        last = b
        counts[kind] = counts.get(kind, 0) + 1
    out.append(text[last:])
    ordered = {k: counts[k] for k in PII_TYPES if k in counts}
    return "".join(out), ordered


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


def redact_text_block(block: str) -> tuple[str, "Counter[str]"]:
    """Redact a large block of newline-separated texts; return it with counts per type.

    Gives exactly what :func:`redact` gives on each line, but fast: a byte-class
    signature (two digits in a row, a digit before a capitalised word, a word
    character before ``@``) picks the few lines that can hold personal
    information, and only those are searched. The tokeniser redacts this way.

    Example
    -------
    >>> redact_text_block("ring 0491 570 156\\nmail a@example.com\\nnothing")
    ('ring <PHONE>\\nmail <EMAIL>\\nnothing', Counter({'phone': 1, 'email': 1}))
    """
    from collections import Counter

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


def redact_column(texts: pd.Series | Iterable[str]) -> tuple[pd.Series, pd.DataFrame]:
    """Redact many texts: the redacted texts and a count table (one column per type).

    Both outputs keep the input's index (``post_id`` when given a posts table's
    column indexed by it).

    Example
    -------
    >>> s = pd.Series(["mail me a.b@example.org", "no pii here"], index=["p1", "p2"])
    >>> red, counts = redact_column(s)
    >>> red["p1"], int(counts.loc["p1", "email"]), int(counts["email"].sum())
    ('mail me <EMAIL>', 1, 1)
    """
    series = texts if isinstance(texts, pd.Series) else pd.Series(list(texts), dtype="object")
    if isinstance(texts, str):
        raise TypeError("redact_column expects many texts; got a single string (use redact)")
    values = series.to_numpy(dtype=object)
    redacted = []
    rows = []
    for value in values:
        if not isinstance(value, str):
            redacted.append(value)
            rows.append(None)
            continue
        text, counts = redact(value)
        redacted.append(text)
        rows.append(counts or None)
    counts = pd.DataFrame(0, index=series.index, columns=list(PII_TYPES), dtype="int64")
    for i, c in enumerate(rows):
        if c:
            for k, v in c.items():
                counts.iat[i, PII_TYPES.index(k)] = v
    return pd.Series(redacted, index=series.index, dtype=series.dtype, name=series.name), counts


def redact_posts(posts: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Redact the ``text`` of a posts table; return the new table and a per-post count table.

    The count table has ``post_id`` and one column per type, for every post
    (zeros where nothing was found), so privacy exposure can be analysed.

    Example
    -------
    >>> import govsocial.core.schema as schema
    >>> posts = schema.conform({"post_id": ["1"], "platform": ["x"], "text": ["ring 0491 570 110"]})
    >>> red, found = redact_posts(posts)
    >>> red.loc[0, "text"], found.loc[0, "phone"]
    ('ring <PHONE>', np.int64(1))
    """
    texts, counts = redact_column(posts["text"])
    out = posts.copy()
    out["text"] = texts
    counts.insert(0, "post_id", posts["post_id"].to_numpy())
    return out, counts.reset_index(drop=True)


def _pseudonym(value: str, key: bytes) -> str:
    return "user_" + hmac.new(key, value.lower().encode("utf-8"), hashlib.sha256).hexdigest()[:12]


def pseudonymise(posts: pd.DataFrame, key: str | bytes) -> pd.DataFrame:
    """Replace citizens' account ids, handles and @mentions of them with keyed pseudonyms.

    Government accounts (``account_type == "government"``) keep their names.
    The same ``key`` gives the same pseudonyms, so analyses join across runs;
    without the key a pseudonym cannot be linked back to a handle. Reply
    targets (``reply_to_account_id``) of citizens are pseudonymised too.

    Example
    -------
    >>> import govsocial.core.schema as schema
    >>> posts = schema.conform({"post_id": ["1", "2"], "platform": ["twitter"] * 2,
    ...     "account_id": ["9", "5"], "account_name": ["HealthDept", "jo_b"],
    ...     "account_type": ["government", "citizen"], "text": ["@jo_b see link", "@HealthDept thanks"]})
    >>> out = pseudonymise(posts, key="secret")
    >>> out.loc[0, "text"].startswith("@user_"), out.loc[1, "text"], out.loc[0, "account_name"]
    (True, '@HealthDept thanks', 'HealthDept')
    """
    if not key:
        raise ValueError("pseudonymise needs a non-empty key; keep it secret and reuse it for stable pseudonyms")
    k = key.encode("utf-8") if isinstance(key, str) else key
    out = posts.copy()
    citizen = out["account_type"].astype("string") != "government"
    gov_ids = set(out.loc[~citizen, "account_id"].dropna())
    gov_handles = {h.lower() for h in out.loc[~citizen, "account_name"].dropna()}
    for col in ("account_id", "account_name"):
        values = out.loc[citizen, col]
        out.loc[citizen, col] = values.map(lambda v: _pseudonym(v, k) if isinstance(v, str) else v)
    target = out["reply_to_account_id"]
    mask = target.notna() & ~target.isin(gov_ids)
    out.loc[mask, "reply_to_account_id"] = target[mask].map(lambda v: _pseudonym(v, k))

    def swap(m: re.Match[str]) -> str:
        handle = m.group(1)
        return m.group(0) if handle.lower() in gov_handles else "@" + _pseudonym(handle, k)

    out["text"] = out["text"].map(lambda t: _MENTION.sub(swap, t) if isinstance(t, str) and "@" in t else t)
    return out


_MENTION = re.compile(r"(?<![\w.])@(\w{1,30})")

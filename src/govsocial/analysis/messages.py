"""What a citizen's message to an agency is — a dispute of its information, a question, a
complaint, praise or other — by wording rules (documented in docs/engagement.md).

Example
-------
>>> classify_message("@roads when does the bridge reopen")
'question'
"""

from __future__ import annotations

import re

__all__ = ["classify_message"]

_QUESTION_START = re.compile(
    r"^(?:@\w+\s+)*(?:hi|hello|hey)?[,\s]*(?:how|when|where|why|what|who|which|can|could|"
    r"is|are|do|does|did|will|would|should|any|quick question)\b",
    re.IGNORECASE,
)
_DISPUTE = re.compile(
    r"\b(?:not (?:correct|true|right|accurate)|incorrect|misleading|wrong|out of date|outdated|"
    r"misinformation|false|inaccurate|update your (?:post|information|info|website)|"
    r"your post is)\b",
    re.IGNORECASE,
)
_COMPLAINT = re.compile(
    r"\b(?:still (?:no|nothing|waiting|not)|waited|waiting|ridiculous|hopeless|useless|terrible|"
    r"appalling|disgrace\w*|unacceptable|frustrat\w*|fed up|sick of|a mess|nobody|no one|"
    r"on hold|never|worst|shocking|complain\w*|keeps? crashing|broken|fix (?:it|this)|"
    r"not good enough)\b",
    re.IGNORECASE,
)
_PRAISE = re.compile(
    r"\b(?:thanks?|thank you|great|brilliant|helpful|well done|love|awesome|excellent|fantastic|"
    r"appreciate\w*)\b",
    re.IGNORECASE,
)


def classify_message(text: str) -> str:
    """What a citizen's message to an agency is: ``dispute`` (says the agency's information
    is wrong), ``question``, ``complaint``, ``praise`` or ``other`` — in that precedence.

    Example
    -------
    >>> [classify_message(t) for t in ["@a is the pool open?", "@a waited 3 weeks, ridiculous",
    ...                                 "Your post is out of date", "Thanks, very helpful", "@a ok"]]
    ['question', 'complaint', 'dispute', 'praise', 'other']
    """
    if _DISPUTE.search(text):
        return "dispute"
    if "?" in text or _QUESTION_START.search(text):
        return "question"
    if _COMPLAINT.search(text):
        return "complaint"
    if _PRAISE.search(text):
        return "praise"
    return "other"

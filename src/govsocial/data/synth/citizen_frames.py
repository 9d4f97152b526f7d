"""Sentence frames of the synthetic corpus: what the citizens write.

Written from the kinds of messages citizens send agencies (questions, complaints,
praise, disputes) and from ordinary chatter; the slots in braces are those of
:mod:`.frames` (``{agency}`` is the addressed agency's handle).
"""

from __future__ import annotations

# Topic clauses of citizens' posts (what the post is about, in a citizen's words).
CITIZEN_TOPIC_CLAUSES = [
    "[it's|this is] about the {a} {n} and {n2}",
    "re {n} and {n2}",
    "({n}, {n2})",
    "the {n} {n2} thing",
    "{n} {n2} {n3} again",
]

# citizen kinds -> (sentiment, frames); requests are the first two kinds
CITIZEN_FRAMES: dict[str, tuple[str, list[str]]] = {
    "question": (
        "neutral",
        [
            "{agency} how do I {v} my {n}? The website mentions {n2} but I cannot find the {n3} form",
            "{agency} Hi, when will the {n} in {place} reopen? Been trying to find out for days",
            "{agency} is the {a} {n} still available in {place}? I need to {v} before {day}",
            "{agency} quick question, do I need a {n} to {v} the {n2}?",
            "{agency} can someone tell me if the {n} {n2} rules apply to {place}? thanks",
            "{agency} where can I find the {n} form for {n2}? Is there a phone number?",
        ],
    ),
    "complaint": (
        "negative",
        [
            "{agency} waited {num} weeks for my {n} and still nothing. This is ridiculous",
            "{agency} your {n} website keeps crashing when I try to {v} my {n2}. Fix it please",
            "{agency} the {n} in {place} has been a mess for months. Nobody answers the phone",
            "{agency} absolutely hopeless {n} service. {num} hours on hold to sort out my {n2}",
            "{agency} still no reply about my {n} complaint. Terrible, I am so frustrated",
        ],
    ),
    "praise": (
        "positive",
        [
            "Thanks {agency}, really helpful {n} info",
            "Great work by the {n} team in {place}, thank you",
            "Love this! The new {n} {n2} is so much easier. Well done",
            "{agency} thank you so much for sorting out my {n} so quickly, brilliant service",
        ],
    ),
    "dispute": (
        "negative",
        [
            "That is not correct, the {n} in {place} is still closed. Please update your information",
            "This is misleading. The {n} {n2} changed last {month}, your post is out of date",
            "Wrong. Nobody told us about the {n} changes and the website says something different",
            "{agency} your post is incorrect, the {n} does not apply to {place}. Please fix it",
        ],
    ),
    "chatter": (
        "neutral",
        [
            "anyone else stuck in the {n} near {place} this morning",
            "finally sorted my {n} {n2} today",
            "{a} {n} in {place} again. typical {month}",
            "reading about the {n} and {n2} changes, not sure what it means for us in {place}",
            "heading to {place} for the {n} on {day}, who else is going",
        ],
    ),
}

CITIZEN_OPENERS = [
    "Hi",
    "Hello",
    "Hey",
    "G'day",
    "Um",
    "Seriously,",
    "Quick one:",
    "Morning,",
    "Excuse me,",
    "Ok so",
    "Question:",
    "Honestly",
    "Sorry to bother,",
    "Right,",
    "Not happy.",
]
CITIZEN_CLOSERS = [
    "thanks",
    "cheers",
    "any update?",
    "help pls",
    "so annoying",
    "please reply",
    "thanks in advance",
    "appreciate it",
    "this is the third time I've asked",
    "hello??",
    "anyone?",
    "ta",
    "much appreciated",
    "would love an answer",
    "not good enough",
]

PII_FRAMES = {
    "email": ["My email is {email}", "email me at {email}", "you can reach me on {email}"],
    "phone": ["Please call me on {phone}", "my number is {phone}", "call back on {phone} thanks"],
    "address": ["I live at {address}", "the issue is outside {address}", "send it to {address}"],
}

"""The addressee's name after a greeting that opens a text (``Hi Terry, ...``).

Agencies answer citizens by name: ``Hi Terry, …``, ``@jo_b Hello Andy``, ``Thanks
Sarah!``, ``Dear Mr Smith``. This detector finds that name, and only that one:

* the text opens with a greeting word (``hi``, ``hello``, ``hey``, ``dear``,
  ``thanks``/``thank you``, ``cheers``, ``sorry``, ``good morning``, ``g'day``, …),
  possibly after @mentions;
* then, optionally, a title (``Mr``, ``Mrs``, ``Ms``, ``Miss``, ``Mx``, ``Dr``, ``Prof``);
* then one to three capitalised words (``Terry``, ``Mary-Jane O'Brien``, ``Zoë``), or two
  such names joined by ``and``/``&``; not all capitals (``NSW``), not a word that
  greetings commonly take (``All``, ``Everyone``, ``Team``, ``Love``, weekdays, …),
  not an organisation (``Kelbrook Council``);
* and after a title anything may follow; without one the name must end the text or
  be followed by punctuation, a dash, or a word that opens an agency's answer
  (``we``, ``you``, ``thanks``, ``sorry``, ``please``, ``hope``, …), so ``Hey Love the
  new park`` keeps its words.

Names anywhere else (in the middle of a post, signatures, public figures) are not
looked for.

Example
-------
>>> [m for m in name_spans("@jo_b Hi Terry, we have passed this on")]
[(9, 14)]
>>> name_spans("Hey Love the new park"), name_spans("Hi all, roads are open")
([], [])
"""

from __future__ import annotations

import re

__all__ = ["name_spans"]

_GREETINGS = (
    r"hi|hello|hey|heya|hiya|howdy|dear|greetings|g'?day|good[^\S\n]+(?:morning|afternoon|evening|day)|"
    r"morning|afternoon|evening|thanks|thank[^\S\n]+you|thankyou|thx|cheers|sorry|apologies|welcome|"
    r"congratulations|congrats|kia[^\S\n]+ora"
)
_HEAD = re.compile(
    r"[^\S\n]*(?:\.?@\w{1,30}[^\S\n]*[,:]?[^\S\n]*)*(?i:" + _GREETINGS + r")(?![\w'’])"
    r"[^\S\n]*[,!]?[^\S\n]*"
)
_TITLE = re.compile(r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir)\.?[^\S\n]+(?=[^\W\d_])")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_JOIN = re.compile(r"[^\S\n]+(?:and|&)[^\S\n]+")
_END = re.compile(r"[^\S\n]*(?:$|\n|[,!.?:;)…]|[-–—][^\S\n]|[^\w\s@#'’\"])")
_NEXT_WORD = re.compile(r"[^\S\n]+([A-Za-z]+(?:['’][A-Za-z]+)?)\b")
# Words that open an agency's answer right after the name ("Hi Terry we've passed this on").
_OPENERS = frozenset(
    {
        "we",
        "we've",
        "we'll",
        "we're",
        "we'd",
        "you",
        "you'll",
        "you're",
        "you've",
        "your",
        "i",
        "i'm",
        "i've",
        "i'll",
        "our",
        "thanks",
        "thank",
        "sorry",
        "please",
        "unfortunately",
        "apologies",
        "hope",
        "happy",
        "great",
    }
)
# Capitalised words greetings take that are not names.
_NOT_NAMES = frozenset(
    """
all everyone everybody anyone anybody someone somebody folks team guys gals mate mates both again you y'all ya
so very much heaps loads lots a an the for to from and in on at this that these those it its it's is are was
we i i'm i've my our your please pls sorry thanks thank thx cheers hi hello hey dear sir madam ma'am friend
friends neighbour neighbours neighbor neighbors residents community love lovely great good just quick can
could would will do does did any what when where why how who which yes no ok okay well oh wow finally morning
afternoon evening night day today tonight tomorrow weekend world there here legend legends champ buddy mum dad
monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
september october november december everyone's all's update updates sharing shared reading heading need
back aboard home customer customers resident member members parents families commuters drivers motorists
visitors patients students applicants wrong free help urgent important question questions still another nobody
noone seriously honestly really disappointed disappointing shocking terrible awful ridiculous unbelievable
amazing awesome brilliant fantastic excellent perfect nice cool beautiful wonderful sad bad poor fail failed
news alert reminder warning notice attention breaking happy merry hmm um ugh glad keep stay
""".split()
)
_ORGANISATIONS = frozenset(
    """
council police team department dept service services fire rescue ambulance health government gov library
school schools club shire city transport water energy office centre center committee authority agency ministry
group foundation association society crew staff volunteers hospital university college museum park parks
""".split()
)


def _is_name_word(word: str) -> bool:
    return word[0].isupper() and not (len(word) > 1 and word[1].isupper()) and word.casefold() not in _NOT_NAMES


def _name_run(text: str, pos: int) -> tuple[int, int] | None:
    """Up to three capitalised name words from ``pos``, one space apart: their span, or None."""
    words: list[str] = []
    end = pos
    m = _WORD.match(text, pos)
    while m is not None and len(words) < 3 and _is_name_word(m.group()):
        words.append(m.group())
        end = m.end()
        if text[end : end + 1] != " ":
            break
        m = _WORD.match(text, end + 1)
    if not words or any(w.casefold() in _ORGANISATIONS for w in words):
        return None
    return pos, end


def _ends_well(text: str, end: int) -> bool:
    if _END.match(text, end):
        return True
    nxt = _NEXT_WORD.match(text, end)
    return nxt is not None and nxt.group(1).replace("’", "'").casefold() in _OPENERS


def name_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the addressee's name(s) after a greeting that opens ``text``.

    Example
    -------
    >>> text = "Dear Mr Smith thank you"
    >>> [text[a:b] for a, b in name_spans(text)]
    ['Smith']
    >>> text = "Thanks Sarah and Andy O'Brien!"
    >>> [text[a:b] for a, b in name_spans(text)]
    ['Sarah', "Andy O'Brien"]
    """
    if not isinstance(text, str):
        return []
    head = _HEAD.match(text)
    if head is None:
        return []
    pos = head.end()
    title = _TITLE.match(text, pos)
    if title is not None:
        pos = title.end()
    first = _name_run(text, pos)
    if first is None:
        return []
    spans = [first]
    join = _JOIN.match(text, first[1])
    if join is not None:
        second = _name_run(text, join.end())
        if second is not None:
            spans.append(second)
    if title is None and not _ends_well(text, spans[-1][1]):
        return []
    return spans

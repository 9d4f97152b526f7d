"""The studies, one module per research question; :data:`STUDIES` names them.

Add a study: write ``workflow/studies/<name>.py`` with a ``run(data, config, **upstream)
-> Outputs`` and a ``STUDY``, add it here and its name to
:data:`govsocial.workflow.config.ALL_STUDIES` (and
:data:`~govsocial.workflow.config.STUDY_NAMES` if a run without ``[run] experiments`` should run it), and write its readable twin in
``experiments/<name>.py``.

Example
-------
>>> list(STUDIES)
['uses', 'topics', 'engagement', 'responsiveness', 'risks', 'validation']
>>> run_order(["responsiveness", "topics"])
['topics', 'responsiveness']
"""

from __future__ import annotations

from typing import Iterable

from ..config import ALL_STUDIES
from . import engagement, responsiveness, risks, topics, uses, validation
from .base import Outputs, Study

__all__ = ["STUDIES", "Outputs", "Study", "run_order"]

STUDIES: dict[str, Study] = {
    s.name: s for s in (uses.STUDY, topics.STUDY, engagement.STUDY, responsiveness.STUDY, risks.STUDY, validation.STUDY)
}
assert tuple(STUDIES) == ALL_STUDIES


def run_order(names: Iterable[str]) -> list[str]:
    """``names`` in the order they can run: each study after the upstream studies it uses
    that are among ``names``; otherwise as given.

    Example
    -------
    >>> run_order(["risks", "responsiveness", "uses", "topics"])
    ['risks', 'topics', 'responsiveness', 'uses']
    """
    names = list(names)
    done: list[str] = []

    def visit(name: str) -> None:
        if name in done:
            return
        for before in STUDIES[name].upstream:
            if before in names:
                visit(before)
        done.append(name)

    for name in names:
        visit(name)
    return done

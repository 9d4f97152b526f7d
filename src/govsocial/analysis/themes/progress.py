"""Progress of the theme scorer's stages: a tqdm bar on stderr when ``verbose``, else silent.

Each stage is also logged at INFO level (``logging.getLogger("govsocial.analysis.themes.progress")``),
with its wall time, so a long fit on a large corpus can be followed in a log file too.

Example
-------
>>> with Stages(["features", "classifier"], verbose=False, desc="fit") as stages:
...     stages.step("features")
...     stages.step("classifier")
>>> stages.done
['features', 'classifier']
"""

from __future__ import annotations

import logging
import time
from typing import Any, Sequence

__all__ = ["Stages"]

log = logging.getLogger(__name__)


class Stages:
    """A progress bar over named stages (``step(name)`` starts the next one).

    Example
    -------
    >>> stages = Stages(["a", "b"], verbose=False, desc="demo")
    >>> stages.step("a"); stages.close(); stages.done
    ['a']
    """

    def __init__(self, names: Sequence[str], *, verbose: Any, desc: str) -> None:
        self.names, self.desc = list(names), desc
        self.done: list[str] = []
        self._start = time.perf_counter()
        self._bar, self._closed = None, False
        if verbose:
            from tqdm.auto import tqdm

            self._bar = tqdm(total=len(self.names), desc=desc, unit="stage", leave=False)

    def step(self, name: str) -> None:
        """Close the running stage and start ``name``."""
        self._finish()
        self.done.append(name)
        if self._bar is not None:
            self._bar.set_postfix_str(name)

    def _finish(self) -> None:
        now = time.perf_counter()
        if self.done:
            log.info("%s: %s took %.1f s", self.desc, self.done[-1], now - self._start)
            if self._bar is not None:
                self._bar.update(1)
        self._start = now

    def close(self) -> None:
        """Close the last stage and the bar (once)."""
        if self._closed:
            return
        self._closed = True
        self._finish()
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self) -> "Stages":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

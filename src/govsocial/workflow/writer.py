"""Writing results so that they never mix: every folder of a run is built in a hidden
temporary folder beside its final place, and only when the whole run has completed are
they moved into place (one rename each), files such as ``report.html`` last (written to
a temporary file and renamed over the old one). Until then the last complete results
stay as they were: an interrupted or failed run removes its temporary folders.

The writer holds a :class:`~govsocial.workflow.lock.ResultsLock` on each results folder,
and never deletes a file that a govsocial run did not write: a folder about to be
replaced may hold only the files its ``manifest.json`` lists (and the manifest), else
the run stops before it starts, naming the other files.

Example
-------
>>> import tempfile, pathlib
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> with ResultsWriter([root], log=lambda m: None) as writer:
...     staging = writer.stage(root / "uses")
...     _ = (staging / "table.csv").write_text("x\\n1\\n")
...     _ = (staging / "manifest.json").write_text('{"outputs": {"table.csv": ""}}')
...     print((root / "uses").exists())
...     _ = writer.commit()
False
>>> sorted(p.name for p in (root / "uses").iterdir())
['manifest.json', 'table.csv']
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from ..core.exceptions import GovsocialError
from .lock import ResultsLock, pid_alive

__all__ = ["ResultsWriter", "ForeignFilesError", "foreign_files"]

_STAGING = ".govsocial-staging-"
_OLD = ".govsocial-old-"


class ForeignFilesError(GovsocialError):
    """A folder the run would replace holds files that no govsocial run wrote.

    Example
    -------
    >>> issubclass(ForeignFilesError, GovsocialError)
    True
    """


def _listed_outputs(folder: Path) -> set[str] | None:
    try:
        doc = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    outputs = doc.get("outputs") if isinstance(doc, dict) else None
    return set(outputs) if isinstance(outputs, dict) else None


def foreign_files(folder: str | Path, is_ours: Callable[[Path], bool] | None = None) -> list[str]:
    """Files under ``folder`` that its ``manifest.json`` does not list as outputs (all of
    them when there is no readable manifest) and that ``is_ours`` does not recognise:
    what a run must not delete.

    Example
    -------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (f / "a.csv").write_text("1"); _ = (f / "notes.txt").write_text("mine")
    >>> _ = (f / "manifest.json").write_text('{"outputs": {"a.csv": "..."}}')
    >>> foreign_files(f)
    ['notes.txt']
    """
    folder = Path(folder)
    if not folder.exists():
        return []
    listed = _listed_outputs(folder) or set()
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if not p.is_dir())
    return [
        f
        for f in files
        if f != "manifest.json" and f not in listed and not (is_ours is not None and is_ours(folder / f))
    ]


@contextmanager
def _interrupts_deferred() -> Iterator[None]:
    """Hold Ctrl-C until the block ends, so a commit is never cut half-way."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[Any] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if caught:
            raise KeyboardInterrupt


class ResultsWriter:
    """Stage a run's folders and files beside their final places; :meth:`commit` moves
    them in. Use as a context manager: it locks ``roots`` on entry and, unless the run
    committed, removes everything it staged on exit.

    Example
    -------
    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> with ResultsWriter([root], log=lambda m: None) as writer:
    ...     _ = writer.stage_file(root / "report.html").write_text("<html>")
    ...     _ = writer.commit()
    >>> (root / "report.html").read_text(), sorted(p.name for p in root.iterdir())
    ('<html>', ['report.html'])
    """

    def __init__(
        self,
        roots: Sequence[str | Path],
        log: Callable[[str], None] | None = None,
        is_ours: Callable[[Path], bool] | None = None,
    ) -> None:
        self.roots = sorted({Path(r).resolve() for r in roots})
        self.log = log or (lambda message: None)
        self.is_ours = is_ours or (lambda path: False)
        self._locks: list[ResultsLock] = []
        self._folders: list[tuple[Path, Path]] = []
        self._files: list[tuple[Path, Path]] = []

    # ----------------------------------------------------------------- lock and recovery
    def __enter__(self) -> "ResultsWriter":
        self._remember_interrupts()
        try:
            for root in self.roots:
                self._locks.append(ResultsLock(root, log=self.log).acquire())
                self._recover(root)
        except BaseException:
            self._release()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self._discard()
        finally:
            self._release()
            if self._previous_handler is not None:
                signal.signal(signal.SIGINT, self._previous_handler)

    def _remember_interrupts(self) -> None:
        """Ctrl-C raises KeyboardInterrupt as usual and is also remembered, so that one that
        lands where Python cannot raise it (a finaliser, a callback from C: "Exception ignored
        in …") still stops the run at :meth:`check_interrupted` or :meth:`commit`."""
        self._interrupted: list[int] = []
        self._previous_handler: Any = None
        if threading.current_thread() is not threading.main_thread():
            return

        def handler(signum: int, frame: Any) -> None:
            self._interrupted.append(signum)
            raise KeyboardInterrupt

        self._previous_handler = signal.signal(signal.SIGINT, handler)

    def check_interrupted(self) -> None:
        """Raise KeyboardInterrupt if Ctrl-C was pressed since the writer was entered."""
        if getattr(self, "_interrupted", None):
            raise KeyboardInterrupt

    def _release(self) -> None:
        for lock in reversed(self._locks):
            lock.release()
        self._locks = []

    def _recover(self, root: Path) -> None:
        """Tidy what a run that died (killed, power cut) left under ``root``."""

        def dead(path: Path, marker: str) -> bool:
            pid = path.name.rsplit(marker, 1)[-1]
            return not (pid.isdigit() and pid_alive(int(pid)))

        for path in sorted(p for p in root.rglob(f".*{_OLD}*") if dead(p, _OLD)):
            final = path.with_name(path.name[1:].split(_OLD)[0])
            if path.is_dir() and not final.exists():
                path.rename(final)
                self.log(f"note: restored {final} from an interrupted run")
            elif path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
        for path in sorted(p for p in root.rglob(f".*{_STAGING}*") if dead(p, _STAGING)):
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink(missing_ok=True)
            self.log(f"note: removed {path.name}, left unfinished by an interrupted run")

    # ----------------------------------------------------------------- staging
    def _check_root(self, final: Path) -> Path:
        final = final.resolve()
        if not any(final.is_relative_to(root) and final != root for root in self.roots):
            raise ValueError(f"{final} is not inside a locked results folder {[str(r) for r in self.roots]}")
        return final

    def check_replaceable(self, final: str | Path) -> None:
        """Raise :class:`ForeignFilesError` if ``final`` holds files no govsocial run wrote."""
        final = Path(final)
        if final.is_dir():
            foreign = foreign_files(final, self.is_ours)
            if foreign:
                shown = ", ".join(foreign[:8]) + (f" and {len(foreign) - 8} more" if len(foreign) > 8 else "")
                raise ForeignFilesError(
                    f"{final} holds {len(foreign)} file(s) that no govsocial run wrote (its manifest.json does not "
                    f"list them): {shown}. Nothing was changed; move them elsewhere, or choose another --results "
                    "folder"
                )
        elif final.exists() and not self.is_ours(final):
            raise ForeignFilesError(
                f"{final} exists and was not written by govsocial; nothing was changed. Move it "
                "elsewhere or choose another --results folder"
            )

    def stage(self, final: str | Path) -> Path:
        """An empty temporary folder beside ``final`` to build its contents in."""
        final = self._check_root(Path(final))
        self.check_replaceable(final)
        final.parent.mkdir(parents=True, exist_ok=True)
        staging = final.with_name(f".{final.name}{_STAGING}{os.getpid()}")
        if staging.exists():
            shutil.rmtree(staging)
        staging.mkdir()
        self._folders.append((staging, final))
        return staging

    def stage_file(self, final: str | Path) -> Path:
        """A temporary path beside ``final`` to write the file to."""
        final = self._check_root(Path(final))
        self.check_replaceable(final)
        final.parent.mkdir(parents=True, exist_ok=True)
        staging = final.with_name(f".{final.name}{_STAGING}{os.getpid()}")
        self._files.append((staging, final))
        return staging

    # ----------------------------------------------------------------- commit
    def commit(self) -> list[Path]:
        """Move every staged folder, then every staged file, into place; Ctrl-C waits
        until this is done. Returns the final paths."""
        self.check_interrupted()
        for staging, final in self._folders + self._files:  # checked again: files may have appeared since
            self.check_replaceable(final)
        done = []
        with _interrupts_deferred():
            for staging, final in self._folders:
                old = final.with_name(f".{final.name}{_OLD}{os.getpid()}")
                if final.exists():
                    final.rename(old)
                staging.rename(final)
                if old.exists():
                    shutil.rmtree(old)
                done.append(final)
            for staging, final in self._files:
                os.replace(staging, final)
                done.append(final)
            self._folders, self._files = [], []
        return done

    def _discard(self) -> None:
        for staging, _ in self._folders:
            shutil.rmtree(staging, ignore_errors=True)
        for staging, _ in self._files:
            staging.unlink(missing_ok=True)
        self._folders, self._files = [], []

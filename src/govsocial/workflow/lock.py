"""A lock on a results folder, so two runs never write into one folder at once.

The lock is the file ``<folder>/.govsocial.lock``, held with ``fcntl.flock`` (released
by the system when its process ends, however it ends) and holding its holder's pid,
host, start time and command as JSON. A second run finds the lock held, names the
holder and stops; a lock file left by a process that died is taken over with a message.
Where ``fcntl`` is missing (Windows), the file is created with ``O_EXCL`` instead and a
lock of a pid that no longer runs on this host counts as stale.

Example
-------
>>> import tempfile
>>> folder = tempfile.mkdtemp()
>>> with ResultsLock(folder) as lock:
...     try:
...         ResultsLock(folder).acquire()
...     except ResultsLockedError as exc:
...         print("busy:", f"pid {os.getpid()}" in str(exc))
busy: True
"""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any, Callable

from ..core.exceptions import GovsocialError

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

__all__ = ["LOCK_NAME", "ResultsLock", "ResultsLockedError", "pid_alive"]

LOCK_NAME = ".govsocial.lock"


class ResultsLockedError(GovsocialError):
    """Another run holds the results folder's lock.

    Example
    -------
    >>> issubclass(ResultsLockedError, GovsocialError)
    True
    """


def _holder_text(info: dict[str, Any]) -> str:
    started = info.get("started")
    when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(started)) if isinstance(started, (int, float)) else "?"
    return f"pid {info.get('pid', '?')} on host {info.get('host', '?')}, started {when}"


def pid_alive(pid: Any) -> bool:
    """Whether a process with this pid runs on this host.

    Example
    -------
    >>> pid_alive(os.getpid()), pid_alive(-1)
    (True, False)
    """
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class ResultsLock:
    """Hold ``<folder>/.govsocial.lock`` while a run writes into ``folder``.

    ``acquire`` raises :class:`ResultsLockedError` naming the holder when another live
    run holds it; ``log`` receives the message when a stale lock is taken over.

    Example
    -------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> with ResultsLock(folder):
    ...     print(json.loads((folder / LOCK_NAME).read_text())["pid"] == os.getpid())
    True
    >>> (folder / LOCK_NAME).exists()
    False
    """

    def __init__(self, folder: str | Path, log: Callable[[str], None] | None = None) -> None:
        self.folder = Path(folder)
        self.path = self.folder / LOCK_NAME
        self.log = log or (lambda message: print(message, file=sys.stderr, flush=True))
        self._fd: int | None = None

    def _info(self) -> dict[str, Any]:
        return {"pid": os.getpid(), "host": platform.node(), "started": time.time(), "command": " ".join(sys.argv[:6])}

    def _read(self) -> dict[str, Any]:
        try:
            info = json.loads(self.path.read_text(encoding="utf-8") or "{}")
        except (OSError, ValueError):
            return {}
        return info if isinstance(info, dict) else {}

    def _busy(self, info: dict[str, Any]) -> ResultsLockedError:
        return ResultsLockedError(
            f"results folder {self.folder} is in use by another govsocial run ({_holder_text(info)}); wait for it "
            f"to finish, or write to another folder with --results (lock file: {self.path})"
        )

    def acquire(self) -> "ResultsLock":
        """Take the lock or raise :class:`ResultsLockedError` naming its holder."""
        self.folder.mkdir(parents=True, exist_ok=True)
        if fcntl is None:  # pragma: no cover - Windows
            return self._acquire_exclusive()
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                info = self._read()
                os.close(fd)
                raise self._busy(info) from None
            try:  # the holder before us may have removed the file between our open and flock
                same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        previous = self._read()
        if previous.get("pid") is not None:
            self.log(
                f"note: took over a stale lock on {self.folder} left by a run that ended without releasing it "
                f"({_holder_text(previous)})"
            )
        self._write(fd)
        return self

    def _acquire_exclusive(self) -> "ResultsLock":  # pragma: no cover - Windows
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                info = self._read()
                if info.get("host") == platform.node() and not pid_alive(info.get("pid")):
                    self.log(
                        f"note: took over a stale lock on {self.folder} ({_holder_text(info)}: "
                        "that process no longer runs)"
                    )
                    self.path.unlink(missing_ok=True)
                    continue
                raise self._busy(info) from None
            self._write(fd)
            return self
        raise self._busy(self._read())

    def _write(self, fd: int) -> None:
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, (json.dumps(self._info()) + "\n").encode("utf-8"))
        os.fsync(fd)
        self._fd = fd

    def release(self) -> None:
        """Remove the lock file and let go (a no-op when not held)."""
        if self._fd is None:
            return
        try:
            self.path.unlink(missing_ok=True)  # while still holding it, so no one locks a removed file
        finally:
            os.close(self._fd)  # closing releases the flock
            self._fd = None

    def __enter__(self) -> "ResultsLock":
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()

"""Provenance of results: file hashes, package versions, the git commit, and a manifest.

Example
-------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> (folder / "t.csv").write_text("a\\n1\\n")
4
>>> sha256(folder / "t.csv")[:12]
'309b0e45a73d'
"""

from __future__ import annotations

import hashlib
import json
import platform
import subprocess
import sys
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Mapping

__all__ = ["sha256", "package_versions", "git_commit", "Manifest"]

PACKAGES = (
    "govsocial",
    "numpy",
    "scipy",
    "pandas",
    "pyarrow",
    "scikit-learn",
    "gensim",
    "nltk",
    "numba",
    "statsmodels",
    "matplotlib",
    "vaderSentiment",
    "emoji",
    "wordsegment",
)


def sha256(path: str | Path) -> str:
    """SHA-256 of a file's bytes.

    Example
    -------
    >>> import tempfile, os
    >>> f = tempfile.NamedTemporaryFile(delete=False); _ = f.write(b""); f.close()
    >>> sha256(f.name)[:8]
    'e3b0c442'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def package_versions(names: tuple[str, ...] = PACKAGES) -> dict[str, str | None]:
    """Installed versions of the packages results depend on (None when absent).

    Example
    -------
    >>> package_versions(("numpy",))["numpy"] is not None
    True
    """
    out: dict[str, str | None] = {}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def git_commit(folder: str | Path = ".") -> str | None:
    """The commit checked out in ``folder`` (with ``+dirty`` if files changed), or None.

    Example
    -------
    >>> git_commit("/") is None or True
    True
    """
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=folder, capture_output=True, text=True, timeout=10)
        if head.returncode != 0:
            return None
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=10,
        )
        return head.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return None


@dataclass
class Manifest:
    """What a run used and made: config, inputs with hashes, versions, seeds, counts, outputs.

    Example
    -------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> m = Manifest(experiment="demo", config={"seed": 1}, seeds={"seed": 1})
    >>> (out / "table.csv").write_text("x\\n1\\n")
    4
    >>> sorted(json.loads(m.write(out).read_text())["outputs"])
    ['table.csv']
    """

    experiment: str
    config: dict[str, Any]
    seeds: dict[str, Any] = field(default_factory=dict)
    inputs: list[str] = field(default_factory=list)
    counts: dict[str, Any] = field(default_factory=dict)
    started: float = field(default_factory=time.time)
    codebooks: dict[str, str] = field(default_factory=dict)
    privacy: str = ""

    def write(
        self, folder: str | Path, outputs: Mapping[str, str | Path] | None = None, *, path: str | Path | None = None
    ) -> Path:
        """Write ``folder/manifest.json`` (or ``path``) listing, with their hashes, every
        other file in ``folder`` — or ``outputs`` (name in the manifest → file to hash)
        when given. ``codebooks`` (name → file) are hashed too.

        Example
        -------
        >>> import tempfile, pathlib
        >>> out = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (out / "page.tmp").write_text("<html>")
        >>> doc = json.loads(Manifest("report", {}).write(out, {"report.html": out / "page.tmp"}).read_text())
        >>> list(doc["outputs"])
        ['report.html']
        """
        folder = Path(folder)
        if outputs is None:
            listed = {
                p.relative_to(folder).as_posix(): sha256(p)
                for p in sorted(folder.rglob("*"))
                if p.is_file() and p.name != "manifest.json"
            }
        else:
            listed = {name: sha256(p) for name, p in outputs.items()}
        doc = {
            "experiment": self.experiment,
            "config": self.config,
            "seeds": self.seeds,
            "inputs": {str(p): sha256(p) for p in self.inputs if Path(p).is_file()},
            "codebooks": {name: {"source": str(p), "sha256": sha256(p)} for name, p in self.codebooks.items()},
            "citizen_ids": self.privacy,
            "counts": self.counts,
            "packages": package_versions(),
            "python": sys.version.split()[0],
            "platform": platform.platform(),
            "git_commit": git_commit(Path(__file__).resolve().parent),
            "wall_seconds": round(time.time() - self.started, 3),
            "outputs": listed,
        }
        path = Path(path) if path is not None else folder / "manifest.json"
        path.write_text(json.dumps(doc, indent=2, default=str) + "\n", encoding="utf-8")
        return path

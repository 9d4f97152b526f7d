"""Experiment configs: the defaults updated by a TOML file, checked before anything runs.

A config has a ``name`` and the sections of :data:`DEFAULTS`. Every key is checked: an
unknown section or key is an error naming the file, the section and the key, with the
known keys; ``name`` must be a plain name (it becomes a folder); paths (inputs, registry,
truth, output folder, pseudonym key file, codebooks given by path) are relative to the
config file's folder.

Example
-------
>>> cfg = load_config(None)
>>> cfg["name"], cfg["topics"]["model"]
('bundled', 'dmm')
"""

from __future__ import annotations

import copy
import re
import tomllib
from pathlib import Path
from typing import Any, Iterable

from ..core.exceptions import InputError

__all__ = ["DEFAULTS", "KNOWN_KEYS", "check_name", "load_config"]

DEFAULTS: dict[str, Any] = {
    "name": "bundled",
    "input": {"paths": ["corpora/govsocial-sample/posts.jsonl.gz"], "format": "auto",
              "registry": "corpora/govsocial-sample/accounts.csv", "truth": "corpora/govsocial-sample",
              "columns": {}, "platform": None, "unregistered": "citizen", "government": None},
    "output": {"folder": "results", "pseudonym_key_file": None},
    "run": {"experiments": ["uses", "topics", "engagement", "responsiveness", "risks"], "seed": 20240501,
            "n_boot": 500},
    "text": {"min_df": 3, "max_df": 0.5},
    "themes": {"codebooks": ["oecd", "depaula"], "n_iter": 100},
    "topics": {"model": "dmm", "ks": [8, 16, 24], "seeds": [0, 1], "n_iter": 30, "k": None, "top_n": 10},
}

#: the keys each section accepts (``input.columns`` is a free mapping of schema column -> file column)
KNOWN_KEYS: dict[str, list[str]] = {section: sorted(body) for section, body in DEFAULTS.items()
                                    if isinstance(body, dict)}

_PLAIN = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}")


def check_name(name: Any, *, what: str = "name", source: str = "config", hint: str | None = None) -> str:
    """``name`` if it is a plain name — letters, digits, ``-``, ``_`` and ``.`` (not
    first), at most 100 characters, no path separators — else an :class:`InputError`:
    names become folder and file names, so ``../x`` must never reach a path.

    Example
    -------
    >>> check_name("police-2023_v1.2")
    'police-2023_v1.2'
    >>> check_name("../../x")
    Traceback (most recent call last):
    ...
    govsocial.core.exceptions.InputError: config, field 'name': '../../x' is not a plain name; use letters, digits, '-', '_' and '.' (not first), e.g. name = "my-study"
    """
    if not isinstance(name, str) or not _PLAIN.fullmatch(name):
        raise InputError(f"{name!r} is not a plain name", source=source, field=what,
                         hint=hint or "use letters, digits, '-', '_' and '.' (not first), e.g. name = \"my-study\"")
    return name


def _merge(base: dict[str, Any], update: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict) and key != "columns":
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _check_keys(raw: dict[str, Any], source: str) -> None:
    unknown = sorted(set(raw) - set(DEFAULTS))
    if unknown:
        raise InputError(f"unknown section or key {unknown[0]!r}", source=source, field=unknown[0],
                         hint=f"top-level keys are 'name' and the sections {sorted(KNOWN_KEYS)}")
    for section, body in raw.items():
        if section == "name":
            continue
        if not isinstance(body, dict):
            raise InputError(f"{section!r} must be a section ([{section}])", source=source, field=section,
                             hint=f"write [{section}] followed by its keys {KNOWN_KEYS[section]}")
        for key in sorted(body):
            if key not in KNOWN_KEYS[section]:
                raise InputError(f"unknown key {key!r} in section [{section}]", source=source,
                                 field=f"{section}.{key}", hint=f"[{section}] knows {KNOWN_KEYS[section]}")


def _resolve_paths(raw: dict[str, Any], base: Path) -> None:
    """Make every path in ``raw`` absolute from ``base`` (the config file's folder)."""
    inp = raw.setdefault("input", {})
    if "paths" in inp:
        paths = [inp["paths"]] if isinstance(inp["paths"], str) else list(inp["paths"])
        inp["paths"] = [str((base / p).resolve()) for p in paths]
    for key in ("registry", "truth"):  # no registry or truth unless the file names them
        inp[key] = str((base / inp[key]).resolve()) if inp.get(key) else None
    out = raw.get("output", {})
    for key in ("folder", "pseudonym_key_file"):
        if out.get(key):
            out[key] = str((base / out[key]).resolve())
    themes = raw.get("themes", {})
    if "codebooks" in themes:
        themes["codebooks"] = [_codebook_entry(c, base) for c in themes["codebooks"]]


def _codebook_entry(entry: Any, base: Path) -> str:
    """A packaged codebook's name stays a name; anything else is a path from ``base``."""
    from ..analysis.themes import available_codebooks

    if isinstance(entry, str) and entry in available_codebooks():
        return entry
    return str((base / str(entry)).resolve())


def _check_codebooks(config: dict[str, Any], source: str) -> None:
    """Load each codebook once: it must exist, parse and have a plain, unique ``name``."""
    from ..analysis.themes import load_codebook

    seen: dict[str, str] = {}
    for entry in config["themes"]["codebooks"]:
        try:
            book = load_codebook(entry)
        except ValueError as exc:  # InputError is a ValueError too, and says where
            if isinstance(exc, InputError):
                raise
            raise InputError(str(exc), source=source, field="themes.codebooks",
                             hint="give a packaged name or a path relative to the config file") from None
        check_name(book.name, what="name", source=book.source,
                   hint="a codebook's name names its output files: use letters, digits, '-', '_', '.'")
        if book.name in seen:
            raise InputError(f"two codebooks are named {book.name!r}: {seen[book.name]} and {entry}",
                             source=source, field="themes.codebooks", hint="give each codebook its own name")
        seen[book.name] = str(entry)


def load_config(path: str | Path | None, *, experiments: Iterable[str] | None = None,
                **overrides: Any) -> dict[str, Any]:
    """A config: :data:`DEFAULTS` updated by the TOML file at ``path`` (none: the bundled
    corpus) and then by ``overrides``. Paths in the file are relative to its folder. With
    ``experiments`` (the known names), ``run.experiments`` is checked against them.

    Example
    -------
    >>> load_config(None, run={"experiments": ["uses"]})["run"]["experiments"]
    ['uses']
    >>> import tempfile, pathlib
    >>> bad = pathlib.Path(tempfile.mkdtemp()) / "bad.toml"
    >>> _ = bad.write_text("[text]\\nfoo_bar = 1\\n")
    >>> load_config(bad)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    govsocial.core.exceptions.InputError: .../bad.toml, field 'text.foo_bar': unknown key 'foo_bar' in section [text]; [text] knows ['max_df', 'min_df']
    """
    config = copy.deepcopy(DEFAULTS)
    source = "config"
    if path is not None:
        path = Path(path)
        source = str(path)
        if not path.exists():
            raise InputError("config file not found", source=source, hint="check the path")
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise InputError(f"not valid TOML: {exc}", source=source) from None
        _check_keys(raw, source)
        _resolve_paths(raw, path.resolve().parent)
        named = "name" in raw
        raw.setdefault("name", path.stem)
        config = _merge(config, raw)
        check_name(config["name"], source=source, hint=None if named else
                   "without a name the file's name is used; set name = \"my-study\" (letters, digits, '-', '_', "
                   "'.' not first)")
    config = _merge(config, overrides)
    if experiments is not None:
        known = list(experiments)
        bad = [e for e in config["run"]["experiments"] if e not in known]
        if bad:
            raise InputError(f"unknown experiment(s) {bad}", source=source, field="run.experiments",
                             hint=f"experiments are {known}")
    _check_codebooks(config, source)
    return config

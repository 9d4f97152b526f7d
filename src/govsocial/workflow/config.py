"""Study configs: typed, frozen dataclasses read from TOML and checked before anything runs.

A config has a ``name`` and the sections ``[input]``, ``[output]``, ``[run]``, ``[text]``,
``[themes]`` and ``[topics]``, one dataclass each. Every key is checked: an unknown
section or key is an error naming the file, the section and the key, with the known
keys; a value of the wrong type names the key and the type it needs; ``name`` must be a
plain name (it becomes a folder); paths (inputs, registry, truth, output folder,
pseudonym key file, codebooks given by path) are relative to the config file's folder.

Example
-------
>>> cfg = load_config(None)
>>> cfg.name, cfg.topics.model, cfg.themes.primary
('bundled', 'dmm', 'oecd')
>>> cfg.run.seed = 1
Traceback (most recent call last):
...
dataclasses.FrozenInstanceError: cannot assign to field 'seed'
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from ..core.exceptions import InputError

__all__ = ["Config", "InputConfig", "OutputConfig", "RunConfig", "TextConfig", "ThemesConfig", "TopicsConfig",
           "STUDY_NAMES", "check_name", "load_config"]

#: the studies a config may name, in the order a run without ``[run] experiments`` runs them
STUDY_NAMES = ("uses", "topics", "engagement", "responsiveness", "risks")


@dataclass(frozen=True)
class InputConfig:
    """``[input]``: the exports, the account registry and (for generated corpora) the planted truth.

    Example
    -------
    >>> InputConfig(paths=("a.csv",), format="csv").unregistered
    'citizen'
    """

    paths: tuple[str, ...] = ("corpora/govsocial-sample/posts.jsonl.gz",)
    format: str = "auto"
    registry: str | None = "corpora/govsocial-sample/accounts.csv"
    truth: str | None = "corpora/govsocial-sample"
    columns: dict[str, str] = field(default_factory=dict)
    platform: str | None = None
    unregistered: str = "citizen"
    government: str | None = None


@dataclass(frozen=True)
class OutputConfig:
    """``[output]``: the results folder and the file holding the pseudonym key.

    Example
    -------
    >>> OutputConfig().folder
    'results'
    """

    folder: str = "results"
    pseudonym_key_file: str | None = None


@dataclass(frozen=True)
class RunConfig:
    """``[run]``: which studies, the seed and the number of bootstrap draws.

    Example
    -------
    >>> RunConfig().experiments[:2]
    ('uses', 'topics')
    """

    experiments: tuple[str, ...] = STUDY_NAMES
    seed: int = 20240501
    n_boot: int = 500


@dataclass(frozen=True)
class TextConfig:
    """``[text]``: vocabulary pruning of the document-term matrix.

    Example
    -------
    >>> TextConfig().min_df, TextConfig().max_df
    (3, 0.5)
    """

    min_df: int = 3
    max_df: float = 0.5


@dataclass(frozen=True)
class ThemesConfig:
    """``[themes]``: codebooks (packaged names or paths) and the scorer's iterations; the
    first codebook is the one every study but ``uses`` reads.

    Example
    -------
    >>> ThemesConfig(codebooks=("depaula", "oecd")).primary
    'depaula'
    """

    codebooks: tuple[str, ...] = ("oecd", "depaula")
    n_iter: int = 100

    @property
    def primary(self) -> str:
        """The codebook the engagement, responsiveness and risks studies use (the first)."""
        return self.codebooks[0]


@dataclass(frozen=True)
class TopicsConfig:
    """``[topics]``: the model, the K sweep and the fixed K (none: chosen by coherence).

    Example
    -------
    >>> TopicsConfig().ks
    (8, 16, 24)
    """

    model: str = "dmm"
    ks: tuple[int, ...] = (8, 16, 24)
    seeds: tuple[int, ...] = (0, 1)
    n_iter: int = 30
    k: int | None = None
    top_n: int = 10


@dataclass(frozen=True)
class Config:
    """A whole config; :func:`load_config` makes one from a TOML file.

    Example
    -------
    >>> Config().with_studies(["uses"]).run.experiments
    ('uses',)
    """

    name: str = "bundled"
    input: InputConfig = field(default_factory=InputConfig)
    output: OutputConfig = field(default_factory=OutputConfig)
    run: RunConfig = field(default_factory=RunConfig)
    text: TextConfig = field(default_factory=TextConfig)
    themes: ThemesConfig = field(default_factory=ThemesConfig)
    topics: TopicsConfig = field(default_factory=TopicsConfig)

    @property
    def seed(self) -> int:
        """The run's seed."""
        return self.run.seed

    def as_dict(self) -> dict[str, Any]:
        """Plain data for manifests (lists, not tuples)."""
        def plain(value: Any) -> Any:
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            if isinstance(value, (list, tuple)):
                return [plain(v) for v in value]
            return value

        return dict(plain(dataclasses.asdict(self)))

    def with_studies(self, studies: Iterable[str]) -> "Config":
        """The same config running only ``studies``."""
        return dataclasses.replace(self, run=dataclasses.replace(self.run, experiments=tuple(studies)))

    def with_results(self, folder: str | Path) -> "Config":
        """The same config writing to ``folder``."""
        return dataclasses.replace(self, output=dataclasses.replace(self.output, folder=str(folder)))


_SECTIONS: dict[str, type] = {"input": InputConfig, "output": OutputConfig, "run": RunConfig, "text": TextConfig,
                              "themes": ThemesConfig, "topics": TopicsConfig}
#: the keys each section accepts (``input.columns`` is a free mapping of schema column -> file column)
KNOWN_KEYS: dict[str, list[str]] = {name: sorted(f.name for f in dataclasses.fields(cls))
                                    for name, cls in _SECTIONS.items()}

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


# --------------------------------------------------------------------------- typed values
def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _one(check: Callable[[Any], bool], convert: Callable[[Any], Any], kind: str, optional: bool = False) -> Any:
    def parse(value: Any, where: str, source: str) -> Any:
        if value is None and optional:
            return None
        if not check(value):
            raise InputError(f"{where} must be {kind}; got {value!r}", source=source, field=where,
                             hint=f"write {where.split('.')[-1]} = <{kind}>")
        return convert(value)
    return parse


def _many(item: Callable[[Any], bool], kind: str, *, single: bool = False) -> Any:
    def parse(value: Any, where: str, source: str) -> tuple[Any, ...]:
        if single and isinstance(value, str):
            value = [value]
        if not isinstance(value, (list, tuple)) or not all(item(v) for v in value):
            raise InputError(f"{where} must be a list of {kind}; got {value!r}", source=source, field=where,
                             hint=f"write {where.split('.')[-1]} = [...]")
        return tuple(value)
    return parse


_STR = _one(lambda v: isinstance(v, str), str, "a string")
_OPT_STR = _one(lambda v: isinstance(v, str), str, "a string", optional=True)
_INT = _one(_is_int, int, "an integer")
_OPT_INT = _one(_is_int, int, "an integer", optional=True)
_FLOAT = _one(lambda v: _is_int(v) or isinstance(v, float), float, "a number")
_MAP = _one(lambda v: isinstance(v, dict) and all(isinstance(x, str) for x in v.values()), dict,
            "a table of strings")
_GOVERNMENT = _one(lambda v: v == "all", str, '"all" (or left out)', optional=True)

_PARSERS: dict[str, dict[str, Any]] = {
    "input": {"paths": _many(lambda v: isinstance(v, str), "paths", single=True), "format": _STR,
              "registry": _OPT_STR, "truth": _OPT_STR, "columns": _MAP, "platform": _OPT_STR,
              "unregistered": _STR, "government": _GOVERNMENT},
    "output": {"folder": _STR, "pseudonym_key_file": _OPT_STR},
    "run": {"experiments": _many(lambda v: isinstance(v, str), "study names"), "seed": _INT, "n_boot": _INT},
    "text": {"min_df": _INT, "max_df": _FLOAT},
    "themes": {"codebooks": _many(lambda v: isinstance(v, str), "codebook names or paths"), "n_iter": _INT},
    "topics": {"model": _STR, "ks": _many(_is_int, "integers"), "seeds": _many(_is_int, "integers"),
               "n_iter": _INT, "k": _OPT_INT, "top_n": _INT},
}


def _check_keys(raw: dict[str, Any], source: str) -> None:
    unknown = sorted(set(raw) - set(_SECTIONS) - {"name"})
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
    if isinstance(themes.get("codebooks"), list):
        themes["codebooks"] = [_codebook_entry(c, base) for c in themes["codebooks"]]


def _codebook_entry(entry: Any, base: Path) -> str:
    """A packaged codebook's name stays a name; anything else is a path from ``base``."""
    from ..analysis.themes import available_codebooks

    if isinstance(entry, str) and entry in available_codebooks():
        return entry
    return str((base / str(entry)).resolve())


def _build(raw: dict[str, Any], source: str) -> Config:
    """A :class:`Config` from checked raw sections: defaults for what ``raw`` leaves out."""
    sections = {}
    for name, cls in _SECTIONS.items():
        body = raw.get(name, {})
        values = {key: _PARSERS[name][key](value, f"{name}.{key}", source) for key, value in body.items()}
        sections[name] = cls(**values)
    return Config(name=raw.get("name", "bundled"), **sections)


def _check_codebooks(config: Config, source: str) -> None:
    """Load each codebook once: it must exist, parse and have a plain, unique ``name``."""
    from ..analysis.themes import load_codebook

    if not config.themes.codebooks:
        raise InputError("themes.codebooks is empty", source=source, field="themes.codebooks",
                         hint='name at least one codebook, e.g. codebooks = ["oecd"]')
    seen: dict[str, str] = {}
    for entry in config.themes.codebooks:
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


def _read_toml(path: Path) -> dict[str, Any]:
    if not path.exists():
        raise InputError("config file not found", source=str(path), hint="check the path")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not valid TOML: {exc}", source=str(path)) from None


def load_config(path: str | Path | None, *, studies: Iterable[str] | None = None) -> Config:
    """A config: the defaults (the bundled corpus) updated by the TOML file at ``path``.
    Paths in the file are relative to its folder. ``studies`` replaces ``[run]
    experiments``; every study name is checked against :data:`STUDY_NAMES`.

    Example
    -------
    >>> load_config(None, studies=["uses"]).run.experiments
    ('uses',)
    >>> import tempfile, pathlib
    >>> bad = pathlib.Path(tempfile.mkdtemp()) / "bad.toml"
    >>> _ = bad.write_text("[text]\\nfoo_bar = 1\\n")
    >>> load_config(bad)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    govsocial.core.exceptions.InputError: .../bad.toml, field 'text.foo_bar': unknown key 'foo_bar' in section [text]; [text] knows ['max_df', 'min_df']
    """
    source, raw = "config", {}
    if path is not None:
        path = Path(path)
        source = str(path)
        raw = _read_toml(path)
        _check_keys(raw, source)
        _resolve_paths(raw, path.resolve().parent)
        named = "name" in raw
        raw.setdefault("name", path.stem)
        check_name(raw["name"], source=source, hint=None if named else
                   "without a name the file's name is used; set name = \"my-study\" (letters, digits, '-', '_', "
                   "'.' not first)")
    config = _build(raw, source)
    if studies is not None:
        config = config.with_studies(studies)
    return check_config(config, source)


def check_config(config: Config, source: str = "config") -> Config:
    """``config`` if its study names and codebooks are valid, else an :class:`InputError`.

    Example
    -------
    >>> check_config(Config().with_studies(["magic"]))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    govsocial.core.exceptions.InputError: config, field 'run.experiments': unknown experiment(s) ['magic']; ...
    """
    bad = [e for e in config.run.experiments if e not in STUDY_NAMES]
    if bad:
        raise InputError(f"unknown experiment(s) {bad}", source=source, field="run.experiments",
                         hint=f"experiments are {list(STUDY_NAMES)}")
    _check_codebooks(config, source)
    return config

"""Study configs: typed, frozen dataclasses read from TOML and checked before anything runs.

A config has a ``name`` and the sections ``[input]``, ``[output]``, ``[run]``, ``[text]``,
``[themes]``, ``[topics]`` and ``[validation]``, one dataclass each. Every key is checked: an unknown
section or key is an error naming the file, the section and the key, with the known
keys; a value of the wrong type names the key and the type it needs; ``name`` must be a
plain name (it becomes a folder); paths (inputs, registry, truth, output folder,
pseudonym key file, codebooks given by path) are relative to the config file's folder.
Reading the file — TOML, its keys, the type of each value, paths, plain names — is
:mod:`govsocial.workflow.config_file`'s; this module holds the typed config and the checks
that need it (study names, codebooks that load).

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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ..core.exceptions import InputError
from .config_file import (
    check_keys,
    check_name,
    check_topic_model,
    check_transparency,
    parse_values,
    read_toml,
    resolve_paths,
)

__all__ = [
    "Config",
    "InputConfig",
    "OutputConfig",
    "RunConfig",
    "TextConfig",
    "ThemesConfig",
    "TopicsConfig",
    "ValidationConfig",
    "ALL_STUDIES",
    "STUDY_NAMES",
    "check_name",
    "load_config",
]

#: the studies a run without ``[run] experiments`` runs, in order (and ``validation`` after them
#: when ``[validation] labels`` names coded posts)
STUDY_NAMES = ("uses", "topics", "engagement", "responsiveness", "risks")
#: every study a config may name
ALL_STUDIES = STUDY_NAMES + ("validation",)


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
    first codebook is the one every study but ``uses`` reads. ``transparency``: the codebook
    (name or path) whose first theme is "not transparent" and whose others are kinds of
    transparency, scored per post by the ``uses`` study ("": not scored).

    Example
    -------
    >>> ThemesConfig(codebooks=("depaula", "oecd")).primary
    'depaula'
    """

    codebooks: tuple[str, ...] = ("oecd", "depaula")
    transparency: str = "transparency"
    n_iter: int = 100

    @property
    def primary(self) -> str:
        """The codebook the engagement, responsiveness and risks studies use (the first)."""
        return self.codebooks[0]


@dataclass(frozen=True)
class TopicsConfig:
    """``[topics]``: the model, the K sweep and the fixed K (none: chosen by coherence);
    ``background``: give the model a background word distribution (DMM and seeded DMM;
    docs/models.md) for words every topic uses.

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
    background: bool = False


@dataclass(frozen=True)
class ValidationConfig:
    """``[validation]``: hand-coded posts that validate the theme scorer (and, with ``train``,
    train it). ``labels`` is a filled coding sheet (``govsocial code sample`` writes one);
    ``codebook`` the name of the configured codebook its labels come from (default: the
    first); ``folds`` the k of the k-fold cross-fitting that validates a scorer trained on
    the same coded posts; ``train``: score the government posts with the semi-supervised
    scorer trained on the coded posts instead of the zero-shot one.

    Example
    -------
    >>> ValidationConfig().labels is None, ValidationConfig().folds
    (True, 5)
    """

    labels: str | None = None
    codebook: str | None = None
    folds: int = 5
    train: bool = True


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
    validation: ValidationConfig = field(default_factory=ValidationConfig)

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


_SECTIONS: dict[str, type] = {
    "input": InputConfig,
    "output": OutputConfig,
    "run": RunConfig,
    "text": TextConfig,
    "themes": ThemesConfig,
    "topics": TopicsConfig,
    "validation": ValidationConfig,
}
#: the keys each section accepts (``input.columns`` is a free mapping of schema column -> file column)
KNOWN_KEYS: dict[str, list[str]] = {
    name: sorted(f.name for f in dataclasses.fields(cls)) for name, cls in _SECTIONS.items()
}


def _build(raw: dict[str, Any], source: str) -> Config:
    """A :class:`Config` from checked raw sections: defaults for what ``raw`` leaves out."""
    sections = {}
    for name, cls in _SECTIONS.items():
        sections[name] = cls(**parse_values(name, raw.get(name, {}), source))
    if sections["validation"].labels and "experiments" not in raw.get("run", {}):  # coded posts: validate them
        sections["run"] = dataclasses.replace(sections["run"], experiments=ALL_STUDIES)
    return Config(name=raw.get("name", "bundled"), **sections)


def _check_codebooks(config: Config, source: str) -> dict[str, str]:
    """Load each codebook once: it must exist, parse and have a plain, unique ``name``;
    returns name -> config entry."""
    from ..analysis.themes import load_codebook

    if not config.themes.codebooks:
        raise InputError(
            "themes.codebooks is empty",
            source=source,
            field="themes.codebooks",
            hint='name at least one codebook, e.g. codebooks = ["oecd"]',
        )
    seen: dict[str, str] = {}
    for entry in config.themes.codebooks:
        try:
            book = load_codebook(entry)
        except ValueError as exc:  # InputError is a ValueError too, and says where
            if isinstance(exc, InputError):
                raise
            raise InputError(
                str(exc),
                source=source,
                field="themes.codebooks",
                hint="give a packaged name or a path relative to the config file",
            ) from None
        check_name(
            book.name,
            what="name",
            source=book.source,
            hint="a codebook's name names its output files: use letters, digits, '-', '_', '.'",
        )
        if book.name in seen:
            raise InputError(
                f"two codebooks are named {book.name!r}: {seen[book.name]} and {entry}",
                source=source,
                field="themes.codebooks",
                hint="give each codebook its own name",
            )
        seen[book.name] = str(entry)
    if config.themes.transparency:
        check_transparency(config.themes.transparency, source)
    return seen


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
        raw = read_toml(path)
        check_keys(raw, source, KNOWN_KEYS)
        resolve_paths(raw, path.resolve().parent)
        named = "name" in raw
        raw.setdefault("name", path.stem)
        check_name(
            raw["name"],
            source=source,
            hint=None
            if named
            else "without a name the file's name is used; set name = \"my-study\" (letters, digits, '-', '_', "
            "'.' not first)",
        )
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
    bad = [e for e in config.run.experiments if e not in ALL_STUDIES]
    if bad:
        raise InputError(
            f"unknown experiment(s) {bad}",
            source=source,
            field="run.experiments",
            hint=f"experiments are {list(ALL_STUDIES)}",
        )
    check_topic_model(config.topics.model, source, config.topics.background)
    names = _check_codebooks(config, source)
    _check_validation(config, names, source)
    return config


def _check_validation(config: Config, names: dict[str, str], source: str) -> None:
    """``[validation]``: a coding sheet that exists, a configured codebook, at least 2 folds."""
    v = config.validation
    if "validation" in config.run.experiments and not v.labels:
        raise InputError(
            "the validation study needs hand-coded posts",
            source=source,
            field="validation.labels",
            hint='add [validation] labels = "coded.csv" (a sheet from `govsocial code sample`)',
        )
    if v.labels and not Path(v.labels).is_file():
        raise InputError(
            f"coded posts not found: {v.labels}",
            source=source,
            field="validation.labels",
            hint="give the filled coding sheet's path, relative to the config file",
        )
    if v.codebook is not None and v.codebook not in names:
        raise InputError(
            f"validation.codebook {v.codebook!r} is not one of the configured codebooks {sorted(names)}",
            source=source,
            field="validation.codebook",
            hint="name a codebook of [themes] codebooks by its name",
        )
    if v.folds < 2:
        raise InputError(
            f"validation.folds must be at least 2; got {v.folds}",
            source=source,
            field="validation.folds",
            hint="5 or 10 folds are usual",
        )

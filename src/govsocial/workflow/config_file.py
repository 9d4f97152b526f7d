"""Reading a config file: TOML in, checked raw sections out.

The steps :func:`govsocial.workflow.config.load_config` takes before it builds the typed
config: parse the TOML (:func:`read_toml`), refuse unknown sections and keys
(:func:`check_keys`), make paths absolute from the file's folder (:func:`resolve_paths`),
check each value's type (:func:`parse_values`) and that names are plain names
(:func:`check_name`), each error naming the file, the field and what to write instead.

Example
-------
>>> parse_values("run", {"seed": 7}, "study.toml")
{'seed': 7}
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any, Callable

from ..core.exceptions import InputError

__all__ = [
    "check_keys",
    "check_name",
    "check_topic_model",
    "check_transparency",
    "parse_values",
    "read_toml",
    "resolve_paths",
]

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
        raise InputError(
            f"{name!r} is not a plain name",
            source=source,
            field=what,
            hint=hint or "use letters, digits, '-', '_' and '.' (not first), e.g. name = \"my-study\"",
        )
    return name


def read_toml(path: Path) -> dict[str, Any]:
    """The parsed TOML file at ``path``; a missing or malformed file is an :class:`InputError`.

    Example
    -------
    >>> read_toml(Path("no/such/config.toml"))
    Traceback (most recent call last):
    ...
    govsocial.core.exceptions.InputError: no/such/config.toml: config file not found; check the path
    """
    if not path.exists():
        raise InputError("config file not found", source=str(path), hint="check the path")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not valid TOML: {exc}", source=str(path)) from None


def check_keys(raw: dict[str, Any], source: str, known: dict[str, list[str]]) -> None:
    """Refuse a section or key of ``raw`` (a parsed config file) that ``known`` (section ->
    keys) does not list, naming the file, the section and the key, with the keys it knows.

    Example
    -------
    >>> check_keys({"text": {"min_df": 2}}, "a.toml", {"text": ["max_df", "min_df"]})
    >>> check_keys({"txt": {}}, "a.toml", {"text": ["max_df", "min_df"]})
    Traceback (most recent call last):
    ...
    govsocial.core.exceptions.InputError: a.toml, field 'txt': unknown section or key 'txt'; top-level keys are 'name' and the sections ['text']
    """
    unknown = sorted(set(raw) - set(known) - {"name"})
    if unknown:
        raise InputError(
            f"unknown section or key {unknown[0]!r}",
            source=source,
            field=unknown[0],
            hint=f"top-level keys are 'name' and the sections {sorted(known)}",
        )
    for section, body in raw.items():
        if section == "name":
            continue
        if not isinstance(body, dict):
            raise InputError(
                f"{section!r} must be a section ([{section}])",
                source=source,
                field=section,
                hint=f"write [{section}] followed by its keys {known[section]}",
            )
        for key in sorted(body):
            if key not in known[section]:
                raise InputError(
                    f"unknown key {key!r} in section [{section}]",
                    source=source,
                    field=f"{section}.{key}",
                    hint=f"[{section}] knows {known[section]}",
                )


def resolve_paths(raw: dict[str, Any], base: Path) -> None:
    """Make every path in ``raw`` (a parsed config file) absolute from ``base`` (its folder):
    inputs, registry, truth, output folder, pseudonym key file, coded labels
    (``[validation] labels``) and codebooks given by path;
    a packaged codebook's name stays a name.

    Example
    -------
    >>> raw = {"input": {"paths": "posts.jsonl"}, "themes": {"codebooks": ["oecd", "mine.toml"]}}
    >>> resolve_paths(raw, Path("/study"))
    >>> raw["input"]["paths"], raw["input"]["registry"], raw["themes"]["codebooks"]
    (['/study/posts.jsonl'], None, ['oecd', '/study/mine.toml'])
    """
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
    validation = raw.get("validation", {})
    if isinstance(validation.get("labels"), str):
        validation["labels"] = str((base / validation["labels"]).resolve())
    themes = raw.get("themes", {})
    if isinstance(themes.get("codebooks"), list):
        themes["codebooks"] = [_codebook_entry(c, base) for c in themes["codebooks"]]
    if isinstance(themes.get("transparency"), str) and themes["transparency"]:
        themes["transparency"] = _codebook_entry(themes["transparency"], base)


def _codebook_entry(entry: Any, base: Path) -> str:
    """A packaged codebook's name stays a name; anything else is a path from ``base``."""
    from ..analysis.themes import available_codebooks

    if isinstance(entry, str) and entry in available_codebooks():
        return entry
    return str((base / str(entry)).resolve())


# --------------------------------------------------------------------------- typed values
def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _one(check: Callable[[Any], bool], convert: Callable[[Any], Any], kind: str, optional: bool = False) -> Any:
    def parse(value: Any, where: str, source: str) -> Any:
        if value is None and optional:
            return None
        if not check(value):
            raise InputError(
                f"{where} must be {kind}; got {value!r}",
                source=source,
                field=where,
                hint=f"write {where.split('.')[-1]} = <{kind}>",
            )
        return convert(value)

    return parse


def _many(item: Callable[[Any], bool], kind: str, *, single: bool = False) -> Any:
    def parse(value: Any, where: str, source: str) -> tuple[Any, ...]:
        if single and isinstance(value, str):
            value = [value]
        if not isinstance(value, (list, tuple)) or not all(item(v) for v in value):
            raise InputError(
                f"{where} must be a list of {kind}; got {value!r}",
                source=source,
                field=where,
                hint=f"write {where.split('.')[-1]} = [...]",
            )
        return tuple(value)

    return parse


_STR = _one(lambda v: isinstance(v, str), str, "a string")
_OPT_STR = _one(lambda v: isinstance(v, str), str, "a string", optional=True)
_INT = _one(_is_int, int, "an integer")
_OPT_INT = _one(_is_int, int, "an integer", optional=True)
_FLOAT = _one(lambda v: _is_int(v) or isinstance(v, float), float, "a number")
_MAP = _one(lambda v: isinstance(v, dict) and all(isinstance(x, str) for x in v.values()), dict, "a table of strings")
_BOOL = _one(lambda v: isinstance(v, bool), bool, "true or false")
_GOVERNMENT = _one(lambda v: v == "all", str, '"all" (or left out)', optional=True)

#: section -> key -> parser of its value
_PARSERS: dict[str, dict[str, Any]] = {
    "input": {
        "paths": _many(lambda v: isinstance(v, str), "paths", single=True),
        "format": _STR,
        "registry": _OPT_STR,
        "truth": _OPT_STR,
        "columns": _MAP,
        "platform": _OPT_STR,
        "unregistered": _STR,
        "government": _GOVERNMENT,
    },
    "output": {"folder": _STR, "pseudonym_key_file": _OPT_STR},
    "run": {"experiments": _many(lambda v: isinstance(v, str), "study names"), "seed": _INT, "n_boot": _INT},
    "text": {"min_df": _INT, "max_df": _FLOAT},
    "themes": {
        "codebooks": _many(lambda v: isinstance(v, str), "codebook names or paths"),
        "transparency": _STR,
        "n_iter": _INT,
    },
    "topics": {
        "model": _STR,
        "ks": _many(_is_int, "integers"),
        "seeds": _many(_is_int, "integers"),
        "n_iter": _INT,
        "k": _OPT_INT,
        "top_n": _INT,
        "background": _BOOL,
    },
    "validation": {"labels": _OPT_STR, "codebook": _OPT_STR, "folds": _INT, "train": _BOOL},
}


def parse_values(section: str, body: dict[str, Any], source: str) -> dict[str, Any]:
    """The values of one section's keys, each checked and converted to its type (lists become
    tuples); a value of the wrong type is an :class:`InputError` naming the key and the type.

    Example
    -------
    >>> parse_values("topics", {"ks": [4, 8], "k": None}, "a.toml")
    {'ks': (4, 8), 'k': None}
    >>> parse_values("text", {"min_df": "3"}, "a.toml")
    Traceback (most recent call last):
    ...
    govsocial.core.exceptions.InputError: a.toml, field 'text.min_df': text.min_df must be an integer; got '3'; write min_df = <an integer>
    """
    return {key: _PARSERS[section][key](value, f"{section}.{key}", source) for key, value in body.items()}


def check_transparency(entry: str, source: str) -> None:
    """``[themes] transparency``: a codebook that loads and has a default theme and at least one other.

    Example
    -------
    >>> check_transparency("transparency", "config")  # the packaged one passes
    """
    from ..analysis.themes import load_codebook

    try:
        book = load_codebook(entry)
    except ValueError as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError(
            str(exc),
            source=source,
            field="themes.transparency",
            hint='give a packaged name ("transparency"), a path relative to the config file, or "" to skip it',
        ) from None
    if len(book) < 2:
        raise InputError(
            f"the transparency codebook {book.name!r} has {len(book)} theme; it needs a default theme "
            "(not transparent) and at least one kind of transparency",
            source=source,
            field="themes.transparency",
            hint="see the packaged codebook transparency.toml",
        )


def check_topic_model(model: str, source: str, background: bool = False) -> None:
    """``[topics] model``: one of the registered topic models (checked even when the topics
    study is not run, so that a typo is reported before any study starts); with
    ``background``, one that has a background word distribution.

    Example
    -------
    >>> check_topic_model("dmm", "config")
    >>> check_topic_model("dmmm", "config")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    govsocial.core.exceptions.InputError: config, field 'topics.model': unknown topic model 'dmmm' (did you mean 'dmm'?); ...
    """
    from difflib import get_close_matches

    from ..topics.models import MODELS

    if model not in MODELS:
        close = get_close_matches(model, list(MODELS), n=1)
        raise InputError(
            f"unknown topic model {model!r}" + (f" (did you mean {close[0]!r}?)" if close else ""),
            source=source,
            field="topics.model",
            hint=f"models are {sorted(MODELS)}",
        )
    if background and "background" not in MODELS[model]().get_params():
        with_background = sorted(m for m, cls in MODELS.items() if "background" in cls().get_params())
        raise InputError(
            f"topic model {model!r} has no background word distribution",
            source=source,
            field="topics.background",
            hint=f"use one of {with_background}, or leave background out",
        )

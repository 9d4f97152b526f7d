"""Codebooks as data: themes with definitions, citations, seed terms and structural cues.

A codebook is a TOML file::

    name = "mine"
    title = "My scheme"
    citation = "Author (year) ..."
    min_evidence = 1.0                      # evidence to leave the default (first) theme
    self_training = "confident"             # which rule labels teach the seeded classifier

    [themes.asking]
    label = "Asking the public"
    definition = "Posts that ask citizens for ideas, feedback or information."
    seeds = ["survey", "feedback"]          # single words (a trailing * matches a prefix)
    phrases = ["have your say"]             # multi-word cues, matched as phrases
    cues = { asks_question = 1.0 }          # structural cues and their weights

Structural cues (``CUES``) are features of a post other than its words: whether it is a
reply, asks a question, has a call to action or a link, or addresses a citizen. Packaged
codebooks are loaded by name (``load_codebook("oecd")``); a user's own by path.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Mapping

from ...core.exceptions import InputError

__all__ = ["CUES", "Codebook", "Theme", "available_codebooks", "load_codebook"]

CUES = ("is_reply", "asks_question", "call_to_action", "has_link", "addresses_citizen")


@dataclass(frozen=True)
class Theme:
    """One theme of a codebook.

    Example
    -------
    >>> Theme("asking", "Asking", "Posts that ask the public.", ("survey",)).terms
    ('survey',)
    """

    name: str
    label: str
    definition: str
    seeds: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    cues: Mapping[str, float] = field(default_factory=dict)
    citation: str = ""

    @property
    def terms(self) -> tuple[str, ...]:
        """Seed words, then phrases: everything a keyword method looks for."""
        return self.seeds + self.phrases


@dataclass(frozen=True)
class Codebook:
    """A named set of themes.

    Example
    -------
    >>> book = load_codebook("oecd")
    >>> book.names[:2]
    ['providing_information', 'delivering_services']
    >>> book["sourcing_ideas"].label
    'Sourcing ideas and information'
    """

    name: str
    title: str
    citation: str
    themes: tuple[Theme, ...]
    source: str = ""
    min_evidence: float = 1.0
    self_training: str = "confident"

    @property
    def names(self) -> list[str]:
        """Theme names in codebook order."""
        return [t.name for t in self.themes]

    def __getitem__(self, name: str) -> Theme:
        for theme in self.themes:
            if theme.name == name:
                return theme
        raise KeyError(f"codebook {self.name!r} has no theme {name!r}; its themes are {self.names}")

    def __len__(self) -> int:
        return len(self.themes)

    def seeds(self) -> dict[str, list[str]]:
        """``{theme: seed words and phrases}``, the form seeded topic models take.

        Example
        -------
        >>> load_codebook("oecd").seeds()["collaborating"][:2]
        ['partner', 'partners']
        """
        return {t.name: list(t.terms) for t in self.themes}


def available_codebooks() -> list[str]:
    """Names of the codebooks packaged with govsocial.

    Example
    -------
    >>> "oecd" in available_codebooks()
    True
    """
    folder = resources.files("govsocial.analysis.themes") / "codebooks"
    return sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml"))


def load_codebook(codebook: str | Path | Codebook) -> Codebook:
    """Load a packaged codebook by name, or a user's TOML codebook by path.

    A malformed codebook raises :class:`govsocial.core.exceptions.InputError` naming the
    file, the theme and the field, and what to write instead.

    Example
    -------
    >>> len(load_codebook("oecd"))
    6
    """
    if isinstance(codebook, Codebook):
        return codebook
    text_source = str(codebook)
    path = Path(codebook)
    if path.suffix != ".toml" and not path.exists():
        if text_source not in available_codebooks():
            from difflib import get_close_matches

            close = get_close_matches(path.name, available_codebooks(), n=1)
            what = (
                f"no packaged codebook {text_source!r}"
                if path.name == text_source
                else f"no codebook file {text_source} and no packaged codebook {path.name!r}"
            )
            raise ValueError(
                what
                + (f" (did you mean {close[0]!r}?)" if close else "")
                + f"; packaged: {available_codebooks()}; pass the path of a .toml codebook to use your own"
            )
        data = (resources.files("govsocial.analysis.themes") / "codebooks" / f"{text_source}.toml").read_text(
            encoding="utf-8"
        )
        source = f"govsocial:codebooks/{text_source}.toml"
    else:
        if not path.exists():
            raise InputError("codebook file not found", source=str(path), hint="check the path")
        data, source = path.read_text(encoding="utf-8"), str(path)
    try:
        raw = tomllib.loads(data)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(
            f"not valid TOML: {exc}", source=source, hint="see docs/themes.md for the codebook format"
        ) from None
    return _parse(raw, source)


_Fail = Callable[[str, str, str], InputError]
_THEME_FIELDS = ("label", "definition", "seeds", "phrases", "cues", "citation")


def _parse(raw: Mapping[str, Any], source: str) -> Codebook:
    def fail(problem: str, field_name: str, hint: str) -> InputError:
        return InputError(problem, source=source, field=field_name, hint=hint)

    themes_raw = raw.get("themes")
    if not isinstance(themes_raw, Mapping) or not themes_raw:
        raise fail("the codebook has no themes", "themes", "add at least one [themes.<name>] table")
    for key in ("name", "title", "citation"):
        if key in raw and not isinstance(raw[key], str):
            raise fail(f"{key} must be a string", key, f'write {key} = "..."')
    min_evidence = raw.get("min_evidence", 1.0)
    if not isinstance(min_evidence, (int, float)) or isinstance(min_evidence, bool) or min_evidence < 0:
        raise fail(
            f"min_evidence must be a non-negative number; got {min_evidence!r}",
            "min_evidence",
            "write min_evidence = 1.0 (one seed word leaves the default theme)",
        )
    self_training = raw.get("self_training", "confident")
    if self_training not in ("confident", "all"):
        raise fail(
            f"self_training must be 'confident' or 'all'; got {self_training!r}",
            "self_training",
            'write self_training = "confident" (the default) or "all" (see docs/themes.md)',
        )
    themes = tuple(_parse_theme(name, body, fail) for name, body in themes_raw.items())
    return Codebook(
        name=str(raw.get("name", Path(source).stem)),
        title=str(raw.get("title", "")),
        citation=str(raw.get("citation", "")),
        themes=themes,
        source=source,
        min_evidence=float(min_evidence),
        self_training=str(self_training),
    )


def _parse_theme(name: str, body: Any, fail: _Fail) -> Theme:
    """One ``[themes.<name>]`` table, checked field by field."""
    where = f"themes.{name}"
    if not isinstance(body, Mapping):
        raise fail(f"theme {name!r} must be a table", where, f"write [themes.{name}] with label and definition")
    unknown = sorted(set(body) - set(_THEME_FIELDS))
    if unknown:
        raise fail(
            f"theme {name!r} has unknown fields {unknown}",
            f"{where}.{unknown[0]}",
            "allowed: " + ", ".join(_THEME_FIELDS),
        )
    for key in ("label", "definition"):
        if not isinstance(body.get(key), str) or not body[key].strip():
            raise fail(f"theme {name!r} needs a non-empty {key}", f"{where}.{key}", f'write {key} = "..."')
    lists = {}
    for key in ("seeds", "phrases"):
        value = body.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise fail(
                f"theme {name!r}: {key} must be a list of non-empty strings",
                f"{where}.{key}",
                f'write {key} = ["word", ...]',
            )
        lists[key] = tuple(v.strip() for v in value)
    cues = _cue_weights(name, body.get("cues", {}), fail)
    if not lists["seeds"] and not lists["phrases"] and not cues:
        raise fail(
            f"theme {name!r} has no seeds, phrases or cues",
            f"{where}.seeds",
            "give it seed words so it can be scored without labels",
        )
    return Theme(
        name=name,
        label=body["label"].strip(),
        definition=" ".join(body["definition"].split()),
        seeds=lists["seeds"],
        phrases=lists["phrases"],
        cues=cues,
        citation=body.get("citation", ""),
    )


def _cue_weights(name: str, cues: Any, fail: _Fail) -> dict[str, float]:
    """A theme's ``cues`` table: known cue names with numeric weights."""
    where = f"themes.{name}.cues"
    if not isinstance(cues, Mapping):
        raise fail(f"theme {name!r}: cues must be a table of weights", where, "write cues = { is_reply = 1.0 }")
    for cue, weight in cues.items():
        if cue not in CUES:
            raise fail(f"theme {name!r}: unknown cue {cue!r}", f"{where}.{cue}", f"cues are {list(CUES)}")
        if not isinstance(weight, (int, float)) or isinstance(weight, bool):
            raise fail(f"theme {name!r}: cue {cue!r} needs a number", f"{where}.{cue}", f"write {cue} = 1.0")
    return {k: float(v) for k, v in cues.items()}

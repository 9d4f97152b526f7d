"""Model files: ``<name>.json`` (parameters, terms, versions) + ``<name>.npz`` (arrays), no pickle.

``load_model`` checks everything it reads — the format and its version, the model class,
its parameters, the terms, and every array's presence, shape, dtype and values — and
reports a problem as an :class:`~govsocial.core.exceptions.InputError` naming the file and
the field, so a damaged or foreign file never surfaces as a ``KeyError`` or a
``BadZipFile`` deep inside numpy.
"""

from __future__ import annotations

import json
import os
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

import numpy as np

from ...core.exceptions import InputError
from ._persist_arrays import RESAVE as _RESAVE
from ._persist_arrays import check_arrays

__all__ = ["FORMAT_VERSION", "model_paths", "write_model", "load_model"]

FORMAT_VERSION = 1
_FORMAT = "govsocial-topic-model"


def model_paths(path: str | os.PathLike[str]) -> tuple[Path, Path]:
    """The two files of a model saved at ``path``: the suffixes are appended, so
    ``dmm.k16`` and ``dmm.k24`` are different models; ``.json`` or ``.npz`` given with
    the path is dropped first.

    Example
    -------
    >>> [p.name for p in model_paths("models/dmm.k16")]
    ['dmm.k16.json', 'dmm.k16.npz']
    >>> [p.name for p in model_paths("models/dmm.k16.npz")]
    ['dmm.k16.json', 'dmm.k16.npz']
    """
    path = Path(path)
    name = path.name
    for suffix in (".json", ".npz"):
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    if not name or name in (".", ".."):
        raise InputError(
            "a model path needs a file name", source=str(path), hint="pass a path such as 'models/dmm-k16'"
        )
    return path.with_name(name + ".json"), path.with_name(name + ".npz")


# numpy < 2 takes every keyword as an array name (even ``allow_pickle``): pass arrays only
_savez: Any = np.savez_compressed


def write_model(
    path: str | os.PathLike[str], meta: dict[str, Any], arrays: dict[str, np.ndarray], default: Any = None
) -> Path:
    """Write ``meta`` and ``arrays`` as a model's two files (creating missing folders);
    each file is written beside its final name and then moved into place, so an
    interrupted save never leaves half a file. Returns the ``.json`` path.

    Example
    -------
    >>> import tempfile, os
    >>> p = write_model(os.path.join(tempfile.mkdtemp(), "new", "m"), {"a": 1}, {"x": np.zeros(2)})
    >>> p.name, p.with_name("m.npz").exists()
    ('m.json', True)
    """
    meta_path, arrays_path = model_paths(path)
    meta_path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(meta, indent=1, default=default)
    for target, write in (
        (arrays_path, lambda fh: _savez(fh, **arrays)),
        (meta_path, lambda fh: fh.write(text.encode("utf-8"))),
    ):
        partial = target.with_name(target.name + ".partial")
        try:
            with open(partial, "wb") as fh:
                write(fh)
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
    return meta_path


def load_model(path: str | os.PathLike[str]) -> Any:
    """Load a model saved with ``save``: ``path`` with or without ``.json``/``.npz``.

    Everything read is checked; a missing, damaged, foreign or newer-format file raises
    an :class:`~govsocial.core.exceptions.InputError` naming the file and the field.

    Example
    -------
    >>> load_model("/nonexistent/model.json")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    govsocial.core.exceptions.InputError: /nonexistent/model.json: model file not found; check the path ...
    """
    meta_path, arrays_path = model_paths(path)
    both = f"a model is saved as two files, {meta_path.name} and {arrays_path.name}"
    meta = _read_meta(meta_path, both)
    cls = _model_class(meta, meta_path)
    arrays = _read_arrays(arrays_path, cls, both)
    sizes = check_arrays(arrays, arrays_path, cls)
    terms, display, extra = _check_terms_and_extra(meta, meta_path, cls, sizes)
    model = cls(**_params(meta, meta_path, cls, sizes))
    for name in getattr(cls, "_optional_arrays", ()):
        setattr(model, name, None)
    for name, value in arrays.items():
        setattr(model, name, value)
    model.terms_, model.display_ = terms, display
    model.n_features_in_ = len(terms)
    for key, value in extra.items():
        setattr(model, key, value)
    return model


def _read_meta(meta_path: Path, both: str) -> dict[str, Any]:
    source = str(meta_path)
    try:
        text = meta_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("model file not found", source=source, hint=f"check the path ({both})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the model file ({exc})", source=source, hint=_RESAVE) from None
    try:
        meta = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"not valid JSON ({exc.msg})",
            source=source,
            line=exc.lineno,
            hint=f"the file is damaged or not a govsocial model; {_RESAVE}",
        ) from None
    if not isinstance(meta, dict) or meta.get("format") != _FORMAT:
        raise InputError(
            f"not a govsocial model file (its 'format' is not {_FORMAT!r})",
            source=source,
            field="format",
            hint="load a file written by a govsocial model's save()",
        )
    version = meta.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InputError(
            f"format_version must be an integer >= 1; got {version!r}",
            source=source,
            field="format_version",
            hint=f"the file is damaged; {_RESAVE}",
        )
    if version > FORMAT_VERSION:
        raise InputError(
            f"model format version {version} is newer than this govsocial reads ({FORMAT_VERSION})",
            source=source,
            field="format_version",
            hint=f"upgrade govsocial (the file was written by govsocial {meta.get('govsocial_version')})",
        )
    return meta


def _model_class(meta: dict[str, Any], meta_path: Path) -> type:
    from .registry import MODELS

    known = {type_.__name__: type_ for type_ in MODELS.values()}
    cls = known.get(meta.get("model"))  # type: ignore[arg-type]
    if cls is None:
        raise InputError(
            f"unknown model class {meta.get('model')!r}",
            source=str(meta_path),
            field="model",
            hint=f"govsocial reads {', '.join(sorted(known))}",
        )
    return cls


def _read_arrays(arrays_path: Path, cls: type, both: str) -> dict[str, np.ndarray]:
    source = str(arrays_path)
    # what zipfile, zlib and numpy raise on a truncated, bit-flipped or foreign archive
    damaged = (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        OSError,
        ValueError,
        struct.error,
        NotImplementedError,
        RuntimeError,
    )
    try:
        archive = np.load(arrays_path, allow_pickle=False)
    except FileNotFoundError:
        raise InputError(
            "the model's arrays file is missing", source=source, hint=f"{both}; keep them together"
        ) from None
    except damaged as exc:
        raise InputError(
            f"not a readable NumPy .npz archive ({type(exc).__name__}: {exc})",
            source=source,
            hint=f"the file is truncated or damaged; {_RESAVE}",
        ) from None
    if not isinstance(archive, np.lib.npyio.NpzFile):
        raise InputError("holds a single NumPy array, not a model's .npz archive", source=source, hint=_RESAVE)
    declared = tuple(cls._array_attrs)  # type: ignore[attr-defined]
    arrays: dict[str, np.ndarray] = {}
    with archive:
        names = list(archive.files)
        unexpected = sorted(set(names) - set(declared))
        if unexpected:
            raise InputError(
                f"unexpected array {unexpected[0]!r}; a {cls.__name__} file holds {list(declared)}",
                source=source,
                field=unexpected[0],
                hint=f"the file is damaged; {_RESAVE}",
            )
        optional = tuple(getattr(cls, "_optional_arrays", ()))  # absent: the model has no such part
        for name in declared:
            if name not in names and name in optional:
                continue
            if name not in names:
                raise InputError(
                    f"array {name!r} is missing",
                    source=source,
                    field=name,
                    hint=f"the file is damaged or incomplete; {_RESAVE}",
                )
            try:
                arrays[name] = archive[name]
            except damaged as exc:
                raise InputError(
                    f"array {name!r} cannot be read ({type(exc).__name__}: {exc})",
                    source=source,
                    field=name,
                    hint=f"the file is truncated or damaged; {_RESAVE}",
                ) from None
    return arrays


def _check_terms_and_extra(
    meta: dict[str, Any], meta_path: Path, cls: type, sizes: dict[str, int]
) -> tuple[list[str], list[str], dict[str, Any]]:
    source = str(meta_path)
    V = sizes["V"]
    lists = {}
    for field in ("terms", "display"):
        value = meta.get(field)
        if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
            raise InputError(f"{field!r} must be a list of strings", source=source, field=field, hint=_RESAVE)
        if len(value) != V:
            raise InputError(
                f"{len(value)} {field} for the {V} columns (terms) of the model's arrays",
                source=source,
                field=field,
                hint=f"the .json and .npz files do not belong together; {_RESAVE}",
            )
        lists[field] = value
    if len(set(lists["terms"])) != V:
        raise InputError("'terms' holds duplicated terms", source=source, field="terms", hint=_RESAVE)
    extra = meta.get("extra", {})
    allowed = tuple(getattr(cls, "_json_attrs", ()))
    if not isinstance(extra, dict) or set(extra) - set(allowed):
        raise InputError(
            f"'extra' may hold only {list(allowed)}; got {extra!r:.80}", source=source, field="extra", hint=_RESAVE
        )
    names = extra.get("topic_names_")
    if names is not None and (
        not isinstance(names, list) or len(names) != sizes["K"] or not all(isinstance(n, str) for n in names)
    ):
        raise InputError(
            f"'topic_names_' must be {sizes['K']} names, one per topic",
            source=source,
            field="extra.topic_names_",
            hint=_RESAVE,
        )
    return lists["terms"], lists["display"], extra


def _params(meta: dict[str, Any], meta_path: Path, cls: type, sizes: dict[str, int]) -> dict[str, Any]:
    source = str(meta_path)
    params = meta.get("params")
    if not isinstance(params, dict):
        raise InputError(
            "'params' must be an object of the model's parameters", source=source, field="params", hint=_RESAVE
        )
    known = cls._get_param_names()  # type: ignore[attr-defined]
    unknown = sorted(set(params) - set(known))
    if unknown:
        raise InputError(
            f"unknown parameter {unknown[0]!r} for {cls.__name__} (it takes {known})",
            source=source,
            field=f"params.{unknown[0]}",
            hint=_RESAVE,
        )
    params = dict(params)
    K = params.get("n_components")
    if K is not None and (not isinstance(K, int) or isinstance(K, bool) or K != sizes["K"]):
        raise InputError(
            f"n_components is {K!r} but the arrays hold {sizes['K']} topics",
            source=source,
            field="params.n_components",
            hint=f"the .json and .npz files do not belong together; {_RESAVE}",
        )
    for key, value in params.items():
        if isinstance(value, dict) and "__tokenizer__" in value:
            from ...text import Tokenizer

            try:
                params[key] = Tokenizer(**value["__tokenizer__"])
            except (TypeError, ValueError) as exc:
                raise InputError(
                    f"cannot rebuild the tokenizer ({exc})", source=source, field=f"params.{key}", hint=_RESAVE
                ) from None
    return params

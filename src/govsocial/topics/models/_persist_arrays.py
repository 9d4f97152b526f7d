"""The arrays of a model file: each one's allowed shapes, dtype kind and value rule, and the
check :func:`~govsocial.topics.models._persist.load_model` runs on every array it reads.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ...core.exceptions import InputError

__all__ = ["RESAVE", "check_arrays"]

RESAVE = "save the model again with model.save(path)"

# every array a model may store: allowed shapes (K topics, V terms, D training posts,
# "*" any length), dtype kind ("f" float, "i" integer) and the rule its values follow
_ARRAYS: dict[str, tuple[tuple[tuple[Any, ...], ...], str, str]] = {
    "components_": ((("K", "V"),), "f", "distribution"),
    "labels_": ((("D",),), "i", "topic"),
    "n_kw_": ((("K", "V"), (0, 0)), "i", "non-negative"),
    "m_k_": ((("K",),), "i", "non-negative"),
    "n_k_": ((("K",),), "i", "non-negative"),
    "occupied_": ((("*",),), "i", "non-negative"),
    "beta_extra_": ((("K", "V"), (0, 0)), "f", "non-negative"),
    "last_sample_": ((("D",),), "i", "topic"),
    "doc_topic_": ((("D", "K"),), "f", "distribution"),
    "alpha_": ((("K",),), "f", "positive"),
    "idf_": ((("V",),), "f", "positive"),
    "h_": ((("K", "V"),), "f", "non-negative"),
}
_KINDS = {"f": ("floating-point", "f"), "i": ("integer", "iu")}


def _specs(cls: type) -> dict[str, tuple[tuple[tuple[Any, ...], ...], str, str]]:
    """The shapes, kinds and value rules of a model class's arrays: the shared table, and
    what the class declares for arrays of its own (``_array_specs``)."""
    return {**_ARRAYS, **getattr(cls, "_array_specs", {})}


def check_arrays(arrays: dict[str, np.ndarray], arrays_path: Path, cls: type) -> dict[str, int]:
    """Check every array's dtype, shape and values; return the sizes K, V and D they imply."""
    source = str(arrays_path)
    for name, value in arrays.items():
        kind = _specs(cls)[name][1]
        if value.dtype.kind not in _KINDS[kind][1]:
            raise InputError(
                f"array {name!r} must hold {_KINDS[kind][0]} values; got dtype {value.dtype}",
                source=source,
                field=name,
                hint=RESAVE,
            )
    components = arrays["components_"]
    if components.ndim != 2 or 0 in components.shape:
        raise InputError(
            f"array 'components_' must be a non-empty 2-D array (topics × terms); got shape {components.shape}",
            source=source,
            field="components_",
            hint=RESAVE,
        )
    labels = arrays["labels_"]
    if labels.ndim != 1:
        raise InputError(
            f"array 'labels_' must be 1-D (one topic per training post); got shape {labels.shape}",
            source=source,
            field="labels_",
            hint=RESAVE,
        )
    sizes = {"K": components.shape[0], "V": components.shape[1], "D": labels.shape[0], "K1": components.shape[0] - 1}
    # sizes a class reads off one of its own arrays (``_array_sizes``: name → (array, axis)),
    # e.g. CovariateDMM's number of covariate columns from its coefficient draws
    for size, (array, axis) in getattr(cls, "_array_sizes", {}).items():
        if array in arrays and arrays[array].ndim > axis:
            sizes[size] = arrays[array].shape[axis]
    for name, value in arrays.items():
        shapes, _, rule = _specs(cls)[name]
        allowed = [tuple(sizes.get(s, s) if isinstance(s, str) and s != "*" else s for s in shape) for shape in shapes]
        if not any(
            len(shape) == value.ndim and all(s == "*" or s == n for s, n in zip(shape, value.shape))
            for shape in allowed
        ):
            wanted = " or ".join(str(s).replace("'*'", "any") for s in allowed)
            raise InputError(
                f"array {name!r} has shape {value.shape}; expected {wanted} for a model of "
                f"{sizes['K']} topics and {sizes['V']} terms",
                source=source,
                field=name,
                hint=RESAVE,
            )
        problem = _value_problem(value, rule, sizes)
        if problem:
            raise InputError(
                f"array {name!r} {problem}", source=source, field=name, hint=f"the file is damaged; {RESAVE}"
            )
    return sizes


def _value_problem(value: np.ndarray, rule: str, sizes: dict[str, int]) -> str | None:
    K = sizes["K"]
    if value.size == 0:
        return None
    if value.dtype.kind == "f" and not np.all(np.isfinite(value)):
        return "holds NaN or infinite values"
    if rule == "topic" and (value.min() < 0 or value.max() >= K):
        return f"holds topic numbers outside 0..{K - 1}"
    if rule == "row" and (value.min() < 0 or value.max() >= sizes.get("G", 0)):
        return f"holds row numbers outside 0..{sizes.get('G', 0) - 1} (the rows of 'train_rows_')"
    if rule == "positive" and not np.all(value > 0):
        return "must hold positive values"
    if rule in ("non-negative", "distribution") and value.min() < 0:
        return "holds negative values"
    if rule == "distribution" and not np.allclose(value.sum(axis=-1), 1.0, rtol=0, atol=1e-3):
        return "rows must each sum to 1 (probabilities)"
    return None

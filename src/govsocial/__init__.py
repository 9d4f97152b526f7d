"""govsocial: how governments and citizens talk to each other on social media.

Importing the package has no side effects (no downloads, no logging handlers,
no seeding); the public verbs are loaded on first use.

Example
-------
>>> import govsocial as gs
>>> gs.__version__ >= "0.1"
True
>>> posts = gs.empty_posts()
>>> gs.validate(posts) is posts
True
"""

from __future__ import annotations

import importlib
from typing import Any

from ._version import __version__

# public name -> module that defines it
_EXPORTS = {
    "read_posts": "govsocial.io",
    "detect_format": "govsocial.io",
    "FORMATS": "govsocial.io",
    "validate": "govsocial.schema",
    "conform": "govsocial.schema",
    "empty_posts": "govsocial.schema",
    "COLUMNS": "govsocial.schema",
    "load_registry": "govsocial.accounts",
    "apply_registry": "govsocial.accounts",
    "generate": "govsocial.synth",
    "redact": "govsocial.privacy",
    "redact_posts": "govsocial.privacy",
    "pseudonymise": "govsocial.privacy",
    "Tokenizer": "govsocial.text",
    "tokenize": "govsocial.text.batch",
    "near_duplicates": "govsocial.text.dedupe",
    "Vectorizer": "govsocial.dtm",
    "DocTermMatrix": "govsocial.dtm",
    "DMM": "govsocial.models",
    "NMF": "govsocial.models",
    "LDA": "govsocial.models",
    "SeededLDA": "govsocial.models",
    "SeededDMM": "govsocial.models",
    "topic_terms": "govsocial.topics",
    "doc_topics": "govsocial.topics",
    "topic_labels": "govsocial.topics",
    "representative_posts": "govsocial.topics",
    "coherence": "govsocial.evaluate",
    "diversity": "govsocial.evaluate",
    "stability": "govsocial.evaluate",
    "agreement": "govsocial.evaluate",
    "select_k": "govsocial.selection",
    "held_out_log_likelihood": "govsocial.selection",
    "load_codebook": "govsocial.themes",
    "ThemeScorer": "govsocial.themes",
    "classification_agreement": "govsocial.themes",
    "krippendorff_alpha": "govsocial.themes",
    "bonson_metrics": "govsocial.engagement",
    "engagement_regression": "govsocial.engagement",
    "threads": "govsocial.conversation",
    "responses": "govsocial.conversation",
    "responsiveness": "govsocial.conversation",
    "sentiment": "govsocial.perception",
    "risk_indicators": "govsocial.perception",
    "load_model": "govsocial.models",
    "GovsocialError": "govsocial.exceptions",
    "InputError": "govsocial.exceptions",
    "SchemaError": "govsocial.exceptions",
    "MissingDependencyError": "govsocial.exceptions",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'govsocial' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))

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

import importlib as _importlib
from typing import Any as _Any

from ._version import __version__

# public name -> module that defines it
_EXPORTS = {
    "read_posts": "govsocial.data.readers",
    "detect_format": "govsocial.data.readers",
    "expand_paths": "govsocial.data.readers",
    "FORMATS": "govsocial.data.readers",
    "register_reader": "govsocial.data.readers",
    "unregister_reader": "govsocial.data.readers",
    "ReaderSpec": "govsocial.data.readers",
    "ReaderOption": "govsocial.data.readers",
    "validate": "govsocial.core.schema",
    "conform": "govsocial.core.schema",
    "empty_posts": "govsocial.core.schema",
    "COLUMNS": "govsocial.core.schema",
    "load_registry": "govsocial.data.accounts",
    "apply_registry": "govsocial.data.accounts",
    "generate": "govsocial.data.synth",
    "redact": "govsocial.text.privacy",
    "redact_posts": "govsocial.text.privacy",
    "pseudonymise": "govsocial.text.privacy",
    "pseudonymise_ids": "govsocial.text.privacy",
    "Tokenizer": "govsocial.text",
    "tokenize": "govsocial.text.batch",
    "near_duplicates": "govsocial.text.dedupe",
    "Vectorizer": "govsocial.text.dtm",
    "DaskVectorizer": "govsocial.text.dask",
    "DaskDocTermMatrix": "govsocial.text.dask",
    "DocTermMatrix": "govsocial.text.dtm",
    "DMM": "govsocial.topics.models",
    "NMF": "govsocial.topics.models",
    "LDA": "govsocial.topics.models",
    "SeededLDA": "govsocial.topics.models",
    "SeededDMM": "govsocial.topics.models",
    "STM": "govsocial.topics.models",
    "CovariateDMM": "govsocial.topics.models.cdmm",
    "design_matrix": "govsocial.topics.formula",
    "Design": "govsocial.topics.formula",
    "theta_draws": "govsocial.topics.posterior",
    "estimate_effect": "govsocial.topics.effects",
    "effect_at": "govsocial.topics.effects",
    "difference": "govsocial.topics.effects",
    "topic_terms": "govsocial.topics.tables",
    "sage_labels": "govsocial.topics.tables",
    "doc_topics": "govsocial.topics.tables",
    "topic_labels": "govsocial.topics.tables",
    "representative_posts": "govsocial.topics.tables",
    "coherence": "govsocial.topics.evaluate",
    "diversity": "govsocial.topics.evaluate",
    "stability": "govsocial.topics.evaluate",
    "agreement": "govsocial.topics.evaluate",
    "select_k": "govsocial.topics.selection",
    "held_out_log_likelihood": "govsocial.topics.selection",
    "load_codebook": "govsocial.analysis.themes",
    "keyword_evidence": "govsocial.analysis.themes",
    "structural_cues": "govsocial.analysis.themes",
    "rule_labels": "govsocial.analysis.themes",
    "training_mask": "govsocial.analysis.themes",
    "corpus_association": "govsocial.analysis.themes",
    "CorpusAssociation": "govsocial.analysis.themes",
    "seeded_topic_shares": "govsocial.analysis.themes",
    "ThemeFeatures": "govsocial.analysis.themes",
    "ThemeScorer": "govsocial.analysis.themes",
    "classification_agreement": "govsocial.analysis.themes",
    "krippendorff_alpha": "govsocial.analysis.themes",
    "coding_sheet": "govsocial.analysis.themes",
    "cross_fit": "govsocial.analysis.themes",
    "adjusted_shares": "govsocial.analysis.themes",
    "misclassification_matrix": "govsocial.analysis.themes",
    "fold_of": "govsocial.analysis.themes",
    "write_coding_sheet": "govsocial.analysis.themes",
    "read_coding_sheet": "govsocial.analysis.themes",
    "coder_agreement": "govsocial.analysis.themes",
    "bonson_metrics": "govsocial.analysis.engagement",
    "bonson_metrics_dask": "govsocial.analysis.dask",
    "shares_dask": "govsocial.analysis.dask",
    "theme_labels_dask": "govsocial.analysis.dask",
    "topic_labels_dask": "govsocial.analysis.dask",
    "responses_dask": "govsocial.analysis.dask",
    "engagement_regression": "govsocial.analysis.engagement",
    "threads": "govsocial.analysis.conversation",
    "responses": "govsocial.analysis.conversation",
    "responsiveness": "govsocial.analysis.conversation",
    "sentiment": "govsocial.analysis.perception",
    "risk_indicators": "govsocial.analysis.perception",
    "sentiment_by": "govsocial.analysis.perception",
    "group_keys": "govsocial.core.grouping",
    "load_model": "govsocial.topics.models",
    "TopicModel": "govsocial.topics.models",
    "prevalence": "govsocial.topics.prevalence",
    "prevalence_figure": "govsocial.output.topic_figures",
    "effect_figure": "govsocial.output.topic_figures",
    "to_stm": "govsocial.output.stm_export",
    "to_stata": "govsocial.output.export",
    "to_parquet": "govsocial.output.export",
    "Config": "govsocial.workflow.config",
    "load_config": "govsocial.workflow.config",
    "StudyData": "govsocial.workflow.data",
    "cluster_shares": "govsocial.workflow.studies.uses",
    "run": "govsocial.workflow.runner",
    "GovsocialError": "govsocial.core.exceptions",
    "InputError": "govsocial.core.exceptions",
    "SchemaError": "govsocial.core.exceptions",
    "MissingDependencyError": "govsocial.core.exceptions",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> _Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'govsocial' has no attribute {name!r}")
    value = getattr(_importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))

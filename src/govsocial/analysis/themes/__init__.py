"""What each government post is for: codebooks of themes and theme scoring.

:class:`ThemeScorer` composes the verbs below, each usable alone: the representation
(:class:`ThemeFeatures`), keyword evidence (:func:`keyword_evidence`, :func:`structural_cues`),
themes from the corpus (:func:`corpus_association`, :func:`seeded_topic_shares`) and rule
labels (:func:`rule_labels`, :func:`training_mask`).
"""

from .adjust import adjusted_shares, misclassification_matrix
from .agreement import apply_mapping, classification_agreement, krippendorff_alpha
from .codebook import CUES, Codebook, Theme, available_codebooks, load_codebook
from .coding import coder_agreement, coding_sheet, read_coding_sheet, write_coding_sheet
from .crossfit import cross_fit, fold_of
from .cues import keyword_evidence, structural_cues
from .expansion import CorpusAssociation, corpus_association, seeded_topic_shares
from .features import ThemeFeatures
from .scorer import ThemeScorer
from .weak import rule_labels, training_mask

__all__ = [
    "CUES",
    "Codebook",
    "CorpusAssociation",
    "Theme",
    "ThemeFeatures",
    "ThemeScorer",
    "adjusted_shares",
    "apply_mapping",
    "available_codebooks",
    "classification_agreement",
    "coder_agreement",
    "coding_sheet",
    "corpus_association",
    "cross_fit",
    "fold_of",
    "keyword_evidence",
    "krippendorff_alpha",
    "load_codebook",
    "misclassification_matrix",
    "read_coding_sheet",
    "rule_labels",
    "seeded_topic_shares",
    "structural_cues",
    "training_mask",
    "write_coding_sheet",
]

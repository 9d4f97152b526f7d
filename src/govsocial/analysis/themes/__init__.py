"""What each government post is for: codebooks of themes and theme scoring."""

from .adjust import adjusted_shares, misclassification_matrix
from .agreement import apply_mapping, classification_agreement, krippendorff_alpha
from .codebook import CUES, Codebook, Theme, available_codebooks, load_codebook
from .coding import coder_agreement, coding_sheet, read_coding_sheet, write_coding_sheet
from .crossfit import cross_fit, fold_of
from .cues import keyword_evidence, structural_cues
from .expansion import CorpusAssociation, corpus_association
from .scorer import ThemeScorer

__all__ = ["CUES", "Codebook", "CorpusAssociation", "Theme", "ThemeScorer", "adjusted_shares", "apply_mapping", "available_codebooks",
           "classification_agreement", "coder_agreement", "coding_sheet", "corpus_association", "cross_fit", "fold_of", "keyword_evidence",
           "krippendorff_alpha", "load_codebook", "misclassification_matrix", "read_coding_sheet", "structural_cues", "write_coding_sheet"]

"""What each government post is for: codebooks of themes and theme scoring."""

from .agreement import classification_agreement, krippendorff_alpha
from .codebook import CUES, Codebook, Theme, available_codebooks, load_codebook
from .cues import keyword_evidence, structural_cues
from .scorer import ThemeScorer

__all__ = ["CUES", "Codebook", "Theme", "ThemeScorer", "available_codebooks", "classification_agreement",
           "keyword_evidence", "krippendorff_alpha", "load_codebook", "structural_cues"]

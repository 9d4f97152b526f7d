"""What each government post is for: codebooks of themes and theme scoring."""

from .codebook import CUES, Codebook, Theme, available_codebooks, load_codebook

__all__ = ["CUES", "Codebook", "Theme", "available_codebooks", "load_codebook"]

"""Topic models for short posts, behind one scikit-learn interface.

``MODELS`` maps the names used in configs to the estimator classes.

Example
-------
>>> sorted(MODELS)
['dmm', 'lda', 'nmf', 'seeded_dmm', 'seeded_lda']
"""

from .base import TopicModel, load_model
from .dmm import DMM
from .lda import LDA
from .nmf import NMF
from .seeded import SeededDMM, SeededLDA

MODELS = {"dmm": DMM, "lda": LDA, "nmf": NMF, "seeded_lda": SeededLDA, "seeded_dmm": SeededDMM}

__all__ = ["DMM", "LDA", "NMF", "SeededLDA", "SeededDMM", "MODELS", "TopicModel", "load_model"]

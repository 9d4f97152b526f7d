"""Topic models for short posts, behind one scikit-learn interface.

``MODELS`` maps the names used in configs to the estimator classes.

Example
-------
>>> sorted(MODELS)
['dmm', 'lda', 'nmf']
"""

from .base import TopicModel, load_model
from .dmm import DMM
from .lda import LDA
from .nmf import NMF

MODELS = {"dmm": DMM, "lda": LDA, "nmf": NMF}

__all__ = ["DMM", "LDA", "NMF", "MODELS", "TopicModel", "load_model"]

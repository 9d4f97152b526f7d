"""Topic models for short posts, behind one scikit-learn interface.

``MODELS`` maps the names used in configs to the estimator classes.

Example
-------
>>> sorted(MODELS)
['dmm', 'nmf']
"""

from .base import TopicModel, load_model
from .dmm import DMM
from .nmf import NMF

MODELS = {"dmm": DMM, "nmf": NMF}

__all__ = ["DMM", "NMF", "MODELS", "TopicModel", "load_model"]

"""Topic models for short posts, behind one scikit-learn interface.

``MODELS`` maps the names used in configs to the estimator classes.

Example
-------
>>> sorted(MODELS)
['dmm']
"""

from .base import TopicModel, load_model
from .dmm import DMM

MODELS = {"dmm": DMM}

__all__ = ["DMM", "MODELS", "TopicModel", "load_model"]

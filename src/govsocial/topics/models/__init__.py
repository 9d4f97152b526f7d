"""Topic models for short posts, behind one scikit-learn interface.

``MODELS`` maps the names used in configs to the estimator classes.

Example
-------
>>> sorted(MODELS)
['covariate_dmm', 'dmm', 'lda', 'nmf', 'seeded_dmm', 'seeded_lda', 'stm']
"""

from .base import TopicModel, load_model
from .cdmm import CovariateDMM
from .dmm import DMM
from .lda import LDA
from .nmf import NMF
from .registry import MODELS
from .seeded import SeededDMM, SeededLDA
from .stm import STM

__all__ = ["DMM", "LDA", "NMF", "SeededLDA", "SeededDMM", "STM", "CovariateDMM", "MODELS", "TopicModel", "load_model"]

"""The registry of topic models: the names used in configs and model files → estimator classes.

Example
-------
>>> sorted(MODELS)
['covariate_dmm', 'dmm', 'lda', 'nmf', 'seeded_dmm', 'seeded_lda', 'stm']
"""

from .cdmm import CovariateDMM
from .dmm import DMM
from .lda import LDA
from .nmf import NMF
from .seeded import SeededDMM, SeededLDA
from .stm import STM

__all__ = ["MODELS"]

#: config name → estimator class; add a new model here (see docs/architecture.md)
MODELS = {
    "dmm": DMM,
    "lda": LDA,
    "nmf": NMF,
    "seeded_lda": SeededLDA,
    "seeded_dmm": SeededDMM,
    "stm": STM,
    "covariate_dmm": CovariateDMM,
}

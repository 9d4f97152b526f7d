"""The Laplace covariance of each document's topic logits in a fitted STM.

The E-step approximates the posterior of document *d*'s logits η_d by a normal with
mean λ_d and covariance ν_d = H_d⁻¹, the inverse Hessian of the negative log-posterior
at its mode (Roberts, Stewart & Airoldi 2016, *JASA* 111(515), §3.2). The fit keeps only
their mean; stm's "Local" uncertainty needs each document's own ν_d, recomputed here
from its words.

Example
-------
>>> import numpy as np, scipy.sparse as sp
>>> from govsocial.topics.models.stm import STM
>>> X = sp.csr_matrix(np.array([[3, 1, 0], [0, 1, 3], [2, 2, 1], [1, 0, 2]]))
>>> nus = laplace_covariances(STM(n_components=2).fit(X), X)
>>> nus.shape, bool(np.all(nus[:, 0, 0] > 0))
((4, 1, 1), True)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._stm_kernels import local_nu
from ._stm_mstep import precision
from .base import check_counts
from .stm import STM

__all__ = ["laplace_covariances"]


def laplace_covariances(model: STM, dtm: Any) -> np.ndarray:
    """Each training document's Laplace covariance ν_d of its K − 1 topic logits: an array
    (documents, K − 1, K − 1). ``dtm`` holds the documents the model was fitted on, in order.

    Example
    -------
    >>> import numpy as np, scipy.sparse as sp
    >>> X = sp.csr_matrix(np.array([[3, 1, 0], [0, 1, 3], [2, 2, 1], [1, 0, 2]]))
    >>> nus = laplace_covariances(STM(n_components=3, init="random", random_state=0).fit(X), X)
    >>> bool(np.allclose(nus, np.transpose(nus, (0, 2, 1))))
    True
    """
    if dtm is None:
        raise ValueError(
            "STM: uncertainty='local' needs the documents the model was fitted on: pass dtm= "
            "(the DocTermMatrix or count matrix, rows in the order of the covariates)"
        )
    Xc, _, _ = check_counts(dtm)
    eta = np.asarray(model.eta_)
    if Xc.shape[0] != eta.shape[0]:
        raise ValueError(
            f"dtm has {Xc.shape[0]} documents but the STM was fitted on {eta.shape[0]}; pass the training documents"
        )
    siginv, _ = precision(np.asarray(model.sigma_))
    aspects = getattr(model, "aspects_", None)
    if getattr(model, "aspect_components_", None) is None or aspects is None:  # one β for all documents
        beta_t = np.ascontiguousarray(np.asarray(model.components_).T)[None]
        aspects = np.zeros(eta.shape[0], dtype=np.int64)
    else:  # a content covariate: each document's level's β
        beta_t = np.ascontiguousarray(np.asarray(model.aspect_components_).transpose(0, 2, 1))
    nus = np.empty((eta.shape[0], eta.shape[1], eta.shape[1]))
    for d in range(eta.shape[0]):
        lo, hi = Xc.indptr[d], Xc.indptr[d + 1]
        cnt = Xc.data[lo:hi].astype(np.float64)
        local_nu(
            eta[d].copy(),
            eta[d].copy(),
            siginv,
            beta_t[aspects[d]],
            Xc.indices[lo:hi].astype(np.int64),
            cnt,
            float(cnt.sum()),
            nus[d],
        )
    return nus

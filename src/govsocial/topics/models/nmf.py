"""Non-negative matrix factorisation on TF-IDF: a fast, deterministic baseline.

scikit-learn's ``NMF`` factorises the TF-IDF matrix :math:`A \\approx WH` with
:math:`W, H \\ge 0` (Lee & Seung 1999; coordinate descent, Cichocki & Phan 2009), minimising
:math:`\\tfrac12\\lVert A - WH\\rVert_F^2`. Topics are the rows of :math:`H` (normalised to
sum to 1); a post's topic shares are its row of :math:`W`, normalised.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp

from .base import TopicModel, check_counts
from .constraints import Instance, Int, OneOf

__all__ = ["NMF"]


class NMF(TopicModel):
    """NMF topic model on TF-IDF weights (scikit-learn's solver).

    Parameters
    ----------
    n_components: number of topics.
    sublinear_tf: use 1 + log(tf) in TF-IDF (default True, as short posts rarely repeat words).
    max_iter: solver iterations.
    random_state: seed of the NNDSVDa initialisation's random part: an int, a numpy Generator
        (scikit-learn's solver is given one int drawn from it) or None.

    Attributes
    ----------
    components_: (K, V) the rows of H, each scaled to sum to 1; ``labels_``: each training
        post's largest share; ``h_``, ``idf_``: the factor and the IDF weights ``transform`` uses.
    topic_sizes_: training posts whose largest share is each topic (NMF's shares are not
        probabilities, so no expected count is claimed); ``log_likelihood`` is NaN.

    Example
    -------
    >>> X = sp.csr_matrix(np.array([[2, 1, 0, 0], [3, 1, 0, 0], [0, 0, 2, 2], [0, 0, 1, 3]]))
    >>> m = NMF(n_components=2, random_state=0).fit(X)
    >>> bool(m.labels_[0] == m.labels_[1] != m.labels_[2] == m.labels_[3])
    True
    """

    _array_attrs = ("components_", "labels_", "idf_", "h_")
    _constraints = {
        "n_components": Int(1),
        "max_iter": Int(1),
        "random_state": (
            Int(0),
            OneOf(None),
            Instance((np.random.Generator, np.random.RandomState), "a numpy Generator or RandomState"),
        ),
    }
    _probabilistic = False
    idf_: np.ndarray
    h_: np.ndarray

    def __init__(
        self,
        n_components: int = 20,
        *,
        sublinear_tf: bool = True,
        max_iter: int = 400,
        random_state: int | np.random.Generator | None = None,
    ) -> None:
        self.n_components = n_components
        self.sublinear_tf = sublinear_tf
        self.max_iter = max_iter
        self.random_state = random_state

    _integer_counts = False

    def _tfidf(self, X: sp.csr_matrix) -> sp.csr_matrix:
        from sklearn.preprocessing import normalize

        A = X.astype(np.float64)
        if self.sublinear_tf:
            # 1 + log(tf) for counts; weights below 1 (non-count input) are kept as they are,
            # so the transform stays non-negative and continuous
            A.data = np.where(A.data >= 1.0, 1.0 + np.log(np.maximum(A.data, 1.0)), A.data)
        A = A @ sp.diags(self.idf_)
        return normalize(A, norm="l2", copy=False).tocsr()

    def fit(self, X: Any, y: Any = None) -> "NMF":
        """Fit on a DocTermMatrix or sparse count matrix.

        Example
        -------
        >>> NMF(n_components=2, random_state=0).fit(sp.csr_matrix(np.eye(3, dtype=int))).components_.shape
        (2, 3)
        """
        from sklearn.decomposition import NMF as SkNMF

        self._validate_params()
        Xc, terms, display = check_counts(X, integer=False)
        n_docs, V = Xc.shape
        df = np.bincount(Xc.indices, minlength=V)
        self.idf_ = np.log((1 + n_docs) / (1 + df)) + 1.0
        A = self._tfidf(Xc)
        seed = self.random_state
        if isinstance(seed, np.random.Generator):  # scikit-learn takes an int or a RandomState
            seed = int(seed.integers(2**31 - 1))
        solver = SkNMF(
            n_components=int(self.n_components), init="nndsvda", max_iter=int(self.max_iter), random_state=seed
        )
        W = solver.fit_transform(A)
        self.h_ = solver.components_
        self.components_ = _rows_to_simplex(self.h_)
        self.labels_ = W.argmax(axis=1)
        self.reconstruction_err_ = float(solver.reconstruction_err_)
        self.n_iter_ = int(solver.n_iter_)
        self._remember_terms(terms, display, V)
        return self

    def transform(self, X: Any) -> np.ndarray:
        """Topic shares of each post (rows sum to 1; a post with no weight on any topic gets equal shares).

        Example
        -------
        >>> X = sp.csr_matrix(np.array([[3, 0], [0, 3]]))
        >>> NMF(n_components=2, random_state=0).fit(X).transform(X).sum(axis=1).tolist()
        [1.0, 1.0]
        """
        from sklearn.decomposition import non_negative_factorization

        Xc = self._check_transform_input(X)
        W, _, _ = non_negative_factorization(
            self._tfidf(Xc),
            H=self.h_,
            n_components=self.h_.shape[0],
            update_H=False,
            init="custom",
            max_iter=int(self.max_iter),
        )
        return _rows_to_simplex(W)


def _rows_to_simplex(M: np.ndarray) -> np.ndarray:
    M = np.asarray(M, dtype=np.float64)
    sums = M.sum(axis=1, keepdims=True)
    out = np.divide(M, sums, out=np.full_like(M, 1.0 / M.shape[1]), where=sums > 0)
    return out

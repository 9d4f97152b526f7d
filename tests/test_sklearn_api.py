"""The topic models under scikit-learn's own estimator checks, and in Pipeline / GridSearchCV.

scikit-learn's checks fit estimators on random real-valued data. NMF takes any
non-negative weights and must pass every check that does not feed it a post with no
terms. The Gibbs samplers (DMM, LDA) model whole-number counts and refuse anything else
with a message that says so, so the checks that feed them real-valued data are declared
expected failures, each with its reason; every other check must pass.
"""

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.utils.estimator_checks import parametrize_with_checks

from govsocial.topics.models import DMM, LDA, NMF

EMPTY_ROWS = (
    "its random data holds rows of zeros (posts with no terms), which every govsocial model refuses "
    "with a message rather than fitting a post that carries no information"
)
REAL_VALUED = (
    "it fits on random real-valued data; the Gibbs samplers model whole-number term counts and refuse "
    "other data with a message naming the problem"
)
SPARSE_REAL = "its sparse random data are real-valued: " + REAL_VALUED

_NMF_EXPECTED = {
    "check_dtype_object": EMPTY_ROWS,
    "check_estimators_dtypes": EMPTY_ROWS,
    "check_fit2d_1feature": EMPTY_ROWS,
    "check_transformer_data_not_an_array": EMPTY_ROWS,
    "check_estimator_sparse_array": EMPTY_ROWS,
    "check_estimator_sparse_matrix": EMPTY_ROWS,
    "check_estimator_sparse_tag": EMPTY_ROWS,
}
_SAMPLER_EXPECTED = {
    name: REAL_VALUED
    for name in (
        "check_dict_unchanged",
        "check_dont_overwrite_parameters",
        "check_estimators_dtypes",
        "check_estimators_fit_returns_self",
        "check_estimators_nan_inf",
        "check_estimators_overwrite_params",
        "check_estimators_pickle",
        "check_f_contiguous_array_estimator",
        "check_fit2d_1feature",
        "check_fit2d_1sample",
        "check_fit2d_predict1d",
        "check_fit_check_is_fitted",
        "check_fit_idempotent",
        "check_fit_score_takes_y",
        "check_methods_sample_order_invariance",
        "check_methods_subset_invariance",
        "check_n_features_in",
        "check_n_features_in_after_fitting",
        "check_pipeline_consistency",
        "check_readonly_memmap_input",
        "check_transformer_data_not_an_array",
        "check_transformer_general",
        "check_transformer_preserve_dtypes",
        "check_dtype_object",
    )
}
_SAMPLER_EXPECTED.update(
    {
        name: SPARSE_REAL
        for name in ("check_estimator_sparse_array", "check_estimator_sparse_matrix", "check_estimator_sparse_tag")
    }
)


def _expected(estimator):
    return _NMF_EXPECTED if isinstance(estimator, NMF) else _SAMPLER_EXPECTED


@parametrize_with_checks(
    [
        DMM(n_components=2, n_iter=5, random_state=0),
        LDA(n_components=2, n_iter=5, random_state=0),
        NMF(n_components=2, random_state=0),
    ],
    expected_failed_checks=_expected,
)
def test_scikit_learn_checks(estimator, check):
    check(estimator)


def _two_topics(n=60, seed=0):
    rng = np.random.default_rng(seed)
    half = n // 2
    a = np.hstack([rng.poisson(3, (half, 5)), rng.poisson(0.05, (half, 5))])
    b = np.hstack([rng.poisson(0.05, (half, 5)), rng.poisson(3, (half, 5))])
    return sp.csr_matrix(np.vstack([a, b]) + (np.vstack([a, b]).sum(axis=1, keepdims=True) == 0))


@pytest.mark.parametrize("model", [DMM(n_iter=20, random_state=0), LDA(n_iter=30, random_state=0), NMF(random_state=0)])
def test_pipeline_and_grid_search(model):
    X = _two_topics()
    pipe = Pipeline([("topics", model)])
    theta = pipe.set_params(topics__n_components=2).fit_transform(X)
    assert theta.shape == (60, 2)
    np.testing.assert_allclose(theta.sum(axis=1), 1.0)

    # unsupervised scoring: GridSearchCV with a callable that rewards separating the two halves
    def separation(estimator, X_, y=None):
        labels = estimator.transform(X_).argmax(axis=1)
        return float(abs(labels[: X_.shape[0] // 2].mean() - labels[X_.shape[0] // 2 :].mean()))

    search = GridSearchCV(model, {"n_components": [1, 2]}, scoring=separation, cv=[(np.arange(60), np.arange(60))])
    search.fit(X)
    assert search.best_params_ == {"n_components": 2}

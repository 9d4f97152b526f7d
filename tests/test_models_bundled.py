"""Every registered model fits the bundled corpus (20,000 posts) and recovers its planted portfolios."""

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import normalized_mutual_info_score

import govsocial as gs
from govsocial.analysis.themes import load_codebook
from govsocial.topics.models import MODELS

from .conftest import BUNDLED


@pytest.fixture(scope="module")
def bundled():
    posts, rejects = gs.read_posts(BUNDLED / "posts.jsonl.gz", registry=BUNDLED / "accounts.csv")
    assert rejects.empty
    truth = pd.read_csv(BUNDLED / "truth.csv.gz", dtype={"post_id": str}).set_index("post_id")
    dtm = gs.Vectorizer(min_df=3, max_df=0.5).fit_transform(gs.tokenize(posts)[0])
    rows = truth.loc[dtm.post_ids]
    return dtm, rows["portfolio"].to_numpy(), (rows["kind"] == "gov_post").to_numpy()


@pytest.mark.parametrize(
    "name, params, min_nmi",
    [
        # floors below the measured values (0.65, 0.34, 0.23, 0.30, 0.22, 0.65); unrelated labels give ~0
        # (the seeded models are seeded with the OECD themes, not the portfolios)
        ("dmm", {"n_components": 16, "n_iter": 30}, 0.55),
        ("covariate_dmm", {"n_components": 16, "n_iter": 30}, 0.55),
        ("lda", {"n_components": 16, "n_iter": 60}, 0.28),
        ("nmf", {"n_components": 16}, 0.2),
        ("seeded_lda", {"seeds": load_codebook("oecd").seeds(), "n_components": 16, "n_iter": 60}, 0.22),
        ("seeded_dmm", {"seeds": load_codebook("oecd").seeds(), "n_components": 16, "n_iter": 30}, 0.15),
    ],
)
@pytest.mark.slow
def test_model_fits_the_bundled_corpus(bundled, name, params, min_nmi):
    dtm, portfolio, agency_posts = bundled
    model = MODELS[name](random_state=0, **params).fit(dtm)
    n = dtm.X.shape[0]
    assert model.components_.shape == (16, len(dtm.terms)) and model.labels_.shape == (n,)
    np.testing.assert_allclose(model.components_.sum(axis=1), 1.0)
    theta = model.transform(dtm)
    np.testing.assert_allclose(theta.sum(axis=1), 1.0)
    # transform's most probable topic is the fitted label for most posts; measured 0.848 (lda) and
    # 0.847 (seeded_lda) since agency posts may add a transparency sentence on a second subject
    # (0.859 and 0.856 before), 0.85+ for the others
    assert (theta.argmax(axis=1) == model.labels_).mean() >= 0.82
    # eight planted portfolios, most visible in agencies' own posts (citizen chatter and canned
    # replies carry few topic words); 16 topics may split them, so NMI rather than accuracy
    nmi = normalized_mutual_info_score(portfolio[agency_posts], model.labels_[agency_posts])
    assert nmi >= min_nmi
    assert all(len(words) == 5 for words in model.top_words(5))

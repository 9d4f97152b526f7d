"""Topic labels and representative posts through the public API: labels give the most
probable and the FREX words together; with DMM, whose posts nearly all have share 1.000,
representative posts are the most likely posts under the topic (computed here by hand)."""

import numpy as np

import govsocial as gs

DOCS = (
    ["flu vaccine clinic open today", "vaccine clinic", "flu clinic hours", "book your flu vaccine"] * 3
    + ["bus train delay", "train timetable change", "bus stop moved", "train bus delay again"] * 3
    + ["flu vaccine clinic vaccine flu clinic", "bus train delay bus train"]
)


def _fit():
    dtm = gs.Vectorizer(min_df=1, max_df=1.0, phrases=False).from_posts(DOCS)
    return dtm, gs.DMM(n_components=2, n_iter=30, random_state=0).fit(dtm)


def test_labels_give_probable_and_frex_words_together():
    dtm, model = _fit()
    prob = gs.topic_terms(model, top_n=3, by="prob")
    frex = gs.topic_terms(model, top_n=3, by="frex")
    expected = [
        f"prob: {', '.join(prob[prob['topic'] == k]['display'])} | "
        f"frex: {', '.join(frex[frex['topic'] == k]['display'])}"
        for k in range(2)
    ]
    assert gs.topic_labels(model) == expected


def test_dmm_representative_posts_break_share_ties_by_likelihood_under_the_topic():
    dtm, model = _fit()
    theta = model.transform(dtm)
    phi = np.asarray(model.components_) / np.asarray(model.components_).sum(axis=1, keepdims=True)
    counts = dtm.X.toarray()
    log_lik = counts @ np.log(phi).T / counts.sum(axis=1, keepdims=True)  # log p(words | topic) per token
    row = {pid: i for i, pid in enumerate(dtm.post_ids)}
    reps = gs.representative_posts(model, dtm, n=3)
    for k, part in reps.groupby("topic"):
        shown = np.round(theta[:, k], 3)
        tied = np.flatnonzero(shown == shown.max())
        assert len(tied) >= 3 and (shown[tied] == 1.0).all()  # DMM: many posts with share 1.000
        chosen = [row[pid] for pid in part.sort_values("rank")["post_id"]]
        np.testing.assert_allclose(log_lik[chosen, k], np.sort(log_lik[tied, k])[::-1][:3])
        np.testing.assert_allclose(part.sort_values("rank")["log_lik_per_token"], log_lik[chosen, k])

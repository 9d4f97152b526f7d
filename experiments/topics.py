"""Topics: what do agencies and citizens post about, and which topics do agencies lead?

Posts (reposts excluded) are tokenised with personal information redacted and a
short-text topic model (DMM, Yin & Wang 2014, by default) is fitted for several K and
seeds; K is chosen by mean c_npmi coherence (Röder et al. 2015) unless the config fixes it.

Usage (from the repository root)::

    python experiments/topics.py [CONFIG]    # default: experiments/configs/bundled.toml

Prints the K sweep and the chosen topics, then writes results/<config>/topics/ and the report.
"""

from _question import config_for, write_results

import govsocial as gs
from govsocial.topics.models import MODELS

config = config_for("topics")

# 1. read and tokenise: a document-term matrix of every post but reposts
data = gs.StudyData.load(config)
dtm = data.matrix
print(dtm.report)

# 2. fit: the model for each K and seed, scored by coherence, diversity and stability
model_cls = MODELS[config.topics.model]
iters = {"n_iter": config.topics.n_iter} if "n_iter" in model_cls().get_params() else {}
sweep = gs.select_k(
    model_cls(**iters),
    dtm,
    ks=list(config.topics.ks),
    seeds=list(config.topics.seeds),
    top_n=config.topics.top_n,
    split_seed=config.seed,
)
print(sweep.groupby("k")[["coherence", "diversity"]].mean())

# 3. estimate: the model at the chosen K, its topics labelled by probable and FREX words
k = config.topics.k or int(sweep.groupby("k")["coherence"].mean().idxmax())
model = model_cls(n_components=k, random_state=config.seed, **iters).fit(dtm)
for topic, label in enumerate(gs.topic_labels(model, n=3)):
    print(f"{topic:>3}  {label}")

# 4. tables (terms, representative posts, leadership, prevalence by month), figures, report
write_results(config)

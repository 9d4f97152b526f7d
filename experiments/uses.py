"""Uses: what do agencies use social media for?

Each government post (reposts excluded) is scored against a codebook of government uses
of social media (OECD 2014; DePaula, Dincelli & Harrison 2018) and the share of posts in
each use is estimated with a 95 % interval from resampling accounts. Transparency (posts that
publish data, documents, decisions, budgets or performance, or cite a source; Bertot, Jaeger &
Grimes 2010) is scored the same way with its own codebook.

Usage (from the repository root)::

    python experiments/uses.py [CONFIG]      # default: experiments/configs/bundled.toml

Prints the shares, then writes results/<config>/uses/ and the report as `govsocial run` does.
"""

import numpy as np
from _question import config_for, write_results

import govsocial as gs

config = config_for("uses")

# 1. read: the config's exports, accounts told apart by the registry; agencies' own posts
data = gs.StudyData.load(config)
gov = data.gov
rng = np.random.default_rng(config.seed)

for entry in config.themes.codebooks:
    # 2. score: the most probable use of each post under the codebook
    codebook = gs.load_codebook(entry)
    scorer = gs.ThemeScorer(codebook, "seeded", n_iter=config.themes.n_iter, random_state=config.seed).fit(gov)
    proba = scorer.predict_proba(gov)
    labels = np.asarray(proba.columns)[proba.to_numpy().argmax(axis=1)]

    # 3. estimate: the share of posts in each use, intervals from resampling accounts
    shares = gs.cluster_shares(labels, gov["account_id"].to_numpy(), codebook.names, config.run.n_boot, rng)
    print(f"\n{codebook.name}: share of {len(gov):,} government posts")
    print(shares.to_string(index=False, float_format=lambda v: f"{v:.3f}"))

if config.themes.transparency:
    # 4. transparency, a dimension of its own: a post is transparent when its most probable theme
    #    under the transparency codebook is not the default (the first, "not transparent")
    codebook = gs.load_codebook(config.themes.transparency)
    scorer = gs.ThemeScorer(codebook, "seeded", n_iter=config.themes.n_iter, random_state=config.seed).fit(gov)
    transparent = np.where(scorer.predict(gov) == codebook.names[0], "no", "yes")
    accounts = gov["account_id"].to_numpy()
    share = gs.cluster_shares(transparent, accounts, ["yes", "no"], config.run.n_boot, rng).iloc[0]
    print(
        f"\ntransparent: {share['estimate']:.3f} of {len(gov):,} government posts "
        f"(95 % interval {share['low']:.3f}-{share['high']:.3f})"
    )
    for agency, part in gov.groupby("account_name", observed=True):
        print(f"  {agency}: {(transparent[part.index] == 'yes').mean():.3f} of {len(part):,}")

# 5. tables and figures (overall, per agency, per month), summary and report
write_results(config)

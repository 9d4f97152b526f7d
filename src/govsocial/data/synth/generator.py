"""Simulation and writing of the synthetic corpus (see ``docs/corpus.md``).

The parts live in private modules of this package: the settings and engagement
coefficients (``_config``), the records (``_records``), the simulation state and its
shared drawing steps (``_sim``), the accounts (``_accounts``), the agencies' posts
(``_government``), the citizens' posts and the answers to them (``_citizens``) and the
files (``_files``). :func:`simulate` runs them in a fixed order; :func:`generate` writes
the files.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from ._accounts import make_accounts
from ._citizens import citizen_posts
from ._config import ENGAGEMENT_MODEL, SynthConfig
from ._config import METRICS as METRICS  # importable from here as before the split
from ._files import TRUTH_COLUMNS as TRUTH_COLUMNS
from ._files import _card, _effects, _pages, _registry, _truth, _write_gz
from ._government import government_posts
from ._sim import TWITTER_EPOCH_MS as TWITTER_EPOCH_MS
from ._sim import _Sim

__all__ = ["SynthConfig", "simulate", "generate", "ENGAGEMENT_MODEL"]


def simulate(config: SynthConfig) -> "_Sim":
    """Run the generating model in memory and return the simulation (no files written).

    Example
    -------
    >>> sim = simulate(SynthConfig(seed=2, n_posts=200, n_agencies=8))
    >>> len(sim.posts)
    200
    """
    sim = _Sim(config.check())
    cfg = sim.cfg
    make_accounts(sim)
    n = cfg.n_posts
    government_posts(sim, round(cfg.gov_share * n))
    citizen_posts(sim, round(cfg.request_share * n), round(cfg.retweet_share * n), n)
    # drop any overshoot from the end (never happens with the defaults; keeps n_posts exact)
    del sim.posts[n:]
    sim.assign_ids()
    return sim


def generate(
    seed: int = SynthConfig.seed,
    n_posts: int = SynthConfig.n_posts,
    n_agencies: int = SynthConfig.n_agencies,
    out_dir: str | os.PathLike[str] = "corpora/govsocial-sample",
    **options: Any,
) -> Path:
    """Generate the synthetic corpus and write it to ``out_dir``; return that folder.

    Same arguments → byte-identical files. ``options`` are further
    :class:`SynthConfig` fields (``days``, ``gov_share``, ``pii_rate``, ...).

    Example
    -------
    >>> import tempfile, govsocial as gs
    >>> out = generate(seed=5, n_posts=200, n_agencies=8, out_dir=tempfile.mkdtemp())
    >>> posts, rejects = gs.read_posts(out / "posts.jsonl.gz", registry=out / "accounts.csv",
    ...                                unregistered="citizen")
    >>> len(posts), len(rejects)
    (200, 0)
    """
    unknown = set(options) - set(SynthConfig.__dataclass_fields__)
    if unknown:
        raise TypeError(f"unknown generator option(s): {', '.join(sorted(unknown))}")
    cfg = SynthConfig(seed=seed, n_posts=n_posts, n_agencies=n_agencies, **options)
    sim = simulate(cfg)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    effects = _effects(sim)
    _write_gz(out / "posts.jsonl.gz", _pages(sim, cfg.page_size))
    _write_gz(out / "truth.csv.gz", _truth(sim))
    (out / "accounts.csv").write_text(_registry(sim), encoding="utf-8")
    (out / "effects.json").write_text(json.dumps(effects, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (out / "CARD.md").write_text(_card(sim, effects), encoding="utf-8")
    return out

"""The bundled corpus generator: agency posts and citizen replies with known truth.

:func:`generate` simulates a year of government agencies and citizens on a
Twitter-like platform and writes, deterministically from ``seed``:

``posts.jsonl.gz``
    Twitter API v2 response pages, one per line (``data`` + ``includes``), as
    written by common collection tools; read it with
    :func:`govsocial.read_posts`.
``accounts.csv``
    The account registry of the agencies (platform, id, handle, organisation,
    level of government, portfolio, time zone, business-hours staffing).
``truth.csv.gz``
    One row per post: kind, planted theme, topic, near-duplicate group,
    planted personal information, sentiment, request/response outcome.
``effects.json``
    Every parameter of the generating model: theme mixtures, engagement
    coefficients, response probabilities and latencies, and realised shares.
``CARD.md``
    A data card with the settings and the realised counts.

The generating model is described in ``docs/corpus.md``.

Example
-------
>>> import tempfile
>>> from govsocial.data.synth import generate
>>> out = generate(seed=1, n_posts=300, n_agencies=8, out_dir=tempfile.mkdtemp())
>>> sorted(p.name for p in out.iterdir())
['CARD.md', 'accounts.csv', 'effects.json', 'posts.jsonl.gz', 'truth.csv.gz']
"""

from __future__ import annotations

from .generator import ENGAGEMENT_MODEL, SynthConfig, generate, simulate

__all__ = ["generate", "simulate", "SynthConfig", "ENGAGEMENT_MODEL"]

"""Shared fixtures: hand-written export files, a small generated corpus, shared corpora path."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BUNDLED = ROOT / "corpora" / "govsocial-sample"
SHARED = Path(os.environ.get("GOVSOCIAL_SHARED_CORPORA", ROOT.parent / "shared" / "corpora"))


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 1,500-post corpus generated once per test session."""
    from govsocial.data.synth import generate

    return generate(seed=11, n_posts=1500, n_agencies=8, out_dir=tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="session")
def shared_corpora() -> Path:
    if not SHARED.exists():
        pytest.skip(f"shared corpora not found at {SHARED}")
    return SHARED


@pytest.fixture(scope="session")
def dask_client():
    """A LocalCluster of 2 worker processes (one thread each), shared by the Dask tests."""
    pytest.importorskip("distributed")
    from distributed import Client, LocalCluster

    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster,
        Client(cluster, set_as_default=False) as client,
    ):
        yield client

"""Root pytest configuration: the doctests of the Dask modules need the optional
``govsocial[dask]`` extra; without it (e.g. the oldest-versions run in .ci/run) they are
skipped with that reason, as the Dask tests under tests/ are."""

import importlib.util

import pytest

_DASK_MODULES = ("dask.py", "dask_responses.py", "_shards.py", "_distributed.py")


def pytest_collection_modifyitems(config, items):
    if all(importlib.util.find_spec(name) for name in ("dask", "distributed")):
        return
    skip = pytest.mark.skip(reason="needs the optional Dask extra: pip install 'govsocial[dask]'")
    for item in items:
        if isinstance(item, pytest.DoctestItem) and item.path.name in _DASK_MODULES:
            item.add_marker(skip)

"""The parallel tokeniser gives the serial tokens under any hash seed and worker count."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

# Prints a digest of the tokens of 3,000 texts for each worker count; the small batches
# cut them into tasks that the calling process, its workers and the cancelling of tasks
# no worker has started share between them.
SCRIPT = """
import hashlib, json, sys
from govsocial.text import Tokenizer
from govsocial.text.batch import tokenize_chunks
words = ["Flu", "clinic", "#StayHomeSaveLives", "call 0491 570 156", "read more", "👍🏽", "Sooooo", "bus",
         "https://t.co/x", "@jo", "&amp;", "roads", "vaccines", "ＲＯＡＤ", "it's", "2023"]
texts = [" ".join(words[(i * k) % len(words)] for k in range(1, 2 + i % 9)) + f" item{i % 97}" for i in range(3000)]
for n_jobs in (1, 2, 3):
    chunks = list(tokenize_chunks(Tokenizer(), texts, n_jobs=n_jobs, batch_size=1000))
    blob = json.dumps([[c[0], sorted(c[1].items()), sorted(c[2].items())] for c in chunks], default=list)
    print(n_jobs, hashlib.sha256(blob.encode()).hexdigest())
"""


def test_parallel_tokens_equal_serial_under_any_hash_seed_and_worker_count():
    digests = set()
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=str(SRC))
        out = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=300)
        assert out.returncode == 0, out.stderr
        lines = out.stdout.split()
        assert lines[0::2] == ["1", "2", "3"]
        digests.update(lines[1::2])
    assert len(digests) == 1


def _slow_caller_failing_worker(monkeypatch, fail):
    """The calling process slowed down (so that the worker surely takes tasks), the worker failing with `fail`."""
    import time

    from govsocial.text import batch

    parent, real = os.getpid(), batch._local

    def local(tokenizer, texts, surface):
        if os.getpid() != parent:
            fail()
        time.sleep(0.1)
        return real(tokenizer, texts, surface)

    monkeypatch.setattr(batch, "_local", local)
    return batch


def test_a_worker_error_is_raised_in_the_calling_process(monkeypatch):
    import pytest

    from govsocial.text import Tokenizer

    def fail():
        raise ValueError("boom in the worker")

    batch = _slow_caller_failing_worker(monkeypatch, fail)
    with pytest.raises(RuntimeError, match="ValueError: boom in the worker"):
        list(batch.tokenize_chunks(Tokenizer(), [f"text {i}" for i in range(3000)], n_jobs=2, batch_size=1000))


def test_a_worker_that_dies_is_reported_not_waited_for(monkeypatch):
    import pytest

    from govsocial.text import Tokenizer

    batch = _slow_caller_failing_worker(monkeypatch, lambda: os._exit(3))
    with pytest.raises(RuntimeError, match="run with n_jobs=1|run again with n_jobs=1"):
        list(batch.tokenize_chunks(Tokenizer(), [f"text {i}" for i in range(3000)], n_jobs=2, batch_size=1000))

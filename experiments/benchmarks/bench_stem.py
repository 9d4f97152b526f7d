"""govsocial's Snowball English stemmer against nltk's, on the same words, in one run.

Words: the first ``--words`` / 2 entries of the ``wordsegment`` unigram vocabulary (a
dependency of govsocial, 333,213 English words by frequency) and as many random
lower-case strings (length 2–14, seeded), shuffled together. Each stemmer stems every word
once per repeat (no cache: ``govsocial.text.stem.stem`` is called directly, not through the
tokenizer's token cache); CPU time (``time.process_time``), median of ``--repeats``. Also
counts the words on which the two stemmers disagree (it must be 0).

Usage: ``python experiments/benchmarks/bench_stem.py [--words 200000] [--repeats 5]``
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import write_section  # noqa: E402


def words(n: int, seed: int = 0) -> list[str]:
    from wordsegment import Segmenter

    seg = Segmenter()
    seg.load()
    vocab = sorted(seg.unigrams, key=lambda w: (-seg.unigrams[w], w))[: n // 2]
    rng = np.random.default_rng(seed)
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    random = ["".join(rng.choice(letters, size=int(k))) for k in rng.integers(2, 15, size=n - len(vocab))]
    out = vocab + random
    rng.shuffle(out)
    return out


def cpu_seconds(fn, items: list[str], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.process_time()
        for w in items:
            fn(w)
        times.append(time.process_time() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--words", type=int, default=200_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    args = parser.parse_args(argv)
    from nltk.stem.snowball import SnowballStemmer

    from govsocial.text.stem import stem

    items = words(args.words)
    nltk_stem = SnowballStemmer("english").stem
    differ = sum(stem(w) != nltk_stem(w) for w in items)
    ours, theirs = cpu_seconds(stem, items, args.repeats), cpu_seconds(nltk_stem, items, args.repeats)
    lines = [
        f"`python experiments/benchmarks/bench_stem.py --words {args.words} --repeats {args.repeats}`: "
        f"{len(items):,} words (half the most frequent of the wordsegment vocabulary, half random "
        f"strings), each stemmed once per repeat; CPU seconds, median of {args.repeats}; "
        f"{platform.python_implementation()} {platform.python_version()}.",
        "",
        "| stemmer | CPU s | words/s | speed-up | words stemmed differently from nltk |",
        "|---|---|---|---|---|",
        f"| nltk SnowballStemmer('english') | {theirs:.2f} | {len(items) / theirs:,.0f} | 1.00 × | — |",
        f"| govsocial.text.stem.stem | {ours:.2f} | {len(items) / ours:,.0f} | {theirs / ours:.2f} × | {differ} |",
    ]
    write_section(Path(args.out), "stem", "Stemmer (govsocial vs nltk Snowball)", lines)
    print("\n".join(lines))
    return 0 if differ == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""Write one benchmark's section into docs/benchmarks.md, leaving the other sections as they are."""

from __future__ import annotations

from pathlib import Path

HEADER = """# Benchmarks

Each section is written by the script it names, which compares govsocial with the
named peers in the same run on this machine. Re-run a script to refresh its section.
"""


def write_section(path: Path, key: str, title: str, lines: list[str]) -> None:
    """Replace (or append) the section between ``<!-- key:start -->`` and ``<!-- key:end -->``."""
    start, end = f"<!-- {key}:start -->", f"<!-- {key}:end -->"
    body = "\n".join([start, f"## {title}", "", *lines, end])
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    if start in text and end in text:
        before, rest = text.split(start, 1)
        after = rest.split(end, 1)[1]
        text = before + body + after
    else:
        text = text.rstrip("\n") + "\n\n" + body + "\n"
    path.write_text(text, encoding="utf-8")

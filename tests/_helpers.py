"""Helpers shared by several test files (plain functions, not fixtures)."""

from __future__ import annotations

from pathlib import Path


def write_study_config(
    folder: Path,
    corpus: Path,
    *,
    name: str = "small",
    filename: str | None = None,
    seed: int = 20240501,
    truth: bool = True,
    results: str | None = None,
    experiments: str | None = None,
    codebooks: str = '["oecd", "depaula"]',
    themes: str = "",
    topics: bool = True,
    extra: str = "",
) -> Path:
    """A small, fast study config over ``corpus`` (a generated corpus folder), written to
    ``folder / filename`` (default ``<name>.toml``): 50 bootstrap draws, 30 scorer
    iterations, and — with ``topics`` — a K sweep over 4 and 8 with one seed and 10
    iterations. ``results`` sets ``[output] folder``, ``experiments`` (a TOML list) the
    studies, ``themes`` adds lines to ``[themes]`` and ``extra`` appends sections.

    Example
    -------
    >>> import tempfile
    >>> path = write_study_config(Path(tempfile.mkdtemp()), Path("corpus"), topics=False)
    >>> path.name, "[topics]" in path.read_text()
    ('small.toml', False)
    """
    folder.mkdir(parents=True, exist_ok=True)
    lines = [
        f'name = "{name}"',
        "[input]",
        f'paths = ["{(corpus / "posts.jsonl.gz").as_posix()}"]',
        f'registry = "{(corpus / "accounts.csv").as_posix()}"',
    ]
    if truth:
        lines.append(f'truth = "{corpus.as_posix()}"')
    if results is not None:
        lines += ["[output]", f'folder = "{results}"']
    lines.append("[run]")
    if experiments is not None:
        lines.append(f"experiments = {experiments}")
    lines += [f"seed = {seed}", "n_boot = 50", "[themes]", "n_iter = 30", f"codebooks = {codebooks}"]
    if themes:
        lines.append(themes)
    if topics:
        lines += ["[topics]", "ks = [4, 8]", "seeds = [0]", "n_iter = 10"]
    path = folder / (filename or f"{name}.toml")
    path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return path

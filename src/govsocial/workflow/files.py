"""The one place a study's results become files: its tables (CSV), figures (PNG),
``summary.md``, ``ground_truth.csv`` for a corpus with planted truth, and
``manifest.json``; returns the report's :class:`~govsocial.output.report.Section`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from ..core.provenance import Manifest
from ..output.report import Section
from ..output.tables import write_csv
from .studies.base import Outputs, Study

__all__ = ["write_study"]


def _summary(section: Section) -> str:
    lines = [
        f"# {section.title}",
        "",
        f"**Question.** {section.question}",
        "",
        f"**Method.** {section.methods}",
        "",
        "**Findings.**",
        "",
        *[f"- {s}" for s in section.summary],
        "",
    ]
    if section.truth:
        ok = sum(bool(r["recovered"]) for r in section.truth)
        lines += [f"**Ground-truth check.** {ok} of {len(section.truth)} planted quantities recovered.", ""]
    lines += ["**Caveats.**", "", *[f"- {c}" for c in section.caveats], ""]
    return "\n".join(lines)


def write_study(
    study: Study,
    outputs: Outputs,
    folder: Path,
    manifest: Manifest,
    *,
    methods: str,
    counts: dict[str, Any] | None = None,
) -> Section:
    """Write ``outputs`` of ``study`` into ``folder`` (made if missing) and its manifest
    (``counts`` added); the section lists the files the report shows.

    Example
    -------
    >>> import tempfile, pathlib
    >>> import pandas as pd
    >>> from govsocial.workflow.studies.base import Outputs, Study
    >>> from govsocial.core.provenance import Manifest
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> out = Outputs(summary=["One finding."], tables={"t.csv": pd.DataFrame({"x": [1]})})
    >>> sec = write_study(Study("demo", "Demo", "Why?", "By hand.", lambda d, c: out), out, folder,
    ...                   Manifest("demo", {}), methods="By hand.")
    >>> sec.tables, sorted(p.name for p in folder.iterdir())
    (['t.csv'], ['manifest.json', 'summary.md', 't.csv'])
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in {**outputs.tables, **outputs.files}.items():
        write_csv(frame, folder / name)
    for name, figure in outputs.figures.items():
        figure.savefig(folder / name, dpi=110)
    section = Section(
        study.name,
        study.title,
        study.question,
        methods,
        summary=list(outputs.summary),
        figures=list(outputs.figures),
        tables=list(outputs.tables),
        caveats=list(outputs.caveats),
        truth=list(outputs.truth),
        folder=folder,
    )
    if section.truth:
        write_csv(pd.DataFrame(section.truth), folder / "ground_truth.csv")
        section.tables.append("ground_truth.csv")
    (folder / "summary.md").write_text(_summary(section), encoding="utf-8")
    manifest.counts = dict(counts or {})
    manifest.write(folder)
    return section

"""The HTML report: one self-contained page (figures embedded) from the experiments'
outputs — questions, methods in plain words with citations, figures, tables, caveats,
and, for corpora with planted truth, a ground-truth check.

Example
-------
>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> page = write_report(out / "report.html", [])
>>> "<html" in page.read_text()
True
"""

from __future__ import annotations

import base64
import html
import math
import numbers
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

from .._version import __version__
from .tables import html_table

__all__ = ["RunInfo", "Section", "write_report"]


@dataclass
class Section:
    """One study's part of the report: what it asked and how, its findings, the files of
    its figures and tables (names inside ``folder``), caveats and ground-truth rows
    (``quantity, planted, estimate, low, high, criterion, recovered``).

    Example
    -------
    >>> Section("uses", "1. Uses", "What for?", "Counting.").tables
    []
    """

    key: str
    title: str
    question: str
    methods: str
    summary: list[str] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    caveats: list[str] = field(default_factory=list)
    truth: list[dict[str, Any]] = field(default_factory=list)
    folder: Path | None = None  # where its files are (default: <results folder>/<key>)


@dataclass(frozen=True)
class RunInfo:
    """What the report says of one run's data: its name, input files and seed.

    Example
    -------
    >>> RunInfo("bundled", ["posts.jsonl.gz"], 7).seed
    7
    """

    name: str
    inputs: Sequence[str]
    seed: int


_STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;
color:#1d2733;line-height:1.5}
h1{font-size:1.7em;border-bottom:3px solid #1f4e79;padding-bottom:.2em}h2{margin-top:2em;color:#1f4e79}
h3{margin-top:1.4em}table{border-collapse:collapse;font-size:.85em;margin:.6em 0}
td,th{border:1px solid #d0d7de;padding:.25em .5em;text-align:right}th{background:#f3f6f9}
td:first-child,th:first-child{text-align:left}img{max-width:100%;border:1px solid #eee;margin:.5em 0}
.note{background:#f6f8fa;border-left:4px solid #1f4e79;padding:.5em 1em}.bad{color:#a40000;font-weight:bold}
.ok{color:#116329}.caveat{color:#57606a}
"""


def _img(path: Path) -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f'<img alt="{html.escape(path.stem.replace("_", " "))}" src="data:image/png;base64,{data}">'


def _number(value: Any) -> str:
    """A count as an integer, any other number with three decimals."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return str(int(value))
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return f"{float(value):.3f}"
    return html.escape(str(value))


def _interval(row: dict[str, Any]) -> str:
    """``low–high`` with three decimals, or nothing when the estimate has no interval."""
    low, high = row.get("low"), row.get("high")
    if not all(isinstance(v, numbers.Real) and math.isfinite(v) for v in (low, high)):
        return ""
    return f"{float(low):.3f}–{float(high):.3f}"  # type: ignore[arg-type]


def _truth_table(rows: list[dict[str, Any]]) -> str:
    out = [
        "<table><tr><th>quantity</th><th>planted</th><th>estimate</th><th>interval</th><th>criterion</th>"
        "<th>recovered</th></tr>"
    ]
    for r in rows:
        flag = "<span class='ok'>yes</span>" if r["recovered"] else "<span class='bad'>NO</span>"
        out.append(
            f"<tr><td>{html.escape(str(r['quantity']))}</td><td>{_number(r['planted'])}</td>"
            f"<td>{_number(r['estimate'])}</td><td>{_interval(r)}</td>"
            f"<td>{html.escape(str(r['criterion']))}</td><td>{flag}</td></tr>"
        )
    out.append("</table>")
    return "".join(out)


def _section_html(sec: Section, folder: Path) -> list[str]:
    out = Path(sec.folder or folder / sec.key)
    parts = [
        f"<h2>{html.escape(sec.title)}</h2><p><b>Question.</b> {html.escape(sec.question)}</p>"
        f"<p><b>Method.</b> {html.escape(sec.methods)}</p>"
    ]
    if sec.summary:
        parts.append("<ul>" + "".join(f"<li>{html.escape(s)}</li>" for s in sec.summary) + "</ul>")
    for fig in sec.figures:
        parts.append(_img(out / fig))
    for name in sec.tables:
        if name == "ground_truth.csv":
            continue
        parts.append(f"<h3>{html.escape(name.removesuffix('.csv').replace('_', ' '))}</h3>" + html_table(out / name))
    if sec.caveats:
        parts.append("<p class='caveat'><b>Caveats.</b> " + " ".join(html.escape(c) for c in sec.caveats) + "</p>")
    return parts


def _run_html(info: RunInfo, folder: Path, sections: Sequence[Section], note: str | None) -> list[str]:
    parts = [
        f"<h2>Data: {html.escape(str(info.name))}</h2><p>Inputs: "
        + ", ".join(f"<code>{html.escape(Path(p).name)}</code>" for p in info.inputs)
        + f"; seed {info.seed}."
        + (f" {html.escape(note[:1].upper() + note[1:])}." if note else "")
        + "</p>"
    ]
    truth_rows: list[dict[str, Any]] = []
    for sec in sections:
        parts += _section_html(sec, folder)
        truth_rows += list(sec.truth)
    if truth_rows:
        ok = sum(bool(r["recovered"]) for r in truth_rows)
        parts.append(
            "<h2>Ground-truth check</h2><p>This corpus was generated by govsocial's generator, which "
            "planted the theme and the transparency of every post, the engagement effects and each agency's response "
            f"behaviour. {ok} of {len(truth_rows)} planted quantities are recovered by the criteria "
            "shown; any that are not are marked <span class='bad'>NO</span>, not hidden.</p>" + _truth_table(truth_rows)
        )
    return parts


_INTRO = (
    "<h1>How governments and citizens talk on social media</h1>",
    f"<p class='note'>Written by govsocial {__version__}. Every number comes from the tables next to this "
    "page (<code>results/&lt;experiment&gt;/*.csv</code>); each folder's <code>manifest.json</code> records "
    "the config, input hashes, package versions, seeds and timing. Quoted posts have e-mail addresses, phone, "
    "payment-card, Medicare and tax file numbers and street addresses replaced by placeholders such as "
    "&lt;PHONE&gt;, and in replies the name after an opening greeting (\u201cHi Terry,\u201d) replaced by "
    "&lt;NAME&gt; (govsocial.text.privacy); other names are not redacted, and citizens' @handles are shown as "
    "@user. Citizens' post ids and account ids are not shown (see each data section).</p>",
)


def write_report(
    path: str | Path, runs: Sequence[tuple[RunInfo, Path, Sequence[Section]]], notes: Mapping[str, str] | None = None
) -> Path:
    """Write the report for ``runs``: (what was run, results folder, :class:`Section` per
    study) per config. ``notes`` adds a line per run name to its data paragraph (e.g.
    what became of citizens' ids).

    Example
    -------
    >>> import tempfile, pathlib
    >>> write_report(pathlib.Path(tempfile.mkdtemp()) / "r.html", []).name
    'r.html'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    parts = [
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>govsocial report</title>"
        f"<style>{_STYLE}</style></head><body>",
        *_INTRO,
    ]
    if not runs:
        parts.append("<p>No experiment ran.</p>")
    for info, folder, sections in runs:
        parts += _run_html(info, Path(folder), sections, (notes or {}).get(info.name))
    parts.append(
        "<h2>References</h2><ul>"
        "<li>OECD (2014). Social Media Use by Governments. OECD Working Papers on Public Governance 26.</li>"
        "<li>DePaula, Dincelli &amp; Harrison (2018). Government Information Quarterly 35(1).</li>"
        "<li>Bonsón &amp; Ratkai (2013). Online Information Review 37(5); Bonsón, Royo &amp; Ratkai (2015). "
        "Government Information Quarterly 32(1).</li>"
        "<li>Yin &amp; Wang (2014). A Dirichlet multinomial mixture model-based approach for short text "
        "clustering. KDD.</li><li>Röder, Both &amp; Hinneburg (2015). Exploring the space of topic "
        "coherence measures. WSDM.</li><li>Kaplan &amp; Meier (1958). JASA 53(282).</li>"
        "<li>Hutto &amp; Gilbert (2014). VADER. ICWSM.</li></ul></body></html>"
    )
    path.write_text("\n".join(parts), encoding="utf-8")
    return path

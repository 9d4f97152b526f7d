"""Running configs into a results folder: check every config first, lock the results
folders, build each experiment in a temporary folder, write the report, and move it all
into place only when the whole run has completed (:mod:`govsocial.workflow.writer`).

Example
-------
>>> import tempfile, pathlib
>>> bad = pathlib.Path(tempfile.mkdtemp()) / "x.toml"
>>> _ = bad.write_text('name = "../../x"')
>>> run([bad])  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
govsocial.core.exceptions.InputError: .../x.toml, field 'name': '../../x' is not a plain name; ...
"""

from __future__ import annotations

import dataclasses
import json
import sys
import time
from pathlib import Path
from typing import Any, Callable, Sequence

from ..core.exceptions import InputError
from ..core.provenance import Manifest
from ..data.readers import expand_paths
from ..output.report import RunInfo, Section
from .config import Config, check_config, load_config
from .data import StudyData
from .files import write_study
from .pseudonyms import PseudonymKey, resolve_pseudonym_key
from .studies import STUDIES, Outputs, run_order
from .writer import ResultsWriter

__all__ = ["run"]


def _is_ours(path: Path) -> bool:
    """Whether a file no manifest lists was written by govsocial (so it may be replaced):
    the report, the manifest beside it, and a corpus summary of a version before manifests."""
    if path.name not in ("report.html", "manifest.json", "summary.json"):
        return False
    try:
        head = path.read_text(encoding="utf-8", errors="replace")[:2000]
    except OSError:
        return False
    if path.name == "report.html":
        return "<title>govsocial report</title>" in head
    if path.name == "summary.json":
        return path.parent.name == "corpus" and all(f'"{k}"' in head for k in ("read", "loaded", "by_account_type"))
    return '"experiment": "report"' in head


Plan = tuple[Config, Path, Path, PseudonymKey]


def _config(source: str | Path | Config | None, experiments: list[str] | None) -> Config:
    if isinstance(source, Config):
        return check_config(source if experiments is None else source.with_studies(experiments))
    return load_config(source, studies=experiments)


def _plan(
    configs: Sequence[str | Path | Config | None],
    results: str | Path | None,
    experiments: list[str] | None,
    flat: bool | None,
    key_file: str | Path | None,
    log: Callable[[str], None],
) -> list[Plan]:
    """Load and check every config before anything runs: (config, results root, its folder, pseudonym key)."""
    plans = []
    for source in configs:
        config = _config(source, experiments)
        if results is not None:
            config = config.with_results(results)
        try:  # glob patterns become the sorted files they match, so manifests hash each file
            paths = tuple(expand_paths(list(config.input.paths)))
        except InputError as exc:
            log(f"skipped config {config.name}: input {exc.source} matches no file")
            continue
        config = dataclasses.replace(config, input=dataclasses.replace(config.input, paths=paths))
        missing = [p for p in config.input.paths if not Path(p).exists()]
        if missing:
            log(f"skipped config {config.name}: input {missing[0]} not found")
            continue
        out_root = Path(config.output.folder)
        single = len(configs) == 1 and (source is None if flat is None else flat)
        key = resolve_pseudonym_key(key_file, config.output.pseudonym_key_file)
        plans.append((config, out_root, out_root if single else out_root / config.name, key))
    if not plans:
        raise InputError(
            "no config could run: every input was missing",
            hint="check the [input] paths, or run from the repository root",
        )
    return plans


def _inputs(config: Config) -> list[str]:
    """Every file the run reads: exports, registry, planted truth."""
    files = list(config.input.paths) + [p for p in [config.input.registry] if p]
    if config.input.truth:
        files += [str(Path(config.input.truth) / name) for name in ("truth.csv.gz", "effects.json")]
    return files


def _codebook_files(data: StudyData) -> dict[str, str]:
    """Codebook name -> its TOML file (packaged ones inside the installed package)."""
    from importlib import resources

    from ..analysis.themes import available_codebooks

    files = {}
    for entry in data.config.themes.codebooks:
        packaged = entry in available_codebooks() and not Path(entry).suffix
        path = resources.files("govsocial.analysis.themes") / "codebooks" / f"{entry}.toml" if packaged else Path(entry)
        files[data.codebook(entry).name] = str(path)
    return files


def _run_config(
    config: Config, folder: Path, writer: ResultsWriter, key: PseudonymKey, log: Callable[[str], None]
) -> list[Section]:
    """Read the data once, run the studies (each after those it uses) and write their files."""
    log(f"[{config.name}] reading {', '.join(Path(p).name for p in config.input.paths)}")
    data = StudyData.load(config, key, log=log)
    outputs: dict[str, Outputs] = {}
    sections: dict[str, Section] = {}
    for name in run_order(config.run.experiments):
        study, start = STUDIES[name], time.perf_counter()
        log(f"[{config.name}] {name} …")
        manifest = Manifest(
            experiment=name,
            config=config.as_dict(),
            seeds={"seed": config.seed},
            inputs=_inputs(config),
            codebooks=_codebook_files(data),
            privacy=key.describe(),
        )
        outputs[name] = study(data, config, **{u: outputs[u] for u in study.upstream if u in outputs})
        for warning in outputs[name].warnings:
            log(f"[{config.name}] warning: {warning}")
        sections[name] = write_study(
            study,
            outputs[name],
            writer.stage(folder / name),
            manifest,
            methods=study.methods_for(config),
            counts=data.counts(),
        )
        log(f"[{config.name}] {name} done in {time.perf_counter() - start:.1f} s")
        writer.check_interrupted()  # a Ctrl-C that Python could not raise inside the study
    return [sections[name] for name in config.run.experiments]


def _stage_extra(writer: ResultsWriter, root: Path, corpus_summary: dict[str, Any] | None) -> None:
    if corpus_summary is None:
        return
    staging = writer.stage(root / "corpus")
    (staging / "summary.json").write_text(json.dumps(corpus_summary, indent=1) + "\n", encoding="utf-8")
    Manifest(experiment="corpus", config={}).write(staging)


def run(
    configs: Sequence[str | Path | Config] | None = None,
    *,
    results: str | Path | None = None,
    experiments: list[str] | None = None,
    flat: bool | None = None,
    log: Callable[[str], None] | None = None,
    pseudonym_key_file: str | Path | None = None,
    corpus_summary: dict[str, Any] | None = None,
) -> Path:
    """Run the studies of each config — a TOML file or a :class:`~govsocial.workflow.config.Config`
    (the bundled corpus when none) — and write the report; returns the path of ``report.html``. Each config's outputs go to
    ``<results>/<config name>/<experiment>/`` — or straight to ``<results>/<experiment>/``
    for a single config when ``flat`` (the default for the bundled corpus).

    The results folders are locked for the run; every experiment is built in a temporary
    folder, and all of them, then ``report.html`` and its ``manifest.json``, are moved into
    place only when the whole run has completed — an interrupted or failed run leaves
    the last complete results as they were. ``pseudonym_key_file`` (else the config's
    ``[output] pseudonym_key_file``, else ``$GOVSOCIAL_PSEUDONYM_KEY``) keys the pseudonyms
    of citizens' post ids; without a key they are left out. ``corpus_summary`` is written
    to ``<results>/corpus/summary.json``.

    Example
    -------
    >>> run  # doctest: +ELLIPSIS
    <function run at ...>
    """
    from ..output.report import write_report

    log = log or (lambda message: print(message, file=sys.stderr, flush=True))
    plans = _plan(list(configs) if configs else [None], results, experiments, flat, pseudonym_key_file, log)
    root = plans[0][1]
    with ResultsWriter([root] + [p[1] for p in plans], log=log, is_ours=_is_ours) as writer:
        for config, _, folder, _ in plans:  # refuse before any work if a folder holds files govsocial did not write
            for name in config.run.experiments:
                writer.check_replaceable(folder / name)
        for name in ("report.html", "manifest.json"):
            writer.check_replaceable(root / name)
        _stage_extra(writer, root, corpus_summary)
        runs, notes = [], {}
        for config, _, folder, key in plans:
            runs.append((config, folder, _run_config(config, folder, writer, key, log)))
            notes[config.name] = key.describe()
        page = write_report(
            writer.stage_file(root / "report.html"),
            [(RunInfo(c.name, list(c.input.paths), c.seed), f, s) for c, f, s in runs],
            notes=notes,
        )
        report_manifest = Manifest(experiment="report", config={c.name: c.as_dict() for c, _, _ in runs})
        outputs: dict[str, str | Path] = {"report.html": page}
        for config, folder, sections in runs:
            for sec in sections:
                final = (folder / sec.key).resolve()
                rel = final.relative_to(root.resolve()).as_posix() if final.is_relative_to(root.resolve()) else final
                # every file of the study but its manifest (which holds wall times), so that
                # the report's manifest is the same for the same inputs and seed
                for file in sorted(sec.folder.iterdir()):  # type: ignore[union-attr]
                    if file.is_file() and file.name != "manifest.json":
                        outputs[f"{rel}/{file.name}"] = file
        report_manifest.write(root, outputs, path=writer.stage_file(root / "manifest.json"))
        writer.commit()
    return root / "report.html"

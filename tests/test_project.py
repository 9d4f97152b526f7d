"""Project contracts: layering, docs on every public verb, README and CI in step, offline."""

import ast
import importlib
import inspect
import re
from pathlib import Path

import pytest

from .conftest import ROOT

SRC = ROOT / "src" / "govsocial"

# module (first component under govsocial) -> layer; a module may import only lower layers,
# or modules of its own package folder.
LAYERS = {
    "exceptions": 0, "_version": 0,
    "schema": 1, "_validation": 1, "_bootstrap": 1, "provenance": 1,
    "accounts": 2,
    "io": 3, "synth": 3, "describe": 3,
    "privacy": 4,
    "text": 5,
    "dtm": 6,
    "models": 7,
    "evaluate": 8, "topics": 8,
    "selection": 9,
    "themes": 10, "engagement": 10, "conversation": 10,
    "perception": 11,
    "plotting": 12, "report": 12,
    "pipeline": 13, "cli": 14,
}


def _modules():
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC)
        if rel.name == "__init__.py" and len(rel.parts) == 1:
            continue
        yield path, rel.parts[0].removesuffix(".py")


def _imported(path: Path, top: str):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    depth = len(path.relative_to(SRC).parts) - 1
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                parts = list(path.relative_to(SRC).parts[:-1])
                up = node.level - 1
                base = parts[: len(parts) - up] if up else parts
                target = (base + (node.module.split(".") if node.module else []))
                if not target:  # "from . import x" at package top
                    target = [alias.name for alias in node.names][:1]
                yield target[0].removesuffix(".py")
            elif node.module and node.module.startswith("govsocial."):
                yield node.module.split(".")[1]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("govsocial."):
                    yield alias.name.split(".")[1]
    del depth


def test_every_module_has_a_layer():
    missing = sorted({top for _, top in _modules() if top not in LAYERS})
    assert not missing, f"add these modules to LAYERS (and docs/architecture.md): {missing}"


def test_dependencies_point_one_way():
    bad = []
    for path, top in _modules():
        for target in _imported(path, top):
            if target == top:
                continue
            if LAYERS.get(target, 99) >= LAYERS[top]:
                bad.append(f"{path.relative_to(SRC)} imports {target}")
    assert not bad, "imports that break the layering:\n" + "\n".join(bad)


PUBLIC_MODULES = ["govsocial.core.schema", "govsocial.data.accounts", "govsocial.data.readers", "govsocial.data.readers.twitter",
                  "govsocial.data.readers.mastodon", "govsocial.data.readers.tabular", "govsocial.data.synth", "govsocial.data.describe",
                  "govsocial.core.exceptions", "govsocial.core.validation", "govsocial.text.privacy", "govsocial.text",
                  "govsocial.text.tokenizer", "govsocial.text.hashtags", "govsocial.text.emoji",
                  "govsocial.text.stopwords", "govsocial.text.dedupe", "govsocial.text.batch", "govsocial.text.dtm",
                  "govsocial.topics.models", "govsocial.topics.models.base", "govsocial.topics.models.dmm", "govsocial.topics.models.nmf", "govsocial.topics.models.lda", "govsocial.topics.models.seeded", "govsocial.topics.evaluate", "govsocial.topics.tables",
                  "govsocial.topics.selection", "govsocial.output.plotting", "govsocial.analysis.themes", "govsocial.analysis.themes.codebook",
                  "govsocial.analysis.themes.cues", "govsocial.analysis.themes.scorer", "govsocial.analysis.themes.agreement",
                  "govsocial.analysis.themes.progress", "govsocial.analysis.themes.active", "govsocial.analysis.themes.expansion",
                  "govsocial.analysis.themes.weak",
                  "govsocial.analysis.engagement", "govsocial.analysis.conversation",
                  "govsocial.analysis.perception", "govsocial.core.provenance", "govsocial.output.report", "govsocial.workflow.pipeline"]


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_public_functions_have_docstrings_with_examples(name):
    module = importlib.import_module(name)
    missing = []
    for attr in getattr(module, "__all__", []):
        obj = getattr(module, attr)
        if inspect.isfunction(obj) or inspect.isclass(obj):
            doc = inspect.getdoc(obj) or ""
            if ">>>" not in doc:
                missing.append(attr)
    assert not missing, f"{name}: public names without a docstring example: {missing}"


def _quickstart():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```(?:bash|sh)?\n(.*?)\n```", section, flags=re.S)
    return [c.strip() for c in commands]


def test_readme_quickstart_has_exactly_two_commands_and_ci_runs_the_second_verbatim():
    commands = _quickstart()
    assert len(commands) == 2, commands
    assert all("\n" not in c for c in commands)
    assert "govsocial run" in commands[0]
    assert "pytest" in commands[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci.splitlines()


def test_nothing_downloads_or_reaches_the_network():
    pattern = re.compile(r"nltk\.download\(|urllib\.request|requests\.get\(|urlopen\(|socket\.")
    hits = [str(p.relative_to(ROOT)) for p in SRC.rglob("*.py") if pattern.search(p.read_text(encoding="utf-8"))]
    assert not hits


def test_import_has_no_side_effects():
    import subprocess
    import sys

    code = ("import logging, sys; import govsocial; "
            "assert not logging.getLogger().handlers; "
            "heavy = [m for m in ('pandas', 'sklearn', 'gensim', 'numba') if m in sys.modules]; "
            "assert not heavy, heavy")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_public_exports_resolve():
    import govsocial

    for name in govsocial.__all__:
        assert getattr(govsocial, name) is not None


def test_sources_compile_without_warnings():
    """Invalid escape sequences (e.g. a LaTeX \\alpha in a plain docstring) are bugs waiting to happen."""
    import warnings

    for path, _ in _modules():
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            compile(path.read_text(encoding="utf-8"), str(path), "exec")

"""Project contracts: layering, docs on every public verb, README and CI in step, offline."""

import ast
import importlib
import inspect
import re
from pathlib import Path

import pytest

from .conftest import ROOT

SRC = ROOT / "src" / "govsocial"


def _layers() -> dict[str, int]:
    """Package -> layer, read from the table in docs/architecture.md (the one statement of the order)."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\|\s*(\d+)\s*\|\s*`([\w.]+?)(?:/|\.py)?`\s*\|", text, flags=re.M)
    assert rows, "docs/architecture.md has no layer table"
    return {name: int(layer) for layer, name in rows}


LAYERS = _layers()
OUTSIDE = {"__init__", "_version"}  # the facade and the version string stand outside the layers


def _modules():
    """(path, dotted module under govsocial, top package) for every source file."""
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).with_suffix("")
        parts = list(rel.parts)
        yield path, ".".join(parts), parts[0]


def _package_of(path: Path) -> list[str]:
    rel = list(path.relative_to(SRC).parts)
    return rel[:-1]


def _imports(path: Path):
    """Every module this file imports (dotted under govsocial), at any depth of the syntax tree,
    with the imported names: module-level, lazy and private imports alike."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = _package_of(path)
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                yield ".".join(base + (node.module.split(".") if node.module else [])), [a.name for a in node.names]
            elif node.module and (node.module + ".").startswith("govsocial."):
                yield node.module.removeprefix("govsocial").lstrip("."), [a.name for a in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("govsocial."):
                    yield alias.name.removeprefix("govsocial."), []
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and str(node.args[0].value).startswith("govsocial.")
        ):
            yield str(node.args[0].value).removeprefix("govsocial."), []


def _is_module(dotted: str) -> bool:
    path = SRC.joinpath(*dotted.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def _targets(path: Path):
    """The modules a file depends on: ``from pkg import mod`` counts as importing ``pkg.mod``."""
    for module, names in _imports(path):
        subs = [f"{module}.{n}".lstrip(".") for n in names if _is_module(f"{module}.{n}".lstrip("."))]
        yield from subs or [module]


def test_every_package_has_a_layer():
    missing = sorted({top.removesuffix(".py") for _, _, top in _modules()} - set(LAYERS) - OUTSIDE)
    assert not missing, f"add these packages to the layer table of docs/architecture.md: {missing}"


def test_dependencies_point_one_way():
    bad = []
    for path, _, top in _modules():
        if top in OUTSIDE:
            continue
        for target in _targets(path):
            other = target.split(".")[0]
            if other in OUTSIDE or other == top or other == "":
                continue
            if LAYERS.get(other, 99) >= LAYERS[top]:
                bad.append(
                    f"{path.relative_to(SRC)} imports govsocial.{target} (layer {LAYERS.get(other)} >= {LAYERS[top]})"
                )
    assert not bad, "imports that break the layering:\n" + "\n".join(bad)


def test_no_module_imports_its_own_package_face():
    """A package's __init__ is its public face for the layers above; its own modules import
    each other directly, never the face (that hides a cycle: base -> __init__ -> base)."""
    bad = []
    for path, module, _ in _modules():
        if path.name == "__init__.py":
            continue
        parts = module.split(".")
        own = {".".join(parts[:i]) for i in range(1, len(parts))}
        for target in _targets(path):
            if target in own:
                bad.append(f"{path.relative_to(SRC)} imports its package face govsocial.{target}")
    assert not bad, "\n".join(bad)


def test_no_module_reaches_into_another_packages_private_modules():
    bad = []
    for path, module, top in _modules():
        for target in _targets(path):
            parts = target.split(".")
            private = [i for i, part in enumerate(parts) if part.startswith("_") and part not in ("__init__",)]
            if private and parts[: private[0]] != module.split(".")[: private[0]]:
                bad.append(f"{path.relative_to(SRC)} imports the private govsocial.{target}")
    assert not bad, "\n".join(bad)


PUBLIC_MODULES = sorted(
    "govsocial." + module.removesuffix(".__init__")
    for _, module, _ in _modules()
    if not any(part.startswith("_") for part in module.removesuffix(".__init__").split(".")) and module != "__init__"
)


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

    code = (
        "import logging, sys; import govsocial; "
        "assert not logging.getLogger().handlers; "
        "heavy = [m for m in ('pandas', 'sklearn', 'gensim', 'numba') if m in sys.modules]; "
        "assert not heavy, heavy"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_public_exports_resolve():
    import govsocial

    for name in govsocial.__all__:
        assert getattr(govsocial, name) is not None


def test_sources_compile_without_warnings():
    """Invalid escape sequences (e.g. a LaTeX \\alpha in a plain docstring) are bugs waiting to happen."""
    import warnings

    for path, _, _ in _modules():
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            compile(path.read_text(encoding="utf-8"), str(path), "exec")


def _function_lengths(tree):
    """(name, lines of code after its docstring) of every function in a parsed module."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            first = node.body[0]
            has_doc = (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            )
            start = first.end_lineno + 1 if has_doc and len(node.body) > 1 else node.lineno
            yield node.name, node.end_lineno - start + 1


def test_modules_and_functions_stay_small():
    """No module over 400 lines and no function over 60 lines of code (issue 11's bound),
    counted from the source files themselves."""
    too_long, long_functions = [], []
    for path in sorted(SRC.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > 400:
            too_long.append(f"{path.relative_to(SRC)} ({text.count(chr(10))} lines)")
        long_functions += [
            f"{path.relative_to(SRC)}:{name} ({n} lines)" for name, n in _function_lengths(ast.parse(text)) if n > 60
        ]
    assert not too_long, f"modules over 400 lines: {too_long}; split them by responsibility"
    assert not long_functions, f"functions over 60 lines: {long_functions}; split them"


def test_ci_minimum_versions_are_the_floors_of_pyproject():
    """.ci/run tests the oldest versions pyproject.toml allows: each pin in .ci/minimum.txt
    must be the release its floor names (same major.minor), and every dependency pinned."""
    import tomllib

    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    floors = {}
    for dep in deps:
        name, _, floor = dep.partition(">=")
        floors[name.strip().lower()] = floor.strip()
    pins = {}
    for line in (ROOT / ".ci" / "minimum.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, _, version = line.partition("==")
            pins[name.strip().lower()] = version.strip()
    assert set(pins) == set(floors), f"pinned {sorted(set(pins) ^ set(floors))} differ from pyproject's dependencies"
    for name, floor in floors.items():
        assert pins[name].split(".")[: len(floor.split("."))] == floor.split("."), (
            f"{name}: .ci/minimum.txt pins {pins[name]}, pyproject's floor is {floor}"
        )

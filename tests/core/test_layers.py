"""The import layers of the package (README, "Import layers"): a module imports only from its
own layer or the layers below, and the light layers never load spaCy."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "flashpoint"

# Top to bottom; a module may import from its own line and every line below it.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("cli", "__main__"),
    ("web",),
    ("report", "ingest", "evaluation"),
    ("analysis",),
    ("pipeline",),
    ("stages", "inputs", "store", "models", "importers"),
    ("draft", "records", "settings", "errors", "resources", "_version", "__init__"),
)
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}


def _unit(module: str) -> str:
    """The layer unit of ``flashpoint.x.y`` is ``x``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py"))


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ["flashpoint", *path.relative_to(PACKAGE).parent.parts]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level > 0:  # relative: checked like the rest
            base = package[: len(package) - node.level + 1]
            found.append((node.lineno, ".".join([*base, *([node.module] if node.module else [])])))
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "flashpoint":  # from flashpoint import x: x is the unit
                found.extend((node.lineno, f"flashpoint.{a.name}") for a in node.names)
            elif node.module.startswith("flashpoint."):
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, a.name) for a in node.names if a.name.startswith("flashpoint."))
    return found


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_go_down_the_layers(path: Path) -> None:
    rel = path.relative_to(PACKAGE)
    unit = rel.parts[0].removesuffix(".py") if len(rel.parts) > 1 else rel.stem
    if rel.name == "__init__.py" and len(rel.parts) == 1:
        return  # the package's own __init__ re-exports the public API (the pipeline lazily)
    assert unit in RANK, f"{rel}: unit {unit!r} is in no layer; add it to LAYERS and the README"
    for line, module in _imports(path):
        target = _unit(module)
        if target == unit:
            continue
        assert target in RANK, f"{rel}:{line}: imports {module}, whose unit is in no layer"
        assert RANK[target] >= RANK[unit], (
            f"{rel}:{line} imports {module}: {unit!r} may not import from the layer above it ({target!r})"
        )


@pytest.mark.parametrize("module", ["flashpoint", "flashpoint.store", "flashpoint.store.query",
                                    "flashpoint.analysis.incidents", "flashpoint.records"])
def test_light_modules_do_not_load_spacy(module: str) -> None:
    code = f"import sys, {module}; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False", f"import {module} loads spaCy"


def test_no_module_is_over_800_lines() -> None:
    long = {str(p.relative_to(PACKAGE)): n for p in _modules()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 800}
    assert not long, f"split these modules: {long}"

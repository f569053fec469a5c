"""The package is layered: a module imports only its own layer and the layers below it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "india_russia_relations"
LAYERS = ["schema", "io", "checks", "reports", "publish"]
"""Lowest first; the base modules errors and problems may be imported by any layer."""
BASE = {"errors", "problems"}


def _imported(path: Path) -> set[str]:
    """The first component below the package of each package-internal import in ``path``."""
    package = path.relative_to(SRC).parts[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = list(package[: len(package) - node.level + 1])
            parts = base + (node.module.split(".") if node.module else [])
            if parts:
                found.add(parts[0])
            else:
                found.update(alias.name for alias in node.names)
    return found


@pytest.mark.parametrize("layer", LAYERS)
def test_a_layer_imports_only_itself_the_layers_below_and_the_base(layer: str) -> None:
    allowed = set(LAYERS[: LAYERS.index(layer) + 1]) | BASE
    for path in sorted((SRC / layer).glob("**/*.py")):
        assert _imported(path) <= allowed, (path.name, _imported(path) - allowed)


def test_the_base_modules_import_nothing_of_the_package() -> None:
    for name in BASE:
        assert _imported(SRC / f"{name}.py") == set(), name

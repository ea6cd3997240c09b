"""The package's floor plan, read from its source with ast: layers that say what they hold.

These hold today; issue 12 point 4 also asks for no import cycle and no module over
400 lines, which are not met yet (see CONTRIBUTING, "Where the renderer lives").
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.helpers import REPO

PACKAGE = REPO / "evidence"
LAYERS = {"core", "content", "bib", "load", "cache", "editions", "render", "pages", "cli", "mkdocs"}
LAYERS.add("sitekit")  # `evidence init`: the skeleton of a new site


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        parts = list(path.relative_to(REPO).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imported(path: Path) -> set[str]:
    """Top-level names of every module `path` imports, at any depth (function-level too)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}: relative import (use absolute evidence.x.y paths)"
            names.add(node.module or "")
    return names


def test_every_module_sits_in_a_layer() -> None:
    top = {name for name in modules() if name.count(".") == 1}
    assert top - {f"evidence.{layer}" for layer in LAYERS} == {"evidence.__main__"}


def test_only_the_mkdocs_layer_imports_mkdocs() -> None:
    outside = {
        name
        for name, path in modules().items()
        if not name.startswith("evidence.mkdocs")
        and any(m == "mkdocs" or m.startswith("mkdocs.") for m in imported(path))
    }
    assert outside == set()


def test_dead_code_is_gone() -> None:
    problems = (PACKAGE / "core" / "problems.py").read_text(encoding="utf-8")
    assert "ContentError" not in problems and "def errors_in" not in problems
    assert "def reference(" not in (PACKAGE / "load" / "corpus.py").read_text(encoding="utf-8")

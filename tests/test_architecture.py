"""The package's floor plan, read from its source with ast: layers that say what they hold.

Issue 12 point 4: every module in a layer, no import cycle (function-level imports
count), no module over 400 lines, one class per name.
"""

from __future__ import annotations

import ast
from pathlib import Path

from helpers import REPO

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


def runtime_imports(path: Path, known: set[str]) -> set[str]:
    """The package modules `path` imports when it runs, at any depth, TYPE_CHECKING blocks excluded."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for stmt in node.body
        for inner in ast.walk(stmt)
    }
    names = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}  # `from pkg import mod`
    found = set()
    for name in names:
        while name and name not in known:
            name = name.rpartition(".")[0]
        if name and name != "evidence":
            found.add(name)
    return found


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, edges = work[-1]
            step = next(edges, None)
            if step is not None:
                if step not in index:
                    index[step] = low[step] = len(index)
                    stack.append(step)
                    on_stack.add(step)
                    work.append((step, iter(sorted(graph[step]))))
                elif step in on_stack:
                    low[node] = min(low[node], index[step])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return groups


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert import_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycle() -> None:
    """Function-level imports count: a cycle hidden in a function is still a cycle."""
    found = modules()
    graph = {name: runtime_imports(path, set(found)) - {name} for name, path in found.items()}
    assert import_cycles(graph) == []


MAX_LINES = 400


def test_no_module_over_400_lines() -> None:
    long = {
        name: lines
        for name, path in modules().items()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_no_two_classes_share_a_name() -> None:
    """One name, one meaning: 'Cite this page' is `PageCitation`, a numbered citation `Citation`."""
    seen: dict[str, list[str]] = {}
    for name, path in modules().items():
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                seen.setdefault(node.name, []).append(name)
    assert {cls: where for cls, where in seen.items() if len(where) > 1} == {}

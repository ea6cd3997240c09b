"""The package's floor plan, read from its source with ast: layers that say what they hold.

Issue 12 point 4: every module in a layer, no import cycle, no module over 400 lines, one
class per name. Issue 25 item 2: every import counts, those under TYPE_CHECKING and inside
functions too (a circle hidden behind either is still a circle), and no layer imports one
above it; the checks are themselves tested on graphs that must fail them.
"""

from __future__ import annotations

import ast
from pathlib import Path

from helpers import REPO

PACKAGE = REPO / "evidence"
#: The layers, lowest first: a module may import its own layer and those before it, never one after.
LAYERS = (
    "core",
    "content",
    "bib",
    "load",
    "cache",
    "editions",
    "render",
    "pages",
    "sitekit",  # `evidence init`: the skeleton of a new site (the cli runs it)
    "cli",
    "mkdocs",  # the engine adapter: the only layer that touches MkDocs objects
)


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


def package_imports(path: Path, known: set[str]) -> set[str]:
    """Every package module `path` names in an import: at module level, inside functions and
    under `if TYPE_CHECKING:` alike (a type a module names is a dependency of its meaning)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
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


def import_graph() -> dict[str, set[str]]:
    found = modules()
    return {name: package_imports(path, set(found)) - {name} for name, path in found.items()}


def layer_of(module: str) -> int | None:
    """The position in LAYERS of `evidence.<layer>...`; None for the package and `__main__`."""
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else None


def upward_imports(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    """Each (importer, imported) where the imported module sits in a higher layer."""
    found = []
    for name, targets in sorted(graph.items()):
        low = layer_of(name)
        for target in sorted(targets):
            high = layer_of(target)
            if low is not None and high is not None and high > low:
                found.append((name, target))
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert import_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert import_cycles({"a": {"b"}, "b": set(), "c": {"a"}}) == []


def test_an_import_under_type_checking_or_in_a_function_counts(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from evidence.load.corpusdata import Corpus\n"
        "def f():\n    from evidence.render import findings\n",
        encoding="utf-8",
    )
    known = {"evidence.load.corpusdata", "evidence.render", "evidence.render.findings"}
    assert package_imports(module, known) == set(known)


def test_the_layer_check_finds_an_upward_import() -> None:
    graph = {
        "evidence.render.findings": {"evidence.pages.placement", "evidence.load.corpusdata"},
        "evidence.pages.placement": {"evidence.load.corpusdata"},
        "evidence.load.corpusdata": set(),
    }
    assert upward_imports(graph) == [("evidence.render.findings", "evidence.pages.placement")]


def test_no_import_cycle() -> None:
    """Every import counts: a cycle hidden in a function or behind TYPE_CHECKING is still a cycle."""
    assert import_cycles(import_graph()) == []


def test_no_layer_imports_a_higher_one() -> None:
    """core → content → bib → load → cache → editions → render → pages → sitekit → cli → mkdocs."""
    assert upward_imports(import_graph()) == []


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

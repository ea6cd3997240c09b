"""No build state in module globals: two projects built in one process see only their own.

Builds run in this process (mkdocs' own `build` on each project's loaded config), so a
memo kept in a module global would carry one project's claims into the other's site.
"""

from __future__ import annotations

import ast
import json
import os
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import REPO, claim_data, mini_project
from mkdocs.commands.build import build
from mkdocs.config import load_config

PACKAGE = REPO / "evidence"
#: the methods that change a dict, list or set in place
MUTATORS = {"append", "add", "update", "setdefault", "clear", "pop", "popitem", "extend", "insert", "remove"}
MUTATORS |= {"discard", "sort", "reverse", "__setitem__", "__delitem__"}
#: Module-level mutable names a function may change, each with why it is not build state.
ALLOWED: dict[str, str] = {}


def _build_in_process(root: Path) -> None:
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site"), strict=True)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()


def _statement(root: Path) -> str:
    html = (root / "site" / "claims" / "example-claim" / "index.html").read_text("utf-8")
    return BeautifulSoup(html, "html.parser").get_text(" ")


@pytest.mark.slow
def test_two_projects_built_in_one_process_each_show_only_their_own_claim(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    texts = {"one": "Walking daily eased the pain of the first site.", "two": "Yoga eased the second site."}
    roots = {}
    for name, statement in texts.items():
        (tmp_path / name).mkdir()
        roots[name] = mini_project(tmp_path / name, [claim_data(statement=statement)]).root
    for name in ("one", "two", "one", "two"):  # interleaved, twice: the second builds reuse caches
        monkeypatch.chdir(roots[name])
        _build_in_process(roots[name])
        page = _statement(roots[name])
        other = next(text for key, text in texts.items() if key != name)
        assert texts[name] in page and other not in page, name
        claims = json.loads((roots[name] / "site" / "data" / "claims.json").read_text("utf-8"))
        assert [c["statement"] for c in claims] == [texts[name]], name
    assert os.path.isdir(roots["one"] / ".cache" / "evidence")  # the cache was on, and used


def _module_mutables(tree: ast.Module) -> set[str]:
    """Names bound at module level to a dict, list or set (a literal, a comprehension or a call)."""
    kinds = {"dict", "list", "set", "defaultdict", "OrderedDict", "Counter", "deque"}
    found = set()
    for node in tree.body:
        targets: list[ast.expr] = []
        value: ast.expr | None = None
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        mutable = isinstance(value, ast.Dict | ast.List | ast.Set | ast.DictComp | ast.ListComp | ast.SetComp)
        if isinstance(value, ast.Call):
            func = value.func
            name = (
                func.id
                if isinstance(func, ast.Name)
                else func.attr
                if isinstance(func, ast.Attribute)
                else ""
            )
            mutable = name in kinds
        if mutable:
            found |= {t.id for t in targets if isinstance(t, ast.Name)}
    return found


def _mutations(tree: ast.Module, names: set[str]) -> list[tuple[str, int]]:
    """Where a function changes one of `names`: item assignment, a mutating method, `global`."""
    hits = []
    for func in ast.walk(tree):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        for node in ast.walk(func):
            if isinstance(node, ast.Global):
                hits += [(name, node.lineno) for name in node.names]
            elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store | ast.Del):
                if isinstance(node.value, ast.Name) and node.value.id in names:
                    hits.append((node.value.id, node.lineno))
            elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
                if node.target.id in names:
                    hits.append((node.target.id, node.lineno))
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                owner = node.func.value
                if isinstance(owner, ast.Name) and owner.id in names and node.func.attr in MUTATORS:
                    hits.append((owner.id, node.lineno))
    return hits


def test_no_function_changes_a_module_level_dict_list_or_set() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        for name, line in _mutations(tree, _module_mutables(tree)):
            if name not in ALLOWED:
                found.append(f"{path.relative_to(REPO)}:{line}: {name}")
    assert found == [], "build state in a module global (pass a memo object instead):\n" + "\n".join(found)


def test_the_global_state_rule_sees_each_kind_of_mutation() -> None:
    """The rule above can fail: each way of changing a module global is caught."""
    source = (
        "A = {}\nB: list[int] = []\nC = set()\nD = defaultdict(list)\nE = ()\n"
        "def f():\n    A['k'] = 1\n    B.append(1)\n    C.add(1)\n    D.setdefault(1, [])\n"
        "def g():\n    global E\n    E = (1,)\n"
    )
    tree = ast.parse(source)
    assert _module_mutables(tree) == {"A", "B", "C", "D"}
    assert sorted(_mutations(tree, _module_mutables(tree))) == [
        ("A", 7),
        ("B", 8),
        ("C", 9),
        ("D", 10),
        ("E", 12),
    ]

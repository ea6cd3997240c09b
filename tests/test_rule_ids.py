"""Every rule id declared once, by the module that emits it, and named in CONTRIBUTING.

Issue 12, the layout's last point: a contributor who sees `[bib-key]` finds its module in
CONTRIBUTING's "Where rules live" table, and that module's `RULES` lists it. The ids a
module passes to `error(`, `warning(`, `Problem(`, `YamlProblem(` (and any helper with a
`rule` parameter) are read from its source with ast, so an id added without its
declaration fails here.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from collections import Counter
from functools import cache
from pathlib import Path

from helpers import REPO

import evidence

PACKAGE = REPO / "evidence"
#: What a rule id looks like: lowercase words joined by hyphens (`bib-key`, `yaml-too-large`).
RULE_ID = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)+")
EXPECTED = sorted((REPO / "tests/bad_inputs/negative").glob("*/expected.txt"))


@cache
def declared() -> dict[str, frozenset[str]]:
    """Module name → its RULES, for every module under evidence/ that declares one."""
    found = {}
    for info in pkgutil.walk_packages(evidence.__path__, "evidence."):
        if info.name.endswith("__main__"):  # runs the CLI when imported
            continue
        rules = getattr(importlib.import_module(info.name), "RULES", None)
        if rules is not None:
            found[info.name] = frozenset(rules)
    return found


def module_path(name: str) -> Path:
    path = REPO / Path(*name.split("."))
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def rule_position(args: ast.arguments) -> int | None:
    positional = [a.arg for a in [*args.posonlyargs, *args.args] if a.arg not in {"self", "cls"}]
    return positional.index("rule") if "rule" in positional else None


@cache
def rule_takers() -> dict[str, set[int]]:
    """Name → positions of its `rule` argument, for every function, class or dataclass in
    evidence/ that takes one: the constructors in core/problems.py and the helpers that
    wrap them (yamlsafe's `_refuse`, …), found rather than listed."""
    takers: dict[str, set[int]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            position = None
            if isinstance(node, ast.FunctionDef) and node.name != "__init__":
                position = rule_position(node.args)
            elif isinstance(node, ast.ClassDef):
                init = [n for n in node.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"]
                fields = [
                    n.target.id
                    for n in node.body
                    if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)
                ]
                if init:
                    position = rule_position(init[0].args)
                elif "rule" in fields:  # a dataclass: its fields are its arguments
                    position = fields.index("rule")
            if position is not None:
                takers.setdefault(node.name, set()).add(position)
    return takers


def emitted(source: str) -> list[str]:
    """Every rule-id-like string literal passed as the `rule` of a problem in `source`."""
    takers = rule_takers()
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name not in takers:
            continue
        args = [node.args[i] for i in sorted(takers[name]) if i < len(node.args)]
        args += [k.value for k in node.keywords if k.arg == "rule"]
        for arg in args:
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and RULE_ID.fullmatch(arg.value):
                found.append(arg.value)
    return found


def undeclared(source: str, rules: frozenset[str]) -> list[str]:
    return [rule for rule in emitted(source) if rule not in rules]


def rules_table() -> list[tuple[set[str], list[str]]]:
    """CONTRIBUTING's "Where rules live" rows: (the modules named, the ids or `prefix-*`)."""
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = text.split("### Where rules live", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = line.strip().strip("|").split("|")
        if not line.startswith("|") or len(cells) != 3 or cells[1].strip() in {"Module", "---"}:
            continue
        modules = set(re.findall(r"`(evidence/[\w/]+\.py)`", cells[1]))
        rows.append((modules, re.findall(r"`([a-z0-9*-]+)`", cells[2])))
    return rows


def matches(rule: str, pattern: str) -> bool:
    return rule.startswith(pattern[:-1]) if pattern.endswith("*") else rule == pattern


def test_the_scan_finds_the_problem_constructors_and_every_module_with_rules() -> None:
    assert {"error", "warning", "Problem", "YamlProblem", "_refuse"} <= rule_takers().keys()
    assert {"evidence.content.yamlsafe", "evidence.load.loader", "evidence.bib.library"} <= declared().keys()
    assert len(declared()) >= 20


def test_no_rule_id_is_declared_by_two_modules() -> None:
    counts = Counter(rule for rules in declared().values() for rule in rules)
    owners = {r: [m for m, rules in declared().items() if r in rules] for r, n in counts.items() if n > 1}
    assert owners == {}


def test_every_declared_id_looks_like_a_rule_id() -> None:
    bad = {m: sorted(r for r in rules if not RULE_ID.fullmatch(r)) for m, rules in declared().items()}
    assert {m: r for m, r in bad.items() if r} == {}


def test_every_literal_rule_a_module_passes_is_in_its_rules() -> None:
    missing = {}
    total = 0
    for path in sorted(PACKAGE.rglob("*.py")):
        name = ".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
        source = path.read_text(encoding="utf-8")
        total += len(emitted(source))
        if bad := undeclared(source, declared().get(name, frozenset())):
            missing[name] = bad
    assert missing == {}
    assert total >= 70  # the scan reads the real calls (76 today), not none


def test_an_undeclared_literal_rule_is_caught() -> None:
    source = (
        "from evidence.core.problems import error, Problem, Severity\n"
        'RULES = frozenset({"demo-declared"})\n'
        "def check(path):\n"
        '    yield error(path, 1, 1, "fine", "demo-declared", "hint")\n'
        '    yield error(path, 1, 1, "forgotten", rule="demo-forgotten")\n'
        '    yield Problem(path, 1, 1, Severity.error, "made by hand", "demo-by-hand")\n'
        '    raise yamlsafe.YamlProblem("bad", 1, 1, "demo-yaml")\n'
    )
    assert sorted(undeclared(source, frozenset({"demo-declared"}))) == [
        "demo-by-hand",
        "demo-forgotten",
        "demo-yaml",
    ]


def test_every_id_the_bad_inputs_expect_is_declared() -> None:
    every = set().union(*declared().values())
    expected = {
        rule
        for path in EXPECTED
        for rule in re.findall(r"\[([a-z0-9-]+)\]$", path.read_text(encoding="utf-8"), re.MULTILINE)
    }
    assert len(expected) >= 40
    assert sorted(expected - every) == []


def test_contributing_names_every_module_that_declares_rules() -> None:
    named = set().union(*(modules for modules, _ in rules_table()))
    declaring = {module_path(m).relative_to(REPO).as_posix() for m in declared()}
    assert sorted(declaring - named) == []  # a module with rules the table does not name
    assert sorted(named - declaring) == []  # a module the table names that declares none


def test_contributing_lists_each_module_ids_in_its_own_row() -> None:
    wrong = []
    for modules, patterns in rules_table():
        rules = set().union(
            *(declared().get(".".join(Path(m).with_suffix("").parts), frozenset()) for m in modules)
        )
        wrong += [(sorted(modules), r) for r in sorted(rules) if not any(matches(r, p) for p in patterns)]
        wrong += [(sorted(modules), p) for p in patterns if not any(matches(r, p) for r in rules)]
    assert wrong == []

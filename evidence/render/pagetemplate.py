"""A docs/*.md page may call our macros with literal arguments, and nothing else of Jinja.

mkdocs-macros renders every page with a plain (unsandboxed) Jinja environment that
exposes `config`, `environment` and Python objects, so a page in a pull request could run
code or print secrets during the build. Each page is parsed with Jinja's own parser
(`Environment.parse`, nothing rendered) and any statement, attribute or item access,
filter, test or name that is not one of our macros is refused, with its line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Final

from jinja2 import Environment, TemplateSyntaxError, nodes

from evidence.content import siteconfig
from evidence.core.problems import Problem, error

#: The macros a page may call (macros/__init__.py) and how many arguments each takes.
#: Every rule id this module reports (CONTRIBUTING.md, "Where rules live").
RULES: Final = frozenset(
    {
        "page-template-argument",
        "page-template-attribute",
        "page-template-expression",
        "page-template-filter",
        "page-template-item",
        "page-template-name",
        "page-template-statement",
        "page-template-syntax",
        "page-template-test",
    }
)

MACROS = {
    "claim": 1,
    "claims": 1,
    "findings": 1,
    "evidence_map": 0,
    "cite": 1,
    "claims_table": 0,
    "bibliography": 0,
    "downloads": 0,
}
_HINT = (
    'pages may only call the site\'s macros with quoted arguments, e.g. {{ claim("some-id") }} '
    'or {{ cite("key") }}; write literal braces as {{ "{{" }}'
)
#: How a page author wrote the statement Jinja parsed (its node class name otherwise).
_KEYWORDS = {
    "Assign": "set",
    "AssignBlock": "set",
    "FromImport": "from … import",
    "CallBlock": "call",
    "FilterBlock": "filter",
    "ExprStmt": "do",
    "Scope": "with",
}
_PARSER = Environment(autoescape=False)  # never renders: only `parse`


def docs_dir(root: Path) -> Path:
    """mkdocs.yml's docs_dir (default docs), as the build reads pages from it."""
    value = siteconfig.mkdocs_config(root).get("docs_dir")
    return root / (value if isinstance(value, str) and value else "docs")


class _Columns:
    """Where each `{{` or `{%` of a line starts, handed out in source order (Jinja's nodes
    carry only a line)."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.used: dict[int, int] = {}

    def next(self, lineno: int) -> int:
        line = self.lines[lineno - 1] if 0 < lineno <= len(self.lines) else ""
        starts = [m.start() + 1 for m in re.finditer(r"\{[{%]", line)]
        index = self.used.get(lineno, 0)
        self.used[lineno] = index + 1
        return starts[index] if index < len(starts) else (starts[0] if starts else 1)


def _refusal(expr: nodes.Node) -> tuple[str, str] | None:
    """(message, rule) for an expression a page may not print; None if it is allowed."""
    if isinstance(expr, nodes.Const) and isinstance(expr.value, str):
        return None
    if isinstance(expr, nodes.Call) and isinstance(expr.node, nodes.Name):
        name = expr.node.name
        if name not in MACROS:
            return f"calls '{name}', which is not one of the site's macros", "page-template-name"
        if expr.kwargs or expr.dyn_args is not None or expr.dyn_kwargs is not None:
            return f"{name}() takes only quoted arguments, no keywords or *args", "page-template-argument"
        if len(expr.args) != MACROS[name]:
            wanted = MACROS[name]
            return f"{name}() takes {wanted} argument(s), not {len(expr.args)}", "page-template-argument"
        for arg in expr.args:
            if not (isinstance(arg, nodes.Const) and isinstance(arg.value, str | int | float)):
                return f"{name}() takes only quoted text or numbers as arguments", "page-template-argument"
        return None
    kinds = (nodes.Getattr, nodes.Getitem, nodes.Filter, nodes.Test)
    for node in [expr, *expr.find_all(kinds)]:
        if not isinstance(node, kinds):
            continue
        if isinstance(node, nodes.Getattr):
            return f"reads the attribute '.{node.attr}'", "page-template-attribute"
        if isinstance(node, nodes.Getitem):
            return "reads an item with [...]", "page-template-item"
        if isinstance(node, nodes.Filter):
            return f"applies the filter '|{node.name}'", "page-template-filter"
        return f"applies the test 'is {node.name}'", "page-template-test"  # type: ignore[attr-defined]
    if isinstance(expr, nodes.Name):
        return f"reads the variable '{expr.name}'", "page-template-name"
    if isinstance(expr, nodes.Call):
        return "calls something that is not one of the site's macros", "page-template-name"
    return f"computes an expression ({type(expr).__name__})", "page-template-expression"


def _problems(body: list[nodes.Node], path: str, lines: list[str]) -> Iterator[Problem]:
    columns = _Columns(lines)
    for stmt in body:
        if not isinstance(stmt, nodes.Output):
            keyword = _KEYWORDS.get(type(stmt).__name__, type(stmt).__name__.lower())
            yield error(
                path,
                stmt.lineno,
                columns.next(stmt.lineno),
                f"template statement {{% {keyword} %}} is not allowed in a page",
                "page-template-statement",
                _HINT,
            )
            continue
        for expr in stmt.nodes:
            if isinstance(expr, nodes.TemplateData):
                continue
            where = (expr.lineno, columns.next(expr.lineno))
            refused = _refusal(expr)
            if refused is not None:
                message, rule = refused
                yield error(path, *where, f"{{{{ … }}}} {message}", rule, _HINT)


def check_page(text: str, path: str) -> list[Problem]:
    """Every template construct in one page's source (front matter included) that is refused."""
    lines = text.splitlines()
    try:
        tree = _PARSER.parse(text)
    except TemplateSyntaxError as exc:
        lineno = exc.lineno or 1
        return [
            error(
                path,
                lineno,
                _Columns(lines).next(lineno),
                f"template syntax error: {exc.message}",
                "page-template-syntax",
                _HINT,
            )
        ]
    return list(_problems(tree.body, path, lines))


def check_docs(root: Path) -> list[Problem]:
    """`check_page` for every Markdown page under docs_dir (paths relative to the project)."""
    folder = docs_dir(root)
    problems: list[Problem] = []
    for md in sorted(folder.rglob("*.md")) if folder.is_dir() else ():
        try:
            text = md.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # MkDocs reports an unreadable page itself
        problems += check_page(text, md.relative_to(root).as_posix())
    return problems

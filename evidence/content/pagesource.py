"""A hand-written page, read once: its front matter as data, its body as text and macro calls.

The one reading of docs/*.md that both `evidence check` and the build use, so what the
check passes is by construction what is rendered. Like Hugo's shortcodes: a page may call
only the site's registered macros, by name, with literal arguments; the body is parsed
with Jinja's parser (nothing is ever rendered as a template), and the front matter is read
by our strict YAML reader into a short list of typed keys. No other program (MkDocs'
front-matter reader, mkdocs-macros) reads a page's text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from jinja2 import TemplateSyntaxError, nodes
from jinja2.sandbox import SandboxedEnvironment

from evidence.content import pagedepth, yamlsafe
from evidence.core.problems import Problem, error

#: Every rule id this module reports (CONTRIBUTING.md, "Where rules live").
RULES: Final = frozenset(
    {
        "page-front-matter",
        "page-front-matter-key",
        "page-front-matter-value",
        "page-macro-in-heading",
        "page-template-argument",
        "page-template-attribute",
        "page-template-expression",
        "page-template-filter",
        "page-template-item",
        "page-template-name",
        "page-template-statement",
        "page-template-syntax",
        "page-template-test",
        "page-template-too-deep",  # Python's stack ran out all the same (a last resort)
    }
)

#: The macros a page may call and how many arguments each takes (their code is in
#: evidence/pages/macros.py; a site's macros/__init__.py chooses which it registers).
MACROS: Final = {
    "claim": 1,
    "claims": 1,
    "findings": 1,
    "evidence_map": 0,
    "cite": 1,
    "claims_table": 0,
    "bibliography": 0,
    "downloads": 0,
    "red_flags": 0,
}
#: Macros whose HTML is inline (a citation): the only ones a heading may hold.
INLINE_MACROS: Final = frozenset({"cite"})
#: Front-matter keys a page may set, and what each must be. Everything a theme prints is
#: plain text, escaped by the engine adapter before the theme sees it.
HIDE_VALUES: Final = ("navigation", "toc", "footer", "path")
STATUS_VALUES: Final = ("new", "deprecated")
FRONT_MATTER_KEYS: Final = {
    "title": "a line of text",
    "description": "a line of text",
    "hide": f"a list of {', '.join(HIDE_VALUES)}",
    "status": f"one of {', '.join(STATUS_VALUES)}",
}
_HINT = (
    'pages may only call the site\'s macros with quoted arguments, e.g. {{ claim("some-id") }} '
    'or {{ cite("key") }}; write literal braces as {{ "{{" }}'
)
_FM_HINT = "front matter may set " + "; ".join(f"{k}: {v}" for k, v in FRONT_MATTER_KEYS.items())
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
#: Never renders: only `parse`. keep_trailing_newline: the text is kept to the last byte.
_PARSER = SandboxedEnvironment(autoescape=True, keep_trailing_newline=True)
_FENCE_LINE = re.compile(r"^(---|\.\.\.)[ \t]*$")
_OPEN_FENCE = re.compile(r"^---[ \t]*$")
_TAG = re.compile(r"\{\{|\{%|\}\}|%\}")
_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*#*[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_CODE_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass(frozen=True)
class MacroCall:
    """One `{{ name(args) }}` in a page: where it is (in the file) and the heading above it."""

    name: str
    args: tuple[str | int | float, ...]
    line: int
    col: int
    heading: str = ""


@dataclass(frozen=True)
class ParsedPage:
    """What a page is made of: front matter values, then the body as text and calls in order."""

    path: str
    meta: dict[str, Any] = field(default_factory=dict)
    parts: tuple[str | MacroCall, ...] = ()
    problems: tuple[Problem, ...] = ()
    #: lines of the file before the body (its front matter), for line numbers
    offset: int = 0
    body: str = ""

    def calls(self, *names: str) -> list[MacroCall]:
        return [p for p in self.parts if isinstance(p, MacroCall) and (not names or p.name in names)]

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def heading(self) -> str:
        """The text of the body's first `# ` heading, as written (Markdown), or ''."""
        found = _headings(self.body.splitlines())
        return next((text for _, (level, text) in sorted(found.items()) if level == 1), "")


def split(text: str) -> tuple[str | None, str, int]:
    """(front matter, body, lines before the body). Front matter is a YAML block between a
    first line `---` and the next line `---` or `...`; nothing else is front matter."""
    text = text.removeprefix("\ufeff")
    lines = text.splitlines(keepends=True)
    if not lines or not _OPEN_FENCE.match(lines[0].rstrip("\r\n")):
        return None, text, 0
    for index in range(1, len(lines)):
        if _FENCE_LINE.match(lines[index].rstrip("\r\n")):
            return "".join(lines[1:index]), "".join(lines[index + 1 :]), index + 1
    return "", text, -1  # opened, never closed


def _front_matter(source: str, path: str) -> tuple[dict[str, Any], list[Problem]]:
    """The allowed keys, each of its type; every other key or value is a located error."""
    try:
        doc = yamlsafe.read(source)
    except yamlsafe.YamlProblem as exc:
        return {}, [error(path, exc.line + 1, exc.col, exc.message, "page-front-matter", exc.hint)]
    data = doc.data
    if data is None:
        return {}, []
    if not isinstance(data, dict):
        return {}, [
            error(path, 2, 1, "front matter must be a mapping of keys", "page-front-matter", _FM_HINT)
        ]
    meta: dict[str, Any] = {}
    problems = []
    for key, value in data.items():
        line, col = doc.where((key,), key=True)
        line += 1  # the block starts on the file's second line
        if key not in FRONT_MATTER_KEYS:
            message = f"front matter key '{key}' is not allowed"
            problems.append(error(path, line, col, message, "page-front-matter-key", _FM_HINT))
            continue
        ok = _valid(key, value)
        if not ok:
            message = f"front matter '{key}' must be {FRONT_MATTER_KEYS[key]}"
            problems.append(error(path, line, col, message, "page-front-matter-value", _FM_HINT))
            continue
        meta[key] = list(value) if isinstance(value, list) else value
    return meta, problems


def _valid(key: str, value: Any) -> bool:
    if key in ("title", "description"):
        return isinstance(value, str) and bool(value.strip()) and "\n" not in value.strip()
    if key == "hide":
        return isinstance(value, list) and all(v in HIDE_VALUES for v in value)
    return key == "status" and value in STATUS_VALUES


class _Columns:
    """Where each `{{` or `{%` of a body line starts, handed out in source order (Jinja's
    nodes carry only a line). Comments and quoted text inside a tag are skipped over."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.used: dict[int, int] = {}

    def next(self, lineno: int) -> int:
        line = self.lines[lineno - 1] if 0 < lineno <= len(self.lines) else ""
        starts = _tag_starts(line)
        index = self.used.get(lineno, 0)
        self.used[lineno] = index + 1
        return starts[index] if index < len(starts) else (starts[0] if starts else 1)


def _tag_starts(line: str) -> list[int]:
    """1-based columns of the `{{`/`{%` tags that open on `line` (one linear scan)."""
    starts, i, n = [], 0, len(line)
    while i < n - 1:
        pair = line[i : i + 2]
        if pair == "{#":
            end = line.find("#}", i + 2)
            i = n if end == -1 else end + 2
            continue
        if pair not in ("{{", "{%"):
            i += 1
            continue
        starts.append(i + 1)
        close, i, quote = "}}" if pair == "{{" else "%}", i + 2, ""
        while i < n:
            ch = line[i]
            if quote:
                quote = "" if ch == quote else quote
            elif ch in "\"'":
                quote = ch
            elif line.startswith(close, i):
                i += 2
                break
            i += 1
    return starts


def _refusal(expr: nodes.Node, macros: Mapping[str, int]) -> tuple[str, str] | None:
    """(message, rule) for an expression a page may not print; None if it is allowed."""
    if isinstance(expr, nodes.Const) and isinstance(expr.value, str):
        return None
    if isinstance(expr, nodes.Call) and isinstance(expr.node, nodes.Name):
        name = expr.node.name
        if name not in macros:
            return f"calls '{name}', which is not one of the site's macros", "page-template-name"
        if expr.kwargs or expr.dyn_args is not None or expr.dyn_kwargs is not None:
            return f"{name}() takes only quoted arguments, no keywords or *args", "page-template-argument"
        if len(expr.args) != macros[name]:
            wanted = macros[name]
            return f"{name}() takes {wanted} argument(s), not {len(expr.args)}", "page-template-argument"
        for arg in expr.args:
            if not (isinstance(arg, nodes.Const) and isinstance(arg.value, str | int | float)):
                return f"{name}() takes only quoted text or numbers as arguments", "page-template-argument"
            if isinstance(arg.value, bool):
                return f"{name}() takes only quoted text or numbers as arguments", "page-template-argument"
        return None
    kinds = (nodes.Getattr, nodes.Getitem, nodes.Filter, nodes.Test)
    for node in [expr, *expr.find_all(kinds)]:
        if isinstance(node, nodes.Getattr):
            return f"reads the attribute '.{node.attr}'", "page-template-attribute"
        if isinstance(node, nodes.Getitem):
            return "reads an item with [...]", "page-template-item"
        if isinstance(node, nodes.Filter):
            return f"applies the filter '|{node.name}'", "page-template-filter"
        if isinstance(node, nodes.Test):
            return f"applies the test 'is {node.name}'", "page-template-test"
    if isinstance(expr, nodes.Name):
        return f"reads the variable '{expr.name}'", "page-template-name"
    if isinstance(expr, nodes.Call):
        return "calls something that is not one of the site's macros", "page-template-name"
    return f"computes an expression ({type(expr).__name__})", "page-template-expression"


def _headings(lines: list[str]) -> dict[int, tuple[int, str]]:
    """Body line → (level, text) of the heading it is (or underlines), outside code fences."""
    out: dict[int, tuple[int, str]] = {}
    fenced = False
    for number, line in enumerate(lines, 1):
        if _CODE_FENCE.match(line):
            fenced = not fenced
        elif fenced:
            continue
        elif m := _HEADING.match(line):
            out[number] = (len(m.group(1)), m.group(2) or "")
        elif _SETEXT.match(line) and number > 1 and lines[number - 2].strip() and number - 1 not in out:
            out[number - 1] = (1 if line.strip().startswith("=") else 2, lines[number - 2].strip())
    return out


def _in_attribute_list(line: str, col: int) -> bool:
    """Whether column `col` of `line` is inside an attr_list `{: … }` / `{ data-toc-label=… }`:
    an unclosed `{` before it, once Jinja's own `{{ }}`, `{% %}` and `{# #}` are set aside
    (one pass: each closer is searched for once)."""
    before, kept, i = line[: col - 1], [], 0
    while i < len(before):
        pair = before[i : i + 2]
        closer = {"{{": "}}", "{%": "%}", "{#": "#}"}.get(pair)
        if closer is None:
            kept.append(before[i])
            i += 1
            continue
        end = before.find(closer, i + 2)
        if end == -1:  # an unclosed tag: what follows is inside it, not an attribute list
            break
        i = end + 2
    rest = "".join(kept)
    return rest.rfind("{") > rest.rfind("}")


def _walk(
    tree: nodes.Template, body: str, path: str, offset: int, macros: Mapping[str, int]
) -> Iterator[str | MacroCall | Problem]:
    lines = body.splitlines()
    columns = _Columns(lines)
    headings = _headings(lines)
    under = sorted(headings.items())

    def heading_above(lineno: int) -> str:
        return next((text for n, (level, text) in reversed(under) if n <= lineno and level >= 2), "")

    for stmt in tree.body:
        if not isinstance(stmt, nodes.Output):
            keyword = _KEYWORDS.get(type(stmt).__name__, type(stmt).__name__.lower())
            message = f"template statement {{% {keyword} %}} is not allowed in a page"
            yield error(
                path,
                stmt.lineno + offset,
                columns.next(stmt.lineno),
                message,
                "page-template-statement",
                _HINT,
            )
            continue
        for expr in stmt.nodes:
            if isinstance(expr, nodes.TemplateData):
                yield expr.data
                continue
            lineno, col = expr.lineno, columns.next(expr.lineno)
            refused = _refusal(expr, macros)
            if refused is not None:
                message, rule = refused
                yield error(path, lineno + offset, col, f"{{{{ … }}}} {message}", rule, _HINT)
                continue
            if isinstance(expr, nodes.Const):
                yield str(expr.value)
                continue
            assert isinstance(expr, nodes.Call) and isinstance(expr.node, nodes.Name)
            name = expr.node.name
            line_text = lines[lineno - 1] if 0 < lineno <= len(lines) else ""
            in_list = _in_attribute_list(line_text, col)
            if in_list or (lineno in headings and name not in INLINE_MACROS):
                where = "an attribute list" if in_list else "a heading"
                message = f"{name}() is called inside {where}, where its HTML cannot go"
                hint = "put the macro on its own line, below the heading (only cite() may stand in one)"
                yield error(path, lineno + offset, col, message, "page-macro-in-heading", hint)
                continue
            args = tuple(a.value for a in expr.args if isinstance(a, nodes.Const))
            yield MacroCall(name, args, lineno + offset, col, heading_above(lineno))


def parse(text: str, path: str, macros: Mapping[str, int] = MACROS) -> ParsedPage:
    """The page `text` (as read from `path`, e.g. docs/x.md), read once: every problem
    located in the file, and the parts a build renders."""
    front, body, offset = split(text)
    problems: list[Problem] = []
    meta: dict[str, Any] = {}
    if offset == -1:
        hint = "end the front matter with a line holding only ---, or remove the first line"
        problems.append(
            error(path, 1, 1, "front matter opened with --- is never closed", "page-front-matter", hint)
        )
        offset = 0
    elif front is not None:
        meta, problems = _front_matter(front, path)
    deep = pagedepth.nesting_problem(body, path, line_offset=offset)  # before any recursive parser
    if deep is not None:
        return ParsedPage(path, meta, (), (*problems, deep), offset, body)
    body_lines = body.splitlines()
    try:
        tree = _PARSER.parse(body)
    except TemplateSyntaxError as exc:
        lineno = exc.lineno or 1
        message = f"template syntax error: {exc.message}"
        col = _Columns(body_lines).next(lineno)
        problems.append(error(path, lineno + offset, col, message, "page-template-syntax", _HINT))
        return ParsedPage(path, meta, (), tuple(problems), offset, body)
    except RecursionError:
        message = "the page's template syntax nests too deep to read"
        problems.append(error(path, 1 + offset, 1, message, "page-template-too-deep", _HINT))
        return ParsedPage(path, meta, (), tuple(problems), offset, body)
    parts: list[str | MacroCall] = []
    for item in _walk(tree, body, path, offset, macros):
        if isinstance(item, Problem):
            problems.append(item)
        elif isinstance(item, str) and parts and isinstance(parts[-1], str):
            parts[-1] += item
        else:
            parts.append(item)
    return ParsedPage(path, meta, tuple(parts), tuple(problems), offset, body)

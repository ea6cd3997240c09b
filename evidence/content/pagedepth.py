"""How deep a docs page nests, measured before any parser recurses on it.

Jinja's parser, the AST walk after it, and Python-Markdown recurse once per level of
nesting: 3,000 nested parentheses in a `{{ … }}`, 3,000 `not`s, 3,000 nested lists or
`<div markdown>` blocks, or a run of 3,000 `*`, are a `RecursionError` (or minutes of
work) in `check` and in the build. `nesting_problem` finds such a page with a few linear
scans (regular expressions that never backtrack, so the scan itself costs milliseconds on
any page) and returns one located error, `docs/<page>.md:line:col`, before either parser
sees the page. `MAX_DEPTH` is far beyond anything a prose page needs: 100 levels.
"""

from __future__ import annotations

import re
from typing import Final

from evidence.core.problems import Problem, error

#: Every rule id this module reports (CONTRIBUTING.md, "Where rules live").
RULES: Final = frozenset({"page-too-deep"})

#: Nesting levels a page may use (Markdown's own: lists, quotes, brackets, HTML, emphasis).
MAX_DEPTH = 100
#: Bracket levels and operators inside one `{{ … }}` or `{% … %}`: Jinja's parser spends
#: about ten Python frames a level, so 80 levels already exhaust the default stack. A macro
#: call needs one.
MAX_TAG_DEPTH = 30

_HINT = "write the page without such deep nesting: prose, lists and macro calls never need it"

#: Where a Jinja region starts: an expression, a statement or a comment.
_JINJA_START = re.compile(r"\{[{%#]")
#: Tokens inside a Jinja region: strings (an unterminated one is a lone quote), names,
#: region ends, brackets, operators; anything else one character at a time.
_JINJA_TOKEN = re.compile(
    r"""'(?:[^'\\]|\\.)*+'|"(?:[^"\\]|\\.)*+"|['"]"""
    r"|[A-Za-z_]\w*+|\}\}|%\}|[()\[\]{}]|[-+*/%~|.<>=!]|\s++|."
)
_WORD_OPERATORS = frozenset({"not", "and", "or", "if", "else", "is", "in"})
_OPEN, _CLOSE = "([{", ")]}"

#: Markdown: a line's block prefix (indentation and `>` markers), bracket nesting in a
#: paragraph, HTML elements, and emphasis runs.
_LINE_PREFIX = re.compile(r"^[ \t>]*+", re.MULTILINE)
_MD_TOKEN = re.compile(r"[()\[\]]|\n[ \t]*+(?=\n)")
_HTML_TOKEN = re.compile(r"<(/?)([A-Za-z][\w-]*+)|/>")
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)
_EMPHASIS_RUN = re.compile(rf"\*{{{MAX_DEPTH + 1}}}|_{{{MAX_DEPTH + 1}}}|~{{{MAX_DEPTH + 1}}}")


def nesting_problem(text: str, path: str, line_offset: int = 0) -> Problem | None:
    """The first place `text` nests deeper than `MAX_DEPTH`, as an error at `path:line:col`
    (`line_offset`: lines before `text` in the file, such as front matter), or None."""
    for found in (_jinja(text), _blocks(text), _brackets(text), _html(text), _emphasis(text)):
        if found is not None:
            offset, message = found
            line = text.count("\n", 0, offset) + 1
            col = offset - (text.rfind("\n", 0, offset) + 1) + 1
            return error(path, line + line_offset, col, message, "page-too-deep", _HINT)
    return None


def _jinja(text: str) -> tuple[int, str] | None:
    """Bracket depth and operator count in each `{{ … }}` and `{% … %}`; a `{# … #}` is skipped."""
    at = 0
    while (start := _JINJA_START.search(text, at)) is not None:
        kind = start.group()[1]
        if kind == "#":
            close = text.find("#}", start.end())
            at = len(text) if close < 0 else close + 2
            continue
        end = "}}" if kind == "{" else "%}"
        depth = operators = 0
        at = start.end()
        for token in _JINJA_TOKEN.finditer(text, at):
            value = token.group()
            at = token.end()
            if value == end and depth == 0:
                break
            if value in ("'", '"'):  # an unterminated string: Jinja stops there, and so do we
                return None
            if value[0] in _OPEN:
                depth += 1
                if depth > MAX_TAG_DEPTH:
                    return (
                        token.start(),
                        f"brackets in a {{{{ … }}}} or {{% … %}} nest deeper than {MAX_TAG_DEPTH} levels",
                    )
            elif value[0] in _CLOSE or value == "%}":  # `}}` inside brackets: two closers
                depth = max(depth - value.count("}") - value.count(")") - value.count("]"), 0)
                operators += value == "%}"
            elif value in _WORD_OPERATORS or (len(value) == 1 and value in "-+*/%~|.<>=!"):
                operators += 1
                if operators > MAX_TAG_DEPTH:
                    message = f"a {{{{ … }}}} or {{% … %}} holds more than {MAX_TAG_DEPTH} operators"
                    return token.start(), message
        else:
            return None
    return None


def _blocks(text: str) -> tuple[int, str] | None:
    """Lists, indented blocks and block quotes: a line's indentation (4 columns a level,
    a tab 4) plus its `>` markers."""
    for found in _LINE_PREFIX.finditer(text):
        prefix = found.group()
        if len(prefix) <= MAX_DEPTH:
            continue
        levels = prefix.count(">") + (prefix.count(" ") + 4 * prefix.count("\t")) // 4
        if levels > MAX_DEPTH:
            return found.start(), f"lists, block quotes or indentation nest deeper than {MAX_DEPTH} levels"
    return None


def _brackets(text: str) -> tuple[int, str] | None:
    """Parentheses and square brackets in one paragraph (a blank line starts again)."""
    depth = 0
    for found in _MD_TOKEN.finditer(text):
        value = found.group()
        if value in "([":
            depth += 1
            if depth > MAX_DEPTH:
                return found.start(), f"parentheses or square brackets nest deeper than {MAX_DEPTH} levels"
        elif value in ")]":
            depth = max(depth - 1, 0)
        else:
            depth = 0
    return None


def _html(text: str) -> tuple[int, str] | None:
    """HTML elements inside one another (void elements and `/>` do not nest)."""
    depth = 0
    for found in _HTML_TOKEN.finditer(text):
        if found.group() == "/>" or found.group(1):
            depth = max(depth - 1, 0)
        elif found.group(2).lower() not in _VOID:
            depth += 1
            if depth > MAX_DEPTH:
                return found.start(), f"HTML elements nest deeper than {MAX_DEPTH} levels"
    return None


def _emphasis(text: str) -> tuple[int, str] | None:
    """A run of `*`, `_` or `~` longer than MAX_DEPTH (Markdown nests emphasis per pair)."""
    found = _EMPHASIS_RUN.search(text)
    return (found.start(), f"a run of more than {MAX_DEPTH} '{found.group()[0]}'") if found else None

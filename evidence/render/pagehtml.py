"""The HTML Markdown makes from a hand-written page, cut down to what prose needs (nh3).

A docs/*.md page in a pull request may hold raw HTML (`<script>`, `<img onerror>`), a
`[x](javascript:…)` link or an attr_list `{: onclick=… }`: Python-Markdown passes all of
them through. nh3 (Ammonia) keeps only the tags and attributes that Markdown and its
admonition/attr_list/md_in_html/toc/details extensions produce; each thing it removed is
reported with the page's line, so `--strict` fails and the author learns why.
Our own HTML is put in after this (placeholders.py), so it is never cut.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Final

import nh3

from evidence.core.problems import Problem, warning

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd",
    "del", "details", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4",
    "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s",
    "samp", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
}  # fmt: skip
ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "ol": {"start", "type"},
    "details": {"open"},
    "time": {"datetime"},
}
URL_SCHEMES = {"http", "https", "mailto"}
#: Removed with what they hold: their text is code, not prose.
DROP_CONTENT = {"script", "style"}
RULE = "page-html"
#: Every rule id this module reports (CONTRIBUTING.md, "Where rules live").
RULES: Final = frozenset({RULE})
HINT = "pages may use Markdown and plain HTML (no scripts, styles, frames, forms or event attributes)"


class _Inventory(HTMLParser):
    """Every start tag and attribute of an HTML fragment, counted."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: Counter[tuple[str, str, str]] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.items[(tag, "", "")] += 1
        for name, value in attrs:
            self.items[(tag, name, value or "")] += 1


def _inventory(fragment: str) -> Counter[tuple[str, str, str]]:
    parser = _Inventory()
    parser.feed(fragment)
    parser.close()
    return parser.items


def _line_of(source: list[str], needles: list[str]) -> int:
    """The first line of the page that holds a needle (raw or with entities decoded), else 1."""
    for needle in (n.lower() for n in needles if n):
        for number, line in enumerate(source, 1):
            if needle in line.lower() or needle in html.unescape(line).lower():
                return number
    return 1


def _attribute_filter(refuse: Callable[[str], bool]) -> Callable[[str, str, str], str | None]:
    def keep(tag: str, attr: str, value: str) -> str | None:
        if refuse(value):
            return None  # a macro call inside an attribute: our HTML cannot go there
        if tag == "img" and attr == "src" and value.strip().lower().startswith("http:"):
            return None  # images over https or relative only (no mixed content)
        return value

    return keep


def sanitize(
    fragment: str, path: str, source: str, refuse: Callable[[str], bool]
) -> tuple[str, list[Problem]]:
    """`fragment` cut to the allowlist, and a warning for each thing that was removed.

    `refuse(value)` says an attribute value may not stay (it holds a placeholder token).
    """
    clean = nh3.clean(
        fragment,
        tags=TAGS,
        clean_content_tags=DROP_CONTENT,
        attributes=ATTRIBUTES,
        attribute_filter=_attribute_filter(refuse),
        link_rel=None,
        url_schemes=URL_SCHEMES,
    )
    removed = _inventory(fragment) - _inventory(clean)
    lines = source.splitlines()
    problems = []
    for (tag, attr, value), _count in sorted(removed.items()):
        if not attr:
            message, needles = f"removed the HTML element <{tag}>", [f"<{tag}"]
        elif refuse(value):
            message, needles = f"a macro call inside the attribute '{attr}' of <{tag}> was removed", [attr]
        else:
            shown = value if len(value) <= 60 else value[:59] + "…"
            message, needles = f"removed the attribute {attr}={shown!r} of <{tag}>", [value, f"{attr}="]
        problems.append(warning(path, _line_of(lines, needles), 1, message, RULE, HINT))
    return clean, problems

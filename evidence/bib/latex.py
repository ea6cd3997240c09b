"""LaTeX as reference managers write it, read by pylatexenc into plain Unicode text parts.

Each part carries how it is shown (plain, emphasis, strong, a link) and whether braces
protect its case; the parts reach pages only through the escaped `reference.html`
template, so nothing in a field is ever live markup. A command pylatexenc does not know
is shown as the text of its arguments and named (see `Converted.unknown`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec
from pylatexenc.latex2text import get_default_latex_context_db as text_db
from pylatexenc.latexwalker import (
    LatexCharsNode,
    LatexCommentNode,
    LatexEnvironmentNode,
    LatexGroupNode,
    LatexMacroNode,
    LatexMathNode,
    LatexSpecialsNode,
    LatexWalker,
    LatexWalkerError,
)
from pylatexenc.latexwalker import get_default_latex_context_db as walker_db
from pylatexenc.macrospec import MacroSpec

from evidence.content.markup import allowed_url

EMPHASIS = frozenset({"emph", "textit", "textsl", "mkbibemph", "it", "em", "sl"})
STRONG = frozenset({"textbf", "mkbibbold", "bf"})
#: Commands whose argument is shown as it is (font, case and box commands).
PASS_THROUGH = frozenset(
    {"texttt", "textsc", "textup", "textrm", "textsf", "textnormal", "textmd", "NoCaseChange"}
    | {"mbox", "hbox", "ensuremath", "nocite", "mkbibacro", "textcase", "autocap"}
)
_QUOTES = frozenset({"mkbibquote", "enquote", "textquote"})
_SUPER = str.maketrans("0123456789+-=()aeinorstx", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵉⁱⁿᵒʳˢᵗˣ")
_SUB = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")
_ONE_ARG = EMPHASIS | STRONG | PASS_THROUGH | _QUOTES | {"textsuperscript", "textsubscript", "url"}
_SYMBOLS = {"textless": "<", "textgreater": ">", "textbar": "|", "textbackslash": "\\"}
_SYMBOLS |= {"textasciitilde": "~", "textasciicircum": "^", "textunderscore": "_"}
_SYMBOLS |= {"textbraceleft": "{", "textbraceright": "}"}
_SYMBOLS |= {"TeX": "TeX", "LaTeX": "LaTeX", "BibTeX": "BibTeX", "slash": "/", "hyphen": "-", "protect": ""}


@dataclass(frozen=True)
class Part:
    """A run of text and how it is shown; `protected` text keeps its case (it was braced)."""

    text: str
    style: str = ""  # "", "em", "strong" or "link"
    href: str = ""
    protected: bool = False


@dataclass(frozen=True)
class Converted:
    parts: tuple[Part, ...]
    unknown: tuple[str, ...]  # commands shown as plain text, e.g. ('\\foo',)

    @property
    def text(self) -> str:
        return "".join(p.text for p in self.parts)


#: Characters that make text LaTeX to convert (with the quote ligatures `` and ''); text
#: without them is shown as written.
_CONVERTED = ("\\", "{", "$", "~", "-")
_BRACES = re.compile(r"(?<!\\)[{}]")


@lru_cache(maxsize=1)
def _dbs() -> tuple[object, LatexNodes2Text]:
    walker = walker_db()
    specs = [MacroSpec(name, "{") for name in sorted(_ONE_ARG)] + [MacroSpec("href", "{{")]
    specs += [MacroSpec(name, "") for name in sorted(_SYMBOLS)]
    walker.add_context_category("evidence-bib", macros=specs, prepend=True)
    texts = text_db()
    texts.add_context_category(
        "evidence-bib",
        macros=[MacroTextSpec(name, text.replace("%", "%%")) for name, text in _SYMBOLS.items()],
        prepend=True,
    )
    return walker, LatexNodes2Text(latex_context=texts, math_mode="text", strict_latex_spaces=False)


def convert(latex: str) -> Converted:
    """`latex` as text parts. Text that pylatexenc cannot parse (a lone `$`) is kept as
    written but for its grouping braces, which BibTeX never prints."""
    walker_context, _ = _dbs()
    if not any(c in latex for c in _CONVERTED) and "``" not in latex and "''" not in latex:
        return Converted((Part(latex),), ())
    try:
        nodes, _, _ = LatexWalker(
            latex, latex_context=walker_context, tolerant_parsing=False
        ).get_latex_nodes()
    except (LatexWalkerError, IndexError, ValueError, RecursionError):
        return Converted((Part(_BRACES.sub("", latex), protected="{" in latex),), ())
    out = _Out()
    out.nodes(nodes or [], "", False)
    return Converted(tuple(_merge(out.parts)), tuple(dict.fromkeys(out.unknown)))


class _Out:
    """The walk over pylatexenc's nodes: parts in order and the commands it did not know."""

    def __init__(self) -> None:
        self.parts: list[Part] = []
        self.unknown: list[str] = []

    def add(self, text: str, style: str, protected: bool, href: str = "") -> None:
        if text:
            self.parts.append(Part(text, "link" if href else style, href, protected))

    def nodes(self, nodes: list, style: str, protected: bool) -> None:
        for node in nodes:
            self.node(node, style, protected)

    def node(self, node: object, style: str, protected: bool) -> None:
        _, l2t = _dbs()
        if isinstance(node, LatexSpecialsNode) and node.specials_chars == "&":
            self.add("&", style, protected)  # a bare '&' is an ampersand, as written (not a tab)
        elif isinstance(node, LatexCharsNode | LatexSpecialsNode):
            self.add(l2t.node_to_text(node), style, protected)
        elif isinstance(node, LatexGroupNode):
            self.nodes(node.nodelist, style, True)
        elif isinstance(node, LatexMathNode):
            self.add(l2t.node_to_text(node).strip(), style, True)
        elif isinstance(node, LatexMacroNode):
            self.macro(node, style, protected)
        elif isinstance(node, LatexEnvironmentNode):
            self.unknown.append(f"\\begin{{{node.environmentname}}}")
            self.nodes(node.nodelist, style, protected)
        elif not isinstance(node, LatexCommentNode):
            self.add(l2t.node_to_text(node), style, protected)

    def macro(self, node: LatexMacroNode, style: str, protected: bool) -> None:
        _, l2t = _dbs()
        name = node.macroname
        args = [a for a in (node.nodeargd.argnlist if node.nodeargd else []) if a is not None]
        if name in EMPHASIS | STRONG | PASS_THROUGH | _QUOTES and args:
            inner = "em" if name in EMPHASIS else "strong" if name in STRONG else style
            if name in _QUOTES:
                self.add("“", style, protected)
            self.nodes(_children(args[-1]), inner, True)
            if name in _QUOTES:
                self.add("”", style, protected)
        elif name in ("textsuperscript", "textsubscript") and args:
            text = _text(args[0])
            table = _SUPER if name == "textsuperscript" else _SUB
            shown = text.translate(table)
            self.add(shown if all(c != t for c, t in zip(text, shown, strict=True)) else text, style, True)
        elif name == "url" and args:
            url = _raw(args[0])
            self.add(url, style, True, url if allowed_url(url) else "")
        elif name == "href" and len(args) == 2:
            url = _raw(args[0])
            self.add(_text(args[1]) or url, style, True, url if allowed_url(url) else "")
        elif name in EMPHASIS | STRONG:  # {\em text}: the rest of the group
            return
        elif l2t.latex_context.get_macro_spec(name) is not None:
            self.add(l2t.node_to_text(node), style, protected)
        else:
            self.unknown.append("\\" + name)
            for arg in args:
                self.nodes(_children(arg), style, True)


def _children(node: object) -> list:
    return node.nodelist if isinstance(node, LatexGroupNode) else [node]


def _text(node: object) -> str:
    out = _Out()
    out.nodes(_children(node), "", True)
    return "".join(p.text for p in out.parts)


def _raw(node: object) -> str:
    """A URL as written: `\\url{a_b%20c}` keeps its characters (LaTeX escapes dropped)."""
    latex = node.latex_verbatim()
    if latex.startswith("{") and latex.endswith("}"):
        latex = latex[1:-1]
    return latex.replace("\\%", "%").replace("\\_", "_").replace("\\#", "#").replace("\\&", "&").strip()


def _merge(parts: list[Part]) -> list[Part]:
    """Neighbouring parts shown alike become one (fewer spans, same text)."""
    merged: list[Part] = []
    for part in parts:
        last = merged[-1] if merged else None
        if (
            last
            and not last.href
            and not part.href
            and (last.style, last.protected)
            == (
                part.style,
                part.protected,
            )
        ):
            merged[-1] = Part(last.text + part.text, last.style, "", last.protected)
        else:
            merged.append(part)
    return merged

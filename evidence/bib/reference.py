"""One reference: its fields in the data model, formatted (AMA, or the site's CSL style) only when read.

Formatting is lazy (a page reads `html` or `text`; a 20,000-entry bibliography formats
only what is shown) and remembered per build in a `Memo` the `Library` owns, never in
module globals: a long `mkdocs serve` run starts each build with the memo the cache gave it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pybtex
from jinja2 import PackageLoader, StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup
from pybtex.database import Entry, Person

from evidence.bib.cslstyle import AMA, CSL_KEY
from evidence.bib.fields import FieldView, form
from evidence.bib.keys import anchor
from evidence.bib.latex import Converted, convert
from evidence.bib.style import Formatter, linkable

_HERE = Path(__file__).parent
#: The style's identity: the code and template that format a reference, and the versions
#: of the libraries they call. Part of every fingerprint, so cached formatting follows the code.
STYLE_KEY = hashlib.blake2b(
    b"".join((_HERE / name).read_bytes() for name in ("fields.py", "latex.py", "style.py", "reference.py"))
    + (_HERE / "templates" / "reference.html").read_bytes()
    + f"{pybtex.__version__}/{version('pylatexenc')}".encode(),
    digest_size=8,
).hexdigest()
#: The values formatting derives from an entry; kept by `Reference.fingerprint`.
DERIVED = ("html", "text", "title", "authors", "label")
_PARTS = ("first_names", "middle_names", "prelast_names", "last_names", "lineage_names")
_ENV = ImmutableSandboxedEnvironment(
    loader=PackageLoader("evidence.bib", "templates"), autoescape=True, undefined=StrictUndefined
)


@dataclass
class Memo:
    """What one build has worked out: formatted values from earlier builds (by fingerprint)
    and LaTeX decoded to text (by input; pure, so it may be kept across builds of one style)."""

    reuse: dict[str, dict[str, Any]] = field(default_factory=dict)
    plain: dict[str, str] = field(default_factory=dict)
    converted: dict[str, Converted] = field(default_factory=dict, repr=False)
    #: The library's references (set by `Library`), for a @set's members.
    references: Any = field(default=None, repr=False)
    #: The site's bibliography style (mkdocs.yml `citation_style`): `ama`, or a CSL style
    #: that `csl` formats in (set by `bib.library`, which knows CSL-JSON).
    style: str = AMA
    csl: Callable[[Reference], tuple] | None = field(default=None, repr=False)

    def convert(self, latex: str) -> Converted:
        found = self.converted.get(latex)
        if found is None:
            found = self.converted[latex] = convert(latex)
        return found

    def text(self, latex: str) -> str:
        """`latex` as plain Unicode text."""
        known = self.plain.get(latex)
        if known is None:
            known = self.plain[latex] = self.convert(latex).text
        return known


@dataclass(frozen=True)
class Reference:
    """One bibliography entry with where it stands in references.bib."""

    key: str
    type: str
    line: int
    entry: Entry = field(repr=False, compare=False)
    memo: Memo = field(default_factory=Memo, repr=False, compare=False)

    def field(self, name: str) -> str | None:
        reader = getattr(self.entry, "field", None)
        if reader is not None:
            return reader(name)
        value = self.entry.fields.get(name)
        return None if value is None else str(value)

    @cached_property
    def fields(self) -> FieldView:
        return FieldView(self.field, self.type)

    @cached_property
    def form(self) -> str:
        """How it is formatted (see `fields.FORMS`); an unknown type takes the generic form."""
        return form(self.type) or "generic"

    @cached_property
    def anchor(self) -> str:
        """The key as an id and a folder name (see `keys.anchor`)."""
        return anchor(self.key)

    @cached_property
    def url(self) -> str | None:
        return self.fields.get("url")

    @cached_property
    def doi(self) -> str | None:
        return self.fields.get("doi")

    @cached_property
    def pmid(self) -> str | None:
        value = self.fields.get("pmid")
        return value if value and value.isdigit() else None

    @cached_property
    def link(self) -> str | None:
        """Where a reader can follow the reference: DOI first, else PubMed, else the URL."""
        if self.doi:
            return "https://doi.org/" + self.doi
        if self.pmid:
            return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"
        return self.url if self.url and linkable(self.url) else None

    @cached_property
    def parts(self) -> tuple:
        return tuple(
            Formatter(self.fields, self.entry.persons, self.form, self.memo.convert, self._member).parts()
        )

    @cached_property
    def shown(self) -> tuple:
        """The reference as the site shows it: in its CSL style, else AMA (`parts`)."""
        return self.memo.csl(self) if self.memo.csl is not None and self.memo.style != AMA else self.parts

    def _member(self, key: str) -> tuple:
        refs = self.memo.references
        if refs is None or key not in refs or key == self.key or refs[key].form == "set":
            return ()
        return refs[key].parts

    @cached_property
    def fingerprint(self) -> str:
        """What formatting depends on: the entry's key, type, fields and names, and the style."""
        persons = [(role, [person_parts(p) for p in people]) for role, people in self.entry.persons.items()]
        style = STYLE_KEY if self.memo.style == AMA else f"{STYLE_KEY}/{self.memo.style}/{CSL_KEY}"
        data = repr((style, self.key, self.entry.type, list(self.entry.fields.items()), persons))
        return hashlib.blake2b(data.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()

    def _known(self, name: str) -> Any:
        """A value formatted by an earlier build (see `Memo.reuse`), else None."""
        reuse = self.memo.reuse
        return reuse.get(self.fingerprint, {}).get(name) if reuse else None

    @cached_property
    def html(self) -> Markup:
        """The formatted reference as HTML: text parts through the escaped template."""
        known = self._known("html")
        if known is not None:
            return Markup(known)
        return Markup(_ENV.get_template("reference.html").render(parts=self.shown))

    @cached_property
    def text(self) -> str:
        """The formatted reference as plain text, for tooltips and JSON-LD."""
        known = self._known("text")
        return known if known is not None else "".join(p.text for p in self.shown)

    @cached_property
    def year(self) -> str | None:
        date = self.fields.date()
        return str(date.year) if date and date.year is not None else None

    @cached_property
    def title(self) -> str | None:
        if (known := self._known("title")) is not None:
            return known or None
        raw = self.fields.get("title")
        return self.memo.text(raw) if raw else None

    @cached_property
    def authors(self) -> list[str]:
        if (known := self._known("authors")) is not None:
            return list(known)
        return [self.memo.text(str(person)) for person in self.entry.persons.get("author", [])]

    @cached_property
    def who(self) -> str:
        """Who the work is by, short, for "who attribute it to …": `Youngster et al`, `Sauk and
        Hohmann`, an organisation whole; else its organization, institution or publisher;
        else where it appeared or its label, marked `(no author named)`."""
        people = self.entry.persons.get("author") or self.entry.persons.get("editor") or []
        names = [self.memo.text(" ".join(p.prelast_names + p.last_names)) for p in people[:3]]
        names = [n for n in names if n]
        if names:
            return names[0] + (" et al" if len(people) > 2 else f" and {names[1]}" if len(names) > 1 else "")
        f = self.fields
        if who := f.get("organization") or f.get("institution") or f.get("publisher"):
            return self.memo.text(who)
        venue = self.fields.get("howpublished")
        return (self.memo.text(venue) if venue else self.label) + " (no author named)"

    @cached_property
    def label(self) -> str:
        """A short human name for the work: its title, else who made it and where."""
        if (known := self._known("label")) is not None:
            return known
        if self.title:
            return self.title
        venue = self.fields.get("howpublished")
        parts = [", ".join(self.authors), self.memo.text(venue) if venue else ""]
        return " – ".join(p for p in parts if p) or self.key


def person_parts(person: Person) -> tuple[list[str], ...]:
    return tuple(list(getattr(person, part)) for part in _PARTS)


def make_person(parts: tuple[list[str], ...]) -> Person:
    person = Person()
    for name, value in zip(_PARTS, parts, strict=True):
        setattr(person, name, list(value))
    return person

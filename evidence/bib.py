"""references.bib: parsed and formatted by pybtex, with a line for every entry.

This is the only module that imports pybtex. Links (url, doi) are validated here and
kept out of pybtex's HTML, because its HTML backend writes a url into ``href`` unescaped;
the templates render them instead, escaped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pybtex.errors
from markupsafe import Markup
from pybtex.database import BibliographyData, Entry
from pybtex.database.input.bibtex import Parser
from pybtex.richtext import Text
from pybtex.scanner import PybtexSyntaxError
from pybtex.style.formatting.unsrt import Style as UnsrtStyle

from .model import KEY_PATTERN
from .problems import Problem, error, warning

#: Entry types our style formats (BibTeX's standard types plus biblatex's @online).
KNOWN_TYPES = frozenset(
    [
        "article",
        "book",
        "booklet",
        "inbook",
        "incollection",
        "inproceedings",
        "manual",
        "mastersthesis",
        "misc",
        "online",
        "phdthesis",
        "proceedings",
        "techreport",
        "unpublished",
    ]
)
STYLE_NAME = "unsrt-abbrv"  # numbered in order of citation, initials: close to Vancouver
_ENTRY_START = re.compile(r"^[ \t]*@[ \t]*(\w+)[ \t]*[{(][ \t]*([^\s,}]*)", re.MULTILINE)
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_LINK_FIELDS = ("url", "doi")


class _Style(UnsrtStyle):
    """pybtex's unsrt with abbreviated given names, as medical reference lists print them."""

    default_name_style = "lastfirst"

    def format_web_refs(self, e):  # links are rendered by our templates, escaped
        return Text()


_STYLE = _Style(abbreviate_names=True)


@dataclass(frozen=True)
class Reference:
    """One bibliography entry with where it stands in references.bib."""

    key: str
    type: str
    line: int
    entry: Entry = field(repr=False, compare=False)

    def field(self, name: str) -> str | None:
        value = self.entry.fields.get(name)
        return None if value is None else str(value)

    @property
    def url(self) -> str | None:
        return self.field("url")

    @property
    def doi(self) -> str | None:
        return self.field("doi")

    @property
    def link(self) -> str | None:
        """Where a reader can follow the reference: DOI first, else the URL."""
        if self.doi:
            return "https://doi.org/" + self.doi
        return self.url

    @cached_property
    def _formatted(self):
        stripped = Entry(
            self.entry.type,
            fields={k: v for k, v in self.entry.fields.items() if k.lower() not in _LINK_FIELDS},
            persons=self.entry.persons,
        )
        stripped.key = self.key
        return _STYLE.format_entry(self.key, stripped).text

    @cached_property
    def html(self) -> Markup:
        """The formatted reference as HTML (pybtex escapes the text it writes)."""
        return Markup(self._formatted.render_as("html"))

    @cached_property
    def text(self) -> str:
        """The formatted reference as plain text, for tooltips and JSON-LD."""
        return self._formatted.render_as("text")

    @property
    def year(self) -> str | None:
        return self.field("year")

    @property
    def title(self) -> str | None:
        raw = self.field("title")
        return _plain(raw) if raw else None

    @property
    def authors(self) -> list[str]:
        return [_plain(str(person)) for person in self.entry.persons.get("author", [])]

    @property
    def label(self) -> str:
        """A short human name for the work: its title, else who made it and where."""
        if self.title:
            return self.title
        venue = self.field("howpublished")
        parts = [", ".join(self.authors), _plain(venue) if venue else ""]
        return " – ".join(p for p in parts if p) or self.key


def _plain(latex: str) -> str:
    """LaTeX field text as plain Unicode (accents decoded, braces dropped)."""
    return str(Text.from_latex(latex).render_as("text"))


@dataclass
class Library:
    """All references, in file order, plus the problems found reading them."""

    path: str
    references: dict[str, Reference]

    def __contains__(self, key: object) -> bool:
        return key in self.references

    def __getitem__(self, key: str) -> Reference:
        return self.references[key]


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def load_library(path: Path, display: str) -> tuple[Library, list[Problem]]:
    """Parse references.bib; every problem names its line. Never raises on bad input."""
    problems: list[Problem] = []
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        problems.append(error(display, 1, 1, "references.bib is missing", "bib-missing", "create it"))
        return Library(display, {}), problems
    except UnicodeDecodeError as exc:
        raw = path.read_bytes()
        problems.append(
            error(
                display,
                raw.count(b"\n", 0, exc.start) + 1,
                1,
                f"not UTF-8 (byte 0x{raw[exc.start]:02x})",
                "bib-encoding",
                "save the file as UTF-8",
            )
        )
        return Library(display, {}), problems

    starts: dict[str, list[int]] = {}
    for match in _ENTRY_START.finditer(text):
        if match.group(1).lower() not in ("string", "preamble", "comment"):
            starts.setdefault(match.group(2), []).append(_line_of(text, match.start()))

    parser = Parser()
    with pybtex.errors.capture() as captured:
        try:
            data: BibliographyData = parser.parse_string(text)
        except PybtexSyntaxError as exc:  # pragma: no cover - capture() normally catches
            captured.append(exc)
            data = parser.data
    for exc in captured:
        if isinstance(exc, PybtexSyntaxError):
            message = str(exc).split(": ", 1)[-1]
            problems.append(
                error(
                    display,
                    exc.lineno or 1,
                    1,
                    f"BibTeX {exc.error_type}: {message}",
                    "bib-syntax",
                    "check braces and commas in this entry",
                )
            )
        elif "repeated bibliography entry" not in str(exc):
            problems.append(error(display, 1, 1, f"BibTeX: {exc}", "bib-data"))

    for key, lines in starts.items():
        for dup in lines[1:]:
            problems.append(
                error(
                    display,
                    dup,
                    1,
                    f"duplicate key '{key}' (first defined on line {lines[0]})",
                    "bib-duplicate-key",
                    "give each entry its own key, or delete the repeated entry",
                )
            )

    references: dict[str, Reference] = {}
    for key, entry in data.entries.items():
        line = starts.get(key, [1])[0]
        if not re.match(KEY_PATTERN, key):
            problems.append(
                error(
                    display,
                    line,
                    1,
                    f"key '{key}' has characters we cannot use in links",
                    "bib-key",
                    "use letters, digits, '-' and '_' and start with a letter",
                )
            )
            continue
        ref = Reference(key=key, type=entry.type.lower(), line=line, entry=entry)
        problems.extend(_check_entry(ref, display))
        references[key] = ref
    return Library(display, references), problems


def _check_entry(ref: Reference, display: str) -> list[Problem]:
    problems: list[Problem] = []
    if ref.type not in KNOWN_TYPES:
        problems.append(
            error(
                display,
                ref.line,
                1,
                f"entry '{ref.key}' has unknown type @{ref.type}",
                "bib-unknown-type",
                "use one of: " + ", ".join(sorted(KNOWN_TYPES)),
            )
        )
        return problems
    url = ref.url
    if url is not None and not re.match(r"^https?://[^\s/]+", url):
        problems.append(
            error(
                display,
                ref.line,
                1,
                f"entry '{ref.key}' has a url that is not http(s): '{url}'",
                "bib-url",
                "only http:// and https:// links are allowed; leave the field out if unsure",
            )
        )
    doi = ref.doi
    if doi is not None and not _DOI.match(doi):
        problems.append(
            error(
                display,
                ref.line,
                1,
                f"entry '{ref.key}' has a malformed doi '{doi}'",
                "bib-doi",
                "write the bare DOI, e.g. 10.1136/bmjopen-2016-012345, without 'https://doi.org/'",
            )
        )
    return problems


def format_problem(ref: Reference, display: str) -> Problem | None:
    """Format `ref` now, so an entry pybtex cannot format names itself (cited entries only)."""
    try:
        ref.text  # noqa: B018
        ref.html  # noqa: B018
    except Exception as exc:  # pybtex raises many kinds for missing fields
        return error(
            display,
            ref.line,
            1,
            f"entry '{ref.key}' cannot be formatted: {exc}",
            "bib-format",
            f"add the fields an @{ref.type} needs, or use @misc",
        )
    return None


def unused_reference(ref: Reference, display: str) -> Problem:
    return warning(
        display,
        ref.line,
        1,
        f"reference '{ref.key}' is not cited by any claim",
        "bib-unused",
        "cite it from a claim's source or reported_in, or remove the entry",
    )

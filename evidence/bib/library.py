"""references.bib: parsed and formatted by pybtex, with a line for every entry.

This module, `bibread` (reading, limits) and `bibchars` are the only ones that import
pybtex. Links (url, doi) are validated here and kept out of pybtex's HTML, because its
HTML backend writes a url into ``href`` unescaped; the templates render them instead, escaped.
"""

from __future__ import annotations

import hashlib
import pickle
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pybtex
from markupsafe import Markup
from pybtex.database import Entry, Person
from pybtex.plugin import find_plugin
from pybtex.richtext import Text
from pybtex.scanner import PybtexSyntaxError
from pybtex.style.formatting.unsrt import Style as UnsrtStyle

from evidence.bib.characters import DECODED_COMMANDS, character_problems
from evidence.bib.read import MAX_BYTES, field_line, parse
from evidence.content.markup import allowed_url
from evidence.content.model import KEY_PATTERN
from evidence.core.problems import Problem, error, warning

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
#: Names a formatted reference lists before "and others" (Vancouver lists 6).
SHOWN_NAMES = 20
STYLE_NAME = "unsrt-abbrv"  # numbered in order of citation, initials: close to Vancouver
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_LINK_FIELDS = ("url", "doi")


class _Style(UnsrtStyle):
    """pybtex's unsrt with abbreviated given names, as medical reference lists print them."""

    default_name_style = "lastfirst"

    def format_web_refs(self, e):  # links are rendered by our templates, escaped
        return Text()


_STYLE = _Style(abbreviate_names=True)
# Looked up once: `Text.render_as(name)` rescans every installed package's entry points
# on each call (tens of milliseconds), which dominated builds.
_HTML = find_plugin("pybtex.backends", "html")()
_TEXT = find_plugin("pybtex.backends", "text")()


@dataclass(frozen=True)
class Reference:
    """One bibliography entry with where it stands in references.bib."""

    key: str
    type: str
    line: int
    entry: Entry = field(repr=False, compare=False)

    def field(self, name: str) -> str | None:
        if isinstance(self.entry, _LazyEntry):
            return self.entry.field(name)
        value = self.entry.fields.get(name)
        return None if value is None else str(value)

    @cached_property  # read on every page that cites it; the entry never changes
    def url(self) -> str | None:
        return self.field("url")

    @cached_property
    def doi(self) -> str | None:
        return self.field("doi")

    @cached_property
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
            persons={role: _shown(people) for role, people in self.entry.persons.items()},
        )
        stripped.key = self.key
        return _STYLE.format_entry(self.key, stripped).text

    @cached_property
    def fingerprint(self) -> str:
        """What formatting depends on: the entry's key, type, fields and names, and the style."""
        persons = [(role, [_person_parts(p) for p in people]) for role, people in self.entry.persons.items()]
        data = repr((STYLE_KEY, self.key, self.entry.type, list(self.entry.fields.items()), persons))
        return hashlib.blake2b(data.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()

    def _known(self, name: str) -> Any:
        """A value formatted by an earlier build (see `reuse`), else None."""
        return _REUSE.get(self.fingerprint, {}).get(name) if _REUSE else None

    @cached_property
    def html(self) -> Markup:
        """The formatted reference as HTML (pybtex escapes the text it writes)."""
        known = self._known("html")
        return Markup(known if known is not None else self._formatted.render(_HTML))

    @cached_property
    def text(self) -> str:
        """The formatted reference as plain text, for tooltips and JSON-LD."""
        known = self._known("text")
        return known if known is not None else self._formatted.render(_TEXT)

    @cached_property
    def year(self) -> str | None:
        return self.field("year")

    @cached_property
    def title(self) -> str | None:
        if (known := self._known("title")) is not None:
            return known or None
        raw = self.field("title")
        return _plain(raw) if raw else None

    @cached_property
    def authors(self) -> list[str]:
        if (known := self._known("authors")) is not None:
            return list(known)
        return [_plain(str(person)) for person in self.entry.persons.get("author", [])]

    @cached_property
    def label(self) -> str:
        """A short human name for the work: its title, else who made it and where."""
        if (known := self._known("label")) is not None:
            return known
        if self.title:
            return self.title
        venue = self.field("howpublished")
        parts = [", ".join(self.authors), _plain(venue) if venue else ""]
        return " – ".join(p for p in parts if p) or self.key


def _shown(people: list[Person]) -> list[Person]:
    """The names a formatted reference lists: the first `SHOWN_NAMES`, then BibTeX's
    "and others" (formatting cost grows with every name part; JSON-LD keeps them all)."""
    if len(people) <= SHOWN_NAMES:
        return people
    return [*people[:SHOWN_NAMES], Person("others")]


def _plain(latex: str) -> str:
    """LaTeX field text as plain Unicode (accents decoded, braces dropped).

    Text pybtex cannot read as LaTeX (a '%' that comments out a closing brace) comes back
    as it is; formatting the entry then fails and names it (see `format_problem`).
    Remembered by input (see `PLAIN`): decoding LaTeX is most of pybtex's time.
    """
    known = PLAIN.get(latex)
    if known is not None:
        return known
    try:
        plain = str(Text.from_latex(latex).render(_TEXT))
    except PybtexSyntaxError:
        plain = latex
    PLAIN[latex] = plain
    return plain


@dataclass
class Library:
    """All references, in file order, plus the problems found reading them."""

    path: str
    references: Mapping[str, Reference]  # a dict, or entries unpacked when read (cache)

    def __contains__(self, key: object) -> bool:
        return key in self.references

    def __getitem__(self, key: str) -> Reference:
        return self.references[key]


def load_library(path: Path, display: str, *, format_all: bool = True) -> tuple[Library, list[Problem]]:
    """Parse references.bib; every problem names its line. Never raises on bad input.

    `format_all=False` (a shared bibliography) leaves formatting to the entries the site
    cites (`checks.corpus_rules`): pybtex formats a few hundred entries a second.
    """
    problems: list[Problem] = []
    try:
        if (size := path.stat().st_size) > MAX_BYTES:
            problems.append(
                error(
                    display,
                    1,
                    1,
                    f"references.bib is {size} bytes; the limit is {MAX_BYTES}",
                    "bib-too-large",
                    "keep only the works that claims cite",
                )
            )
            return Library(display, {}), problems
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

    parsed = parse(text, display)
    problems += parsed.problems
    data, unreadable, starts = parsed.data, parsed.unreadable, parsed.starts

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
    first_spelling: dict[str, str] = {}  # BibTeX (and pybtex) keys ignore case
    for key, lines in starts.items():
        other = first_spelling.setdefault(key.lower(), key)
        if other != key:
            problems.append(
                error(
                    display,
                    lines[0],
                    1,
                    f"key '{key}' differs from '{other}' (line {starts[other][0]}) only by case",
                    "bib-key-case",
                    "BibTeX ignores case in keys: give this entry a clearly different key, or delete it",
                )
            )

    references: dict[str, Reference] = {}
    for key, entry in data.entries.items():
        if key not in starts:  # pybtex names a keyless entry 'unnamed-1'; reported as a syntax error
            continue
        line = starts[key][0]
        if bad_characters := character_problems(display, text, key, line, entry, _plain):
            problems += bad_characters  # nothing else is said of an entry that hides what it says
            continue
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
        references[key] = ref
        if key.lower() in unreadable:  # its fields are what pybtex guessed; one error says why
            continue
        problems.extend(_check_entry(ref, display))
        problems.extend(_check_fields(ref, display, text))
        problems.extend(_check_comments(ref, display, text))
        if "crossref" in entry.fields:
            problems.append(
                error(
                    display,
                    _field_line(text, ref, "crossref"),
                    1,
                    f"entry '{key}' uses crossref, which this site does not resolve",
                    "bib-crossref",
                    "copy the fields this entry needs from the entry it names, then delete the crossref line",
                )
            )
        elif format_all and ref.type in KNOWN_TYPES and (formatted := format_problem(ref, display)):
            problems.append(formatted)
    return Library(display, references), problems


_UNCONVERTED = re.compile(r"\\(?:[A-Za-z]+|.)")
_COMMAND = re.compile(r"\\([A-Za-z]+)")


def _may_not_convert(value: str) -> bool:
    """Cheap pre-test, so the common accented author name is not decoded twice."""
    return "\\\\" in value or not set(_COMMAND.findall(value)) <= DECODED_COMMANDS


def _field_line(text: str, ref: Reference, name: str) -> int:
    return field_line(text, ref.line, name)


def _check_fields(ref: Reference, display: str, text: str) -> list[Problem]:
    """Empty fields, and LaTeX that pybtex leaves as a command (it would show as '\\emph x')."""
    problems: list[Problem] = []
    values = list(ref.entry.fields.items())
    values += [(role, str(person)) for role, people in ref.entry.persons.items() for person in people]
    # pybtex drops `author = {}` altogether: find the written line instead
    values += [
        (role, "")
        for role in ("author", "editor")
        if role not in ref.entry.persons and _field_line(text, ref, role) != ref.line
    ]
    for name, value in values:
        if name.lower() in _LINK_FIELDS and value.strip():
            continue  # checked as links in _check_entry; LaTeX does not apply
        if not value.strip():
            problems.append(
                error(
                    display,
                    _field_line(text, ref, name),
                    1,
                    f"field '{name.lower()}' of entry '{ref.key}' is empty",
                    "bib-empty-field",
                    "fill it in from the source, or delete the line",
                )
            )
        elif _may_not_convert(value) and (left := _UNCONVERTED.findall(_plain(value))):
            problems.append(
                warning(
                    display,
                    _field_line(text, ref, name),
                    1,
                    f"field '{name.lower()}' of entry '{ref.key}' has LaTeX that does not convert "
                    f"to text: {' '.join(dict.fromkeys(left))}",
                    "bib-latex",
                    "type the character itself (the file is UTF-8) or an accent command such as "
                    "\\'e; formatting commands such as \\emph are not supported",
                )
            )
    return problems


_BARE_PERCENT = re.compile(r"(?<!\\)%")


def _check_comments(ref: Reference, display: str, text: str) -> list[Problem]:
    """A bare '%' starts a LaTeX comment: pybtex silently drops the rest of the field."""
    fields = [(n, v) for n, v in ref.entry.fields.items() if n.lower() not in _LINK_FIELDS]
    fields += [(role, str(person)) for role, people in ref.entry.persons.items() for person in people]
    return [
        error(
            display,
            _field_line(text, ref, name),
            1,
            f"field '{name.lower()}' of entry '{ref.key}' has a bare '%', which hides the rest of the field",
            "bib-percent",
            "write the percent sign as \\%",
        )
        for name, value in fields
        if _BARE_PERCENT.search(value)
    ]


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
    if url and url.strip() and (not allowed_url(url) or re.search(r"\s", url)):  # empty: bib-empty-field
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
    if doi and doi.strip() and not _DOI.match(doi):
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
    """Format `ref` now, so an entry pybtex cannot format names itself instead of failing a page."""
    if ref.type not in KNOWN_TYPES:  # already reported once, as bib-unknown-type
        return None
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
            "balance the braces in its fields and write a percent sign as \\% (a bare % starts a comment)"
            if isinstance(exc, PybtexSyntaxError)
            else f"add the fields an @{ref.type} needs, or use @misc",
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


# -- reuse across builds (cache.py keeps these on disk, under .cache/evidence/) --------
#: The style's identity: the code that defines it (this module) and pybtex's version.
STYLE_KEY = hashlib.blake2b(
    Path(__file__).read_bytes() + pybtex.__version__.encode(), digest_size=8
).hexdigest()
#: The values formatting derives from an entry; kept by `Reference.fingerprint`.
DERIVED = ("html", "text", "title", "authors", "label")
_REUSE: dict[str, dict[str, Any]] = {}
#: `_plain` by input text: a pure function of the text (and pybtex's code, see cache.py).
PLAIN: dict[str, str] = {}
_PARTS = ("first_names", "middle_names", "prelast_names", "last_names", "lineage_names")


def reuse(store: dict[str, dict[str, Any]]) -> None:
    """Let references take `DERIVED` values formatted by an earlier build, by fingerprint."""
    global _REUSE
    _REUSE = store


def derived(library: Library) -> dict[str, dict[str, Any]]:
    """The `DERIVED` values computed so far, by fingerprint, to keep for the next build."""
    out: dict[str, dict[str, Any]] = {}
    refs = library.references
    for ref in refs.made() if isinstance(refs, _PackedReferences) else refs.values():
        values = {name: ref.__dict__[name] for name in DERIVED if name in ref.__dict__}
        if values:
            if "html" in values:
                values["html"] = str(values["html"])
            if "title" in values:
                values["title"] = values["title"] or ""
            out[ref.fingerprint] = values
    return out


def _person_parts(person: Person) -> tuple[list[str], ...]:
    return tuple(list(getattr(person, part)) for part in _PARTS)


def _person(parts: tuple[list[str], ...]) -> Person:
    person = Person()
    for name, value in zip(_PARTS, parts, strict=True):
        setattr(person, name, list(value))
    return person


class _LazyEntry(Entry):
    """An entry restored from the cache: its names are rebuilt only when something reads them."""

    def __init__(self, key: str, type_: str, original_type: str, fields: dict, persons: list) -> None:
        self.key, self.type, self.original_type = key, type_, original_type
        self._raw_fields: dict | None = fields
        self._raw_persons: list | None = persons
        self._fields: Any = None
        self._persons: Any = None

    @property  # type: ignore[override]
    def fields(self) -> Any:
        if self._raw_fields is not None:
            self._fields, self._raw_fields = Entry("misc", fields=self._raw_fields).fields, None
        return self._fields

    @fields.setter
    def fields(self, value: Any) -> None:
        self._fields, self._raw_fields = value, None

    def field(self, name: str) -> str | None:
        """One field (names are case-insensitive), without building pybtex's field dict:
        a warm build reads a few fields of each entry, and the dicts were a visible share
        of its memory."""
        if self._raw_fields is None:
            value = self._fields.get(name)
            return None if value is None else str(value)
        lower = name.lower()
        for key, value in self._raw_fields.items():
            if key.lower() == lower:
                return str(value)
        return None

    @property  # type: ignore[override]
    def persons(self) -> Any:
        if self._raw_persons is not None:
            persons = {role: [_person(p) for p in people] for role, people in self._raw_persons}
            self._persons, self._raw_persons = Entry("misc", persons=persons).persons, None
        return self._persons

    @persons.setter
    def persons(self, value: Any) -> None:
        self._persons, self._raw_persons = value, None


def library_to_cache(
    library: Library, problems: list[Problem]
) -> tuple[dict[str, Any], list[tuple[str, bytes]]]:
    """For `library_from_cache`: the path and problems, and each entry packed on its own as
    plain data (no pybtex objects), in file order."""
    entries = []
    for ref in library.references.values():
        entry = ref.entry
        persons = [(role, [_person_parts(p) for p in people]) for role, people in entry.persons.items()]
        fields = dict(entry.fields)
        data = (ref.type, ref.line, entry.type, entry.original_type, fields, persons, ref.fingerprint)
        entries.append((ref.key, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)))
    return {"path": library.path, "problems": problems}, entries


def library_from_cache(
    head: dict[str, Any], keys: Iterable[str], read: Callable[[str], bytes]
) -> tuple[Library, list[Problem]]:
    """The library `library_to_cache` packed: `keys` in file order, `read(key)` one packed entry."""
    return Library(head["path"], _PackedReferences(keys, read)), list(head["problems"])


class _PackedReferences(Mapping[str, Reference]):
    """The entries as the cache keeps them, each made a `Reference` when first read.

    A shared bibliography may hold 20,000 entries of which a site cites 1,000: the others
    are never read from the cache file nor held in memory. Keys, order and `in` need no
    entry.
    """

    def __init__(self, keys: Iterable[str], read: Callable[[str], bytes]) -> None:
        self._keys = dict.fromkeys(keys)
        self._read = read
        self._made: dict[str, Reference] = {}

    def __getitem__(self, key: str) -> Reference:
        ref = self._made.get(key)
        if ref is None:
            if key not in self._keys:
                raise KeyError(key)
            type_, line, entry_type, original_type, fields, persons, fingerprint = pickle.loads(
                self._read(key)
            )
            ref = Reference(key, type_, line, _LazyEntry(key, entry_type, original_type, fields, persons))
            ref.__dict__["fingerprint"] = fingerprint  # cached_property's slot: no names rebuilt for it
            self._made[key] = ref
        return ref

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def made(self) -> Iterable[Reference]:
        """The entries read so far (the others have nothing formatted to keep)."""
        return self._made.values()

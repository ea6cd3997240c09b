"""Reference-manager exports to BibTeX entries to paste: PubMed/MEDLINE .nbib, RIS, CSL-JSON.

RIS is read by rispy; CSL-JSON is JSON; MEDLINE by `evidence.bib.import_medline`. A name
with no comma in RIS is an organisation, kept whole (braced) and keyed by its first three
words (`agencyhealthcareresearch2023`); a report's or thesis's publisher is its
`institution` (what `check` wants). The entries are written by pybtex's BibTeX writer in
biblatex's data model (date, journaltitle, pmid); every tag or variable that has no place
in it is reported by name, so nothing is dropped silently.

Any file, however broken, is a located error (`BadExport`, a `Problem` naming the file and
line): not UTF-8, a control or look-alike character (the text policy of references.bib),
JSON nested deeper than `MAX_DEPTH`, a value of the wrong type where CSL-JSON wants a list
or an object, a name pybtex cannot split. Every value is written by `evidence.bib.write`,
so braces, quotes and backslashes in a title cannot end its field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import rispy
from pybtex.database import BibliographyData, Entry, Person
from pybtex.database.output.bibtex import Writer
from pybtex.exceptions import PybtexError

from evidence.bib.fields import form
from evidence.bib.import_medline import ISSN_MEDIUM, medline_records, split_name
from evidence.bib.import_read import BadExport, Locator, parse_json, read_text, unreadable, unwritable
from evidence.bib.write import latex_escape, url_value

__all__ = ["BadExport", "Imported", "import_file"]

#: RIS TY → entry type (RIS's documented reference types).
RIS_TYPES = {
    "JOUR": "article", "JFULL": "article", "MGZN": "article", "NEWS": "article", "EJOUR": "article",
    "BOOK": "book", "EBOOK": "book", "EDBOOK": "collection", "CHAP": "incollection", "ECHAP": "incollection",
    "CONF": "inproceedings", "CPAPER": "inproceedings", "RPRT": "report", "GOVDOC": "report",
    "THES": "thesis", "ELEC": "online", "WEB": "online", "DATA": "dataset", "COMP": "software",
    "PAT": "patent", "STAND": "standard", "VIDEO": "video", "UNPB": "unpublished", "GEN": "misc",
}  # fmt: skip
#: rispy key → data-model field.
RIS_FIELDS = {
    "title": "title", "primary_title": "title", "journal_name": "journaltitle",
    "secondary_title": "journaltitle", "alternate_title3": "journaltitle", "alternate_title1": "shortjournal",
    "alternate_title2": "shortjournal", "volume": "volume", "number": "number", "publisher": "publisher",
    "place_published": "location", "doi": "doi", "issn": "issn", "abstract": "abstract", "edition": "edition",
    "language": "langid", "note": "note", "notes": "note", "keywords": "keywords", "type_of_work": "type",
    "short_title": "shorttitle", "tertiary_title": "series",
}  # fmt: skip
CSL_TO_TYPE = {
    "article-journal": "article", "article-magazine": "article", "article-newspaper": "article",
    "book": "book", "chapter": "incollection", "paper-conference": "inproceedings", "report": "report",
    "thesis": "thesis", "webpage": "online", "post-weblog": "online", "dataset": "dataset",
    "software": "software", "patent": "patent", "manuscript": "unpublished",
    "entry-encyclopedia": "inreference",
    "motion_picture": "video", "document": "misc", "standard": "standard",
}  # fmt: skip
CSL_FIELDS = {
    "title": "title", "container-title": "journaltitle", "volume": "volume", "issue": "number",
    "page": "pages", "publisher": "publisher", "publisher-place": "location", "DOI": "doi", "PMID": "pmid",
    "PMCID": "pmcid", "ISSN": "issn", "ISBN": "isbn", "URL": "url", "language": "langid", "note": "note",
    "edition": "edition", "abstract": "abstract", "version": "version", "genre": "type",
    "collection-title": "series", "container-title-short": "shortjournal",
}  # fmt: skip
#: Fields whose value is an address, written percent-encoded rather than as LaTeX.
_LINKS = frozenset({"url", "doi"})


@dataclass
class Imported:
    """BibTeX text to paste, and what could not be mapped (record, then tag or variable)."""

    bibtex: str
    count: int
    unmapped: list[str] = field(default_factory=list)


def import_file(path: Path) -> Imported:
    """Read `path` by its content: CSL-JSON (`[` or `{`), MEDLINE (`PMID-`), else RIS.

    Raises `BadExport` (a located problem) for any file that cannot be read as one."""
    display = str(path)
    text = read_text(path, display)
    start = text.lstrip()[:1]
    try:
        if start in "[{" and start:
            records = _from_csl(parse_json(text, display), Locator(text, display))
        elif re.search(r"^PMID\s*-", text, re.MULTILINE):
            records = [(_entry(t, f, p), left) for t, f, p, left in medline_records(text)]
        else:
            records = _from_ris(text)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError) as exc:
        raise unreadable(display, exc) from None
    data = BibliographyData()
    unmapped: list[str] = []
    for number, (entry, left) in enumerate(records, start=1):
        key = _unique(_key(entry), data)
        data.add_entry(key, entry)
        unmapped += [f"record {number} ({key}): {name}" for name in left]
    try:
        bibtex = _Writer().to_string(data) if data.entries else ""
    except PybtexError as exc:  # not expected: every value is balanced (evidence.bib.write)
        raise unwritable(display, exc) from None
    return Imported(bibtex, len(data.entries), unmapped)


class _Writer(Writer):
    """pybtex's BibTeX writer, without its LaTeX encoding: every value is LaTeX already
    (`evidence.bib.write`), and encoding it again wrote `\\%` (a line break, then a comment)."""

    def _encode(self, text: str) -> str:
        return text


def _person(name: str) -> Person:
    """A name as pybtex's Person, written so it reads back as one name: a corporate `{…}` is
    kept whole, a stray ` and ` is braced, a name pybtex cannot split (three commas) is kept whole."""
    braced = name.startswith("{") and name.endswith("}") and len(name) > 1
    if not braced:
        escaped = re.sub(r"(?i)(?<=\s)and(?=\s)", "{and}", latex_escape(name))
        try:
            return Person(escaped)
        except PybtexError:
            pass
    return Person("{" + latex_escape(name[1:-1] if braced else name) + "}")


def _entry(type_: str, fields: dict[str, list[str]], people: dict[str, list[str]]) -> Entry:
    if form(type_) in ("report", "thesis") and "publisher" in fields and "institution" not in fields:
        fields["institution"] = fields.pop("publisher")  # what `check` wants of a report or thesis
    sep = {"keywords": ", ", "note": ". "}
    entry = Entry(
        type_,
        fields={
            k: (url_value(" ".join(v[0].split())) if k in _LINKS else latex_escape(sep.get(k, "; ").join(v)))
            for k, v in fields.items()
            if v
        },
    )
    for role, names in people.items():
        for name in names:
            if name.strip():
                entry.add_person(_person(name.strip()), role)
    return entry


def _from_ris(text: str) -> list[tuple[Entry, list[str]]]:
    out = []
    for record in rispy.loads(text, skip_unknown_tags=False):
        fields: dict[str, list[str]] = {}
        left = []
        authors = list(record.pop("authors", [])) + list(record.pop("first_authors", []))
        people = {"author": [split_name(n) for n in authors]}
        if editors := record.pop("secondary_authors", []):
            people["editor"] = [split_name(n) for n in editors]
        kind = record.pop("type_of_reference", "GEN")
        if (year := record.pop("year", None) or record.pop("publication_year", None)) is not None:
            fields.setdefault("date", []).append(_ris_date(str(year), record.pop("date", None)))
        record.pop("date", None)
        pages = [record.pop("start_page", None), record.pop("end_page", None)]
        if pages[0]:
            fields["pages"] = ["--".join(p for p in pages if p)]
        if urls := record.pop("urls", None):
            fields["url"] = [urls[0]]
            left += [f"UR (a second URL: {u})" for u in urls[1:]]
        if accessed := record.pop("access_date", None):
            fields["urldate"] = [_ris_date(str(accessed)[:4], str(accessed))]
        for name, value in record.items():
            target = RIS_FIELDS.get(name)
            values = value if isinstance(value, list) else [value]
            if name == "unknown_tag":
                left += [f"{tag}" for tag in value]
            elif target and not (target == "journaltitle" and "journaltitle" in fields):
                fields.setdefault(target, []).extend(str(v) for v in values)
            elif not target:
                left.append(next((t for t, k in rispy.TAG_KEY_MAPPING.items() if k == name), name))
        type_ = RIS_TYPES.get(kind, "misc")
        if "issn" in fields:
            fields["issn"] = [ISSN_MEDIUM.sub("", v) for v in fields["issn"]]
        if type_ in ("book", "collection", "incollection") and "issn" in fields:
            fields["isbn"] = fields.pop("issn")  # RIS's SN is the ISBN of a book
        out.append((_entry(type_, fields, people), sorted(set(left))))
    return out


def _ris_date(year: str, date: str | None) -> str:
    """RIS's `PY  - 2014` and `DA  - 2014/11/05/` as ISO 8601."""
    parts = [p for p in (date or year).split("/") if p.strip()]
    iso = [parts[0][:4]] + [p.zfill(2) for p in parts[1:3] if p.isdigit()]
    return "-".join(iso)


def _from_csl(data: object, where: Locator) -> list[tuple[Entry, list[str]]]:
    items = data if isinstance(data, list) else [data]
    out = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            continue
        fields: dict[str, list[str]] = {}
        people: dict[str, list[str]] = {}
        left = []
        for name, value in item.items():
            if name in ("id", "citation-key", "type"):
                if not isinstance(value, str | int) or isinstance(value, bool):
                    raise where.fail(number, name, "text", value)
                continue
            if name in ("author", "editor", "container-author"):
                if not isinstance(value, list) or not all(isinstance(n, dict) for n in value):
                    raise where.fail(number, name, "a list of names (objects)", value)
                role = {"container-author": "bookauthor"}.get(name, name)
                people[role] = [_csl_name(n, number, name, where) for n in value]
            elif name in ("issued", "accessed"):
                if date := _csl_date(value, number, name, where):
                    fields["date" if name == "issued" else "urldate"] = [date]
            elif name in CSL_FIELDS:
                fields.setdefault(CSL_FIELDS[name], []).append(_scalar(value, number, name, where))
            else:
                left.append(name)
        kind = CSL_TO_TYPE.get(str(item.get("type")), "misc")
        if kind == "incollection" and "journaltitle" in fields:
            fields["booktitle"] = fields.pop("journaltitle")
        if kind == "online" and "journaltitle" in fields:
            fields["organization"] = fields.pop("journaltitle")
        if "pages" in fields:
            fields["pages"] = [fields["pages"][0].replace("-", "--")]
        entry = _entry(kind, fields, people)
        out.append((entry, sorted(left)))
        if key := item.get("citation-key") or item.get("id"):
            entry.fields["ids"] = str(key)  # kept for `_key`, dropped there
        where.step(item)
    return out


def _scalar(value: object, number: int, name: str, where: Locator) -> str:
    """A CSL variable's text: a string or a number (`"volume": 12`), nothing else."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise where.fail(number, name, "text or a number", value)
    return str(value)


def _csl_name(name: dict, number: int, variable: str, where: Locator) -> str:
    parts = {k: _scalar(v, number, variable, where) for k, v in name.items() if v is not None}
    if "literal" in parts:
        return "{" + parts["literal"] + "}"
    family = " ".join(parts[p] for p in ("non-dropping-particle", "family") if parts.get(p))
    given = parts.get("given", "")
    suffix = f", {parts['suffix']}" if parts.get("suffix") else ""
    return f"{family}{suffix}, {given}" if given else family


def _csl_date(value: object, number: int, name: str, where: Locator) -> str | None:
    if not isinstance(value, dict):
        raise where.fail(number, name, "a date (an object with date-parts)", value)
    parts = value.get("date-parts")
    if parts is not None and not isinstance(parts, list):
        raise where.fail(number, name, "date-parts as lists of numbers", parts)
    if not parts or not parts[0]:
        return _scalar(value["raw"], number, name, where) if value.get("raw") else None
    if not all(isinstance(p, list) and all(isinstance(n, str | int) for n in p) for p in parts):
        raise where.fail(number, name, "date-parts as lists of numbers", parts)
    try:
        iso = [
            "-".join(f"{int(p):02d}" if i else str(int(p)) for i, p in enumerate(part)) for part in parts[:2]
        ]
    except ValueError:
        raise where.fail(number, name, "date-parts as lists of numbers", parts) from None
    return "/".join(iso)


def _key(entry: Entry) -> str:
    """The export's own key if it gave one, else surname + year (`youngster2014`); an
    organisation's first three words that are not `and`, `for`, `of`, `the`… stand for the
    surname (`agencyhealthcareresearch2023`)."""
    given = entry.fields.pop("ids", None)
    if given and re.fullmatch(r"[^\s,{}()\\\"#%'=]+", given):
        return given
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    name = "".join(people[0].last_names) if people else entry.fields.get("title", "source").split()[0]
    if people and not people[0].first_names and re.fullmatch(r"\{.*\}", name):  # an organisation
        name = "".join([w for w in re.findall(r"\w+", name) if w.lower() not in _KEY_SKIP][:3])
    year = (entry.fields.get("date") or "")[:4]
    return (re.sub(r"[^a-z0-9]", "", name.lower()) or "source") + year


_KEY_SKIP = frozenset({"a", "an", "and", "at", "for", "in", "of", "on", "the", "to"})


def _unique(key: str, data: BibliographyData) -> str:
    if key not in data.entries:
        return key
    return next(f"{key}{c}" for c in "abcdefghijklmnopqrstuvwxyz" if f"{key}{c}" not in data.entries)

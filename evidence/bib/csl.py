"""One reference as a CSL-JSON item (the download), in the data model's terms.

biblatex and BibTeX spellings both land in CSL's variables: `date`/`year` as issued
date-parts (a range as two), `journaltitle`/`journal` as container-title, `eprint` with
`eprinttype = pubmed` as PMID. Text is decoded from LaTeX to Unicode.
"""

from __future__ import annotations

import re
from typing import Any

from evidence.bib.fields import Date
from evidence.bib.reference import Reference

#: Entry types → CSL item types (CSL 1.0.2); a type not listed is a "document".
CSL_TYPES = {
    "article": "article-journal",
    "periodical": "periodical",
    "book": "book",
    "mvbook": "book",
    "collection": "book",
    "mvcollection": "book",
    "reference": "book",
    "booklet": "pamphlet",
    "inbook": "chapter",
    "bookinbook": "chapter",
    "incollection": "chapter",
    "inreference": "entry",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "manual": "report",
    "report": "report",
    "techreport": "report",
    "thesis": "thesis",
    "mastersthesis": "thesis",
    "phdthesis": "thesis",
    "misc": "document",
    "online": "webpage",
    "www": "webpage",
    "proceedings": "book",
    "unpublished": "manuscript",
    "dataset": "dataset",
    "software": "software",
    "patent": "patent",
    "standard": "standard",
    "video": "motion_picture",
    "movie": "motion_picture",
    "audio": "song",
    "legislation": "legislation",
}
_GENRE = {"mastersthesis": "Master's thesis", "phdthesis": "PhD thesis"}
#: Data-model fields copied as text into the CSL variable of the same meaning.
_TEXT_FIELDS = {
    "title": "title",
    "booktitle": "container-title",
    "journaltitle": "container-title",
    "maintitle": "collection-title",
    "series": "collection-title",
    "edition": "edition",
    "volume": "volume",
    "version": "version",
    "pages": "page",
    "publisher": "publisher",
    "institution": "publisher",
    "organization": "publisher",
    "location": "publisher-place",
    "isbn": "ISBN",
    "issn": "ISSN",
    "langid": "language",
    "note": "note",
    "addendum": "note",
    "abstract": "abstract",
}
_IDS = {"url": "URL", "doi": "DOI", "pmid": "PMID", "pmcid": "PMCID"}


def _name(person: Any, ref: Reference) -> dict[str, str]:
    """A pybtex Person as a CSL name; a braced corporate author ({{World Health Organization}}) is literal."""
    text = ref.memo.text
    last = " ".join(person.last_names)
    if not person.first_names and not person.middle_names and last.startswith("{") and last.endswith("}"):
        return {"literal": text(last)}
    name = {"family": text(last)}
    given = " ".join(person.first_names + person.middle_names)
    if given:
        name["given"] = text(given)
    if person.prelast_names:
        name["non-dropping-particle"] = text(" ".join(person.prelast_names))
    if person.lineage_names:
        name["suffix"] = text(" ".join(person.lineage_names))
    return name


def _date(date: Date | None) -> dict[str, Any] | None:
    if date is None or date.year is None:
        return None
    parts = [date.parts()]
    if date.end is not None and date.end.year is not None:
        parts.append(date.end.parts())
    out: dict[str, Any] = {"date-parts": parts}
    if date.approximate or date.uncertain:
        out["circa"] = True
    return out


def csl_item(ref: Reference) -> dict[str, Any]:
    """One reference as a CSL-JSON item, text fields decoded from LaTeX to Unicode."""
    item: dict[str, Any] = {
        "id": ref.key,
        "citation-key": ref.key,
        "type": CSL_TYPES.get(ref.type, "document"),
    }
    for role, variable in (("author", "author"), ("editor", "editor"), ("bookauthor", "container-author")):
        people = ref.entry.persons.get(role)
        if people:
            item[variable] = [_name(p, ref) for p in people]
    for name, variable in _TEXT_FIELDS.items():
        value = ref.fields.get(name)
        if value and variable not in item:
            item[variable] = ref.memo.text(value)
    for name, variable in _IDS.items():
        if value := ref.fields.get(name):
            item[variable] = value
    if "page" in item:  # "100--110" comes out of LaTeX as an en dash; CSL wants "100-110"
        item["page"] = re.sub(r"\s*[-\u2013\u2014]+\s*", "-", item["page"])
    if number := ref.fields.get("number") or ref.fields.get("issue"):
        item["issue" if ref.form == "article" else "number"] = ref.memo.text(number)
    if howpublished := ref.fields.get("howpublished"):  # a web page's site; else what kind of work
        item.setdefault("container-title" if ref.form == "website" else "genre", ref.memo.text(howpublished))
    if ref.type in _GENRE:
        item["genre"] = _GENRE[ref.type]
    elif ref.form == "thesis" and (kind := ref.fields.get("type")):
        item["genre"] = ref.memo.text(kind)
    if issued := _date(ref.fields.date()):
        item["issued"] = issued
    if accessed := _date(ref.fields.date("urldate")):
        item["accessed"] = accessed
    return item

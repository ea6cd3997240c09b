"""The data model: biblatex's fields and types alongside BibTeX's, read the same way.

Exports write either (`journaltitle` or `journal`, `date` or `year`+`month`, `location`
or `address`); `FieldView` answers in biblatex's terms whichever was written. Each entry
type maps to one of the forms `style` formats; crossref/xdata inheritance follows
biblatex's default rules (a book's `title` is its chapters' `booktitle`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

#: Every standard biblatex (and BibTeX) entry type, and the form it is formatted in.
FORMS: dict[str, str] = {
    **dict.fromkeys(["article", "periodical", "suppperiodical"], "article"),
    **dict.fromkeys(
        [
            "book",
            "mvbook",
            "collection",
            "mvcollection",
            "proceedings",
            "mvproceedings",
            "reference",
            "mvreference",
            "booklet",
            "manual",
        ],
        "book",
    ),
    **dict.fromkeys(
        [
            "inbook",
            "bookinbook",
            "suppbook",
            "incollection",
            "suppcollection",
            "inproceedings",
            "conference",
            "inreference",
        ],
        "chapter",
    ),
    **dict.fromkeys(["online", "www", "electronic"], "website"),
    **dict.fromkeys(["report", "techreport"], "report"),
    **dict.fromkeys(["thesis", "phdthesis", "mastersthesis"], "thesis"),
    "dataset": "dataset",
    "software": "software",
    "set": "set",
    **dict.fromkeys(
        [
            "misc",
            "unpublished",
            "patent",
            "standard",
            "letter",
            "review",
            "commentary",
            "artwork",
            "audio",
            "image",
            "movie",
            "music",
            "performance",
            "video",
            "legislation",
            "legal",
            "jurisdiction",
            "customa",
            "customb",
            "customc",
            "customd",
            "custome",
            "customf",
        ],
        "generic",
    ),
}
#: Entry types that hold data for others and are never references themselves.
DATA_ONLY = frozenset({"xdata"})
#: Fields a formatted reference of each form is poorer without (a warning names them).
WANTED: dict[str, tuple[tuple[str, ...], ...]] = {
    "article": (("title",), ("journaltitle",), ("date",)),
    "book": (("title",), ("publisher",), ("date",)),
    "chapter": (("title",), ("booktitle",), ("date",)),
    "report": (("title",), ("institution",), ("date",)),
    "thesis": (("title",), ("institution",), ("date",)),
    "dataset": (("title",), ("date",)),
    "software": (("title",),),
    "website": (),
    "generic": (),
    "set": (),
}
#: biblatex name ← BibTeX name (read when only the BibTeX one is written).
ALIASES = {
    "journaltitle": ("journal",),
    "location": ("address",),
    "institution": ("school",),
    "annotation": ("annote",),
}
#: eprinttype → the identifier field it fills.
EPRINT = {"pubmed": "pmid", "pmid": "pmid", "pmc": "pmcid", "pmcid": "pmcid", "arxiv": "arxiv", "doi": "doi"}
NOT_INHERITED = frozenset({"crossref", "xref", "xdata", "entryset", "ids", "label", "shorthand", "sortkey"})
_CONTAINER_TYPES = {"book", "mvbook", "collection", "mvcollection", "proceedings", "mvproceedings"}
_CONTAINER_TYPES |= {"reference", "mvreference", "periodical"}


@dataclass(frozen=True)
class Date:
    """A date as EDTF writes it: a year, perhaps month and day, perhaps a range or qualified."""

    year: int | None
    month: int | None = None
    day: int | None = None
    end: Date | None = None
    open_end: bool = False
    approximate: bool = False  # EDTF '~' (or '%')
    uncertain: bool = False  # EDTF '?' (or '%')

    def parts(self) -> list[int]:
        return [p for p in (self.year, self.month, self.day) if p is not None]


_EDTF_ONE = re.compile(r"^(?P<y>-?\d{1,4}|\d{2}XX|\d{3}X)(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?(?P<q>[~?%]?)$")
_SEASONS = {21: 3, 22: 6, 23: 9, 24: 12}  # EDTF seasons (spring…winter) as their first month


def parse_date(value: str) -> Date | None:
    """ISO 8601 / EDTF (level 0 and 1: ranges, open ends, '~?%', seasons); None if not one."""
    value = value.strip()
    if "/" in value:
        start_text, _, end_text = value.partition("/")
        start = _one(start_text) if start_text not in ("", "..") else None
        end = _one(end_text) if end_text not in ("", "..") else None
        if (start_text not in ("", "..") and start is None) or (end_text not in ("", "..") and end is None):
            return None
        if start is None and end is None:
            return None
        if start is None:  # '../2012': shown as its end
            return end
        return Date(start.year, start.month, start.day, end, end is None, start.approximate, start.uncertain)
    return _one(value)


def _one(text: str) -> Date | None:
    found = _EDTF_ONE.match(text.strip())
    if not found:
        return None
    year_text = found["y"].replace("X", "0")
    month = int(found["m"]) if found["m"] else None
    if month is not None and month in _SEASONS:
        month = _SEASONS[month]
    elif month is not None and not 1 <= month <= 12:
        return None
    day = int(found["d"]) if found["d"] else None
    if day is not None and not 1 <= day <= 31:
        return None
    q = found["q"]
    return Date(
        int(year_text), month, day, approximate=q in "~%" and bool(q), uncertain=q in "?%" and bool(q)
    )


_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}


def month_number(value: str) -> int | None:
    """`month = jun`, `{June}`, `6` or `{06}` as 6."""
    text = value.strip().strip(".").lower()
    if text.isdigit():
        number = int(text)
        return number if 1 <= number <= 12 else None
    return _MONTHS.get(text)


class FieldView:
    """An entry's fields in biblatex's names, whichever spelling the file used."""

    def __init__(self, raw: Callable[[str], str | None], entry_type: str) -> None:
        self._raw = raw
        self.type = entry_type

    def get(self, name: str) -> str | None:
        value = self._raw(name)
        if value is None:
            for alias in ALIASES.get(name, ()):
                if (value := self._raw(alias)) is not None:
                    break
        if value is None and name in ("pmid", "pmcid", "arxiv", "doi"):
            eprint, kind = self._raw("eprint"), (self._raw("eprinttype") or "").strip().lower()
            if eprint and EPRINT.get(kind) == name:
                value = eprint
        if value is None and name == "institution" and self.type in ("report", "techreport"):
            value = self._raw("organization")
        if value is None or not value.strip():
            return None
        return value.strip()

    def date(self, name: str = "date") -> Date | None:
        """`date`/`urldate` parsed, else (for `date`) BibTeX's `year` and `month`."""
        written = self.get(name)
        if written and (parsed := parse_date(written)):
            return parsed
        if name != "date":
            return None
        year = self.get("year")
        if not year or not (found := re.match(r"^\s*(\d{4})", year)):
            return None
        month = self.get("month")
        return Date(int(found[1]), month_number(month) if month else None)

    def date_problem(self, name: str) -> str | None:
        """Why `name` is not a date this site reads, or None."""
        written = self.get(name)
        if written and parse_date(written) is None:
            return f"'{written}' is not an ISO 8601 / EDTF date"
        return None


def form(entry_type: str) -> str | None:
    return FORMS.get(entry_type.lower())


def inherit(child_type: str, parent_type: str, parent: Mapping[str, str]) -> dict[str, str]:
    """The fields a child takes from its crossref parent, renamed as biblatex does."""
    out: dict[str, str] = {}
    child_type, parent_type = child_type.lower(), parent_type.lower()
    for name, value in parent.items():
        lower = name.lower()
        if lower in NOT_INHERITED:
            continue
        if parent_type in _CONTAINER_TYPES and child_type != parent_type:
            if lower in ("title", "subtitle", "titleaddon"):
                if parent_type == "periodical":
                    lower = {"title": "journaltitle", "subtitle": "journalsubtitle"}.get(lower, lower)
                elif parent_type.startswith("mv"):
                    lower = "main" + lower
                else:
                    lower = "book" + lower
                if lower == "journaltitleaddon":
                    continue
            elif lower == "shorttitle":
                continue
        out[lower] = value
    return out


def inherit_people(child_type: str, parent_type: str, role: str) -> str:
    """The role a parent's names take in the child (a book's author is a chapter's bookauthor)."""
    if (
        role == "author"
        and parent_type.lower() in _CONTAINER_TYPES
        and child_type.lower() != parent_type.lower()
    ):
        return "bookauthor"
    return role

"""AMA Manual of Style (11th edition) references, as text parts for `reference.html`.

Following the AMA 11th ed. patterns: names as `Surname AB` (six listed, else three and
`et al`); article and chapter titles in sentence case (braced text keeps its case);
journal and book titles in italics; `Year;Vol(Issue):pages`; `Publisher; Year`; a
talk's `Presented at: Meeting; date; place`; `doi:10.…` with no final period. A PubMed ID
follows the DOI as `PMID: n`, linked to PubMed (NLM's practice; AMA itself does not print
it). Links are parts with an `href` (a `url` only if http(s)), escaped by the template
like every other part.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from pybtex.database import Person

from evidence.bib.fields import Date, FieldView
from evidence.bib.latex import Converted, Part
from evidence.content.markup import allowed_url

#: AMA lists up to 6 names; with 7 or more, the first 3 and `et al`.
MAX_LISTED, FIRST_LISTED = 6, 3
_MONTH_NAMES = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
_THESIS = {"phdthesis": "Dissertation", "mastersthesis": "Master's thesis", "mathesis": "Master's thesis"}
#: biblatex's localization keys for `type`, as words.
_TYPE_KEYS = {
    **_THESIS,
    "techreport": "Technical report",
    "resreport": "Research report",
    "patent": "Patent",
    "patentus": "US patent",
    "patenteu": "European patent",
    "patentde": "German patent",
    "patentuk": "British patent",
    "patreqfr": "French patent request",
    "software": "Software",
    "datacd": "CD-ROM",
    "audiocd": "Audio CD",
}
Convert = Callable[[str], Converted]


class Formatter:
    """One entry in AMA style: `parts()` is the whole reference."""

    def __init__(
        self,
        view: FieldView,
        persons: dict[str, Sequence[Person]],
        form: str,
        convert: Convert,
        members: Callable[[str], Sequence[Part]] = lambda key: (),
    ):
        self.f, self.persons, self.form, self.convert = view, persons, form, convert
        self.members = members  # a set's member, formatted (by key)
        self.out: list[Part] = []

    # -- building blocks -----------------------------------------------------
    def text(self, name: str) -> list[Part]:
        value = self.f.get(name)
        return list(self.convert(value).parts) if value else []

    def sentence(self, parts: list[Part], end: str = ".") -> None:
        """Add `parts` and close them with `end` unless they already end in punctuation."""
        parts = [p for p in parts if p.text]
        if not parts:
            return
        if self.out:
            self.out.append(Part(" "))
        self.out.extend(parts)
        if end and not parts[-1].href and not re.search(r"[.?!]$", parts[-1].text.rstrip()):
            self.out.append(Part(end))

    def names(self, role: str) -> str:
        people = list(self.persons.get(role, ()))
        if not people:
            return ""
        others = any(str(p) == "others" for p in people)
        people = [p for p in people if str(p) != "others"]
        if len(people) > MAX_LISTED or others:
            shown = people[: FIRST_LISTED if len(people) > MAX_LISTED else len(people)]
            return ", ".join(self.name(p) for p in shown) + ", et al"
        return ", ".join(self.name(p) for p in people)

    def name(self, person: Person) -> str:
        plain = lambda parts: self.convert(" ".join(parts)).text.strip()  # noqa: E731
        last = plain(person.prelast_names + person.last_names)
        given = plain(person.first_names + person.middle_names)
        initials = "".join(_initials(word) for word in given.split())
        lineage = plain(person.lineage_names)
        return " ".join(p for p in (last, initials, lineage) if p)

    def italic(self, parts: list[Part]) -> list[Part]:
        return [p if p.href or p.style else Part(p.text, "em", "", p.protected) for p in parts]

    def title(self, name: str = "title", sentence_case: bool = True) -> list[Part]:
        parts = self.text(name)
        sub = self.text(name.replace("title", "subtitle")) if name.endswith("title") else []
        if sub:
            parts += [Part(": "), *sub]
        return _sentence_case(parts) if sentence_case else parts

    # -- the reference ---------------------------------------------------------
    def parts(self) -> list[Part]:
        getattr(self, "_" + self.form, self._generic)()
        self.tail()
        return self.out

    def lead(self) -> None:
        """Authors, else editors (`, ed.`/`, eds.`), else the organization."""
        who = self.names("author")
        if not who and (editors := self.names("editor")):
            who = editors + (", eds" if len(self.persons.get("editor", ())) > 1 else ", ed")
        if not who and self.form not in ("report", "website", "software", "dataset"):
            who = self.convert(self.f.get("organization") or "").text
        if who:
            self.sentence([Part(who)])

    def _article(self) -> None:
        self.lead()
        self.sentence(self.title())
        self.sentence(self.italic(self.title("journaltitle", sentence_case=False)))
        where = self.year()
        volume, issue = self.f.get("volume"), self.f.get("number") or self.f.get("issue")
        if volume or issue:
            where += ";" + (self.convert(volume).text if volume else "")
            where += f"({self.convert(issue).text})" if issue else ""
        if pages := self.pages():
            where += ":" + pages
        self.sentence([Part(where)] if where else [])

    def _book(self) -> None:
        self.lead()
        self.sentence(self.italic(self.title(sentence_case=False)))
        self.edition_and_volume()
        self.publisher_year()

    def _chapter(self) -> None:
        self.lead()
        self.sentence(self.title())
        inner = [Part("In: ")]
        editors = self.names("editor") if self.names("author") else ""
        if bookauthor := self.names("bookauthor"):
            inner.append(Part(bookauthor + ". "))
        if editors:
            inner.append(Part(editors + (", eds. " if len(self.persons["editor"]) > 1 else ", ed. ")))
        inner += self.italic(self.title("booktitle", sentence_case=False))
        self.sentence(inner if len(inner) > 1 else [])
        self.edition_and_volume()
        self.publisher_year(pages=True)

    def _website(self) -> None:
        self.lead()
        self.sentence(self.title())
        site = self.f.get("howpublished") or self.f.get("organization") or self.f.get("journaltitle")
        self.sentence(list(self.convert(site).parts) if site else [])
        if date := self.f.date():
            self.sentence([Part("Published " + _long_date(date))])

    def _report(self) -> None:
        self.lead()
        self.sentence(self.italic(self.title(sentence_case=False)))
        self.publisher_year()
        kind, number = self.f.get("type"), self.f.get("number")
        label = " ".join(
            x for x in (_type_word(kind, self.convert), number and self.convert(number).text) if x
        )
        self.sentence([Part(label)] if label else [])

    def _thesis(self) -> None:
        self.lead()
        self.sentence(self.italic(self.title(sentence_case=False)))
        kind = self.f.get("type")
        label = _type_word(kind, self.convert) if kind else _THESIS.get(self.f.type)
        self.sentence([Part(label or "Thesis")])
        self.publisher_year()

    def _dataset(self) -> None:
        self.lead()
        self.sentence(self.title(sentence_case=False))
        if version := self.f.get("version"):
            self.sentence([Part("Version " + self.convert(version).text)])
        self.publisher_year()

    _software = _dataset

    def _set(self) -> None:
        """A biblatex @set: its members, each formatted, one after the other."""
        members = [m.strip() for m in (self.f.get("entryset") or "").split(",") if m.strip()]
        found = [self.members(m) for m in members]
        for parts in (p for p in found if p):
            if self.out:
                self.out.append(Part(" "))
            self.out.extend(parts)
        if not self.out:
            self._generic()

    def _generic(self) -> None:
        self.lead()
        self.sentence(self.title())
        self.sentence(self.text("howpublished"))
        kind, number = _type_word(self.f.get("type"), self.convert), self.f.get("number")
        label = " ".join(x for x in (kind, number and self.convert(number).text) if x)
        self.sentence([Part(label)] if label else [])
        self.publisher_year(dated=not self.presented())

    def presented(self) -> bool:
        """A talk or poster (biblatex's `eventtitle`): `Presented at: Meeting; date; place.`

        AMA 11 names the place of a meeting (biblatex's `venue`, else `location`, BibTeX's
        `address`, where exports put a talk's city) though not a publisher's location."""
        event = self.f.get("eventtitle")
        if not event:
            return False
        shown = [self.convert(event).text]
        if when := self.f.date("eventdate") or self.f.date():
            shown.append(_long_date(when))
        if where := self.f.get("venue") or self.f.get("location"):
            shown.append(self.convert(where).text)
        self.sentence([Part("Presented at: " + "; ".join(s for s in shown if s.strip()))])
        return True

    def edition_and_volume(self) -> None:
        if edition := self.f.get("edition"):
            text = self.convert(edition).text
            self.sentence([Part((_ordinal(int(text)) if text.isdigit() else text) + " ed")])
        if volume := self.f.get("volume"):
            self.sentence([Part("Vol " + self.convert(volume).text)])

    def publisher_year(self, pages: bool = False, dated: bool = True) -> None:
        """`Publisher; Year` (AMA 11 leaves out the publisher's location), `:pages` for a
        chapter; no year after a talk's `Presented at` (it holds the date)."""
        who = self.f.get("publisher") or self.f.get("institution")
        if not who and self.form in ("report", "software", "dataset", "generic", "book"):
            who = self.f.get("organization")
        year, shown = self.year() if dated else "", self.convert(who).text if who else ""
        text = f"{shown}; {year}" if shown and year else shown or year
        if pages and (p := self.pages()):
            text += ":" + p
        self.sentence([Part(text)] if text else [])

    def year(self) -> str:
        date = self.f.date()
        if date is None or date.year is None:
            return ""
        text = str(date.year)
        if date.end is not None and date.end.year not in (None, date.year):
            text += f"-{date.end.year}"
        elif date.open_end:
            text += "-"
        return text

    def pages(self) -> str:
        value = self.f.get("pages")
        if not value:
            return ""
        text = re.sub(r"\s*[-–—]+\s*", "-", self.convert(value).text)
        found = re.fullmatch(r"(\d+)-(\d+)", text)
        if found and len(found[2]) < len(found[1]):  # MEDLINE's 1772-8: AMA prints 1772-1778
            text = f"{found[1]}-{found[1][: len(found[1]) - len(found[2])]}{found[2]}"
        return text

    def tail(self) -> None:
        """Notes, then Accessed, the URL (when no DOI), the DOI and the PubMed ID."""
        for name in ("note", "addendum"):
            self.sentence(self.text(name))
        doi, url = self.f.get("doi"), self.f.get("url")
        if self.f.get("urldate") and (accessed := self.f.date("urldate")) and (url or not doi):
            self.sentence([Part("Accessed " + _long_date(accessed))])
        if url and not doi:  # linked only if http(s) (bib.checks refuses any other: bib-url)
            self.sentence([Part(url, "link", url) if linkable(url) else Part(url)], end="")
        if doi:
            self.sentence([Part("doi:"), Part(doi, "link", "https://doi.org/" + doi)], end="")
        if (pmid := self.f.get("pmid")) and pmid.isdigit():
            self.sentence(
                [Part("PMID: "), Part(pmid, "link", f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/")], end=""
            )
        if (arxiv := self.f.get("arxiv")) and not doi:
            self.sentence([Part("arXiv:"), Part(arxiv, "link", "https://arxiv.org/abs/" + arxiv)], end="")
        if (pmcid := self.f.get("pmcid")) and re.fullmatch(r"PMC\d+", pmcid):
            self.sentence([Part("PMCID: " + pmcid)], end="")


def linkable(url: str) -> bool:
    """An address a reference may link to: absolute http(s), with no space in it."""
    return allowed_url(url.strip()) and not re.search(r"\s", url.strip())


def _type_word(kind: str | None, convert: Convert) -> str:
    """`type = {phdthesis}` as `Dissertation`; a type written out is shown as written."""
    if not kind:
        return ""
    return _TYPE_KEYS.get(kind.strip().lower(), "") or convert(kind).text


def _initials(word: str) -> str:
    """`Jean-Paul` → `J-P`, `A.` → `A`; a lowercase word (`de`) is kept out."""
    pieces = [p for p in word.replace(".", " ").split() if p]
    return " ".join(
        "-".join(h[0].upper() for h in p.split("-") if h) for p in pieces if p[0].isupper() or not p.isalpha()
    ).replace(" ", "")


def _sentence_case(parts: list[Part]) -> list[Part]:
    """BibTeX's 't' case change (lower case but the first letter and braced text), leaving
    acronyms and mixed-case words as written."""
    out, first = [], True
    for part in parts:
        if part.protected or part.href:
            out.append(part)
        else:
            text = part.text
            head, rest = (text[:1], text[1:]) if first else ("", text)
            out.append(Part(head + _WORD.sub(_lower_word, rest), part.style, "", False))
        if part.text.strip():
            first = False
    return out


_WORD = re.compile(r"[^\W\d_]+(?:[-–][^\W\d_]+)*")


def _lower_word(found: re.Match[str]) -> str:
    """Lower case, but not an acronym or a mixed-case word (COVID, mRNA, Pd-N, C–C): those
    keep their capitals even unbraced, as a reader would."""
    word = found[0]
    if any(len(piece) == 1 or any(c.isupper() for c in piece[1:]) for piece in re.split(r"[-–]", word)):
        return word
    return word.lower()


def _long_date(date: Date) -> str:
    """`June 9, 2017`, `June 2017` or `2017`, as AMA writes published and accessed dates."""
    if date.month is None:
        return str(date.year)
    month = _MONTH_NAMES[date.month - 1]
    return f"{month} {date.day}, {date.year}" if date.day else f"{month} {date.year}"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"

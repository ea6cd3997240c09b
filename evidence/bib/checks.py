"""What is said of one entry: its type, links, dates, empty fields, LaTeX and missing fields.

Only what would put something wrong on a page is an error (a link that is not http(s), a
malformed DOI, a bare '%' that hides text); what only makes the formatted reference
poorer (an unknown type, a missing journal, a command shown as text) is a warning that
names the field, so an export loads as exported.
"""

from __future__ import annotations

import re
from typing import Final

from evidence.bib.fields import FORMS, WANTED
from evidence.bib.latex import EMPHASIS, PASS_THROUGH, STRONG
from evidence.bib.read import field_line
from evidence.bib.reference import Reference
from evidence.bib.style import linkable
from evidence.core.problems import Problem, error, warning

#: Every rule id this module reports (CONTRIBUTING.md, "Where rules live").
RULES: Final = frozenset(
    {
        "bib-date",
        "bib-doi",
        "bib-empty-field",
        "bib-latex",
        "bib-missing-field",
        "bib-percent",
        "bib-pmid",
        "bib-unknown-type",
        "bib-url",
    }
)
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_LINK_FIELDS = ("url", "doi")
_COMMAND = re.compile(r"\\([A-Za-z]+)")
_BARE_PERCENT = re.compile(r"(?<!\\)%")
#: Commands that always convert (accents, letters, emphasis): no need to decode to know.
_CONVERTS = (
    frozenset({"c", "v", "u", "H", "o", "O", "l", "L", "i", "j", "k", "r", "t", "d", "b", "ss", "aa", "AA"})
    | {"ae", "AE", "oe", "OE", "textendash", "textemdash", "url", "href", "textsuperscript", "textsubscript"}
    | EMPHASIS
    | STRONG
    | PASS_THROUGH
)
_MISSING_NAMES = {"journaltitle": "journaltitle (or journal)", "date": "date (or year)"}
_MISSING_NAMES |= {"institution": "institution (or school)"}


def entry_problems(ref: Reference, display: str, text: str) -> list[Problem]:
    """Everything said of `ref` beyond its characters (see `characters`) and syntax."""
    return [
        *_type_and_links(ref, display, text),
        *_values(ref, display, text),
        *_comments(ref, display, text),
        *_missing(ref, display, text),
    ]


def _line(text: str, ref: Reference, name: str) -> int:
    return field_line(text, ref.line, name)


def _type_and_links(ref: Reference, display: str, text: str) -> list[Problem]:
    problems: list[Problem] = []
    if ref.type not in FORMS:
        problems.append(
            warning(
                display,
                ref.line,
                1,
                f"entry '{ref.key}' has type @{ref.type}, which this site formats in the generic form",
                "bib-unknown-type",
                "use a standard BibTeX or biblatex type (article, book, report, online, misc, …) if one fits",
            )
        )
    url = ref.field("url")
    if url and url.strip() and not linkable(url):
        problems.append(
            error(
                display,
                _line(text, ref, "url"),
                1,
                f"entry '{ref.key}' has a url that is not http(s): '{url}'",
                "bib-url",
                "only http:// and https:// links are allowed; leave the field out if unsure",
            )
        )
    doi = ref.doi
    if doi and not _DOI.match(doi):
        problems.append(
            error(
                display,
                _line(text, ref, "doi"),
                1,
                f"entry '{ref.key}' has a malformed doi '{doi}'",
                "bib-doi",
                "write the bare DOI, e.g. 10.1136/bmjopen-2016-012345, without 'https://doi.org/'",
            )
        )
    pmid = ref.fields.get("pmid")
    if pmid and not pmid.isdigit():
        problems.append(
            warning(
                display,
                _line(text, ref, "pmid" if ref.field("pmid") else "eprint"),
                1,
                f"entry '{ref.key}' has a PubMed ID that is not a number: '{pmid}'; it is not linked",
                "bib-pmid",
                "write the PMID's digits only, e.g. 31234567",
            )
        )
    for name in ("date", "urldate", "eventdate"):
        if why := ref.fields.date_problem(name):
            problems.append(
                warning(
                    display,
                    _line(text, ref, name),
                    1,
                    f"field '{name}' of entry '{ref.key}': {why}, so it is not shown",
                    "bib-date",
                    "write YYYY, YYYY-MM or YYYY-MM-DD, or a range such as 2019-03/2020-01",
                )
            )
    return problems


def _values(ref: Reference, display: str, text: str) -> list[Problem]:
    """Empty fields, and LaTeX commands that are shown as plain text (named)."""
    problems: list[Problem] = []
    values = list(ref.entry.fields.items())
    values += [(role, str(person)) for role, people in ref.entry.persons.items() for person in people]
    values += [  # pybtex drops `author = {}` altogether: find the written line instead
        (role, "")
        for role in ("author", "editor")
        if role not in ref.entry.persons and _line(text, ref, role) != ref.line
    ]
    for name, value in values:
        if name.lower() in _LINK_FIELDS and value.strip():
            continue
        if not value.strip():
            problems.append(
                warning(
                    display,
                    _line(text, ref, name),
                    1,
                    f"field '{name.lower()}' of entry '{ref.key}' is empty, so it is left out",
                    "bib-empty-field",
                    "fill it in from the source, or delete the line",
                )
            )
        elif not set(_COMMAND.findall(value)) <= _CONVERTS and (left := ref.memo.convert(value).unknown):
            problems.append(
                warning(
                    display,
                    _line(text, ref, name),
                    1,
                    f"field '{name.lower()}' of entry '{ref.key}' has LaTeX that does not convert "
                    f"to text, shown as plain text: {' '.join(left)}",
                    "bib-latex",
                    "type the character itself (the file is UTF-8), or use \\emph, \\textbf, "
                    "\\textsuperscript, \\url or an accent command",
                )
            )
    return problems


def _comments(ref: Reference, display: str, text: str) -> list[Problem]:
    """A bare '%' starts a LaTeX comment: the rest of the field would silently vanish."""
    fields = [(n, v) for n, v in ref.entry.fields.items() if n.lower() not in _LINK_FIELDS]
    fields += [(role, str(person)) for role, people in ref.entry.persons.items() for person in people]
    return [
        error(
            display,
            _line(text, ref, name),
            1,
            f"field '{name.lower()}' of entry '{ref.key}' has a bare '%', which hides the rest of the field",
            "bib-percent",
            "write the percent sign as \\%",
        )
        for name, value in fields
        if _BARE_PERCENT.search(value)
    ]


def _missing(ref: Reference, display: str, text: str) -> list[Problem]:
    """A field the style would print for this type: its reference is poorer without it."""
    problems = []
    for wanted in WANTED.get(ref.form, ()):
        if any(ref.fields.get(name) for name in wanted) or (
            "date" in wanted and ref.fields.date() is not None
        ):
            continue
        if "title" in wanted and ref.form in ("book", "report") and ref.entry.persons.get("editor"):
            continue
        if "journaltitle" in wanted and ref.type == "periodical":  # its title is the journal's
            continue
        shown = " or ".join(_MISSING_NAMES.get(name, name) for name in wanted)
        problems.append(
            warning(
                display,
                ref.line,
                1,
                f"entry '{ref.key}' (@{ref.type}) has no {shown}; its reference is shown without it",
                "bib-missing-field",
                f"add {shown} from the source if it has one",
            )
        )
    return problems

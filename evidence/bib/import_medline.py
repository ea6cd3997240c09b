"""PubMed/MEDLINE .nbib records, read here: its tags are a fixed, documented list (NLM's
MEDLINE/PubMed data element descriptions), and the pybtex NBIB plugin joins wrapped lines
without a space and reads a file of several records as one.

Every tag is mapped or named: the record's own tags (OWN, STAT, SO, DEP, …), a second
ISSN and each publication type (PT) that did not choose the entry type are returned as
"not mapped", so `new-source --from` lists them. The journal is TA, NLM's abbreviation
(what AMA style prints: "JAMA", "BMJ Open"); JT, the full title as MEDLINE writes it
("BMJ open"), is kept in `journalfulltitle`, a field no style prints. A corporate author
(CN) is one organisation, braced.
"""

from __future__ import annotations

import re

#: (entry type, fields, people by role, tags not mapped).
Record = tuple[str, dict[str, list[str]], dict[str, list[str]], list[str]]

#: MEDLINE tags → data-model field (TA is the journal, JT kept aside: see the docstring).
NBIB_FIELDS = {
    "TI": "title", "BTI": "booktitle", "TA": "journaltitle", "JT": "journalfulltitle",
    "VI": "volume", "IP": "number",
    "PG": "pages", "PMID": "pmid", "PMC": "pmcid", "AB": "abstract", "PB": "publisher", "PL": "location",
    "LA": "langid", "ISBN": "isbn", "OT": "keywords", "MH": "keywords", "GN": "note",
}  # fmt: skip
#: MEDLINE's PT (publication type) → entry type; the first PT found here sets the type.
_NBIB_TYPES = {
    "Journal Article": "article", "Review": "article", "Systematic Review": "article",
    "Meta-Analysis": "article", "Randomized Controlled Trial": "article", "Book": "book",
    "Chapter": "incollection", "Technical Report": "report", "Government Publication": "report",
    "Preprint": "online", "Dataset": "dataset",
}  # fmt: skip
#: An ISSN's medium, as MEDLINE and some RIS exports append it: `1538-3598 (Electronic)`.
ISSN_MEDIUM = re.compile(r"\s*\((Print|Electronic|Linking|Internet)\)\s*$", re.IGNORECASE)
#: A name written `Surname AB` (MEDLINE's AU, some RIS exports): a person, not an organisation.
_SURNAME_INITIALS = re.compile(r"(?P<last>\S.*?)\s+(?P<initials>[A-Z]{1,3})")


def split_name(name: str) -> str:
    """RIS (and MEDLINE's AU) writes a person `Surname, Given`; a name with no comma is an organisation (kept
    whole, braced), unless it reads `Surname AB` (initials after a surname)."""
    name = " ".join(str(name).split())
    if "," in name or " " not in name or name.startswith("{"):
        return name
    if found := _SURNAME_INITIALS.fullmatch(name):
        return f"{found['last']}, {' '.join(found['initials'])}"
    return "{" + name + "}"


def medline_records(text: str) -> list[Record]:
    """Each MEDLINE record as (type, fields, people, what was not mapped)."""
    out = []
    for block in re.split(r"\n\s*\n(?=PMID\s*-)", text.strip()):
        tags: list[tuple[str, str]] = []
        for line in block.splitlines():
            found = re.match(r"^([A-Z]{2,4})\s*-\s?(.*)$", line)
            if found:
                tags.append((found[1], found[2].strip()))
            elif tags and line.startswith("      "):  # a wrapped line continues the last tag
                tags[-1] = (tags[-1][0], tags[-1][1] + " " + line.strip())
        fields: dict[str, list[str]] = {}
        people: dict[str, list[str]] = {}
        short: list[str] = []  # AU: the same authors as FAU, used only when FAU is missing
        issns: list[str] = []
        left: list[str] = []
        kinds = []
        for tag, value in tags:
            if tag in ("FAU", "FED"):
                people.setdefault("author" if tag == "FAU" else "editor", []).append(value)
            elif tag == "CN":  # a corporate author: one organisation, kept whole
                people.setdefault("author", []).append("{" + value + "}")
            elif tag == "AU":
                short.append(value)
            elif tag == "PT":
                kinds.append(value)
            elif tag == "DP":
                fields["date"] = [_nbib_date(value)]
            elif tag in ("AID", "LID") and value.endswith("[doi]"):
                fields["doi"] = [value.removesuffix("[doi]").strip()]
            elif tag == "IS":
                issns.append(value)
            elif tag in NBIB_FIELDS:
                fields.setdefault(NBIB_FIELDS[tag], []).append(value)
            else:
                left.append(f"{tag} ({value})" if tag in ("AID", "LID") else tag)
        if "author" not in people and short:
            people["author"] = [split_name(n) for n in short]
        if issns:  # one ISSN, print first, without its medium; the others are named
            ordered = sorted(issns, key=lambda v: ("(Print)" not in v, "(Electronic)" not in v))
            fields["issn"] = [ISSN_MEDIUM.sub("", ordered[0])]
            left += [f"IS ({v})" for v in ordered[1:]]
        type_ = next(
            (_NBIB_TYPES[k] for k in kinds if k in _NBIB_TYPES),
            "article" if "journaltitle" in fields else "misc",
        )
        chosen = next((k for k in kinds if k in _NBIB_TYPES), None)
        left += [f"PT ({k})" for k in kinds if k != chosen]
        if "pages" in fields:
            fields["pages"] = [_full_pages(fields["pages"][0])]
        out.append((type_, fields, people, sorted(set(left), key=left.index)))
    return out


_MONTHS = {
    m: i
    for i, m in enumerate(
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], start=1
    )
}


def _nbib_date(value: str) -> str:
    """MEDLINE's `DP  - 2014 Nov 5` as 2014-11-05 (a season or range keeps only the year)."""
    parts = value.split()
    iso = [parts[0][:4]]
    if len(parts) > 1 and parts[1][:3] in _MONTHS:
        iso.append(f"{_MONTHS[parts[1][:3]]:02d}")
        if len(parts) > 2 and parts[2].isdigit():
            iso.append(f"{int(parts[2]):02d}")
    return "-".join(iso)


def _full_pages(pages: str) -> str:
    """MEDLINE abbreviates page ranges (1772-8); AMA prints them in full (1772-1778)."""
    found = re.fullmatch(r"(\d+)-(\d+)", pages.strip())
    if not found or len(found[2]) >= len(found[1]):
        return pages.replace("-", "--")
    first, last = found[1], found[2]
    return f"{first}--{first[: len(first) - len(last)]}{last}"

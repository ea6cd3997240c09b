"""One work's citation as the files a reference manager imports: RIS, BibTeX and CSL-JSON.

Each is written from the work's CSL-JSON item (`bib.csl.csl_item` for a source, the page's
for "Cite this"), so the three always say the same thing. Text stays in its slot: a RIS
value is one line (every run of white space, line breaks of any kind included, is one
space), so no value can start a tag; a BibTeX value is `write.latex_escape`d (no brace of
the text is a brace) and each name part is braced (an `and` or a comma in a name never
splits it), so every field parses back to its text (tests/test_citefiles.py).
"""

from __future__ import annotations

import json
import re
from typing import Any

from evidence.bib.write import latex_escape, url_value

#: CSL item types → RIS TY and biblatex entry types; anything else is GEN / misc.
_RIS_TYPES = {
    "article-journal": "JOUR", "webpage": "ELEC", "report": "RPRT", "book": "BOOK", "chapter": "CHAP",
    "thesis": "THES", "paper-conference": "CPAPER", "dataset": "DATA", "software": "COMP",
}  # fmt: skip
_BIB_TYPES = {
    "article-journal": "article", "webpage": "online", "report": "report", "book": "book",
    "chapter": "incollection", "thesis": "thesis", "paper-conference": "inproceedings",
    "dataset": "dataset", "software": "software",
}  # fmt: skip
#: CSL text variables → RIS tags and biblatex fields (container-title depends on the type).
_RIS_TEXT = {
    "title": "TI", "volume": "VL", "issue": "IS", "number": "M1", "publisher": "PB",
    "publisher-place": "CY", "ISSN": "SN", "ISBN": "SN", "DOI": "DO", "URL": "UR", "PMID": "AN",
    "note": "N1", "version": "ET", "edition": "ET", "abstract": "AB", "language": "LA",
}  # fmt: skip
_BIB_TEXT = {
    "title": "title", "volume": "volume", "issue": "number", "number": "number",
    "publisher": "publisher", "publisher-place": "location", "ISSN": "issn", "ISBN": "isbn",
    "DOI": "doi", "PMID": "pmid", "note": "note", "version": "version", "edition": "edition",
    "language": "langid", "genre": "type",
}  # fmt: skip


def one_line(text: Any) -> str:
    """Any value as one line: every run of white space (line and paragraph breaks too) one space."""
    return " ".join(str(text).split())


def _date(value: Any) -> list[int]:
    try:
        return [int(p) for p in value["date-parts"][0]][:3]
    except (KeyError, IndexError, TypeError, ValueError):
        return []


def _name(name: dict[str, str]) -> tuple[str, str]:
    """(family, given) of a CSL name; a literal name is all family."""
    if "literal" in name:
        return one_line(name["literal"]), ""
    family = " ".join(one_line(name.get(p, "")) for p in ("non-dropping-particle", "family"))
    return family.strip(), one_line(name.get("given", ""))


def ris(item: dict[str, Any]) -> str:
    """The item as one RIS record (`TY` … `ER`), one value a line."""
    lines = [("TY", _RIS_TYPES.get(item.get("type", ""), "GEN"))]
    for role, tag in (("author", "AU"), ("editor", "ED")):
        for name in item.get(role, []):
            family, given = _name(name)
            lines.append((tag, f"{family}, {given}" if given else family))
    for variable, tag in _RIS_TEXT.items():
        if item.get(variable):
            lines.append((tag, item[variable]))
    if item.get("container-title"):
        lines.append(("JO" if item.get("type") == "article-journal" else "T2", item["container-title"]))
    if page := item.get("page"):
        first, _, last = str(page).partition("-")
        lines += [("SP", first)] + ([("EP", last)] if last else [])
    if issued := _date(item.get("issued")):
        lines.append(("PY", str(issued[0])))
        lines.append(("DA", "/".join(f"{p:02d}" if i else str(p) for i, p in enumerate(issued))))
    if accessed := _date(item.get("accessed")):
        lines.append(("Y2", "/".join(f"{p:02d}" if i else str(p) for i, p in enumerate(accessed))))
    lines.append(("ID", item.get("id", "")))
    out = [f"{tag}  - {one_line(value)}".rstrip() for tag, value in lines if one_line(value)]
    return "\n".join([*out, "ER  - "]) + "\n"


def bibtex(item: dict[str, Any]) -> str:
    """The item as one biblatex entry (BibTeX reads it too); its key the item's id."""
    kind = _BIB_TYPES.get(item.get("type", ""), "misc")
    key = re.sub(r"[^A-Za-z0-9_:./-]", "-", str(item.get("id", "")) or "work")
    fields: list[tuple[str, str]] = []
    for role in ("author", "editor"):
        if names := item.get(role):
            fields.append((role, " and ".join(_bib_name(n) for n in names)))
    for variable, name in _BIB_TEXT.items():
        if item.get(variable) and name not in dict(fields):
            fields.append((name, latex_escape(str(item[variable]))))
    if container := item.get("container-title"):
        slot = {"article": "journaltitle", "online": "organization"}.get(kind, "booktitle")
        fields.append((slot, latex_escape(str(container))))
    if page := item.get("page"):
        fields.append(("pages", "--".join(latex_escape(p) for p in re.split(r"\s*-+\s*", str(page)))))
    for variable, name in (("issued", "date"), ("accessed", "urldate")):
        if parts := _date(item.get(variable)):
            fields.append((name, "-".join(f"{p:02d}" if i else f"{p:04d}" for i, p in enumerate(parts))))
    if url := item.get("URL"):
        fields.append(("url", url_value(one_line(url))))
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields)
    return f"@{kind}{{{key},\n{body}}}\n"


def _bib_name(name: dict[str, str]) -> str:
    """`{Family}, {Given}`, each part braced: BibTeX splits names at a top-level `and` or comma."""
    family, given = _name(name)
    braced = f"{{{latex_escape(family)}}}"
    return f"{braced}, {{{latex_escape(given)}}}" if given else braced


def csl_json(item: dict[str, Any]) -> str:
    """The item as a CSL-JSON file (a list of one item), as Zotero and pandoc read it."""
    return json.dumps([item], indent=2, ensure_ascii=False, allow_nan=False) + "\n"

"""How to cite ("Cite this") one page or claim of one edition: in four styles, and as BibTeX, RIS, CSL-JSON.

A citation names the edition and its date and links to the edition's own URL (which
mike never changes), not to `latest`, so it keeps pointing at the text it cited.

AMA is ours (the web-page pattern of `bib.style`); Vancouver, APA and Harvard are CSL
styles (`bib.cslstyle`). citeproc-py takes milliseconds a reference, and a site has
thousands of pages that differ only in title and address: each style formats the page
once per build with marks in their place (`_pattern`), and each page fills them in.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin

from evidence.bib import citefiles, cslstyle
from evidence.bib.write import latex_escape, url_value
from evidence.editions.release import Edition

__all__ = ["PageCitation", "cite_page", "css_string", "edition_url", "latex_escape"]

_MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
#: Where the title and the address go in a style's pattern: private-use characters, which no
#: style changes (no case, no quotes of their own) and no page title holds (textpolicy).
_TITLE, _URL = "\ue000", "\ue001"

#: What a CSS string may hold as itself: no quote, backslash, newline or `<`, so the string
#: can neither end early nor close the <style> element it sits in (the rest is hex-escaped).
_CSS_PLAIN = re.compile(r"[^A-Za-z0-9 ,.:/_()-]")


def css_string(text: str) -> str:
    """Plain text as a quoted CSS string that reads back as the same text and is inert in HTML.

    Each escape ends with a space, which CSS reads as the escape's end (never as text)."""
    return '"' + _CSS_PLAIN.sub(lambda m: f"\\{ord(m.group()):X} ", " ".join(text.split())) + '"'


def edition_url(site_url: str | None, edition: Edition, page_url: str) -> str | None:
    """The permanent address of a page in this edition (`<site>/<edition>/<page>`)."""
    if not site_url:
        return None
    base = site_url if site_url.endswith("/") else site_url + "/"
    if edition.name:
        base = urljoin(base, edition.name + "/")
    return urljoin(base, page_url)


def _key(page_url: str, edition: Edition) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", page_url.lower()).strip("-") or "home"
    suffix = re.sub(r"[^a-z0-9]+", "-", edition.name.lower()).strip("-") if edition.name else "draft"
    return f"{slug}-{suffix}"


@dataclass(frozen=True)
class PageCitation:
    """How to cite one page of one edition."""

    author: str
    title: str
    site: str
    edition: str | None
    date: dt.date | None
    url: str | None
    key: str

    @property
    def text(self) -> str:
        """Vancouver style, as the site's references are: author, title, site, edition, date, URL."""
        parts = [f"{self.author}. " if self.author else ""]
        if self.title and self.title != self.site:
            parts.append(f"{self.title}. In: ")
        parts.append(f"{self.site} [Internet]. ")
        if self.edition:
            parts.append(f"Edition {self.edition}")
            parts.append(f"; {self.date.isoformat()}. " if self.date else ". ")
        else:
            parts.append("Unreleased draft (not a published edition). ")
        if self.url:
            parts.append(f"Available from: {self.url}")
        return "".join(parts).strip()

    @property
    def ama(self) -> str:
        """AMA 11 for a web page (`bib.style`'s pattern): author, title, site, edition, date, URL."""
        parts = [self.author, self.title if self.title and self.title != self.site else "", self.site]
        draft = "Unreleased draft (not a published edition)"
        parts.append(f"Edition {self.edition}" if self.edition else draft)
        if self.edition and self.date:
            parts.append(f"Published {_MONTHS[self.date.month - 1]} {self.date.day}, {self.date.year}")
        text = " ".join(p if re.search(r"[.?!]$", p) else p + "." for p in parts if p)
        return f"{text} {self.url}" if self.url else text

    def csl(self, title: str | None = None, url: str | None = None) -> dict[str, Any]:
        """The page as a CSL-JSON web page (`title`, `url`: in place of the page's own)."""
        title, url = title or self.title, url or self.url
        item: dict[str, Any] = {"id": self.key, "type": "webpage", "title": title or self.site}
        if title and title != self.site:
            item["container-title"] = self.site
        if self.author:
            item["author"] = [{"literal": self.author}]
        item["version"] = self.edition or "Unreleased draft"
        if self.edition and self.date:
            item["issued"] = {"date-parts": [[self.date.year, self.date.month, self.date.day]]}
        if url:
            item["URL"] = url
        return item

    def styled(self, style: str) -> str:
        """The citation in `style`: `ama`, or a CSL style's name."""
        if style == cslstyle.AMA:
            return self.ama
        titled = bool(self.title and self.title != self.site)
        text = _pattern(style, self.author, self.site, self.edition, self.date, titled, bool(self.url))
        title = " ".join(self.title.split())
        if re.search(r"[.?!]$", title):  # no "?." where the style closes the title with a full stop
            text = text.replace(_TITLE + ".", _TITLE)
        return text.replace(_TITLE, title).replace(_URL, self.url or "")

    def styles(self, site_style: str = cslstyle.AMA) -> list[tuple[str, str]]:
        """(label, text) in AMA, Vancouver, APA and Harvard; the site's own style first."""
        shown = [("AMA", cslstyle.AMA), *cslstyle.READER_STYLES.items()]
        if site_style not in dict(shown).values():
            shown.insert(0, (site_style, site_style))
        shown.sort(key=lambda pair: pair[1] != site_style)
        return [(label, self.styled(style)) for label, style in shown]

    @property
    def ris(self) -> str:
        return citefiles.ris(self.csl())

    @property
    def csl_json(self) -> str:
        return citefiles.csl_json(self.csl())

    @property
    def running(self) -> str:
        """The line at the foot of every printed sheet: edition, date and permanent address."""
        edition = f"Edition {self.edition}" if self.edition else "Unreleased draft (not a published edition)"
        if self.date:
            edition += f", {self.date.isoformat()}"
        return f"{self.site} · {edition} · {self.url or 'no permanent address (site_url is not set)'}"

    @property
    def bibtex(self) -> str:
        """A biblatex `@online` entry (BibTeX reads it too); every value escaped for LaTeX so
        that it reads back as the text (`evidence.bib.write`: no brace of the text is written
        as a brace, so no value can end early), the URL percent-encoded."""
        fields: list[tuple[str, str]] = [("title", latex_escape(self.title or self.site))]
        if self.title and self.title != self.site:
            fields.append(("organization", latex_escape(self.site)))
        if self.author:  # a group, not a person: as publisher, so no name parsing applies
            fields.append(("publisher", latex_escape(self.author)))
        if self.edition:
            fields.append(("version", latex_escape(self.edition)))
            fields.append(("note", "Edition " + latex_escape(self.edition)))
        else:
            fields.append(("note", "Unreleased draft"))
        if self.date:
            fields.append(("date", self.date.isoformat()))
            fields.append(("year", str(self.date.year)))
        if self.url:
            fields.append(("url", url_value(self.url)))
        body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields)
        return f"@online{{{self.key},\n{body}}}"


@lru_cache(maxsize=64)
def _pattern(
    style: str, author: str, site: str, edition: str | None, date: dt.date | None, titled: bool, linked: bool
) -> str:
    """A page's citation in a CSL style, with `_TITLE` and `_URL` in place of its own."""
    title, url = _TITLE if titled else "", _URL if linked else None
    mark = PageCitation(author, title, site, edition, date, url, "page")
    return cslstyle.text(mark.csl(), style)


def cite_page(
    *, title: str, page_url: str, site: str, author: str, site_url: str | None, edition: Edition
) -> PageCitation:
    return PageCitation(
        author=author,
        title=title,
        site=site,
        edition=edition.name,
        date=edition.date if edition.name else None,
        url=edition_url(site_url, edition, page_url),
        key=_key(page_url, edition),
    )

"""How to cite ("Cite this") one page or claim of one edition, as text and as BibTeX.

A citation names the edition and its date and links to the edition's own URL (which
mike never changes), not to `latest`, so it keeps pointing at the text it cited.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import urljoin

from evidence.bib.write import latex_escape, url_value
from evidence.editions.release import Edition

__all__ = ["PageCitation", "cite_page", "css_string", "edition_url", "latex_escape"]

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

"""How big a built site is: HTML per claim, the largest page, the list pages, the search index.

The list pages' job is to list everything (All claims, References, a source's own page,
What changed), so they are reported apart: every other page should stay the same size
however many claims the site holds (issue 15). All claims and a source's page come in pages
of `list_page_size` (claims/page/<n>/, sources/<key>/page/<n>/), reported apart too, and
the largest page of any kind is kept as well: none should be over 1 MiB (issue 25, item 5).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path

SEARCH_INDEX = "search/search_index.json"
PAGEFIND = "pagefind"  # the site's own search (evidence/pages/search_index.py)
#: Pages that list everything, by kind: a pattern of paths (`*` crosses folders); the
#: first kind whose pattern matches is a page's kind.
LIST_PAGES = {
    "All claims": "claims/index.html",
    "All claims' other pages": "claims/page/*",
    "References": "references/index.html",
    "What changed": "changes/index.html",
    "a source's other pages": "sources/*/page/*",
    "a source's own page": "sources/*",
}


def list_kind(path: str) -> str | None:
    """Which list page `path` (relative to the site, POSIX) is, if any."""
    for kind, pattern in LIST_PAGES.items():
        if fnmatchcase(path, pattern):
            return kind
    return None


@dataclass
class SiteSize:
    claims: int
    html_bytes: int = 0
    html_pages: int = 0
    largest: tuple[str, int] = ("", 0)  # the largest page that is not a list page
    largest_any: tuple[str, int] = ("", 0)  # the largest page of any kind, list pages too
    lists: dict[str, tuple[str, int]] = field(default_factory=dict)  # kind → its largest page
    search_index: int = 0

    @property
    def per_claim(self) -> float:
        return self.html_bytes / max(1, self.claims)


def measure(site: Path, claims: int) -> SiteSize:
    """Walk `site` once: every .html file counts towards the total."""
    size = SiteSize(claims)
    for path in sorted(site.rglob("*.html")):
        rel, n = path.relative_to(site).as_posix(), path.stat().st_size
        size.html_bytes += n
        size.html_pages += 1
        if n > size.largest_any[1]:
            size.largest_any = (rel, n)
        kind = list_kind(rel)
        if kind is None:
            if n > size.largest[1]:
                size.largest = (rel, n)
        elif n > size.lists.get(kind, ("", -1))[1]:
            size.lists[kind] = (rel, n)
    index = site / SEARCH_INDEX
    if index.is_file():  # Material's search: one file, fetched whole
        size.search_index = index.stat().st_size
    else:  # Pagefind's bundle: every chunk (a search fetches a few of them)
        size.search_index = sum(p.stat().st_size for p in (site / PAGEFIND).rglob("*") if p.is_file())
    return size


def kib(n: float) -> str:
    return f"{n / 1024:,.1f} KiB" if n < 1024 * 1024 else f"{n / 1024 / 1024:,.2f} MiB"

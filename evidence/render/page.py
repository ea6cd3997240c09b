"""What a page is while it is built, and what a generated page is: the shared words of renderer and pages.

Kept apart from the renderer so the generated pages (evidence/pages/) can name them
without importing it, and so can the modules the renderer calls (findings, contribute):
they name `PageRenderer`, what they ask of it, never the Renderer (no import circle).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from markupsafe import Markup

from evidence.load.trust import PageTrust
from evidence.render.citations import PageCitations
from evidence.render.forge import Forge
from evidence.render.placeholders import Held

if TYPE_CHECKING:
    from evidence.content.model import Claim
    from evidence.editions.release import Edition
    from evidence.load.corpus import Corpus

#: What a generated page's `render` is given: the Renderer (pages/ name it; render/ may not).
_R = TypeVar("_R")


class UnknownName(LookupError):
    """A page names a claim, topic or reference that does not exist."""


@dataclass
class Page:
    """What one page has cited and shown so far, in reading order."""

    src: str
    url: str
    citations: PageCitations = field(default_factory=PageCitations)
    shown: list[str] = field(default_factory=list)
    #: those of `shown` listed as compact rows, not cards (see `Renderer.claims`)
    compact: set[str] = field(default_factory=set)
    title: str = ""  # as the reader sees it (for "Cite this"); set by the plugin
    #: the trust facts for `shown` (footer and JSON-LD read the same), with len(shown) then
    trust: tuple[int, PageTrust] | None = field(default=None, repr=False)
    #: the HTML its macros made, swapped in after Markdown (see placeholders.py)
    held: Held = field(default_factory=Held, repr=False)


@dataclass(frozen=True)
class GeneratedPage(Generic[_R]):
    """A page made at build time (not written by hand): where it goes and how to fill it.

    `render` runs after mkdocs-macros, so contributor text in it is never a template.
    """

    src: str
    title: str
    render: Callable[[_R, Page], Markup]
    #: stencil groups no page after this one shows (its claim's card, its source's
    #: citation), released when it is done: see `Renderer.release`
    releases: tuple[tuple[str, str], ...] = ()
    #: every claim id `render` reads (its card, related claims, claims listed): an edit to
    #: any other claim leaves the page as it was (evidence/mkdocs/preview.py). None: it
    #: reads the whole corpus, and every build renders it.
    reads: frozenset[str] | None = None


@dataclass(frozen=True)
class SiteInfo:
    """Site-wide values the templates show on every page."""

    references_page: str = "references.md"
    claims_page: str = "claims.md"
    disclaimer_page: str = "disclaimer.md"
    methodology_page: str = "methodology.md"
    data_page: str = "data.md"
    sources_dir: str = "sources"
    changes_page: str = "changes.md"
    #: claims a list page holds (mkdocs.yml `list_page_size`; pages/list_pages.py)
    list_page_size: int = 200
    directory_urls: bool = True
    site_name: str = ""
    site_url: str | None = None
    site_author: str | None = None
    #: the site's repository (mkdocs.yml `repo_url`, `edit_uri`); None: no links to it
    forge: Forge | None = None


class PageRenderer(Protocol):
    """What findings.py and contribute.py ask of the renderer while a page is built: the
    corpus, the site's values and edition, addresses, and templates (`Renderer` has them)."""

    corpus: Corpus
    info: SiteInfo
    edition: Edition

    def url(self, src: str) -> str: ...

    def link(self, page: Page, to_url: str) -> str: ...

    def source_url(self, key: str) -> str: ...

    def claim_home(self, claim: Claim) -> str: ...

    def render_template(self, name: str, **context: Any) -> Markup: ...

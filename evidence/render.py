"""HTML for claims, citations and reference lists, from Jinja template files.

Contributor data reaches templates only as values: the environment is sandboxed and
autoescaped, so `{{ }}`, `<script>` or `javascript:` in a claim shows as inert text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from .citations import PageCitations
from .corpus import Corpus
from .model import Claim
from .urls import doc_url, relative


class UnknownName(LookupError):
    """A page names a claim, topic or reference that does not exist."""


@dataclass
class Page:
    """What one page has cited and shown so far, in reading order."""

    src: str
    url: str
    citations: PageCitations = field(default_factory=PageCitations)
    shown: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class GeneratedPage:
    """A page made at build time (not written by hand): where it goes and how to fill it.

    `render` runs after mkdocs-macros, so contributor text in it is never a template.
    """

    src: str
    title: str
    render: Callable[[Renderer, Page], Markup]


@dataclass(frozen=True)
class SiteInfo:
    """Site-wide values the templates show on every page."""

    references_page: str = "references.md"
    claims_page: str = "claims.md"
    disclaimer_page: str = "disclaimer.md"
    methodology_page: str = "methodology.md"
    directory_urls: bool = True


def make_environment(templates: Path) -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=FileSystemLoader(str(templates)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["isodate"] = lambda d: d.isoformat() if isinstance(d, dt.date) else ""
    return env


class Renderer:
    """Renders the corpus into HTML fragments for pages; one instance per build."""

    def __init__(self, corpus: Corpus, templates: Path, info: SiteInfo | None = None) -> None:
        self.corpus = corpus
        self.info = info or SiteInfo()
        self.env = make_environment(templates)
        self.pages: dict[str, Page] = {}

    # -- pages ---------------------------------------------------------------
    def page(self, src: str, url: str) -> Page:
        """The page being rendered; state is kept until `reset` (one build)."""
        if src not in self.pages:
            self.pages[src] = Page(src=src, url=url)
        return self.pages[src]

    def reset(self) -> None:
        self.pages.clear()

    def url(self, src: str) -> str:
        return doc_url(src, self.info.directory_urls)

    def link(self, page: Page, to_url: str) -> str:
        return relative(page.url, to_url)

    def claim_home(self, claim: Claim) -> str:
        """Where a claim's card lives: its topic page."""
        return self.url(self.corpus.topics[claim.topic].page) + "#claim-" + claim.id

    def _render(self, name: str, **context: Any) -> Markup:
        html = self.env.get_template(name).render(**context)
        # no blank lines: Markdown would end the raw HTML block there
        return Markup("\n".join(line for line in html.splitlines() if line.strip()))

    # -- macros --------------------------------------------------------------
    def cite(self, page: Page, key: str) -> Markup:
        if key not in self.corpus.library:
            raise UnknownName(f"cite('{key}'): no such key in references.bib")
        citation = page.citations.cite(key)
        ref = self.corpus.library[key]
        return self._render("cite.html", citation=citation, ref=ref)

    def claim(self, page: Page, claim_id: str) -> Markup:
        if claim_id not in self.corpus.loaded:
            raise UnknownName(f"claim('{claim_id}'): no claim has this id")
        claim = self.corpus.claim(claim_id)
        page.shown.append(claim_id)
        cites = {key: self.cite(page, key) for key in claim.keys}
        return self._render(
            "claim_card.html",
            claim=claim,
            source=self.corpus.library[claim.source],
            reported_in=self.corpus.library[claim.reported_in] if claim.reported_in else None,
            cites=cites,
            topic=self.corpus.topics[claim.topic],
            home=self.link(page, self.claim_home(claim)),
            methodology=self.link(page, self.url(self.info.methodology_page)),
        )

    def claims(self, page: Page, topic: str) -> Markup:
        if topic not in self.corpus.topics:
            raise UnknownName(f"claims('{topic}'): no such topic in content/topics.yml")
        cards = [self.claim(page, c.id) for c in self.corpus.topic_claims(topic)]
        return self._render("claim_list.html", cards=cards, topic=self.corpus.topics[topic])

    def claims_table(self, page: Page) -> Markup:
        rows = []
        for claim in self.corpus.active_claims():
            page.shown.append(claim.id)
            rows.append(
                {
                    "claim": claim,
                    "topic": self.corpus.topics[claim.topic],
                    "href": self.link(page, self.claim_home(claim)),
                    "cite": self.cite(page, claim.source),
                    "source": self.corpus.library[claim.source],
                }
            )
        return self._render("claims_table.html", rows=rows)

    def bibliography(self, page: Page) -> Markup:
        entries = []
        for key, ref in sorted(
            self.corpus.library.references.items(), key=lambda kv: (kv[1].text.lower(), kv[0])
        ):
            citing = [
                {"claim": c, "href": self.link(page, self.claim_home(c))} for c in self.corpus.citing(key)
            ]
            entries.append({"ref": ref, "citing": citing})
        return self._render("bibliography.html", entries=entries)

    # -- generated pages -----------------------------------------------------
    def generated_pages(self) -> list[GeneratedPage]:
        """Every page this build generates, in a stable order (issues add providers here)."""
        return []

    # -- every page ----------------------------------------------------------
    def page_footer(self, page: Page) -> Markup:
        """The page's reference list, review date and disclaimer, appended to every page."""
        refs = [
            {
                "number": number,
                "ref": self.corpus.library[key],
                "anchors": anchors,
                "full": self.link(page, self.url(self.info.references_page) + "#bib-" + key),
            }
            for number, key, anchors in page.citations.numbered()
        ]
        scope = page.shown or None
        return self._render(
            "page_footer.html",
            refs=refs,
            last_reviewed=self.corpus.last_reviewed(scope),
            scope="page" if scope else "site",
            disclaimer=self.link(page, self.url(self.info.disclaimer_page)),
        )

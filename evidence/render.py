"""HTML for claims, citations and reference lists, from Jinja template files.

Contributor data reaches templates only as values: the environment is sandboxed and
autoescaped, so `{{ }}`, `<script>` or `javascript:` in a claim shows as inert text.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from . import markup
from .citation import cite_page
from .citations import PageCitations
from .corpus import Corpus
from .model import Claim, EvidenceKind
from .release import Edition
from .trust import page_trust
from .urls import doc_url, relative

if TYPE_CHECKING:
    from .history import History


class UnknownName(LookupError):
    """A page names a claim, topic or reference that does not exist."""


@dataclass
class Page:
    """What one page has cited and shown so far, in reading order."""

    src: str
    url: str
    citations: PageCitations = field(default_factory=PageCitations)
    shown: list[str] = field(default_factory=list)
    title: str = ""  # as the reader sees it (for "Cite this"); set by the plugin


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
    data_page: str = "data.md"
    sources_dir: str = "sources"
    changes_page: str = "changes.md"
    directory_urls: bool = True
    site_name: str = ""
    site_url: str | None = None
    site_author: str | None = None


def make_environment(templates: Path) -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=FileSystemLoader(str(templates)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=False,  # one environment per build: no stat of the template on every render
    )
    env.filters["isodate"] = lambda d: d.isoformat() if isinstance(d, dt.date) else ""
    env.filters["markdown"] = markup.render  # escapes, then only *em*, **strong**, http(s) links
    return env


class Renderer:
    """Renders the corpus into HTML fragments for pages; one instance per build."""

    def __init__(
        self, corpus: Corpus, templates: Path, info: SiteInfo | None = None, edition: Edition | None = None
    ) -> None:
        self.corpus = corpus
        self.info = info or SiteInfo()
        self.edition = edition or Edition(name=None, date=None, commit=None)
        self.env = make_environment(templates)
        self.pages: dict[str, Page] = {}
        #: Keys the References page lists; None: every entry (see `listed_references`).
        self.listed: set[str] | None = None
        # Each card is rendered once per build with slots for what differs per page
        # (citation numbers, relative links), then filled in for every page showing it.
        self._cards: dict[str, str] = {}
        self._slot = f"\x00ev{secrets.token_hex(8)}:"  # never in contributor text (nor guessable)
        self._slots = re.compile(re.escape(self._slot) + "([^\x00]*)\x00")

    # -- pages ---------------------------------------------------------------
    def page(self, src: str, url: str) -> Page:
        """The page being rendered; state is kept until `reset` (one build)."""
        if src not in self.pages:
            self.pages[src] = Page(src=src, url=url)
        return self.pages[src]

    def reset(self) -> None:
        self.pages.clear()
        self._cards.clear()

    def url(self, src: str) -> str:
        return doc_url(src, self.info.directory_urls)

    def link(self, page: Page, to_url: str) -> str:
        return relative(page.url, to_url)

    def source_url(self, key: str) -> str:
        """The generated page of one reference (see source_pages.py)."""
        return self.url(f"{self.info.sources_dir}/{key}.md")

    def claim_home(self, claim: Claim) -> str:
        """A claim's permanent page, claims/<id>/ (the same URL in every edition)."""
        from .claim_pages import claim_src  # imports this module

        return self.url(claim_src(claim.id))

    @cached_property
    def history(self) -> History:
        """Each edition's changes (git), computed once per build and only when a page asks."""
        from .history import build_history

        return build_history(self.corpus, self.edition)

    def render_template(self, name: str, **context: Any) -> Markup:
        """A template file rendered to one raw-HTML block (for generated pages)."""
        return self._render(name, **context)

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
        values = {f"cite:{key}": str(self.cite(page, key)) for key in claim.keys}
        values["home"] = str(escape(self.link(page, self.claim_home(claim))))
        values["methodology"] = str(escape(self.link(page, self.url(self.info.methodology_page))))
        values["source_href"] = str(escape(self.link(page, self.source_url(claim.source))))
        if claim.reported_in:
            values["reported_href"] = str(escape(self.link(page, self.source_url(claim.reported_in))))
        card = self._cards.get(claim_id)
        if card is None:
            card = self._cards[claim_id] = str(self._card(claim))
        return Markup(self._slots.sub(lambda m: values[m.group(1)], card))

    def _card(self, claim: Claim) -> Markup:
        """The card with a slot wherever a page puts its own number or link (see `claim`)."""

        def slot(name: str) -> Markup:
            return Markup(f"{self._slot}{name}\x00")

        return self._render(
            "claim_card.html",
            claim=claim,
            source=self.corpus.library[claim.source],
            reported_in=self.corpus.library[claim.reported_in] if claim.reported_in else None,
            cites={key: slot(f"cite:{key}") for key in claim.keys},
            topic=self.corpus.topics[claim.topic],
            home=slot("home"),
            methodology=slot("methodology"),
            source_href=slot("source_href"),
            reported_href=slot("reported_href") if claim.reported_in else None,
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
                    "source_href": self.link(page, self.source_url(claim.source)),
                    "kind_rank": list(EvidenceKind).index(claim.evidence.kind),
                }
            )
        keys = dict.fromkeys(k for row in rows for k in row["claim"].keys)
        sources = sorted((self.corpus.library[k] for k in keys), key=lambda r: (r.label.lower(), r.key))
        return self._render("claims_table.html", rows=rows, sources=sources)

    def listed_references(self) -> list[str]:
        """Keys the site lists (References page, source pages), in references.bib order.

        Every entry, unless the bibliography is shared (`unused_references: ignore`): then
        only those that claims or pages cite, so 20,000 entries cost nothing when unused.
        """
        keys = self.corpus.library.references
        return list(keys) if self.listed is None else [k for k in keys if k in self.listed]

    def bibliography(self, page: Page) -> Markup:
        entries = []
        library = self.corpus.library
        for key, ref in sorted(
            ((k, library[k]) for k in self.listed_references()), key=lambda kv: (kv[1].text.lower(), kv[0])
        ):
            citing = [
                {"claim": c, "href": self.link(page, self.claim_home(c))} for c in self.corpus.citing(key)
            ]
            source_page = self.link(page, self.source_url(key)) if citing else None  # cited ones only
            entries.append({"ref": ref, "citing": citing, "page": source_page})
        return self._render("bibliography.html", entries=entries)

    # -- generated pages -----------------------------------------------------
    def generated_pages(self) -> list[GeneratedPage]:
        """Every page this build generates, in a stable order (issues add providers here)."""
        from .changes_page import generated_page as changes_page  # these import this module
        from .claim_pages import generated_pages as claim_pages
        from .source_pages import source_pages

        return [*claim_pages(self.corpus), changes_page(), *source_pages(self)]

    # -- every page ----------------------------------------------------------
    def page_footer(self, page: Page) -> Markup:
        """The page's reference list, review date and disclaimer, appended to every page."""
        refs = [
            {
                "number": number,
                "ref": self.corpus.library[key],
                "anchors": anchors,
                "full": self.link(page, self.url(self.info.references_page) + "#bib-" + key),
                "source": self.link(page, self.source_url(key)),
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
            trust=page_trust(self.corpus, page.shown),
            references=self.link(page, self.url(self.info.references_page)),
            edition=self.edition,
            changes=self.link(page, self.url(self.info.changes_page)),
            cite_this=self.cite_this(page),
        )

    def cite_this(self, page: Page) -> Markup:
        """How to cite this page in this edition ("Cite this page"), as text and BibTeX."""
        citation = cite_page(
            title=self.info.site_name if page.url == "" else page.title or self.info.site_name,
            page_url=page.url,
            site=self.info.site_name,
            author=self.info.site_author or "",
            site_url=self.info.site_url,
            edition=self.edition,
        )
        return self._render("cite_this.html", citation=citation)

"""HTML for claims, citations and reference lists, from Jinja template files.

Contributor data reaches templates only as values: the environment is sandboxed and
autoescaped, so `{{ }}`, `<script>` or `javascript:` in a claim shows as inert text.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Callable, Hashable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from evidence.bib.keys import anchor
from evidence.content.model import Claim, EvidenceKind
from evidence.core.urls import claim_src, doc_url, relative
from evidence.editions.release import Edition
from evidence.load.comparative import is_comparative
from evidence.load.corpus import Corpus
from evidence.load.trust import PageTrust, page_trust
from evidence.render import bibliography, cite_block, contribute, effectplot, effects, findings, listing
from evidence.render.environment import make_environment
from evidence.render.listing import measure
from evidence.render.page import GeneratedPage, Page, SiteInfo, UnknownName
from evidence.render.placeholders import Placeholders

__all__ = ["GeneratedPage", "Page", "Renderer", "SiteInfo", "UnknownName", "make_environment"]

if TYPE_CHECKING:
    from jinja2.sandbox import SandboxedEnvironment

    from evidence.editions.history import History, Released
    from evidence.render.export import Download


#: Cards `claims(topic)` shows in full; past these, one compact row per claim linking to its
#: page, so a topic of 1,000 claims stays a page of about 300 KB, not 4 MB (issue 15).
FULL_CARDS = 20


class Renderer:
    """Renders the corpus into HTML fragments for pages; one instance per build."""

    def __init__(
        self,
        corpus: Corpus,
        templates: Path,
        info: SiteInfo | None = None,
        edition: Edition | None = None,
        *,
        env: SandboxedEnvironment | None = None,
    ) -> None:
        self.corpus = corpus
        self.info = info or SiteInfo()
        self.edition = edition or Edition(name=None, date=None, commit=None)
        #: `env`: one made by `make_environment(templates)` earlier (the plugin's, per serve)
        self.env = env if env is not None else make_environment(templates)
        self.pages: dict[str, Page] = {}
        #: Keys the References page lists; None: every entry (see `listed_references`).
        self.listed: set[str] | None = None
        #: The files this build publishes under data/ (set by the build; see export.downloads).
        self.downloads: list[Download] | None = None
        #: Releases' corpora an earlier build of this project loaded (the plugin's; see history).
        self.released: Released = {}
        self.called_on: dict[str, list[tuple[str, str]]] = {}  # claim id → (src, title) calling it
        #: The All claims table's rows this build rendered, and those of the build before
        #: (the plugin's, kept across serve rebuilds; see `_table_row`).
        self.rows: dict[Hashable, Markup] = {}
        self.rows_before: dict[Hashable, Markup] = {}
        self.row_files: dict[str, list[Markup]] = {}  # a paged All claims' other rows, by path
        # Fragments shown on many pages (a card, the "About this page" block) are rendered
        # once per build with slots for what differs per page (citation numbers, relative
        # links, dates), then filled in for every page: see `_stencil` and `_fill`.
        self._stencils: dict[tuple[str, str], dict[Hashable, str]] = {}  # (kind, name) → variant → stencil
        self._slot = f"\x00ev{secrets.token_hex(8)}:"  # never in contributor text (nor guessable)
        self._slots = re.compile(re.escape(self._slot) + "([^\x00]*)\x00")
        self.placeholders = Placeholders()

    # -- pages ---------------------------------------------------------------
    def page(self, src: str, url: str) -> Page:
        """The page being rendered; state is kept until `reset` (one build)."""
        if src not in self.pages:
            self.pages[src] = Page(src=src, url=url)
        return self.pages[src]

    def hold(self, page: Page, html: str, *, block: bool = True) -> str:
        """A token for `html`, which the plugin puts in after Markdown (`on_page_content`)."""
        return self.placeholders.hold(page.held, html, block=block)

    def reset(self) -> None:
        self.pages.clear()
        self.row_files.clear()
        self._stencils.clear()

    def url(self, src: str) -> str:
        return doc_url(src, self.info.directory_urls)

    def link(self, page: Page, to_url: str) -> str:
        return relative(page.url, to_url)

    def source_url(self, key: str) -> str:
        """The generated page of one reference (see source_pages.py)."""
        return self.url(f"{self.info.sources_dir}/{anchor(key)}.md")

    def claim_home(self, claim: Claim) -> str:
        """A claim's permanent page, claims/<id>/ (the same URL in every edition)."""
        return self.url(claim_src(claim.id))

    @cached_property
    def history(self) -> History:
        """Each edition's changes (git), computed once per build and only when a page asks."""
        from evidence.editions.history import build_history

        return build_history(self.corpus, self.edition, self.released)

    def render_template(self, name: str, **context: Any) -> Markup:
        """A template file rendered to one raw-HTML block (for generated pages)."""
        return self._render(name, **context)

    def _render(self, name: str, **context: Any) -> Markup:
        html = self.env.get_template(name).render(**context)
        # no blank lines: Markdown would end the raw HTML block there
        return Markup("\n".join(line for line in html.splitlines() if line.strip()))

    def _stencil(
        self, group: tuple[str, str], variant: Hashable, make: Callable[[Callable[[str], Markup]], Markup]
    ) -> str:
        """`make(slot)` rendered once per build for `group` and `variant`, which together must
        name every input of `make` except the slots; `_fill` puts each page's values into them."""
        variants = self._stencils.setdefault(group, {})
        stencil = variants.get(variant)
        if stencil is None:
            stencil = variants[variant] = str(make(lambda name: Markup(f"{self._slot}{name}\x00")))
        return stencil

    def release(self, group: tuple[str, str]) -> None:
        """Forget a group's stencils once the page that shows it last is done (see
        `GeneratedPage.releases`): 10,000 cards need not stay in memory to the end. Should
        another page show it after all, it is rendered again: slower, never different."""
        self._stencils.pop(group, None)

    def _fill(self, stencil: str, values: dict[str, str]) -> Markup:
        """`values` are HTML already (escaped): the slots sit where the template escaped."""
        return Markup(self._slots.sub(lambda m: values[m.group(1)], stencil))

    # -- macros --------------------------------------------------------------
    def cite(self, page: Page, key: str) -> Markup:
        if key not in self.corpus.library:
            raise UnknownName(f"cite('{key}'): no such key in references.bib")
        citation = page.citations.cite(key)
        ref = self.corpus.library[key]
        stencil = self._stencil(
            ("cite", key),
            None,
            lambda slot: self._render(
                "cite.html",
                citation={"key": key, "number": slot("number"), "anchor": slot("anchor")},
                ref=ref,
            ),
        )
        return self._fill(stencil, {"number": str(citation.number), "anchor": str(escape(citation.anchor))})

    def claim(self, page: Page, claim_id: str, *, own_page: bool = False) -> Markup:
        """A claim's card; `own_page`: on claims/<id>/, whose h1, quote and review sections
        say what the card's title, quote and review line would repeat."""
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
        return self._fill(
            self._stencil(("card", claim_id), own_page, lambda slot: self._card(claim, slot, own_page)),
            values,
        )

    def _card(self, claim: Claim, slot: Callable[[str], Markup], own_page: bool = False) -> Markup:
        """The card with a slot wherever a page puts its own number or link (see `claim`)."""
        primary = claim.primary_check.primary if claim.primary_check else None
        return self._render(
            "claim_card.html",
            claim=claim,
            result=self.result(claim, "page" if own_page else "card"),
            primary=self.corpus.library[primary] if primary and primary in self.corpus.library else None,
            source=self.corpus.library[claim.source],
            reported_in=self.corpus.library[claim.reported_in] if claim.reported_in else None,
            cites={key: slot(f"cite:{key}") for key in claim.keys},
            topic=self.corpus.topics[claim.topic],
            home=slot("home"),
            methodology=slot("methodology"),
            source_href=slot("source_href"),
            reported_href=slot("reported_href") if claim.reported_in else None,
            own_page=own_page,
            links=contribute.claim_links(self, claim),
            site=self.corpus.site,  # "(not a clinical review)" only on a medical site without one
        )

    def result(self, claim: Claim, where: str = "card") -> dict[str, Any] | None:
        """A comparative result in words, with its effect plot (effectplot.py), or None."""
        result = claim.result
        if result is None or not is_comparative(result):
            return None
        figure = effectplot.plot(f"plot-{where}-{claim.id}", [claim])
        return {
            "outcome_note": effects.outcome_note(result),
            "difference": effects.difference(result),
            "size": effects.size(result),
            "meaning": effects.meaning(result),
            "plot": self._render("effect_plot.html", plot=figure) if figure else None,
        }

    def claims(self, page: Page, topic: str) -> Markup:
        if topic not in self.corpus.topics:
            raise UnknownName(f"claims('{topic}'): no such topic in content/topics.yml")
        listed = self.corpus.topic_claims(topic)
        cards = [self.claim(page, c.id) for c in listed[:FULL_CARDS]]
        rows = []
        for claim in listed[FULL_CARDS:]:  # compact: the full card is on the claim's own page
            page.shown.append(claim.id)
            page.compact.add(claim.id)
            rows.append({"claim": claim, "href": self.link(page, self.claim_home(claim))})
        return self._render("claim_list.html", cards=cards, rows=rows, topic=self.corpus.topics[topic])

    def findings(self, page: Page, topic: str, text: str = "") -> Markup:
        """The topic's summary-of-findings table; `text` is the page source (its order)."""
        if topic not in self.corpus.topics:
            raise UnknownName(f"findings('{topic}'): no such topic in content/topics.yml")
        return findings.summary(self, page, topic, text)

    def evidence_map(self, page: Page) -> Markup:
        """Claims by topic and certainty, as an SVG chart and a table (findings.py)."""
        return findings.evidence_map(self, page)

    def claims_table(self, page: Page) -> Markup:
        """Every active claim; more than a page (`list_page_size`, pages/list_pages.py): the
        first page, links to the others, and their rows for evidence-rows.js (`row_files`)."""
        active, size, first = self.corpus.active_claims(), self.info.list_page_size, self.info.claims_page
        rows = [self._row_values(page, claim, cite=len(active) <= size) for claim in active]
        body = [self._table_row(row) for row in (rows[:size] if len(active) > size else rows)]
        page.shown.extend(row["claim"].id for row in rows[: len(body)])
        keys = dict.fromkeys(k for row in rows for k in row["claim"].keys)
        sources = sorted((self.corpus.library[k] for k in keys), key=lambda r: (r.label.lower(), r.key))
        paged = None  # or: more claims than a page holds
        if len(active) > size:
            files = listing.row_files(first, rows, size)
            self.row_files.update({path: [self._table_row(r) for r in part] for path, part in files.items()})
            links = listing.Pager.of(lambda p: self.link(page, self.url(p)), first, 1, len(rows), size)
            pager = self._render("list_pager.html", pager=links, noun="claims", label="Pages of all claims")
            paged = {"rows": json.dumps([self.link(page, p) for p in files]), "size": size, "pager": pager}
        return self._render("claims_table.html", rows=rows, body=body, sources=sources, paged=paged)

    def claims_table_row(self, page: Page, claim: Claim) -> Markup:  # on claims/page/<n>/
        return self._table_row(self._row_values(page, claim, cite=False))

    def _row_values(self, page: Page, claim: Claim, *, cite: bool) -> dict[str, Any]:
        return {
            "claim": claim,
            "topic": self.corpus.topics[claim.topic],
            "href": self.link(page, self.claim_home(claim)),
            "cite": self.cite(page, claim.source) if cite else Markup(""),
            "source": self.corpus.library[claim.source],
            "source_href": self.link(page, self.source_url(claim.source)),
            "kind_rank": list(EvidenceKind).index(claim.evidence.kind),
            "certainty_step": claim.certainty.level.step if claim.certainty else 0,
            "measure": measure(claim),
        }

    def _table_row(self, row: dict[str, Any]) -> Markup:
        """One row, from `rows_before` when a previous build rendered the same inputs: the
        claim file's path and bytes (the claim is made from them alone) and what else it shows."""
        claim: Claim = row["claim"]
        loaded = self.corpus.loaded[claim.id]
        key = None
        if loaded.digest is not None:
            shown = (row["topic"].title, row["href"], str(row["cite"]), row["source"].label)
            key = (loaded.path, loaded.digest, *shown, row["source_href"])
        html = self.rows_before.get(key) if key is not None else None
        if html is None:
            html = self._render("claims_table_row.html", row=row)
        if key is not None:
            self.rows[key] = html
        return html

    def listed_references(self) -> list[str]:
        """Keys the site lists (References page, source pages), in references.bib order.

        Every entry, unless the bibliography is shared (`unused_references: ignore`): then
        only those that claims or pages cite, so 20,000 entries cost nothing when unused.
        """
        keys = self.corpus.library.references
        return list(keys) if self.listed is None else [k for k in keys if k in self.listed]

    def red_flags(self, page: Page) -> Markup:
        """When to get help straight away (content/site.yml `safety`), its source cited."""
        safety = self.corpus.site.safety if self.corpus.site else None
        if safety is None:
            raise UnknownName("red_flags(): content/site.yml has no `safety:` block")
        return self._render(
            "red_flags.html",
            safety=safety,
            source=self.corpus.library[safety.source],
            cite=self.cite(page, safety.source),
            disclaimer=self.link(page, self.url(self.info.disclaimer_page)),
        )

    def bibliography(self, page: Page) -> Markup:
        """Every listed reference with what cites it: each claim, or past `BACKLINKS` claims
        their count by topic and the source's page (render/bibliography.py)."""
        return bibliography.render(self, page, self.listed_references())

    # -- every page ----------------------------------------------------------
    def trust(self, page: Page) -> PageTrust:
        """Who wrote and reviewed the page and when, for the claims it shows (computed once)."""
        if page.trust is None or page.trust[0] != len(page.shown):
            page.trust = (len(page.shown), page_trust(self.corpus, page.shown))
        return page.trust[1]

    def page_footer(self, page: Page) -> Markup:
        """The page's reference list, review date and disclaimer, appended to every page."""
        refs = [
            self._page_ref(page, number, key, anchors) for number, key, anchors in page.citations.numbered()
        ]
        trust = self.trust(page)
        newest = trust.newest_reviewed
        spread = newest is not None and trust.last_reviewed is not None and newest != trust.last_reviewed
        # authors, disclosure and edition are the same on every page of a build
        about = self._stencil(
            ("about", ""),
            (tuple(trust.reviewers), trust.scope, len(refs) if len(refs) < 2 else 2, spread),
            lambda slot: self._render(
                "page_about.html",
                trust=trust,
                has_refs=bool(refs),
                one_ref=len(refs) == 1,
                refs_count=slot("refs_count"),
                reviewed=slot("reviewed"),
                reviewed_newest=slot("reviewed_newest") if spread else None,
                references=slot("references"),
                edition=self.edition,
                changes=slot("changes"),
                cite_this=slot("cite_this"),
                disclaimer=slot("disclaimer"),
            ),
        )
        reviewed = trust.last_reviewed.isoformat() if trust.last_reviewed else ""
        values = {
            "refs_count": str(len(refs)),
            "reviewed": str(escape(reviewed)),
            "reviewed_newest": str(escape(newest.isoformat() if newest else "")),
            "references": str(escape(self.link(page, self.url(self.info.references_page)))),
            "changes": str(escape(self.link(page, self.url(self.info.changes_page)))),
            "cite_this": str(self.cite_this(page)),
            "disclaimer": str(escape(self.link(page, self.url(self.info.disclaimer_page)))),
        }
        suggest = contribute.topic_link(self, page)
        return self._render("page_footer.html", refs=refs, about=self._fill(about, values), suggest=suggest)

    def _page_ref(self, page: Page, number: int, key: str, anchors: list[str]) -> Markup:
        """One entry of the page's reference list (with a backlink to each citation)."""
        stencil = self._stencil(
            ("page_ref", key),
            len(anchors),
            lambda slot: self._render(
                "page_ref.html",
                item={
                    "ref": self.corpus.library[key],
                    "number": slot("number"),
                    "anchors": [slot(f"anchor{i}") for i in range(len(anchors))],
                    "full": slot("full"),
                    "source": slot("source"),
                },
            ),
        )
        values = {f"anchor{i}": str(escape(at)) for i, at in enumerate(anchors)}
        values["number"] = str(number)
        full = self.url(self.info.references_page) + "#bib-" + anchor(key)
        values["full"] = str(escape(self.link(page, full)))
        values["source"] = str(escape(self.link(page, self.source_url(key))))
        return self._fill(stencil, values)

    def cite_this(self, page: Page) -> Markup:
        """How to cite this page in this edition ("Cite this page"): styles, BibTeX, files."""
        return cite_block.render(self, page)

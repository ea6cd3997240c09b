"""What the templates need for the "Report a correction", "Edit this claim", "Suggest a claim"
and "Report a problem with this reference" links (forge.py builds the addresses).

Each function returns None when the site has no `repo_url`: the templates then show none
of these links, so a site without a repository has no broken ones.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from evidence.render.cite_this import edition_url

if TYPE_CHECKING:
    from evidence.content.model import Claim
    from evidence.editions.release import Edition
    from evidence.render.page import Page, PageRenderer


def edition_text(edition: Edition) -> str:
    """The edition as a correction names it: `v1.2 (2026-05-01)`, or the draft's commit."""
    if edition.name:
        return f"{edition.name} ({edition.date.isoformat()})" if edition.date else edition.name
    return f"Unreleased draft (commit {edition.commit[:12]})" if edition.commit else "Unreleased draft"


def _permalink(renderer: PageRenderer, url: str) -> str:
    """The page's permanent address in this edition (site-relative when there is no site_url)."""
    return edition_url(renderer.info.site_url, renderer.edition, url) or url


def claim_links(renderer: PageRenderer, claim: Claim) -> dict[str, str] | None:
    """The correction form (id, permanent address and edition filled in) and the claim's file."""
    forge = renderer.info.forge
    if forge is None:
        return None
    permalink = _permalink(renderer, renderer.claim_home(claim))
    return {
        "correct": forge.correction(claim.id, permalink, edition_text(renderer.edition)),
        "edit": forge.edit_claim(claim.topic, claim.id),
        "forge": forge.name,
    }


def topic_link(renderer: PageRenderer, page: Page) -> dict[str, str] | None:
    """The "Suggest a claim" link for the topic whose page this is (None on any other page)."""
    forge = renderer.info.forge
    if forge is None:
        return None
    for topic in renderer.corpus.topics.values():
        if topic.page == page.src:
            return {
                "href": forge.suggest_claim(f"{topic.title} ({topic.id})"),
                "title": topic.title,
                "forge": forge.name,
            }
    return None


def reference_link(renderer: PageRenderer, key: str) -> dict[str, str] | None:
    """The correction form for a reference, from its page at sources/<key>/."""
    forge = renderer.info.forge
    if forge is None:
        return None
    permalink = _permalink(renderer, renderer.source_url(key))
    return {
        "href": forge.reference_problem(key, permalink, edition_text(renderer.edition)),
        "forge": forge.name,
    }

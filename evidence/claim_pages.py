"""A permanent page per claim at `claims/<id>/`, generated at build for every claim.

Ids never change, so a claim keeps the same URL in every edition. The page holds the
card, its full sources, the quote with its locator, the review record, the other claims
resting on the same sources and the claim's history by edition. Retired claims keep
their page, marked retired with the reason, the date and what supersedes them.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from .changes_page import CHANGES_PAGE, edition_href, field_view
from .diff import Kind

if TYPE_CHECKING:
    from .corpus import Corpus
    from .history import ClaimEvent
    from .render import GeneratedPage, Page, Renderer

CLAIMS_FOLDER = "claims"


def claim_src(claim_id: str) -> str:
    """The generated page's source path; MkDocs serves it at claims/<id>/."""
    return f"{CLAIMS_FOLDER}/{claim_id}.md"


def generated_pages(corpus: Corpus) -> list[GeneratedPage]:
    """One page per claim, active or retired, in id order."""
    from .render import GeneratedPage

    return [
        GeneratedPage(
            claim_src(cid), corpus.claim(cid).title, partial(render, claim_id=cid), releases=(("card", cid),)
        )
        for cid in sorted(corpus.loaded)
    ]


def _event_view(renderer: Renderer, page: Page, event: ClaimEvent, claim_id: str) -> dict[str, Any]:
    edition, change = event.edition, event.change
    draft = edition.name is None
    added = "First published" if edition.changes.first else "Added"
    text = {
        Kind.added: "New in this unreleased draft" if draft else added,
        Kind.retired: "Retired",
        Kind.removed: "Removed",
        Kind.unreadable: "Removed",
    }.get(change.kind)
    reason = change.field("retired.reason")
    return {
        "name": edition.name,
        "label": edition.label,
        "date": edition.date,
        "kind": change.kind.value,
        "text": text,
        "reason": reason.new if reason and change.kind is Kind.retired else None,
        "fields": [field_view(f) for f in change.fields],
        "href": edition_href(renderer, page, edition.name, f"{CLAIMS_FOLDER}/{claim_id}/"),
    }


def history(renderer: Renderer, page: Page, claim_id: str) -> Markup:
    found = renderer.history
    return renderer.render_template(
        "claim_history.html",
        note=found.note,
        events=[_event_view(renderer, page, e, claim_id) for e in found.for_claim(claim_id)],
        changes=renderer.link(page, renderer.url(CHANGES_PAGE)),
    )


def render(renderer: Renderer, page: Page, *, claim_id: str) -> Markup:
    corpus = renderer.corpus
    claim = corpus.claim(claim_id)
    library = corpus.library

    def href(other_id: str) -> str:
        return renderer.link(page, renderer.claim_home(corpus.claim(other_id)))

    card = renderer.claim(page, claim_id)
    roles = [("Source", claim.source)] + ([("Reported in", claim.reported_in)] if claim.reported_in else [])
    references = renderer.url(renderer.info.references_page)
    sources = [
        {"role": role, "ref": library[key], "full": renderer.link(page, f"{references}#bib-{key}")}
        for role, key in roles
    ]
    related = [
        {
            "role": role,
            "ref": library[key],
            "claims": [{"claim": c, "href": href(c.id)} for c in corpus.citing(key) if c.id != claim.id],
        }
        for role, key in roles
    ]
    superseded = None
    if claim.retired and claim.retired.superseded_by in corpus.loaded:
        target = corpus.claim(claim.retired.superseded_by)
        superseded = {"claim": target, "href": href(target.id)}
    topic = corpus.topics[claim.topic]
    return renderer.render_template(
        "claim_page.html",
        claim=claim,
        topic=topic,
        topic_href=renderer.link(page, renderer.url(topic.page)),
        edition=renderer.edition,
        retired=claim.retired,
        superseded=superseded,
        card=card,
        sources=sources,
        read_in=library[claim.reported_in or claim.source],
        related=related,
        methodology=renderer.link(page, renderer.url(renderer.info.methodology_page)),
        history=history(renderer, page, claim_id),
    )

"""A permanent page per claim at `claims/<id>/`, generated at build for every claim.

Ids never change, so a claim keeps the same URL in every edition. The page holds the
card, its full sources, the quote with its locator, the review record, a few other claims
resting on the same sources (with a link to the source's page, which lists them all) and
the claim's history by edition. Retired claims keep their page, marked retired with the
reason, the date and what supersedes them.

A big source (a guideline, a Cochrane review) may be cited by thousands of claims: listing
them all on every claim page made the site grow as claims × claims per source, so each
page shows at most `RELATED_LIMIT` per source, the same topic's nearest ids first.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from evidence.bib.keys import anchor
from evidence.core.urls import CLAIMS_FOLDER, claim_src
from evidence.editions.diff import Kind
from evidence.pages.changes_page import CHANGES_PAGE, edition_href, field_view
from evidence.render.page import GeneratedPage

if TYPE_CHECKING:
    from evidence.content.model import Claim
    from evidence.editions.history import ClaimEvent
    from evidence.load.corpus import Corpus
    from evidence.render.page import Page
    from evidence.render.renderer import Renderer

RELATED_LIMIT = 5  # other claims shown per source on a claim page


class Related:
    """Which few claims a claim page shows per source, from indexes built once per source.

    The choice is deterministic: claims of the same topic first, nearest by id (in id
    order), then the nearest of other topics; each page costs O(log n), not O(n).
    """

    def __init__(self, corpus: Corpus, limit: int = RELATED_LIMIT) -> None:
        self.corpus, self.limit = corpus, limit
        self._index: dict[str, tuple[list[str], dict[str, list[str]]]] = {}

    def _of(self, key: str) -> tuple[list[str], dict[str, list[str]]]:
        if key not in self._index:
            ids: list[str] = []
            by_topic: dict[str, list[str]] = {}
            for claim in self.corpus.citing(key):  # by id
                ids.append(claim.id)
                by_topic.setdefault(claim.topic, []).append(claim.id)
            self._index[key] = (ids, by_topic)
        return self._index[key]

    def count(self, key: str) -> int:
        """Every claim citing `key` (as source or reported in), this one included."""
        return len(self._of(key)[0])

    def shown(self, claim: Claim, key: str) -> list[Claim]:
        ids, by_topic = self._of(key)
        same = nearest(by_topic.get(claim.topic, []), claim.id, self.limit, lambda _: False)
        others = nearest(ids, claim.id, self.limit - len(same), lambda cid: self._topic(cid) == claim.topic)
        return [self.corpus.claim(cid) for cid in sorted(same) + sorted(others)]

    def _topic(self, claim_id: str) -> str:
        return self.corpus.claim(claim_id).topic


def nearest(ids: list[str], claim_id: str, limit: int, skip: Callable[[str], bool]) -> list[str]:
    """Up to `limit` ids of the sorted `ids` nearest `claim_id` by position (the lower on a tie),
    never `claim_id` itself nor one that `skip` refuses."""
    out: list[str] = []
    at = bisect_left(ids, claim_id)
    low, high = at - 1, at + 1 if at < len(ids) and ids[at] == claim_id else at
    while len(out) < limit and (low >= 0 or high < len(ids)):
        if high >= len(ids) or (low >= 0 and at - low <= high - at):
            pick, low = ids[low], low - 1
        else:
            pick, high = ids[high], high + 1
        if not skip(pick):
            out.append(pick)
    return out


def generated_pages(corpus: Corpus) -> list[GeneratedPage]:
    """One page per claim, active or retired, in id order."""
    related = Related(corpus)
    return [
        GeneratedPage(
            claim_src(cid),
            corpus.claim(cid).title,
            partial(render, claim_id=cid, related=related),
            releases=(("card", cid),),
            reads=reads(corpus, related, cid),
        )
        for cid in sorted(corpus.loaded)
    ]


def reads(corpus: Corpus, related: Related, claim_id: str) -> frozenset[str]:
    """The claims `render` shows: this one, the related ones per source, the superseding one
    (the counts per source read only which claims cite it: ids and keys, not their text)."""
    claim = corpus.claim(claim_id)
    shown = {claim_id} | {c.id for key in claim.keys for c in related.shown(claim, key)}
    if claim.retired and claim.retired.superseded_by in corpus.loaded:
        shown.add(claim.retired.superseded_by)
    return frozenset(shown)


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


def render(renderer: Renderer, page: Page, *, claim_id: str, related: Related | None = None) -> Markup:
    corpus = renderer.corpus
    claim = corpus.claim(claim_id)
    library = corpus.library

    def href(other_id: str) -> str:
        return renderer.link(page, renderer.claim_home(corpus.claim(other_id)))

    related = related or Related(corpus)
    card = renderer.claim(page, claim_id, own_page=True)
    calls = renderer.called_on.get(claim_id, []) if claim.retired else []
    roles = [("Source", claim.source)] + ([("Reported in", claim.reported_in)] if claim.reported_in else [])
    references = renderer.url(renderer.info.references_page)
    sources = [
        {"role": role, "ref": library[key], "full": renderer.link(page, f"{references}#bib-{anchor(key)}")}
        for role, key in roles
    ]
    groups = [
        {
            "role": role,
            "ref": library[key],
            "claims": [{"claim": c, "href": href(c.id)} for c in related.shown(claim, key)],
            "count": related.count(key),
            "page": renderer.link(page, renderer.source_url(key)),
        }
        for role, key in roles
    ]
    superseded = _successor(renderer, page, claim)
    topic = corpus.topics[claim.topic]
    return renderer.render_template(
        "claim_page.html",
        claim=claim,
        topic=topic,
        topic_href=renderer.link(page, renderer.url(topic.page)),
        edition=renderer.edition,
        retired=claim.retired,
        superseded=superseded,
        # where a retired claim is still called: a notice stands there (`notice`), not its card
        called_on=[{"title": t, "href": renderer.link(page, renderer.url(src))} for src, t in calls],
        card=card,
        sources=sources,
        read_in=library[claim.reported_in or claim.source],
        related=groups,
        methodology=renderer.link(page, renderer.url(renderer.info.methodology_page)),
        history=history(renderer, page, claim_id),
    )


def _successor(renderer: Renderer, page: Page, claim: Claim) -> dict[str, Any] | None:
    """The claim that supersedes a retired one, with a link from `page`, if it exists."""
    if not claim.retired or claim.retired.superseded_by not in renderer.corpus.loaded:
        return None
    target = renderer.corpus.claim(claim.retired.superseded_by)
    return {"claim": target, "href": renderer.link(page, renderer.claim_home(target))}


def notice(renderer: Renderer, page: Page, claim_id: str) -> Markup:
    """What a page shows where it calls a retired claim: "Retired on <date>: <reason> — see
    <successor>", linking the claim's own page and its successor's; never the card."""
    claim = renderer.corpus.claim(claim_id)
    return renderer.render_template(
        "retired_notice.html",
        claim=claim,
        retired=claim.retired,
        home=renderer.link(page, renderer.claim_home(claim)),
        superseded=_successor(renderer, page, claim),
    )

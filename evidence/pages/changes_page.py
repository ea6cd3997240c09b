"""The "What changed" page: each edition's changes to the evidence, newest first.

Generated at build (not written by hand) from `history.History`: claims added, retired
and changed field by field, references added, changed and removed. It says so when this
is the first edition or when there is no git history to compare with.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from evidence.bib.keys import anchor
from evidence.editions.diff import ClaimChange, FieldChange, ReferenceChange, display_value
from evidence.render.page import GeneratedPage

if TYPE_CHECKING:
    from evidence.editions.history import EditionChanges
    from evidence.render.page import Page
    from evidence.render.renderer import Renderer

CHANGES_PAGE = "changes.md"
TITLE = "What changed"

#: How a reader sees a claim field's name; fields not listed show their dotted name.
FIELD_LABELS = {
    "topic": "Topic",
    "title": "Title",
    "statement": "Statement",
    "statistic.as_stated": "Number as stated",
    "statistic.value": "Value",
    "statistic.low": "Low end",
    "statistic.high": "High end",
    "statistic.unit": "Unit",
    "statistic.population": "Population",
    "statistic.year": "Year of the figure",
    "source": "Source",
    "reported_in": "Reported in",
    "quote.text": "Quote",
    "quote.locator": "Quote location",
    "evidence.kind": "Kind of evidence",
    "evidence.primary_checked": "Primary source checked",
    "caveats": "Caveats",
    "reviewed.date": "Review date",
    "reviewed.by": "Reviewed by",
    "status": "Status",
    "retired.reason": "Reason for retirement",
    "retired.date": "Retirement date",
    "retired.superseded_by": "Superseded by",
}


def generated_page() -> GeneratedPage:
    return GeneratedPage(CHANGES_PAGE, TITLE, render)


def field_view(change: FieldChange) -> dict[str, str]:
    return {
        "field": change.field,
        "label": FIELD_LABELS.get(change.field, change.field),
        "old": display_value(change.old),
        "new": display_value(change.new),
    }


def edition_href(renderer: Renderer, page: Page, name: str | None, target: str) -> str | None:
    """Link to `target` in another deployed edition (mike puts editions side by side)."""
    if not renderer.edition.released or not name or name == renderer.edition.name:
        return None
    return renderer.link(page, "") + f"../{name}/{target}"


def _claim_item(renderer: Renderer, page: Page, change: ClaimChange) -> dict[str, Any]:
    corpus = renderer.corpus
    exists = change.id in corpus.loaded
    item: dict[str, Any] = {
        "id": change.id,
        "title": change.title,
        "href": renderer.link(page, renderer.claim_home(corpus.claim(change.id))) if exists else None,
        "fields": [field_view(f) for f in change.fields],
        "reason": None,
        "date": None,
        "superseded": None,
    }
    reason, date, by = (change.field(f"retired.{name}") for name in ("reason", "date", "superseded_by"))
    item["reason"] = reason.new if reason else None
    item["date"] = date.new if date else None
    if by and by.new in corpus.loaded:
        target = corpus.claim(str(by.new))
        item["superseded"] = {"claim": target, "href": renderer.link(page, renderer.claim_home(target))}
    return item


def _reference_item(renderer: Renderer, page: Page, change: ReferenceChange) -> dict[str, Any]:
    exists = change.key in renderer.corpus.library
    full = renderer.url(renderer.info.references_page) + "#bib-" + anchor(change.key)
    return {
        "key": change.key,
        "label": change.label,
        "href": renderer.link(page, full) if exists else None,
        "fields": [field_view(f) for f in change.fields],
    }


def edition_view(renderer: Renderer, page: Page, edition: EditionChanges) -> dict[str, Any]:
    changes = edition.changes

    def claims(items: tuple[ClaimChange, ...]) -> list[dict[str, Any]]:
        return [_claim_item(renderer, page, c) for c in items]

    def refs(items: tuple[ReferenceChange, ...]) -> list[dict[str, Any]]:
        return [_reference_item(renderer, page, r) for r in items]

    return {
        "name": edition.name,
        "label": edition.label,
        "anchor": edition.anchor,
        "date": edition.date,
        "current": edition.current,
        "href": edition_href(renderer, page, edition.name, "changes/"),
        "previous": edition.previous,
        "previous_date": edition.previous_date,
        "previous_href": edition_href(renderer, page, edition.previous, ""),
        "first": changes.first,
        "empty": changes.empty,
        "claim_count": len(changes.added),
        "reference_count": len(changes.references_added),
        "added": claims(changes.added),
        "retired": claims(changes.retired),
        "changed": claims(changes.changed),
        "removed": claims(changes.removed + changes.unreadable),
        "references_added": refs(changes.references_added),
        "references_changed": refs(changes.references_changed),
        "references_removed": refs(changes.references_removed),
    }


def render(renderer: Renderer, page: Page) -> Markup:
    history = renderer.history
    retired = [
        {"claim": c, "href": renderer.link(page, renderer.claim_home(c))}
        for _, lc in sorted(renderer.corpus.loaded.items())
        if not (c := lc.claim).active
    ]
    return renderer.render_template(
        "changes_page.html",
        title=TITLE,
        edition=renderer.edition,
        note=history.note,
        editions=[edition_view(renderer, page, e) for e in history.editions],
        retired=retired,
    )

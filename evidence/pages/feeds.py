"""Atom feeds of What changed: one for the whole site, one per topic (feedgen writes the XML).

A reader subscribes to be told when an edition changes the evidence. The bytes depend
only on the content and git: entry ids come from the edition and the site's address,
dates from the editions, the reviews or SOURCE_DATE_EPOCH, never from the build's clock.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from feedgen.feed import FeedGenerator

from evidence.core.urls import CLAIMS_FOLDER, claim_src
from evidence.editions.diff import Kind
from evidence.editions.release import Edition
from evidence.pages.changes_page import field_view
from evidence.render.cite_this import edition_url

if TYPE_CHECKING:
    from evidence.content.model import Topic
    from evidence.editions.diff import ClaimChange, FieldChange
    from evidence.editions.history import EditionChanges
    from evidence.render.renderer import Renderer

#: At the site's root: Material fetches `sitemap.xml` beside every <link rel="alternate">
#: (its language switcher), so a feed in a folder of its own cost each page a 404.
CHANGES_FEED = "feed.xml"
#: tag: URIs need a domain; a site without `site_url` uses this reserved one (RFC 2606).
NO_SITE = "evidence-site.invalid"
#: A value longer than this (in characters) is shortened in a feed entry, at a word break.
VALUE_LIMIT = 160
#: How much unchanged text is kept before the first difference of two long values.
LEAD = 40
#: A claim's own fields a retirement sets: its entry says them as a sentence, not old → new.
RETIREMENT_FIELDS = ("status", "retired.reason", "retired.date", "retired.superseded_by")


@dataclass(frozen=True)
class Feed:
    """One feed file: where it is published, its title (for <link rel="alternate">) and bytes."""

    path: str
    title: str
    data: bytes


def topic_feed_path(topic_id: str) -> str:
    return f"feed-{topic_id}.xml"


def _draft_date(renderer: Renderer) -> dt.date:
    """An unreleased draft's date: SOURCE_DATE_EPOCH, else the newest review or edition."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    dates = [d for d in (renderer.corpus.last_reviewed(), *(r.date for r in renderer.edition.earlier)) if d]
    return max(dates) if dates else dt.date(1970, 1, 1)


def _stamp(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


class _Urls:
    """Absolute addresses (with site_url) and stable ids for feeds and entries."""

    def __init__(self, renderer: Renderer) -> None:
        self.renderer = renderer
        self.site = renderer.info.site_url
        self.host = urlsplit(self.site).hostname if self.site else None

    def page(self, edition: str | None, src: str) -> str | None:
        """A page of an edition (the latest alias for the feed itself): never relative."""
        return edition_url(self.site, Edition(edition, None, None), self.renderer.url(src))

    def tag(self, *parts: str) -> str:
        """A tag: URI (RFC 4151), the same in every build of every edition."""
        path = self.site and urlsplit(self.site).path.strip("/")
        return f"tag:{self.host or NO_SITE},2000:" + "/".join(p for p in (path, *parts) if p)


def _cut(text: str, limit: int) -> str:
    """`text` in at most `limit` characters and "…", cut at a word break when there is one."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    space = head.rfind(" ")
    return (head[:space] if space > limit // 2 else head).rstrip(" ,;:") + "…"


def shorten_pair(old: str, new: str, limit: int = VALUE_LIMIT) -> tuple[str, str]:
    """Two long values shortened so the reader still sees where they differ.

    Unchanged text before the first difference is dropped (but for the last few words before
    it) from both alike, then each is cut at `limit` characters at a word break.
    """
    same = 0
    for a, b in zip(old, new, strict=False):
        if a != b:
            break
        same += 1
    start = 0
    if max(len(old), len(new)) > limit and same > LEAD:
        start = same - LEAD
        space = old.find(" ", start, same)
        start = space + 1 if space != -1 else start
    lead = "…" if start else ""
    return lead + _cut(old[start:], limit), lead + _cut(new[start:], limit)


def field_line(change: FieldChange) -> dict[str, str]:
    """One changed field as a feed shows it: its reader's name, old and new, shortened."""
    view = field_view(change)  # the What changed page's label and display text
    old, new = shorten_pair(view["old"], view["new"])
    return {"label": view["label"], "old": old, "new": new}


def _claim_line(renderer: Renderer, urls: _Urls, edition: str | None, change: ClaimChange) -> dict:
    corpus = renderer.corpus
    exists = change.id in corpus.loaded
    line: dict = {
        "id": change.id,
        "title": change.title,
        "href": urls.page(edition, claim_src(change.id)) if exists else None,
        "fields": [field_line(f) for f in change.fields],
        "retired": None,
    }
    if change.kind is Kind.retired:
        reason, date, by = (change.field(f"retired.{name}") for name in ("reason", "date", "superseded_by"))
        successor = None
        if by is not None and by.new:
            target = corpus.loaded.get(str(by.new))
            successor = {
                "id": str(by.new),
                "title": target.claim.title if target is not None else None,
                "href": urls.page(edition, claim_src(str(by.new))) if target is not None else None,
            }
        line["retired"] = {
            "reason": _cut(str(reason.new), VALUE_LIMIT * 2) if reason and reason.new else None,
            "date": str(date.new) if date and date.new else None,
            "successor": successor,
        }
        line["fields"] = [field_line(f) for f in change.fields if f.field not in RETIREMENT_FIELDS]
    return line


def _entry_view(renderer: Renderer, urls: _Urls, edition: EditionChanges, topic: str | None) -> dict | None:
    changes = edition.changes

    def pick(items: tuple[ClaimChange, ...]) -> list[dict]:
        return [_claim_line(renderer, urls, edition.name, c) for c in items if topic in (None, c.topic)]

    groups = [
        ("Claims added", pick(changes.added)),
        ("Claims retired", pick(changes.retired)),
        ("Claims changed", pick(changes.changed)),
        ("Claims removed", pick(changes.removed + changes.unreadable)),
    ]
    refs = []
    if topic is None:
        refs = [
            (
                label,
                [
                    {"key": r.key, "label": r.label, "fields": [field_line(f) for f in r.fields]}
                    for r in items
                ],
            )
            for label, items in (
                ("References added", changes.references_added),
                ("References changed", changes.references_changed),
                ("References removed", changes.references_removed),
            )
        ]
    if topic is not None and not any(items for _, items in groups):
        return None  # this edition did not touch the topic
    return {"groups": [g for g in groups if g[1]], "refs": [g for g in refs if g[1]], "first": changes.first}


def _feed(renderer: Renderer, path: str, title: str, subtitle: str, topic: Topic | None) -> Feed:
    urls = _Urls(renderer)
    fg = FeedGenerator()
    fg.id(urls.tag(path))
    fg.title(title)
    fg.subtitle(subtitle)
    fg.language("en")
    fg.author({"name": renderer.info.site_author or renderer.info.site_name or "The site's editors"})
    home = urls.page("latest" if renderer.edition.released else None, "index.md")
    changes = urls.page("latest" if renderer.edition.released else None, renderer.info.changes_page)
    if home and changes:
        fg.link(href=changes if topic is None else urljoin(home, renderer.url(topic.page)), rel="alternate")
        fg.link(href=urljoin(home, path), rel="self", type="application/atom+xml")
    newest: dt.date | None = None
    history = renderer.history
    if not history.editions:  # no git history: one entry for this build, saying why
        day = renderer.edition.date or _draft_date(renderer)
        newest = day
        entry = fg.add_entry(order="append")
        entry.id(urls.tag(path, renderer.edition.name or "draft"))
        entry.title(renderer.edition.label)
        entry.updated(_stamp(day))
        entry.content(history.note or "No change to list.", type="text")
        if where := urls.page(renderer.edition.name, renderer.info.changes_page):
            entry.link(href=where, rel="alternate")
    for edition in history.editions:  # newest first, as readers expect
        view = _entry_view(renderer, urls, edition, topic.id if topic else None)
        if view is None:
            continue
        day = edition.date or _draft_date(renderer)
        newest = max(day, newest) if newest else day
        entry = fg.add_entry(order="append")
        slug = edition.name or "draft"
        entry.id(urls.tag(path, slug))
        label = f"Edition {edition.name}" if edition.name else "Unreleased draft"
        entry.title(f"{label}: {topic.title}" if topic else label)
        entry.updated(_stamp(day))
        entry.published(_stamp(day))
        where = urls.page(edition.name, renderer.info.changes_page)
        if where:
            entry.link(href=f"{where}#{edition.anchor}", rel="alternate")
        html = renderer.render_template("feed_entry.html", edition=edition, label=label, **view)
        entry.content(str(html), type="html")
    fg.updated(_stamp(newest or _draft_date(renderer)))
    return Feed(path, title, fg.atom_str(pretty=True))


def feeds(renderer: Renderer) -> list[Feed]:
    """The What changed feed, then one per topic, in the order of topics.yml."""
    site = renderer.info.site_name
    made = [
        _feed(renderer, CHANGES_FEED, f"What changed: {site}", "Each edition's changes to the evidence", None)
    ]
    for topic in renderer.corpus.topics.values():
        path = topic_feed_path(topic.id)
        made.append(
            _feed(renderer, path, f"{topic.title}: {site}", f"Changes to the claims on {topic.title}", topic)
        )
    return made


def page_feeds(renderer: Renderer, src: str) -> list[tuple[str, str]]:
    """(title, site-relative URL) of the feeds a page links in <head>: What changed on every
    page, and a topic's own feed on its topic page and on its claims' pages."""
    site = renderer.info.site_name
    stem = src.removeprefix(f"{CLAIMS_FOLDER}/").removesuffix(".md")
    loaded = renderer.corpus.loaded.get(stem) if src.startswith(f"{CLAIMS_FOLDER}/") else None
    claim_topic = loaded.claim.topic if loaded is not None else None
    links = [(f"What changed: {site}", CHANGES_FEED)]
    for topic in renderer.corpus.topics.values():
        if topic.page == src or topic.id == claim_topic:
            links.append((f"{topic.title}: {site}", topic_feed_path(topic.id)))
    return links

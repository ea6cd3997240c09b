"""The Atom feeds of What changed: valid Atom, one entry per edition, ids that never change."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from helpers import REPO, REVIEWED, Project, claim_data, mini_project
from lxml import etree
from lxml import html as lxml_html
from releases import (
    ADDED,
    CHANGED,
    EDITIONS,
    KEPT,
    RETIRED,
    RETIREMENT,
    Releases,
    commit_and_tag,
    first_edition_claims,
    git,
    plant_second_edition,
)

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("releases")]

ATOM = "{http://www.w3.org/2005/Atom}"


def feed(releases: Releases, path: str) -> etree._Element:
    return etree.fromstring((releases.site / path).read_bytes())


def entries(root: etree._Element) -> list[dict[str, str]]:
    return [
        {
            "id": e.findtext(f"{ATOM}id"),
            "title": e.findtext(f"{ATOM}title"),
            "updated": e.findtext(f"{ATOM}updated"),
            "link": e.find(f"{ATOM}link").get("href") if e.find(f"{ATOM}link") is not None else "",
            "content": e.findtext(f"{ATOM}content"),
        }
        for e in root.findall(f"{ATOM}entry")
    ]


def test_the_changes_feed_has_one_entry_per_edition_newest_first(released: Releases) -> None:
    root = feed(released, "v1.1/feed.xml")
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):  # RFC 4287 4.1.1
        assert root.findtext(f"{ATOM}{required}"), required
    assert root.findtext(f"{ATOM}updated") == f"{EDITIONS['v1.1']}T00:00:00+00:00"
    got = entries(root)
    assert [e["title"] for e in got] == ["Edition v1.1", "Edition v1.0"]
    assert [e["updated"] for e in got] == [f"{EDITIONS[t]}T00:00:00+00:00" for t in ("v1.1", "v1.0")]
    assert got[0]["link"] == "https://example.org/pt-back-pain/v1.1/changes/#edition-v1-1"
    assert all(e["id"].startswith("tag:example.org,2000:pt-back-pain/feed.xml/") for e in got)
    assert "Claims added" in got[0]["content"] or "Claims changed" in got[0]["content"]
    self_link = root.find(f"{ATOM}link[@rel='self']").get("href")
    assert self_link == "https://example.org/pt-back-pain/latest/feed.xml"


def test_an_editions_entry_keeps_its_id_and_bytes_in_later_builds(released: Releases) -> None:
    first = {e["id"]: e for e in entries(feed(released, "v1.0/feed.xml"))}
    later = {e["id"]: e for e in entries(feed(released, "v1.1/feed.xml"))}
    assert len(first) == 1 and set(first) < set(later)
    (entry_id,) = first
    assert first[entry_id]["updated"] == later[entry_id]["updated"]
    assert first[entry_id]["title"] == later[entry_id]["title"]


def test_each_topic_has_a_feed_with_only_its_claims(released: Releases) -> None:
    root = feed(released, "v1.1/feed-burden.xml")
    titles = [e["title"] for e in entries(root)]
    assert titles and all(
        t.startswith("Edition v1.") and t.endswith(": The burden of back pain") for t in titles
    )
    for entry in entries(root):
        assert "References added" not in entry["content"]


def test_pages_link_their_feeds_in_head(released: Releases) -> None:
    home = released.soup("v1.1/index.html")
    assert [(a["href"], a["type"]) for a in home.select('head link[rel~="alternate"]')] == [
        ("feed.xml", "application/atom+xml")
    ]
    topic = released.soup("v1.1/burden/index.html")
    hrefs = [a["href"] for a in topic.select('head link[rel~="alternate"][type="application/atom+xml"]')]
    assert hrefs == ["../feed.xml", "../feed-burden.xml"]
    # Material fetches the sitemap.xml beside every link[rel=alternate] (exact value), taking
    # it for another language of the site: a feed's link must not be one
    for soup in (home, topic):
        assert soup.select('link[rel="alternate"]') == []


def test_a_draft_without_history_has_one_entry_dated_by_its_newest_review(draft_site: Project) -> None:
    root = etree.fromstring((draft_site.root / "site" / "feed.xml").read_bytes())
    (entry,) = entries(root)
    assert entry["title"] == "Unreleased draft"
    assert entry["updated"] == f"{REVIEWED}T00:00:00+00:00"  # not the build's clock
    assert entry["id"] == "tag:example.org,2000:pt-back-pain/feed.xml/draft"
    assert "not made from a git checkout" in entry["content"]
    assert entry["link"] == "https://example.org/pt-back-pain/changes/"


#: The kept claim's statement before and after: long, alike but for one word near the end,
#: with characters that are markup in HTML.
LONG_BEFORE = (
    "People with back pain for more than three months were asked who they saw. Some saw a "
    "doctor. Some saw a physio. Many saw nobody at all in the first year (<50% & more)."
)
LONG_AFTER = LONG_BEFORE.replace("first year", "second year")


def entry_html(root: etree._Element, title: str) -> lxml_html.HtmlElement:
    """One entry's content, parsed back as the HTML a feed reader shows."""
    (content,) = [e["content"] for e in entries(root) if e["title"] == title]
    return lxml_html.fragment_fromstring(content, create_parent="div")


def claim_item(content: lxml_html.HtmlElement, claim_id: str) -> lxml_html.HtmlElement:
    (item,) = [li for li in content.iter("li") if f"({claim_id})" in (li.text_content() or "")]
    return item


def test_a_feed_entry_gives_old_and_new_values_and_a_retirements_reason_and_successor(
    tmp_path: Path,
) -> None:
    """A real repository: v1.0 tagged, then a second commit that changes a statistic, retires
    a claim for a successor and rewrites a long statement; the draft's entry says all of it."""
    claims = [
        claim_data(KEPT, topic="benefits", title="Claim that stays as it is", statement=LONG_BEFORE)
        if c["id"] == KEPT
        else c
        for c in first_edition_claims()
    ]
    project = mini_project(tmp_path, claims=claims)
    project.write(".gitignore", (REPO / ".gitignore").read_text())
    git(tmp_path, "init", "-q", "-b", "main")
    commit_and_tag(tmp_path, "v1.0")  # the first commit, released
    plant_second_edition(project)
    project.write_claim(
        claim_data(KEPT, topic="benefits", title="Claim that stays as it is", statement=LONG_AFTER)
    )
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "The second edition's changes")  # not yet released
    result = project.build()
    assert result.returncode == 0, result.stderr
    root = etree.fromstring((project.root / "site" / "feed.xml").read_bytes())
    content = entry_html(root, "Unreleased draft")

    changed = claim_item(content, CHANGED)
    fields = [" ".join(li.text_content().split()) for li in changed.iter("li") if li is not changed]
    assert "Number as stated: 37 percent → 40 percent" in fields
    assert "Value: 37 → 40" in fields
    assert [d.text_content() for d in changed.iter("del")] == ["37 percent", "37"]
    assert [i.text_content() for i in changed.iter("ins")] == ["40 percent", "40"]

    retired = claim_item(content, RETIRED)
    text = " ".join(retired.text_content().split())
    assert f"retired on {RETIREMENT['date']}" in text
    assert RETIREMENT["reason"] in text
    (successor,) = [a for a in retired.iter("a") if a.text_content() == "Claim added in the second edition"]
    assert successor.get("href") == f"https://example.org/pt-back-pain/claims/{ADDED}/"
    assert "Status:" not in text  # the retirement is said once, as a sentence

    kept = claim_item(content, KEPT)
    (old,) = [d.text_content() for d in kept.iter("del")]
    (new,) = [i.text_content() for i in kept.iter("ins")]
    # shortened to the words around the difference, the same way on both sides; escaped text
    assert old.startswith("…") and new.startswith("…")
    assert old.endswith("nobody at all in the first year (<50% & more).")
    assert new.endswith("nobody at all in the second year (<50% & more).")
    assert len(old) < len(LONG_BEFORE) / 2
    assert kept.find(".//b") is None

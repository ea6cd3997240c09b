"""Site search in headless Chromium: Pagefind's box in the header, offline, by keyboard, and
the claim a query names first. Also the claims table's word filter (the claim's own words)."""

from __future__ import annotations

import re

import pytest
from browsing import Watch, open_context
from helpers import REPO
from playwright.sync_api import Browser, Page, expect

from evidence.load.corpus import load_corpus

pytestmark = pytest.mark.browser

CORPUS, _ = load_corpus(REPO)
COMMON = {"the", "a", "an", "of", "to", "in", "and", "or", "for", "is", "are", "be", "by", "on", "with"}
COMMON |= {"it", "its", "that", "this", "as", "at", "from", "says"}


def search(page: Page, query: str) -> list[str]:
    """Type `query` into the header's search box; the result links, best first."""
    box = page.locator("header .ev-search input")
    box.fill(query)
    results = page.locator(".ev-search .pagefind-ui__result-link")
    # "3 results for …": this query's results, not the last one's
    expect(page.locator(".ev-search .pagefind-ui__message")).to_contain_text(f"for {query}")
    results.first.wait_for(state="visible")
    # each result's page loads on its own: until it has, its item is a grey placeholder with
    # no link, and reading the links then gave a partial list (a flaky failure under load)
    expect(page.locator(".ev-search .pagefind-ui__loading")).to_have_count(0)
    return [str(link.get_attribute("href")) for link in results.all()]


def distinctive(title: str) -> str:
    """The title's four longest uncommon words: what a reader who remembers a claim types."""
    words = [w for w in re.findall(r"[A-Za-z]+", title) if w.lower() not in COMMON]
    return " ".join(sorted(words, key=lambda w: (-len(w), w))[:4])


def test_a_claims_title_words_find_its_page_first(desktop: tuple[Page, Watch], site_url: str) -> None:
    page, _ = desktop
    page.goto(site_url)
    claims = sorted(CORPUS.active_claims(), key=lambda c: c.id)
    for claim in claims[:: max(1, len(claims) // 6)]:  # six claims across the topics
        hrefs = search(page, distinctive(claim.title))
        assert hrefs[0].endswith(f"/claims/{claim.id}/"), (claim.id, distinctive(claim.title), hrefs)


def test_opioids_finds_the_opioid_claim_and_little_else(desktop: tuple[Page, Watch], site_url: str) -> None:
    """The site has several claims on opioid use now (SpineNation's, the surveys that check it, the
    cohorts): the first results are those claims and their sources' pages, not every page that
    lists them (topic pages, the claims table) nor a claim that does not speak of opioids."""
    page, watch = desktop
    page.goto(site_url + "methodology/")
    hrefs = search(page, "opioids")
    opioid = [c for c in CORPUS.active_claims() if "opioid" in f"{c.id} {c.title} {c.statement}".lower()]
    assert len(opioid) >= 2
    expected = {f"/claims/{c.id}/" for c in opioid} | {f"/sources/{c.source}/" for c in opioid}
    assert [h for h in hrefs if not any(h.endswith(e) for e in expected)] == [], hrefs
    assert any("/claims/" in h for h in hrefs), hrefs
    # offline: the index came from the site itself
    assert any("/pagefind/" in url for url in watch.requests) and watch.external == []


def test_search_box_by_keyboard(desktop: tuple[Page, Watch], site_url: str) -> None:
    page, _ = desktop
    page.goto(site_url + "burden/")
    box = page.locator("header .ev-search input")
    expect(box).to_be_visible()
    expect(box).to_have_accessible_name("Search this site")
    for key in ("/", "s"):
        page.locator("h1").first.click()
        page.keyboard.press(key)
        expect(box).to_be_focused()
        expect(box).to_have_value("")  # the key opens the box, it is not typed into it
    page.keyboard.type("laminectomy")
    expect(page.locator(".ev-search .pagefind-ui__result").first).to_be_visible()
    page.keyboard.press("Escape")
    expect(box).to_have_value("")
    expect(box).not_to_be_focused()
    expect(page.locator(".ev-search .pagefind-ui__result")).to_have_count(0)


def test_table_word_filter_reads_the_claims_own_words(desktop: tuple[Page, Watch], site_url: str) -> None:
    """A word only in a source's title (shown in the Source column) matches no row."""
    page, _ = desktop
    page.goto(site_url + "claims/")
    active = CORPUS.active_claims()
    own = " ".join(
        f"{c.title} {c.id} {c.statement} {c.statistic.as_stated if c.statistic else ''} "
        f"{c.statistic.population if c.statistic else ''}"
        for c in active
    ).lower()
    labels = " ".join(CORPUS.library[c.source].label for c in active).lower()
    only_in_sources = sorted(w for w in set(re.findall(r"[a-z]{5,}", labels)) if w not in own)
    assert only_in_sources, "every source word is also in some claim's text: pick another site"
    page.fill("#ev-filter-text", only_in_sources[0])
    expect(page.locator("[data-ev-count]")).to_have_text(f"Showing 0 of {len(active)} claims")
    # a word in some claims' own text shows those claims and no other (several speak of opioids now)
    texts = {
        c.id: f"{c.title} {c.id} {c.statement} {c.statistic.as_stated if c.statistic else ''} "
        f"{c.statistic.population if c.statistic else ''}".lower()
        for c in active
    }
    with_word = [cid for cid, text in texts.items() if "opioids" in text]
    assert 0 < len(with_word) < len(active)
    page.fill("#ev-filter-text", "opioids")
    expect(page.locator("[data-ev-count]")).to_have_text(f"Showing {len(with_word)} of {len(active)} claims")
    shown = page.locator("#claims-table tbody tr:visible").evaluate_all("rows => rows.map(r => r.id)")
    assert sorted(shown) == sorted(f"row-{cid}" for cid in with_word)


def test_opening_a_page_fetches_no_sitemap(browser: Browser, site_url: str) -> None:
    """The sitemap grows with the site (1.4 MB at 10,000 claims): a reader's page view must not
    fetch it. Material fetches it beside each `<link rel="alternate">` it takes for another
    language, which the feeds' links once were (render/overrides/main.html)."""
    context, watch = open_context(browser, site_url, viewport={"width": 1280, "height": 900})
    page = watch.attach(context.new_page())
    for path in ("", "burden/", "changes/"):
        page.goto(site_url + path, wait_until="networkidle")
        assert page.locator('head link[rel~="alternate"][type="application/atom+xml"]').count() >= 1
    context.close()
    fetched = [url for url in watch.requests if "sitemap" in url]
    assert fetched == []
    assert any(url.endswith("/burden/") for url in watch.requests)  # the watch saw the visits

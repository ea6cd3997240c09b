"""What a reader does, in headless Chromium: read a citation, follow it, filter the table, download."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from browsing import DESKTOP, PHONE, Watch, open_context
from helpers import REPO, Project
from playwright.sync_api import Browser, Page, expect

from evidence.load.corpus import load_corpus

pytestmark = pytest.mark.browser

CORPUS, _ = load_corpus(REPO)
SURGERY = [c for c in CORPUS.active_claims() if c.topic == "surgery"]
TOTAL = len(CORPUS.active_claims())


def first_citation(page: Page) -> tuple[str, str]:
    """The first citation link on the page: its key and the reference text its tooltip must show."""
    link = page.locator("sup.ev-cite a").first
    key = link.get_attribute("href").removeprefix("#ref-")
    return key, " ".join(CORPUS.library[key].text.split())


def tooltip_text(page: Page) -> str:
    tip = page.locator(".md-tooltip2--active")
    expect(tip).to_have_count(1)
    expect(tip).to_be_visible()
    return " ".join(tip.inner_text().split())


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_citation_tooltip_on_hover(browser: Browser, site_url: str, viewport: dict) -> None:
    context, watch = open_context(browser, site_url, viewport=viewport)
    page = watch.attach(context.new_page())
    page.goto(site_url + "burden/")
    _, text = first_citation(page)
    expect(page.locator(".md-tooltip2--active")).to_have_count(0)
    link = page.locator("sup.ev-cite a").first
    link.hover()
    assert tooltip_text(page) == text
    box = page.locator(".md-tooltip2--active .md-tooltip2__inner").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
    tip_id = page.locator(".md-tooltip2--active").get_attribute("id")
    assert link.get_attribute("aria-describedby") == tip_id
    page.mouse.move(1, 1)
    expect(page.locator(".md-tooltip2--active")).to_have_count(0)
    context.close()
    assert (watch.external, watch.console_errors) == ([], [])


def test_citation_tooltip_on_keyboard_focus(phone: tuple[Page, Watch], site_url: str) -> None:
    page, _ = phone
    page.goto(site_url + "burden/")
    _, text = first_citation(page)
    for _ in range(200):  # Tab through the page as a keyboard user does
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('sup.ev-cite a')"):
            break
    else:
        pytest.fail("no citation is reachable with Tab")
    first = page.locator("sup.ev-cite a").first.get_attribute("href")
    assert page.evaluate("document.activeElement.getAttribute('href')") == first
    assert tooltip_text(page) == text
    outline = page.locator(":focus").evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none"  # the focus itself is visible, not only the tooltip


@pytest.mark.parametrize("path", ["", "burden/", "claims/"])
def test_clicking_a_citation_lands_on_its_reference(
    phone: tuple[Page, Watch], site_url: str, path: str
) -> None:
    page, _ = phone
    page.goto(site_url + path)
    link = page.locator("sup.ev-cite a").nth(1)
    key = link.get_attribute("href").removeprefix("#ref-")
    link.click()
    expect(page).to_have_url(re.compile(f"#ref-{re.escape(key)}$"))
    target = page.locator(f"li#ref-{key}")
    expect(target).to_be_in_viewport()
    assert page.evaluate(f"document.querySelector('#ref-{key}').matches(':target')")
    header = page.locator(".md-header").bounding_box()
    box = target.bounding_box()
    assert box is not None and header is not None
    assert box["y"] >= header["y"] + header["height"] - 1  # not hidden under the sticky header
    expect(target).to_contain_text(" ".join(CORPUS.library[key].text.split())[:40])


def rows(page: Page) -> list[str]:
    return page.locator("#claims-table tbody tr:visible").evaluate_all("rows => rows.map(r => r.id)")


def test_filtering_the_table_changes_rows_and_count(phone: tuple[Page, Watch], site_url: str) -> None:
    page, _ = phone
    page.goto(site_url + "claims/")
    count = page.locator("[data-ev-count]")
    expect(count).to_have_text(f"Showing all {TOTAL} claims")
    assert len(rows(page)) == TOTAL

    page.select_option("#ev-filter-topic", "surgery")
    expect(count).to_have_text(f"Showing {len(SURGERY)} of {TOTAL} claims")
    assert rows(page) == [f"row-{c.id}" for c in SURGERY]

    kind = SURGERY[0].evidence.kind
    page.select_option("#ev-filter-kind", kind.value)
    both = [c for c in SURGERY if c.evidence.kind == kind]
    expect(count).to_have_text(f"Showing {len(both)} of {TOTAL} claims")
    assert rows(page) == [f"row-{c.id}" for c in both]

    page.get_by_role("button", name="Show all").click()
    expect(count).to_have_text(f"Showing all {TOTAL} claims")

    page.select_option("#ev-filter-source", "smith-2014-wneu-fusion-vs-nonoperative-ddd")
    cited = [c for c in CORPUS.active_claims() if "smith-2014-wneu-fusion-vs-nonoperative-ddd" in c.keys]
    expect(count).to_have_text(f"Showing {len(cited)} of {TOTAL} claims")
    assert rows(page) == [f"row-{c.id}" for c in cited]
    page.get_by_role("button", name="Show all").click()

    page.fill("#ev-filter-text", "laminectomy")
    expect(count).to_have_text(re.compile(rf"^Showing [1-9]\d* of {TOTAL} claims$"))
    assert "row-surgery-laminectomy" in rows(page)

    page.fill("#ev-filter-text", "")
    dates = [c.reviewed.date for c in CORPUS.active_claims()]
    page.fill("#ev-filter-reviewed", (max(dates) + dt.timedelta(days=1)).isoformat())
    expect(count).to_have_text(f"Showing 0 of {TOTAL} claims")
    expect(page.locator("[data-ev-empty]")).to_be_visible()
    page.fill("#ev-filter-reviewed", min(dates).isoformat())
    expect(count).to_have_text(f"Showing all {TOTAL} claims")
    expect(page.locator("[data-ev-empty]")).to_be_hidden()


def test_sorting_the_table(desktop: tuple[Page, Watch], site_url: str) -> None:
    page, _ = desktop
    page.goto(site_url + "claims/")
    header = page.locator("#claims-table thead th").nth(0)
    header.locator("button").click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    titles = sorted(c.title.lower() for c in CORPUS.active_claims())
    shown = page.locator("#claims-table tbody tr td:first-child a").all_inner_texts()
    assert [t.lower() for t in shown] == titles
    header.locator("button").click()
    expect(header).to_have_attribute("aria-sort", "descending")
    shown = page.locator("#claims-table tbody tr td:first-child a").all_inner_texts()
    assert [t.lower() for t in shown] == titles[::-1]


def test_table_is_complete_without_javascript(browser: Browser, site_url: str) -> None:
    context, watch = open_context(browser, site_url, viewport=PHONE, java_script_enabled=False)
    page = watch.attach(context.new_page())
    page.goto(site_url + "claims/")
    assert len(rows(page)) == TOTAL
    expect(page.locator("[data-ev-table-tools]")).to_be_hidden()
    assert page.locator("#claims-table thead button").count() == 0
    context.close()


def test_a_reader_on_a_phone_can_download_the_data(
    phone: tuple[Page, Watch], site_url: str, real_site: Project
) -> None:
    page, _ = phone
    page.goto(site_url + "data/")
    for name in ["claims.json", "claims.csv", "references.csl.json"]:
        with page.expect_download() as info:
            page.get_by_role("link", name=name, exact=True).click()
        download = info.value
        assert download.suggested_filename == name
        assert download.path().read_bytes() == (real_site.root / "site" / "data" / name).read_bytes()


def test_print_shows_the_page_and_its_references_without_navigation(
    desktop: tuple[Page, Watch], site_url: str
) -> None:
    page, _ = desktop
    page.goto(site_url + "burden/")
    page.emulate_media(media="print")
    for hidden in [".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer"]:
        expect(page.locator(hidden).first).to_be_hidden()
    expect(page.locator(".ev-page-refs")).to_be_visible()
    expect(page.locator("ol.ev-refs > li").first).to_be_visible()
    expect(page.locator("[data-ev-trust]")).to_be_visible()
    expect(page.locator("details.ev-quote blockquote").first).to_be_visible()  # quotes print open
    (REPO / "artifacts").mkdir(exist_ok=True)
    page.pdf(path=str(REPO / "artifacts" / "print-burden.pdf"))
    assert (REPO / "artifacts" / "print-burden.pdf").stat().st_size > 10_000

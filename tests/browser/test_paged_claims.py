"""All claims in pages (issue 25, item 5), in Chromium: with script every claim loads,
filters, sorts and counts; without it the first page and links to the others."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browsing import DESKTOP, open_context, served
from helpers import Project, claim_data, mini_project
from playwright.sync_api import Browser, expect

SIZE = 5  # list_page_size: 23 claims make five pages
TOPICS = ("burden", "benefits")
CLAIMS = 23
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def paged_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("paged-browser")
    claims = []
    for n in range(CLAIMS):
        data = claim_data(f"claim-{n:03d}", topic=TOPICS[n % 2], title=f"Example claim {n}")
        data["statement"] = "Some people with back pain wait."
        data["statistic"] = {**data["statistic"], "as_stated": f"{n} percent", "value": n}
        claims.append(data)
    project = mini_project(root, claims)
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text().replace("\n  - evidence\n", f"\n  - evidence:\n      list_page_size: {SIZE}\n")
    )
    result = Project(root).build()
    assert result.returncode == 0, result.stderr
    with served(project.root / "site") as url:
        yield url


def test_rows_load_filter_sort_and_count(browser: Browser, paged_url: str) -> None:
    context, watch = open_context(browser, paged_url, viewport=DESKTOP)
    page = watch.attach(context.new_page())
    page.goto(paged_url + "claims/")
    table = page.locator("table#claims-table")
    expect(table).to_have_attribute("data-ev-loaded", "true")
    count = page.locator("[data-ev-count]")
    expect(count).to_have_text(f"Showing all {CLAIMS} claims")
    rows = table.locator("tbody > tr")
    expect(rows).to_have_count(SIZE)
    expect(page.locator("nav[data-ev-pager]").first).to_be_hidden()  # every claim is here now
    more = page.locator("[data-ev-more] button")
    expect(more).to_have_text(f"Show {SIZE} more claims ({SIZE} of {CLAIMS} listed)")
    for _ in range(4):
        more.click()
    expect(rows).to_have_count(CLAIMS)
    expect(page.locator("[data-ev-more]")).to_be_hidden()
    # filter: words reach claims on other pages; topic; the count follows
    page.fill("#ev-filter-text", "claim-017")
    expect(count).to_have_text(f"Showing 1 of {CLAIMS} claims")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_id("row-claim-017")
    page.fill("#ev-filter-text", "")
    page.select_option("#ev-filter-topic", TOPICS[1])
    expect(count).to_have_text(f"Showing 11 of {CLAIMS} claims")
    expect(rows).to_have_count(SIZE)
    page.select_option("#ev-filter-topic", "")
    page.fill("#ev-filter-text", "nothing-matches-this")
    expect(page.locator("[data-ev-empty]")).to_be_visible()
    page.fill("#ev-filter-text", "")
    # sort by the number across every page: ascending, then descending
    header = page.locator("th[data-ev-sort='measure'] button")
    header.click()
    expect(rows.first).to_have_id("row-claim-000")
    header.click()
    expect(page.locator("th[data-ev-sort='measure']")).to_have_attribute("aria-sort", "descending")
    expect(rows.first).to_have_id("row-claim-022")
    expect(rows.nth(SIZE - 1)).to_have_id("row-claim-018")
    context.close()
    assert watch.external == [] and watch.console_errors == []


def test_without_script_the_pages_list_every_claim(browser: Browser, paged_url: str) -> None:
    context, watch = open_context(browser, paged_url, viewport=DESKTOP, java_script_enabled=False)
    page = context.new_page()
    page.goto(paged_url + "claims/")
    rows = page.locator("table#claims-table tbody > tr")
    expect(rows).to_have_count(SIZE)
    expect(rows.first).to_have_id("row-claim-000")
    expect(page.locator("form[data-ev-filters]")).to_be_hidden()
    page.locator("nav[data-ev-pager] a[rel='next']").first.click()
    expect(page).to_have_url(paged_url + "claims/page/2/")
    expect(rows.first).to_have_id(f"row-claim-{SIZE:03d}")
    page.locator("nav[data-ev-pager] a", has_text="5").first.click()
    expect(rows).to_have_count(CLAIMS - 4 * SIZE)
    context.close()
    assert watch.external == []

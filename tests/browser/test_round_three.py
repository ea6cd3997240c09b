"""Issue 23, readers: tables that fit, no text under 12 px, focus that shows, inputs that say
what is wrong, and axe in the states a reader puts the page in (a tooltip open, a citation
focused, search results shown), at 1366 and 360 px, light and dark. The real site, served
as mike publishes it (conftest.py)."""

from __future__ import annotations

import http.server
import re
import shutil
import subprocess
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from browsing import ARTIFACTS, EDITION, open_context, served
from playwright.sync_api import Browser, Page, expect
from releases import Releases

pytestmark = pytest.mark.browser

WIDE = {"width": 1366, "height": 900}
PHONE = {"width": 360, "height": 740}
#: Every page with a table, and the pages with the most small text.
PAGES = ["", "burden/", "benefits/", "shortfalls/", "surgery/", "claims/", "methodology/", "references/"]

TABLES = """() => [...document.querySelectorAll('article table')].map(t => {
    const wrap = t.closest('.ev-table-wrap, .md-typeset__scrollwrap') || t.parentElement;
    const article = document.querySelector('article').getBoundingClientRect();
    return {table: t.id || t.className || t.rows[0].textContent.trim().slice(0, 30),
            hidden: wrap.scrollWidth - wrap.clientWidth,
            right: t.getBoundingClientRect().right - article.right};
})"""

UNLABELLED = """() => [...document.querySelectorAll('article table tbody td')]
    .filter(td => td.getClientRects().length && !td.closest('.ev-sof__plot-row'))
    .filter(td => !(td.matches('.ev-table td:first-child') && getComputedStyle(td).fontWeight === '700'))
    .filter(td => { const c = getComputedStyle(td, '::before').content;
                    return getComputedStyle(td).display === 'table-cell' || !/^"[^:"]+: ?"$/.test(c); })
    .map(td => td.closest('table').id + ' ' + td.textContent.trim().slice(0, 20))"""

SMALL = """() => {
  const small = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!walker.currentNode.textContent.trim() || !el || !el.getClientRects().length) continue;
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1 || getComputedStyle(el).visibility === 'hidden') continue;
    let size = parseFloat(getComputedStyle(el).fontSize);
    const svg = el.closest('svg');
    if (svg && svg.viewBox.baseVal && svg.viewBox.baseVal.width) {
      const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
      size = parseFloat(el.getAttribute('font-size') || size) * scale;
    }
    const what = `${el.tagName}.${el.getAttribute('class') || ''}`;
    const words = walker.currentNode.textContent.trim().slice(0, 24);
    if (size < 11.95) small.push(`${size.toFixed(1)}px ${what}: ${words}`);
  }
  return [...new Set(small)].slice(0, 12);
}"""


def show_search_results(page: Page, words: str = "pain") -> None:
    box = page.locator(".ev-search input")
    box.fill(words)
    expect(page.locator(".pagefind-ui__result").first).to_be_visible(timeout=10_000)


@pytest.mark.parametrize("path", PAGES)
def test_every_table_fits_its_column_at_1366(browser: Browser, site_url: str, path: str) -> None:
    context, _ = open_context(browser, site_url, viewport=WIDE)
    page = context.new_page()
    page.goto(site_url + path, wait_until="networkidle")
    tables = page.evaluate(TABLES)
    context.close()
    assert [t for t in tables if t["hidden"] > 1 or t["right"] > 1] == []


@pytest.mark.parametrize("path", PAGES)
def test_every_table_stacks_as_labelled_cards_at_360(browser: Browser, site_url: str, path: str) -> None:
    """Home's counts table read ": 15 / : 0" (no data-label); Markdown tables scrolled."""
    context, _ = open_context(browser, site_url, viewport=PHONE)
    page = context.new_page()
    page.goto(site_url + path, wait_until="networkidle")
    unlabelled = page.evaluate(UNLABELLED)
    tables = page.evaluate(TABLES)
    context.close()
    assert unlabelled == []
    assert [t for t in tables if t["hidden"] > 1] == []


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1366", "360"])
def test_no_text_under_12_px(browser: Browser, site_url: str, viewport: dict) -> None:
    """Footnote and citation numbers, code, the evidence map on a phone (7 px), the search box
    and its results (8.8 px excerpts, a 7.7 px "Clear")."""
    context, _ = open_context(browser, site_url, viewport=viewport)
    page = context.new_page()
    found = {}
    for path in PAGES:
        page.goto(site_url + path, wait_until="networkidle")
        if small := page.evaluate(SMALL):
            found[path] = small
    show_search_results(page)
    if small := page.evaluate(SMALL):
        found["search results"] = small
    context.close()
    assert found == {}


def test_the_search_box_shows_its_focus(browser: Browser, site_url: str) -> None:
    context, _ = open_context(browser, site_url, viewport=WIDE)
    page = context.new_page()
    page.goto(site_url + "burden/", wait_until="networkidle")
    box = page.locator(".ev-search input")
    for _ in range(40):
        page.keyboard.press("Tab")
        if box.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the search box")
    outline = box.evaluate(
        "el => { const s = getComputedStyle(el); return [s.outlineStyle, s.outlineWidth]; }"
    )
    context.close()
    assert outline[0] != "none" and float(outline[1].removesuffix("px")) >= 2


def test_a_review_date_the_filter_cannot_read_is_said_so(browser: Browser, site_url: str) -> None:
    context, _ = open_context(browser, site_url, viewport=PHONE)
    page = context.new_page()
    page.goto(site_url + "claims/", wait_until="networkidle")
    box = page.locator("#ev-filter-reviewed")
    message = page.locator("#ev-filter-reviewed-error")
    box.fill("11/24/2026")
    expect(message).to_be_visible()
    expect(message).to_contain_text("“11/24/2026” is not a date this filter can read")
    expect(message).to_contain_text("YYYY-MM-DD")
    assert box.get_attribute("aria-describedby") == "ev-filter-reviewed-error"
    box.fill("2026-11-24")
    expect(message).to_be_hidden()
    context.close()


def test_a_build_without_mike_never_asks_for_versions_json(browser: Browser, site_url: str) -> None:
    context, watch = open_context(browser, site_url, viewport=WIDE)
    page = watch.attach(context.new_page())
    page.goto(site_url + "burden/", wait_until="networkidle")
    page.goto(site_url, wait_until="networkidle")
    context.close()
    assert [url for url in watch.requests if "versions.json" in url] == []


# -- axe, in the states a reader puts the page in -----------------------------------------


def violations(page: Page, *experimental: str) -> list[str]:
    """Every axe violation, whatever its impact (tooltips outside a landmark were moderate),
    with the `experimental` rules (off in axe by default) run as well."""
    options = {"resultTypes": ["violations"], "rules": {rule: {"enabled": True} for rule in experimental}}
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in Axe().run(page, options=options).response["violations"]
    ]


STATES = {
    "tooltip open": lambda page: page.locator("article .ev-cite a").first.hover(),
    "citation focused": lambda page: page.locator("article .ev-cite a").first.focus(),
    "search results": show_search_results,
    "show all focused": None,  # claims/: the reset button, focused
}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1366", "360"])
def test_axe_finds_nothing_with_things_open_and_focused(
    browser: Browser, site_url: str, viewport: dict, scheme: str
) -> None:
    context, watch = open_context(browser, site_url, viewport=viewport, color_scheme=scheme)
    page = watch.attach(context.new_page())
    found = {}
    for state, act in STATES.items():
        if act is None:
            page.goto(site_url + "claims/", wait_until="networkidle")
            page.locator(".ev-filter--reset button").focus()
        else:
            page.goto(site_url + "burden/", wait_until="networkidle")
            act(page)
            page.wait_for_timeout(300)  # tooltips and hover colours settle
        if problems := violations(page):
            found[state] = problems
    context.close()
    assert found == {}
    assert watch.console_errors == [] and watch.external == []


def test_show_all_keeps_its_contrast_on_hover(browser: Browser, site_url: str) -> None:
    context, _ = open_context(browser, site_url, viewport=WIDE)
    page = context.new_page()
    page.goto(site_url + "claims/", wait_until="networkidle")
    button = page.locator(".ev-filter--reset button")
    button.hover()
    page.wait_for_timeout(300)
    colours = button.evaluate("el => [getComputedStyle(el).color, getComputedStyle(el).backgroundColor]")
    context.close()
    assert colours[0] != colours[1]
    assert colours != ["rgb(0, 121, 107)", "rgb(82, 108, 254)"]  # teal on indigo: 1.25:1


def test_tooltips_sit_inside_main(browser: Browser, site_url: str) -> None:
    context, _ = open_context(browser, site_url, viewport=WIDE)
    page = context.new_page()
    page.goto(site_url + "burden/", wait_until="networkidle")
    page.locator("article .ev-cite a").first.hover()
    tip = page.locator(".md-tooltip2").first
    expect(tip).to_be_attached()
    inside = tip.evaluate("el => !!el.closest('main')")
    context.close()
    assert inside


def test_phone_map_text_is_legible(browser: Browser, site_url: str) -> None:
    context, _ = open_context(browser, site_url, viewport=PHONE)
    page = context.new_page()
    page.goto(site_url, wait_until="networkidle")
    sizes = page.eval_on_selector(
        "svg.ev-map__chart",
        """svg => { const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            return [...svg.querySelectorAll('text')]
                .map(t => parseFloat(t.getAttribute('font-size')) * scale); }""",
    )
    context.close()
    assert sizes and min(sizes) >= 12, min(sizes)


# -- print ---------------------------------------------------------------------------------


def test_printed_cards_share_sheets_and_never_leave_a_line_alone(browser: Browser, site_url: str) -> None:
    """burden/ printed to A4 by Chromium: every card began a new sheet (51 sheets for 26
    cards, a third of each empty) and a split card left 2 or 3 lines on a sheet of its own."""
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (make test installs it)")
    context, _ = open_context(browser, site_url, viewport=WIDE)
    page = context.new_page()
    page.goto(site_url + "burden/", wait_until="networkidle")
    cards = page.locator("article .ev-card").count()
    page.emulate_media(media="print")
    avoid = page.eval_on_selector_all(
        "article .ev-card", "cards => cards.every(c => getComputedStyle(c).breakInside === 'avoid')"
    )
    pdf = ARTIFACTS / "print-burden-cards.pdf"
    ARTIFACTS.mkdir(exist_ok=True)
    page.pdf(path=str(pdf), format="A4")
    context.close()
    text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True, check=True)
    sheets = text.stdout.split("\f")[:-1]
    with_cards = [n for n, sheet in enumerate(sheets) if "Checked against the source by" in sheet]
    span = with_cards[-1] - with_cards[0] + 1
    # lines of text on each sheet, the running line at its foot left out
    lines = [len([line for line in sheet.splitlines() if line.strip()]) - 2 for sheet in sheets]
    assert avoid
    assert cards > 20 and span < 0.85 * cards, (span, cards)
    assert [n for n, count in enumerate(lines[:-1]) if count < 6] == [], lines


# -- axe on two editions as mike publishes them: the version selector, What changed --------


@pytest.fixture(scope="module")
def released_url(released: Releases) -> Iterator[str]:
    """The `released` fixture's gh-pages tree (v1.0, v1.1, latest, versions.json) on localhost."""
    with served(released.site, _Quiet, edition="") as url:
        yield url


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def open_versions(page: Page) -> None:
    """The edition button focused, which opens its list (Material: `:focus-within`)."""
    button = page.locator(".md-version__current")
    expect(button).to_be_visible(timeout=10_000)  # Material adds it once versions.json loads
    button.focus()
    expect(page.locator(".md-version__list")).to_be_visible()
    # its name starts with the words it shows, parted as they show ("v1.1 (date) latest")
    label = re.compile(r"^v1\.[01] \(\d{4}-\d\d-\d\d\)( latest)? \(choose another edition\)$")
    expect(button).to_have_attribute("aria-label", label)
    name = button.get_attribute("aria-label") or ""
    assert name.startswith(" ".join(button.text_content().split()))
    # mike's "latest" at full strength (Material fades it to 0.7: 3.43:1 on the header)
    assert page.locator(".md-version__alias").first.evaluate("a => getComputedStyle(a).opacity") == "1"


def focus_an_edition(page: Page) -> None:
    """The list open and keyboard focus on its last edition (v1.0, an earlier one)."""
    open_versions(page)
    page.locator(".md-version__link").last.focus()


RELEASED_STATES = {
    "version button focused": ("v1.1/changes/", open_versions),
    "edition in the list focused": ("v1.0/changes/", focus_an_edition),  # under the banner
    "what changed": ("v1.1/changes/", None),
    "what changed, edition link focused": (
        "v1.1/changes/",
        lambda page: page.locator(".ev-edition a").first.focus(),
    ),
}


@pytest.mark.slow
@pytest.mark.xdist_group("releases")
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1366", "360"])
def test_axe_finds_nothing_on_two_editions_with_the_selector_open_and_what_changed(
    browser: Browser, released_url: str, viewport: dict, scheme: str
) -> None:
    """Reported: mike's "latest" faded to 3.43:1, the version button's label ("Select version")
    not holding its text, an edition link in dark What changed not underlined, 1.12:1 against
    the text beside it."""
    context, watch = open_context(
        browser, released_url + EDITION + "/", viewport=viewport, color_scheme=scheme
    )
    page = watch.attach(context.new_page())
    found = {}
    for state, (path, act) in RELEASED_STATES.items():
        page.goto(released_url + path, wait_until="networkidle")
        if scheme == "dark":
            assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
        if act is not None:
            act(page)
        page.wait_for_timeout(300)
        if problems := violations(page, "label-content-name-mismatch"):
            found[state] = problems
    context.close()
    assert found == {}
    assert watch.console_errors == [] and watch.external == []

"""Readers with a keyboard, a phone, a screen reader or a printer, in headless Chromium (issue 16).

The draft site (a retired claim, a generated claim, source and What changed page) is served
the way mike publishes an edition, as the real site is in conftest.py.
"""

from __future__ import annotations

import functools
import http.server
import itertools
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from browsing import ARTIFACTS, DESKTOP, EDITION, PHONE, open_context, served
from helpers import Project, claim_data, mini_project
from playwright.sync_api import Browser, Page, expect
from releases import Releases

from evidence.render.cite_this import css_string

pytestmark = pytest.mark.browser

SERIOUS = {"serious", "critical"}
#: Every kind of generated page of the draft site, and a hand-written one.
DRAFT_PAGES = ["claims/old-claim/", "claims/hostile-title/", "sources/article-a/", "changes/", "burden/"]


@pytest.fixture(scope="module")
def draft_url(draft_site: Project) -> Iterator[str]:
    with served(draft_site.root / "site") as url:
        yield url


@pytest.fixture(scope="module")
def mixed_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A mini site whose claims are of two certainty levels (every claim of the real site is
    very low): two very low, one low."""
    root = tmp_path_factory.mktemp("mixed")
    low = {"level": "low", "reasons": [{"domain": "risk-of-bias", "note": "One survey."}]}
    claims = [
        claim_data("a-very-low"),
        claim_data("b-very-low", title="Another claim"),
        # read in the survey itself, not through an article: an article's claim whose primary check
        # has not confirmed it is very low (primary-check-certainty), so it could not be rated low
        claim_data("c-low", title="A low claim", certainty=low, reported_in=None),
    ]
    project = mini_project(root, claims=claims)
    result = project.build(env={"GIT_CEILING_DIRECTORIES": str(root.parent)})
    assert result.returncode == 0, result.stderr
    with served(root / "site") as url:
        yield url


def serious(page: Page) -> list[str]:
    found = Axe().run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in found
        if v.get("impact") in SERIOUS
    ]


@pytest.mark.parametrize(
    "options",
    [
        {"viewport": DESKTOP, "color_scheme": "light"},
        {"viewport": DESKTOP, "color_scheme": "dark"},
        {"viewport": {"width": 390, "height": 844}, "color_scheme": "light"},
    ],
    ids=["light", "dark", "phone-390"],
)
def test_generated_and_retired_pages_have_no_serious_violations(
    browser: Browser, draft_url: str, options: dict
) -> None:
    context, watch = open_context(browser, draft_url, **options)
    page = watch.attach(context.new_page())
    found = {}
    for path in DRAFT_PAGES:
        page.goto(draft_url + path, wait_until="networkidle")
        if problems := serious(page):
            found[path] = problems
    context.close()
    assert found == {}
    assert watch.console_errors == [] and watch.external == []


def test_the_retired_card_is_not_faded(browser: Browser, draft_url: str) -> None:
    context, _ = open_context(browser, draft_url, viewport=DESKTOP)
    page = context.new_page()
    page.goto(draft_url + "claims/old-claim/")
    card = page.locator(".ev-card--retired")
    expect(card).to_have_count(1)
    assert card.evaluate("el => getComputedStyle(el).opacity") == "1"
    context.close()


@pytest.mark.parametrize("path", DRAFT_PAGES)
def test_every_page_has_a_skip_link_to_its_title(browser: Browser, draft_url: str, path: str) -> None:
    context, _ = open_context(browser, draft_url, viewport=DESKTOP)
    page = context.new_page()
    page.goto(draft_url + path)
    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.className, document.activeElement.hash]")
    assert "md-skip" in focused[0].split()
    target = page.locator(focused[1])
    expect(target).to_have_count(1)
    assert target.evaluate("el => el.tagName") == "H1"
    context.close()


@pytest.mark.parametrize("path", [p for p in DRAFT_PAGES if p != "burden/"])  # generated pages
def test_headings_never_skip_a_level(browser: Browser, draft_url: str, path: str) -> None:
    context, _ = open_context(browser, draft_url, viewport=DESKTOP)
    page = context.new_page()
    page.goto(draft_url + path)
    levels = page.evaluate(
        "() => [...document.querySelectorAll('article h1, article h2, article h3, article h4')]"
        ".map(h => +h.tagName[1])"
    )
    context.close()
    assert levels[0] == 1
    jumps = [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1]
    assert jumps == [], levels


def test_on_a_phone_every_tab_stop_is_visible(browser: Browser, site_url: str) -> None:
    """At 390 px the navigation drawer is closed: Tab never lands on a link inside it."""
    context, _ = open_context(browser, site_url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(site_url + "burden/")
    hidden = []
    for stop in range(1, 31):
        page.keyboard.press("Tab")
        where = page.evaluate(
            """() => {
              const el = document.activeElement;
              // the light/dark radio button is 0 px wide: its label shows it (and its focus)
              const shown = el.classList.contains('md-option') ? el.nextElementSibling : el;
              const box = shown.getBoundingClientRect();
              const drawer = el.closest('.md-sidebar--primary');
              const onScreen = box.width > 0 && box.right > 0 && box.left < innerWidth;
              return {inDrawer: !!drawer, onScreen, text: (el.textContent || '').trim().slice(0, 40)};
            }"""
        )
        if where["inDrawer"] or not where["onScreen"]:
            hidden.append((stop, where["text"]))
    # the drawer, once opened, is reachable
    page.locator('.md-header label[for="__drawer"]').first.click()
    page.wait_for_timeout(400)
    opened = page.locator(".md-sidebar--primary a").first.evaluate("el => getComputedStyle(el).visibility")
    context.close()
    assert hidden == []
    assert opened == "visible"


def test_the_dark_mode_toggle_shows_its_focus(browser: Browser, site_url: str) -> None:
    context, _ = open_context(browser, site_url, viewport=DESKTOP)
    page = context.new_page()
    page.goto(site_url)
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.classList.contains('md-option')"):
            break
    else:
        pytest.fail("Tab never reached the light/dark toggle")
    outline = page.evaluate(
        """() => { const label = document.activeElement.nextElementSibling;
                   const s = getComputedStyle(label); return [s.outlineStyle, s.outlineWidth]; }"""
    )
    context.close()
    assert outline[0] != "none" and float(outline[1].removesuffix("px")) >= 2


@pytest.mark.parametrize("width", [PHONE["width"], 390])
def test_the_phone_header_shows_the_whole_site_name(browser: Browser, site_url: str, width: int) -> None:
    """The whole name, not cut, and clear of the menu button, the light/dark toggle and search."""
    context, _ = open_context(browser, site_url, viewport={"width": width, "height": PHONE["height"]})
    page = context.new_page()
    page.goto(site_url, wait_until="networkidle")
    title = page.locator(".md-header__topic:first-child .md-ellipsis")
    expect(page.locator(".ev-search input")).to_be_visible()
    fits = title.evaluate(
        "el => el.scrollHeight <= el.clientHeight + 1 && el.scrollWidth <= el.clientWidth + 1"
    )
    size = title.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    covered = page.evaluate(
        """() => {
          const box = el => el.getBoundingClientRect();
          const name = box(document.querySelector('.md-header__topic:first-child .md-ellipsis'));
          const others = {menu: 'label[for="__drawer"]', toggle: '.md-header__option label:not([hidden])',
                          search: '.ev-search', edition: '.md-version'};
          // the edition selector is there only in mike's builds (issue 23: no versions.json 404)
          const optional = ['edition'];
          return Object.entries(others).filter(([what, sel]) => { const o = document.querySelector(sel);
            if (!o) return !optional.includes(what);  // missing: reported too
            const b = box(o);
            return b.left < name.right && name.left < b.right && b.top < name.bottom && name.top < b.bottom;
          }).map(([what]) => what);
        }"""
    )
    page.screenshot(
        path=str(ARTIFACTS / f"phone-header-{width}.png"),
        clip={"x": 0, "y": 0, "width": width, "height": 100},
    )
    context.close()
    assert fits
    assert size >= 12  # legible
    assert covered == []


def test_number_as_stated_sorts_by_unit_then_value(browser: Browser, site_url: str) -> None:
    context, _ = open_context(browser, site_url, viewport=DESKTOP)
    page = context.new_page()
    page.goto(site_url + "claims/")
    page.locator("th button.ev-sort", has_text="Number as stated").click()
    cells = page.evaluate(
        """() => [...document.querySelectorAll('#claims-table tbody tr td[data-label=Number]')]
                 .map(td => [td.dataset.evGroup, td.dataset.evValue])"""
    )
    context.close()
    keys = [(int(g), float(v)) for g, v in cells if v]
    assert keys == sorted(keys)
    assert len({g for g, _ in keys}) > 1  # more than one unit on the site


@pytest.mark.slow  # builds its own mini site
def test_the_certainty_filter_shows_only_rows_of_that_certainty(browser: Browser, mixed_url: str) -> None:
    context, watch = open_context(browser, mixed_url, viewport=DESKTOP)
    page = watch.attach(context.new_page())
    page.goto(mixed_url + "claims/", wait_until="networkidle")
    count = page.locator("[data-ev-count]")
    choice = page.locator("#ev-filter-certainty")
    shown = """() => [...document.querySelectorAll('#claims-table tbody tr')]
                 .filter(row => row.getClientRects().length > 0)
                 .map(row => [row.id, row.querySelector('td[data-label=Certainty]').textContent.trim()])"""
    expect(count).to_have_text("Showing all 3 claims")
    assert choice.locator("option").all_inner_texts() == ["Any certainty", "Low", "Very low"]
    choice.select_option("low")
    expect(count).to_have_text("Showing 1 of 3 claims")
    assert page.evaluate(shown) == [["row-c-low", "■■□□ Low"]]
    choice.select_option("very-low")
    expect(count).to_have_text("Showing 2 of 3 claims")
    assert [row for row, _ in page.evaluate(shown)] == ["row-a-very-low", "row-b-very-low"]
    choice.select_option("")
    expect(count).to_have_text("Showing all 3 claims")
    assert len(page.evaluate(shown)) == 3
    context.close()
    assert watch.console_errors == [] and watch.external == []


def test_the_review_date_filter_reads_and_shows_iso_dates(browser: Browser, site_url: str) -> None:
    context, _ = open_context(browser, site_url, viewport=DESKTOP)
    page = context.new_page()
    page.goto(site_url + "claims/")
    box = page.locator("#ev-filter-reviewed")
    assert box.get_attribute("placeholder") == "YYYY-MM-DD"
    box.fill("2999-01-01")
    expect(page.locator("[data-ev-count]")).to_have_text(re.compile(r"Showing 0 of \d+ claims"))
    box.fill("01/02/2020")
    assert box.get_attribute("aria-invalid") == "true"
    expect(page.locator("[data-ev-count]")).to_have_text(re.compile(r"Showing all \d+ claims"))
    context.close()


def _pdf_text(browser: Browser, url: str, name: str) -> list[str]:
    context, _ = open_context(browser, url, viewport=DESKTOP)
    page = context.new_page()
    page.goto(url, wait_until="networkidle")
    pdf = ARTIFACTS / f"{name}.pdf"
    ARTIFACTS.mkdir(exist_ok=True)
    page.pdf(path=str(pdf), format="A4")
    context.close()
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", pdf, ARTIFACTS / name], check=True
        )
    text = subprocess.run(
        ["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")[:-1]


@pytest.fixture(scope="module")
def burden_sheets(browser: Browser, site_url: str) -> list[str]:
    """The text of each A4 sheet of burden/ as Chromium prints it (made once for the module)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (make test installs it)")
    return _pdf_text(browser, site_url + "burden/", "print-burden")


def test_every_printed_sheet_names_the_edition_and_the_permanent_address(burden_sheets: list[str]) -> None:
    """At the foot of every sheet, below the text: site, edition (a draft here) and the address."""
    running = (
        "Physical therapy for back pain: what the evidence says · Unreleased draft (not a published"
        " edition) · https://example.org/pt-back-pain/burden/"  # a draft build: no edition in the address
    )
    assert len(burden_sheets) > 1
    feet = [" ".join(" ".join(sheet.split("\n")[-3:]).split()) for sheet in burden_sheets]
    missing = [number for number, foot in enumerate(feet, 1) if not foot.endswith(running)]
    assert missing == [], feet[missing[0] - 1] if missing else ""


def test_chromium_reads_the_running_line_back_as_its_text(browser: Browser) -> None:
    """The per-page <style> of the running line (cite_this.html), holding hostile text: one rule,
    no script, and the margin box's content is the text itself (whitespace squeezed)."""
    hostile = 'A "site" </style><script>alert(1)</script> \\ ; } body { color: red } · ünï 😀\n\tend'
    page = browser.new_page()
    page.set_content(
        f'<style media="print">@page {{ @bottom-left {{ content: {css_string(hostile)}; }} }}</style>'
    )
    rules, scripts, content = page.evaluate(
        """() => { const sheet = document.styleSheets[0];
                   return [sheet.cssRules.length, document.scripts.length,
                           sheet.cssRules[0].cssRules[0].style.content]; }"""
    )
    page.close()
    squeezed = " ".join(hostile.split())
    assert (rules, scripts) == (1, 0)
    assert content == '"' + squeezed.replace("\\", "\\\\").replace('"', '\\"') + '"'  # CSSOM re-quotes it


def test_print_keeps_the_citation_and_drops_on_screen_controls(burden_sheets: list[str]) -> None:
    whole = "\n".join(burden_sheets)
    assert "Cite this page" in whole and "@online{" in whole
    assert "Skip to content" not in whole and "Link to this claim" not in whole
    assert not re.search(r"^\s*Cite\s*$", whole, re.M)  # the cards' on-screen "Cite" links
    assert "¶" not in whole  # permalinks


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.mark.slow
@pytest.mark.xdist_group("releases")
def test_the_earlier_edition_banner_leads_to_the_same_page_in_the_latest(
    browser: Browser, released: Releases
) -> None:
    """Two editions as mike publishes them: on v1.0, the banner's link goes to the same page in
    the latest edition (a claim page at once, another page once it is found there)."""
    handler = functools.partial(_Quiet, directory=str(released.site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    root = f"http://127.0.0.1:{server.server_address[1]}/"
    context, watch = open_context(browser, root + EDITION + "/", viewport=DESKTOP)
    page = watch.attach(context.new_page())
    try:
        page.goto(root + "v1.0/burden/", wait_until="networkidle")
        banner = page.locator('[data-md-component="outdated"]')
        expect(banner).to_be_visible()
        link = banner.locator("a")
        expect(link).to_have_attribute("data-ev-latest", "same")
        assert link.evaluate("a => a.href") == root + "latest/burden/"
        expect(link).to_have_text("Read this page in the latest edition.")
        claim = next(p for p in released.pages("v1.0") if p.parent.parent.name == "claims")
        rel = claim.relative_to(released.site / "v1.0").parent.as_posix()
        page.goto(root + f"v1.0/{rel}/", wait_until="networkidle")
        assert (
            page.locator('[data-md-component="outdated"] a').evaluate("a => a.href")
            == root + f"latest/{rel}/"
        )
        page.goto(root + "latest/burden/", wait_until="networkidle")
        expect(page.locator('[data-md-component="outdated"]')).to_be_hidden()
    finally:
        context.close()
        server.shutdown()
        server.server_close()
    assert watch.external == []

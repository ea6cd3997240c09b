"""Issue 24: "Report a correction" and "Edit this claim" in a real browser, and their picture.

The links are plain: a claim page loads nothing from the forge until one is followed, and
following one asks for exactly the address the page shows. axe finds no serious problem
on a claim page with them. The picture CONTRIBUTING.md shows ("Without git") is a claim
card of the real site at 1366 px, with the two links outlined: it must match a fresh shot,
and `UPDATE_DOCS_SCREENSHOTS=1` retakes it.
"""

from __future__ import annotations

import os

import pytest
from axe_playwright_python.sync_playwright import Axe
from browsing import open_context
from helpers import REPO
from playwright.sync_api import Browser
from test_screenshots import MAX_DIFFERENCE, difference, png_size

pytestmark = pytest.mark.browser

WIDE = {"width": 1366, "height": 900}
CLAIM = "claims/gbd-2010-low-back-pain-prevalence/"
SHOT = REPO / "docs" / "assets" / "screenshot-report-links.png"
#: How the picture points at the two links (an outline a reader of CONTRIBUTING can find).
#: How much of the card above its foot the picture shows, in CSS pixels.
CONTEXT = 160
OUTLINE = ".ev-card__contribute a { outline: 3px solid #e65100; outline-offset: 2px; }"


def test_claim_page_links_load_nothing_until_followed(browser: Browser, site_url: str) -> None:
    context, watch = open_context(browser, site_url, viewport=WIDE)
    page = watch.attach(context.new_page())
    page.goto(site_url + CLAIM, wait_until="networkidle")
    assert watch.external == []  # the links, and the header's repository link, fetch nothing
    correct = page.get_by_role("link", name="Report a correction")
    edit = page.get_by_role("link", name="Edit this claim")
    assert correct.is_visible() and edit.is_visible()
    violations = [
        v for v in Axe().run(page).response["violations"] if v.get("impact") in {"serious", "critical"}
    ]
    assert violations == []
    href = correct.get_attribute("href")
    correct.click()
    page.wait_for_timeout(500)  # the navigation is aborted by the watch: it leaves localhost
    assert watch.external == [href]
    assert watch.console_errors == []
    context.close()


def shoot(browser: Browser, site_url: str) -> bytes:
    """The foot of the first card of the burden topic page, light, at 1366 px, its two links outlined."""
    context, watch = open_context(browser, site_url, viewport=WIDE, color_scheme="light")
    page = watch.attach(context.new_page())
    page.goto(site_url + "burden/", wait_until="networkidle")
    page.add_style_tag(content=OUTLINE)
    card = page.locator("article.ev-card").first
    foot = card.locator("footer.ev-card__foot")
    foot.scroll_into_view_if_needed()
    box, at, scrolled = card.bounding_box(), foot.bounding_box(), page.evaluate("window.scrollY")
    assert box is not None and at is not None
    top = max(box["y"], at["y"] - CONTEXT) + scrolled  # the card's foot and what is just above it
    clip = {
        "x": box["x"] - 8,
        "y": top - 8,
        "width": box["width"] + 16,
        "height": at["y"] + scrolled - top + at["height"] + 16,
    }
    png = page.screenshot(clip=clip, full_page=True, animations="disabled")
    context.close()
    assert (watch.external, watch.console_errors) == ([], [])
    return png


def test_contributing_screenshot_of_the_report_links_is_current(browser: Browser, site_url: str) -> None:
    fresh = shoot(browser, site_url)
    if os.environ.get("UPDATE_DOCS_SCREENSHOTS"):
        SHOT.write_bytes(fresh)
    assert "docs/assets/screenshot-report-links.png" in (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    width, _ = png_size(SHOT)
    assert width <= WIDE["width"]
    found = difference(browser, SHOT.read_bytes(), fresh)
    assert 0 <= found < MAX_DIFFERENCE, (
        f"CONTRIBUTING's screenshot of the report links differs from the page by {found:.3f} "
        f"(-1: another size; limit {MAX_DIFFERENCE}): retake it with `UPDATE_DOCS_SCREENSHOTS=1 "
        ".venv/bin/python -m pytest -n 0 tests/browser/test_contribute_links.py -k screenshot` "
        "and look at it before committing"
    )

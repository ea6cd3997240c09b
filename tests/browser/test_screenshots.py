"""Screenshots of Home, a topic page and the claims table, on a phone and a desktop, light and dark.

Written to artifacts/screenshots/ (git ignores it; CI keeps it) for a person to look at.
`UPDATE_README_SCREENSHOT=1` also rewrites docs/assets/screenshot-home.png, the one the
README shows, from the same real site.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest
from browsing import ARTIFACTS, DESKTOP, PHONE, open_context
from helpers import REPO
from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

PAGES = {"home": "", "topic": "burden/", "table": "claims/"}
README_SHOT = REPO / "docs" / "assets" / "screenshot-home.png"


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", head[16:24])


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
def test_screenshots(browser: Browser, site_url: str, viewport: dict, scheme: str) -> None:
    out = ARTIFACTS / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    context, watch = open_context(browser, site_url, viewport=viewport, color_scheme=scheme)
    page = watch.attach(context.new_page())
    for name, path in PAGES.items():
        page.goto(site_url + path, wait_until="networkidle")
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == (
            "slate" if scheme == "dark" else "default"
        )
        file = out / f"{name}-{viewport['width']}-{scheme}.png"
        page.screenshot(path=str(file), full_page=True)
        width, height = png_size(file)
        assert width == viewport["width"] and height >= viewport["height"], file
        # the page fits its width: nothing forces a phone reader to scroll sideways
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], file
    context.close()
    assert (watch.external, watch.console_errors) == ([], [])


def test_readme_screenshot_is_the_real_home_page(browser: Browser, site_url: str) -> None:
    if os.environ.get("UPDATE_README_SCREENSHOT"):
        context, _ = open_context(browser, site_url, viewport=DESKTOP, color_scheme="light")
        page = context.new_page()
        page.goto(site_url, wait_until="networkidle")
        page.locator("article.ev-card").first.scroll_into_view_if_needed()
        page.evaluate("window.scrollBy(0, -120)")
        page.screenshot(path=str(README_SHOT))
        context.close()
    assert png_size(README_SHOT) == (DESKTOP["width"], DESKTOP["height"])
    assert "docs/assets/screenshot-home.png" in (REPO / "README.md").read_text(encoding="utf-8")

"""Screenshots of Home, a topic page and the claims table, on a phone and a desktop, light and dark.

Written to artifacts/screenshots/ (git ignores it; CI keeps it) for a person to look at.
`UPDATE_README_SCREENSHOT=1` also rewrites docs/assets/screenshot-home.png, the one the
README shows, from the same real site.
"""

from __future__ import annotations

import base64
import os
import struct
from pathlib import Path

import pytest
from browsing import ARTIFACTS, DESKTOP, EDITION, PHONE, open_context
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


#: Mean per-channel difference (0: identical, 1: black against white) the README's picture
#: may have from a fresh shot of the home page: a moved pixel row or a new date is tolerated,
#: a changed layout, heading or card is not. Measured: two shots differ by under 0.001,
#: the home page and a topic page by about 0.05, README's picture before the home page's reframing by 0.048.
MAX_DIFFERENCE = 0.02

#: Mean absolute difference of two PNGs of one size, decoded and compared by Chromium itself
#: (no image library in the venv); -1 when their sizes differ.
DIFFERENCE_JS = """async ([a, b]) => {
  const load = async (src) => { const img = new Image(); img.src = src; await img.decode(); return img; };
  const [x, y] = await Promise.all([load(a), load(b)]);
  if (x.naturalWidth !== y.naturalWidth || x.naturalHeight !== y.naturalHeight) return -1;
  const pixels = (img) => {
    const canvas = new OffscreenCanvas(img.naturalWidth, img.naturalHeight);
    const context = canvas.getContext("2d");
    context.drawImage(img, 0, 0);
    return context.getImageData(0, 0, img.naturalWidth, img.naturalHeight).data;
  };
  const [p, q] = [pixels(x), pixels(y)];
  let sum = 0;
  for (let i = 0; i < p.length; i += 4) {
    sum += Math.abs(p[i] - q[i]) + Math.abs(p[i + 1] - q[i + 1]) + Math.abs(p[i + 2] - q[i + 2]);
  }
  return sum / (p.length / 4 * 3) / 255;
}"""


def shoot(browser: Browser, url: str) -> bytes:
    """The README's framing: desktop, light, scrolled so the first claim card shows."""
    context, watch = open_context(browser, url.split(EDITION)[0] + f"{EDITION}/", viewport=DESKTOP)
    page = watch.attach(context.new_page())
    page.emulate_media(color_scheme="light")
    page.goto(url, wait_until="networkidle")
    # down only, to 120 px above the card: scrolling back up shows Material's "Back to top" button
    page.locator("article.ev-card").first.evaluate(
        "card => window.scrollTo(0, card.getBoundingClientRect().top + window.scrollY - 120)"
    )
    page.wait_for_timeout(600)  # the header's title and the button finish their transitions
    png = page.screenshot()
    context.close()
    assert (watch.external, watch.console_errors) == ([], [])
    return png


def difference(browser: Browser, first: bytes, second: bytes) -> float:
    page = browser.new_page()
    try:
        urls = [f"data:image/png;base64,{base64.b64encode(png).decode()}" for png in (first, second)]
        return float(page.evaluate(DIFFERENCE_JS, urls))
    finally:
        page.close()


def test_readme_screenshot_is_the_real_home_page(browser: Browser, site_url: str) -> None:
    """README's picture is the home page as built now; `UPDATE_README_SCREENSHOT=1` retakes it."""
    fresh = shoot(browser, site_url)
    if os.environ.get("UPDATE_README_SCREENSHOT"):
        README_SHOT.write_bytes(fresh)
    assert png_size(README_SHOT) == (DESKTOP["width"], DESKTOP["height"])
    assert "docs/assets/screenshot-home.png" in (REPO / "README.md").read_text(encoding="utf-8")
    found = difference(browser, README_SHOT.read_bytes(), fresh)
    assert 0 <= found < MAX_DIFFERENCE, (
        f"README's screenshot differs from the home page by {found:.3f} (limit {MAX_DIFFERENCE}): "
        "retake it with `UPDATE_README_SCREENSHOT=1 .venv/bin/python -m pytest -n 0 "
        "tests/browser/test_screenshots.py -k readme` and look at it before committing"
    )


def test_the_comparison_tells_another_page_from_home(browser: Browser, site_url: str) -> None:
    """The limit is not so loose that any page of the site passes for the home page."""
    home, topic = shoot(browser, site_url), shoot(browser, site_url + "burden/")
    assert difference(browser, home, home) == 0
    assert difference(browser, home, shoot(browser, site_url)) < MAX_DIFFERENCE / 4  # a shot is stable
    assert difference(browser, home, topic) > MAX_DIFFERENCE  # measured: about 0.05

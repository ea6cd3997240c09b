"""Headless Chromium (Debian's, never a downloaded build) against the real site on localhost.

The site is served the way mike publishes it: the edition under /dev/ and versions.json
at the root, so Material's version selector finds what it looks for. Every request the
browser makes is recorded; any that would leave 127.0.0.1 is blocked and reported.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browsing import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE, Watch, open_context, served
from helpers import Project
from playwright.sync_api import Browser, Page, Playwright, sync_playwright


@pytest.fixture(scope="session")
def site_url(real_site: Project) -> Iterator[str]:
    """The built real site on http://127.0.0.1:<port>/dev/."""
    with served(real_site.root / "site") as url:
        yield url


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: `apt-get install -y chromium` (make test installs it)")
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def phone(browser: Browser, site_url: str) -> Iterator[tuple[Page, Watch]]:
    context, watch = open_context(browser, site_url, viewport=PHONE, has_touch=False)
    page = watch.attach(context.new_page())
    yield page, watch
    context.close()
    assert watch.external == [], "requests left localhost"
    assert watch.console_errors == [], "console errors"


@pytest.fixture
def desktop(browser: Browser, site_url: str) -> Iterator[tuple[Page, Watch]]:
    context, watch = open_context(browser, site_url, viewport=DESKTOP)
    page = watch.attach(context.new_page())
    yield page, watch
    context.close()
    assert watch.external == [], "requests left localhost"
    assert watch.console_errors == [], "console errors"

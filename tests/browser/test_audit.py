"""Every page of the site, in a real browser: no console error, no request off localhost, and
no serious or critical accessibility violation (axe-core, shipped by axe-playwright-python)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from axe_playwright_python.sync_playwright import Axe
from browsing import DESKTOP, PHONE, all_pages, open_context
from helpers import Project
from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

SERIOUS = {"serious", "critical"}
#: Pages audited again in the dark scheme and on a phone (colours and layout change there).
SAMPLE = ["", "burden/", "claims/", "references/", "data/", "sources/spinenation-2017/"]


@dataclass
class Audit:
    pages: list[str] = field(default_factory=list)
    console_errors: dict[str, list[str]] = field(default_factory=dict)
    external: dict[str, list[str]] = field(default_factory=dict)
    violations: dict[str, list[str]] = field(default_factory=dict)


def audit(browser: Browser, site_url: str, paths: list[str], **options: object) -> Audit:
    axe = Axe()
    result = Audit()
    context, watch = open_context(browser, site_url, **options)
    page = watch.attach(context.new_page())
    for path in paths:
        watch.console_errors.clear()
        watch.external.clear()
        page.goto(site_url + path, wait_until="networkidle")
        found = axe.run(page).response["violations"]
        serious = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in found
            if v.get("impact") in SERIOUS
        ]
        result.pages.append(path)
        if serious:
            result.violations[path] = serious
        if watch.console_errors:
            result.console_errors[path] = list(watch.console_errors)
        if watch.external:
            result.external[path] = list(watch.external)
    context.close()
    return result


@pytest.fixture(scope="module")
def light(browser: Browser, site_url: str, real_site: Project) -> Iterator[Audit]:
    yield audit(browser, site_url, all_pages(real_site), viewport=DESKTOP, color_scheme="light")


@pytest.fixture(scope="module")
def dark_phone(browser: Browser, site_url: str) -> Iterator[Audit]:
    yield audit(browser, site_url, SAMPLE, viewport=PHONE, color_scheme="dark")


def test_every_page_was_audited(light: Audit, real_site: Project) -> None:
    pages = all_pages(real_site)
    assert light.pages == pages
    assert len(pages) > 60
    assert {"", "claims/", "404.html", "data/", "sources/gbd-study/"} <= set(pages)


def test_no_console_errors(light: Audit, dark_phone: Audit) -> None:
    assert light.console_errors == {}
    assert dark_phone.console_errors == {}


def test_no_request_leaves_localhost(light: Audit, dark_phone: Audit) -> None:
    assert light.external == {}
    assert dark_phone.external == {}


def test_no_serious_accessibility_violations(light: Audit) -> None:
    assert light.violations == {}


def test_no_serious_accessibility_violations_dark_on_a_phone(dark_phone: Audit) -> None:
    assert dark_phone.pages == SAMPLE
    assert dark_phone.violations == {}


def test_axe_finds_what_it_should(browser: Browser, site_url: str) -> None:
    """The audit is live: a planted contrast failure and an unlabelled control are reported."""
    context, watch = open_context(browser, site_url, viewport=DESKTOP)
    page = watch.attach(context.new_page())
    page.goto(site_url + "burden/")
    page.evaluate(
        """() => {
          const p = document.createElement('p');
          p.textContent = 'faint'; p.style.color = '#eee'; p.style.background = '#fff';
          document.querySelector('.md-content').prepend(p);
          const i = document.createElement('input');
          document.querySelector('.md-content').prepend(i);
        }"""
    )
    found = {v["id"] for v in Axe().run(page).response["violations"] if v.get("impact") in SERIOUS}
    context.close()
    assert {"color-contrast", "label"} <= found

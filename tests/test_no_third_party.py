"""The built site loads nothing from elsewhere: no fonts, CDNs or analytics; it works offline.

This scans what the HTML and CSS would load. The browser tests (tests/browser) record every
request a real browser makes, which also covers what JavaScript fetches.
"""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup
from helpers import Project

#: (tag, attribute) pairs a browser fetches on its own; link elements are filtered by rel below.
LOADING = [
    ("script", "src"),
    ("img", "src"),
    ("img", "srcset"),
    ("iframe", "src"),
    ("frame", "src"),
    ("source", "src"),
    ("source", "srcset"),
    ("video", "src"),
    ("video", "poster"),
    ("audio", "src"),
    ("track", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("input", "src"),
]
LOADING_RELS = {
    "stylesheet",
    "icon",
    "shortcut",
    "apple-touch-icon",
    "preload",
    "modulepreload",
    "prefetch",
    "preconnect",
    "dns-prefetch",
    "manifest",
}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""")
KNOWN_TRACKERS = ("fonts.googleapis", "fonts.gstatic", "googletagmanager", "google-analytics", "plausible.io")


def external(url: str) -> bool:
    """Absolute or protocol-relative: anything but the site's own relative paths and data: URIs."""
    url = url.strip().split()[0] if url.strip() else ""
    return bool(re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", url, re.I)) or url.lower().startswith("http")


def html_loads(path: Path) -> list[str]:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    urls = [tag[attr] for name, attr in LOADING for tag in soup.find_all(name) if tag.get(attr)]
    for link in soup.find_all("link", href=True):
        if LOADING_RELS & {r.lower() for r in link.get("rel", [])}:
            urls.append(link["href"])
    for tag in soup.find_all(style=True):
        urls += [a or b for a, b in CSS_URL.findall(tag["style"])]
    for style in soup.find_all("style"):
        urls += [a or b for a, b in CSS_URL.findall(style.get_text())]
    return urls


def test_no_page_loads_anything_from_another_host(real_site: Project) -> None:
    pages = sorted((real_site.root / "site").rglob("*.html"))
    assert len(pages) > 60
    offending = {str(p): [u for u in html_loads(p) if external(u)] for p in pages}
    assert {p: u for p, u in offending.items() if u} == {}
    assert all(html_loads(p) for p in pages)  # the scan sees Material's own assets


def test_no_stylesheet_imports_or_fonts_from_elsewhere(real_site: Project) -> None:
    sheets = sorted((real_site.root / "site").rglob("*.css"))
    assert any(s.name == "evidence.css" for s in sheets)
    for sheet in sheets:
        found = [a or b for a, b in CSS_URL.findall(sheet.read_text(encoding="utf-8"))]
        assert [u for u in found if external(u)] == [], sheet


def test_no_fonts_trackers_or_components_that_call_out(real_site: Project) -> None:
    for page in sorted((real_site.root / "site").rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        assert not [t for t in KNOWN_TRACKERS if t in html], page
        soup = BeautifulSoup(html, "html.parser")
        # Material fetches from GitHub for a repository widget, and from unpkg for Mermaid
        assert soup.select('[data-md-component="source"]') == [], page
        assert soup.select("pre.mermaid, div.mermaid") == [], page


def test_the_scan_catches_an_external_load(tmp_path: Path) -> None:
    page = tmp_path / "x.html"
    page.write_text(
        '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">'
        '<script src="//cdn.example.org/x.js"></script><img src="assets/a.png">'
        '<div style="background:url(https://t.example/p.gif)"></div>',
        encoding="utf-8",
    )
    assert [u for u in html_loads(page) if external(u)] == [
        "//cdn.example.org/x.js",
        "https://fonts.googleapis.com/css?family=Roboto",
        "https://t.example/p.gif",
    ]

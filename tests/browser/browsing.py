"""Serving the built site like mike does, and watching what a browser context requests and logs.

Shared by the browser tests' fixtures (conftest.py) and the tests themselves.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from helpers import REPO, Project
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Route

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
EDITION = "dev"
SITE_PATH = urlsplit(
    yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)["site_url"]
).path
ARTIFACTS = REPO / "artifacts"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


@contextlib.contextmanager
def served(
    directory: Path, handler: type[http.server.SimpleHTTPRequestHandler] | None = None, edition: str = EDITION
) -> Iterator[str]:
    """`directory` on 127.0.0.1 at a free port, by `handler` (`Handler`: as mike deploys it):
    the address of the edition's home (`edition=""`: the root)."""
    make = functools.partial(handler or Handler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), make)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/" + (f"{edition}/" if edition else "")
    finally:
        server.shutdown()
        server.server_close()


class Handler(http.server.SimpleHTTPRequestHandler):
    """The built site under /<edition>/ as mike deploys it, with versions.json at the root.

    It is also served under the path of `site_url`, where MkDocs points the 404 page's
    assets (a host serves 404.html for any missing page, so its links are absolute).
    """

    def translate_path(self, path: str) -> str:
        for prefix in (f"/{EDITION}/", SITE_PATH):
            if path.startswith(prefix):
                return super().translate_path(path[len(prefix) - 1 :])
        return str(Path(self.directory) / "__not_in_this_edition__")

    def do_GET(self) -> None:
        if self.path.split("?", 1)[0] == "/versions.json":
            body = json.dumps([{"version": EDITION, "title": EDITION, "aliases": ["latest"]}]).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass


@dataclass
class Watch:
    """What the pages of one browser context did that they should not."""

    origin: str
    requests: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def route(self, route: Route) -> None:
        url = route.request.url
        self.requests.append(url)
        if url.startswith(self.origin) or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self.external.append(url)
            route.abort()

    def console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append(f"{message.text} ({message.location.get('url', '')})")

    def attach(self, page: Page) -> Page:
        page.on("console", self.console)
        page.on("pageerror", lambda error: self.console_errors.append(f"uncaught: {error} {error.stack}"))
        return page


def open_context(browser: Browser, site_url: str, **options: object) -> tuple[BrowserContext, Watch]:
    origin = site_url.split(f"/{EDITION}/")[0] + "/"
    context = browser.new_context(**options)  # type: ignore[arg-type]
    watch = Watch(origin)
    context.route("**/*", watch.route)
    context.on("page", watch.attach)
    return context, watch


def all_pages(real_site: Project) -> list[str]:
    """Every HTML page a reader sees, as a path under the edition: hand-written and generated.

    The browser editor under admin/ (Decap CMS, evidence/mkdocs/editor.py) is left out: it is a
    contributor's app, not a page of the site. Its config points Decap at decap-server on
    localhost:8081 (`local_backend`), so it asks that port by design, and Decap's own markup is
    not ours to audit; tests/browser/test_editor.py drives it against a real decap-server.
    """
    site = real_site.root / "site"
    pages = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if rel.startswith("admin/"):
            continue
        pages.append(rel.removesuffix("index.html"))
    return pages

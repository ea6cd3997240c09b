"""What a reader downloads to open the home page and run one search, measured in Chromium.

    python benchmarks/download.py SITE_DIR [--query opioid]

Serves SITE_DIR on 127.0.0.1 (http.server), opens the home page in Debian's headless
Chromium (through Playwright, never a downloaded browser), types the query into the
header's search box (Pagefind's, or Material's on a site that uses its search plugin),
waits for results and for the network to go quiet, then sums the bytes the server sent.
Counting at the server catches what the search fetches (Pagefind's index chunks and
fragments, or Material's whole search/search_index.json) as well as the page's own
requests. http.server does not compress; `gzip_bytes` says what a host that gzips would send.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SEARCH_INDEX = "search/search_index.json"
PAGEFIND_ENTRY = "pagefind/pagefind-entry.json"


@dataclass
class Download:
    """Bytes served for one visit, in request order."""

    query: str
    results: int = 0
    served: list[tuple[str, int, int]] = field(default_factory=list)  # path, bytes, gzipped bytes

    @property
    def total_bytes(self) -> int:
        return sum(n for _, n, _ in self.served)

    @property
    def gzip_bytes(self) -> int:
        return sum(z for _, _, z in self.served)

    def largest(self, n: int = 3) -> list[tuple[str, int]]:
        return sorted(((p, b) for p, b, _ in self.served), key=lambda pb: (-pb[1], pb[0]))[:n]


class _Counting(http.server.SimpleHTTPRequestHandler):
    """Serves the site and records each body it sends (the browser's cache is empty)."""

    def __init__(self, *args: Any, record: list[tuple[str, int, int]], **kwargs: Any) -> None:
        self._record = record
        super().__init__(*args, **kwargs)

    def copyfile(self, source: BinaryIO, outputfile: BinaryIO) -> None:  # type: ignore[override]
        data = source.read()
        outputfile.write(data)
        self._record.append((self.path.split("?", 1)[0], len(data), len(gzip.compress(data, 6))))

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass


@contextlib.contextmanager
def serve(site: Path, record: list[tuple[str, int, int]]) -> Iterator[str]:
    """`site` on 127.0.0.1 at a free port (its base address), recording each body sent."""
    handler = functools.partial(_Counting, directory=str(site), record=record)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def measure(site: Path, query: str = "opioid", timeout_ms: int = 60_000) -> Download:
    """Open `site`'s home page, search for `query`, and count what was downloaded."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        raise RuntimeError(f"{CHROMIUM} is missing: `apt-get install -y chromium`")
    pagefind = (site / PAGEFIND_ENTRY).is_file()
    if not pagefind and not (site / SEARCH_INDEX).is_file():
        raise RuntimeError(f"neither {PAGEFIND_ENTRY} nor {SEARCH_INDEX} in {site}: is search on?")
    result = Download(query)
    with serve(site, result.served) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(service_workers="block", viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.set_default_timeout(timeout_ms)
            page.goto(f"{base}/", wait_until="load")
            # the header's search box: Pagefind's (evidence.js puts it there) or Material's
            box = page.locator(".ev-search input" if pagefind else "input.md-search__input")
            box.click()
            box.press_sequentially(query, delay=20)
            items = page.locator(".pagefind-ui__result" if pagefind else ".md-search-result__item")
            items.first.wait_for(state="visible")
            page.wait_for_load_state("networkidle")
            result.results = items.count()
            context.close()
        finally:
            browser.close()
    wanted = "/pagefind/index/" if pagefind else SEARCH_INDEX
    if not any(wanted in path for path, _, _ in result.served):
        raise RuntimeError("the search index was never downloaded: the measurement missed the search")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("site", type=Path, help="a built site folder")
    parser.add_argument("--query", default="opioid")
    args = parser.parse_args(argv)
    found = measure(args.site, args.query)
    print(
        f"home page + search for {found.query!r}: {found.total_bytes:,} bytes in {len(found.served)} "
        f"responses ({found.gzip_bytes:,} gzipped), {found.results} results shown"
    )
    for path, size in found.largest(5):
        print(f"  {size:>12,}  {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

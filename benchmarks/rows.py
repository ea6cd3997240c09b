"""How soon a reader can use All claims, measured in Chromium (issue 25, item 5).

    python benchmarks/rows.py SITE_DIR [--visits 3] [--word surgery]

Serves SITE_DIR on 127.0.0.1 (http.server), opens `claims/` in Debian's headless Chromium
(through Playwright, never a downloaded browser), a new browser context each visit, and
records, from the start of navigation:

- first rows: the first row of the claims table is visible;
- load: the page's `load` event;
- all claims usable: the filter, sort and count work on every claim (a paged table has
  fetched its row files, `data-ev-loaded`; a one-page table is ready, `data-ev-ready`),
  and the live count says "Showing all N claims";
- filtered: typing `--word` into the text filter has changed the count (the filter ran
  over all N claims).

Before this measurement existed the numbers in BENCHMARKS.md were taken by hand the same
way; this script makes them repeatable.
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from download import CHROMIUM, CHROMIUM_ARGS, serve

TABLE = "table#claims-table"


@dataclass(frozen=True)
class Visit:
    """Seconds from navigation to each moment, and what the count said at the end."""

    first_rows: float
    load: float
    usable: float
    filtered: float
    claims: int
    count_after_filter: str


def _claims_in(count_text: str) -> int:
    """The N of "Showing all N claims" (the count's own words, see claims_table.html)."""
    words = count_text.split()
    return int(words[2]) if words[:2] == ["Showing", "all"] and words[2].isdigit() else -1


def measure(site: Path, visits: int = 3, word: str = "surgery", timeout_ms: int = 180_000) -> list[Visit]:
    """Open All claims `visits` times, each in a fresh context, and time each moment."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        raise RuntimeError(f"{CHROMIUM} is missing: `apt-get install -y chromium`")
    if not (site / "claims" / "index.html").is_file():
        raise RuntimeError(f"no claims/index.html in {site}: is this a built evidence site?")
    found: list[Visit] = []
    with serve(site, record=[]) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for _ in range(visits):
                context = browser.new_context(
                    service_workers="block", viewport={"width": 1280, "height": 900}
                )
                page = context.new_page()
                page.set_default_timeout(timeout_ms)
                start = time.perf_counter()
                page.goto(f"{base}/claims/", wait_until="commit")
                page.locator(f"{TABLE} tbody tr").first.wait_for(state="visible")
                first_rows = time.perf_counter() - start
                page.wait_for_load_state("load")
                load = time.perf_counter() - start
                page.wait_for_selector(f"{TABLE}[data-ev-loaded], {TABLE}[data-ev-table][data-ev-ready]")
                count = page.locator("[data-ev-count]")
                page.wait_for_function(
                    "el => /^Showing all [0-9]+ claims$/.test(el.textContent)", arg=count.element_handle()
                )
                usable = time.perf_counter() - start
                claims = _claims_in(count.inner_text())
                before = count.inner_text()
                page.fill("#ev-filter-text", word)
                page.wait_for_function(
                    "([el, was]) => el.textContent !== was", arg=[count.element_handle(), before]
                )
                filtered = time.perf_counter() - start
                found.append(Visit(first_rows, load, usable, filtered, claims, count.inner_text()))
                context.close()
        finally:
            browser.close()
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("site", type=Path, help="a built site folder")
    parser.add_argument("--visits", type=int, default=3)
    parser.add_argument("--word", default="surgery", help="typed into the text filter")
    args = parser.parse_args(argv)
    visits = measure(args.site, args.visits, args.word)
    claims, n = visits[0].claims, len(visits)
    print(f"All claims in {args.site}: {claims:,} claims; {n} visits, seconds from navigation")
    print("| visit | first rows | load | all claims usable | filtered |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    for n, v in enumerate(visits, 1):
        print(f"| {n} | {v.first_rows:.2f} | {v.load:.2f} | {v.usable:.2f} | {v.filtered:.2f} |")
    for label, pick in (("first rows", "first_rows"), ("all claims usable", "usable")):
        print(f"median {label}: {statistics.median(getattr(v, pick) for v in visits):.2f} s")
    print(f"after typing {args.word!r}: {visits[-1].count_after_filter}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
